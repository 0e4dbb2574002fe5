// Dates, times, numbers and durations in the console's language (Intl): the one place
// where the console turns a timestamp or a number into text. Times are shown in UTC,
// named as such, since hotline deadlines are read across time zones.
import { locale } from './i18n';

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  const k = `${locale()}|${key}`;
  let f = cache.get(k) as T | undefined;
  if (!f) cache.set(k, (f = make()));
  return f;
}

function parse(iso: string): Date | null {
  // "2026-11-29T09:50:00Z", with or without seconds or fractions; a date alone is a UTC day.
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

// "29 Nov 2026, 09:50 UTC" / "29 нояб. 2026 г., 09:50 UTC". Unparseable input is shown as it is.
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = parse(iso);
  if (!d) return iso;
  return cached('dt', () => new Intl.DateTimeFormat(locale(), {
    dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC', hourCycle: 'h23',
  })).format(d) + ' UTC';
}

// A calendar date (YYYY-MM-DD, as validity dates are kept): "29 Nov 2026" / "29 нояб. 2026 г.".
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = parse(iso);
  if (!d) return iso;
  return cached('d', () => new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' })).format(d);
}

export function formatNumber(n: number, fractionDigits?: number): string {
  return cached(`n${fractionDigits ?? ''}`, () => new Intl.NumberFormat(locale(), fractionDigits === undefined ? {} :
    { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits })).format(n);
}

// A share from 0 to 1: "87%" / "87 %".
export function formatPercent(share: number): string {
  return cached('p', () => new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 })).format(share);
}

// How far a moment is from now: "in 3 hours", "5 minutes ago" / "через 3 часа", "5 минут назад".
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '';
  const d = parse(iso);
  if (!d) return '';
  const seconds = (d.getTime() - now) / 1000;
  const abs = Math.abs(seconds);
  const rtf = cached('r', () => new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' }));
  if (abs < 60) return rtf.format(Math.round(seconds), 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

// Office hours as the directory keeps them ("Mon-Fri 09:00-17:00; Sat 10:00-12:00", the
// days as English abbreviations) with the days named in the console's language
// ("пн-пт 09:00-17:00; сб 10:00-12:00"); the hours are left as they are.
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
export function formatOfficeHours(text: string | null | undefined): string {
  if (!text) return '';
  const day = cached('wd', () => new Intl.DateTimeFormat(locale(), { weekday: 'short', timeZone: 'UTC' }));
  // 2024-01-01 was a Monday.
  return text.replace(/\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b/g, (d) => day.format(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(d))));
}

// A language tag named in the console's language ("ru" -> "Russian" / "русский"); the tag
// itself when the browser does not know it.
export function formatLanguage(tag: string): string {
  try {
    const names = new Intl.DisplayNames([locale()], { type: 'language' });
    return names.of(tag) ?? tag;
  } catch {
    return tag;
  }
}
