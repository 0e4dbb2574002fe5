// Text extraction from real PDFs (library/extract.h): Chromium prints a page of a
// national law's text in the scripts the forums use, and `parley extract` (the child
// process the server runs for each contributed file) must give each phrase back whole.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { launch } from '../lib/browser.mjs';
import { BIN } from '../lib/harness.mjs';

// One phrase per script; the Arabic avoids the lam-alef ligature, which every PDF text
// extractor (Poppler included) gives back in visual order.
const phrases = {
  ru: 'Закон о кибербезопасности',
  fr: 'Stratégie nationale de cybersécurité',
  zh: '中华人民共和国网络安全法',
  ja: 'サイバーセキュリティ基本法',
  ko: '사이버보안 기본법',
  th: 'ความมั่นคงปลอดภัยไซเบอร์',
  ar: 'قانون مكافحة جرائم تقنية المعلومات',
};

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function extract(bytes, format) {
  const r = spawnSync(BIN, ['extract', '--format', format], { input: bytes, maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr?.toString());
  return JSON.parse(r.stdout.toString());
}

async function printed(html) {
  const page = await browser.newPage();
  await page.setContent(html);
  const pdf = await page.pdf({ format: 'A4' });
  await page.close();
  return pdf;
}

describe('extracting text from PDFs that Chromium printed', () => {
  it('gives back every script whole, page by page', async () => {
    const body = Object.entries(phrases).map(([lang, p]) => `<p lang="${lang}"${lang === 'ar' ? ' dir="rtl"' : ''}>${p}</p>`).join('');
    const pdf = await printed(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="font-size:16px">
      ${body}<p style="break-before: page">Article 2. Definitions</p></body></html>`);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const out = extract(pdf, 'pdf');
    assert.equal(out.flag, '', out.detail);
    assert.equal(out.pages.length, 2);
    for (const [lang, phrase] of Object.entries(phrases)) assert.ok(out.pages[0].includes(phrase), `${lang}: ${phrase} not in ${JSON.stringify(out.pages[0])}`);
    assert.match(out.pages[1], /Article 2\. Definitions/);
  });

  it('flags a PDF without text and a damaged one, and keeps going', async () => {
    const empty = await printed('<!DOCTYPE html><html><body><div style="width:200px;height:200px;background:#036"></div></body></html>');
    assert.equal(extract(empty, 'pdf').flag, 'no-text');
    const pdf = await printed('<!DOCTYPE html><html><body><p>Закон</p></body></html>');
    const damaged = Buffer.from(pdf);
    damaged.fill(0x20, 200, damaged.length - 200);   // the objects blanked out
    const out = extract(damaged, 'pdf');
    assert.ok(['corrupt', 'no-text'].includes(out.flag), JSON.stringify(out));
    assert.ok(out.detail.length > 0);
  });
});
