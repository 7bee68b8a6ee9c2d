// Scoring speed through the SDK in Node (a worker, as a page would use it), per wasm build and
// image preset: images/s scoring 2,000 Fashion-MNIST images in one call (median of 5), and the
// latency of scoring one image (median of 300 calls) -- through the SDK (worker round trip
// included) and calling the wasm module directly in-process.
//
//   node bench/scoring.mjs        -> a Markdown table
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Runtime, imageSet } from 'ca3-sdk';

const sdk = resolve(fileURLToPath(import.meta.url), '../..');
const repo = resolve(sdk, '..');
const images = gunzipSync(readFileSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'));
const labelBytes = gunzipSync(readFileSync('/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz'));
const count = 2000;
const pixels = new Float32Array(count * 784);
for (let i = 0; i < pixels.length; ++i) pixels[i] = images[16 + i] / 255;
const labels = Int32Array.from(labelBytes.subarray(8, 8 + count), (c) => (c === 0 ? 0 : 1));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// A trained model file per preset: the demo model, or one epoch on 300 images.
async function modelBytes(runtime, preset) {
  if (preset === 'fashion-mnist-small') return readFileSync(join(repo, 'models/demo/fashion-mnist-tshirt.ca3'));
  const d = await runtime.createDetector({ preset });
  await d.fit(imageSet(pixels.slice(0, 300 * 784), labels.slice(0, 300)), { epochs: 1 });
  const bytes = await d.save();
  await d.dispose();
  return bytes;
}

// The module in this thread, no worker: what a call costs without the message round trip.
async function directLatency(build, bytes) {
  const require = createRequire(import.meta.url);
  const create = require(join(sdk, 'wasm', `ca3-${build}.js`));
  const module = await create({ wasmBinary: readFileSync(join(sdk, 'wasm', `ca3-${build}.wasm`)), ca3PoolSize: 1 });
  module.setThreads(module.pthreadWorkers() + 1);
  const d = module.Detector.load(bytes);
  const one = pixels.slice(0, 784);
  for (let i = 0; i < 20; ++i) d.score({ inputs: one });
  const times = [];
  for (let i = 0; i < 300; ++i) {
    const t = performance.now();
    d.score({ inputs: one });
    times.push(performance.now() - t);
  }
  d.delete();
  return median(times);
}

console.log('| build | preset | threads | batched images/s (2,000 per call) | one image, SDK (ms) | one image, module call (ms) |');
console.log('|---|---|---|---|---|---|');
for (const build of ['threads', 'single']) {
  const runtime = await Runtime.start({ build });
  for (const preset of ['fashion-mnist-small', 'fashion-mnist']) {
    const bytes = await modelBytes(runtime, preset);
    const d = await runtime.loadDetector(bytes);
    await d.score(imageSet(pixels.slice(0, 256 * 784)));
    const batched = [];
    for (let i = 0; i < 5; ++i) {
      const t = performance.now();
      await d.score(imageSet(pixels));
      batched.push(count / ((performance.now() - t) / 1000));
    }
    const one = pixels.slice(0, 784);
    for (let i = 0; i < 20; ++i) await d.score(imageSet(one));
    const times = [];
    for (let i = 0; i < 300; ++i) {
      const t = performance.now();
      await d.score(imageSet(one));
      times.push(performance.now() - t);
    }
    await d.dispose();
    const direct = build === 'single' ? await directLatency(build, bytes) : NaN;
    console.log(`| ${build} | ${preset} | ${runtime.threads} | ${median(batched).toFixed(0)} | ${median(times).toFixed(3)} | ` +
      `${Number.isNaN(direct) ? 'n/a (threads: run in a worker)' : direct.toFixed(3)} |`);
  }
  runtime.close();
}
