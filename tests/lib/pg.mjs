// PostgreSQL for the API tests: when PARLEY_TEST_DB names a cluster (the URL of a
// database of it, as scripts/pg-cluster.sh prints), each server gets a database of its
// own, copied from a migrated template (made once per build of `parley`: its name
// carries the binary's size and time), and dropped at cleanup.
import { spawnSync } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { statSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLUSTER = process.env.PARLEY_TEST_DB ?? '';
const dataDirs = new Map();   // database URL -> the folder of its key files

export function onPostgres() {
  return CLUSTER !== '';
}

// The same URL naming another database.
export function withDatabase(url, name) {
  const m = url.match(/^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/);
  if (!m) throw new Error(`not a PostgreSQL URL: ${url}`);
  return `${m[1]}/${name}${m[3] ?? ''}`;
}

// Runs SQL with psql; the result as text (rows on lines, columns separated by |).
export function psql(url, query) {
  const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', query],
    { encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`psql failed (${query}): ${r.stderr}`);
  return r.stdout.trim();
}

function exists(name) {
  return psql(CLUSTER, `SELECT 1 FROM pg_database WHERE datname = '${name}'`) === '1';
}

// The migrated template for `bin`, made by `parley migrate` under another name and
// renamed when done: test files running in parallel may build it at the same time, the
// first rename wins and the others drop theirs.
function template(bin) {
  const st = statSync(bin);
  const name = `parley_api_${createHash('sha256').update(`${bin}:${st.size}:${st.mtimeMs}`).digest('hex').slice(0, 16)}`;
  if (exists(name)) return name;
  const building = `${name}_${randomBytes(4).toString('hex')}`;
  psql(CLUSTER, `CREATE DATABASE ${building}`);
  const dir = mkdtempSync(join(tmpdir(), 'parley-tpl-'));
  const r = spawnSync(bin, ['migrate', '--db', withDatabase(CLUSTER, building), '--data-dir', dir],
    { encoding: 'utf8', timeout: 120000 });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) {
    psql(CLUSTER, `DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    throw new Error(`parley migrate failed: ${r.stdout}${r.stderr}`);
  }
  try {
    psql(CLUSTER, `ALTER DATABASE ${building} RENAME TO ${name}`);
  } catch {
    psql(CLUSTER, `DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    if (!exists(name)) throw new Error(`the template ${name} could not be made`);
  }
  return name;
}

// A new, migrated database for one server (or a copy of `from`, a database no one is
// connected to); `dir` holds its key files.
export function createDatabase(bin, dir, from) {
  const name = `parley_it_${randomBytes(8).toString('hex')}`;
  const source = from ? from.match(/^postgres(?:ql)?:\/\/[^/?]*\/([^?]*)/)[1] : template(bin);
  psql(CLUSTER, `CREATE DATABASE ${name} TEMPLATE ${source}`);
  const url = withDatabase(CLUSTER, name);
  dataDirs.set(url, dir);
  return url;
}

export function databaseFor(dir) {
  for (const [url, d] of dataDirs) if (d === dir) return url;
  return undefined;
}

export function dataDirFor(url) {
  return dataDirs.get(url);
}

export function dropDatabase(url) {
  const name = url.match(/^postgres(?:ql)?:\/\/[^/?]*\/([^?]*)/)[1];
  try {
    psql(CLUSTER, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } catch {
    // The cluster is already stopped (the run failed early): nothing left to drop.
  }
  dataDirs.delete(url);
}
