import { afterEach, describe, expect, it } from 'vitest';
import { en } from './en';
import { catalogue, languages, pickLocale, placeholders, pluralForms, registerLocale, setLocale, t, tKnown } from './index';
import { sources as ruFiles } from './ru';
import serverLanguages from '../../../src/auth/languages.h?raw';

// Every source file, as text, to find the message keys components use.
const sources = import.meta.glob(['../**/*.ts', '!../**/*.test.ts'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

// Values a translation may leave as in English: names and codes that are the same in
// every language (the product's name, standards, TLP labels, formats, abbreviations).
const SAME_IN_EVERY_LANGUAGE = new Set([
  'Parley', '—', 'TLP', 'STIX', 'TAXII', 'HTML', 'Markdown', 'Akoma Ntoso', 'CSV', 'PNG', 'SVG', '24/7', 'TBX-Basic',
  'TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED',
]);

afterEach(() => setLocale('en'));

describe('i18n', () => {
  it('interpolates parameters and keeps unknown placeholders', () => {
    expect(t('dir.results', { count: 3 })).toBe('3 points of contact');
    expect(t('contact.decidedBy', { who: 'x' })).toBe('Decided by x on {when}');
  });

  it('falls back to English for keys a catalogue lacks', () => {
    registerLocale('xx', { 'nav.directory': 'Справочник' });
    setLocale('xx');
    expect(t('nav.directory')).toBe('Справочник');
    expect(t('nav.profile')).toBe('My profile');
  });

  it('maps data values to labels and leaves unknown values as they are', () => {
    expect(tKnown('type', 'technical')).toBe('Technical');
    expect(tKnown('type', 'mystery')).toBe('mystery');
  });

  it('has a catalogue entry for every key the components use', () => {
    const used = new Set<string>();
    for (const text of Object.values(sources))
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_./-]+)'/g)) used.add(m[1]);
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((k) => !(k in en));
    expect(missing).toEqual([]);
  });

  it('keeps user-visible strings out of the components', () => {
    // Views build text with t(); a bare English sentence passed to h() is a missed string.
    const offenders: string[] = [];
    for (const [file, text] of Object.entries(sources)) {
      if (!file.includes('/views/')) continue;
      for (const m of text.matchAll(/h\('(?:p|h1|h2|button|label|span|strong)',\s*\{[^}]*\},\s*'([A-Z][a-z]+ [a-z]+[^']*)'/g))
        offenders.push(`${file}: ${m[1]}`);
    }
    expect(offenders).toEqual([]);
  });
});

describe('every catalogue', () => {
  for (const { tag } of languages.filter((l) => l.tag !== 'en')) {
    describe(tag, () => {
      const cat = catalogue(tag) as Record<string, string>;
      const categories = new Intl.PluralRules(tag).resolvedOptions().pluralCategories;

      it('has every English key, and no key English lacks', () => {
        expect(Object.keys(en).filter((k) => !(k in cat))).toEqual([]);
        expect(Object.keys(cat).filter((k) => !(k in en))).toEqual([]);
      });

      it('has no empty value and keeps the same placeholders', () => {
        const wrong: string[] = [];
        for (const [k, v] of Object.entries(en)) {
          const mine = cat[k] ?? '';
          if (!mine.trim()) wrong.push(`${k}: empty`);
          else if (placeholders(mine).join() !== placeholders(v).join())
            wrong.push(`${k}: {${placeholders(mine)}} instead of {${placeholders(v)}}`);
        }
        expect(wrong).toEqual([]);
      });

      it(`gives every form ${tag} needs (${categories.join(', ')}) wherever English counts`, () => {
        const wrong: string[] = [];
        for (const [k, v] of Object.entries(en)) {
          if (!/,\s*plural\s*,/.test(v)) continue;
          for (const m of (cat[k] ?? '').matchAll(/\{\s*\w+\s*,\s*plural\s*,/g)) {
            // The block from "{name, plural," to its closing brace.
            let depth = 0, end = m.index!;
            for (; end < cat[k].length; end++) {
              if (cat[k][end] === '{') depth++;
              else if (cat[k][end] === '}' && --depth === 0) break;
            }
            const forms = pluralForms(cat[k].slice(m.index! + m[0].length, end)) ?? {};
            const lacking = categories.filter((c) => !(c in forms) && !(c === 'other' && Object.keys(forms).length === 0));
            if (lacking.length) wrong.push(`${k}: lacks ${lacking.join(', ')}`);
          }
          if (!/,\s*plural\s*,/.test(cat[k] ?? '')) wrong.push(`${k}: no plural forms`);
        }
        expect(wrong).toEqual([]);
      });

      it('leaves nothing in English but names and codes', () => {
        const english = Object.entries(en)
          // A value with no words of its own (only placeholders and punctuation) is the
          // same in every language.
          .filter(([k, v]) => cat[k] === v && !SAME_IN_EVERY_LANGUAGE.has(v) && /\p{L}/u.test(v.replace(/\{[^}]*\}/g, '')))
          .map(([k]) => k);
        expect(english).toEqual([]);
      });
    });
  }

  it('merges the Russian files without two giving the same key', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [file, entries] of Object.entries(ruFiles))
      for (const k of Object.keys(entries)) {
        if (seen.has(k)) twice.push(`${k}: ${seen.get(k)} and ${file}`);
        seen.set(k, file);
      }
    expect(Object.keys(ruFiles)).toContain('./core.ts');
    expect(twice).toEqual([]);
  });
});

describe('plurals', () => {
  it('chooses English forms by count', () => {
    expect(t('dir.results', { count: 1 })).toBe('1 point of contact');
    expect(t('dir.results', { count: 0 })).toBe('0 points of contact');
    expect(t('dir.results', { count: 1234 })).toBe('1,234 points of contact');
    expect(t('neg.openBrackets', { n: 1 })).toBe('1 open bracket');
  });

  it('chooses the Russian one, few and many forms', () => {
    setLocale('ru');
    expect(t('dir.results', { count: 1 })).toBe('1 контактное лицо');
    expect(t('dir.results', { count: 3 })).toBe('3 контактных лица');
    expect(t('dir.results', { count: 5 })).toBe('5 контактных лиц');
    expect(t('dir.results', { count: 11 })).toBe('11 контактных лиц');
    expect(t('dir.results', { count: 21 })).toBe('21 контактное лицо');
    expect(t('dir.results', { count: 22 })).toBe('22 контактных лица');
    expect(t('dir.members', { count: 27 })).toBe('27 участников');
    expect(t('hotline.counts', { unread: 2, unacknowledged: 1 })).toBe('2 непрочитанных · 1 ожидает подтверждения');
    // Russian groups thousands with a (narrow) no-break space.
    expect(t('dir.results', { count: 1000 })).toMatch(/^1\s000 контактных лиц$/u);
  });

  it('uses an exact form and falls back to other', () => {
    registerLocale('xx', { 'dir.results': '{count, plural, =0 {none} other {# found: {count}}}' } as never);
    setLocale('xx');
    expect(t('dir.results', { count: 0 })).toBe('none');
    expect(t('dir.results', { count: 7 })).toBe('7 found: 7');
  });

  it('reads the placeholders of plural messages', () => {
    expect(placeholders(en['hotline.counts'])).toEqual(['unacknowledged', 'unread']);
    expect(placeholders('{a} and {n, plural, one {# of {b}} other {#}}')).toEqual(['a', 'b', 'n']);
  });
});

describe('choosing a language', () => {
  it('takes the first preferred language the console has, by primary subtag', () => {
    expect(pickLocale(['ru-KZ', 'en-GB'])).toBe('ru');
    expect(pickLocale(['kk', 'ru'])).toBe('ru');
    expect(pickLocale(['de-AT', 'fr'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });

  it('offers the languages the server accepts for an account, and no other', () => {
    const declared = /kConsoleLanguages = \{([^}]*)\}/.exec(serverLanguages)?.[1] ?? '';
    const server = [...declared.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    expect(languages.map((l) => l.tag).sort()).toEqual(server.sort());
  });

  it('names every language in itself', () => {
    expect(languages.find((l) => l.tag === 'ru')?.name).toBe('Русский');
  });
});
