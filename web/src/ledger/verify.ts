// Offline verification of the ledger's receipts in the browser, with nothing but the
// log's public key: C2SP signed notes (Ed25519 signatures, timestamped cosignatures),
// checkpoints, c2sp.org/tlog-proof receipts, and RFC 9162 inclusion proofs (§2.1.3.2).
// Parsers are pure and bounded (size, line count, proof length); hashing and signature
// checks use WebCrypto (crypto.subtle), so they are async. No state, no DOM.

// Why something does not verify: a code for the console's words, and the detail.
export type Failure =
  | 'malformed-key'
  | 'malformed-receipt'
  | 'malformed-checkpoint'
  | 'wrong-origin'
  | 'bad-signature'
  | 'bad-proof'
  | 'wrong-entry'
  | 'unsupported';

export class LedgerError extends Error {
  constructor(readonly code: Failure, message: string) {
    super(message);
  }
}

const MAX_NOTE = 1 << 20;        // a checkpoint with its cosignatures is a few hundred bytes
const MAX_RECEIPT = 4 << 20;     // the leaf data rides along in the extra line
const MAX_SIGNATURES = 100;
const MAX_PROOF = 64;            // hashes in an inclusion proof of a tree of < 2^64 leaves
const MAX_SAFE_SIZE = 2 ** 53 - 1;

const enc = new TextEncoder();

export function fromBase64(s: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new LedgerError('malformed-receipt', 'not base64');
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toBase64(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

export function toHex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

// A copy in a fresh ArrayBuffer: what WebCrypto's typings want.
function buf(b: Uint8Array): ArrayBuffer {
  return b.slice().buffer as ArrayBuffer;
}

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', buf(data)));
}

// RFC 9162 §2.1.1: leaf hash SHA-256(0x00 || data), interior SHA-256(0x01 || left || right).
export function leafHash(data: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(new Uint8Array([0]), data));
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(new Uint8Array([1]), left, right));
}

// The root an inclusion proof leads to from a leaf hash (RFC 9162 §2.1.3.2), or null when
// the proof cannot be one for that index and size (wrong length, index past the end).
export async function rootFromInclusion(index: number, size: number, leaf: Uint8Array, proof: Uint8Array[]): Promise<Uint8Array | null> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  if (proof.length > MAX_PROOF || proof.some((p) => p.length !== 32) || leaf.length !== 32) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  const half = (n: number) => Math.floor(n / 2);   // numbers past 2^32: no bitwise shifts
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

export async function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: Uint8Array[], root: Uint8Array): Promise<boolean> {
  const r = await rootFromInclusion(index, size, leaf, proof);
  return r !== null && equal(r, root);
}

// A signed-note verifier key: <name>+<hex key ID>+base64(type || public key).
export interface VerifierKey {
  name: string;
  id: Uint8Array;     // 4 bytes
  type: number;       // 0x01 Ed25519, 0x04 timestamped Ed25519 cosignature
  key: Uint8Array;    // 32 bytes
  text: string;
}

// The key ID the signed-note specification recommends: SHA-256(name || 0x0A || type || key)[:4].
export async function keyId(name: string, type: number, key: Uint8Array): Promise<Uint8Array> {
  return (await sha256(concat(enc.encode(name), new Uint8Array([0x0a, type]), key))).slice(0, 4);
}

function validName(name: string): boolean {
  return name.length > 0 && name.length <= 256 && !/[\s+\u2014]/u.test(name) && !/[\u0000-\u001f]/.test(name);
}

export async function parseVerifierKey(text: string): Promise<VerifierKey> {
  const bad = (why: string) => new LedgerError('malformed-key', `the verifier key ${why}`);
  const s = text.trim();
  if (s.length > 1024) throw bad('is too long');
  // The name holds no '+' and the ID is 8 hex digits; the base64 key may hold '+'.
  const m = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(s);
  if (!m) throw bad('is not name+id+key');
  const [, name, hexId, b64] = m;
  if (!validName(name)) throw bad('has an invalid name');
  if (!/^[0-9a-f]{8}$/.test(hexId)) throw bad('has an invalid key ID');
  let raw: Uint8Array;
  try {
    raw = fromBase64(b64);
  } catch {
    throw bad('is not base64');
  }
  if (raw.length !== 33 || (raw[0] !== 0x01 && raw[0] !== 0x04)) throw bad('is not an Ed25519 key');
  const id = Uint8Array.from(hexId.match(/../g)!.map((x) => parseInt(x, 16)));
  const key = raw.slice(1);
  if (!equal(id, await keyId(name, raw[0], key))) throw bad('has a key ID that does not match its key');
  return { name, id, type: raw[0], key, text: s };
}

export interface NoteSignature {
  name: string;
  id: Uint8Array;
  sig: Uint8Array;    // what follows the key ID
}

export interface Note {
  body: string;       // the signed text, ending in a newline
  signatures: NoteSignature[];
}

// A signed note: text ending in a newline, a blank line, then "— name base64(id || sig)" lines.
export function parseNote(text: string): Note {
  const bad = (why: string) => new LedgerError('malformed-checkpoint', `the signed note ${why}`);
  if (text.length > MAX_NOTE) throw bad('is too large');
  const split = text.lastIndexOf('\n\n');
  if (split < 0) throw bad('has no signatures');
  const body = text.slice(0, split + 1);
  const rest = text.slice(split + 2);
  if (!rest.endsWith('\n')) throw bad('does not end in a newline');
  const lines = rest.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw bad('has too many signatures');
  const signatures = lines.map((line) => {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/u.exec(line);
    if (!m || !validName(m[1])) throw bad('has a malformed signature line');
    let raw: Uint8Array;
    try {
      raw = fromBase64(m[2]);
    } catch {
      throw bad('has a signature that is not base64');
    }
    if (raw.length < 5) throw bad('has a signature too short');
    return { name: m[1], id: raw.slice(0, 4), sig: raw.slice(4) };
  });
  return { body, signatures };
}

export interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
  extensions: string[];
}

export function parseCheckpoint(body: string): Checkpoint {
  const bad = (why: string) => new LedgerError('malformed-checkpoint', `the checkpoint ${why}`);
  const lines = body.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') throw bad('is not origin, size and root');
  const [origin, sizeText, rootText] = lines;
  if (!origin || origin.length > 256) throw bad('has no origin');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText) || Number(sizeText) > MAX_SAFE_SIZE) throw bad('has an invalid size');
  let root: Uint8Array;
  try {
    root = fromBase64(rootText);
  } catch {
    throw bad('has a root that is not base64');
  }
  if (root.length !== 32) throw bad('has a root that is not a SHA-256 hash');
  return { origin, size: Number(sizeText), root, extensions: lines.slice(3, -1) };
}

async function ed25519(key: Uint8Array, sig: Uint8Array, message: Uint8Array): Promise<boolean> {
  if (sig.length !== 64) return false;
  try {
    const k = await crypto.subtle.importKey('raw', buf(key), { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, k, buf(sig), buf(message));
  } catch (err) {
    if (err instanceof DOMException && err.name === 'NotSupportedError')
      throw new LedgerError('unsupported', 'this browser cannot verify Ed25519 signatures');
    return false;
  }
}

// Whether the note carries a valid Ed25519 (type 0x01) signature by this key.
export async function verifyNoteSignature(note: Note, vkey: VerifierKey): Promise<boolean> {
  if (vkey.type !== 0x01) return false;
  for (const s of note.signatures) {
    if (s.name !== vkey.name || !equal(s.id, vkey.id)) continue;
    if (await ed25519(vkey.key, s.sig, enc.encode(note.body))) return true;
  }
  return false;
}

// A witness's timestamped cosignature (type 0x04): the time it was made, or null if the
// note carries none by this key that verifies.
export async function verifyCosignature(note: Note, vkey: VerifierKey): Promise<Date | null> {
  if (vkey.type !== 0x04) return null;
  for (const s of note.signatures) {
    if (s.name !== vkey.name || !equal(s.id, vkey.id) || s.sig.length !== 72) continue;
    const ts = new DataView(buf(s.sig)).getBigUint64(0);
    if (ts > BigInt(MAX_SAFE_SIZE)) continue;
    const message = enc.encode(`cosignature/v1\ntime ${ts}\n${note.body}`);
    if (await ed25519(vkey.key, s.sig.slice(8), message)) return new Date(Number(ts) * 1000);
  }
  return null;
}

// The time a cosignature line says it was made (unverified: for display next to a name).
export function cosignatureTime(s: NoteSignature): Date | null {
  if (s.sig.length !== 72) return null;
  const ts = new DataView(buf(s.sig)).getBigUint64(0);
  return ts > BigInt(MAX_SAFE_SIZE) / 1000n ? null : new Date(Number(ts) * 1000);
}

export interface Receipt {
  extra: Uint8Array | null;
  index: number;
  proof: Uint8Array[];
  checkpoint: string;      // the signed note, verbatim
}

export function parseReceipt(text: string): Receipt {
  const bad = (why: string) => new LedgerError('malformed-receipt', `the receipt ${why}`);
  if (text.length > MAX_RECEIPT) throw bad('is too large');
  let rest = text;
  const next = () => {
    const nl = rest.indexOf('\n');
    if (nl < 0) throw bad('ends before its checkpoint');
    const line = rest.slice(0, nl);
    rest = rest.slice(nl + 1);
    return line;
  };
  if (next() !== 'c2sp.org/tlog-proof@v1') throw bad('is not a c2sp.org/tlog-proof@v1 proof');
  let line = next();
  let extra: Uint8Array | null = null;
  if (line.startsWith('extra ')) {
    try {
      extra = fromBase64(line.slice(6));
    } catch {
      throw bad('has extra data that is not base64');
    }
    line = next();
  }
  const m = /^index (0|[1-9][0-9]{0,15})$/.exec(line);
  if (!m || Number(m[1]) > MAX_SAFE_SIZE) throw bad('has no valid index line');
  const proof: Uint8Array[] = [];
  for (line = next(); line !== ''; line = next()) {
    if (proof.length === MAX_PROOF) throw bad('has an inclusion proof too long');
    let h: Uint8Array;
    try {
      h = fromBase64(line);
    } catch {
      throw bad('has a proof line that is not base64');
    }
    if (h.length !== 32) throw bad('has a proof line that is not a SHA-256 hash');
    proof.push(h);
  }
  if (!rest) throw bad('has no checkpoint');
  return { extra, index: Number(m[1]), proof, checkpoint: rest };
}

export interface Verified {
  index: number;
  origin: string;
  size: number;
  root: Uint8Array;
  leaf: Record<string, unknown> | null;     // the entry, when the receipt carries it
  cosigners: { name: string; at: Date | null }[];   // cosignature lines, not checked against witness keys
}

// Checks a receipt with nothing but the log's verifier key: the checkpoint's origin and
// signature, the leaf hash of the entry it carries (or of `leafData`), the inclusion proof
// up to the signed root, and that the entry is the one expected (its index, and when
// given, the object it records). Throws LedgerError saying which check failed.
export async function verifyReceipt(
  receiptText: string,
  vkey: VerifierKey,
  expect: { index?: number; object?: string; action?: string; leafData?: Uint8Array } = {},
): Promise<Verified> {
  const r = parseReceipt(receiptText);
  const note = parseNote(r.checkpoint);
  const cp = parseCheckpoint(note.body);
  if (cp.origin !== vkey.name) throw new LedgerError('wrong-origin', `the checkpoint is from ${cp.origin}, not ${vkey.name}`);
  if (!(await verifyNoteSignature(note, vkey))) throw new LedgerError('bad-signature', 'the checkpoint is not signed by the log key');
  if (expect.index !== undefined && r.index !== expect.index)
    throw new LedgerError('wrong-entry', `the receipt is for entry ${r.index}, not ${expect.index}`);
  const data = expect.leafData ?? r.extra;
  if (!data) throw new LedgerError('malformed-receipt', 'the receipt carries no entry');
  if (expect.leafData && r.extra && !equal(expect.leafData, r.extra))
    throw new LedgerError('wrong-entry', 'the receipt carries another entry');
  const leaf = await leafHash(data);
  if (!(await verifyInclusion(r.index, cp.size, leaf, r.proof, cp.root)))
    throw new LedgerError('bad-proof', `the inclusion proof of entry ${r.index} does not lead to the signed root`);
  let entry: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) entry = parsed as Record<string, unknown>;
  } catch {
    entry = null;
  }
  // The leaf commits to its own position (seq = index + 1) and to what it records.
  if (entry && entry.seq !== undefined && entry.seq !== r.index + 1)
    throw new LedgerError('wrong-entry', `the entry says it is number ${String(entry.seq)}, not ${r.index + 1}`);
  if (expect.action !== undefined && entry?.action !== expect.action)
    throw new LedgerError('wrong-entry', `the entry records ${String(entry?.action)}, not ${expect.action}`);
  if (expect.object !== undefined && entry?.object !== expect.object)
    throw new LedgerError('wrong-entry', `the entry records ${String(entry?.object)}, not ${expect.object}`);
  const cosigners = note.signatures
    .filter((s) => !(s.name === vkey.name && equal(s.id, vkey.id)))
    .map((s) => ({ name: s.name, at: cosignatureTime(s) }));
  return { index: r.index, origin: cp.origin, size: cp.size, root: cp.root, leaf: entry, cosigners };
}

export interface CosignatureCheck {
  name: string;
  at: Date | null;            // as the line says (verified when status is 'verified')
  status: 'verified' | 'bad' | 'unlisted';
  forums: string[];           // the forums whose key verified it, or (bad) that list the name
}

// Each cosignature of a note (every signature but the log's own) checked against the
// witness keys forums list: verified by a listed key, refused by every key listed under
// its name, or by a witness nobody listed.
export async function checkCosignatures(note: Note, log: VerifierKey, listed: { forum: string; name: string; vkey: string }[]): Promise<CosignatureCheck[]> {
  const out: CosignatureCheck[] = [];
  for (const s of note.signatures) {
    if (s.name === log.name && equal(s.id, log.id)) continue;
    const keys = listed.filter((w) => w.name === s.name);
    const ok = new Set<string>();
    for (const w of keys) {
      try {
        const vkey = await parseVerifierKey(w.vkey);
        if (equal(vkey.id, s.id) && (await verifyCosignature({ body: note.body, signatures: [s] }, vkey))) ok.add(w.forum);
      } catch {
        /* a listed key that does not parse verifies nothing */
      }
    }
    out.push({
      name: s.name,
      at: cosignatureTime(s),
      status: !keys.length ? 'unlisted' : ok.size ? 'verified' : 'bad',
      forums: ok.size ? [...ok] : [...new Set(keys.map((w) => w.forum))],
    });
  }
  return out;
}
