// The language switch: a list of the console's languages, each named in itself, that
// changes the console's language at once. Where the choice is kept (the user's
// account, or this browser before sign-in) is the caller's `onChoose`.
import { h } from './dom';
import { languages, locale, t } from './i18n';

export function languageSwitch(onChoose: (tag: string) => void): HTMLElement {
  const select = h('select', { 'data-language-switch': '' },
    languages.map((l) => h('option', { value: l.tag, lang: l.tag, selected: l.tag === locale() }, l.name)));
  select.addEventListener('change', () => onChoose(select.value));
  return h('label', { class: 'language-switch' }, t('lang.label'), ' ', select);
}
