import { describe, expect, it } from 'vitest';
import { href, parseRoute } from './routes';
import type { Route } from './routes';

describe('routes', () => {
  it('parses every route and builds it back', () => {
    const cases: Route[] = [
      { name: 'signin' },
      { name: 'directory', query: {} },
      { name: 'directory', query: { q: 'cert team', state: 'KAZ' } },
      { name: 'state', alpha3: 'KAZ' },
      { name: 'contact', id: 42 },
      { name: 'contact-edit', id: 42 },
      { name: 'contact-new', state: 'THA' },
      { name: 'nominations' },
      { name: 'forums' },
      { name: 'forum', code: 'OSCE' },
      { name: 'forum', code: 'ASIAN-PARTNERS' },
      { name: 'witnesses' },
      { name: 'witnesses', forum: 'CICA' },
      { name: 'profile' },
      { name: 'ledger' },
      { name: 'hotline', query: {} },
      { name: 'hotline', query: { box: 'sent' } },
      { name: 'communication', id: 7 },
      { name: 'compose', query: {} },
      { name: 'compose', query: { stix_ref: 'incident--0b6f3a51-2f1e-4c1a-9d5e-7a1c2e3f4a51' } },
      { name: 'threats', query: {} },
      { name: 'threats', query: { forum: 'CICA', q: 'wiper' } },
      { name: 'incident-new' },
      { name: 'checks' },
      { name: 'check', id: 3 },
      { name: 'invitation', secret: 'aB3_-xYz' },
      { name: 'accounts' },
      { name: 'invitations' },
      { name: 'reconfirmations' },
      { name: 'reconfirmation', forum: 'CICA', id: 12 },
      { name: 'directory-import' },
      { name: 'directory', query: { expired: 'true' } },
      { name: 'library', query: {} },
      { name: 'library', query: { q: 'кибербезопасность state:KAZ' } },
      { name: 'contribution', id: 9 },
      { name: 'contribution-new' },
      { name: 'contribution-edit', id: 9 },
      { name: 'glossary', query: { forum: 'ARF', q: 'incident' } },
      { name: 'workplan', query: { forum: 'CICA', as_of: '2026-06-30', status: 'not_reported' } },
      { name: 'implementation', alpha3: 'KAZ', query: { forum: 'CICA' } },
      { name: 'meetings', query: { forum: 'ARF' } },
      { name: 'meeting', id: 7 },
      { name: 'activities', query: { forum: 'ARF' } },
      { name: 'activity', id: 3 },
      { name: 'capacity', query: { forum: 'CICA' } },
      { name: 'week', query: { forum: 'ARF', days: '14' } },
      { name: 'home' },
      { name: 'plans', query: { forum: 'ARF' } },
      { name: 'plan', id: 2 },
      { name: 'review', query: { forum: 'ARF', year: '2026' } },
      { name: 'term', id: 4 },
      { name: 'term-compare', id: 4 },
      { name: 'term-compare', id: 4, lang: 'zh-Hans' },
    ];
    for (const r of cases) expect(parseRoute(href(r))).toEqual(r);
  });

  it('normalises state codes and rejects malformed ids', () => {
    expect(parseRoute('#/states/kaz')).toEqual({ name: 'state', alpha3: 'KAZ' });
    expect(parseRoute('#/contacts/12x')).toEqual({ name: 'not-found', path: '/contacts/12x' });
    expect(parseRoute('#/states/KAZAKH').name).toBe('not-found');
    expect(parseRoute('')).toEqual({ name: 'home' });
    expect(parseRoute('#/?q=cert')).toEqual({ name: 'directory', query: { q: 'cert' } });   // older links
    expect(parseRoute('#/workplan/plans/2x').name).toBe('not-found');
    expect(parseRoute('#/forums/cica')).toEqual({ name: 'forum', code: 'CICA' });
    expect(parseRoute('#/forums/a%2F..').name).toBe('not-found');
    expect(parseRoute('#/invitation/a%20b').name).toBe('not-found');   // not an invitation secret
    expect(parseRoute('#/reconfirmations/cica/3')).toEqual({ name: 'reconfirmation', forum: 'CICA', id: 3 });
    expect(parseRoute('#/reconfirmations/CICA/x').name).toBe('not-found');
    expect(parseRoute('#/library/x').name).toBe('not-found');
    expect(parseRoute('#/glossary/4/compare?lang=%3Cscript%3E')).toEqual({ name: 'term-compare', id: 4 });   // not a language tag
    expect(parseRoute('#/workplan/meetings/7x').name).toBe('not-found');
    expect(parseRoute('#/workplan/states/kaz')).toEqual({ name: 'implementation', alpha3: 'KAZ', query: {} });
    expect(parseRoute('#/workplan/states/..%2F..')).toEqual({ name: 'not-found', path: '/workplan/states/..%2F..' });
  });
});
