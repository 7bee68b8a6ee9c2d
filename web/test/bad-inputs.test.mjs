// The bad-input table (tests/bad-inputs/cases.json) at the page layer: each case handed to the demo
// page the way a user would (a file chosen or dropped on the CSV, scoring, image or model input,
// then Train), in Debian's Chromium, with and without cross-origin isolation. Each must show its
// message (or do what its "ok" says), and the loaded demo models must score exactly as before:
// the Breast Cancer rows' mean score and an image's score are compared after every case.
//
//   node --test web/test/bad-inputs.test.mjs      (after node web/build.mjs)
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../serve.mjs';
import { FLAGS, NO_SERVICE_WORKER, openPartOf } from './helpers.mjs';
import { expectationFor, holds, makeInput, repoFile, table } from '../../tests/bad-inputs/cases.mjs';

const web = resolve(fileURLToPath(import.meta.url), '../..');
const work = mkdtempSync(join(tmpdir(), 'ca3-page-bad-'));
after(() => rmSync(work, { recursive: true, force: true }));

// The first 50 rows of the table fixture and one 28x28 image: what "nothing lost" re-scores.
const referenceCsv = {
  name: 'reference.csv', mimeType: 'text/csv',
  buffer: Buffer.from(new TextDecoder().decode(repoFile(table.fixtures.table)).split('\n').slice(0, 51).join('\n')),
};
const referenceImage = { name: 'reference.png', mimeType: 'image/png', buffer: Buffer.from(repoFile('tests/bad-inputs/colour-28x28.png')) };

/** A case's input as Playwright takes it: a file on disk when large, else a buffer. */
function fileFor(spec) {
  if ('sparse_bytes' in spec) {  // only its size matters: the page must refuse it unread
    const path = join(work, spec.name);
    truncateSync(openAndClose(path), spec.sparse_bytes);
    return path;
  }
  const bytes = makeInput(spec);
  if (bytes.length > 10_000_000) {
    const path = join(work, spec.name);
    writeFileSync(path, bytes);
    return path;
  }
  const mimeType = spec.name.endsWith('.png') ? 'image/png' : spec.name.endsWith('.csv') ? 'text/csv' : 'application/octet-stream';
  return { name: spec.name, mimeType, buffer: Buffer.from(bytes) };
}

function openAndClose(path) {
  closeSync(openSync(path, 'w'));
  return path;
}

const LARGE = new Set(['csv-100mb', 'too-large-to-train']);
for (const isolation of [true, false]) {
  const mode = isolation ? 'threads' : 'single';
  describe(`bad-input table on the page (${mode} build)`, () => {
    let server, browser, page;
    const consoleErrors = [];
    let referenceMean, referenceImageTitle;

    // Does `act`, then waits until the page's handlers that it starts (`handlers` of them) finish.
    async function handled(act, handlers = 1) {
      const before = Number(await page.getAttribute('body', 'data-handled') ?? 0);
      await act();
      await page.waitForFunction((n) => Number(document.body.dataset.handled ?? 0) >= n, before + handlers, { timeout: 600_000 });
    }
    const message = async () => ((await page.isVisible('#message')) ? await page.textContent('#message') : '');
    async function scoreReferenceRows() {
      await openPartOf(page, '#csv-score-file');
      await handled(() => page.setInputFiles('#csv-score-file', referenceCsv));
      assert.equal(await message(), '');
      return page.getAttribute('#csv-score-info', 'data-mean-score');
    }
    async function scoreReferenceImage() {
      await openPartOf(page, '#score-files');
      await handled(() => page.setInputFiles('#score-files', referenceImage));
      assert.equal(await message(), '');
      return page.getAttribute('#image-grid .cell', 'title');
    }
    async function loadDemoTableModel() {
      await openPartOf(page, '#demo-table');
      await handled(() => page.click('#demo-table'));
      assert.equal(await message(), '');
    }

    before(async () => {
      let url;
      ({ server, url } = await startServer({ root: join(web, 'dist'), port: 0, isolation }));
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      // Single build: no headers and no service worker (else the page isolates itself).
      if (!isolation) await page.addInitScript(NO_SERVICE_WORKER);
      page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
      page.on('pageerror', (e) => consoleErrors.push(e.message));
      await page.goto(url);
      await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
      await loadDemoTableModel();
      await openPartOf(page, '#demo-image');
      await handled(() => page.click('#demo-image'));
      referenceMean = await scoreReferenceRows();
      referenceImageTitle = await scoreReferenceImage();
      assert.ok(referenceMean && referenceImageTitle);
    });
    after(async () => {
      await browser?.close();
      server?.close();
    });

    for (const testCase of table.cases) {
      const expect = expectationFor(testCase, 'page');
      // The cases of hundreds of megabytes (minutes each) run in the threads build: the same page
      // code, in the build whose memory (shared, grown under pthreads) is the tighter.
      const skip = expect.skip ?? (!isolation && LARGE.has(testCase.id) ? 'a large case: run in the threads build' : undefined);
      test(testCase.id, { skip }, async () => {
        const file = fileFor(testCase.input);
        let success = '';  // what the page shows when the case goes through
        let replacedTableModel = false;
        if (testCase.action === 'train-table') {
          await openPartOf(page, '#csv-file');
          await handled(() => page.setInputFiles('#csv-file', file));
          if (!(await message())) {
            // The page lists the file's own column names: pick the one the case names (as a user would,
            // whatever spaces or Unicode form the file gives it).
            const labelOption = await page.$$eval('#label-column option', (options, wanted) =>
              options.map((o) => o.value).find((v) => v && v.trim().normalize('NFC') === wanted.trim().normalize('NFC')), testCase.label);
            await page.selectOption('#label-column', labelOption ?? testCase.label);
            await page.selectOption('#normal-value', testCase.normal);
            await page.fill('#csv-epochs', '3');
            await handled(() => page.click('#train-csv'));
            success = await page.textContent('#csv-status');
            replacedTableModel = !(await message());
          }
        } else if (testCase.action === 'score-table') {
          if (testCase.model) {
            await openPartOf(page, '#model-file');
            await handled(() => page.setInputFiles('#model-file', fileFor({ name: 'model.ca3', file: table.fixtures[testCase.model] })));
            assert.equal(await message(), '');
            replacedTableModel = true;
          }
          await openPartOf(page, '#csv-score-file');
          await handled(() => page.setInputFiles('#csv-score-file', file));
          success = (await page.getAttribute('#csv-score-info', 'data-rows')) ?? '';
        } else if (testCase.action === 'load-model') {
          await openPartOf(page, '#model-file');
          await handled(() => page.setInputFiles('#model-file', file));
        } else if (testCase.action === 'score-image') {
          await openPartOf(page, '#score-files');
          await handled(() => page.setInputFiles('#score-files', file));
          success = String((await page.$$('#image-grid .cell')).length);
        } else {
          assert.fail(`unknown action ${testCase.action}`);
        }

        const shown = await message();
        if (expect.error) {
          assert.ok(shown.includes(expect.error), `want '${expect.error}', the page shows '${shown}'`);
          // A file that is no model is named, and the models in use are said to stay.
          if (testCase.action === 'load-model')
            assert.match(shown, /\S+ was not loaded: .*; the models in use are unchanged/, shown);
        } else {
          assert.equal(shown, '', 'no error message');
          if (expect.ok.rows !== undefined) assert.equal(Number(success), expect.ok.rows);
          if (expect.ok.scored !== undefined) assert.equal(Number(success), expect.ok.scored);
          if (expect.ok.syntheticAnomalies) assert.match(success, /\d+ synthetic anomalies/);
          if (expect.ok.report) {
            const report = JSON.parse(await page.getAttribute('#csv-status', 'data-report'));
            assert.ok(holds(report, expect.ok.report), `the report does not hold ${JSON.stringify(expect.ok.report)}: ` +
              JSON.stringify(report).slice(0, 3000));
            // What was read was shown before training: every column's role.
            for (const column of report.data.columns)
              assert.ok(await page.$(`#csv-schema tr[data-column="${column.name.replaceAll('"', '\\"')}"]`), `column ${column.name} shown`);
          }
        }
        // The page keeps working and nothing loaded is lost.
        if (replacedTableModel) await loadDemoTableModel();
        assert.equal(await scoreReferenceRows(), referenceMean);
        if (testCase.action === 'score-image') assert.equal(await scoreReferenceImage(), referenceImageTitle);
      });
    }

    test('no console errors', () => assert.deepEqual(consoleErrors, []));
  });
}
