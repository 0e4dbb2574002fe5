// The receipt verifier against vectors made with node:crypto (vectors.testlib.ts): a Merkle tree built by
// RFC 9162's recursive definitions (MTH, PATH), checkpoints signed with a fresh Ed25519
// key, and the C2SP signed-note specification's own example.
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  checkCosignatures,
  LedgerError,
  parseCheckpoint,
  parseNote,
  parseReceipt,
  parseVerifierKey,
  verifyCosignature,
  verifyInclusion,
  verifyNoteSignature,
  verifyReceipt,
} from './verify';
import { cosigLine, entry, leafH, makeKey, mth, origin, path, receipt, sigLine } from './vectors.testlib';

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof LedgerError) return err.code;
    throw err;
  }
  return 'verified';
}

describe('signed notes', () => {
  it('verifies the C2SP specification example', async () => {
    const vkey = await parseVerifierKey('example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k');
    expect(vkey.name).toBe('example.com/foo');
    const sig = 'Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=';
    expect(Buffer.from(sig, 'base64').subarray(0, 4).toString('hex')).toBe('530d903a');
    const note = parseNote(`This is an example message.\n\n\u2014 example.com/foo ${sig}\n`);
    expect(await verifyNoteSignature(note, vkey)).toBe(true);
    const altered = parseNote(`This is an example message!\n\n\u2014 example.com/foo ${sig}\n`);
    expect(await verifyNoteSignature(altered, vkey)).toBe(false);
  });

  it('refuses malformed verifier keys and a key ID that is not its key', async () => {
    const k = makeKey('parley.test/ledger');
    expect((await parseVerifierKey(k.vkey)).key).toEqual(new Uint8Array(k.pub));
    for (const bad of ['', 'a+b', 'name+0000zzzz+AAAA', `${k.name}+00000000+${k.vkey.split('+')[2]}`,
      `${k.name}+${k.id.toString('hex')}+${Buffer.concat([Buffer.from([2]), k.pub]).toString('base64')}`, 'x'.repeat(2000)])
      expect(await failure(parseVerifierKey(bad))).toBe('malformed-key');
  });

  it('verifies a witness cosignature with its timestamp, and no other key', async () => {
    const log = makeKey(origin);
    const witness = makeKey('witness.kaz.example', 0x04);
    const body = `${origin}\n5\n${Buffer.alloc(32, 7).toString('base64')}\n`;
    const note = parseNote(`${body}\n${sigLine(log, body)}${cosigLine(witness, body, 1796000000)}`);
    const at = await verifyCosignature(note, await parseVerifierKey(witness.vkey));
    expect(at?.toISOString()).toBe(new Date(1796000000 * 1000).toISOString());
    expect(await verifyCosignature(note, await parseVerifierKey(makeKey('witness.kaz.example', 0x04).vkey))).toBeNull();
    expect(await verifyNoteSignature(note, await parseVerifierKey(log.vkey))).toBe(true);
  });

  it('parses checkpoints strictly', () => {
    const root = Buffer.alloc(32, 1).toString('base64');
    expect(parseCheckpoint(`o\n12\n${root}\n`).size).toBe(12);
    for (const bad of [`o\n12\n${root}`, `o\n012\n${root}\n`, `o\n-1\n${root}\n`, `o\n12\nAAAA\n`, `\n12\n${root}\n`])
      expect(() => parseCheckpoint(bad)).toThrow(LedgerError);
  });
});

describe('inclusion proofs (RFC 9162 §2.1.3.2)', () => {
  it('accepts every leaf of every tree up to 40 leaves and refuses a wrong one', async () => {
    const all = Array.from({ length: 40 }, (_, i) => entry(i));
    for (let n = 1; n <= 40; n++) {
      const leaves = all.slice(0, n);
      const root = mth(leaves);
      for (let m = 0; m < n; m++) {
        expect(await verifyInclusion(m, n, leafH(leaves[m]), path(m, leaves), root)).toBe(true);
        if (n > 1) expect(await verifyInclusion(m, n, leafH(leaves[(m + 1) % n]), path(m, leaves), root)).toBe(false);
      }
      expect(await verifyInclusion(n, n, leafH(leaves[0]), path(0, leaves), root)).toBe(false);
    }
  });
});

describe('receipts', () => {
  const leaves = Array.from({ length: 13 }, (_, i) => entry(i));
  const log = makeKey(origin);

  it('verifies a receipt with the log key alone and says what it records', async () => {
    const vkey = await parseVerifierKey(log.vkey);
    const witness = makeKey('witness.uzb.example', 0x04);
    const body = `${origin}\n13\n${mth(leaves).toString('base64')}\n`;
    const text = receipt(leaves, 6, log, { extraSigs: cosigLine(witness, body, 1796000000) });
    const v = await verifyReceipt(text, vkey, { index: 6, object: 'communication:0', action: 'communication.send' });
    expect(v).toMatchObject({ index: 6, size: 13, origin });
    expect(v.leaf?.seq).toBe(7);
    expect(v.cosigners.map((c) => c.name)).toEqual(['witness.uzb.example']);
    expect(parseReceipt(text).proof.length).toBe(path(6, leaves).length);
  });

  it('refuses a tampered leaf, a wrong key, a proof of the wrong length and the wrong entry', async () => {
    const vkey = await parseVerifierKey(log.vkey);
    const tampered = Buffer.from(leaves[4].toString().replace('"n":4', '"n":5'));
    expect(await failure(verifyReceipt(receipt(leaves, 4, log, { extra: tampered }), vkey))).toBe('bad-proof');
    const other = await parseVerifierKey(makeKey(origin).vkey);
    expect(await failure(verifyReceipt(receipt(leaves, 4, log), other))).toBe('bad-signature');
    const p = path(4, leaves);
    expect(await failure(verifyReceipt(receipt(leaves, 4, log, { proof: p.slice(1) }), vkey))).toBe('bad-proof');
    expect(await failure(verifyReceipt(receipt(leaves, 4, log, { proof: [...p, p[0]] }), vkey))).toBe('bad-proof');
    expect(await failure(verifyReceipt(receipt(leaves, 4, log, { proof: [p[1], p[0], ...p.slice(2)] }), vkey))).toBe('bad-proof');
    expect(await failure(verifyReceipt(receipt(leaves, 4, log), vkey, { index: 5 }))).toBe('wrong-entry');
    expect(await failure(verifyReceipt(receipt(leaves, 4, log), vkey, { object: 'communication:2' }))).toBe('wrong-entry');
    expect(await failure(verifyReceipt(receipt(leaves, 4, log), vkey, { action: 'communication.close' }))).toBe('wrong-entry');
    // A leaf placed at another index than the one it names: the proof holds, its seq does not.
    const swapped = [...leaves];
    [swapped[2], swapped[3]] = [swapped[3], swapped[2]];
    const k2 = makeKey(origin);
    expect(await failure(verifyReceipt(receipt(swapped, 2, k2), await parseVerifierKey(k2.vkey)))).toBe('wrong-entry');
  });

  it('refuses a checkpoint of another origin, an altered root and malformed receipts', async () => {
    const vkey = await parseVerifierKey(log.vkey);
    expect(await failure(verifyReceipt(receipt(leaves, 1, log, { origin: 'other.example/log' }), vkey))).toBe('wrong-origin');
    const text = receipt(leaves, 1, log);
    const root = mth(leaves).toString('base64');
    const flipped = Buffer.from(mth(leaves));
    flipped[0] ^= 1;
    expect(await failure(verifyReceipt(text.replace(root, flipped.toString('base64')), vkey))).toBe('bad-signature');
    expect(await failure(verifyReceipt(receipt(leaves, 1, log, { extra: null }), vkey))).toBe('malformed-receipt');
    for (const bad of ['', 'c2sp.org/tlog-proof@v1\n', text.replace('index 1', 'index 01'), text.replace('index 1', 'index -1'),
      text.replace(/\n\n[\s\S]*$/, '\n'), 'c2sp.org/tlog-proof@v1\nindex 0\n' + 'AAAA\n'.repeat(3) + '\n',
      'c2sp.org/tlog-proof@v1\nindex 0\n' + `${Buffer.alloc(32).toString('base64')}\n`.repeat(65) + '\n' + 'x\n'])
      expect(await failure(verifyReceipt(bad, vkey))).toMatch(/malformed-/);
    expect(() => parseReceipt('x'.repeat(5 << 20))).toThrow(LedgerError);
  });
});

describe('mutated receipts', () => {
  it('never verify a changed entry, index, proof or signature, and fail only with LedgerError', async () => {
    const leaves = Array.from({ length: 21 }, (_, i) => entry(i));
    const log = makeKey(origin);
    const vkey = await parseVerifierKey(log.vkey);
    const text = receipt(leaves, 11, log);
    const good = await verifyReceipt(text, vkey);
    let seed = 14;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n 7';
    let refused = 0;
    for (let i = 0; i < 400; i++) {
      const at = rand(text.length);
      const mutated = text.slice(0, at) + alphabet[rand(alphabet.length)] + text.slice(at + 1);
      if (mutated === text) continue;
      try {
        const v = await verifyReceipt(mutated, vkey);
        // Only a change that decodes to the same bytes (base64's unused low bits) may pass.
        expect([v.index, toB64(v.root), JSON.stringify(v.leaf)]).toEqual([good.index, toB64(good.root), JSON.stringify(good.leaf)]);
      } catch (err) {
        expect(err).toBeInstanceOf(LedgerError);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(300);
  });
});

const toB64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

describe('witness cosignatures against the keys forums list', () => {
  it('verifies a listed witness, warns on a listed name whose key did not sign, and marks the unlisted', async () => {
    const log = makeKey(origin);
    const kaz = makeKey('witness.kaz.example', 0x04);
    const uzb = makeKey('witness.uzb.example', 0x04);
    const stranger = makeKey('witness.elsewhere.example', 0x04);
    const impostor = makeKey('witness.uzb.example', 0x04);   // same name, another key
    const body = `${origin}\n9\n${Buffer.alloc(32, 3).toString('base64')}\n`;
    const note = parseNote(`${body}\n${sigLine(log, body)}${cosigLine(kaz, body, 1796000000)}${cosigLine(impostor, body, 1796000001)}` +
      cosigLine(stranger, body, 1796000002));
    const listed = [
      { forum: 'CICA', name: kaz.name, vkey: kaz.vkey },
      { forum: 'OSCE', name: kaz.name, vkey: kaz.vkey },
      { forum: 'CICA', name: uzb.name, vkey: uzb.vkey },
      { forum: 'ARF', name: 'broken', vkey: 'not a key' },
    ];
    const checks = await checkCosignatures(note, await parseVerifierKey(log.vkey), listed);
    expect(checks.map((c) => [c.name, c.status, c.forums])).toEqual([
      [kaz.name, 'verified', ['CICA', 'OSCE']],
      [uzb.name, 'bad', ['CICA']],
      [stranger.name, 'unlisted', []],
    ]);
    expect(checks[0].at?.getTime()).toBe(1796000000 * 1000);
    // A cosignature over another checkpoint does not verify for this one.
    const other = `${origin}\n10\n${Buffer.alloc(32, 3).toString('base64')}\n`;
    const moved = parseNote(`${body}\n${sigLine(log, body)}${cosigLine(kaz, other, 1796000000)}`);
    expect((await checkCosignatures(moved, await parseVerifierKey(log.vkey), listed))[0].status).toBe('bad');
  });
});
