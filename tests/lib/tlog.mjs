// An independent JavaScript reading of the transparency-log formats, for tests: RFC 9162
// hashes and proof verification, C2SP signed notes, vkeys and checkpoints, Ed25519 with
// node:crypto. Written from the specifications (not from src/tlog), so that the server
// and this agree only if both follow them.
import { createHash, createPublicKey, verify as edVerify } from 'node:crypto';

export const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
export const leafHash = (data) => sha256(Buffer.from([0]), Buffer.from(data));
export const nodeHash = (l, r) => sha256(Buffer.from([1]), l, r);
const b64 = (s) => Buffer.from(s, 'base64');

// MTH over leaf hashes (RFC 9162 2.1.1).
export function mth(leaves, b = 0, e = leaves.length) {
  if (e - b === 0) return sha256(Buffer.alloc(0));
  if (e - b === 1) return leaves[b];
  let k = 1;
  while (k * 2 < e - b) k *= 2;
  return nodeHash(mth(leaves, b, b + k), mth(leaves, b + k, e));
}

// RFC 9162 2.1.3.2.
export function verifyInclusion(leaf, index, size, proof, root) {
  if (index >= size) return false;
  let fn = index, sn = size - 1, r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if ((fn & 1) === 1 || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1) === 0) while (fn !== 0 && (fn & 1) === 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

// RFC 9162 2.1.4.2.
export function verifyConsistency(from, to, fromRoot, toRoot, proof) {
  if (from > to) return false;
  if (from === 0) return proof.length === 0;
  if (from === to) return proof.length === 0 && fromRoot.equals(toRoot);
  if (proof.length === 0) return false;
  const path = (from & (from - 1)) === 0 ? [fromRoot, ...proof] : [...proof];
  let fn = from - 1, sn = to - 1;
  while ((fn & 1) === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
  let fr = path[0], sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if ((fn & 1) === 1 || fn === sn) {
      fr = nodeHash(c, fr); sr = nodeHash(c, sr);
      if ((fn & 1) === 0) while (fn !== 0 && (fn & 1) === 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(fromRoot) && sr.equals(toRoot);
}

// "<name>+<hex id>+<base64(type || key)>" (c2sp.org/signed-note).
export function parseVkey(vkey) {
  const [name, id, ...rest] = vkey.split('+');
  const key = rest.join('+');   // the base64 may itself hold '+'
  const raw = b64(key);
  const keyId = sha256(Buffer.from(name + '\n'), raw).subarray(0, 4).toString('hex');
  if (keyId !== id) throw new Error(`vkey ${vkey}: its ID does not match its key`);
  return { name, id, type: raw[0], publicKey: raw.subarray(1) };
}

const spki = (pk) => createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pk]), format: 'der', type: 'spki' });

// Splits a signed note into its text and signature lines.
export function parseNote(note) {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const sigs = note.slice(split + 2).split('\n').filter((l) => l).map((line) => {
    const m = line.match(/^\u2014 (\S+) (\S+)$/);
    if (!m) throw new Error(`bad signature line: ${line}`);
    const raw = b64(m[2]);
    return { name: m[1], id: raw.subarray(0, 4).toString('hex'), sig: raw.subarray(4) };
  });
  return { text, sigs };
}

// Does the note carry a valid signature of `vkey` (type 1: Ed25519; type 4: cosignature/v1)?
export function noteSignedBy(note, vkey) {
  const k = parseVkey(vkey);
  const { text, sigs } = parseNote(note);
  return sigs.some((s) => {
    if (s.name !== k.name || s.id !== k.id) return false;
    if (k.type === 1) return edVerify(null, Buffer.from(text), spki(k.publicKey), s.sig);
    const ts = s.sig.readBigUInt64BE(0);
    const msg = `cosignature/v1\ntime ${ts}\n${text}`;
    return edVerify(null, Buffer.from(msg), spki(k.publicKey), s.sig.subarray(8));
  });
}

export function parseCheckpoint(note) {
  const { text } = parseNote(note);
  const [origin, size, root] = text.split('\n');
  return { origin, size: Number(size), root: b64(root) };
}

// c2sp.org/tlog-proof@v1.
export function parseReceipt(text) {
  const lines = text.split('\n');
  if (lines[0] !== 'c2sp.org/tlog-proof@v1') throw new Error('not a tlog-proof');
  let i = 1;
  let extra = null;
  if (lines[i].startsWith('extra ')) extra = b64(lines[i++].slice(6));
  const index = Number(lines[i++].slice('index '.length));
  const proof = [];
  while (lines[i] !== '') proof.push(b64(lines[i++]));
  const checkpoint = lines.slice(i + 1).join('\n');
  return { extra, index, proof, checkpoint };
}

// A c2sp.org/tlog-proof receipt → { index, extra (Buffer), leafHash, size, root, origin }
// after checking the log's signature and the inclusion of the extra data's leaf; throws
// naming the check that failed.
export function verifyReceipt(text, vkey) {
  const { extra, index, proof, checkpoint } = parseReceipt(text);
  if (!noteSignedBy(checkpoint, vkey)) throw new Error('the checkpoint is not signed by the log key');
  const { origin, size, root } = parseCheckpoint(checkpoint);
  if (origin !== parseVkey(vkey).name) throw new Error('the checkpoint is of another log');
  const leaf = leafHash(extra);
  if (!verifyInclusion(leaf, index, size, proof, root)) throw new Error(`entry ${index} is not included in the checkpoint`);
  return { index, extra, leafHash: leaf, size, root, origin };
}
