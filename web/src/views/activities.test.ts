import { describe, expect, it } from 'vitest';
import { parseParticipants, pathProgress } from './activities';
import type { StageView } from './activities';

const stage = (position: number, code: string, outcome = ''): StageView =>
  ({ position, body: { id: position, code }, outcome, comments: '', decided_at: null, meeting: null, silence: null });

describe('the activities screens', () => {
  it('show where each body of the path stands, the latest decision of a stage counting', () => {
    const path = [{ id: 0, code: 'ISM' }, { id: 1, code: 'SOM' }, { id: 2, code: 'MM' }];
    const progress = pathProgress({ path, status: 'in_approval', stage: 1,
      stages: [stage(0, 'ISM', 'returned'), stage(0, 'ISM', 'approved'), stage(1, 'SOM')] });
    expect(progress.map((p) => p.state)).toEqual(['approved', 'deciding', 'to_come']);
    expect(pathProgress({ path, status: 'returned', stage: 0, stages: [stage(0, 'ISM', 'returned')] }).map((p) => p.state))
      .toEqual(['returned', 'to_come', 'to_come']);
  });

  it('read participants by state, one "code; number" a line, and name the lines that are not', () => {
    expect(parseParticipants('aus; 6\nSGP 5\n\nUSA:4')).toEqual({
      list: [{ state: 'AUS', participants: 6 }, { state: 'SGP', participants: 5 }, { state: 'USA', participants: 4 }], bad: [] });
    expect(parseParticipants('Australia; 6\nSGP; many').bad).toEqual([1, 2]);
  });
});
