// Import points of contact from a spreadsheet saved as CSV: choose the file, map each
// column to a contact field (suggested from its header), preview what every row would
// do with its errors (a dry run on the server), then import (one transaction).
import type { StateSummary } from '../api';
import { h, replace } from '../dom';
import { t, tKnown } from '../i18n';
import { href } from '../routes';
import type { Ctx } from '../ui';
import { field, problemBox, select } from '../ui';

export const importFields = [
  'id', 'state', 'name', 'type', 'agency', 'position', 'languages', 'timezone', 'availability', 'office_hours',
  'email', 'phone', 'fax', 'key_fingerprint', 'nomination_ref', 'valid_from', 'valid_until',
];

interface Column {
  index: number;
  header: string;
  field: string | null;
  suggested: string | null;
}

interface RowResult {
  row: number;
  action: 'create' | 'update' | 'unchanged' | 'error';
  state: string | null;
  name: string | null;
  nomination?: boolean;
  changes?: string[];
  errors: { column: string | null; field: string; reason: string }[];
}

interface ImportReport {
  dry_run: boolean;
  applied: boolean;
  separator: string;
  columns: Column[];
  rows: RowResult[] | number;
  summary?: { rows: number; create: number; update: number; unchanged: number; error: number };
}

export function importView(ctx: Ctx): HTMLElement {
  let csv = '';
  let columns: Column[] = [];
  const file = h('input', { type: 'file', accept: '.csv,text/csv,text/plain' });
  const fileField = field(t('import.file'), file, 'file');
  const separator = field(
    t('import.separator'),
    select([['auto', t('import.sep.auto')], ['comma', t('import.sep.comma')], ['semicolon', t('import.sep.semicolon')], ['tab', t('import.sep.tab')]], 'auto'),
    'separator',
  );
  const mappingBox = h('fieldset', { class: 'import-mapping', hidden: true }, h('legend', {}, t('import.mapping')));
  const selects = new Map<string, HTMLSelectElement>();
  const defaultsBox = h('fieldset', { class: 'import-defaults', hidden: true }, h('legend', {}, t('import.defaults')));
  const defType = select([['', t('import.noDefault')], ['policy', t('type.policy')], ['technical', t('type.technical')], ['law_enforcement', t('type.law_enforcement')]], '');
  const defAvailability = select([['', t('import.noDefault')], ['24/7', tKnown('availability', '24/7')], ['office_hours', tKnown('availability', 'office_hours')]], '');
  const defState = select([['', t('import.noDefault')]], '');
  const preview = h('button', { type: 'button', class: 'primary', disabled: true }, t('import.preview'));
  const run = h('button', { type: 'button', disabled: true }, t('import.run'));
  const out = h('section', { 'aria-live': 'polite', class: 'import-result' });

  defaultsBox.append(field(t('import.defaultType'), defType, 'default-type').wrapper,
    field(t('import.defaultAvailability'), defAvailability, 'default-availability').wrapper);
  if (ctx.user.role !== 'focal_point') {
    defaultsBox.append(field(t('import.defaultState'), defState, 'default-state').wrapper);
    void ctx.api.get<{ items: StateSummary[] }>('/states').then((s) => {
      for (const st of s.items) defState.append(h('option', { value: st.alpha3 }, `${st.name} (${st.alpha3})`));
    }).catch(() => undefined);
  }

  const body = () => {
    const mapping: Record<string, string> = {};
    for (const [header, sel] of selects) if (sel.value) mapping[header] = sel.value;
    const defaults: Record<string, string> = {};
    if (defType.value) defaults.type = defType.value;
    if (defAvailability.value) defaults.availability = defAvailability.value;
    if (defState.value) defaults.state = defState.value;
    return { csv, separator: separator.control.value, mapping, defaults };
  };

  const describe = async () => {
    out.replaceChildren();
    run.disabled = true;
    try {
      const r = await ctx.api.post<ImportReport>('/directory/import?dry_run=true', { csv, separator: separator.control.value });
      columns = r.columns;
      selects.clear();
      const options: [string, string][] = [['', t('import.ignore')], ...importFields.map((f): [string, string] => [f, tKnown('import.field', f)])];
      replace(mappingBox, h('legend', {}, t('import.mapping')),
        h('p', { class: 'muted' }, t('import.described', { rows: Number(r.rows), separator: tKnown('import.sep', r.separator === ';' ? 'semicolon' : r.separator === 'tab' ? 'tab' : 'comma') })),
        columns.map((c) => {
          const sel = select(options, c.suggested ?? '');
          selects.set(c.header, sel);
          return field(t('import.columnLabel', { header: c.header || `#${c.index + 1}` }), sel, `map-${c.index}`).wrapper;
        }));
      mappingBox.hidden = false;
      defaultsBox.hidden = false;
      preview.disabled = false;
    } catch (err) {
      mappingBox.hidden = true;
      defaultsBox.hidden = true;
      preview.disabled = true;
      out.replaceChildren(problemBox(err));
    }
  };

  const showReport = (r: ImportReport) => {
    const rows = Array.isArray(r.rows) ? r.rows : [];
    const s = r.summary ?? { rows: 0, create: 0, update: 0, unchanged: 0, error: 0 };
    replace(
      out,
      h('h2', {}, r.applied ? t('import.done') : t('import.previewTitle')),
      h('p', { 'data-summary': 'true' }, t('import.summary', { rows: s.rows, create: s.create, update: s.update, unchanged: s.unchanged, error: s.error })),
      h('table', { class: 'import-preview' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('import.row')),
          h('th', { scope: 'col' }, t('import.action')),
          h('th', { scope: 'col' }, t('col.state')),
          h('th', { scope: 'col' }, t('col.name')),
          h('th', { scope: 'col' }, t('import.details')))),
        h('tbody', {}, rows.map((row) =>
          h('tr', { 'data-row': row.row, 'data-action': row.action },
            h('th', { scope: 'row' }, String(row.row)),
            h('td', {}, h('span', { class: `badge badge-${row.action}` }, tKnown('import.action', row.action)),
              row.nomination ? [' ', h('span', { class: 'badge badge-pending' }, t('import.nomination'))] : ''),
            h('td', {}, row.state ?? t('common.none')),
            h('td', {}, row.name ?? t('common.none')),
            h('td', {},
              row.errors.length
                ? h('ul', { class: 'plain errors' }, row.errors.map((e) =>
                    h('li', { 'data-error-column': e.column ?? '' }, t('import.error', { column: e.column ?? tKnown('import.field', e.field), reason: e.reason }))))
                : row.changes?.length ? t('import.changes', { fields: row.changes.map((f) => tKnown('import.changed', f)).join(', ') }) : '')))),
      ),
      r.applied ? h('p', {}, h('a', { href: href({ name: 'directory', query: {} }) }, t('import.toDirectory'))) : '',
    );
    run.disabled = r.applied || s.error > 0 || s.create + s.update === 0;
  };

  preview.addEventListener('click', async () => {
    run.disabled = true;
    try {
      showReport(await ctx.api.post<ImportReport>('/directory/import?dry_run=true', body()));
    } catch (err) {
      out.replaceChildren(problemBox(err));
    }
  });
  run.addEventListener('click', async () => {
    run.disabled = true;
    try {
      const r = await ctx.api.post<ImportReport>('/directory/import?dry_run=false', body());
      showReport(r);
      ctx.announce(t('import.done'));
    } catch (err) {
      out.replaceChildren(problemBox(err));
    }
  });
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    if (f.size > 4 * 1024 * 1024) {
      fileField.setError(t('import.tooLarge'));
      return;
    }
    fileField.setError(undefined);
    csv = await f.text();
    await describe();
  });
  separator.control.addEventListener('change', () => {
    if (csv) void describe();
  });

  return h(
    'main',
    { id: 'main' },
    h('p', {}, h('a', { href: href({ name: 'directory', query: {} }) }, `← ${t('dir.title')}`)),
    h('h1', {}, t('import.title')),
    h('p', { class: 'muted' }, ctx.user.role === 'focal_point' ? t('import.introFocal') : t('import.intro')),
    fileField.wrapper,
    separator.wrapper,
    mappingBox,
    defaultsBox,
    h('div', { class: 'actions' }, preview, ' ', run),
    out,
  );
}
