// PostgreSQL for tests that are by nature about PostgreSQL and so run in both ctest runs
// (api, without PARLEY_TEST_DB, and api_pg): `ownCluster()` starts a throwaway cluster of
// the test file's own with scripts/pg-cluster.sh (a test that restarts PostgreSQL must
// own its cluster: the api_pg run shares one between test files); `emptyDatabase()` makes
// a database with no tables on the shared cluster when there is one, else on its own.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SOURCE } from './harness.mjs';
import { psql, withDatabase } from './pg.mjs';

const SCRIPT = join(SOURCE, 'scripts/pg-cluster.sh');
const BIN = '/usr/lib/postgresql/15/bin';

function script(...args) {
  const r = spawnSync(SCRIPT, args, { encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) throw new Error(`pg-cluster.sh ${args.join(' ')} failed: ${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

function asOwner(args) {
  // As scripts/pg-cluster.sh runs it: the unprivileged `postgres` user when run as root.
  return process.getuid() === 0 ? ['runuser', ['-u', 'postgres', '--', ...args]] : [args[0], args.slice(1)];
}

// A cluster of this test file's own: { url, dir, stop(), pgctl(...args) }.
export function ownCluster() {
  // Made by the script (as root it hands it to `postgres`, who must reach it: directly
  // in the temporary folder, not inside a folder of root's own).
  const dir = join(tmpdir(), `parley-pgown-${randomBytes(6).toString('hex')}`);
  const url = script('start', dir);
  return {
    url,
    dir,
    stop() {
      script('stop', dir);
    },
    // pg_ctl on the cluster's data folder, e.g. pgctl('stop', '-m', 'fast').
    pgctl(...args) {
      const [cmd, argv] = asOwner([`${BIN}/pg_ctl`, '-D', join(dir, 'data'), '-l', join(dir, 'server.log'), ...args]);
      const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 120000 });
      if (r.status !== 0) throw new Error(`pg_ctl ${args.join(' ')} failed: ${r.stdout}${r.stderr}`);
    },
  };
}

// A new database with no tables, on `cluster` (a URL).
export function emptyDatabase(cluster) {
  const name = `parley_empty_${randomBytes(8).toString('hex')}`;
  psql(cluster, `CREATE DATABASE ${name}`);
  return withDatabase(cluster, name);
}
