// The threat exchange in the console: browse and search what the user's state may read
// (threats and remedies: indicators, vulnerabilities, malware, attack patterns, courses
// of action, incidents, sightings), record a sighting with one click, and report an
// incident as STIX (the incident, one indicator per observed value, and their
// relationships) into a sharing scope under a TLP 2.0 label. The server decides who
// sees what; this view only shows what it is given.
import { queryString } from '../api';
import { h, replace } from '../dom';
import { t, tKnown } from '../i18n';
import { formatDateTime } from '../format';
import { href } from '../routes';
import type { Ctx, Field } from '../ui';
import { defaultForum, field, input, loading, problemBox, select, showFieldErrors } from '../ui';
import { SECTORS, TLP_LABELS } from './hotline';
import { ledgerDetails } from '../ledger/badge';

export interface ExchangeObject {
  id: string;
  type: string;
  name: string;
  tlp: string;
  version: string;
  collection: string;
  date_added: string;
  producer_state: string;
  object: Record<string, unknown>;
}
interface Collection {
  id: string;
  kind: string;
  title: string;
  can_read: boolean;
  can_write: boolean;
}

export const THREAT_TYPES = ['', 'incident', 'indicator', 'vulnerability', 'malware', 'attack-pattern', 'course-of-action', 'sighting'];
const MARKINGS: Record<string, string> = {
  'TLP:CLEAR': 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  'TLP:GREEN': 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  'TLP:AMBER': 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'TLP:AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  'TLP:RED': 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

// The STIX pattern for one observed value, by its form; null when it has none.
export function patternFor(value: string): string | null {
  const v = value.trim();
  const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (!v) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return `[url:value = ${q(v)}]`;
  if (/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(v)) return `[ipv4-addr:value = ${q(v)}]`;
  if (/^[0-9a-f:]+:[0-9a-f:]*(\/\d{1,3})?$/i.test(v) && v.includes(':')) return `[ipv6-addr:value = ${q(v.toLowerCase())}]`;
  if (/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(v)) return `[email-addr:value = ${q(v)}]`;
  const hashes: Record<number, string> = { 32: 'MD5', 40: 'SHA-1', 64: 'SHA-256', 128: 'SHA-512' };
  if (/^[0-9a-f]+$/i.test(v) && hashes[v.length]) return `[file:hashes.'${hashes[v.length]}' = ${q(v.toLowerCase())}]`;
  if (/^([a-z0-9-]+\.)+[a-z]{2,}\.?$/i.test(v)) return `[domain-name:value = ${q(v.toLowerCase().replace(/\.$/, ''))}]`;
  return null;
}

// Objects this browser tab has recorded a sighting of (the list re-renders live).
const sighted = new Set<string>();

const now = () => new Date().toISOString().replace(/(\.\d{3})\d*Z$/, '$1Z');


export function threatsView(ctx: Ctx, query: Record<string, string>): HTMLElement {
  if (!query.forum) {
    const placeholder = h('main', { id: 'main' }, loading());
    void defaultForum(ctx).then((forum) => {
      if (forum) ctx.go({ name: 'threats', query: { ...query, forum } });
      else replace(placeholder, ...Array.from(threatsView(ctx, { ...query, forum: '-' }).childNodes));
    });
    return placeholder;
  }
  const forum = query.forum === '-' ? '' : query.forum;
  const body = h('div', { 'aria-live': 'polite' }, loading());
  const q = field(t('threats.search'), input('search', query.q ?? '', { placeholder: t('threats.searchHint') }), 'q');
  const type = field(t('threats.type'), select(THREAT_TYPES.map((x) => [x, x ? tKnown('stix', x) : t('threats.anyType')]), query.type ?? ''), 'type');
  const forumField = field(t('threats.forum'), input('text', forum, { placeholder: 'CICA', maxlength: '10' }), 'forum');
  const form = h('form', { class: 'filters', role: 'search' }, forumField.wrapper, q.wrapper, type.wrapper,
    h('button', { type: 'submit' }, t('threats.searchButton')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (forumField.control.value.trim()) next.forum = forumField.control.value.trim().toUpperCase();
    if (q.control.value.trim()) next.q = q.control.value.trim();
    if (type.control.value) next.type = type.control.value;
    ctx.go({ name: 'threats', query: next });
  });
  const load = async () => {
    if (!forum) {
      replace(body, h('p', {}, t('threats.chooseForum')));
      return;
    }
    try {
      // "Any kind" means the threats and remedies listed, not the relationships between them.
      const types = query.type || THREAT_TYPES.filter(Boolean).join(',');
      const page = await ctx.api.get<{ objects: ExchangeObject[] }>(`/exchange/objects${queryString({ forum, q: query.q, type: types, limit: 200 })}`);
      if (!page.objects.length) {
        replace(body, h('p', { class: 'empty' }, t('threats.none')));
        return;
      }
      const rows = page.objects.map((o) => {
        const seen = h('button', { type: 'button', class: 'small' }, t(sighted.has(o.id) ? 'threats.sightingRecorded' : 'threats.seenHere'));
        seen.disabled = sighted.has(o.id);
        seen.addEventListener('click', async () => {
          seen.disabled = true;
          const sighting = {
            type: 'sighting', spec_version: '2.1', id: `sighting--${crypto.randomUUID()}`, created: now(), modified: now(),
            sighting_of_ref: o.id, count: 1, first_seen: now(), last_seen: now(),
            description: t('threats.sightingBy', { who: ctx.user.state ?? ctx.user.username }),
            object_marking_refs: [MARKINGS[o.tlp === 'TLP:CLEAR' ? 'TLP:GREEN' : o.tlp]],
          };
          // Marked before the answer: the sighting's own live event may re-render the list
          // while the request is under way, and the new row must not offer it again.
          sighted.add(o.id);
          try {
            await ctx.api.post(`/exchange/objects${queryString({ forum, collection: o.collection })}`, { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: [sighting] });
            seen.textContent = t('threats.sightingRecorded');
            ctx.announce(t('threats.sightingRecorded'));
          } catch (err) {
            sighted.delete(o.id);
            if (!seen.isConnected) {
              // Re-rendered meanwhile: show the rows as they are, the error above them.
              void load().then(() => body.prepend(problemBox(err)));
              return;
            }
            seen.disabled = false;
            seen.after(problemBox(err));
          }
        });
        const details = h('details', {}, h('summary', {}, t('threats.stix')), h('pre', { class: 'stix' }, JSON.stringify(o.object, null, 2)));
        // What an analyst reads first: the description, else an indicator's pattern.
        const desc = typeof o.object.description === 'string' ? o.object.description
          : typeof o.object.pattern === 'string' && o.object.pattern !== o.name ? o.object.pattern : '';
        return h('tr', { 'data-stix-id': o.id },
          h('td', {}, tKnown('stix', o.type)),
          h('td', {}, h('strong', {}, o.name || o.id), desc ? h('div', { class: 'small' }, desc) : '', details,
            // Its ledger entries (the versions added), verified when opened.
            ledgerDetails(ctx.api, `stix:${o.id}`)),
          h('td', {}, h('span', { class: `tlp tlp-${o.tlp.slice(4).toLowerCase().replace('+', '-')}` }, o.tlp)),
          h('td', {}, o.producer_state || t('common.none')),
          h('td', { class: 'small' }, formatDateTime(o.date_added)),
          h('td', {}, o.type === 'sighting' || (ctx.user.state && o.producer_state === ctx.user.state) ? '' : seen,
            o.type === 'incident' && ctx.user.role !== 'observer'
              ? h('a', { class: 'button small', href: href({ name: 'compose', query: { stix_ref: o.id } }) }, t('threats.sendOnHotline')) : ''));
      });
      replace(body, h('table', { class: 'contacts threats' },
        h('thead', {}, h('tr', {}, ...(['threats.col.type', 'threats.col.name', 'threats.col.tlp', 'threats.col.from', 'threats.col.added', 'threats.col.sighting'] as const).map((k) => h('th', {}, t(k))))),
        h('tbody', {}, rows)));
    } catch (err) {
      replace(body, problemBox(err));
    }
  };
  void load();
  const view = h('main', { id: 'main' }, h('h1', {}, t('threats.title')),
    h('p', {}, h('a', { class: 'button primary', href: href({ name: 'incident-new' }) }, t('threats.report'))),
    form, body) as HTMLElement & { refresh?: () => void };
  view.refresh = () => void load();
  return view;
}

export function incidentView(ctx: Ctx): HTMLElement {
  const fields: Record<string, Field> = {
    forum: field(t('threats.forum'), input('text', ctx.user.forum ?? '', { placeholder: 'CICA', maxlength: '10' }), 'forum'),
    collection: field(t('threats.scope'), select([['', t('threats.forumWide')]], ''), 'collection'),
    name: field(t('threats.incidentName'), input('text', '', { maxlength: '300' }), 'name'),
    description: field(t('hotline.description'), h('textarea', { rows: 5 }), 'description'),
    sector: field(t('hotline.sector'), select(SECTORS.map((x) => [x, x ? tKnown('sector', x) : t('common.none')]), ''), 'sector'),
    tlp: field(t('hotline.tlp'), select(TLP_LABELS.map((x) => [x, x]), 'TLP:AMBER'), 'tlp'),
    indicators: field(t('threats.indicators'), h('textarea', { rows: 5, placeholder: '198.51.100.7\nc2.example.net\nhttps://…' }), 'indicators'),
  };
  const loadScopes = async () => {
    if (!fields.forum.control.value) fields.forum.control.value = await defaultForum(ctx);
    const forum = fields.forum.control.value.trim().toUpperCase();
    if (!forum) return;
    try {
      const r = await ctx.api.get<{ collections: Collection[] }>(`/exchange/collections${queryString({ forum })}`);
      // The forum-wide collection's title is the server's (English); the console names it.
      replace(fields.collection.control, r.collections.filter((c) => c.can_write).map((c) =>
        h('option', { value: c.id }, c.kind === 'forum' ? `${forum} — ${t('threats.forumWide')}` : c.title)));
    } catch {
      /* an unknown forum is reported on submit */
    }
  };
  fields.forum.control.addEventListener('change', () => void loadScopes());
  void loadScopes();
  const out = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('threats.submit'));
  const form = h('form', { class: 'contact-form', novalidate: true }, Object.values(fields).map((f) => f.wrapper), submit, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = (k: string) => fields[k].control.value.trim();
    for (const f of Object.values(fields)) f.setError(undefined);
    const values = v('indicators').split(/\s+/).filter(Boolean);
    const bad = values.filter((x) => !patternFor(x));
    if (!v('name')) fields.name.setError(t('threats.needName'));
    if (bad.length) fields.indicators.setError(t('threats.badValues', { values: bad.join(', ') }));
    if (!v('name') || bad.length) return;
    const marking = [MARKINGS[v('tlp')]];
    const ts = now();
    const incident: Record<string, unknown> = {
      type: 'incident', spec_version: '2.1', id: `incident--${crypto.randomUUID()}`, created: ts, modified: ts,
      name: v('name'), object_marking_refs: marking,
    };
    if (v('description')) incident.description = v('description');
    if (v('sector')) incident.x_parley_sector = v('sector');
    const objects: Record<string, unknown>[] = [incident];
    for (const value of values) {
      const ind = { type: 'indicator', spec_version: '2.1', id: `indicator--${crypto.randomUUID()}`, created: ts, modified: ts,
        name: value, pattern: patternFor(value), pattern_type: 'stix', valid_from: ts, object_marking_refs: marking };
      objects.push(ind, { type: 'relationship', spec_version: '2.1', id: `relationship--${crypto.randomUUID()}`, created: ts, modified: ts,
        relationship_type: 'related-to', source_ref: ind.id, target_ref: incident.id, object_marking_refs: marking });
    }
    submit.disabled = true;
    try {
      await ctx.api.post(`/exchange/objects${queryString({ forum: v('forum').toUpperCase(), collection: v('collection') || undefined })}`,
        { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects });
      ctx.announce(t('threats.reported'));
      ctx.go({ name: 'threats', query: { forum: v('forum').toUpperCase(), q: v('name') } });
    } catch (err) {
      out.replaceChildren();
      if (!showFieldErrors(fields, err)) out.append(problemBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return h('main', { id: 'main' }, h('h1', {}, t('threats.reportTitle')), h('p', { class: 'small' }, t('threats.reportHint')), form);
}
