// The check that a console page in Russian shows no English: used by the browser tests
// that walk screens in Russian (tests/e2e/russian.test.mjs, forum_setup.test.mjs).
//
// englishOnScreen(page, { words, strings, everywhere }) returns what it found (empty when
// the page is clean):
//  - chrome elements (CHROME) hold no Latin word of 3+ letters but codes and names
//    (ALLOWED, alpha-3 and forum codes, time-zone identifiers, addresses) and the data
//    given in `words` (names of people, agencies and documents: data is not translated);
//    with `everywhere`, every visible text of the page is held to that rule, not only
//    chrome (for pages whose data the test typed itself, so that it knows all of it);
//  - the page's whole text holds no phrase of the English catalogue (web/src/i18n/en.ts),
//    wherever it is, once the data in `strings` is taken out; attributes people hear
//    (aria-label, placeholder, title) likewise;
//  - <html lang> is "ru".
// Text marked as in another language (lang="en" on a document, a language's own name in
// the language switch), text typed into fields, <code> and mailto:/tel: links are not
// the console's words and are left out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE } from './harness.mjs';

// Elements that are the console's own words.
export const CHROME = '.skip-link, header nav a, header .who, button, label, th, dt, legend, h2, .tabs a, .badge, .sev, .countdown, .muted.small, option, .live-state';

// Latin words that are the same in Russian documents: names of standards, formats, the product,
// codes given as examples, the negotiation notation's alternative labels ("Alt 2").
export const ALLOWED = new Set(['Parley', 'TLP', 'CLEAR', 'GREEN', 'AMBER', 'STRICT', 'RED', 'STIX', 'TAXII', 'CSV', 'HTML',
  'Markdown', 'Akoma', 'Ntoso', 'OpenPGP', 'BCP', 'CERT', 'CSIRT', 'TOTP', 'API', 'UTC', 'SHA', 'URL',
  'alpha', 'Asia', 'Almaty', 'PDF', 'ICT', 'ad', 'referendum', 'vCard', 'ASEAN', 'Alt']);

// English phrases of the catalogue: fragments between placeholders, of two words or more.
const enSource = readFileSync(join(SOURCE, 'web/src/i18n/en.ts'), 'utf8');
export const PHRASES = [...enSource.matchAll(/^\s*'[^']+':\s*(['"])(.*)\1,\s*$/gm)]
  .map((m) => m[2].replace(/\\n/g, '\n'))
  .flatMap((v) => v.split(/\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|#/))
  .map((s) => s.trim().replace(/[.:;,…]+$/, ''))
  .filter((s) => /^[A-Za-z][A-Za-z' -]*[a-z]$/.test(s) && s.split(' ').length >= 2 && s.length >= 8)
  .filter((s) => !s.split(' ').every((w) => ALLOWED.has(w)));

// Adds a value's strings and their Latin words to `data` ({ words, strings }).
export function addData(data, ...values) {
  for (const v of values.flat()) {
    if (typeof v !== 'string' || !v) continue;
    data.strings.add(v);
    for (const w of v.match(/[A-Za-z]{3,}/g) ?? []) data.words.add(w);
  }
  return data;
}

export function emptyData() {
  return { words: new Set(), strings: new Set() };
}

export async function englishOnScreen(page, { words = new Set(), strings = new Set() } = {}, { everywhere = false } = {}) {
  return page.evaluate(({ chrome, allowed, phrases, words, strings, everywhere }) => {
    const found = [];
    // Text marked as in another language (a document in English, a language's own name) is not chrome.
    const foreign = 'body [lang]:not([lang|="ru"])';
    // An option shows as long as its list does.
    const visible = (el) => {
      const box = el.closest('select') ?? el;
      return !!(box.offsetWidth || box.offsetHeight || box.getClientRects().length) &&
        !el.closest('[hidden], .visually-hidden') && !el.closest(foreign);
    };
    const allowedWords = new Set([...allowed, ...words]);
    const latin = (text) => (text
      .replace(/\bhttps?:\/\/\S+/g, ' ')                          // addresses
      .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, ' ')                 // e-mail addresses
      .replace(/\b(?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)\/[A-Za-z_\/+-]+/g, ' ')   // IANA time zones
      .match(/[A-Za-z]{3,}/g) ?? [])
      .filter((w) => !allowedWords.has(w) && !/^[A-Z]{3,4}$/.test(w));   // alpha-3 and forum codes
    // The element's words, but for values typed in, codes, addresses and text in another language.
    const ownText = (el) => {
      const parts = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode())
        if (!n.parentElement.closest(`textarea, code, script, style, a[href^="mailto"], a[href^="tel"], ${foreign}`) &&
            visible(n.parentElement)) parts.push(n.textContent);
      return parts.join(' ');
    };
    const elements = everywhere ? [document.body] : document.querySelectorAll(chrome);
    for (const el of elements) {
      if (!visible(el)) continue;
      if (everywhere) {
        // Each text node on its own, so that a finding says where it is.
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const parent = n.parentElement;
          if (parent.closest(`textarea, code, script, style, a[href^="mailto"], a[href^="tel"], ${foreign}`) || !visible(parent)) continue;
          const bad = latin(n.textContent);
          if (bad.length) found.push(`${parent.tagName.toLowerCase()}: "${n.textContent.trim().slice(0, 80)}" (${bad.join(', ')})`);
        }
        continue;
      }
      const text = ownText(el);
      const bad = latin(text);
      if (bad.length) found.push(`${el.tagName.toLowerCase()}: "${text.trim().slice(0, 80)}" (${bad.join(', ')})`);
    }
    // The data shown is left out: a contact's position may well say "Point of contact".
    const copy = document.body.cloneNode(true);
    for (const el of copy.querySelectorAll(`${foreign}, [hidden], .visually-hidden, script, style`)) el.remove();
    document.documentElement.append(copy);   // innerText needs a rendered element
    copy.style.position = 'absolute';
    let whole = copy.innerText;
    copy.remove();
    for (const d of strings) if (d.length >= 8) whole = whole.split(d).join(' ');
    for (const p of phrases) if (whole.includes(p)) found.push(`English phrase: "${p}"`);
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
      for (const attr of ['aria-label', 'placeholder', 'title']) {
        const v = el.getAttribute(attr);
        if (v && phrases.some((p) => v.includes(p))) found.push(`${attr}="${v}"`);
      }
    }
    if (document.documentElement.lang !== 'ru') found.push(`<html lang="${document.documentElement.lang}">`);
    return found;
  }, { chrome: CHROME, allowed: [...ALLOWED], phrases: PHRASES, words: [...words], strings: [...strings].sort((a, b) => b.length - a.length), everywhere });
}
