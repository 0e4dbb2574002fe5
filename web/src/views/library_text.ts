// Pure helpers of the library and glossary screens: the search box's query language
// (quick filters add or replace `state:`/`kind:` terms in the text the user typed),
// highlighted snippets and compared definitions as elements built from the server's parts
// (text nodes and <mark>s, never parsed as HTML), equivalents typed one per line, and file
// sizes. No state; the DOM is touched only through dom.ts's h().
import { h } from '../dom';
import type { Child } from '../dom';
import { formatNumber } from '../format';

// The query language's filters (the server refuses any other `name:` as a filter).
export const FILTER_KEYS = ['state', 'kind', 'tag', 'lang', 'year', 'forum'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

// The query cut into terms as the server reads them: a "phrase", a filter whose value may
// be quoted (state:"KAZ"), or a run of non-space characters. Unbalanced quotes run to the end.
export function queryTerms(q: string): string[] {
  const terms: string[] = [];
  const re = /-?[A-Za-z]+:"[^"]*"?|-?"[^"]*"?|\S+/g;
  for (const m of q.matchAll(re)) terms.push(m[0]);
  return terms;
}

function filterOf(term: string): { key: string; value: string } | null {
  const m = /^([A-Za-z]+):(.*)$/.exec(term);
  if (!m || !(FILTER_KEYS as readonly string[]).includes(m[1].toLowerCase())) return null;
  return { key: m[1].toLowerCase(), value: m[2].replace(/^"|"$/g, '') };
}

// The values a filter has in the query ("state:kaz state:UZB" -> ['kaz', 'UZB']).
export function filterValues(q: string, key: FilterKey): string[] {
  return queryTerms(q).map(filterOf).filter((f): f is { key: string; value: string } => !!f && f.key === key).map((f) => f.value);
}

// The query with `key:` set to one value (or taken out when value is empty); the rest of
// what the user typed is kept as typed, and the filter goes at the end.
export function withFilter(q: string, key: FilterKey, value: string): string {
  const kept = queryTerms(q).filter((term) => filterOf(term)?.key !== key);
  const v = value.trim();
  if (v) kept.push(/[\s"]/.test(v) ? `${key}:"${v.replace(/"/g, '')}"` : `${key}:${v}`);
  return kept.join(' ');
}

export interface SnippetPart {
  text: string;
  hit: boolean;
}

// A snippet's parts as nodes: text as text, the matched words in <mark>. Empty parts are
// dropped; a part that is not an object with a string (a server sending something else)
// is skipped rather than shown as "[object Object]".
export function markedText(parts: readonly SnippetPart[] | undefined, markClass = 'hit', flag: 'hit' | 'distinct' = 'hit'): Child[] {
  const out: Child[] = [];
  for (const p of parts ?? []) {
    if (!p || typeof p.text !== 'string' || !p.text) continue;
    const marked = !!(p as unknown as Record<string, unknown>)[flag];
    out.push(marked ? h('mark', { class: markClass }, p.text) : p.text);
  }
  return out;
}

// A compared definition's parts: `distinct` ones (words no other definition has) marked.
export function distinctText(parts: readonly { text: string; distinct: boolean }[] | undefined): Child[] {
  return markedText(parts as unknown as SnippetPart[], 'distinct', 'distinct');
}

// "ru: критическая инфраструктура" lines -> equivalents; the lines that are not so, by number.
export function parseEquivalents(text: string): { equivalents: { lang: string; text: string }[]; bad: number[] } {
  const equivalents: { lang: string; text: string }[] = [];
  const bad: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const m = /^\s*([a-zA-Z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\s*[:=]\s*(\S.*?)\s*$/.exec(line);
    if (m) equivalents.push({ lang: m[1].replace(/^[A-Za-z]+/, (x) => x.toLowerCase()), text: m[2] });
    else bad.push(i + 1);
  });
  return { equivalents, bad };
}

// A language tag as the server takes it (en, ru, zh-Hans): the language in lower case.
export function isLanguageTag(tag: string): boolean {
  return /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag);
}

// Tags typed with spaces or commas -> the list; each is one word (norm-13, cbm-3).
export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean))];
}

// Alpha-3 codes typed with spaces or commas, in upper case.
export function parseStates(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((x) => x.trim().toUpperCase()).filter(Boolean))];
}

// 1536 -> "1.5 KB" (decimal units, as file managers show them); the unit words are symbols.
export function fileSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1000) return `${formatNumber(bytes)} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${formatNumber(Math.round(v * 10) / 10)} ${units[i]}`;
}

// How far an upload is, 0..100, from XMLHttpRequest's progress event.
export function percent(loaded: number, total: number): number {
  if (!total || total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((loaded / total) * 100)));
}
