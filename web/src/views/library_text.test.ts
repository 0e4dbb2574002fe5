import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { elementsOf, FakeElement, FakeNode, FakeText, installFakeDom } from '../fake_dom.testlib';
import { distinctText, fileSize, filterValues, markedText, parseEquivalents, parseStates, parseTags, percent, queryTerms, withFilter } from './library_text';

describe('the query language in the search box', () => {
  it('cuts a query into terms as the server reads them', () => {
    expect(queryTerms('cyber "critical infrastructure" state:"KAZ" -draft  net*')).toEqual(
      ['cyber', '"critical infrastructure"', 'state:"KAZ"', '-draft', 'net*']);
    expect(queryTerms('"unbalanced phrase')).toEqual(['"unbalanced phrase']);
    expect(queryTerms('   ')).toEqual([]);
  });

  it('puts a quick filter in the query, replacing the one there, in any case', () => {
    expect(withFilter('', 'state', 'KAZ')).toBe('state:KAZ');
    expect(withFilter('кибербезопасность State:kaz kind:law', 'state', 'UZB')).toBe('кибербезопасность kind:law state:UZB');
    expect(withFilter('"critical infrastructure" kind:law state:KAZ kind:policy', 'kind', '')).toBe('"critical infrastructure" state:KAZ');
    expect(withFilter('law', 'tag', 'two words')).toBe('law tag:"two words"');
    // Words with a colon that are no filter stay as typed.
    expect(withFilter('http://x.example note:1', 'kind', 'law')).toBe('http://x.example note:1 kind:law');
  });

  it('reads the values of a filter', () => {
    expect(filterValues('x state:kaz STATE:"UZB" kind:law', 'state')).toEqual(['kaz', 'UZB']);
    expect(filterValues('x', 'kind')).toEqual([]);
  });
});

describe('snippets and compared definitions as nodes', () => {
  let restore: () => void;
  beforeEach(() => (restore = installFakeDom()));
  afterEach(() => restore());

  it('builds text nodes and <mark>s, whatever the server sends as text', () => {
    const parts = [
      { text: 'Статья 1. ', hit: false },
      { text: 'Кибербезопасность', hit: true },
      { text: ' <img src=x onerror=alert(1)> & ', hit: false },
      { text: '', hit: true },
      { text: '<b>bold</b>', hit: true },
    ];
    const holder = new FakeNode(1);
    for (const n of markedText(parts)) holder.appendChild(n instanceof FakeNode ? n : new FakeText(String(n)));
    // The text reads as the original, markup characters included, as characters.
    expect(holder.textContent).toBe('Статья 1. Кибербезопасность <img src=x onerror=alert(1)> & <b>bold</b>');
    const elements = elementsOf(holder);
    expect(elements.map((e) => e.tagName)).toEqual(['MARK', 'MARK']);   // no IMG, no B
    expect(elements.every((e) => e.className === 'hit')).toBe(true);
    expect(elements.map((e) => e.textContent)).toEqual(['Кибербезопасность', '<b>bold</b>']);
    expect(elements.every((e) => e.childNodes.every((c) => c instanceof FakeText))).toBe(true);
  });

  it('skips parts that are not text, and copes with none', () => {
    expect(markedText(undefined)).toEqual([]);
    expect(markedText([{ text: 5 as unknown as string, hit: true }, null as never, { text: 'ok', hit: false }])).toEqual(['ok']);
  });

  it('marks the distinct parts of a compared definition', () => {
    const nodes = distinctText([{ text: 'assets ', distinct: false }, { text: 'vital for the state', distinct: true }]);
    expect(nodes[0]).toBe('assets ');
    expect(nodes[1]).toBeInstanceOf(FakeElement);
    expect((nodes[1] as unknown as FakeElement).className).toBe('distinct');
    expect((nodes[1] as unknown as FakeElement).textContent).toBe('vital for the state');
  });
});

describe('form helpers', () => {
  it('reads equivalents one per line and names the lines it cannot', () => {
    expect(parseEquivalents('ru: критическая инфраструктура\n\nZH = 关键基础设施\nnot a line\nfr:')).toEqual({
      equivalents: [{ lang: 'ru', text: 'критическая инфраструктура' }, { lang: 'zh', text: '关键基础设施' }],
      bad: [4, 5],
    });
  });

  it('reads tags and listed states typed with spaces or commas', () => {
    expect(parseTags('norm-13, cbm-3  norm-13;x')).toEqual(['norm-13', 'cbm-3', 'x']);
    expect(parseStates('kaz,uzb UZB')).toEqual(['KAZ', 'UZB']);
  });

  it('gives sizes and progress', () => {
    expect(fileSize(512)).toBe('512 B');
    expect(fileSize(1536)).toBe('1.5 KB');
    expect(fileSize(32 * 1024 * 1024)).toBe('33.6 MB');
    expect(percent(50, 200)).toBe(25);
    expect(percent(5, 0)).toBe(0);
    expect(percent(300, 200)).toBe(100);
  });
});
