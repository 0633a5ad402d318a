// `npx tsx bench/migrate.ts [VERSIONS_TO_MIGRATE] [VERSIONS_TO_BACK_UP]`: the figures for moving in and backing up
// (PostgreSQL too when BENCH_DATABASE_URL or TEST_DATABASE_URL is set; BENCH_BACKUP_PGLITE=0 skips PGlite).
// 1. `accord migrate` (the real CLI, a child process) copying a source Accord into a fresh one over HTTP: versions/s.
// 2. `accord export` and `accord import` of a registry of 100,000 versions (seeded straight into the database, with
//    an audit entry each, as registrations would leave them): time and file size, plain and gzip.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { exportToFile, importFromFile } from '../src/cli/backup.js';
import { fingerprintOf } from '../src/registry/schemas.js';
import { openDatabase } from '../src/storage/database.js';

const ROOT = resolve(import.meta.dirname, '..');
const migrateVersions = Number(process.argv[2] ?? 2000);
const backupVersions = Number(process.argv[3] ?? 100_000);

/** A record schema as Accord stores it (canonical text), distinct per (subject, version). */
const avro = (s: number, v: number) =>
  JSON.stringify({ type: 'record', name: `Event${s}`, namespace: 'bench', fields: Array.from({ length: 4 + v }, (_, i) => ({ name: `f${i}`, type: 'string', default: '' })) });

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(process.execPath, [join(ROOT, 'bin/accord.js'), ...args], { maxBuffer: 64 << 20, env: { ...process.env, NODE_OPTIONS: '' } }, (err, stdout, stderr) =>
      done({ code: err ? Number(err.code) : 0, stdout, stderr }),
    ),
  );
}

/** `accord serve` in its own process (PGlite in memory), as a registry runs: its URL and a way to stop it. */
async function serveProcess(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/accord.js'), 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', 'memory://'], {
    env: { ...process.env, NODE_OPTIONS: '', ACCORD_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((done, fail) => {
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving on (http:\/\/[^\s]+)/.exec(output);
      if (match) done(match[1]!);
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => fail(new Error(`accord serve exited ${code}: ${output}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

async function benchMigrate() {
  const [source, target] = await Promise.all([serveProcess(), serveProcess()]);
  const perSubject = 5;
  for (let i = 0; i < migrateVersions; i++) {
    const s = Math.floor(i / perSubject);
    const res = await fetch(`${source.url}/subjects/bench-${s}-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ schema: avro(s, i % perSubject) }),
    });
    if (res.status !== 200) throw new Error(`seeding: ${res.status} ${await res.text()}`);
  }
  const started = performance.now();
  const run = await cli(['migrate', '--from', source.url, '--to', target.url]);
  const seconds = (performance.now() - started) / 1000;
  if (run.code !== 0) throw new Error(`migrate exited ${run.code}: ${run.stderr}${run.stdout}`);
  console.log(`migrate: ${migrateVersions} versions of ${migrateVersions / perSubject} subjects in ${seconds.toFixed(1)} s end to end (read both sides, register, verify): ${(migrateVersions / seconds).toFixed(0)} versions/s`);
  console.log(`  ${run.stdout.split('\n')[0]}`);
  source.stop();
  target.stop();
}

/** A new, empty PostgreSQL database on the server at `adminUrl`: its URL and how to drop it. */
async function newPostgresDatabase(adminUrl: string) {
  const name = `accord_bench_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** PGlite on disk, or PostgreSQL when `adminUrl` is given. */
async function benchBackup(adminUrl?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'accord-bench-backup-'));
  const drops: (() => Promise<void>)[] = [];
  const place = async (name: string) => {
    if (!adminUrl) return { dataDir: join(dir, name) };
    const db = await newPostgresDatabase(adminUrl);
    drops.push(db.drop);
    return { databaseUrl: db.url };
  };
  try {
    const from = await place('from');
    const database = await openDatabase({ url: from.databaseUrl, dataDir: from.dataDir });
    const perSubject = 10;
    const seedStarted = performance.now();
    for (let start = 0; start < backupVersions; start += 1000) {
      const schemas: unknown[] = [];
      const versions: unknown[] = [];
      for (let i = start; i < Math.min(start + 1000, backupVersions); i++) {
        const s = Math.floor(i / perSubject);
        const text = avro(s, i % perSubject);
        schemas.push({ id: i + 1, schemaType: 'AVRO', schema: text, fingerprint: fingerprintOf('AVRO', text, [], null, null) });
        versions.push({ subject: `bench-${s}-value`, version: (i % perSubject) + 1, schemaId: i + 1 });
      }
      await database.db.execute(sql`insert into schemas (id, schema_type, schema, fingerprint)
        select id, "schemaType", schema, fingerprint from json_to_recordset(${JSON.stringify(schemas)}::json) as r(id int, "schemaType" text, schema text, fingerprint text)`);
      await database.db.execute(sql`insert into subject_versions (subject, version, schema_id)
        select subject, version, "schemaId" from json_to_recordset(${JSON.stringify(versions)}::json) as r(subject text, version int, "schemaId" int)`);
      await database.db.execute(sql`insert into audit_log (actor, action, subject, version, schema_id)
        select 'bench', 'register', subject, version, "schemaId" from json_to_recordset(${JSON.stringify(versions)}::json) as r(subject text, version int, "schemaId" int)`);
    }
    await database.db.execute(sql`select setval('schema_ids', ${backupVersions})`);
    await database.close();
    const kind = adminUrl ? 'PostgreSQL' : 'PGlite on disk';
    console.log(`backup (${kind}): seeded ${backupVersions} versions (${backupVersions / perSubject} subjects, an audit entry each) in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

    for (const name of ['registry.jsonl', 'registry.jsonl.gz']) {
      const file = join(dir, name);
      const exported = await exportToFile(file, from, {});
      const imported = await importFromFile(file, { ...(await place(`to-${name}`)), force: false }, {});
      console.log(
        `  ${name}: export ${exported.seconds.toFixed(1)} s, ${(exported.bytes / 1e6).toFixed(1)} MB; import into an empty ${kind} ${imported.seconds.toFixed(1)} s (${imported.written.version} versions)`,
      );
    }
  } finally {
    for (const drop of drops) await drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (migrateVersions > 0) await benchMigrate();
const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (backupVersions > 0 && process.env.BENCH_BACKUP_PGLITE !== '0') await benchBackup();
if (backupVersions > 0 && postgresUrl) await benchBackup(postgresUrl);
