// The bad-input table (tests/bad-inputs/cases.json) at the SDK layer, in Node: every case through
// the public API (loadDetector, fit, score). Each must reject with its message or do what its
// "ok" says, and the detectors loaded before must still give exactly the same scores.
//
//   node --test sdk/test/bad-inputs.test.mjs
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { getRuntime, imageSet, loadDetector, tableFromCsv } from 'ca3-sdk';
import { expectationFor, holds, makeInput, repoFile, table } from '../../tests/bad-inputs/cases.mjs';

const decode = (bytes) => new TextDecoder().decode(bytes);  // as a browser's File.text() does

let runtime, tableModel, imageModel, referenceRows, referenceImages, tableScores, imageScores;

before(async () => {
  runtime = await getRuntime();
  tableModel = await loadDetector(repoFile(table.fixtures['table-model']), { runtime });
  imageModel = await loadDetector(repoFile(table.fixtures['image-model']), { runtime });
  referenceRows = tableFromCsv(decode(repoFile(table.fixtures.table)).split('\n').slice(0, 51).join('\n'));
  referenceImages = imageSet(Float32Array.from({ length: 20 * 784 }, (_, i) => ((i * 7919) % 256) / 255));
  tableScores = await tableModel.score(referenceRows);
  imageScores = await imageModel.score(referenceImages);
});
after(async () => {
  await tableModel?.dispose();
  await imageModel?.dispose();
});

for (const testCase of table.cases) {
  const expect = expectationFor(testCase, 'sdk');
  test(testCase.id, { skip: expect.skip }, async () => {
    const input = makeInput(testCase.input);
    const { action } = testCase;
    let outcome;
    let retrained = false;
    try {
      if (action === 'train-table') {
        // The file's bytes, as the page reads them: the core decodes them.
        const report = await tableModel.fit(
          tableFromCsv(input, { labelColumn: testCase.label, normalValues: [testCase.normal] }), { epochs: 3 });
        retrained = true;
        outcome = { report };
      } else if (action === 'score-table') {
        const model = testCase.model ? await loadDetector(repoFile(table.fixtures[testCase.model]), { runtime }) : tableModel;
        try {
          outcome = { scores: await model.score(tableFromCsv(input)) };
        } finally {
          if (model !== tableModel) await model.dispose();
        }
      } else if (action === 'load-model') {
        const loaded = await loadDetector(input, { runtime });
        await loaded.dispose();
        outcome = {};
      } else if (action === 'score-image') {
        // In Node the SDK takes pixels: an image of the case's size, as imagesToTensor would give.
        const { height, width, channels } = testCase.input;
        const pixels = new Float32Array(height * width * channels).fill(0.5);
        outcome = { scores: await imageModel.score(imageSet(pixels, undefined, { height, width, channels })) };
      } else {
        assert.fail(`unknown action ${action}`);
      }
    } catch (error) {
      outcome = { error };
    }

    if (expect.error) {
      assert.ok(outcome.error, `want the error '${expect.error}', but the call succeeded`);
      assert.ok(outcome.error.message.includes(expect.error),
        `want '${expect.error}', got '${outcome.error.message}'`);
      assert.equal(outcome.error.name, 'CA3Error');
      assert.equal(outcome.error.code, expect.code ?? 'bad_input', outcome.error.message);
    } else {
      assert.ifError(outcome.error);
      if (expect.ok.rows !== undefined) {
        assert.equal(outcome.scores.length, expect.ok.rows);
        assert.ok(outcome.scores.every(Number.isFinite), 'every score is finite');
      }
      if (expect.ok.report) {
        assert.ok(holds(outcome.report, expect.ok.report), `the report does not hold ${JSON.stringify(expect.ok.report)}: ` +
          JSON.stringify(outcome.report).slice(0, 3000));
        await (await loadDetector(await tableModel.save(), { runtime })).dispose();  // the model saved loads
      }
      if (expect.ok.syntheticAnomalies) assert.ok(outcome.report.syntheticAnomalies > 0, 'synthetic anomalies used');
    }
    // Nothing already trained or loaded is lost (a training meant to succeed replaces the model).
    if (retrained) {
      await tableModel.dispose();
      tableModel = await loadDetector(repoFile(table.fixtures['table-model']), { runtime });
    }
    assert.deepEqual(await tableModel.score(referenceRows), tableScores);
    assert.deepEqual(await imageModel.score(referenceImages), imageScores);
  });
}

// Data of the other kind than the model's: refused with what the model takes (a table model read
// images' pixels as rows of its features, without a word, whenever their count divided evenly).
test('images given to a table model, and a table to an image model, are refused with the fix', async () => {
  for (const call of ['score', 'explain', 'reconstruct', 'activations']) {
    await assert.rejects(tableModel[call](referenceImages), (e) => e.code === 'bad_input' &&
      e.message === 'these are images, and this detector was trained on a table: give it a table (tableFromCsv), or ' +
        'score the images with a detector trained on images', call);
    await assert.rejects(imageModel[call](referenceRows), (e) => e.code === 'bad_input' &&
      e.message === 'this is a table, and this detector was trained on images (28x28, grey): give it images (imageSet), or ' +
        'score the table with a detector trained on a table', call);
  }
  await assert.rejects(tableModel.evaluate(imageSet(referenceImages.images, new Int32Array(20))), /trained on a table/);
  assert.deepEqual(await tableModel.score(referenceRows), tableScores);
  assert.deepEqual(await imageModel.score(referenceImages), imageScores);
});
