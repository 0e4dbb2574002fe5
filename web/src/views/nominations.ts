// Nominations awaiting a decision: approve, or reject with a reason (secretariat, admin);
// focal points see their own state's pending nominations.
import type { Contact, Page } from '../api';
import { h, replace } from '../dom';
import { t, tKnown } from '../i18n';
import { href } from '../routes';
import type { Ctx } from '../ui';
import { field, input, loading, problemBox } from '../ui';

export function nominationsView(ctx: Ctx): HTMLElement {
  const list = h('section', { 'aria-live': 'polite' }, loading());
  const canDecide = ctx.user.role === 'admin' || ctx.user.role === 'secretariat';
  const load = async () => {
    try {
      const page = await ctx.api.get<Page<Contact>>('/contacts?status=pending&limit=500');
      if (!page.items.length) {
        replace(list, h('p', {}, t('nom.none')));
        return;
      }
      replace(
        list,
        h(
          'ul',
          { class: 'nominations' },
          page.items.map((c) => {
            const reason = field(t('nom.reason', { name: c.name }), input('text', ''), 'note');
            const approve = h('button', { type: 'button', class: 'primary' }, t('nom.approve'));
            const reject = h('button', { type: 'button', class: 'danger' }, t('nom.reject'));
            const out = h('div', { 'aria-live': 'assertive' });
            approve.addEventListener('click', async () => {
              try {
                await ctx.api.post(`/contacts/${c.id}/approve`, {});
                ctx.announce(t('nom.approved', { name: c.name }));
                void load();
              } catch (err) {
                out.replaceChildren(problemBox(err));
              }
            });
            reject.addEventListener('click', async () => {
              try {
                await ctx.api.post(`/contacts/${c.id}/reject`, { note: reason.control.value });
                ctx.announce(t('nom.rejected', { name: c.name }));
                void load();
              } catch (err) {
                reason.setError(err instanceof Error ? err.message : String(err));
              }
            });
            return h(
              'li',
              { class: 'card', 'data-contact-id': c.id },
              h('h2', {}, h('a', { href: href({ name: 'contact', id: c.id }) }, c.name), ` — ${c.state_name} (${c.state})`),
              h('p', {}, [tKnown('type', c.type), c.position, c.nomination_ref].filter(Boolean).join(' · ')),
              h('p', { class: 'muted' }, t('contact.nominatedBy', { who: c.nominated_by ?? '' })),
              canDecide && h('div', { class: 'decide' }, approve, reason.wrapper, reject),
              out,
            );
          }),
        ),
      );
    } catch (err) {
      replace(list, problemBox(err));
    }
  };
  void load();
  return h('main', { id: 'main' }, h('h1', {}, t('nom.title')), list);
}
