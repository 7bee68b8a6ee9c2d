// The SDK in Node (worker_threads), against the built package in sdk/dist + sdk/wasm:
// training on real data (a CSV from data/, a Fashion-MNIST subset), scores equal to the native
// `ca3 score` for the same model file, model files crossing between Node and the command line
// both ways, bad inputs rejected with messages (the detector keeps working), cancel mid-epoch,
// the threaded and single-thread builds agreeing, and a clear error for a missing / HTML .wasm.
//
//   CA3_CLI=build/native-release/ca3 node --test sdk/test/
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

import {
  Runtime, createDetector, describeCsv, getRuntime, imageDimensions, imageFitNote, imageKind, imageSet, imagesToInputs, likeRowsScore, loadDetector,
  tableFromCsv, undecodedImageKind,
} from 'ca3-sdk';

const repo = resolve(fileURLToPath(import.meta.url), '../../..');
const dataDir = process.env.CA3_DATA_DIR ?? join(repo, 'data');
const cli = process.env.CA3_CLI ?? join(repo, 'build/native-release/ca3');
const fashionDir = '/usr/share/datasets/fashion-mnist';
const work = mkdtempSync(join(tmpdir(), 'ca3-sdk-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

const breastCancer = readFileSync(join(dataDir, 'BreastCancer.csv'), 'utf8');
const bcLabels = { labelColumn: 'Class', normalValues: ['benign'] };

// The "score" column of `ca3 score`'s output (after "row" and the model's identifier columns).
function readScoresCsv(path) {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const column = header.split(',').indexOf('score');
  assert.ok(column > 0, header);
  return lines.map((line) => Number(line.split(',')[column]));
}

function maxDifference(a, b) {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; ++i) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

// The first `count` Fashion-MNIST training images ([count, 28, 28, 1] in [0, 1]) and classes.
function fashionMnist(count) {
  const images = gunzipSync(readFileSync(join(fashionDir, 'train-images-idx3-ubyte.gz')));
  const labels = gunzipSync(readFileSync(join(fashionDir, 'train-labels-idx1-ubyte.gz')));
  const pixels = new Float32Array(count * 784);
  for (let i = 0; i < pixels.length; ++i) pixels[i] = images[16 + i] / 255;
  return { pixels, classes: Array.from(labels.subarray(8, 8 + count)) };
}

// An image file told by its first bytes, whatever its name, as `ca3` tells it (the page reads a
// folder's files so): real files of each kind, with their sizes; text is none, also a table whose
// first cell starts "BM" and a text file named .png.
// The same cases as the command line's (tests/detector_test.cpp, LikeRowsScoreOverNearOrApart).
test('likeRowsScore: a row\'s like rows over the threshold, near it, or apart', () => {
  const threshold = 0.8;  // log-odds 1.386
  assert.equal(likeRowsScore({ likeRows: 5, score: 0.95, baselineScore: 0.85 }, threshold), 'over');
  assert.equal(likeRowsScore({ likeRows: 1, score: 0.95, baselineScore: 0.8 }, threshold), 'over');
  // like rows 0.7 (log-odds 0.847, within 1 below), the row 0.85 (1.735, within 1 above them)
  assert.equal(likeRowsScore({ likeRows: 5, score: 0.85, baselineScore: 0.7 }, threshold), 'near');
  // the row far beyond them (0.95: 2.944, 2.1 above)
  assert.equal(likeRowsScore({ likeRows: 5, score: 0.95, baselineScore: 0.7 }, threshold), 'apart');
  // like rows more than 1 below the threshold (0.55: 0.2)
  assert.equal(likeRowsScore({ likeRows: 5, score: 0.81, baselineScore: 0.55 }, threshold), 'apart');
  // the row not flagged
  assert.equal(likeRowsScore({ likeRows: 5, score: 0.79, baselineScore: 0.75 }, threshold), 'apart');
  // compared with the typical row (a model file without training rows)
  assert.equal(likeRowsScore({ likeRows: 0, score: 0.95, baselineScore: 0.9 }, threshold), 'apart');
});

test('imageKind and imageDimensions read real files by their bytes', () => {
  const head = (path) => new Uint8Array(readFileSync(join(repo, path)));
  const cases = [
    ['tests/bad-inputs/grey-32x32.png', 'PNG', { width: 32, height: 32 }],
    ['fuzz/corpus/image/rgb.jpg', 'JPEG', { width: 28, height: 28 }],
    ['fuzz/corpus/image/grey.bmp', 'BMP', { width: 28, height: 28 }],
    ['tests/bad-inputs/notes.png', '', undefined],
  ];
  for (const [path, kind, size] of cases) {
    assert.equal(imageKind(head(path)), kind, path);
    assert.deepEqual(imageDimensions(head(path)), size, path);
  }
  const bytes = (text) => new TextEncoder().encode(text);
  const gif = new Uint8Array([...bytes('GIF89a'), 40, 1, 30, 0, 0, 0, 0]);
  assert.equal(imageKind(gif), 'GIF');
  assert.deepEqual(imageDimensions(gif), { width: 296, height: 30 });
  assert.equal(imageKind(bytes('GIF is a format\n')), '');
  assert.equal(imageKind(bytes('BMI;Age;Glucose\n22,5;31;98\n')), '');
  assert.equal(imageKind(bytes('RIFF\x10\0\0\0WEBPVP8 ')), 'WebP');
  assert.equal(imageKind(new Uint8Array(0)), '');
  // Kinds a browser does not decode, named (the worker says so when decoding fails).
  assert.equal(undecodedImageKind(new Uint8Array([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0])), 'TIFF');
  assert.equal(undecodedImageKind(bytes('P5\n# scanner\n28 28\n255\n')), 'Netpbm');
  assert.equal(undecodedImageKind(bytes('P1  P2  P3\n1 2 3\n')), '');
  assert.equal(undecodedImageKind(readFileSync(join(repo, 'tests/bad-inputs/grey-32x32.png'))), '');
});

describe('SDK in Node', () => {
  let runtime;
  before(async () => {
    runtime = await getRuntime();
  });

  test('picks the threaded build in Node and reports it', () => {
    assert.equal(runtime.build, 'threads');
    assert.ok(runtime.threads >= 1 && runtime.threads <= 4);
  });

  test('describes a CSV with the core parser', async () => {
    const d = await runtime.describeCsv(breastCancer);
    assert.equal(d.rows, 699);
    const cls = d.columns.find((c) => c.name === 'Class');
    assert.equal(cls.numeric, false);
    assert.deepEqual(cls.values.map((v) => v.value), ['benign', 'malignant']);
    assert.deepEqual(cls.values.map((v) => v.count), [458, 241]);
  });

  test('a file read again is read anew when a byte of it changed: no scores of the file before', async () => {
    // (the module keeps the last table it read for the calls that follow on the same bytes)
    const detector = await createDetector({ preset: 'tabular' });
    await detector.fit(tableFromCsv(breastCancer, bcLabels), { epochs: 2 });
    const lines = breastCancer.split('\n');
    const first = lines[1].split(',');  // "1000025","5","1",... : its thickness 5 written 9, the size unchanged
    assert.equal(first[1], '"5"');
    const changed = [lines[0], [first[0], '"9"', ...first.slice(2)].join(','), ...lines.slice(2)].join('\n');
    assert.equal(changed.length, breastCancer.length);
    const before = await detector.score(tableFromCsv(breastCancer));
    const after = await detector.score(tableFromCsv(new TextEncoder().encode(changed)));
    assert.notEqual(after[0], before[0]);
    assert.deepEqual(after.subarray(1), before.subarray(1));
    const [why] = await detector.explainRows(tableFromCsv(changed), [0], 9);
    assert.equal(why.columns.find((c) => c.column === 'Cl.thickness').value, '9');
    // A label written otherwise in the same number of bytes (not the normal value: an anomaly), then
    // the file before, read as before.
    const misspelt = breastCancer.replace(/"benign"/, '"bening"');
    const [relabelled, labels] = [await detector.labels(tableFromCsv(misspelt)), await detector.labels(tableFromCsv(breastCancer))];
    assert.deepEqual([relabelled[0], relabelled.reduce((a, b) => a + b, 0)], [1, 242]);
    assert.deepEqual([labels[0], labels.reduce((a, b) => a + b, 0)], [0, 241]);
    assert.deepEqual(await detector.score(tableFromCsv(breastCancer)), before);
    await detector.dispose();
  });

  test('trains on Breast Cancer, scores, evaluates, explains, and a Node model scores the same natively', async () => {
    const detector = await createDetector({ preset: 'tabular' });
    const epochs = [];
    const report = await detector.fit(tableFromCsv(breastCancer, bcLabels), {
      epochs: 15,
      onProgress: (p) => p.epochEnd && epochs.push(p),
    });
    assert.equal(report.cancelled, false);
    assert.ok(report.test.rocAuc >= 0.97, `test ROC-AUC ${report.test.rocAuc}`);
    assert.equal(epochs.length, report.epochs);
    assert.ok(epochs.every((p) => p.validationAuc > 0.9 && p.samplesPerSecond > 0));
    assert.equal(detector.trained, true);
    assert.deepEqual(detector.inputShape, [9]);

    const scores = await detector.score(tableFromCsv(breastCancer));
    assert.equal(scores.length, 699);
    const metrics = await detector.evaluate(tableFromCsv(breastCancer));
    assert.ok(metrics.rocAuc >= 0.97);
    const flagged = scores.filter((s) => s >= detector.threshold).length;
    assert.equal(metrics.confusion.truePositives + metrics.confusion.falsePositives, flagged);
    // The same from the scores already in hand (a threshold slider), and at another threshold.
    const labels = await detector.labels(tableFromCsv(breastCancer));
    assert.equal(labels.reduce((a, b) => a + b, 0), 241);  // the malignant rows
    // Label settings given with the data rule over the model's (a model trained without labels
    // compared with a file's own label column).
    const flipped = await detector.labels(tableFromCsv(breastCancer, { labelColumn: 'Class', anomalyValues: ['benign'] }));
    assert.deepEqual([...flipped], [...labels].map((l) => 1 - l));
    const again = await detector.evaluateScores(scores, labels);
    assert.equal(again.rocAuc, metrics.rocAuc);
    assert.deepEqual(again.confusion, metrics.confusion);
    const strict = await detector.evaluateScores(scores, labels, 0.99);
    assert.equal(strict.confusion.truePositives + strict.confusion.falsePositives, scores.filter((s) => s >= 0.99).length);
    await assert.rejects(detector.evaluateScores(scores, [0, 1]),
      (e) => e.code === 'bad_input' && e.message === '699 scores but 2 labels: give one label per score');
    // A third of the file flagged (its malignant rows): nothing to say; every score flagged: said.
    assert.equal(await detector.flaggedNote(scores), '');
    const every = await detector.flaggedNote(scores.map(() => 1));
    assert.match(every, /^699 of 699 rows flagged \(100 %\), where the threshold is set to flag 5 % of normal rows: the data as a whole is unlike the training data/);
    assert.equal(await detector.flaggedNote(scores.slice(0, 19).map(() => 1)), '');  // too few to tell
    const scored = (await detector.scoredCsv(tableFromCsv(breastCancer))).trim().split('\n');
    assert.match(scored[0], /,Class,score,flag$/);
    assert.equal(scored.length, 700);

    const stack = await detector.activations(tableFromCsv(breastCancer));
    assert.deepEqual(stack.layerChannels, [32, 64]);
    assert.equal(stack.shape[0], 699);
    assert.equal(stack.shape[2], 96);
    const attribution = await detector.explain(tableFromCsv(breastCancer));
    assert.deepEqual(attribution.shape, [699, 9]);
    assert.ok(attribution.values.some((v) => v !== 0));
    // The "why" of the most anomalous row: its line, score and flag, and the columns that move
    // its score most with the cell as written, the column's typical value (the training median) and
    // the value of the normal training rows most like it (a model of rows keeps them, labelled too).
    const worst = scores.indexOf(Math.max(...scores));
    const [why] = await detector.explainRows(tableFromCsv(breastCancer), [worst], 3);
    const lines = breastCancer.trim().split('\n');
    const cells = (line) => line.split(',').map((c) => c.replaceAll('"', ''));
    const header = cells(lines[0]);
    assert.equal(why.line, worst + 2);
    assert.ok(Math.abs(why.score - scores[worst]) < 1e-6);
    assert.equal(why.flagged, true);
    assert.equal(why.columns.length, 3);
    for (const c of why.columns) {
      assert.equal(c.value, cells(lines[worst + 1])[header.indexOf(c.column)]);
      assert.ok(Number.isFinite(Number(c.typical)), c.typical);
      assert.ok(Number.isFinite(Number(c.baseline)), c.baseline);
    }
    assert.equal(why.likeRows, 5);
    // Those that raise the score first, then those that lower it; each group strongest first.
    const raising = why.columns.filter((c) => c.contribution > 0), lowering = why.columns.filter((c) => c.contribution <= 0);
    assert.deepEqual(why.columns, [...raising, ...lowering]);
    for (const group of [raising, lowering])
      for (let i = 1; i < group.length; ++i) assert.ok(Math.abs(group[i - 1].contribution) >= Math.abs(group[i].contribution));
    // Over all 9 columns the contributions add up to how far the row's log-odds lie above its like
    // rows' (integrated gradients), within the error of the path's 32 pieces.
    const [all] = await detector.explainRows(tableFromCsv(breastCancer), [worst], 100);
    assert.equal(all.columns.length, 9);
    // Its weakest column's cell blanked: named after the strongest three, as the model saw it.
    const weakest = all.columns.reduce((a, c) => (Math.abs(c.contribution) < Math.abs(a.contribution) ? c : a)).column;
    const blanked = lines.map((line, i) => {
      if (i !== worst + 1) return line;
      const parts = line.split(',');
      parts[header.indexOf(weakest)] = '';
      return parts.join(',');
    }).join('\n');
    const [withBlank] = await detector.explainRows(tableFromCsv(blanked), [worst], 3);
    assert.equal(withBlank.columns.length, 4);
    assert.deepEqual(withBlank.columns.map((c) => c.missing), [false, false, false, true]);
    assert.deepEqual({ ...withBlank.columns[3], baseline: undefined, typical: undefined, filled: undefined },
      { column: weakest, value: '', missing: true, baseline: undefined, typical: undefined, filled: undefined, contribution: 0 });
    // Filled from the rows most like it, and compared with that value: it moves the score by nothing.
    assert.ok(Number.isFinite(Number(withBlank.columns[3].filled)), withBlank.columns[3].filled);
    assert.equal(withBlank.columns[3].baseline, withBlank.columns[3].filled);
    assert.equal(withBlank.likeRows, 5);
    const sum = all.columns.reduce((s, c) => s + c.contribution, 0);
    const logOdds = (p) => Math.log(p / (1 - p));
    const apart = logOdds(scores[worst]) - logOdds(all.baselineScore);
    assert.ok(sum > 1, `the flagged row's columns raise its log-odds (${sum})`);
    assert.ok(Math.abs(sum - apart) <= 0.05 * Math.abs(apart) + 0.05, `contributions ${sum}, log-odds apart ${apart}`);
    const rec = await detector.reconstruct(tableFromCsv(breastCancer));
    assert.deepEqual(rec.shape, [699, 9]);
    assert.equal(rec.inputs.length, 699 * 9);

    // Saved in Node -> scored by the native command line: the same scores.
    const modelPath = join(work, 'node-made.ca3');
    writeFileSync(modelPath, await detector.save());
    const csvPath = join(work, 'scores-native.csv');
    execFileSync(cli, ['score', '--model', modelPath, '--data', join(dataDir, 'BreastCancer.csv'), '--out', csvPath, '--quiet']);
    const difference = maxDifference(scores, readScoresCsv(csvPath));
    console.log(`  Node-made model: native vs SDK scores, largest difference ${difference.toExponential(2)}`);
    assert.ok(difference <= 1e-5);
    await detector.dispose();
  });

  test('scoreStream: a CSV in pieces cut anywhere scores as the whole file, in order', async () => {
    const detector = await loadDetector(readFileSync(join(repo, 'models/demo/breast-cancer.ca3')));
    const whole = await detector.score(tableFromCsv(breastCancer));
    // 20 copies of the file's rows (13,980 rows: four batches), cut into pieces of 1..5,000 bytes,
    // some as text and some as bytes.
    const [header, ...rows] = breastCancer.trimEnd().split('\n');
    const text = [header, ...Array.from({ length: 20 }, () => rows).flat()].join('\n') + '\n';
    const bytes = new TextEncoder().encode(text);
    async function* pieces() {
      let at = 0, k = 0;
      while (at < bytes.length) {
        const size = 1 + ((k * 7919) % 5000);
        const piece = bytes.subarray(at, at + size);
        yield k++ % 2 ? piece : new TextDecoder().decode(piece, { stream: false });
        at += size;
      }
    }
    // (Text pieces cut inside a character would change it: cut only where the bytes are ASCII.)
    assert.ok(bytes.every((b) => b < 128));
    const got = [];
    let batches = 0;
    for await (const scores of detector.scoreStream(pieces())) got.push(...scores), batches++;
    assert.equal(got.length, 20 * 699);
    assert.ok(batches >= 4, `${batches} batches`);
    assert.ok(maxDifference(Float32Array.from(got.slice(0, 699)), whole) <= 1e-6);
    assert.ok(maxDifference(Float32Array.from(got.slice(19 * 699)), whole) <= 1e-6);
    assert.ok(!detector.streamNotes.some((n) => n.includes('cannot be read')), detector.streamNotes.join('\n'));
    // A cell that cannot be read (a sensor's 'ERR') in the second batch: read as missing, as
    // score() reads it in the whole file, and said in streamNotes when the stream ends.
    const lines = text.trimEnd().split('\n');
    const at = 5000;
    const cells = lines[at].split(',');
    cells[2] = 'ERR';
    lines[at] = cells.join(',');
    const withErr = lines.join('\n') + '\n';
    const streamed = [];
    for await (const s of detector.scoreStream((async function* () { yield withErr; })())) streamed.push(...s);
    assert.ok(maxDifference(Float32Array.from(streamed), await detector.score(tableFromCsv(withErr))) <= 1e-6);
    const said = detector.streamNotes.find((n) => n.startsWith('1 cell cannot be read, so it was read as missing'));
    assert.ok(said?.endsWith(`look at it whatever its score (line ${at + 1})`), detector.streamNotes.join('\n'));
    // rowsToCheck names that row of the file, by its index in score()'s scores and its line.
    assert.deepEqual(await detector.rowsToCheck(tableFromCsv(withErr)),
      [{ row: at - 1, line: at + 1, reason: "'Cell.size' 'ERR' cannot be read, read as missing" }]);
    assert.deepEqual(await detector.rowsToCheck(tableFromCsv(text)), []);
    assert.deepEqual(detector.streamRowsToCheck, await detector.rowsToCheck(tableFromCsv(withErr)));  // the stream's, the same
    // A file score() refuses (its header repeated in another order) is refused by both, not described.
    const moved = withErr.split('\n');
    moved.splice(100, 0, header.split(',').reverse().join(','));
    for (const call of ['score', 'scoringNotes', 'rowsToCheck'])
      await assert.rejects(detector[call](tableFromCsv(moved.join('\n'))),
        { code: 'bad_input', message: /^CSV line 101 repeats the header with its columns in another order/ }, call);
    // A ReadableStream works too; a broken row names its line in the whole stream.
    const broken = new ReadableStream({ start(c) { c.enqueue(`${header}\n${rows[0]}\n1,2\n`); c.close(); } });
    await assert.rejects(async () => { for await (const _ of detector.scoreStream(broken)); },
      { code: 'bad_input', message: /CSV line 3: 2 fields, the header has 11/ });
    await detector.dispose();
  });

  test('a grouped report (a region in its group\'s first row only) is filled down, in a stream across its batches too', async () => {
    const report = (groups) => {
      const lines = ['Region;temp;load'];
      let i = 0;
      for (const [region, rows, base] of groups)
        for (let r = 0; r < rows; r++, i++) lines.push(`${r === 0 ? region : ''};${base + ((i * 37) % 10) / 10};${(i * 13) % 7}`);
      return lines.join('\n') + '\n';
    };
    const detector = await createDetector({ preset: 'tabular' });
    const fitted = await detector.fit(tableFromCsv(report([['Nord', 200, 20], ['Süd', 100, 30], ['West', 100, 40]])), { epochs: 2 });
    const region = fitted.data.columns.find((c) => c.name === 'Region');
    assert.match(region.reason, /^3 values; a grouped report's column: its value stands in the first row of each group \(3 groups\) and fills the 397 blank cells below it/);
    // West's rows run past a batch's end (4,096 rows) and a piece's: a blank cell there takes West
    // from the batch before, not Nord, the most frequent.
    const csv = report([['Nord', 2000, 20], ['West', 3000, 40], ['Süd', 1000, 30]]);
    const whole = await detector.score(tableFromCsv(csv));
    const streamed = [];
    for await (const s of detector.scoreStream((async function* () { yield csv.slice(0, 20000); yield csv.slice(20000); })())) streamed.push(...s);
    assert.equal(streamed.length, 6000);
    assert.ok(maxDifference(Float32Array.from(streamed), whole) <= 1e-6);
    const asNord = await detector.score(tableFromCsv(`Region;temp;load\nNord;${csv.split('\n')[4097].slice(1)}\n`));
    const asWest = await detector.score(tableFromCsv(`Region;temp;load\nWest;${csv.split('\n')[4097].slice(1)}\n`));
    assert.notEqual(asNord[0], asWest[0]);
    assert.ok(Math.abs(streamed[4096] - asWest[0]) <= 1e-6);
    assert.match((await detector.scoringNotes(tableFromCsv(csv))).join(' '), /grouped report's column given the value above them, as in training \(a group's value stands in its first row only\): 'Region' 5997/);
    // Trained without labels, a row is explained against the training rows most like it: a West
    // row at Nord's temperature has its temperature compared with West's (40 and more), not with
    // the median of all rows (30).
    const [odd] = await detector.explainRows(tableFromCsv('Region;temp;load\nWest;20.5;3\n'), [0], 3);
    assert.equal(odd.likeRows, 5);
    const temp = odd.columns.find((c) => c.column === 'temp');
    assert.ok(Number(temp.baseline) >= 40 && Number(temp.typical) <= 30, JSON.stringify(temp));
    assert.ok(temp.contribution > 0, JSON.stringify(odd));
    assert.ok(odd.baselineScore < odd.score, JSON.stringify(odd));
    await detector.dispose();
  });

  test('rows holding no sample (a totals row, a group\'s heading line) get no score: NaN, empty cells, left out of measures', async () => {
    // Two groups opened by heading lines ('Nord;;;'), each closed by its totals row ('Summe', the sums of its rows).
    const lines = ['Region;temp;load;ok'];
    let i = 0;
    for (const region of ['Nord', 'Süd']) {
      lines.push(`${region};;;`);
      let temp = 0, load = 0;
      for (let r = 0; r < 150; r++, i++) {
        const t = 20 + ((i * 37) % 10) / 10, l = (i * 13) % 7 + 1;
        temp += t, load += l;
        lines.push(`;${t.toFixed(1)};${l};${r === 7 ? 'no' : 'yes'}`);
      }
      lines.push(`Summe;${temp.toFixed(1)};${load};`);
    }
    const csv = lines.join('\n') + '\n';
    const detector = await createDetector({ preset: 'tabular' });
    const fitted = await detector.fit(tableFromCsv(csv, { labelColumn: 'ok', normalValues: ['yes'] }), { epochs: 2 });
    assert.equal(fitted.data.rows, 300);
    const scores = await detector.score(tableFromCsv(csv));
    const none = [...scores.keys()].filter((r) => Number.isNaN(scores[r]));
    assert.deepEqual(none, [0, 151, 152, 303]);
    assert.ok([...scores].filter((s) => !Number.isNaN(s)).every((s) => s >= 0 && s <= 1));
    const streamed = [];
    for await (const part of detector.scoreStream((async function* () { yield csv; })())) streamed.push(...part);
    assert.deepEqual([...streamed.keys()].filter((r) => Number.isNaN(streamed[r])), none);
    const notes = (await detector.scoringNotes(tableFromCsv(csv))).join(' ');
    assert.match(notes, /lines 2 \('Nord'\), 154 \('Süd'\) are groups' heading lines .*not scored \(no score, no flag\)/);
    assert.match(notes, /lines 153 \('Summe', a sum in 'temp'\), 305 \('Summe', a sum in 'temp'\) are totals rows .*not scored/);
    const written = (await detector.scoredCsv(tableFromCsv(csv))).split('\n');
    assert.equal(written[152], `${lines[152]};;`);
    assert.match(written[3], /^;20\.\d;\d;yes;[\d.e+-]+;[01]$/);
    // The labels of the rows scored; the totals rows' empty label cells are not asked for.
    const labels = await detector.labels(tableFromCsv(csv));
    assert.equal(labels.length, 304);
    const metrics = await detector.evaluate(tableFromCsv(csv));
    assert.equal(metrics.notScored, 4);
    assert.deepEqual([metrics.normal, metrics.anomalies], [298, 2]);
    await detector.dispose();
  });

  test('a held-out row far beyond the others scores 1, the top: the threshold is 1 and flags it, said in the report', async () => {
    // One-class, 61 rows; with seed 12 the far row lands in the test split, whose rows join the
    // validation ones the threshold is set on (the same file as the core's and the CLI's tests).
    const lines = Array.from({ length: 60 }, (_, i) => `${(i * 37) % 11 - 5}.${i % 10},${1000 + (i * 13) % 17}`);
    const csv = ['temperature,pressure', ...lines, '-90000,1004'].join('\n') + '\n';
    const detector = await createDetector({ preset: 'tabular', changes: { seed: 12 } });
    const report = await detector.fit(tableFromCsv(csv), { epochs: 3 });
    assert.equal(report.thresholdAtTop, 1);
    assert.equal(detector.threshold, 1);
    assert.equal(report.test.confusion.falsePositives, 1);
    assert.equal(report.thresholdShare.samples, 12);
    assert.ok(Math.abs(report.thresholdShare.low - 0.0302) < 1e-3, JSON.stringify(report.thresholdShare));
    const scores = await detector.score(tableFromCsv(csv));
    assert.equal(scores[60], 1);
    assert.ok(Math.max(...scores.slice(0, 60)) < 1);
    await detector.dispose();
  });

  test('decimalMark names the decimal mark where the cells cannot tell (a weather export, "1.016" hPa)', async () => {
    // Air pressure written with '.' grouping thousands: every cell reads either way. Tab-separated:
    // in a ';'-separated file (a spreadsheet's where the comma is the decimal mark) '.' is taken to
    // group thousands from the start.
    const rows = Array.from({ length: 120 }, (_, i) => `W${i % 4}\t1.${String((i * 7) % 31).padStart(3, '0')}\t${15 + (i % 13)}`);
    const csv = ['station\tpressure\ttemp', ...rows].join('\n') + '\n';
    const scored = ['station\tpressure\ttemp', ...rows.slice(0, 19), 'W2\t1.012,5\t25'].join('\n') + '\n';
    const guessed = await runtime.describeCsv(csv);
    assert.equal(guessed.decimalMark, '.');
    assert.equal(guessed.decimalMarkGuessed, true);
    assert.equal(guessed.decimalMarkReason, "the file is separated by tabs, not by ';', which is what spreadsheets write where the comma is the decimal mark");
    const semicolons = await runtime.describeCsv(csv.replaceAll('\t', ';'));
    assert.deepEqual([semicolons.decimalMark, semicolons.thousandsSeparator, semicolons.decimalMarkGuessed], [',', '.', true]);
    // Whole numbers beside them ("993" hPa) tell: 1.016 lies near 993 only as 1016, in any file.
    const beside = await runtime.describeCsv(csv.replace('W1\t1.007', 'W1\t993'));
    assert.deepEqual([beside.decimalMark, beside.thousandsSeparator, beside.decimalMarkGuessed], [',', '.', true]);
    assert.equal(beside.decimalMarkReason, "the whole numbers of column 'pressure', such as '993' (line 3), lie near its '1.000' read as 1000");
    const named = await describeCsv(csv, { decimalMark: ',' });
    assert.deepEqual([named.decimalMark, named.decimalMarkGuessed, named.thousandsSeparator], [',', false, '.']);
    await assert.rejects(runtime.describeCsv(csv, { decimalMark: ';' }),
      { code: 'bad_input', message: "table options: decimalMark is ',' or '.', not ';'" });
    // Trained on the guess, the scored file (whose '1.012,5' tells the comma) is refused by name ...
    const first = await createDetector({ preset: 'tabular' });
    await first.fit(tableFromCsv(csv), { epochs: 2 });
    await assert.rejects(first.score(tableFromCsv(scored)),
      { code: 'bad_input', message: /^CSV line 2, column 'pressure': '1\.000' reads as 1000 in this file, whose decimal mark is ','.*TableOptions\.decimalMark in the SDK/ });
    // ... trained with the mark named, it scores, the pressure read as 1000 to 1030 in both files,
    // the stream too.
    const second = await createDetector({ preset: 'tabular' });
    const report = await second.fit(tableFromCsv(csv, { decimalMark: ',' }), { epochs: 2 });
    assert.equal(report.data.decimalMark, ',');
    // Its notes: a file that cannot tell is read as training named it, said; named '.', not.
    const undecided = 'station\tpressure\ttemp\nW2\t1.016\t25\n';
    assert.match((await second.scoringNotes(tableFromCsv(undecided))).join(' '), /read as the model's training file wrote them, with the decimal mark ','/);
    // (named '.', its '1.016' reads as 1.016 where training read 1016: refused, as score() refuses it)
    await assert.rejects(second.scoringNotes(tableFromCsv(undecided, { decimalMark: '.' })),
      { code: 'bad_input', message: /^CSV line 2, column 'pressure': '1\.016' reads as 1\.016 in this file, whose decimal mark is '\.'/ });
    await assert.rejects(second.score(tableFromCsv(undecided, { decimalMark: '.' })), { code: 'bad_input', message: /reads as 1\.016 in this file/ });
    // A column of true labels the model never saw is "not known" unless named as the labels.
    const truth = 'station\tpressure\ttemp\tok\nW2\t1.016\t25\tyes\n';
    assert.match((await second.scoringNotes(tableFromCsv(truth))).join(' '), /a column the model does not know, left out: 'ok'/);
    assert.doesNotMatch((await second.scoringNotes(tableFromCsv(truth, { labelColumn: 'ok' }))).join(' '), /does not know/);
    const scores = await second.score(tableFromCsv(scored));
    assert.equal(scores.length, 20);
    const streamed = [];
    for await (const s of second.scoreStream((async function* () { yield scored; })(), { decimalMark: ',' })) streamed.push(...s);
    assert.ok(maxDifference(Float32Array.from(streamed), scores) <= 1e-6);
    // Named at scoring, the mark reaches every call that reads the CSV: beside the model that
    // guessed '.', "1.016" named ',' is 1016, and refused; without it, read as the model did.
    const plainRows = ['station\tpressure\ttemp', 'W2\t1.016\t25'].join('\n') + '\n';
    const namedComma = tableFromCsv(plainRows, { decimalMark: ',' });
    const refused = { code: 'bad_input', message: /^CSV line 2, column 'pressure': '1\.016' reads as 1016 in this file/ };
    await assert.rejects(first.score(namedComma), refused);
    await assert.rejects(first.prepare(namedComma), refused);
    await assert.rejects(first.scoredCsv(namedComma), refused);
    await assert.rejects(first.explainRows(namedComma, [0], 3), refused);
    await assert.rejects(async () => { for await (const _ of first.scoreStream((async function* () { yield plainRows; })(), { decimalMark: ',' })); }, refused);
    assert.equal((await first.score(tableFromCsv(plainRows))).length, 1);
    // Another file named so reads so everywhere (an explanation's cell and typical value too).
    const plain = ['station\tpressure\ttemp', 'W2\t1.016\t25'].join('\n') + '\n';
    const [why] = await second.explainRows(tableFromCsv(plain, { decimalMark: ',' }), [0], 3);
    const pressure = why.columns.find((c) => c.column === 'pressure');
    assert.equal(pressure.value, '1.016');
    assert.match(pressure.typical, /^1\.0[0-3]\d$/);  // (its thousands separator: the decimal mark is ',')
    assert.deepEqual(await second.score(tableFromCsv(plain, { decimalMark: ',' })),
      await second.score(tableFromCsv(plain.replace('1.016', '1016'))));
    await first.dispose();
    await second.dispose();
  });

  test('a natively trained model loads in Node with the native scores (within 1e-5)', async () => {
    const modelPath = join(work, 'native-made.ca3');
    execFileSync(cli, ['train', '--data', join(dataDir, 'Ionosphere.csv'), '--label-column', 'Class', '--normal', 'good',
      '--epochs', '5', '--quiet', '--out', modelPath]);
    const csvPath = join(work, 'iono-native.csv');
    execFileSync(cli, ['score', '--model', modelPath, '--data', join(dataDir, 'Ionosphere.csv'), '--out', csvPath, '--quiet']);
    const detector = await loadDetector(readFileSync(modelPath));
    assert.equal(detector.kind, 'tabular');
    const scores = await detector.score(tableFromCsv(readFileSync(join(dataDir, 'Ionosphere.csv'), 'utf8')));
    const difference = maxDifference(scores, readScoresCsv(csvPath));
    console.log(`  native-made Ionosphere model: SDK vs native scores, largest difference ${difference.toExponential(2)}`);
    assert.ok(difference <= 1e-5);
    await detector.dispose();
  });

  test('the demo image model scores Fashion-MNIST as the command line did', async () => {
    const detector = await loadDetector(readFileSync(join(repo, 'models/demo/fashion-mnist-tshirt.ca3')));
    assert.equal(detector.kind, 'image');
    assert.deepEqual(detector.inputShape, [28, 28, 1]);
    const { pixels } = fashionMnist(200);
    const scores = await detector.score(imageSet(pixels));
    const difference = maxDifference(scores, readScoresCsv(join(repo, 'models/demo/fashion-mnist-tshirt.scores.csv')));
    assert.ok(difference <= 1e-5, `largest difference ${difference}`);
    // The same image given as RGBA pixels at 56x56 (each pixel doubled), resized by the SDK.
    const rgba = new Uint8ClampedArray(56 * 56 * 4);
    for (let y = 0; y < 56; ++y)
      for (let x = 0; x < 56; ++x) {
        const v = Math.round(pixels[(y >> 1) * 28 + (x >> 1)] * 255);
        rgba.set([v, v, v, 255], (y * 56 + x) * 4);
      }
    const resized = await imagesToInputs([{ width: 56, height: 56, data: rgba }], { width: 28, height: 28, channels: 1 });
    assert.ok(maxDifference(resized.inputs, pixels.subarray(0, 784)) < 1e-6);
    assert.deepEqual(resized.grey, [true]);
    // A wider one is centre-cropped first (the core's rule): 84 x 28 with the image in the middle third.
    const wide = new Uint8ClampedArray(28 * 84 * 4).fill(255);
    for (let y = 0; y < 28; ++y)
      for (let x = 0; x < 28; ++x) {
        const v = Math.round(pixels[y * 28 + x] * 255);
        wide.set([v, v, v, 255], (y * 84 + 28 + x) * 4);
      }
    const cropped = await imagesToInputs([{ width: 84, height: 28, data: wide }], { width: 28, height: 28, channels: 1 });
    assert.ok(maxDifference(cropped.inputs, pixels.subarray(0, 784)) < 1e-6);
    // What fitting them did, in `ca3 train`'s words, from the decoded sizes alone.
    assert.equal(await imageFitNote([{ width: 56, height: 56 }, { width: 84, height: 28 }], [1, 1], ['a.png', 'b.png'],
      { width: 28, height: 28, channels: 1 }), 'widths 56 to 84, heights 28 to 56 pixels, resized; 1 cropped around the ' +
      "centre to the model's shape first (1 keeps less than half of the picture: b.png (84x28: its centre 28x28); crop " +
      "such images to the part that matters, or cut them into pieces of the model's shape)");
    const activations = await detector.activations(imageSet(pixels.subarray(0, 784 * 2)));
    assert.deepEqual(activations.layerChannels, [16, 32]);
    assert.deepEqual(activations.shape, [2, 14, 14, 48]);  // conv outputs 28x28x16 and 14x14x32, pooled to 14x14
    const attribution = await detector.explain(imageSet(pixels.subarray(0, 784)));
    assert.deepEqual(attribution.shape, [1, 28, 28, 1]);
    await detector.dispose();
  });

  test('trains on a Fashion-MNIST subset (T-shirt normal, the other classes anomalies)', async () => {
    const { pixels, classes } = fashionMnist(2500);
    const labels = Int32Array.from(classes, (c) => (c === 0 ? 0 : 1));
    const detector = await createDetector({ preset: 'fashion-mnist-small' });
    const report = await detector.fit(imageSet(pixels, labels), { epochs: 3 });
    console.log(`  Fashion-MNIST 2500 images, 3 epochs: test ROC-AUC ${report.test.rocAuc.toFixed(4)}, ` +
      `${report.samplesPerSecond.toFixed(0)} samples/s (${runtime.build}, ${runtime.threads} threads)`);
    assert.ok(report.test.rocAuc >= 0.9, `test ROC-AUC ${report.test.rocAuc}`);
    await detector.dispose();
  });

  test('images without labels: fit takes them all as normal (one-class) and finds the other classes', async () => {
    const { pixels, classes } = fashionMnist(3000);
    const shirts = classes.slice(0, 2000).flatMap((c, i) => (c === 0 ? [i] : []));  // the 1,000 after them held out
    const normal = new Float32Array(shirts.length * 784);
    shirts.forEach((i, k) => normal.set(pixels.subarray(i * 784, (i + 1) * 784), k * 784));
    const detector = await createDetector({ preset: 'fashion-mnist-small' });
    const report = await detector.fit(imageSet(normal), { epochs: 3 });
    assert.equal(report.setting, 'one_class');
    assert.equal(report.validationAnomalies, 'synthetic');
    const held = pixels.subarray(2000 * 784), heldClasses = classes.slice(2000);
    const metrics = await detector.evaluate(imageSet(held, heldClasses.map((c) => (c === 0 ? 0 : 1))));
    console.log(`  one-class on ${shirts.length} T-shirts, 3 epochs: ROC-AUC ${metrics.rocAuc.toFixed(4)} on 1,000 unseen images`);
    assert.ok(metrics.rocAuc >= 0.8, `ROC-AUC ${metrics.rocAuc}`);
    await detector.dispose();
  });

  test('mistakes plain JavaScript makes are named, with the fix', async () => {
    const detector = await createDetector();
    const bad = (message) => ({ name: 'CA3Error', code: 'bad_input', message });
    await assert.rejects(detector.fit(breastCancer), bad('fit takes a dataset, not a string: wrap a CSV in tableFromCsv(csv, options)'));
    await assert.rejects(detector.score(new TextEncoder().encode(breastCancer)), bad(/^score takes a dataset, not a Uint8Array/));
    await assert.rejects(detector.fit(tableFromCsv(breastCancer), { epoch: 1 }), bad(/^unknown fit option 'epoch' \(did you mean 'epochs'\?\)/));
    assert.throws(() => tableFromCsv(breastCancer, { normalValues: ['benign'] }), bad(/^normalValues needs labelColumn/));
    assert.throws(() => tableFromCsv(breastCancer, { labelcolumn: 'Class' }), bad(/^unknown table option 'labelcolumn' \(did you mean 'labelColumn'\?\)/));
    assert.throws(() => tableFromCsv({ name: 'x.csv' }), bad("tableFromCsv takes the CSV's text or bytes, not an object of other keys"));
    // A file's ArrayBuffer is taken as its bytes.
    const buffer = new TextEncoder().encode(breastCancer).buffer;
    assert.equal((await detector.fit(tableFromCsv(buffer, bcLabels), { epochs: 1 })).rows.train, 559);
    // Rates with nothing to be measured on are null, as rocAuc: a test part without anomalies.
    const unlabelled = await detector.fit(tableFromCsv(breastCancer), { epochs: 1 });
    assert.equal(unlabelled.test.anomalies, 0);
    assert.equal(unlabelled.test.truePositiveRate, null);
    assert.equal(unlabelled.test.f1, null);
    await detector.dispose();
  });

  test('bad inputs reject with messages and the detector keeps working', async () => {
    const detector = await createDetector({ preset: 'tabular' });
    await detector.fit(tableFromCsv(breastCancer, bcLabels), { epochs: 2 });
    const before = await detector.score(tableFromCsv(breastCancer));
    await assert.rejects(detector.fit(tableFromCsv('a,b,Class\n1,2,x\n3,4\n', { labelColumn: 'Class', normalValues: ['x'] })),
      { name: 'CA3Error', code: 'bad_input', message: "CSV line 3: 2 fields, the header has 3 ('3,4'): the file's last line: if it was cut short (copied, or " +
        'exported while still being written), complete it or delete it; a missing value is an empty field, two separators in a row' });
    await assert.rejects(detector.fit(tableFromCsv(breastCancer, { labelColumn: 'Diagnosis', normalValues: ['benign'] })),
      /CSV has no column 'Diagnosis'/);
    await assert.rejects(detector.score(tableFromCsv('Cl.thickness,Class\n1,benign\n')), /no columns 'Cell.size', 'Cell.shape'/);
    await assert.rejects(loadDetector(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])), /not a CA3 model file|model file/);
    const bytes = await detector.save();
    await assert.rejects(loadDetector(bytes.subarray(0, bytes.length - 100)), { code: 'unsupported_file', message: /truncated/ });
    const corrupt = bytes.slice();
    corrupt[corrupt.length - 200] ^= 0xff;
    await assert.rejects(loadDetector(corrupt), /corrupt|checksum|CRC/i);
    await assert.rejects(createDetector({ preset: 'no-such-preset' }), /unknown preset 'no-such-preset'/);
    await assert.rejects(createDetector({ preset: { kind: 'tabular', training: { epochz: 3 } } }), /unknown key/);
    // A model too large for WebAssembly's memory: a readable error, and the worker keeps working.
    await assert.rejects(createDetector({ preset: 'fashion-mnist', changes: { model: { encoderChannels: [8, 65536], alarmChannels: [65536] } } }),
      { code: 'out_of_memory', message: /out of memory/ });
    assert.deepEqual(await detector.score(tableFromCsv(breastCancer)), before);

    const images = await createDetector({ preset: 'fashion-mnist-small' });
    const { pixels } = fashionMnist(20);
    const labels = new Int32Array(20).fill(0, 0, 10).fill(1, 10);
    await assert.rejects(images.fit(imageSet(pixels.subarray(0, 784 * 20 - 5), labels)), /not a whole number of samples/);
    const withNaN = pixels.slice();
    withNaN[1000] = NaN;
    await assert.rejects(images.fit(imageSet(withNaN, labels)), /sample 1, value 216 is not a finite number/);
    await assert.rejects(images.fit(imageSet(pixels, labels.subarray(0, 19))), /19 labels for 20 images/);
    await assert.rejects(images.score(imageSet(pixels)), /not trained/);
    await assert.rejects(images.fit(tableFromCsv(breastCancer, bcLabels)), /image detector: it cannot train on a CSV/);
    await images.dispose();
    await detector.dispose();
    await assert.rejects(detector.score(tableFromCsv(breastCancer)), { code: 'disposed', message: /disposed/ });
  });

  test('dispose() during a fit stops it at once; other detectors are not held up', async () => {
    const { pixels, classes } = fashionMnist(2000);
    const labels = Int32Array.from(classes, (c) => (c === 0 ? 0 : 1));
    const training = await createDetector({ preset: 'fashion-mnist-small' });
    let epochEnds = 0;
    let firstStep;
    const started = new Promise((resolve) => (firstStep = resolve));
    const fit = training.fit(imageSet(pixels, labels), { epochs: 30, onProgress: (p) => { firstStep(); if (p.epochEnd) epochEnds++; } });
    const fitOutcome = fit.then(() => undefined, (e) => e);
    await started;
    // A cheap call on another detector (and a module call) while the fit runs: answered between slices.
    const other = await loadDetector(readFileSync(join(repo, 'models/demo/breast-cancer.ca3')));
    const t0 = performance.now();
    await other.info();
    await runtime.describeCsv('a,b\n1,2\n');
    const cheapMs = performance.now() - t0;
    const t1 = performance.now();
    await training.dispose();
    const disposeMs = performance.now() - t1;
    const error = await fitOutcome;
    assert.equal(error?.name, 'AbortError');
    assert.equal(error?.code, 'cancelled');
    console.log(`  during a fit: info + describeCsv answered in ${cheapMs.toFixed(0)} ms; dispose() took ${disposeMs.toFixed(0)} ms`);
    assert.equal(epochEnds, 0, 'the fit stopped within its first epoch');
    assert.ok(disposeMs < 2000, `dispose took ${disposeMs} ms`);
    assert.ok(cheapMs < 2000, `cheap calls took ${cheapMs} ms`);
    await assert.rejects(training.score(imageSet(pixels)), { code: 'disposed' });
    await other.dispose();
  });

  test('cancel mid-epoch keeps the previous model; a score sent during a fit waits for it', async () => {
    const detector = await createDetector({ preset: 'fashion-mnist-small' });
    const { pixels, classes } = fashionMnist(600);
    const labels = Int32Array.from(classes, (c) => (c === 0 ? 0 : 1));
    await detector.fit(imageSet(pixels, labels), { epochs: 1 });
    const before = await detector.score(imageSet(pixels.subarray(0, 784 * 50)));

    const controller = new AbortController();
    let steps = 0;
    const fit = detector.fit(imageSet(pixels, labels), {
      epochs: 5,
      signal: controller.signal,
      onProgress: (p) => {
        steps = p.step;
        if (p.epoch === 1 && p.step >= 1) controller.abort();
      },
    });
    const scoreDuringFit = detector.score(imageSet(pixels.subarray(0, 784 * 50)));
    await assert.rejects(fit, (e) => e.name === 'AbortError' && e.code === 'cancelled' && e.report.cancelled === true);
    assert.ok(steps < 4, `cancelled after step ${steps} of epoch 1`);
    assert.deepEqual(await scoreDuringFit, before);
    assert.deepEqual(await detector.score(imageSet(pixels.subarray(0, 784 * 50))), before);
    await detector.dispose();
  });

  test('the threaded and single-thread builds give the same scores', async () => {
    const single = await Runtime.start({ build: 'single' });
    try {
      assert.equal(single.build, 'single');
      assert.equal(single.threads, 1);
      const bytes = readFileSync(join(repo, 'models/demo/breast-cancer.ca3'));
      const a = await (await runtime.loadDetector(bytes)).score(tableFromCsv(breastCancer));
      const b = await (await single.loadDetector(bytes)).score(tableFromCsv(breastCancer));
      assert.ok(maxDifference(a, b) <= 1e-6);
      // Training gives the same model in both (same seed, deterministic kernels): compare scores.
      const fitScores = async (rt) => {
        const d = await rt.createDetector({ preset: 'tabular' });
        await d.fit(tableFromCsv(breastCancer, bcLabels), { epochs: 2 });
        return d.score(tableFromCsv(breastCancer));
      };
      const difference = maxDifference(await fitScores(runtime), await fitScores(single));
      console.log(`  trained in both builds: largest score difference ${difference.toExponential(2)}`);
      assert.ok(difference <= 1e-4);
    } finally {
      single.close();
    }
  });

  test('the threads a runtime reports are the threads that compute: its worker and its pthread workers', async () => {
    for (const threads of [2, 3]) {
      const rt = await Runtime.start({ build: 'threads', threads });
      assert.equal(rt.threads, threads);
      assert.equal(rt.pthreadWorkers, threads - 1);
      rt.close();
    }
    const one = await Runtime.start({ threads: 1 });  // one thread: the single-thread build does that
    assert.deepEqual([one.build, one.threads, one.pthreadWorkers], ['single', 1, 0]);
    one.close();
    await assert.rejects(Runtime.start({ threads: 0 }), (e) => e.code === 'bad_input' && /threads must be a whole number from 1 to 64, got 0/.test(e.message));
    await assert.rejects(Runtime.start({ build: 'single', threads: 2 }), (e) => e.code === 'bad_input' && /single-thread build computes on one thread/.test(e.message));
  });

  test('a missing or HTML .wasm file is reported clearly', async () => {
    const empty = mkdtempSync(join(work, 'empty-'));
    await assert.rejects(Runtime.start({ build: 'single', wasmBaseUrl: new URL(`file://${empty}/`) }),
      /could not start the single build: the CA3 module file .*ca3-single\.js is missing/);
    writeFileSync(join(empty, 'ca3-single.js'), '// placeholder');
    writeFileSync(join(empty, 'ca3-single.wasm'), '<!DOCTYPE html><html><body>Not found</body></html>');
    await assert.rejects(Runtime.start({ build: 'single', wasmBaseUrl: new URL(`file://${empty}/`) }),
      /ca3-single\.wasm is not a WebAssembly file \(the server answered with an HTML page/);
  });
});
