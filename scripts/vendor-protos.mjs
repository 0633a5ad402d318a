// `node scripts/vendor-protos.mjs` copies the Google .proto files Confluent's registry bundles (imports that need no
// reference) from the installed google-proto-files package into src/formats/protobuf/bundled, unchanged.
// `--check` compares instead of copying and exits 1 on any difference, missing or extra file.
// Confluent's own confluent/meta.proto and confluent/type/decimal.proto are published in no npm package as .proto
// text: they are committed as published in confluentinc/schema-registry (see bundled/README.md) and left alone here.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'src/formats/protobuf/bundled');
const from = dirname(createRequire(join(root, 'package.json')).resolve('google-proto-files/package.json'));

const GOOGLE_FILES = [
  ...['any', 'api', 'descriptor', 'duration', 'empty', 'field_mask', 'source_context', 'struct', 'timestamp', 'type', 'wrappers'].map(
    (name) => `google/protobuf/${name}.proto`,
  ),
  ...[
    'calendar_period', 'color', 'date', 'datetime', 'dayofweek', 'decimal', 'expr', 'fraction', 'interval', 'latlng',
    'localized_text', 'money', 'month', 'phone_number', 'postal_address', 'quaternion', 'timeofday',
  ].map((name) => `google/type/${name}.proto`),
];

const check = process.argv.includes('--check');
const problems = [];
for (const file of GOOGLE_FILES) {
  const source = readFileSync(join(from, file));
  const dest = join(target, file);
  if (check) {
    if (!existsSync(dest)) problems.push(`${file}: missing`);
    else if (!readFileSync(dest).equals(source)) problems.push(`${file}: differs from google-proto-files`);
  } else {
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, source);
  }
}
// A google/* file nobody copies would be served without being checked.
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
for (const extra of walk(join(target, 'google')).map((p) => relative(target, p).split('\\').join('/'))) {
  if (!GOOGLE_FILES.includes(extra)) problems.push(`${extra}: not a file this script vendors`);
}

const version = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')).version;
if (problems.length) {
  console.error(`Vendored .proto files differ from google-proto-files ${version}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`${GOOGLE_FILES.length} google/*.proto files ${check ? 'match' : 'copied from'} google-proto-files ${version}`);
