import { describe, expect, it } from 'vitest';
import { witnessStatus } from './witnesses';
import type { Witness } from './witnesses';

const base: Witness = {
  id: 1, forum: 'CICA', name: 'cert.kaz/witness', url: 'http://127.0.0.1:9', vkey: 'cert.kaz/witness+01020304+BA==',
  added_at: '2026-11-29T10:00:00Z', added_by: 'secretariat.cica', cosigned_size: 0, last_cosigned_at: null,
  last_attempt_at: null, last_error: null, refused_at: null, refusal: null,
};

describe('witnessStatus', () => {
  it('puts a refusal first: it is an alarm, even with an error or an older cosignature', () => {
    const s = witnessStatus({ ...base, refused_at: '2026-11-29T10:05:00Z', refusal: 'proof does not verify (422)',
      last_error: 'timeout', last_cosigned_at: '2026-11-29T10:01:00Z', cosigned_size: 40 });
    expect(s.kind).toBe('refused');
    expect(s.text).toContain('proof does not verify (422)');
  });
  it('tells an unreachable witness from one that cosigns and one not yet asked', () => {
    expect(witnessStatus({ ...base, last_error: 'cannot reach the witness' }).kind).toBe('down');
    const ok = witnessStatus({ ...base, cosigned_size: 1234, last_cosigned_at: '2026-11-29T10:01:00Z' });
    expect(ok.kind).toBe('ok');
    expect(ok.text).toMatch(/1[,. \u00a0\u202f]?234/);
    expect(witnessStatus(base).kind).toBe('waiting');
  });
});
