// An independent verifier of the ledger's receipts for tests, written from the
// specifications only (c2sp.org/signed-note, tlog-checkpoint, tlog-proof; RFC 9162 §2.1
// hashes and inclusion proofs) with node:crypto, so that a test fails if the server's
// encoding drifts from them. Not shared with the server's code on purpose.
import { createHash, createPublicKey, verify } from 'node:crypto';

const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
export const leafHash = (data) => sha256(Buffer.from([0]), Buffer.from(data));
const nodeHash = (l, r) => sha256(Buffer.from([1]), l, r);

// vkey "name+hexid+base64(0x01 || 32-byte Ed25519 key)" → { name, id, key (KeyObject) }.
export function parseVkey(vkey) {
  // The base64 key may itself contain '+': name, then 8 hex digits, then the rest.
  const m = vkey.match(/^([^+\s]+)\+([0-9a-f]{8})\+(\S+)$/);
  if (!m) throw new Error(`not a vkey: ${vkey}`);
  const [, name, hexId, b64] = m;
  const raw = Buffer.from(b64, 'base64');
  if (raw.length !== 33 || raw[0] !== 1) throw new Error(`not an Ed25519 vkey: ${vkey}`);
  const pub = raw.subarray(1);
  const id = sha256(Buffer.from(name), Buffer.from([0x0a, 0x01]), pub).subarray(0, 4);
  if (id.toString('hex') !== hexId) throw new Error(`vkey id ${hexId} is not the key's (${id.toString('hex')})`);
  const der = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pub]);
  return { name, id, key: createPublicKey({ key: der, format: 'der', type: 'spki' }) };
}

// A signed note → its text and whether `vkey` signed it.
export function verifyNote(note, vkey) {
  const k = parseVkey(vkey);
  const split = note.indexOf('\n\n');
  if (split < 0) throw new Error('a signed note has a blank line before its signatures');
  const text = note.slice(0, split + 1);
  let signed = false;
  for (const line of note.slice(split + 2).split('\n').filter(Boolean)) {
    const m = line.match(/^\u2014 (\S+) (\S+)$/);
    if (!m) throw new Error(`not a signature line: ${line}`);
    const blob = Buffer.from(m[2], 'base64');
    if (m[1] !== k.name || !blob.subarray(0, 4).equals(k.id) || blob.length !== 68) continue;
    signed = verify(null, Buffer.from(text), k.key, blob.subarray(4)) || signed;
  }
  return { text, signed };
}

// RFC 9162 §2.1.3.2: the root the inclusion path leads to from leaf `index` of `size`.
export function rootFromInclusion(index, size, leaf, path) {
  if (index >= size) throw new Error('index outside the tree');
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) throw new Error('proof too long');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('proof too short');
  return r;
}

// A c2sp.org/tlog-proof receipt → { index, extra (Buffer), leafHash, size, root, origin }
// after checking the log's signature and the inclusion of the extra data's leaf; throws
// naming the check that failed.
export function verifyReceipt(receipt, vkey) {
  const lines = receipt.split('\n');
  if (lines[0] !== 'c2sp.org/tlog-proof@v1') throw new Error('not a tlog-proof');
  let i = 1;
  let extra = null;
  if (lines[i].startsWith('extra ')) extra = Buffer.from(lines[i++].slice(6), 'base64');
  const im = lines[i++].match(/^index (0|[1-9]\d*)$/);
  if (!im) throw new Error('no index line');
  const index = Number(im[1]);
  const path = [];
  while (lines[i] !== '') path.push(Buffer.from(lines[i++], 'base64'));
  const note = lines.slice(i + 1).join('\n');
  const { text, signed } = verifyNote(note, vkey);
  if (!signed) throw new Error('the checkpoint is not signed by the log key');
  const [origin, sizeLine, rootLine] = text.split('\n');
  if (origin !== parseVkey(vkey).name) throw new Error('the checkpoint is of another log');
  const size = Number(sizeLine);
  const root = Buffer.from(rootLine, 'base64');
  const leaf = leafHash(extra);
  if (!rootFromInclusion(index, size, leaf, path).equals(root)) throw new Error(`entry ${index} is not included in the checkpoint`);
  return { index, extra, leafHash: leaf, size, root, origin };
}
