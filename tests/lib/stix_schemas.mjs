// The OASIS STIX 2.1 JSON schemas (tests/interop/stix2-json-schemas, draft 2020-12)
// loaded into ajv, a real JSON Schema validator: validate(object) returns the errors
// (an empty list when the object conforms to the schema of its type).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { SOURCE } from './harness.mjs';

const ROOT = join(SOURCE, 'tests/interop/stix2-json-schemas/schemas');
// unicodeRegExp off: the OASIS patterns use escapes (\-) that JavaScript's u-mode refuses.
const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats(ajv);
// ajv-formats has no idn-hostname (domain-name values): a host name a URL can carry.
ajv.addFormat('idn-hostname', (v) => {
  try {
    return !/[\s/?#@:]/.test(v) && new URL(`http://${v}/`).hostname.length > 0;
  } catch {
    return false;
  }
});

const byType = new Map();
for (const dir of ['common', 'sdos', 'sros', 'observables']) {
  for (const file of readdirSync(join(ROOT, dir))) {
    const schema = JSON.parse(readFileSync(join(ROOT, dir, file), 'utf8'));
    ajv.addSchema(schema);
    if (dir !== 'common') byType.set(file.replace(/\.json$/, ''), schema.$id);
  }
}
for (const t of ['marking-definition', 'language-content', 'extension-definition', 'bundle'])
  byType.set(t, `http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/common/${t}.json`);

export function schemaFor(type) {
  return byType.get(type);
}

export function validate(object) {
  const id = byType.get(object.type);
  if (!id) return [{ message: `no OASIS schema for type ${object.type}` }];
  const check = ajv.getSchema(id);
  return check(object) ? [] : check.errors;
}
