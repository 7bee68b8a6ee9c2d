// Training time through the SDK in Node, single-thread build vs threads build (2 threads) on the
// same data and seed: the tabular preset on BreastCancer (699 rows) and thyroid (the larger set),
// the fashion-mnist-small preset on 2,000 Fashion-MNIST images; median of 3 fits of a few
// epochs each. Says whether the threads build pays off per model size (issue 17). With `busy`,
// a busy loop runs on every core but one meanwhile (a laptop doing something else).
//
//   node bench/threads.mjs [busy]       -> a Markdown table
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Runtime, imageSet, tableFromCsv } from 'ca3-sdk';

const repo = resolve(fileURLToPath(import.meta.url), '../../..');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const raw = gunzipSync(readFileSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'));
const classes = gunzipSync(readFileSync('/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz'));
const images = Float32Array.from(raw.subarray(16, 16 + 2000 * 784), (v) => v / 255);
const imageLabels = Int32Array.from(classes.subarray(8, 8 + 2000), (c) => (c === 0 ? 0 : 1));

const cases = [
  { name: 'tabular, BreastCancer (699 rows), 10 epochs', preset: 'tabular', epochs: 10,
    data: tableFromCsv(readFileSync(join(repo, 'data/BreastCancer.csv'), 'utf8'), { labelColumn: 'Class', normalValues: ['benign'] }) },
  { name: 'tabular, thyroid (3,772 rows), 3 epochs', preset: 'tabular', epochs: 3,
    data: tableFromCsv(readFileSync(join(repo, 'data/thyroid.csv'), 'utf8'), { labelColumn: 'class', normalValues: ['0'] }) },
  { name: 'fashion-mnist-small, 2,000 images, 2 epochs', preset: 'fashion-mnist-small', epochs: 2, data: imageSet(images, imageLabels) },
];

const busy = process.argv[2] === 'busy'
  ? Array.from({ length: availableParallelism() - 1 }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }))
  : [];
process.on('exit', () => { for (const loop of busy) loop.kill(); });  // also when a fit throws
const runtimes = { single: await Runtime.start({ build: 'single' }), threads: await Runtime.start({ build: 'threads', threads: 2 }) };
if (busy.length) console.log(`${busy.length} of ${availableParallelism()} cores busy`);
console.log(`| model (median of 3 fits) | single-thread build (s) | threads build, ${runtimes.threads.threads} threads (s) | threads / single |`);
console.log('|---|---|---|---|');
for (const c of cases) {
  const seconds = {};
  for (const [build, runtime] of Object.entries(runtimes)) {
    const times = [];
    for (let run = 0; run < 3; ++run) {
      const detector = await runtime.createDetector({ preset: c.preset, changes: { training: { patience: 100 } } });
      const started = performance.now();
      await detector.fit(c.data, { epochs: c.epochs });
      times.push((performance.now() - started) / 1000);
      await detector.dispose();
    }
    seconds[build] = median(times);
  }
  console.log(`| ${c.name} | ${seconds.single.toFixed(2)} | ${seconds.threads.toFixed(2)} | ${(seconds.threads / seconds.single).toFixed(2)}× |`);
}
for (const runtime of Object.values(runtimes)) runtime.close();
for (const loop of busy) loop.kill();
