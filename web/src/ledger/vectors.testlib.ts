// Test vectors for the ledger's unit tests, made with node:crypto and RFC 9162's recursive
// definitions (MTH, PATH), independently of the code under test: Ed25519 keys in C2SP
// verifier-key form, signed checkpoints, cosignatures and tlog-proof receipts.
// Test-only (imports node modules); never imported by the console.
import { Buffer } from 'node:buffer';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
export const leafH = (d: Buffer) => sha(Buffer.from([0]), d);
const nodeH = (l: Buffer, r: Buffer) => sha(Buffer.from([1]), l, r);
// The largest power of two smaller than n (RFC 9162 §2.1.1's k).
const split = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
export function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return leafH(leaves[0]);
  const k = split(leaves.length);
  return nodeH(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
export function path(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  return m < k ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))] : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

export interface Key {
  name: string;
  priv: KeyObject;
  pub: Buffer;
  id: Buffer;
  vkey: string;
}
export function makeKey(name: string, type = 0x01): Key {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const id = sha(Buffer.from(name), Buffer.from([0x0a, type]), pub).subarray(0, 4);
  return { name, priv: privateKey, pub, id, vkey: `${name}+${id.toString('hex')}+${Buffer.concat([Buffer.from([type]), pub]).toString('base64')}` };
}
export const sigLine = (k: Key, body: string) =>
  `\u2014 ${k.name} ${Buffer.concat([k.id, sign(null, Buffer.from(body), k.priv)]).toString('base64')}\n`;
export function cosigLine(k: Key, body: string, ts: number) {
  const t = Buffer.alloc(8);
  t.writeBigUInt64BE(BigInt(ts));
  const sig = sign(null, Buffer.from(`cosignature/v1\ntime ${ts}\n${body}`), k.priv);
  return `\u2014 ${k.name} ${Buffer.concat([k.id, t, sig]).toString('base64')}\n`;
}

export const origin = 'parley.test/ledger';
export const entry = (i: number, object = `communication:${i % 3}`) =>
  Buffer.from(JSON.stringify({ action: 'communication.send', actor: 'user:poc.kaz', at: '2026-11-29T10:00:00Z',
    change: { n: i }, nonce: createHash('md5').update(String(i)).digest('hex'), object, seq: i + 1 }));

export function receipt(leaves: Buffer[], index: number, key: Key, opts: { extra?: Buffer | null; proof?: Buffer[]; origin?: string; extraSigs?: string } = {}) {
  const body = `${opts.origin ?? origin}\n${leaves.length}\n${mth(leaves).toString('base64')}\n`;
  const proof = opts.proof ?? path(index, leaves);
  const extra = opts.extra === undefined ? leaves[index] : opts.extra;
  return `c2sp.org/tlog-proof@v1\n${extra ? `extra ${extra.toString('base64')}\n` : ''}index ${index}\n` +
    proof.map((h) => `${h.toString('base64')}\n`).join('') + `\n${body}\n${sigLine(key, body)}${opts.extraSigs ?? ''}`;
}

