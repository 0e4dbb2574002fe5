import { describe, expect, it } from 'vitest';
import { meetingDays, parseDelegation, splitByDate } from './meetings';

describe('the meetings screens', () => {
  it('split meetings into those to come, first first, and those past, latest first', () => {
    const m = (id: number, starts_on: string, ends_on = starts_on) => ({ id, starts_on, ends_on });
    const { upcoming, past } = splitByDate([m(1, '2026-11-01'), m(2, '2026-12-20'), m(3, '2026-11-30', '2026-12-02'), m(4, '2026-10-01')], '2026-12-01');
    expect(upcoming.map((x) => x.id)).toEqual([3, 2]);   // still running on the day counts as to come
    expect(past.map((x) => x.id)).toEqual([1, 4]);
  });

  it('read a delegation one member a line: name; function; head', () => {
    expect(parseDelegation('Aigerim Alden; Director; head\n\n  Daniyar Borsa ; Expert\nSolo')).toEqual([
      { name: 'Aigerim Alden', function: 'Director', head: true },
      { name: 'Daniyar Borsa', function: 'Expert' },
      { name: 'Solo' },
    ]);
    expect(parseDelegation(' ; no name\n')).toEqual([]);
  });

  it('write a meeting\'s days once when it lasts one day', () => {
    expect(meetingDays({ starts_on: '2027-01-10', ends_on: '2027-01-10' })).not.toContain('–');
    expect(meetingDays({ starts_on: '2027-01-10', ends_on: '2027-01-11' })).toContain('–');
  });
});
