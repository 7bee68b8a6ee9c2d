// ONNX export: the scoring graph of a detector, run by onnxruntime-web (npm; in Node it needs no
// download), gives CA3's own scores within 1e-5 -- for the demo image model (the alarm's
// probability), one-class image models (the combined score: alarm and reconstruction error; the
// default: alarm and the distance to the nearest training images, downscaled), a
// labelled table model and a one-class table model (alarm, reconstruction error, marginal rarity,
// distance to the 5 nearest normal training rows: the graph carries those rows and a TopK), one
// with a categorical column, a 0/1 flag and values never seen in training;
// a model ONNX cannot express is refused by name.
//
//   node --test sdk/test/onnx.test.mjs
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as ort from 'onnxruntime-web';

import { createDetector, getRuntime, imageSet, loadDetector, tableFromCsv } from 'ca3-sdk';

const repo = resolve(fileURLToPath(import.meta.url), '../../..');
ort.env.wasm.numThreads = 1;
after(async () => (await getRuntime()).close());

async function onnxScores(detector, inputs, shape) {
  const session = await ort.InferenceSession.create(await detector.exportOnnx());
  const { score } = await session.run({ input: new ort.Tensor('float32', inputs, shape) });
  return score.data;
}

function largestDifference(a, b) {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; ++i) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('the demo image model: ONNX scores = CA3 scores', async () => {
  const detector = await loadDetector(readFileSync(join(repo, 'models/demo/fashion-mnist-tshirt.ca3')));
  const raw = gunzipSync(readFileSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'));
  const images = Float32Array.from(raw.subarray(16, 16 + 200 * 784), (v) => v / 255);
  const ours = await detector.score(imageSet(images));
  const theirs = await onnxScores(detector, images, [200, 28, 28, 1]);
  const difference = largestDifference(ours, theirs);
  console.log(`  image model: largest difference ${difference.toExponential(2)} over 200 images`);
  assert.ok(difference <= 1e-5);
  await detector.dispose();
});

function fashionMnist(count, size = 28) {
  const raw = gunzipSync(readFileSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'));
  if (size === 28) return Float32Array.from(raw.subarray(16, 16 + count * 784), (v) => v / 255);
  const out = new Float32Array(count * size * size);  // the top-left corner of each image
  for (let i = 0; i < count; ++i)
    for (let y = 0; y < size; ++y)
      for (let x = 0; x < size; ++x) out[(i * size + y) * size + x] = raw[16 + i * 784 + y * 28 + x] / 255;
  return out;
}

test('a one-class image model (combined score): ONNX scores = CA3 scores', async () => {
  // The combined score asked for (images default to the alarm's): the graph with both branches.
  const detector = await createDetector({ preset: 'fashion-mnist-small', changes: { model: { score: 'combined' } } });
  const report = await detector.fit(imageSet(fashionMnist(400), new Int32Array(400)), { epochs: 2 });
  assert.equal(report.setting, 'one_class');
  const images = fashionMnist(300);
  const ours = await detector.score(imageSet(images));
  const theirs = await onnxScores(detector, images, [300, 28, 28, 1]);
  const difference = largestDifference(ours, theirs);
  console.log(`  one-class image model: largest difference ${difference.toExponential(2)} over 300 images`);
  assert.ok(difference <= 1e-5);
  await detector.dispose();
});

for (const [setting, changes] of [['one_class', {}], ['contaminated', { training: { contamination: 0.1 } }]]) {
test(`a ${setting} image model (the default: alarm and neighbour distance): ONNX scores = CA3 scores`, async () => {
  const detector = await createDetector({ preset: 'fashion-mnist-small', changes });
  const report = await detector.fit(imageSet(fashionMnist(400), new Int32Array(400)), { epochs: 2 });
  assert.equal(report.setting, setting);
  // Contaminated images: the distance averages over more neighbours than 5 (TopK's k).
  assert.equal(report.neighbours.nearest, setting === 'one_class' ? 5 : Math.ceil(0.1 * report.neighbours.samples / 2));
  const images = fashionMnist(300);
  const ours = await detector.score(imageSet(images));
  const onnx = await detector.exportOnnx();
  // The graph downscales with AveragePool and carries the training images' 14 x 14 versions.
  const graph = Buffer.from(onnx).toString('latin1');
  assert.ok(graph.includes('AveragePool') && graph.includes('TopK'));
  const theirs = await onnxScores(detector, images, [300, 28, 28, 1]);
  const difference = largestDifference(ours, theirs);
  console.log(`  ${setting} image model (alarm and the distance to ${report.neighbours.nearest} neighbours): largest difference ${difference.toExponential(2)} over 300 images`);
  assert.ok(difference <= 1e-5);
  await detector.dispose();
});
}

test('a one-class table model with a categorical column and a 0/1 flag: ONNX scores = CA3 scores, a value never seen too', async () => {
  // Pima's rows with a clinic column (North, South, East) and a flag (1 in 7 % of the rows): the
  // categorical column counts in the marginal rarity and the neighbour distance (a value never
  // seen as the rarest); the flag in the distance as a category does (its inputs scaled).
  const lines = readFileSync(join(repo, 'data/PimaIndiansDiabetes.csv'), 'utf8').trim().split('\n');
  const clinic = (i) => (i % 10 < 6 ? 'North' : i % 10 < 9 ? 'South' : 'East');
  const flag = (i) => (i % 15 === 4 ? 1 : 0);
  const csv = [lines[0] + ',Clinic,Referred', ...lines.slice(1).map((line, i) => `${line},${clinic(i)},${flag(i)}`)].join('\n');
  const scored = [lines[0] + ',Clinic,Referred',
    ...lines.slice(1, 101).map((line, i) => `${line},${i % 2 ? 'Harbour' : clinic(i)},${i % 3 ? flag(i) : 1 - flag(i)}`)].join('\n');
  const detector = await createDetector({ preset: 'tabular' });
  const report = await detector.fit(tableFromCsv(csv, { idColumns: ['diabetes'] }), { epochs: 3 });
  assert.equal(report.score, 'combined_neighbours');
  assert.equal(report.data.columns.find((c) => c.name === 'Referred')?.role, 'numeric');
  const ours = await detector.score(tableFromCsv(scored));
  const rows = await detector.prepare(tableFromCsv(scored));
  const theirs = await onnxScores(detector, rows.values, rows.shape);
  const difference = largestDifference(ours, theirs);
  console.log(`  table model with a categorical column and a flag: largest difference ${difference.toExponential(2)} over ${ours.length} rows`);
  assert.ok(difference <= 1e-5);
  await detector.dispose();
});

test('a model ONNX cannot express is refused, saying why', async () => {
  const detector = await createDetector({ preset: 'fashion-mnist-small', changes: { image: { height: 25, width: 25 } } });
  await detector.fit(imageSet(fashionMnist(200, 25), new Int32Array(200)), { epochs: 1 });
  await assert.rejects(detector.exportOnnx(), (error) => {
    assert.equal(error.code, 'bad_input');
    assert.match(error.message, /ONNX export: the alarm pools an activation of size .* e\.g\. 28 or 32 pixels/);
    return true;
  });
  assert.ok((await detector.score(imageSet(fashionMnist(5, 25)))).every(Number.isFinite));  // the model is intact
  await detector.dispose();
});

for (const [name, labels, changes] of [
  ['labelled', { labelColumn: 'Class', normalValues: ['benign'] }, {}],
  ['one-class', { idColumns: ['Class'] }, {}],
  // No alarm in the score (combined_without_alarm): the graph without that branch.
  ['contaminated', { idColumns: ['Class'] }, { training: { contamination: 0.1 } }],
]) {
  test(`a ${name} table model: ONNX scores of the preprocessed rows = CA3 scores`, async () => {
    const csv = readFileSync(join(repo, 'data/BreastCancer.csv'), 'utf8');
    const detector = await createDetector({ preset: 'tabular', changes });
    const report = await detector.fit(tableFromCsv(csv, labels), { epochs: 3 });
    // Without labelled anomalies the validation figures are against synthetic ones, and say so.
    assert.equal(report.validationAnomalies, name === 'labelled' ? 'labelled' : 'synthetic');
    const ours = await detector.score(tableFromCsv(csv));
    const rows = await detector.prepare(tableFromCsv(csv));  // the preprocessing, a separate step
    const theirs = await onnxScores(detector, rows.values, rows.shape);
    const difference = largestDifference(ours, theirs);
    console.log(`  ${name} table model (${report.setting}): largest difference ${difference.toExponential(2)} over ${ours.length} rows`);
    assert.ok(difference <= 1e-5);
    assert.equal(report.score, { labelled: 'alarm', 'one-class': 'combined_neighbours', contaminated: 'combined_without_alarm' }[name]);
    // The scores without labels include the neighbour distance; the labelled one does not.
    const graph = Buffer.from(await detector.exportOnnx()).toString('latin1');
    assert.equal(graph.includes('TopK'), name !== 'labelled');
    await detector.dispose();
  });
}
