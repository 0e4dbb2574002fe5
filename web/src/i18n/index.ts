// Message lookup with {placeholder} interpolation and plural forms. Catalogues are
// registered here; a missing key in a non-English catalogue falls back to English.
//
// A message that shows a count chooses its words by the language's plural rules
// (Intl.PluralRules), in ICU MessageFormat's form:
//   '{count, plural, one {# point of contact} other {# points of contact}}'
//   '{count, plural, one {# контактное лицо} few {# контактных лица} many {# контактных лиц} other {# контактного лица}}'
// '#' is the count, written with the locale's digits and grouping (Intl.NumberFormat);
// '=0 {…}' matches an exact value. Simple {placeholders} may appear inside a form.
import { en } from './en';
import ru from './ru';

export type MessageKey = keyof typeof en;
export type Catalogue = Partial<Record<MessageKey, string>>;

// The console's languages, each named in itself (for the switch).
export const languages: { tag: string; name: string }[] = [
  { tag: 'en', name: 'English' },
  { tag: 'ru', name: 'Русский' },
];

const catalogues: Record<string, Catalogue> = { en, ru: ru as Catalogue };
let current = 'en';
const listeners: ((tag: string) => void)[] = [];

export function registerLocale(tag: string, catalogue: Catalogue): void {
  catalogues[tag] = catalogue;
}

export function hasLocale(tag: string): boolean {
  return tag in catalogues;
}

export function catalogue(tag: string): Catalogue | undefined {
  return catalogues[tag];
}

export function setLocale(tag: string): void {
  current = catalogues[tag] ? tag : 'en';
  if (typeof document !== 'undefined') document.documentElement.lang = current;
  for (const f of listeners) f(current);
}

export function onLocaleChange(f: (tag: string) => void): void {
  listeners.push(f);
}

export function locale(): string {
  return current;
}

// The first of the user's preferred languages (BCP 47 tags, best first) the console
// has a catalogue for, by exact tag or by its primary language ("ru-KZ" -> "ru").
export function pickLocale(preferred: readonly string[]): string {
  for (const tag of preferred) {
    if (!tag) continue;
    if (catalogues[tag]) return tag;
    const primary = tag.toLowerCase().split('-')[0];
    if (catalogues[primary]) return primary;
  }
  return 'en';
}

type Params = Record<string, string | number>;

const pluralRules = new Map<string, Intl.PluralRules>();
function pluralCategory(tag: string, n: number): string {
  let r = pluralRules.get(tag);
  if (!r) pluralRules.set(tag, (r = new Intl.PluralRules(tag)));
  return r.select(n);
}

// Index just past the brace that closes the one opened at `open`, or -1.
function closing(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

// The forms of a plural block: "one {…} few {…} other {…}" -> {one: '…', …}.
export function pluralForms(body: string): Record<string, string> | null {
  const forms: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    const m = /^\s*(=\d+|zero|one|two|few|many|other)\s*\{/.exec(body.slice(i));
    if (!m) return body.slice(i).trim() === '' ? forms : null;
    const open = i + m[0].length - 1;
    const end = closing(body, open);
    if (end < 0) return null;
    forms[m[1]] = body.slice(open + 1, end - 1);
    i = end;
  }
  return forms;
}

function format(template: string, params: Params, tag: string): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) break;
    out += template.slice(i, open);
    const end = closing(template, open);
    if (end < 0) {
      out += template.slice(open);
      return out;
    }
    const inner = template.slice(open + 1, end - 1);
    const plural = /^\s*(\w+)\s*,\s*plural\s*,([\s\S]*)$/.exec(inner);
    if (plural && typeof params[plural[1]] === 'number') {
      const n = params[plural[1]] as number;
      const forms = pluralForms(plural[2]) ?? {};
      const form = forms[`=${n}`] ?? forms[pluralCategory(tag, n)] ?? forms.other ?? '';
      out += format(form, params, tag).replace(/#/g, new Intl.NumberFormat(tag).format(n));
    } else if (/^\w+$/.test(inner) && inner in params) {
      out += String(params[inner]);
    } else {
      out += template.slice(open, end);   // unknown placeholders stay as they are
    }
    i = end;
  }
  return out + template.slice(i);
}

export function t(key: MessageKey, params: Params = {}): string {
  const own = catalogues[current]?.[key];
  const template = own ?? en[key] ?? key;
  return format(template, params, own !== undefined ? current : 'en');
}

// Keys whose suffix comes from data (a role, a type): checked at runtime.
export function tKnown(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in en ? t(key as MessageKey) : value;
}

// The placeholder names a message uses, plural counts included: for the catalogue check.
export function placeholders(template: string): string[] {
  const names = new Set<string>();
  for (let i = template.indexOf('{'); i >= 0; i = template.indexOf('{', i + 1)) {
    const end = closing(template, i);
    if (end < 0) break;
    const inner = template.slice(i + 1, end - 1);
    const plural = /^\s*(\w+)\s*,\s*plural\s*,([\s\S]*)$/.exec(inner);
    if (plural) {
      names.add(plural[1]);
      for (const form of Object.values(pluralForms(plural[2]) ?? {})) for (const n of placeholders(form)) names.add(n);
      i = end - 1;
    } else if (/^\w+$/.test(inner)) names.add(inner);
  }
  return [...names].sort();
}
