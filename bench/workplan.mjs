// Work plan benchmark, printed as a Markdown section for docs/performance.md: a forum the
// size of the OSCE (57 participating States, 16 measures) with three years of quarterly
// implementation reports (57 × 16 × 12 = 10,944), on SQLite and on PostgreSQL (a cluster
// of the run's own, fsync on: bench/lib/db.mjs). What a reader waits for: the matrix as
// JSON, CSV and SVG, a state's row over time, and the annual review (two matrices, the
// year's changes) as JSON and as HTML, each against a trivial authenticated endpoint
// (GET /api/v1/me) measured in the same run, on the same server and connection.
//   node bench/workplan.mjs [build/parley]      (REQUESTS=40 QUARTERS=12; KEEP=1 keeps the databases)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchDatabase } from './lib/db.mjs';

const BIN = resolve(process.argv[2] ?? 'build/parley');
const REQUESTS = Number(process.env.REQUESTS ?? 40);
const QUARTERS = Number(process.env.QUARTERS ?? 12);
const THREADS = Number(process.env.THREADS ?? 2);
const log = (...a) => console.error(...a);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
const ms = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

// The OSCE's 57 participating States (tests/api/forum_setup.test.mjs has the same list).
const OSCE = ['ALB', 'AND', 'ARM', 'AUT', 'AZE', 'BLR', 'BEL', 'BIH', 'BGR', 'CAN', 'HRV', 'CYP', 'CZE', 'DNK', 'EST',
  'FIN', 'FRA', 'GEO', 'DEU', 'GRC', 'VAT', 'HUN', 'ISL', 'IRL', 'ITA', 'KAZ', 'KGZ', 'LVA', 'LIE', 'LTU', 'LUX', 'MLT',
  'MDA', 'MCO', 'MNG', 'MNE', 'NLD', 'MKD', 'NOR', 'POL', 'PRT', 'ROU', 'RUS', 'SMR', 'SRB', 'SVK', 'SVN', 'ESP', 'SWE',
  'CHE', 'TJK', 'TUR', 'TKM', 'UKR', 'GBR', 'USA', 'UZB'];
const STATUSES = ['not_started', 'in_progress', 'in_progress', 'implemented', 'not_applicable'];

function run(args, db, input = '') {
  const r = spawnSync(BIN, [...args, ...db.args()], { encoding: 'utf8', input });
  if (r.status !== 0) throw new Error(`parley ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

async function serve(dir, db) {
  run(['ledger', 'init', '--if-missing'], db);
  const outFile = join(dir, 'parley.out');
  const server = spawn(BIN, ['serve', '--demo', ...db.args(), '--listen', '127.0.0.1:0', '--threads', String(THREADS)], {
    stdio: ['ignore', openSync(outFile, 'w'), process.env.DEBUG ? 'inherit' : 'ignore'],
  });
  const base = await new Promise((ok, fail) => {
    server.on('exit', (c) => fail(new Error(`parley exited with ${c}`)));
    const poll = setInterval(() => {
      const m = readFileSync(outFile, 'utf8').match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearInterval(poll); ok(m[1]); }
    }, 50);
  });
  return { server, base };
}

function client(base, token) {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  return async (method, path, body) => {
    const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return { text, json: () => JSON.parse(text) };
  };
}

// Runs the jobs, `width` at a time.
async function pool(jobs, width) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < jobs.length) await jobs[next++]();
  }));
}

async function measure(engine) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-wp-'));
  const db = benchDatabase(dir, 'parley', engine);
  const { server, base } = await serve(dir, db);
  try {
    const admin = client(base, run(['token', 'create', 'admin', '--name', 'bench'], db));
    await admin('POST', '/api/v1/forums', {
      code: 'OSCE', names: { en: { name: 'Organization for Security and Co-operation in Europe', abbreviation: 'OSCE' } },
      languages: ['en'], timezone: 'Europe/Vienna',
    });
    for (const s of OSCE) await admin('PUT', `/api/v1/forums/OSCE/members/${s}`, { kind: 'member', joined_on: '1975-08-01' });
    run(['user', 'add', 'secretariat.osce', '--role', 'secretariat', '--forum', 'OSCE', '--name', 'OSCE Secretariat'], db,
      'a long benchmark password\n');
    const sec = client(base, run(['token', 'create', 'secretariat.osce', '--name', 'bench'], db));
    await new Promise((s) => setTimeout(s, 300));   // a CLI token reaches the server's caches within 250 ms

    const measures = [];
    for (let i = 1; i <= 16; i++)
      measures.push((await sec('POST', '/api/v1/workplan/measures', {
        forum: 'OSCE', code: `CBM-${i}`, title: `Confidence-building measure ${i}`,
        coordinators: [OSCE[i]], co_coordinators: [OSCE[i + 20]],
      })).json().id);
    // Quarterly reports for every state and measure: the first day of this quarter, then
    // three months back each time; and a second report, made later for the same day, on
    // the latest quarter of some cells (the one made last is the cell's).
    const now = new Date();
    const year = now.getUTCFullYear();
    const thisQuarter = Math.floor(now.getUTCMonth() / 3) * 3;
    const quarters = [];
    for (let q = QUARTERS - 1; q >= 0; q--) quarters.push(new Date(Date.UTC(year, thisQuarter - 3 * q, 1)).toISOString().slice(0, 10));
    const made = [];   // every report as the server answered it
    const post = (id, body) => async () => {
      const r = (await sec('POST', `/api/v1/workplan/measures/${id}/reports`, body)).json();
      made.push({ key: `${r.state}/${id}`, as_of: r.as_of, id: r.id, status: r.status });
    };
    const jobs = [];
    let n = 0;
    for (const as_of of quarters)
      for (const [j, id] of measures.entries())
        for (const [k, state] of OSCE.entries())
          jobs.push(post(id, { state, status: STATUSES[(j * 7 + k * 3 + n++) % STATUSES.length], as_of, note: `Quarterly report ${as_of}.` }));
    log(`== ${engine}: ${jobs.length} reports`);
    const t0 = performance.now();
    await pool(jobs, 8);
    const loadSeconds = (performance.now() - t0) / 1000;
    log(`   loaded in ${loadSeconds.toFixed(0)} s`);
    const last = quarters[quarters.length - 1];
    for (const state of OSCE.slice(0, 20)) await post(measures[0], { state, status: 'not_applicable', as_of: last, note: 'Corrected.' })();

    const endOfLastYear = `${year - 1}-12-31`;
    const paths = {
      me: '/api/v1/me',
      matrix: '/api/v1/workplan/matrix?forum=OSCE',
      csv: '/api/v1/workplan/matrix?forum=OSCE&format=csv',
      svg: '/api/v1/workplan/matrix?forum=OSCE&format=svg',
      row: '/api/v1/workplan/implementation?forum=OSCE&state=KAZ',
      review: `/api/v1/workplan/review?forum=OSCE&year=${year}`,
      reviewHtml: `/api/v1/workplan/review?forum=OSCE&year=${year}&format=html`,
    };
    const times = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
    const bytes = {};
    // The figures are those of the data. What each cell must show as of a day: the
    // latest report by day, then by id, computed here from the reports made.
    const expected = (asOf) => {
      const cells = new Map();
      for (const r of made) {
        const c = cells.get(r.key);
        if (r.as_of <= asOf && (!c || r.as_of > c.as_of || (r.as_of === c.as_of && r.id > c.id))) cells.set(r.key, r);
      }
      return cells;
    };
    const counts = (cells, state) => {
      const out = Object.fromEntries(['not_started', 'in_progress', 'implemented', 'not_applicable', 'not_reported'].map((x) => [x, 0]));
      for (const id of measures) out[cells.get(`${state}/${id}`)?.status ?? 'not_reported']++;
      return out;
    };
    for (const asOf of [now.toISOString().slice(0, 10), endOfLastYear]) {
      const want = expected(asOf);
      const m = (await sec('GET', `${paths.matrix}&as_of=${asOf}`)).json();
      let wrong = 0;
      for (const row of m.states)
        row.cells.forEach((cell, j) => {
          const w = want.get(`${row.state}/${m.measures[j].id}`);
          if (cell?.status !== (w?.status ?? 'not_reported') || (w && cell.report_id !== w.id)) wrong++;
        });
      if (m.states.length !== OSCE.length || m.measures.length !== measures.length || wrong)
        throw new Error(`the matrix as of ${asOf} is not the data's: ${m.states.length} states, ${m.measures.length} measures, ${wrong} cells wrong`);
    }
    // The review's implementation figures: each state's counts on the eve of the year and today.
    const review = (await sec('GET', paths.review)).json();
    const eve = expected(endOfLastYear), today = expected(now.toISOString().slice(0, 10));
    for (const s of review.states)
      for (const [which, cells] of [['start', eve], ['end', today]])
        if (Object.entries(counts(cells, s.state)).some(([status, n]) => s.implementation[which][status] !== n))
          throw new Error(`the review's ${which} for ${s.state} is not the data's: ${JSON.stringify(s.implementation[which])}`);
    for (let i = 0; i < 3; i++) for (const p of Object.values(paths)) await sec('GET', p);   // warm up
    // Interleaved, so that each endpoint sees the same machine.
    for (let i = 0; i < REQUESTS; i++)
      for (const [k, p] of Object.entries(paths)) {
        const t = performance.now();
        const r = await sec('GET', p);
        times[k].push(performance.now() - t);
        bytes[k] = Buffer.byteLength(r.text);
      }
    return { engine, loadSeconds, reports: jobs.length, times, bytes };
  } finally {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((s) => server.on('exit', s));
    }
    if (process.env.KEEP) log(`   kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const engine of (process.env.ENGINES ?? 'sqlite,postgresql').split(',')) results.push(await measure(engine));

const rows = [
  ['reference: `GET /api/v1/me`', 'me'],
  ['the matrix, JSON (57 × 16 cells, totals)', 'matrix'],
  ['the matrix, CSV', 'csv'],
  ['the matrix, SVG', 'svg'],
  ["a state's row over time (ROW reports)", 'row'],
  ['the annual review, JSON (two matrices and the year\'s changes)', 'review'],
  ['the annual review, HTML with its SVG charts', 'reviewHtml'],
];
const kb = (b) => (b < 1024 ? `${b} B` : `${(b / 1024).toFixed(0)} KB`);
let out = `## Work plan

A forum the size of the OSCE: 57 participating States, 16 measures, ${results[0].reports.toLocaleString('en')} implementation reports (every state on every measure, quarterly for ${QUARTERS / 4} years). Each figure is the median (and 95th percentile) of ${REQUESTS} requests, one at a time on one connection as a reader's browser would make them, interleaved with the reference endpoint.

| request | size | ${results.map((r) => `${r.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL 15'} median (p95)`).join(' | ')} | ${results.map((r) => `× reference (${r.engine === 'sqlite' ? 'SQLite' : 'PG'})`).join(' | ')} |
|---|---:|${results.map(() => '---:').join('|')}|${results.map(() => '---:').join('|')}|
`;
for (const [label, k] of rows) {
  out += `| ${label} | ${kb(results[0].bytes[k])} | ${results.map((r) => `${ms(median(r.times[k]))} ms (${ms(pct(r.times[k], 95))})`).join(' | ')} | ${results
    .map((r) => (k === 'me' ? '1' : (median(r.times[k]) / median(r.times.me)).toFixed(0))).join(' | ')} |\n`;
}
out += `
- Loading the reports (\`POST /api/v1/workplan/measures/{id}/reports\`, 8 at a time, each a transaction with its journal entry and ledger leaf): ${results.map((r) => `${(r.reports / r.loadSeconds).toFixed(0)} reports/s on ${r.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL (fsync on)'}`).join(', ')}.
- Before timing, the benchmark checks the matrix's 912 cells as of today and as of the end of last year (status and report) and the review's counts per state against what it computes from the reports it made, 20 cells having two reports for the same day (it stops if one differs).
- Measured by \`bench/workplan.mjs\` against the release build, ${THREADS} I/O threads, from \`bench/run.sh workplan\` on ${cpus().length} cores (${cpus()[0].model}), ${new Date().toISOString().slice(0, 10)}.`;
console.log(out.replace('(ROW reports)', `(the ${QUARTERS * 16} reports of one state)`));
