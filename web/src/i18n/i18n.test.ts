import { describe, expect, it } from 'vitest';
import { en } from './en';
import { registerLocale, setLocale, t, tKnown } from './index';

// Every source file, as text, to find the message keys components use.
const sources = import.meta.glob(['../**/*.ts', '!../**/*.test.ts'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

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
    setLocale('en');
  });

  it('maps data values to labels and leaves unknown values as they are', () => {
    expect(tKnown('type', 'technical')).toBe('Technical');
    expect(tKnown('type', 'mystery')).toBe('mystery');
  });

  it('has a catalogue entry for every key the components use', () => {
    const used = new Set<string>();
    for (const text of Object.values(sources))
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_./]+)'/g)) used.add(m[1]);
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
