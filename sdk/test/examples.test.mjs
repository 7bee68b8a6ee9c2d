// The examples in sdk/examples/, as a user runs them: the packed ca3-sdk (npm pack) installed into
// a copy of each with its bundler from the npm registry (Vite 8.3.8, webpack 5; none for the
// plain page), built for production -- and Vite's dev server too --, served with and without
// the cross-origin isolation headers, opened in Debian's Chromium: each must train and score
// (test ROC-AUC shown) with the threads build when isolated and the single-thread one when not.
// Prints the bundle sizes (JS, wasm; gzip) and the time to the first score.
//
//   node --test sdk/test/examples.test.mjs      (after node sdk/scripts/build.mjs)
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startServer } from '../../web/serve.mjs';

const sdk = resolve(fileURLToPath(import.meta.url), '../..');
const examples = join(sdk, 'examples');
const work = mkdtempSync(join(tmpdir(), 'ca3-examples-'));
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, stdio: 'pipe' });

let tarball, browser;
before(async () => {
  tarball = join(work, execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: sdk, encoding: 'utf8' }).trim().split('\n').pop());
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
});
after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

// A copy of an example with the packed SDK and its own dependencies installed.
function install(name) {
  const dir = join(work, name);
  cpSync(join(examples, name), dir, { recursive: true });
  cpSync(join(examples, 'shared-app.js'), join(dir, 'src', 'app.js'));
  npm(['install'], dir);
  npm(['install', tarball], dir);
  return dir;
}

// Opens `url` and waits for the app's outcome: {build, threads, rocAuc, scored, ...}.
async function outcome(url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.result || document.body.dataset.error, null, { timeout: 180_000 });
    const error = await page.getAttribute('body', 'data-error');
    assert.equal(error, null, `the app failed: ${error} (console: ${errors.join(' | ')})`);
    return { ...JSON.parse(await page.getAttribute('body', 'data-result')), isolated: await page.evaluate(() => crossOriginIsolated) };
  } finally {
    await page.close();
  }
}

// Opens `url` and waits for the app to fail: its error message.
async function failure(url) {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.result || document.body.dataset.error, null, { timeout: 180_000 });
    return await page.getAttribute('body', 'data-error');
  } finally {
    await page.close();
  }
}

function checkRun(result, isolation) {
  assert.equal(result.isolated, isolation);
  assert.equal(result.build, isolation ? 'threads' : 'single');
  assert.equal(result.scored, 200);
  assert.ok(result.rocAuc >= 0.9, `test ROC-AUC ${result.rocAuc}`);
}

// Sizes of a built app's files: JavaScript and wasm, raw and gzip -9.
function sizes(dir) {
  const total = { js: 0, jsGzip: 0, wasm: 0, wasmGzip: 0 };
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const path = join(d, f);
      if (statSync(path).isDirectory()) walk(path);
      else if (['.js', '.wasm'].includes(extname(f))) {
        const bytes = readFileSync(path);
        const kind = extname(f) === '.js' ? 'js' : 'wasm';
        total[kind] += bytes.length;
        total[`${kind}Gzip`] += gzipSync(bytes, { level: 9 }).length;
      }
    }
  };
  walk(dir);
  const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
  return `JS ${kb(total.js)} (gzip ${kb(total.jsGzip)}), wasm ${kb(total.wasm)} (gzip ${kb(total.wasmGzip)})`;
}

async function served(root, isolation, body) {
  const { server, url } = await startServer({ root, port: 0, isolation });
  try {
    return await body(url);
  } finally {
    server.close();
  }
}

describe('ca3-sdk examples in Chromium', () => {
  test('Vite 8: production build and dev server, with and without COOP/COEP', async () => {
    const dir = install('vite');
    execFileSync('npx', ['vite', 'build'], { cwd: dir, stdio: 'pipe' });
    console.log(`  vite build: ${sizes(join(dir, 'dist'))}`);
    for (const isolation of [true, false]) {
      const result = await served(join(dir, 'dist'), isolation, outcome);
      checkRun(result, isolation);
      console.log(`  vite build, ${result.build}: test ROC-AUC ${result.rocAuc.toFixed(4)}, first score after ${result.milliseconds} ms`);
    }
    for (const isolation of [true, false]) {
      const env = { ...process.env, ...(isolation ? {} : { CA3_NO_ISOLATION: '1' }) };
      // Vite's own script, in its own process group: stopping it stops everything it started.
      const server = spawn(process.execPath, [join(dir, 'node_modules', 'vite', 'bin', 'vite.js'), '--port', '0', '--host', '127.0.0.1'],
        { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      try {
        const url = await new Promise((resolveUrl, reject) => {
          let out = '';
          server.stdout.on('data', (d) => {
            out += d;
            const m = out.replace(/\x1b\[[0-9;]*m/g, '').match(/http:\/\/127\.0\.0\.1:\d+\//);
            if (m) resolveUrl(m[0]);
          });
          server.on('exit', (code) => reject(new Error(`vite dev exited ${code}: ${out}`)));
          setTimeout(() => reject(new Error(`vite dev did not start: ${out}`)), 60_000);
        });
        const result = await outcome(url);
        checkRun(result, isolation);
        console.log(`  vite dev, ${result.build}: test ROC-AUC ${result.rocAuc.toFixed(4)}, first score after ${result.milliseconds} ms`);
      } finally {
        process.kill(-server.pid, 'SIGTERM');
      }
    }
  });

  test('webpack 5: production build, with and without COOP/COEP', async () => {
    const dir = install('webpack');
    execFileSync('npx', ['webpack', '--mode', 'production'], { cwd: dir, stdio: 'pipe' });
    cpSync(join(dir, 'index.html'), join(dir, 'dist', 'index.html'));
    console.log(`  webpack build: ${sizes(join(dir, 'dist'))}`);
    const bundle = readFileSync(join(dir, 'dist', 'main.js'), 'utf8');
    assert.ok(!bundle.includes(work), 'the bundle holds the build machine\'s paths');
    for (const isolation of [true, false]) {
      const result = await served(join(dir, 'dist'), isolation, outcome);
      checkRun(result, isolation);
      console.log(`  webpack, ${result.build}: test ROC-AUC ${result.rocAuc.toFixed(4)}, first score after ${result.milliseconds} ms`);
    }
    // The headers sent with the page alone: Chromium blocks the worker script, which lacks them,
    // and the error says so and what to send, rather than only that the script did not load.
    const error = await served(join(dir, 'dist'), 'page', failure);
    assert.match(error, /^CA3Error: the CA3 worker failed to start: the worker script http:\/\/127\.0\.0\.1:\d+\/\S+\.js failed to load: this page is cross-origin isolated, and such a page starts only workers served with the Cross-Origin-Embedder-Policy header \(require-corp\), which this script lacks\. Send Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp on every response/, error);
  });

  test('a plain <script type="module"> page without a bundler, with and without COOP/COEP', async () => {
    const dir = install('plain');
    for (const isolation of [true, false]) {
      const result = await served(dir, isolation, outcome);
      checkRun(result, isolation);
      console.log(`  plain page, ${result.build}: test ROC-AUC ${result.rocAuc.toFixed(4)}, first score after ${result.milliseconds} ms`);
    }
  });
});
