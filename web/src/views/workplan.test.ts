import { describe, expect, it } from 'vitest';
import { MATRIX_STATUSES, matrixQuery, stateList, statusLetter } from './workplan';

describe('the work plan screens', () => {
  it('give each status its own letter, as the server\'s SVG does', () => {
    const letters = MATRIX_STATUSES.map(statusLetter);
    expect(letters).toEqual(['N', 'P', 'I', '–', '?']);
    expect(new Set(letters).size).toBe(letters.length);
    expect(statusLetter('mystery')).toBe('?');
  });

  it('send the matrix only the filters the API knows, encoded', () => {
    expect(matrixQuery({ forum: 'CICA', as_of: '2026-06-30', status: 'not_reported', q: 'x' }))
      .toBe('?forum=CICA&as_of=2026-06-30&status=not_reported');
    expect(matrixQuery({ forum: 'ARF', group: 'ASEAN', state: 'SGP,AUS' }, 'svg')).toBe('?forum=ARF&group=ASEAN&state=SGP%2CAUS&format=svg');
    expect(matrixQuery({ forum: 'A&B' })).toBe('?forum=A%26B');
  });

  it('read a list of states as codes, dropping what is not one', () => {
    expect(stateList(' kaz, UZB;rus  tha')).toBe('KAZ,UZB,RUS,THA');
    expect(stateList('Kazakhstan, KZ, <b>')).toBe('');
  });
});
