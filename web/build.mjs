// Builds the demo page into web/dist: static files only (HTML, CSS, the bundled page script with
// Chart.js, the SDK's ES module + worker, both wasm builds, the demo model files, and the
// Fashion-MNIST sample made from Debian's dataset-fashion-mnist). The SDK must be built first
// (sdk/scripts/build.mjs).
//
//   node web/build.mjs
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const web = dirname(fileURLToPath(import.meta.url));
const repo = join(web, '..');
const sdk = join(repo, 'sdk');
const dist = join(web, 'dist');

for (const f of ['dist/browser.js', 'dist/node.js', 'dist/browser.d.ts', 'dist/worker.js', 'wasm/ca3-threads.wasm', 'wasm/ca3-single.wasm'])
  if (!existsSync(join(sdk, f))) throw new Error(`sdk/${f} is missing: build the SDK first (node sdk/scripts/build.mjs)`);

execFileSync(process.execPath, [join(web, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', web], { stdio: 'inherit' });
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
await esbuild.build({
  entryPoints: [join(web, 'src', 'main.ts')],
  outfile: join(dist, 'app.js'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  external: ['ca3-sdk'],  // loaded through the import map in index.html, as published
  logLevel: 'warning',
  legalComments: 'none',
});
const copy = (from, to) => {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
};
for (const f of ['index.html', 'styles.css']) copy(join(web, f), join(dist, f));
copy(join(web, 'node_modules', 'coi-serviceworker', 'coi-serviceworker.min.js'), join(dist, 'coi-serviceworker.min.js'));
for (const f of ['browser.js', 'worker.js']) copy(join(sdk, 'dist', f), join(dist, 'sdk', 'dist', f));
for (const f of ['ca3-threads.js', 'ca3-threads.wasm', 'ca3-threads.worker.js', 'ca3-single.js', 'ca3-single.wasm'])
  copy(join(sdk, 'wasm', f), join(dist, 'sdk', 'wasm', f));
for (const f of ['fashion-mnist-tshirt.ca3', 'breast-cancer.ca3']) copy(join(repo, 'models', 'demo', f), join(dist, 'models', f));
mkdirSync(join(dist, 'samples'), { recursive: true });
// The data the demo table model was made on (benign rows normal), for the page to score with it.
copy(join(repo, 'data', 'BreastCancer.csv'), join(dist, 'samples', 'breast-cancer.csv'));
execFileSync(process.execPath, [join(web, 'scripts', 'make-sample.mjs'), join(dist, 'samples', 'fashion-mnist.bin.gz')], { stdio: 'inherit' });
console.log(`[web] built ${dist}`);
