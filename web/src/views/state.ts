// A state's page: its forums, national agencies and points of contact.
import type { StateDetail } from '../api';
import { h, replace } from '../dom';
import { t, tKnown } from '../i18n';
import { href } from '../routes';
import type { Ctx } from '../ui';
import { loading, problemBox } from '../ui';
import { contactTable } from './directory';

export function stateView(ctx: Ctx, alpha3: string): HTMLElement {
  const main = h('main', { id: 'main', 'aria-busy': 'true' }, loading());
  void (async () => {
    try {
      const s = await ctx.api.get<StateDetail>(`/states/${alpha3}`);
      document.title = `${s.name} — Parley`;
      replace(
        main,
        h('h1', {}, `${s.name} `, h('span', { class: 'muted' }, `(${s.alpha3})`)),
        h('p', {}, t('state.memberOf', { forums: s.forums.join(', ') || t('common.none') })),
        h('h2', {}, t('state.agencies')),
        h(
          'ul',
          { class: 'agencies' },
          s.agencies.map((a) => h('li', {}, h('strong', {}, a.name), ` — ${tKnown('agency', a.kind)}`)),
        ),
        h(
          'div',
          { class: 'section-head' },
          h('h2', {}, t('state.contacts')),
          s.can_manage &&
            h('a', { class: 'button primary', href: href({ name: 'contact-new', state: s.alpha3 }) }, t('state.addContact')),
        ),
        s.contacts.length ? contactTable(s.contacts, t('state.contacts'), false) : h('p', {}, t('state.noContacts')),
      );
    } catch (err) {
      replace(main, problemBox(err));
    } finally {
      main.setAttribute('aria-busy', 'false');
    }
  })();
  return main;
}
