import { afterEach, describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatNumber, formatOfficeHours, formatPercent, formatRelative } from './format';
import { setLocale } from './i18n';

afterEach(() => setLocale('en'));

describe('dates and numbers in the console language', () => {
  it('writes English dates, times and numbers', () => {
    setLocale('en');
    expect(formatDateTime('2026-11-29T09:05:00Z')).toBe('Nov 29, 2026, 09:05 UTC');
    expect(formatDate('2026-03-01')).toBe('Mar 1, 2026');
    expect(formatNumber(1234567.5, 1)).toBe('1,234,567.5');
    expect(formatPercent(0.875)).toBe('88%');
  });

  it('writes Russian dates, times and numbers', () => {
    setLocale('ru');
    // Russian: day before month, genitive month abbreviation, "г.", 24-hour time.
    expect(formatDateTime('2026-11-29T09:05:00Z')).toMatch(/^29 нояб\. 2026 г\., 09:05 UTC$/);
    expect(formatDate('2026-03-01')).toBe('1 мар. 2026 г.');
    // Decimal comma, thousands grouped by a (narrow) no-break space; "%" after a space.
    expect(formatNumber(1234567.5, 1)).toMatch(/^1\s234\s567,5$/u);
    expect(formatPercent(0.875)).toMatch(/^88\s%$/u);
  });

  it('says how far a moment is, in words of the language', () => {
    const now = Date.parse('2026-11-29T09:00:00Z');
    setLocale('en');
    expect(formatRelative('2026-11-29T12:00:00Z', now)).toBe('in 3 hours');
    expect(formatRelative('2026-11-29T08:55:00Z', now)).toBe('5 minutes ago');
    setLocale('ru');
    expect(formatRelative('2026-11-29T12:00:00Z', now)).toBe('через 3 часа');
    expect(formatRelative('2026-11-29T08:55:00Z', now)).toBe('5 минут назад');
    expect(formatRelative('2026-12-01T09:00:00Z', now)).toBe('послезавтра');
  });

  it('shows what it cannot read as it is, and nothing for nothing', () => {
    expect(formatDateTime('not a date')).toBe('not a date');
    expect(formatDateTime(null)).toBe('');
    expect(formatRelative(undefined)).toBe('');
  });

  it('names the days of office hours in the console language', () => {
    setLocale('en');
    expect(formatOfficeHours('Mon-Fri 09:00-17:00; Sat 10:00-12:00')).toBe('Mon-Fri 09:00-17:00; Sat 10:00-12:00');
    setLocale('ru');
    expect(formatOfficeHours('Mon-Fri 09:00-17:00; Sat 10:00-12:00')).toBe('пн-пт 09:00-17:00; сб 10:00-12:00');
    expect(formatOfficeHours('Sun,Tue 08:00-24:00')).toBe('вс,вт 08:00-24:00');
    expect(formatOfficeHours(null)).toBe('');
  });
});
