// `node scripts/image-smoke.mjs`: what the Dockerfile does, without a container engine. On a fresh copy of this
// checkout (the files git tracks or would, as the image's build context), runs the build stage's install, then the
// runtime stage's production-only install with the build's bundle copied in, starts the image's command, runs its
// HEALTHCHECK command, and stops it with SIGTERM as `docker stop` does. Prints one JSON object of figures; exit 1 on
// any failure. Not exercised: the base image, the non-root user, the image's file permissions and its size.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Dockerfile's commands, which test/deploy.test.ts checks are the Dockerfile's own. */
export const BUILD_INSTALL = 'npm ci --no-audit --no-fund';
export const RUNTIME_INSTALL = 'npm ci --omit=dev --ignore-scripts --no-audit --no-fund';
export const RUNTIME_SOURCES = ['bin', 'src', 'migrations', 'contracts', 'sdk', 'tsconfig.json'];
export const START = ['node', 'bin/accord.js', 'serve'];
export const HEALTHCHECK =
  "fetch('http://127.0.0.1:'+(process.env.PORT||8081)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))";

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sh = (command, cwd, env = process.env) => execFileSync('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
const step = (what) => process.stderr.write(`image smoke: ${what}\n`);
const seconds = (since) => Math.round((performance.now() - since) / 100) / 10;
const sizeOf = (path) => {
  const s = statSync(path);
  return s.isDirectory() ? readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0) : s.size;
};
const freePort = () =>
  new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });

/** `reuseBuild`: take the build stage's outputs from this checkout's install (`--reuse-build`, as the test suite runs it). */
export async function imageSmoke({ databaseUrl, reuseBuild = false } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'accord-image-'));
  const figures = {};
  try {
    // The build context: what git tracks or would track (.dockerignore leaves out the same: node_modules, dist, data).
    const build = join(work, 'build');
    const files = sh('git ls-files --cached --others --exclude-standard -z', root).split('\0').filter(Boolean);
    for (const file of files) {
      try {
        cpSync(join(root, file), join(build, file));
      } catch (err) {
        if (err.code !== 'ENOENT') throw err; // tracked, deleted in this checkout and not committed yet
      }
    }
    let since = performance.now();
    if (reuseBuild) {
      // The build stage is this checkout's own install (the same `npm ci`, which CI has just run on a fresh clone):
      // its outputs are taken as they are, brought up to date first, instead of installing 450 packages again.
      step('build stage: the outputs of this checkout\'s install (node scripts/build.mjs)');
      sh('node scripts/build.mjs', root);
      for (const path of ['dist', 'sdk/dist']) cpSync(join(root, path), join(build, path), { recursive: true });
    } else {
      step(`build stage: ${BUILD_INSTALL}`);
      sh(BUILD_INSTALL, build);
    }
    figures.buildInstallSeconds = seconds(since);

    const run = join(work, 'run');
    mkdirSync(run);
    for (const file of ['package.json', 'package-lock.json']) cpSync(join(build, file), join(run, file));
    since = performance.now();
    step(`runtime stage: ${RUNTIME_INSTALL}`);
    sh(RUNTIME_INSTALL, run);
    figures.runtimeInstallSeconds = seconds(since);
    figures.productionPackages = readdirSync(join(run, 'node_modules')).flatMap((name) => (name.startsWith('@') ? readdirSync(join(run, 'node_modules', name)) : name.startsWith('.') ? [] : [name])).length;
    figures.productionNodeModulesMb = Math.round(sizeOf(join(run, 'node_modules')) / 1e5) / 10;
    for (const path of RUNTIME_SOURCES) cpSync(join(build, path), join(run, path), { recursive: true });
    cpSync(join(build, 'dist'), join(run, 'dist'), { recursive: true });
    cpSync(join(build, 'sdk/dist'), join(run, 'sdk/dist'), { recursive: true });

    const port = await freePort();
    const env = { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ACCORD_LOG_LEVEL: 'warn' };
    for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'NODE_OPTIONS' || key === 'DATABASE_URL') delete env[key];
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
    else env.ACCORD_DATA_DIR = join(work, 'data');
    since = performance.now();
    step(`starting: ${START.join(' ')}`);
    const server = spawn(START[0], START.slice(1), { cwd: run, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stdout.on('data', (c) => (output += c));
    server.stderr.on('data', (c) => (output += c));
    const exited = new Promise((done) => server.once('exit', (code) => done(code)));
    try {
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (server.exitCode !== null) throw new Error(`the image's command exited with ${server.exitCode}: ${output}`);
        try {
          sh(`node -e "${HEALTHCHECK}"`, run, env);
          break;
        } catch {
          if (Date.now() > deadline) throw new Error(`HEALTHCHECK never passed: ${output}`);
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      figures.readySeconds = seconds(since);
      step('HEALTHCHECK passed; stopping with SIGTERM');
      figures.ranBundle = statSync(join(run, 'dist/accord.mjs')).mtimeMs >= statSync(join(run, 'src/cli/index.ts')).mtimeMs;
    } finally {
      server.kill('SIGTERM');
    }
    figures.exitOnSigterm = await exited;
    return figures;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  imageSmoke({ databaseUrl: process.env.DATABASE_URL, reuseBuild: process.argv.includes('--reuse-build') })
    .then((figures) => {
      console.log(JSON.stringify(figures));
      process.exit(figures.exitOnSigterm === 0 ? 0 : 1);
    })
    .catch((err) => {
      console.error(`image smoke test failed: ${err.message}`);
      process.exit(1);
    });
}
