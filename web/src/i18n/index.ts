// Message lookup with {placeholder} interpolation. Catalogues are registered here;
// a missing key in a non-English catalogue falls back to English.
import { en } from './en';

export type MessageKey = keyof typeof en;
export type Catalogue = Partial<Record<MessageKey, string>>;

const catalogues: Record<string, Catalogue> = { en };
let current = 'en';

export function registerLocale(tag: string, catalogue: Catalogue): void {
  catalogues[tag] = catalogue;
}

export function setLocale(tag: string): void {
  current = catalogues[tag] ? tag : 'en';
  if (typeof document !== 'undefined') document.documentElement.lang = current;
}

export function locale(): string {
  return current;
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogues[current]?.[key] ?? en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

// Keys whose suffix comes from data (a role, a type): checked at runtime.
export function tKnown(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in en ? t(key as MessageKey) : value;
}
