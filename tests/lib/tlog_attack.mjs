// tlog_attack.mjs: what an attacker (or a witness) needs in JavaScript to rewrite Parley's ledger from
// the outside, written from the definitions, not from Parley's code: RFC 9162 trees,
// C2SP signed notes (Ed25519), checkpoints and cosignatures, the journal's chain and
// leaf data (storage/journal.h), and the sqlite3 shell to read and rewrite the file.
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { leafHash, mth, nodeHash, sha256 } from './tlog.mjs';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export { sha256, leafHash, nodeHash, mth };

// Every complete subtree's hash as Parley stores it: [node key, hex], key = level * 2^48 + index.
export function storedNodes(leaves) {
  const out = [];
  let level = leaves;
  for (let l = 0; level.length > 0; l++) {
    level.forEach((h, i) => out.push([l * 2 ** 48 + i, h.toString('hex')]));
    const up = [];
    for (let i = 0; i + 1 < level.length; i += 2) up.push(nodeHash(level[i], level[i + 1]));
    level = up;
  }
  return out;
}

// ---- signed notes ----

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

function keyId(name, type, pub) {
  return sha256(Buffer.concat([Buffer.from(name + '\n'), Buffer.from([type]), pub])).subarray(0, 4);
}

// The log's key file: PRIVATE+KEY+<name>+<hex id>+base64(0x01 || seed).
export function readLogKey(file) {
  const [, , name, id, b64] = readFileSync(file, 'utf8').trim().split('+').reduce((parts, p, i) => {
    // The base64 may itself hold '+': everything after the fourth '+' is the key.
    if (i < 4) parts.push(p);
    else if (i === 4) parts.push(p);
    else parts[4] += `+${p}`;
    return parts;
  }, []);
  const raw = Buffer.from(b64, 'base64');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, raw.subarray(1)]), format: 'der', type: 'pkcs8' });
  return { name, id: Buffer.from(id, 'hex'), privateKey };
}

export function signatureLine(name, id, sig) {
  return `— ${name} ${Buffer.concat([id, sig]).toString('base64')}\n`;
}

// A checkpoint signed by the log: text, blank line, the log's signature.
export function signCheckpoint(key, size, root) {
  const text = `${key.name}\n${size}\n${root.toString('base64')}\n`;
  return `${text}\n${signatureLine(key.name, key.id, sign(null, Buffer.from(text), key.privateKey))}`;
}

// A witness of our own (c2sp.org/tlog-cosignature, type 0x04).
export function newWitness(name) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const id = keyId(name, 4, pub);
  return {
    name,
    vkey: `${name}+${id.toString('hex')}+${Buffer.concat([Buffer.from([4]), pub]).toString('base64')}`,
    cosign(checkpointText, time) {
      const msg = `cosignature/v1\ntime ${time}\n${checkpointText}`;
      const ts = Buffer.alloc(8);
      ts.writeBigUInt64BE(BigInt(time));
      return signatureLine(name, id, Buffer.concat([ts, sign(null, Buffer.from(msg), privateKey)]));
    },
  };
}

// The note's text (up to the blank line).
export const noteText = (note) => note.slice(0, note.indexOf('\n\n') + 1);

// ---- the journal ----

const J = (s) => JSON.stringify(s);
// The chain's hashed body and the leaf data, canonical JSON with sorted keys; `change`
// is stored canonical already.
const body = (e) => `{"action":${J(e.action)},"actor":${J(e.actor)},"at":${J(e.at)},"change":${e.change},"object":${J(e.object)},"seq":${e.seq}}`;
export const leafData = (e) =>
  `{"action":${J(e.action)},"actor":${J(e.actor)},"at":${J(e.at)},"change":${e.change},"nonce":${J(e.nonce)},"object":${J(e.object)},"seq":${e.seq}}`;
export const chainHash = (prev, e) => sha256(`${prev}\n${body(e)}`).toString('hex');
export const GENESIS = '0'.repeat(64);

// ---- the database's own shell: sqlite3 for an SQLite file (a path or sqlite:PATH),
// psql for a PostgreSQL database (its URL) ----

const isPg = (db) => /^postgres(ql)?:\/\//.test(db);
const file = (db) => db.replace(/^sqlite:/, '');

export function sql(db, query) {
  if (isPg(db)) {
    const select = /^\s*SELECT/i.test(query) && !query.includes(';');
    const text = select ? `SELECT coalesce(json_agg(t), '[]') FROM (${query}) t` : query;
    const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', text], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
    return select ? JSON.parse(r.stdout) : [];
  }
  const r = spawnSync('sqlite3', ['-json', file(db), query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

export function sqlScript(db, script) {
  const r = isPg(db)
    ? spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db], { input: script, encoding: 'utf8' })
    : spawnSync('sqlite3', ['-bail', file(db)], { input: `.timeout 10000\n${script}`, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${isPg(db) ? 'psql' : 'sqlite3'}: ${r.stderr}`);
}

// The append-only triggers, as SQL that drops them and SQL that makes them again.
function triggers(db) {
  if (isPg(db))
    return sql(db, 'SELECT t.tgname AS name, c.relname AS tbl, pg_get_triggerdef(t.oid) AS sql FROM pg_trigger t'
      + ' JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal')
      .map((t) => ({ drop: `DROP TRIGGER ${t.name} ON ${t.tbl};`, create: `${t.sql};` }));
  return sql(db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    .map((t) => ({ drop: `DROP TRIGGER ${t.name};`, create: `${t.sql};` }));
}

export const q = (s) => `'${String(s).replaceAll("'", "''")}'`;

// ---- the attacks ----

export function readJournal(dbFile) {
  return sql(dbFile, 'SELECT seq, at, actor, action, object, change, prev_hash, hash, nonce FROM journal ORDER BY seq');
}

// What an operator with the database file and the log's key can do: `edit` the entries
// (in place), keep only the first `keep`, then recompute the chain, the whole tree and a
// checkpoint signed with the key, and put them in the file, the append-only triggers
// dropped for the while. Returns the new checkpoint.
export function rewriteLedger(dbFile, keyFile, { edit = () => {}, keep } = {}) {
  let entries = readJournal(dbFile);
  let prev = GENESIS;
  for (const e of entries) {   // the attacker reproduces the chain first
    if (chainHash(prev, e) !== e.hash) throw new Error(`cannot reproduce the hash of entry ${e.seq}`);
    prev = e.hash;
  }
  const before = new Map(entries.map((e) => [e.seq, e.hash]));
  if (keep !== undefined) entries = entries.slice(0, keep);
  edit(entries);
  prev = GENESIS;
  for (const e of entries) {
    e.prev_hash = prev;
    e.hash = chainHash(prev, e);
    prev = e.hash;
  }
  const leaves = entries.map((e) => leafHash(leafData(e)));
  const root = mth(leaves);
  const note = signCheckpoint(readLogKey(keyFile), entries.length, root);
  const kept = triggers(dbFile);
  let s = isPg(dbFile) ? 'BEGIN;\n' : 'BEGIN IMMEDIATE;\n';
  for (const t of kept) s += `${t.drop}\n`;
  if (keep !== undefined) s += `DELETE FROM journal WHERE seq > ${keep};\n`;
  for (const e of entries) {
    if (before.get(e.seq) === e.hash) continue;
    s += `UPDATE journal SET at = ${q(e.at)}, actor = ${q(e.actor)}, action = ${q(e.action)}, object = ${q(e.object)}, `
      + `change = ${q(e.change)}, prev_hash = ${q(e.prev_hash)}, hash = ${q(e.hash)} WHERE seq = ${e.seq};\n`;
  }
  s += 'DELETE FROM ledger_nodes;\n';
  const nodes = storedNodes(leaves);
  for (let i = 0; i < nodes.length; i += 500)
    s += `INSERT INTO ledger_nodes(node, hash) VALUES ${nodes.slice(i, i + 500).map(([k, h]) => `(${k}, '${h}')`).join(',')};\n`;
  s += 'DELETE FROM ledger_cosignatures;\nDELETE FROM ledger_checkpoints;\n';
  s += `INSERT INTO ledger_checkpoints(size, root, note, signed_at) VALUES (${entries.length}, ${q(root.toString('base64'))}, `
    + `${q(note)}, ${q(new Date().toISOString().replace(/\.\d+Z$/, 'Z'))});\n`;
  for (const t of kept) s += `${t.create}\n`;
  s += 'COMMIT;\n';
  sqlScript(dbFile, s);
  return { size: entries.length, root, note };
}

// Cosignatures of the latest checkpoint by witnesses of our own, stored as the server's
// witness client stores what it collects.
export function addCosignatures(dbFile, witnesses, note) {
  const text = noteText(note);
  const size = Number(text.split('\n')[1]);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  let s = isPg(dbFile) ? 'BEGIN;\n' : 'BEGIN IMMEDIATE;\n';
  const lastId = isPg(dbFile) ? "currval(pg_get_serial_sequence('ledger_witnesses', 'id'))" : 'last_insert_rowid()';
  for (const w of witnesses) {
    s += `INSERT INTO ledger_witnesses(forum, name, url, vkey, added_at, added_by) VALUES ('CICA', ${q(w.name)}, `
      + `'http://127.0.0.1:9', ${q(w.vkey)}, ${q(now)}, 'test');\n`;
    s += `INSERT INTO ledger_cosignatures(size, witness_id, line, timestamp, received_at) VALUES (${size}, `
      + `${lastId}, ${q(w.cosign(text, Math.floor(Date.now() / 1000)))}, ${Math.floor(Date.now() / 1000)}, ${q(now)});\n`;
  }
  s += 'COMMIT;\n';
  sqlScript(dbFile, s);
}
