// The database a benchmark runs Parley on: `DB=sqlite` (default) or `DB=postgresql`.
//   const db = benchDatabase(dir);   db.url for --db, db.sql(text) for setup and counts,
//                                    db.args(dir) for `parley serve|token|import`,
//                                    db.serverPid() the database server's (PostgreSQL)
// PostgreSQL is a cluster of the benchmark's own (scripts/pg-cluster.sh with
// PG_DURABLE=1: fsync and synchronous commit on, as a real installation has them),
// on this machine, stopped when the process exits. SQL given to sql() must be valid on
// both (no SQLite dot-commands); results come back as text, one row per line.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { withDatabase } from '../../tests/lib/pg.mjs';

const SCRIPT = resolve(dirname(new URL(import.meta.url).pathname), '../../scripts/pg-cluster.sh');

export const kind = (process.env.DB ?? 'sqlite').startsWith('postgres') ? 'postgresql' : 'sqlite';
export const label = kind === 'postgresql' ? 'PostgreSQL 15' : 'SQLite';

function check(r, what) {
  if (r.status !== 0) throw new Error(`${what} failed: ${r.stdout ?? ''}${r.stderr ?? ''}`);
  return r.stdout;
}

let cluster = null;   // { dir, url } once started
function startCluster() {
  if (cluster) return cluster;
  // Directly in the temporary folder: as root the script hands it to `postgres`.
  const dir = join(tmpdir(), `parley-bench-pg-${randomBytes(6).toString('hex')}`);
  const url = check(spawnSync(SCRIPT, ['start', dir], { encoding: 'utf8', env: { ...process.env, PG_DURABLE: '1' } }),
    'pg-cluster.sh start').trim();
  cluster = { dir, url };
  process.on('exit', () => spawnSync(SCRIPT, ['stop', dir]));
  return cluster;
}

function psql(url, text) {
  return check(spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url],
    { input: text, encoding: 'utf8', maxBuffer: 1 << 26 }), 'psql');
}

// A new database in `dir` (SQLite) or on the benchmark's cluster (PostgreSQL); `as`
// names the engine for a benchmark that runs on both in one process.
export function benchDatabase(dir, name = 'parley', as = kind) {
  if (as === 'sqlite') {
    const file = join(dir, `${name}.db`);
    return {
      url: `sqlite:${file}`,
      file,
      // The key files beside the database (ledger key): `--data-dir` for serve and init.
      args: () => ['--db', `sqlite:${file}`],
      sql: (text) => check(spawnSync('sqlite3', [file], { input: `.timeout 10000\n${text}`, encoding: 'utf8', maxBuffer: 1 << 26 }), 'sqlite3'),
      serverPid: () => null,   // SQLite runs inside Parley
    };
  }
  const c = startCluster();
  const db = `${name}_${randomBytes(4).toString('hex')}`;
  psql(c.url, `CREATE DATABASE ${db};`);
  const url = withDatabase(c.url, db);
  return {
    url,
    args: () => ['--db', url, '--data-dir', dir],
    sql: (text) => psql(url, text),
    // The postmaster's pid: its backends are its children (bench/lib/cpu.mjs groupCpu).
    serverPid: () => Number(readFileSync(join(c.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]),
  };
}
