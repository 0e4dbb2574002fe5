import { describe, expect, it } from 'vitest';
import type { User } from '../api';
import type { Definition } from './glossary';
import { groupBySource, mayDelete, sourceLabel, sourcesFor } from './glossary';

const user = (role: User['role'], state: string | null, forum: string | null = null): User =>
  ({ id: 1, username: 'u', display_name: 'U', email: null, role, state, forum, totp_enabled: false });
const def = (d: Partial<Definition>): Definition => ({ id: 1, source: 'state', lang: 'en', text: 't', ...d }) as Definition;
const names = { state: (a: string) => ({ KAZ: 'Kazakhstan', UZB: 'Uzbekistan' })[a] ?? a, forum: (f: string) => f };

describe('the glossary screens', () => {
  it('group definitions: the forum’s first, then states’ by state, then organisations’', () => {
    const groups = groupBySource([
      def({ id: 1, source: 'organisation', organisation: 'ITU' }),
      def({ id: 2, source: 'state', state: 'UZB' }),
      def({ id: 3, source: 'forum' }),
      def({ id: 4, source: 'state', state: 'KAZ' }),
    ]);
    expect(groups.map((g) => [g.source, g.items.map((d) => d.id)])).toEqual([['forum', [3]], ['state', [4, 2]], ['organisation', [1]]]);
    expect(groupBySource([])).toEqual([]);
  });

  it('offer each role the sources it may add, and delete only its own', () => {
    expect(sourcesFor(user('focal_point', 'KAZ'))).toEqual(['state']);
    expect(sourcesFor(user('secretariat', null, 'ARF'))).toEqual(['forum', 'organisation', 'state']);
    expect(sourcesFor(user('poc', 'KAZ'))).toEqual([]);
    expect(mayDelete(user('focal_point', 'KAZ'), 'CICA', def({ state: 'KAZ' }))).toBe(true);
    expect(mayDelete(user('focal_point', 'KAZ'), 'CICA', def({ state: 'UZB' }))).toBe(false);
    expect(mayDelete(user('focal_point', 'KAZ'), 'CICA', def({ source: 'organisation' }))).toBe(false);
    expect(mayDelete(user('secretariat', null, 'CICA'), 'CICA', def({ state: 'UZB' }))).toBe(true);
    expect(mayDelete(user('secretariat', null, 'ARF'), 'CICA', def({ state: 'UZB' }))).toBe(false);
  });

  it('name each source', () => {
    expect(sourceLabel(def({ state: 'KAZ' }), 'CICA', names)).toBe('Kazakhstan');
    expect(sourceLabel(def({ source: 'organisation', organisation: 'ISO/IEC 27000:2018' }), 'CICA', names)).toBe('ISO/IEC 27000:2018');
    expect(sourceLabel(def({ source: 'forum', agreed_on: '2023-06-01', agreed_in: 'ISM/2023/4' }), 'CICA', names))
      .toBe('Agreed by CICA on Jun 1, 2023 (ISM/2023/4)');
    expect(sourceLabel(def({ source: 'forum' }), 'CICA', names)).toBe('Agreed by CICA');
  });
});
