// The ledger's tree cannot be turned off in `parley`: only the benchmark executable
// parley_bench_nolog (bench/nolog_main.cc, storage/journal_tree_switch.h) runs the journal
// without it, for bench/ledger.mjs's "log on against off". These tests hold that line:
// nothing under src/ reaches the switch, the parley executable stores a leaf per entry
// with no option at all, and a database written without the tree does not pass
// `parley journal verify`, so a server run that way would not go unnoticed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { BIN, SOURCE, cli, ledgerInit, signedIn, sql, startServer, tempDir, testDatabase, withDataDir } from '../lib/harness.mjs';

const NOLOG = join(dirname(BIN), 'parley_bench_nolog');
const sqlite = (db, query) => sql(db, query);   // sqlite3 or psql (harness)
const files = (dir) => readdirSync(dir, { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));

describe('the ledger tree switch is for the benchmarks only', () => {
  const dirs = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('is reached from no source of the parley executable', () => {
    const reaching = files(join(SOURCE, 'src'))
      .filter((f) => /journal_without_ledger_tree|journal_tree_switch\.h/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SOURCE, f))
      .sort();
    assert.deepEqual(reaching, ['src/storage/journal.cc', 'src/storage/journal_tree_switch.h']);
    const cmake = readFileSync(join(SOURCE, 'CMakeLists.txt'), 'utf8');
    assert.match(cmake, /add_executable\(parley src\/app\/main\.cc\)/);
    assert.deepEqual(cmake.match(/bench\/nolog_main\.cc/g), ['bench/nolog_main.cc'], 'only parley_bench_nolog is built from it');
    assert.match(readFileSync(join(SOURCE, 'bench/nolog_main.cc'), 'utf8'), /journal_without_ledger_tree\(\)/);
  });

  it('parley stores a leaf per journal entry, and the tree verifies', async () => {
    const server = await startServer();
    dirs.push(server.dir);
    const admin = await signedIn(server.base, 'admin');
    const created = await admin.post('/api/v1/contacts', {
      state: 'THA', name: 'Leaf Person', type: 'policy', availability: 'office_hours',
    });
    assert.equal(created.status, 201);
    await server.stop();
    const entries = Number(sqlite(server.db, 'SELECT count(*) FROM journal'));
    assert.ok(entries > 1);
    assert.equal(Number(sqlite(server.db, `SELECT count(*) FROM ledger_nodes WHERE node < ${2 ** 48}`)), entries);
    const verify = cli(['journal', 'verify', '--db', server.db]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  });

  it('a database written by parley_bench_nolog has no tree, and parley journal verify says so', () => {
    assert.ok(existsSync(NOLOG), `${NOLOG} is built with the rest (ninja -C build-test)`);
    const dir = tempDir();
    dirs.push(dir);
    const db = testDatabase(dir);
    ledgerInit(dir);
    const made = spawnSync(NOLOG, withDataDir(['state', 'add', 'EUU', '--name', 'en=European Union', '--db', db]), { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    assert.ok(Number(sqlite(db, 'SELECT count(*) FROM journal')) >= 1);
    assert.equal(sqlite(db, 'SELECT count(*) FROM ledger_nodes'), '0');
    const verify = cli(['journal', 'verify', '--db', db]);
    assert.notEqual(verify.code, 0);
    assert.match(verify.stdout + verify.stderr, /tree/);
  });
});
