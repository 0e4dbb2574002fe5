import { describe, expect, it } from 'vitest';
import type { User } from '../api';
import type { Contribution } from './library';
import { changedFields, mayEdit, textStatus } from './library';
import { changedBody, checkContribution } from './library_form';

const user = (role: User['role'], state: string | null, forum: string | null = null): User =>
  ({ id: 1, username: 'u', display_name: 'U', email: null, role, state, forum, totp_enabled: false });

const contribution = { id: 3, state: 'KAZ', forum: 'CICA', versions: [], can_review: false } as unknown as Contribution;

describe('the library screens', () => {
  it("take the server's can_edit when it comes, and else its rule", () => {
    expect(mayEdit(contribution, user('focal_point', 'KAZ'))).toBe(true);
    expect(mayEdit(contribution, user('focal_point', 'UZB'))).toBe(false);
    expect(mayEdit(contribution, user('poc', 'KAZ'))).toBe(false);
    expect(mayEdit(contribution, user('secretariat', null, 'CICA'))).toBe(true);
    expect(mayEdit(contribution, user('secretariat', null, 'ARF'))).toBe(false);
    expect(mayEdit({ ...contribution, can_edit: false }, user('focal_point', 'KAZ'))).toBe(false);
  });

  it('say what became of a version’s text', () => {
    const v = (text: object) => ({ lang: 'ru', translation: 'original', filename: 'a', sha256: '', size: 1, format: 'pdf', file: '', text }) as never;
    expect(textStatus(v({ status: 'pending', flag: '', detail: '', pages: 0 }))).toBe('being read…');
    expect(textStatus(v({ status: 'done', flag: '', detail: '', pages: 1 }))).toBe('read: 1 page, searchable');
    expect(textStatus(v({ status: 'done', flag: 'encrypted', detail: 'a password', pages: 0 }))).toBe('the file is encrypted; the file is kept. a password');
  });

  it('check a submission lightly before it is sent', () => {
    expect(checkContribution({ forum: 'CICA', kind: 'law', title: 'x', visibility: 'forum', tlp: 'TLP:GREEN' })).toEqual({});
    expect(checkContribution({ forum: '', kind: '', title: ' ', visibility: 'states', states: [], tlp: 'TLP:GREEN' }))
      .toEqual({ forum: 'lib.needForum', kind: 'lib.needKind', title: 'lib.needTitle', states: 'lib.needStates' });
    expect(checkContribution({ forum: 'CICA', kind: 'law', title: 'x', visibility: 'states', states: ['KAZAKH'], tlp: 'TLP:AMBER' }).states).toBe('lib.badStates');
    expect(checkContribution({ forum: 'CICA', kind: 'law', title: 'x', visibility: 'public', tlp: 'TLP:AMBER+STRICT' }).tlp).toBe('lib.publicTlp');
    expect(checkContribution({ forum: 'CICA', kind: 'law', title: 'x', adopted_on: '2020-05-01', in_force_on: '2020-01-01' }).in_force_on).toBe('lib.datesOrder');
    expect(checkContribution({ forum: 'CICA', kind: 'law', title: 'x', superseded_by: 1.5 }).superseded_by).toBe('lib.badSupersededBy');
  });

  it('send only what an edit changed, clearing included', () => {
    const before = { title: 'A', summary: 'S', adopted_on: '2020-01-01', tags: ['a'], states: [], superseded_by: null };
    expect(changedBody(before, { title: 'A', summary: '', adopted_on: '2020-01-01', tags: ['a', 'b'], states: [] }))
      .toEqual({ summary: '', tags: ['a', 'b'] });
    expect(changedBody(before, { ...before })).toEqual({});
  });

  it('name the fields a revision changed', () => {
    expect(changedFields(undefined, { revision: 1, title: 'A' })).toEqual([]);
    expect(changedFields({ revision: 1, at: 'x', title: 'A', tags: ['a'] }, { revision: 2, at: 'y', title: 'B', tags: ['a'] })).toEqual(['title']);
    // The current contribution against the last snapshot: its flags and links are no change.
    expect(changedFields({ revision: 1, replaced_at: 'x', title: 'A', summary: '' },
      { revision: 2, title: 'A', summary: 'x', can_edit: true, snippets: [], superseded_by: null })).toEqual(['summary']);
  });
});
