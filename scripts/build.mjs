// `npm run build` (also run after install and before `npm start`): bundles the server and CLI into dist/accord.mjs,
// which bin/accord.js runs while it is newer than every source file. Running the TypeScript through tsx instead
// costs about 0.6 s of start-up and 75 MB of memory (transpiling on load, the loader thread).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/index.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: 'dist/accord.mjs',
  logLevel: 'warning',
});
