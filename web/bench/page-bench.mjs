// Figures of the demo page in headless Chromium (Debian's, via playwright-core), served on
// 127.0.0.1 with and without cross-origin isolation: time to interactive (navigation start ->
// the worker and wasm module ready), bytes transferred to get there, and the wall time from
// pressing Train on the bundled sample to the shown test ROC-AUC (goal: >= 0.98 within 20 s).
//
//   node web/bench/page-bench.mjs [epochs=3] [runs=3]      (after node web/build.mjs)
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../serve.mjs';
import { FLAGS, NO_SERVICE_WORKER } from '../test/helpers.mjs';

const web = resolve(fileURLToPath(import.meta.url), '../..');
const epochs = process.argv[2] ?? '3';
const runs = Number(process.argv[3] ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`| build | time to interactive (ms) | bytes to interactive | bytes with the sample | Train -> test ROC-AUC shown (s, ${epochs} epochs) | test ROC-AUC |`);
console.log('|---|---|---|---|---|---|');
for (const isolation of [true, false]) {
  const { server, url } = await startServer({ root: join(web, 'dist'), port: 0, isolation });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  const interactive = [], bytes = [], totalBytes = [], trainSeconds = [], aucs = [];
  let build;
  for (let run = 0; run < runs; ++run) {
    const context = await browser.newContext();  // a fresh cache each run
    // Without the headers no service worker either (the single build; else the page isolates itself).
    if (!isolation) await context.addInitScript(NO_SERVICE_WORKER);
    const page = await context.newPage();
    let transferred = 0;
    page.on('response', async (r) => {
      const length = Number((await r.allHeaders())['content-length'] ?? 0);
      transferred += length;
    });
    await page.goto(url);
    await page.waitForSelector('body[data-ready=true]');
    interactive.push(await page.evaluate(() => performance.now()));
    bytes.push(transferred);
    build = await page.getAttribute('#mode', 'data-build');
    await page.click('#use-sample');
    await page.waitForFunction(() => !document.getElementById('train-images').disabled);
    await page.fill('#image-epochs', epochs);
    const t = Date.now();
    await page.click('#train-images');
    await page.waitForFunction(() => document.getElementById('image-status').dataset.testAuc, null, { timeout: 600_000 });
    trainSeconds.push((Date.now() - t) / 1000);
    aucs.push(Number(await page.getAttribute('#image-status', 'data-test-auc')));
    totalBytes.push(transferred);  // + the sample images
    await context.close();
  }
  console.log(`| ${build} | ${median(interactive).toFixed(0)} | ${median(bytes)} | ${median(totalBytes)} | ${median(trainSeconds).toFixed(1)} | ` +
    `${median(aucs).toFixed(4)} |`);
  await browser.close();
  server.close();
}
