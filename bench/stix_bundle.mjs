// Writes a STIX 2.1 bundle of N indicators (TLP:GREEN) to FILE, for the ingest and
// matching benchmarks: a quarter each IPv4 addresses, domain names, URLs and SHA-256
// file hashes, all distinct; deterministic for a given N.
//   node bench/stix_bundle.mjs 1000000 /tmp/indicators.json [values.txt]
// With a third argument, also writes the indicators' plain values, one per line (the
// list `grep -F -f` is given in the matching benchmark).
import { createWriteStream } from 'node:fs';
import { createHash } from 'node:crypto';

const n = Number(process.argv[2] ?? 1000);
const out = createWriteStream(process.argv[3] ?? '/dev/stdout');
const valuesOut = process.argv[4] ? createWriteStream(process.argv[4]) : null;
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';

function uuid(i) {
  const h = createHash('sha256').update(`parley-bench-${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function value(i) {
  switch (i % 4) {
    case 0: return ['ipv4-addr:value', `${10 + ((i >> 24) & 63)}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`];
    case 1: return ['domain-name:value', `host${i}.example-${i % 997}.net`];
    case 2: return ['url:value', `https://cdn${i % 89}.example.org/a/${i}/payload.bin`];
    default: return ["file:hashes.'SHA-256'", createHash('sha256').update(`file-${i}`).digest('hex')];
  }
}

function write(stream, s) {
  return stream.write(s) ? null : new Promise((r) => stream.once('drain', r));
}

await write(out, `{"type":"bundle","id":"bundle--${uuid(-1)}","objects":[\n`);
for (let i = 0; i < n; i++) {
  const [path, v] = value(i);
  const o = {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${uuid(i)}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name: `Benchmark indicator ${i}`,
    indicator_types: ['malicious-activity'],
    pattern: `[${path} = '${v}']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    object_marking_refs: [GREEN],
  };
  const p = write(out, (i ? ',\n' : '') + JSON.stringify(o));
  if (p) await p;
  if (valuesOut) {
    const q = write(valuesOut, `${v}\n`);
    if (q) await q;
  }
}
await write(out, '\n]}\n');
out.end();
valuesOut?.end();
