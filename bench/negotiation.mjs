// Negotiation benchmark, printed as a Markdown section for docs/performance.md: parse and
// render a 300-paragraph draft with 2,000 proposals (bench/negotiation_bench.cc, Google
// Benchmark, 5 repetitions), against one pass over the same bytes in the same run.
//   node bench/negotiation.mjs [build/parley_bench_negotiation]
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

const bin = process.argv[2] ?? 'build/parley_bench_negotiation';
const r = spawnSync(bin, ['--benchmark_format=json'], { encoding: 'utf8', maxBuffer: 1 << 24 });
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  process.exit(1);
}
const report = JSON.parse(r.stdout);
const median = (name) => report.benchmarks.find((b) => b.run_name.split('/')[0] === name && b.aggregate_name === 'median');
const ms = (b) => (b.real_time * (b.time_unit === 'us' ? 1e-3 : b.time_unit === 'ns' ? 1e-6 : 1));
const parse = median('BM_Parse'), render = median('BM_Render'), clean = median('BM_RenderClean'), scan = median('BM_ScanReference');
const draft = r.stderr.match(/draft: (\d+) paragraphs, (\d+) proposals, (\d+) bytes, (\d+) brackets/);
const f = (x) => x.toFixed(x < 1 ? 3 : 2);
const mbps = (b) => (b.bytes_per_second / 1e6).toFixed(0);

console.log(`## Negotiation

**Parse ${f(ms(parse))} ms, render ${f(ms(render))} ms** for a draft of ${draft[1]} paragraphs carrying ${draft[2]} proposals
(${draft[4]} brackets, ${(Number(draft[3]) / 1024).toFixed(0)} KiB of compilation text); target under 10 ms each.

| operation | median time | throughput | × the reference scan |
|---|---:|---:|---:|
| parse the compilation text (\`parse_compilation\`) | ${f(ms(parse))} ms | ${mbps(parse)} MB/s | ${(ms(parse) / ms(scan)).toFixed(0)} |
| render the compilation text (\`render_compilation\`) | ${f(ms(render))} ms | ${mbps(render)} MB/s | ${(ms(render) / ms(scan)).toFixed(1)} |
| render the clean text (\`render_clean\`) | ${f(ms(clean))} ms | | ${(ms(clean) / ms(scan)).toFixed(1)} |
| reference: one pass over the same bytes counting \`[\` | ${f(ms(scan))} ms | ${mbps(scan)} MB/s | 1 |

- Measured by \`bench/negotiation_bench.cc\` (Google Benchmark${report.context.library_version ? ' ' + report.context.library_version : ''}, medians of 5 repetitions), run from \`bench/run.sh\` on ${cpus().length} cores (${cpus()[0].model}), ${new Date().toISOString().slice(0, 10)}.
- The draft is generated: 20 preambular and 280 operative paragraphs; deletions and insertions with one to four attributions, nested brackets, replacements (a deletion and an insertion by the same state), paragraphs proposed for addition (bis), alternatives and paragraph deletions. The benchmark refuses to run unless the draft has exactly 2,000 proposals and survives the round trip (parse of render is the same text, render of parse the same bytes).
- Parsing does more than the reference: line and column bookkeeping, attribution checks against ISO 3166-1, whitespace normalisation, paragraph labels and the numbering check, proposal ids.`);
