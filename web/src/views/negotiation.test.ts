import { describe, expect, it } from 'vitest';
import { countdown, positionsText } from './negotiation';
import { href, parseRoute } from '../routes';

describe('negotiation helpers', () => {
  it('says who proposed, supports and opposes, as the notation means it', () => {
    expect(positionsText(['-IND', '+CHN', '+RUS', '-ISR'])).toBe('Proposed by IND (delete); supported by ISR; opposed by CHN, RUS');
    expect(positionsText(['+THA'])).toBe('Proposed by THA (insert)');
    expect(positionsText([])).toBe('Unattributed brackets');
  });
  it('counts down in days, hours, minutes and seconds', () => {
    expect(countdown(59)).toBe('00:00:59');
    expect(countdown(3 * 86400 + 3600 + 61)).toBe('3d 01:01:01');
    expect(countdown(-5)).toBe('00:00:00');
  });
  it('routes to documents, revisions and comparisons and back', () => {
    for (const r of [
      { name: 'negotiations', query: {} },
      { name: 'negotiation', id: 4 },
      { name: 'negotiation', id: 4, rev: 2 },
      { name: 'negotiation-compare', id: 4, from: 1, to: 2 },
    ] as const)
      expect(parseRoute(href(r))).toEqual(r);
    expect(parseRoute('#/negotiation/4/compare?from=x&to=2').name).toBe('not-found');
  });
});
