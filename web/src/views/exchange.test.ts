import { describe, expect, it } from 'vitest';
import { patternFor } from './exchange';

describe('patternFor', () => {
  it('writes the STIX pattern of each kind of observed value', () => {
    expect(patternFor('198.51.100.7')).toBe("[ipv4-addr:value = '198.51.100.7']");
    expect(patternFor('203.0.113.0/24')).toBe("[ipv4-addr:value = '203.0.113.0/24']");
    expect(patternFor('2001:DB8::5')).toBe("[ipv6-addr:value = '2001:db8::5']");
    expect(patternFor('C2.Example.NET.')).toBe("[domain-name:value = 'c2.example.net']");
    expect(patternFor('https://cdn.example.org/a?x=1')).toBe("[url:value = 'https://cdn.example.org/a?x=1']");
    expect(patternFor('ceo@victim.example')).toBe("[email-addr:value = 'ceo@victim.example']");
    expect(patternFor('001DD76872D80801692FF942308C64E6')).toBe("[file:hashes.'MD5' = '001dd76872d80801692ff942308c64e6']");
    expect(patternFor('a'.repeat(64))).toBe(`[file:hashes.'SHA-256' = '${'a'.repeat(64)}']`);
  });
  it('escapes quotes and refuses what is none of them', () => {
    expect(patternFor("http://x.example/it's")).toBe("[url:value = 'http://x.example/it\\'s']");
    expect(patternFor('not a value')).toBeNull();
    expect(patternFor('12345')).toBeNull();
    expect(patternFor('')).toBeNull();
  });
});
