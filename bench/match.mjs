// Matching benchmark, printed as a Markdown section for docs/performance.md:
// `parley match --indicators` with 1,000,000 indicators (bench/stix_bundle.mjs) over a
// firewall log, against `grep -F -f` given the same 1,000,000 values, in the same run.
//   node bench/match.mjs build/parley        (OBJECTS=1000000 LINES=2000000)
import { spawnSync } from 'node:child_process';
import { appendFileSync, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const BIN = resolve(process.argv[2] ?? 'build/parley');
const OBJECTS = Number(process.env.OBJECTS ?? 1000000);
const LINES = Number(process.env.LINES ?? 2000000);
const here = dirname(new URL(import.meta.url).pathname);
const dir = mkdtempSync(join(tmpdir(), 'parley-bench-match-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const run = (cmd, args) => {
  const t = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  return { ...r, secs: (performance.now() - t) / 1000 };
};

const bundle = join(dir, 'indicators.json');
const values = join(dir, 'values.txt');
console.error(`== ${OBJECTS} indicators and their values`);
if (run('node', [join(here, 'stix_bundle.mjs'), String(OBJECTS), bundle, values]).status !== 0) throw new Error('generator failed');

// A firewall log: private sources, public destinations and host names; one line in a
// thousand carries an indicator's value (address, domain, URL or hash).
console.error(`== a log of ${LINES} lines`);
const log = join(dir, 'firewall.log');
const valueList = spawnSync('sed', ['-n', `1~${Math.max(1, Math.floor(OBJECTS / 5000))}p`, values], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout.trim().split('\n');
let seed = 7;
const rnd = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const out = createWriteStream(log);
let injected = 0;
for (let i = 0; i < LINES; i++) {
  let dst = `${100 + rnd(100)}.${rnd(256)}.${rnd(256)}.${rnd(256)}`;
  let extra = '';
  if (i % 1000 === 0) {
    const v = valueList[rnd(valueList.length)];
    injected += 1;
    if (/^[0-9.]+$/.test(v)) dst = v;
    else extra = ` ref=${v}`;
  }
  const line = `2026-11-23T10:${String(i % 60).padStart(2, '0')}:00Z fw${i % 7} ACCEPT proto=tcp src=192.168.${i % 256}.${(i >> 8) % 256}:${1024 + (i % 60000)} dst=${dst}:443 host=www.site${i % 5000}.example.com bytes=${i % 9000}${extra}\n`;
  if (!out.write(line)) await new Promise((r) => out.once('drain', r));
}
await new Promise((r) => out.end(r));
const mb = statSync(log).size / 1e6;

console.error('== parley match');
const p = run(BIN, ['match', '--indicators', bundle, log]);
if (p.status !== 1) throw new Error(`parley match: ${p.stderr}`);
const summary = p.stderr.trim().split('\n').pop();
const [, loadSecs] = summary.match(/loaded in ([\d.]+) s/);
const [, scanSecs] = summary.match(/lines matched in ([\d.]+) s/);
const parleyHits = p.stdout.trim().split('\n').length;

console.error('== grep -F -f');
// grep builds its automaton for ~15 s before it reads a line, and that time varies by
// seconds from run to run: subtracting a separate empty run from one full run leaves
// mostly noise. Its scan time is therefore what a file of eight copies of the log costs
// beyond the log itself, divided by seven (the best of two runs each): the build cancels out.
const gLoad = run('grep', ['-F', '-c', '-f', values, '/dev/null']);
const g = run('grep', ['-F', '-f', values, log]);
if (g.status !== 0) throw new Error(`grep: ${g.stderr}`);
const grepLines = g.stdout.trim().split('\n').length;
const log8 = join(dir, 'firewall-x8.log');
for (let i = 0; i < 8; i++) appendFileSync(log8, readFileSync(log));
const best = (file) => Math.min(...[0, 1].map(() => run('grep', ['-F', '-c', '-f', values, file]).secs));
const g1 = { secs: best(log) };
const g8 = { secs: best(log8) };
rmSync(log8);
const grepScan = Math.max(0.001, (g8.secs - g1.secs) / 7);

const f = (x) => Math.round(x).toLocaleString('en');
const parleyRate = LINES / Number(scanSecs);
const grepRate = LINES / grepScan;
console.log(`## Matching

Measured by \`bench/match.mjs\` (run by \`bench/run.sh\`, \`make bench\`) in the same run.

**Exact-value matching with ${f(OBJECTS)} indicators loaded: ${f(parleyRate)} lines/s, ${(parleyRate / grepRate).toFixed(2)}× \`grep -F -f\`** on the same values
(target ≥ 1×: **${parleyRate >= grepRate ? 'met' : 'not met'}** in this run).

| ${f(LINES)}-line firewall log (${mb.toFixed(0)} MB), ${f(OBJECTS)} indicators | load (s) | scan (s) | lines/s while scanning | total (s) | output |
|---|---:|---:|---:|---:|---:|
| \`parley match --indicators bundle.json\` (STIX patterns parsed; values indexed) | ${Number(loadSecs).toFixed(2)} | ${Number(scanSecs).toFixed(2)} | ${f(parleyRate)} | ${p.secs.toFixed(2)} | ${f(parleyHits)} hits |
| reference: \`grep -F -f values.txt\` (the same ${f(OBJECTS)} values as plain strings) | ${gLoad.secs.toFixed(2)} | ${grepScan.toFixed(2)} | ${f(grepRate)} | ${g.secs.toFixed(2)} | ${f(grepLines)} lines |

- Parley matches on both cores (chunks of lines on two threads, output in input order); grep uses one — it has no option for more.
- ${f(injected)} lines carry an indicator's value (one in a thousand: addresses, domain names, URLs or SHA-256 hashes); the rest are private sources and public destinations that match nothing.
- grep's load is its run over an empty file with the same \`-f\` list (building its automaton). Its scan is what a file of eight copies of the log costs it beyond the log itself, divided by seven (best of two runs each: ${g1.secs.toFixed(2)} s and ${g8.secs.toFixed(2)} s in this run): the build cancels out, where subtracting the empty run from the full one left mostly the build's own variation (seconds). Parley's load reads the bundle, parses the ${f(OBJECTS)} STIX patterns and indexes their values; its scan tokenises each line into candidate observables (IPv4/IPv6 addresses, domain names, URLs, e-mail addresses, hashes) and looks each up.
- The two do not answer the same question: grep finds substrings (\`10.0.0.1\` inside \`10.0.0.12\`), Parley finds observables equal to an indicator's value, as STIX defines equality, and names the indicator.
- Run on ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0].model}).
`);
