// A forum's witnesses of the ledger (C2SP tlog-witness servers run by member states):
// each with its status (what it last cosigned, errors, refusals, which are alarms), and
// for the forum's secretariat and admins a form to add one (URL + verifier key) and a
// button to remove one. Without a forum (the nav's link), the user's own forum, or for
// an admin the list of forums to choose from.
import { h, replace } from '../dom';
import { formatDateTime, formatNumber } from '../format';
import { t, tKnown } from '../i18n';
import { href } from '../routes';
import type { Ctx } from '../ui';
import { defaultForum, field, input, loading, problemBox, showFieldErrors } from '../ui';

export interface Witness {
  id: number;
  forum: string;
  name: string;
  url: string;
  vkey: string;
  added_at: string;
  added_by: string;
  cosigned_size: number;
  last_cosigned_at: string | null;
  last_attempt_at: string | null;
  last_error: string | null;
  refused_at: string | null;
  refusal: string | null;
}

// The status line of one witness: refused (an alarm), unreachable, cosigned, or waiting.
export function witnessStatus(w: Witness): { kind: 'refused' | 'down' | 'ok' | 'waiting'; text: string } {
  if (w.refused_at) return { kind: 'refused', text: t('wit.refused', { at: formatDateTime(w.refused_at), reason: w.refusal ?? '' }) };
  if (w.last_error) return { kind: 'down', text: t('wit.down', { error: w.last_error }) };
  if (w.last_cosigned_at)
    return { kind: 'ok', text: t('wit.cosigned', { size: formatNumber(w.cosigned_size), at: formatDateTime(w.last_cosigned_at) }) };
  return { kind: 'waiting', text: t('wit.waiting') };
}

function addForm(ctx: Ctx, forum: string, done: () => void): HTMLElement {
  const url = field(t('wit.url'), input('url', '', { placeholder: 'https://cert.example.org/witness', required: true }), 'url');
  const vkey = field(t('wit.vkey'), input('text', '', { required: true, spellcheck: false }), 'vkey');
  const out = h('div', { 'aria-live': 'assertive' });
  const form = h('form', { class: 'witness-add' }, url.wrapper, vkey.wrapper,
    h('button', { type: 'submit', class: 'primary' }, t('wit.add')), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    try {
      const w = await ctx.api.post<Witness>(`/forums/${encodeURIComponent(forum)}/witnesses`, {
        url: url.control.value.trim(),
        vkey: vkey.control.value.trim(),
      });
      ctx.announce(t('wit.added', { name: w.name }));
      done();
    } catch (err) {
      if (!showFieldErrors({ url, vkey }, err)) out.replaceChildren(problemBox(err));
    }
  });
  return form;
}

function forumWitnesses(ctx: Ctx, forum: string): HTMLElement {
  const main = h('main', { id: 'main', 'aria-busy': 'true' }, loading());
  const manage = ctx.user.role === 'admin' || (ctx.user.role === 'secretariat' && ctx.user.forum === forum);
  const load = async () => {
    try {
      const r = await ctx.api.get<{ forum: string; witnesses: Witness[] }>(`/forums/${encodeURIComponent(forum)}/witnesses`);
      document.title = `${t('wit.title', { forum })} — Parley`;
      const alarms = r.witnesses.filter((w) => w.refused_at);
      replace(
        main,
        h('h1', {}, t('wit.title', { forum })),
        h('p', {}, t('wit.intro'), ' ', h('a', { href: href({ name: 'forum', code: forum }) }, t('wit.backToForum'))),
        alarms.length > 0 &&
          h('div', { class: 'problem', role: 'alert' }, h('strong', {}, t('wit.alarmTitle', { count: alarms.length })),
            h('p', {}, t('wit.alarmExplain'))),
        r.witnesses.length
          ? h('table', { class: 'witnesses' },
              h('thead', {}, h('tr', {}, h('th', {}, t('wit.name')), h('th', {}, t('wit.url')), h('th', {}, t('wit.status')),
                manage && h('th', {}, h('span', { class: 'visually-hidden' }, t('wit.actions'))))),
              h('tbody', {}, r.witnesses.map((w) => {
                const s = witnessStatus(w);
                const remove = manage && h('button', { type: 'button', class: 'danger' }, t('wit.remove'));
                if (remove)
                  remove.addEventListener('click', async () => {
                    if (!window.confirm(t('wit.confirmRemove', { name: w.name }))) return;
                    try {
                      await ctx.api.delete(`/forums/${encodeURIComponent(forum)}/witnesses/${w.id}`);
                      ctx.announce(t('wit.removed', { name: w.name }));
                      void load();
                    } catch (err) {
                      remove.after(problemBox(err));
                    }
                  });
                return h('tr', { 'data-witness-id': w.id, class: `witness-${s.kind}` },
                  h('td', {}, h('strong', {}, w.name), h('br'), h('code', { class: 'muted' }, w.vkey)),
                  h('td', {}, w.url),
                  h('td', {}, h('span', { class: `badge badge-witness-${s.kind}` }, tKnown('wit.kind', s.kind)), ' ', s.text),
                  manage && h('td', {}, remove));
              })))
          : h('p', {}, t('wit.none')),
        manage && h('h2', {}, t('wit.addTitle')),
        manage && h('p', { class: 'muted' }, t('wit.addHelp')),
        manage && addForm(ctx, forum, () => void load()),
      );
    } catch (err) {
      replace(main, problemBox(err));
    } finally {
      main.setAttribute('aria-busy', 'false');
    }
  };
  void load();
  return main;
}

export function witnessesView(ctx: Ctx, forum?: string): HTMLElement {
  if (forum) return forumWitnesses(ctx, forum);
  const main = h('main', { id: 'main', 'aria-busy': 'true' }, loading());
  void (async () => {
    const own = ctx.user.role === 'admin' ? '' : await defaultForum(ctx);
    if (own) {
      ctx.go({ name: 'witnesses', forum: own });
      return;
    }
    try {
      const forums = await ctx.api.get<{ items: { code: string; name: string }[] }>('/forums');
      replace(main, h('h1', {}, t('wit.chooseForum')),
        forums.items.length
          ? h('ul', {}, forums.items.map((f) => h('li', {}, h('a', { href: href({ name: 'witnesses', forum: f.code }) }, `${f.name} (${f.code})`))))
          : h('p', {}, t('forums.none')));
    } catch (err) {
      replace(main, problemBox(err));
    } finally {
      main.setAttribute('aria-busy', 'false');
    }
  })();
  return main;
}
