// The demo page in a real browser: Playwright (playwright-core from npm) driving Debian's
// Chromium against web/dist served on 127.0.0.1, with the isolation headers (threaded build)
// and without (single thread). Checks: the page loads and says which build runs; the sample
// image model trains to a shown test ROC-AUC >= 0.95; a CSV from data/ trains, a second CSV is
// scored and downloaded with score/flag columns; a corrupt CSV and a non-image file show errors
// and the page keeps working; no request leaves the origin; no console errors. Screenshots of
// each state go to web/test-output/.
//
//   node --test web/test/      (after node web/build.mjs)
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../serve.mjs';
import { FLAGS, NO_SERVICE_WORKER, watch } from './helpers.mjs';

const web = resolve(fileURLToPath(import.meta.url), '../..');
const repo = resolve(web, '..');
const output = join(web, 'test-output');
mkdirSync(output, { recursive: true });

for (const isolation of [true, false]) {
  const mode = isolation ? 'threads' : 'single';
  describe(`demo page, ${isolation ? 'with' : 'without'} cross-origin isolation (${mode} build)`, () => {
    let server, url, browser, page, watched;
    const shot = (name) => page.screenshot({ path: join(output, `${mode}-${name}.png`), fullPage: true });

    before(async () => {
      ({ server, url } = await startServer({ root: join(web, 'dist'), port: 0, isolation }));
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
      // Without the headers, a browser that runs no service worker (as in some private modes): the
      // single build. Where one runs, the page isolates itself (the journey after this one).
      if (!isolation) await context.addInitScript(NO_SERVICE_WORKER);
      page = await context.newPage();
      watched = watch(context, page, url);
      await page.goto(url);
      await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    });
    after(async () => {
      await browser?.close();
      server?.close();
    });

    test('loads and says which build runs', async () => {
      assert.equal(await page.evaluate(() => crossOriginIsolated), isolation);
      assert.equal(await page.getAttribute('#mode', 'data-build'), mode);
      assert.match(await page.textContent('#mode'), isolation ? /threads/ : /single thread/);
      // No empty charts before there are scores.
      for (const chart of ['#roc-box', '#histogram-box', '#table-roc-box', '#table-histogram-box'])
        assert.equal(await page.isVisible(chart), false, chart);
      await shot('1-loaded');
    });

    test('trains the sample image model: test ROC-AUC >= 0.95 shown, views drawn', async () => {
      await page.click('#use-sample');
      await page.waitForFunction(() => !document.getElementById('train-images').disabled);
      await page.fill('#image-epochs', '3');
      const started = Date.now();
      await page.click('#train-images');
      await page.waitForFunction(() => document.getElementById('image-status').dataset.testAuc, null, { timeout: 600_000 });
      const auc = Number(await page.getAttribute('#image-status', 'data-test-auc'));
      const text = await page.textContent('#image-status');
      console.log(`  ${mode}: ${text} (wall ${((Date.now() - started) / 1000).toFixed(1)} s from Train)`);
      assert.ok(auc >= 0.95, text);
      assert.match(text, /test ROC-AUC 0\.9\d+/);
      await page.waitForSelector('#image-grid .cell');
      assert.ok((await page.$$('#image-grid .cell.flagged')).length > 0);
      assert.match(await page.textContent('#confusion'), /true positives \d+/);
      assert.equal(await page.isVisible('#histogram-box'), true);
      // The threshold slider and its views sit above the grid and the inspect view beside it, in sight together.
      const box = async (id) => page.$eval(id, (e) => e.getBoundingClientRect().toJSON());
      const [slider, grid, inspectView] = [await box('#threshold'), await box('#image-grid'), await box('#inspect')];
      assert.ok(grid.top > slider.bottom && grid.top - slider.bottom < 300, JSON.stringify({ slider, grid }));
      assert.ok(inspectView.left > grid.right && Math.abs(inspectView.top - grid.top) < 10, JSON.stringify({ grid, inspectView }));
      // 120 of the 800 held-out images at first; "Show more" adds 120.
      assert.equal((await page.$$('#image-grid .cell')).length, 120);
      await page.click('#grid-more');
      assert.equal((await page.$$('#image-grid .cell')).length, 240);
      assert.match(await page.textContent('#grid-count'), /^showing 240 of 800 images;/);
      // Each labelled image says what its flag got right or wrong, by its true class (T-shirts are
      // the normal ones): a flagged T-shirt is a false alarm, not a catch.
      const cells = await page.$$eval('#image-grid .cell', (cs) => cs.map((c) => ({ name: c.dataset.name, flagged: c.classList.contains('flagged'), outcome: c.dataset.outcome })));
      for (const c of cells) {
        const normal = c.name.startsWith('T-shirt/top');
        assert.equal(c.outcome, c.flagged ? (normal ? 'false alarm' : 'caught') : normal ? '' : 'missed', JSON.stringify(c));
      }
      assert.ok(cells.some((c) => c.outcome === 'caught'));
      await shot('2-trained');
      // The lesson: the network drawn with the model's real sizes, and what the alarm sees.
      await page.click('#tab-learn');
      assert.equal(await page.isVisible('#image-grid'), false);
      await page.waitForSelector('#stacks .stack figure');
      assert.equal(await page.isVisible('#learn-wait'), false);
      // Two encoder layers, their stack as the alarm reads it.
      const drawn = await page.$$eval('#architecture svg text', (texts) => texts.map((t) => t.textContent).join('|'));
      assert.match(drawn, /input\|28×28 grey\|encoder 1\|16 channels\|encoder 2\|32 channels\|latent/);
      assert.match(drawn, /pooled, stacked\|14×14, 48 ch\.\|alarm conv 1\|16 channels\|alarm conv 2\|32 channels\|score/);
      // The most normal T-shirt and the grid's pick (at first its most anomalous image) side by side:
      // input, reconstruction, per layer the mean and the same six channels.
      const stacks = async () => page.$$eval('#stacks .stack', (columns) => columns.map((c) => ({
        name: c.dataset.name, heading: c.querySelector('h3').textContent,
        captions: [...c.querySelectorAll('figcaption')].map((f) => f.textContent) })));
      const gridNames = await page.$$eval('#image-grid .cell', (cells) => cells.map((c) => c.dataset.name));
      const [normal] = await stacks();
      let [, picked] = await stacks();
      assert.match(normal.heading, /^The most normal of the normal images — T-shirt\/top #\d+ \(score 0\.\d{3}, normal\)$/);
      assert.equal(picked.name, gridNames[0]);
      assert.match(picked.heading, /^Picked in the grid — .+ \(score \d\.\d{3}, (anomaly|normal)\)$/);
      assert.deepEqual(normal.captions.slice(0, 2), ['input', 'the target’s reconstruction']);
      assert.equal(normal.captions.length, 2 + 2 * 7);
      assert.deepEqual(normal.captions.slice(2), picked.captions.slice(2));
      await shot('2b-learn');
      // Another image picked in the grid is what Learn shows next.
      await page.click('#tab-images');
      await page.click('#image-grid .cell:nth-child(5)');
      await page.click('#tab-learn');
      await page.waitForFunction((name) => document.querySelectorAll('#stacks .stack')[1]?.dataset.name === name, gridNames[4]);
      picked = (await stacks())[1];
      assert.match(picked.heading, /^Picked in the grid — /);
    });

    // The same code in both builds: run once (threads) for the figures.
    if (isolation) test('compare: the three variants on the same split, their ROC curves on the same held-out images; runs kept', async () => {
      const runsBefore = await page.$$eval('#runs tbody tr', (trs) => trs.length);
      assert.equal(runsBefore, 1);  // the training above
      await page.click('#compare');
      // Under Learn, the settings it uses are those chosen under Images, said there.
      assert.equal(await page.textContent('#compare-settings'),
        'With the settings chosen under Images (change them there): 3,200 images (28x28 grey), at most 3 epochs (stopping early), γ = 10.');
      await page.waitForFunction(() => document.getElementById('compare-status').dataset.done, null, { timeout: 600_000 });
      const runs = await page.$$eval('#runs tbody tr', (trs) => trs.map((tr) => ({ variant: tr.dataset.variant, auc: Number(tr.dataset.heldOutAuc), cells: [...tr.cells].map((c) => c.textContent) })));
      console.log(`  compare (3 epochs, held-out ROC-AUC): ${runs.map((r) => `${r.cells[1]} ${r.auc.toFixed(4)}`).join(', ')}`);
      assert.deepEqual(runs.map((r) => r.variant), ['e2e', 'e2e', 'a3', 'reconstruction']);
      // The same seed and split: the compared E2E-ConvA3 is the model trained above, figure for figure.
      assert.equal(runs[1].auc, runs[0].auc);
      assert.ok(runs[1].auc >= 0.95 && runs[2].auc >= 0.9, JSON.stringify(runs));
      assert.ok(runs[3].auc < runs[1].auc - 0.1, 'the alarm beats the reconstruction error on Fashion-MNIST (the paper\'s point)');
      assert.equal(await page.$$eval('#compare-box:not([hidden])', (b) => b.length), 1);
      // Every run's held-out ROC curve stays on the chart, the training above's too.
      assert.match(await page.getAttribute('#compare-chart', 'aria-label'), new RegExp('^ROC curves on the held-out sample images: ' +
        `run 1: E2E-ConvA3 \\(AUC ${runs[0].auc.toFixed(4)}\\); run 2: E2E-ConvA3 \\(AUC ${runs[1].auc.toFixed(4)}\\); ` +
        'run 3: A³ two-stage \\(AUC 0\\.\\d{4}\\); run 4: reconstruction error \\(AUC 0\\.\\d{4}\\)$'));
      // The page's model is the one trained above, not a compared one.
      assert.match(await page.textContent('#image-status'), /^Trained in/);
    });

    test('cancel during training keeps the trained model', async () => {
      await page.click('#tab-images');
      const before = await page.getAttribute('#image-status', 'data-test-auc');
      const curves = await page.getAttribute('#image-loss-chart', 'data-epochs');
      assert.ok(Number(curves) >= 1);
      const firstCell = await page.getAttribute('#image-grid .cell', 'title');
      await page.click('#train-images');
      await page.waitForFunction(() => /step \d+/.test(document.getElementById('image-status').textContent));
      // A CSV dropped meanwhile (in the Tables part) is read and described while the images train
      // (the fit yields to it); the Images tab shows that work goes on there.
      await page.click('#tab-tables');
      assert.equal(await page.getAttribute('#tab-images', 'data-busy'), 'true');
      const dropped = Date.now();
      await page.setInputFiles('#csv-file', join(repo, 'data', 'BreastCancer.csv'));
      await page.waitForFunction(() => /BreastCancer\.csv: 699 rows/.test(document.getElementById('csv-info').textContent));
      console.log(`  ${mode}: a CSV dropped during an image fit described in ${Date.now() - dropped} ms`);
      assert.match(await page.textContent('#image-status'), /step \d+/);  // still training
      // A model file loaded meanwhile would be replaced when the fit ends: refused, with the reason.
      await page.click('#tab-models');
      await page.click('#demo-image');
      await page.waitForSelector('#message:not([hidden])');
      assert.match(await page.textContent('#message'), /the demo image model was not loaded: an image model is training/);
      await page.click('#tab-images');
      assert.equal(await page.isDisabled('#cancel-images'), false);
      await page.click('#cancel-images');
      await page.waitForFunction(() => /Cancelled/.test(document.getElementById('image-status').textContent), null, { timeout: 120_000 });
      assert.equal(await page.getAttribute('#image-status', 'data-test-auc'), before);
      assert.equal(await page.getAttribute('#image-grid .cell', 'title'), firstCell);
      // The loss chart shows the kept model's training again, not the cancelled one's.
      assert.equal(await page.getAttribute('#image-loss-chart', 'data-epochs'), curves);
      assert.equal(await page.isDisabled('#train-images'), false);
      assert.equal(await page.getAttribute('#tab-images', 'data-busy'), null);
      // The kept model still answers: a threshold change re-scores nothing but updates the counts.
      await page.fill('#threshold', '0.5');
      await page.dispatchEvent('#threshold', 'input');
      assert.match(await page.textContent('#confusion'), /^\d+ of 800 images flagged \(\d+\.\d%\) at 0\.\d{3}: true positives/);
    });

    test('a non-image file shows an error and the page keeps working', async () => {
      await page.setInputFiles('#score-files', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('this is not a PNG') });
      await page.waitForSelector('#message:not([hidden])');
      assert.match(await page.textContent('#message'), /notes\.png is not an image this browser can decode/);
      assert.equal(await page.$eval('#message', (m) => m.closest('section')?.getAttribute('aria-labelledby')), 'images-title');
      await shot('3-bad-image');
      // The sentence above the grid still says what the grid shows.
      assert.match(await page.textContent('#why-what'), /^The image model on 800 held-out sample images/);
      // Still works: the grid still shows the scored held-out images and the threshold slider updates it.
      // (The test before moved the slider to 0.5: the line says the model's threshold either way.)
      const own = (await page.textContent('#model-threshold')).match(/^(?:the model's own threshold, |the threshold you set, |exploring: the model still flags from )(0\.\d{3})/);
      assert.ok(own, await page.textContent('#model-threshold'));
      await page.fill('#threshold', '0.9');
      await page.dispatchEvent('#threshold', 'input');
      assert.match(await page.textContent('#confusion'), /^\d+ of 800 images flagged \(\d+\.\d%\) at 0\.\d{3}: true positives/);
      // The slider explores; the model's own threshold (and its saved file's) changes only when asked.
      assert.equal(await page.textContent('#model-threshold'),
        `exploring: the model still flags from ${own[1]} until you press "Flag from this threshold"`);
      assert.equal(await page.isDisabled('#apply-threshold'), false);
      // By keyboard: the button, disabled once pressed, hands focus back to the slider.
      await page.focus('#apply-threshold');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.getElementById('model-threshold').textContent ===
        'the threshold you set, 0.900: the model flags from it now (a downloaded model keeps it)');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'threshold');
      // The training status names the threshold the model now flags from, and the one training chose.
      assert.match(await page.textContent('#image-status'), /threshold 0\.900 \(moved with the slider; training chose 0\.\d{3}\)\. /);
      // So does the Models part (what a download saves).
      assert.match(await page.textContent('#model-info'), /^Image model in use: trained on this page on 3,200 images \(28x28 grey\), threshold 0\.900\./);
      assert.equal(await page.isDisabled('#apply-threshold'), true);
      // The arrow keys move the slider 0.01, with Shift 0.001; the flags follow.
      await page.keyboard.press('ArrowRight');
      assert.equal(await page.inputValue('#threshold'), '0.91');
      // (the counts come from the worker: wait for them)
      await page.waitForFunction(() => / at 0\.910: /.test(document.getElementById('confusion').textContent), null, { timeout: 10_000 });
      await page.keyboard.press('Shift+ArrowLeft');
      assert.equal(await page.inputValue('#threshold'), '0.909');
      await page.keyboard.press('ArrowLeft');
      assert.equal(await page.inputValue('#threshold'), '0.899');
      await page.keyboard.press('Shift+ArrowRight');  // back on the one the model flags from
      assert.equal(await page.textContent('#model-threshold'), 'the threshold you set, 0.900: the model flags from it now (a downloaded model keeps it)');
    });

    test('CSV: a corrupt file shows the line; a real one trains, scores and downloads', async () => {
      await page.click('#tab-tables');
      await page.setInputFiles('#csv-file', { name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,c\n1,2,3\n4,5\n') });
      await page.waitForSelector('#message:not([hidden])');
      assert.match(await page.textContent('#message'), /CSV line 3: 2 fields, the header has 3/);
      // Beside the control that caused it, not at the top of the page.
      assert.equal(await page.$eval('#message', (m) => m.closest('section')?.getAttribute('aria-labelledby')), 'csv-title');
      await shot('4-bad-csv');

      const csv = join(repo, 'data', 'BreastCancer.csv');
      await page.setInputFiles('#csv-file', csv);
      await page.waitForSelector('#csv-options:not([hidden])');
      assert.equal(await page.inputValue('#label-column'), 'Class');
      await page.selectOption('#normal-value', 'benign');
      await page.fill('#csv-epochs', '10');
      await page.click('#train-csv');
      // While it trains, no file is scored: the model in use is about to be replaced.
      await page.waitForFunction(() => document.getElementById('csv-score-file').disabled);
      assert.match(await page.getAttribute('label[for=csv-score-file]', 'title'), /a new model is training/);
      await page.waitForFunction(() => document.getElementById('csv-status').dataset.testAuc, null, { timeout: 300_000 });
      assert.equal(await page.isDisabled('#csv-score-file'), false);
      const auc = Number(await page.getAttribute('#csv-status', 'data-test-auc'));
      assert.ok(auc >= 0.95, await page.textContent('#csv-status'));
      assert.match(await page.textContent('#csv-status'), /Test ROC-AUC [01]\.\d{4} on \d{2} anomalous and \d{2} normal test rows\./);
      // Trained: the rows of the file it learned from are listed with their "why".
      await page.waitForSelector('#table-results:not([hidden]) #table-rows tbody tr');
      assert.match(await page.textContent('#table-results-note'), /training rows included: these counts are optimistic/);
      await page.setInputFiles('#csv-score-file', csv);
      await page.waitForFunction(() => !document.getElementById('download-csv').disabled);
      assert.match(await page.textContent('#csv-score-info'), /699 rows scored, \d+ flagged/);
      // The table's "why": ROC against the file's Class column, counts at the threshold, and the
      // most anomalous rows with the columns behind their scores.
      // Scored again, the training file is named as such: its counts stay marked optimistic.
      await page.waitForFunction(() => /is the file the model was trained on/.test(document.getElementById('table-results-note').textContent));
      assert.match(await page.textContent('#table-results-note'), /training rows included: these counts are optimistic.*Its Class column gives the true labels/);
      // The file's flag count and the slider's at the model's threshold are one count (the slider's
      // 0.001 steps do not round the model's threshold).
      const fileFlagged = Number((await page.textContent('#csv-score-info')).match(/699 rows scored, (\d+) flagged/)[1]);
      assert.equal(Number(await page.getAttribute('#table-confusion', 'data-flagged')), fileFlagged);
      assert.ok(Number(await page.getAttribute('#table-roc-chart', 'data-auc')) >= 0.95);
      assert.match(await page.textContent('#table-confusion'), /^\d+ of 699 rows flagged \(\d+\.\d%\) at 0\.\d{4}: true positives \d+/);
      const listed = await page.$$eval('#table-rows tbody tr', (trs) => trs.map((tr) => ({
        cells: [...tr.cells].map((c) => c.textContent),
        why: [...tr.querySelectorAll('.why span')].map((s) => ({ column: s.dataset.column, contribution: Number(s.dataset.contribution), text: s.textContent })),
      })));
      assert.equal(listed.length, 30);
      await page.waitForFunction(() => /^30 of 699 scored rows: the most anomalous rows, flagged from a score of -?\d+\.\d{4,};/.test(document.getElementById('table-rows-count').textContent));
      const bcLines = readFileSync(csv, 'utf8').trim().split('\n').map((l) => l.split(',').map((c) => c.replaceAll('"', '')));
      const top = listed[0];
      assert.equal(top.cells[2], 'yes');
      assert.equal(top.cells[3], bcLines[Number(top.cells[0]) - 1].at(-1) === 'malignant' ? 'anomaly' : 'normal');
      assert.equal(top.why.length, 3);
      for (const w of top.why) {  // the row's own cell, as the file has it, beside its like rows'
        const value = bcLines[Number(top.cells[0]) - 1][bcLines[0].indexOf(w.column)];
        assert.ok(w.text.startsWith(`${w.column} = ${value} (like row`), `${w.text} vs ${value}`);
      }
      // Most anomalous rows of Breast Cancer are malignant; sorted by line on request.
      assert.ok(listed.filter((r) => r.cells[3] === 'anomaly').length >= 27, JSON.stringify(listed.map((r) => r.cells[3])));
      await page.click('#table-rows button.sort[data-key=line]');
      await page.waitForFunction(() => document.querySelector('#table-rows th[aria-sort=ascending] button[data-key=line]'));
      const lineOrder = await page.$$eval('#table-rows tbody tr', (trs) => trs.map((tr) => Number(tr.cells[0].textContent)));
      assert.deepEqual(lineOrder, [...lineOrder].sort((a, b) => a - b));
      await page.selectOption('#table-rows-view', 'bottom');
      await page.waitForFunction(() => [...document.querySelectorAll('#table-rows tbody tr')].every((tr) => tr.cells[2].textContent === 'no'));
      // Around the threshold, every score reads as flagged or not beside the threshold as shown.
      await page.selectOption('#table-rows-view', 'border');
      await page.waitForFunction(() => /rows around the threshold, flagged from a score of /.test(document.getElementById('table-rows-count').textContent));
      const shown = Number((await page.textContent('#table-rows-count')).match(/flagged from a score of (-?\d+\.\d+);/)[1]);
      const border = await page.$$eval('#table-rows tbody tr', (trs) => trs.map((tr) => [Number(tr.cells[1].textContent), tr.cells[2].textContent]));
      assert.ok(border.some(([, flagged]) => flagged === 'yes') && border.some(([, flagged]) => flagged === 'no'));
      for (const [score, flagged] of border) assert.equal(flagged, score >= shown ? 'yes' : 'no', `${score} beside ${shown}`);
      await page.selectOption('#table-rows-view', 'top');
      // "Show 30 more" lists the next 30 most anomalous rows below the first 30.
      await page.waitForFunction(() => /^30 of 699 scored rows: the most anomalous/.test(document.getElementById('table-rows-count').textContent));
      assert.equal(await page.textContent('#table-more'), 'Show 30 more');
      await page.click('#table-more');
      await page.waitForFunction(() => /^60 of 699 scored rows: the most anomalous/.test(document.getElementById('table-rows-count').textContent));
      const sixty = await page.$$eval('#table-rows tbody tr', (trs) => trs.map((tr) => Number(tr.cells[1].textContent)));
      assert.equal(sixty.length, 60);
      assert.deepEqual(sixty, [...sixty].sort((a, b) => b - a));
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
      assert.equal(download.suggestedFilename(), 'BreastCancer-scored.csv');
      const path = join(output, `${mode}-scored.csv`);
      await download.saveAs(path);
      const lines = readFileSync(path, 'utf8').trim().split('\n');
      assert.equal(lines.length, 700);
      assert.match(lines[0], /,Class,score,flag$/);
      // A threshold below the slider's 0.001 steps, typed: the counts at it are the file's scores at it.
      const fileScores = lines.slice(1).map((l) => Number(l.split(',').at(-2)));
      const tiny = 0.00005, atTiny = fileScores.filter((s) => s >= tiny).length;
      await page.fill('#table-threshold-value', '0,00005');  // (a decimal comma read too)
      await page.press('#table-threshold-value', 'Enter');
      await page.waitForFunction((n) => document.getElementById('table-confusion').dataset.flagged === String(n), atTiny);
      assert.match(await page.textContent('#table-confusion'), new RegExp(`^${atTiny} of 699 rows flagged \\(\\d+\\.\\d%\\) at 0\\.00005: `));
      assert.match(await page.textContent('#table-model-threshold'), /^exploring: the model still flags from 0\.\d{4}/);
      assert.equal(await page.isDisabled('#table-apply-threshold'), false);
      assert.equal(await page.inputValue('#table-threshold-value'), '0.00005');
      // What is no number of the scores' range is refused beside the slider, the field marked; the counts stay.
      for (const wrong of ['half', '1.5', '-1', '0x10']) {
        await page.fill('#table-threshold-value', wrong);
        await page.press('#table-threshold-value', 'Enter');
        await page.waitForFunction((w) => document.getElementById('message').textContent.includes(`not "${w}"`), wrong);
        assert.match(await page.textContent('#message'), /^the threshold must be a number from 0 to 1 \(the scores' range\), such as 0\.5 or 0\.00005, not "/);
        assert.equal(await page.getAttribute('#table-threshold-value', 'aria-invalid'), 'true');
        assert.equal(await page.getAttribute('#table-confusion', 'data-flagged'), String(atTiny));
      }
      await page.fill('#table-threshold-value', '0.00005');
      await page.press('#table-threshold-value', 'Enter');
      assert.equal(await page.getAttribute('#table-threshold-value', 'aria-invalid'), null);
      await shot('5-csv');
      // Another file of the kind: what reading it decided is said beside its counts.
      const other = readFileSync(csv, 'utf8').trim().split('\n').map((line, i) =>
        `${line.replace(/^[^,]*,/, '')},${i === 0 ? 'site' : 'A'}`.replace(/^"Cl\.thickness"/, '"CL.THICKNESS"')).join('\n');
      await page.setInputFiles('#csv-score-file', { name: 'other.csv', mimeType: 'text/csv', buffer: Buffer.from(other) });
      await page.waitForFunction(() => /^other\.csv: 699 rows scored/.test(document.getElementById('csv-score-info').textContent));
      const info = await page.textContent('#csv-score-info');
      assert.match(info, /How the file was read: columns matched ignoring case, spaces or Unicode form: 'CL\.THICKNESS' as 'Cl\.thickness'; /);
      // each note an item of its own
      assert.match(await page.textContent('#csv-score-info li:first-child'), /^columns matched ignoring case, spaces or Unicode form: 'CL\.THICKNESS' as 'Cl\.thickness';$/);
      assert.match(info, /a column the model does not know, left out: 'site'; missing cells filled in, each from the 5 training rows most like its row in the other columns \(their mean, or the category most of them have\): 'Bare\.nuclei' 16 cells on lines 25, 42, 141 and 13 more\.$/);
      assert.doesNotMatch(info, /Note:/);  // a third of its rows flagged, as the file's share of malignant rows
      // The same file written in another scale (every measurement times 10): most rows flagged, and
      // the page says what that means beside the counts.
      const scaled = readFileSync(csv, 'utf8').trim().split('\n').map((line, i) => i === 0 ? line
        : line.split(',').map((v, j) => j >= 1 && j <= 9 && /^"\d+"$/.test(v) ? String(10 * Number(v.slice(1, -1))) : v).join(',')).join('\n');
      await page.setInputFiles('#csv-score-file', { name: 'scaled.csv', mimeType: 'text/csv', buffer: Buffer.from(scaled) });
      await page.waitForFunction(() => /^scaled\.csv: 699 rows scored/.test(document.getElementById('csv-score-info').textContent));
      const most = (await page.textContent('#csv-score-info')).match(/ (\d+) flagged .* Note: (\d+) of 699 rows flagged \(\d+ %\), where the threshold is set to flag 5 % of normal rows: the data as a whole is unlike the training data/);
      assert.ok(most, await page.textContent('#csv-score-info'));
      assert.equal(most[1], most[2]);
      assert.ok(Number(most[2]) > 600, most[2]);
      // "Flag from this threshold": the scored file's counts above its rows follow the model's new
      // threshold (the training file again: its scores are the downloaded file's).
      await page.setInputFiles('#csv-score-file', csv);
      await page.waitForFunction(() => /^BreastCancer\.csv: 699 rows scored/.test(document.getElementById('csv-score-info').textContent));
      assert.notEqual(await page.getAttribute('#csv-score-info', 'data-flagged'), String(atTiny));
      await page.fill('#table-threshold-value', '0.00005');
      await page.press('#table-threshold-value', 'Enter');
      await page.waitForFunction((n) => document.getElementById('table-confusion').dataset.flagged === String(n), atTiny);
      await page.click('#table-apply-threshold');
      await page.waitForFunction((n) => document.getElementById('csv-score-info').dataset.flagged === String(n), atTiny);
      assert.match(await page.textContent('#csv-score-info'), new RegExp(`^BreastCancer\\.csv: 699 rows scored, ${atTiny} flagged \\(score ≥ 0\\.00005\\); mean score `));
    });

    test('the label column is guessed by name, not taken from a first column with two values (Ionosphere: Class, not V1)', async () => {
      await page.setInputFiles('#csv-file', join(repo, 'data', 'Ionosphere.csv'));
      await page.waitForFunction(() => /Ionosphere\.csv: 351 rows/.test(document.getElementById('csv-info').textContent));
      assert.equal(await page.inputValue('#label-column'), 'Class');
      // V1 has two values too: offered, not chosen.
      assert.ok((await page.$$eval('#label-column option', (o) => o.map((x) => x.textContent))).includes('V1 (2 values)'));
      // Shown with a preview of its values and how many rows have each, to confirm the guess.
      assert.deepEqual(await page.$$eval('#normal-value option', (o) => o.map((x) => x.textContent)).then((t) => t.sort()),
        ['bad (126 rows)', 'good (225 rows)']);
    });

    test('the label column and normal value are said before training, and a majority of anomalies warned of', async () => {
      await page.setInputFiles('#csv-file', join(repo, 'data', 'Glass.csv'));
      await page.waitForFunction(() => /^Glass\.csv: 214 rows/.test(document.getElementById('csv-info').textContent));
      assert.equal(await page.inputValue('#label-column'), 'Type');
      assert.equal(await page.textContent('#label-hint'), "'Type' holds the labels (CA3's guess, from its name): the 76 rows " +
        "with '2' are normal, the 138 other rows (64%) anomalies. That is more anomalies than normal rows: if 'Type' holds " +
        'kinds rather than normal and anomalous, choose the kind that is normal, or "(no labels)" to take every row as normal.');
      await page.selectOption('#label-column', '');
      assert.equal(await page.isVisible('#label-hint'), false);
      await page.setInputFiles('#csv-file', join(repo, 'data', 'BreastCancer.csv'));
      await page.waitForFunction(() => /^BreastCancer\.csv: 699 rows/.test(document.getElementById('csv-info').textContent));
      assert.equal(await page.textContent('#label-hint'),
        "'Class' holds the labels (CA3's guess, from its name): the 458 rows with 'benign' are normal, the 241 other rows (34%) anomalies.");
      await page.selectOption('#normal-value', 'malignant');
      assert.match(await page.textContent('#label-hint'), /the 241 rows with 'malignant' are normal, the 458 other rows \(66%\) anomalies\. That is more/);
      await page.selectOption('#normal-value', 'benign');
      // A row without a label is counted apart, and said: training needs a label in each row.
      const rows = ['temp,flow,Class', ...Array.from({ length: 40 }, (_, i) => `${20 + (i % 7)},${3 + (i % 5)},${i === 7 ? '' : i % 4 ? 'ok' : 'bad'}`)];
      await page.setInputFiles('#csv-file', { name: 'unlabelled-row.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
      await page.waitForFunction(() => /^unlabelled-row\.csv: 40 rows/.test(document.getElementById('csv-info').textContent));
      assert.equal(await page.textContent('#label-hint'), "'Class' holds the labels (CA3's guess, from its name): the 29 rows " +
        "with 'ok' are normal, the 10 other rows (26%) anomalies. 1 row without a label: training needs one in each (give them their label).");
    });

    test('a last column of a few values not named like labels is offered, not chosen, as the label column', async () => {
      const rows = ['temp,flow,Region', ...Array.from({ length: 40 }, (_, i) => `${20 + (i % 7)},${3 + (i % 5)},${['Nord', 'Sud', 'West'][i % 3]}`)];
      await page.setInputFiles('#csv-file', { name: 'regions.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
      await page.waitForFunction(() => /^regions\.csv: 40 rows/.test(document.getElementById('csv-info').textContent));
      assert.equal(await page.inputValue('#label-column'), '');
      assert.match(await page.textContent('#csv-info'), /Its last column, 'Region' \(3 values\), could hold labels: choose it as the label column/);
      assert.equal(await page.$eval('#csv-schema tr[data-column=Region] select', (s) => s.value), 'categorical');
      // The file corrected and chosen again (the same columns): the label column and the roles given
      // stay, and the page says which.
      await page.selectOption('#label-column', 'Region');
      await page.selectOption('#csv-schema tr[data-column=temp] select', 'categorical');
      const corrected = rows.map((r, i) => (i === 3 ? r.replace(/^\d+/, '21') : r));
      await page.setInputFiles('#csv-file', { name: 'regions.csv', mimeType: 'text/csv', buffer: Buffer.from(corrected.join('\n') + '\n') });
      await page.waitForFunction(() => /Kept from the file before/.test(document.getElementById('csv-info').textContent));
      assert.match(await page.textContent('#csv-info'), / Kept from the file before \(the same columns\): the label column 'Region', 'temp' categorical\.$/);
      assert.equal(await page.inputValue('#label-column'), 'Region');
      assert.equal(await page.$eval('#csv-schema tr[data-column=temp] select', (s) => s.value), 'categorical');
      await page.selectOption('#label-column', '');
      await page.selectOption('#csv-schema tr[data-column=temp] select', 'numeric');
    });

    test('missing cells are counted by how they are written: each placeholder and the empty cells', async () => {
      // flow: 2 cells '-', 1 'NA', 3 empty; temp: 2 empty only (no placeholder: the count alone).
      const missing = { 3: '-', 9: 'NA', 14: '', 20: '-', 25: '', 31: '' };
      const rows = ['temp,flow,Region', ...Array.from({ length: 40 }, (_, i) =>
        `${i === 5 || i === 6 ? '' : 20 + (i % 7)},${i in missing ? missing[i] : 3 + (i % 5)},${['Nord', 'Sud', 'West'][i % 3]}`)];
      await page.setInputFiles('#csv-file', { name: 'gaps.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
      await page.waitForFunction(() => /^gaps\.csv: 40 rows/.test(document.getElementById('csv-info').textContent));
      const cells = (column) => page.$$eval(`#csv-schema tr[data-column=${column}] td`, (t) => t.map((c) => c.textContent));
      assert.equal((await cells('flow'))[2], "6 (written as '-' x2, 'NA' x1, empty x3)");
      assert.equal((await cells('temp'))[2], '2');
    });

    test('before training, the rows counted are those training reads; a title, a repeated header, a totals row and words among numbers are said', async () => {
      await page.click('#tab-tables');
      const data = Array.from({ length: 60 }, (_, i) => [['Nord', 'Sud'][i % 2], 20 + (i % 7), i === 12 ? 'tbd' : 3 + (i % 5)]);
      const temps = data.reduce((a, r) => a + r[1], 0);
      const lines = ['Production export', 'Region,temp,flow', ...data.slice(0, 30).map((r) => r.join(',')), 'Region,temp,flow',
        ...data.slice(30).map((r) => r.join(',')), `Total,${temps},`];
      await page.setInputFiles('#csv-file', { name: 'report.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') });
      await page.waitForFunction(() => /^report\.csv: 60 rows, 3 columns\./.test(document.getElementById('csv-info').textContent));
      const info = await page.textContent('#csv-info');
      assert.match(info, / The line above the header skipped as the file's title or notes \('Production export'\)\./);
      assert.match(info, / Line 33 repeats the header \(two exports one below the other\?\): left out of training\./);
      assert.match(info, / Line 64 \('Total', a sum in 'temp'\) is a totals row \(its numbers are the sums of the rows above or below it\): left out of training\./);
      assert.match(info, / Words among numbers read as missing \(filled in as missing cells are\): 'flow' 'tbd' x1 \(line 15\); if one stands for a value, write the value in its place; if they are categories, give the column the role categorical \(the role menu on the page, --role flow=categorical for ca3 train, TableOptions\.roles in the SDK\)\./);
      const cells = (column) => page.$$eval(`#csv-schema tr[data-column=${column}] td`, (t) => t.map((c) => c.textContent));
      assert.equal((await cells('flow'))[2], "1 (written as 'tbd' x1)");
    });

    test('a column training refuses as it is is said above the column table before Train; another role takes the refusal away', async () => {
      // 'flow' has 'tbd' in 8 of 60 rows: more than training reads as missing (1 value in 20).
      const rows = ['Region,temp,flow', ...Array.from({ length: 60 }, (_, i) => `${['Nord', 'Sud'][i % 2]},${20 + (i % 7)},${i % 8 === 3 ? 'tbd' : 3 + (i % 5)}`)];
      await page.setInputFiles('#csv-file', { name: 'refused.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
      await page.waitForFunction(() => /^refused\.csv: 60 rows/.test(document.getElementById('csv-info').textContent));
      assert.equal(await page.isVisible('#csv-refused'), true);
      assert.equal(await page.textContent('#csv-refused'), "Training stops at column 'flow' as it is: some cells are not numbers (the note in " +
        'the table below names them). Correct them in the file, leave them empty or write NA for missing values; if the column holds ' +
        'categories (codes, not amounts), give it the role categorical; the role ignore leaves it out.');
      const note = await page.textContent('#csv-schema tr[data-column=flow] td:last-child');
      assert.equal(note, "8 cells are not numbers (line 5: 'tbd'; then line 13 'tbd', line 21 'tbd', line 29 'tbd', ...; training reads a " +
        "few words among a column's numbers as missing, 1 value in 20 at most; this column has 8 of its 60 values so): fix them, leave " +
        'them empty or write NA for missing values, or, if it holds codes rather than amounts, call the column categorical');
      assert.equal(await page.$eval('#csv-schema tr[data-column=flow]', (r) => r.classList.contains('refused')), true);
      assert.equal(await page.$eval('#csv-schema tr[data-column=temp]', (r) => r.classList.contains('refused')), false);
      await page.selectOption('#csv-schema tr[data-column=flow] select', 'categorical');
      assert.equal(await page.isVisible('#csv-refused'), false);
      assert.equal(await page.$eval('#csv-schema tr[data-column=flow]', (r) => r.classList.contains('refused')), false);
      assert.equal(await page.textContent('#csv-schema tr[data-column=flow] td:last-child'), `read as categories, as chosen (as numbers, training would stop: ${note})`);
      // The role given stays when the label column changes, and back.
      await page.selectOption('#label-column', 'Region');
      await page.selectOption('#label-column', '');
      assert.equal(await page.inputValue('#csv-schema tr[data-column=flow] select'), 'categorical');
      assert.equal(await page.isVisible('#csv-refused'), false);
      await page.selectOption('#csv-schema tr[data-column=flow] select', 'numeric');
      assert.equal(await page.isVisible('#csv-refused'), true);
      // A file that cannot be read leaves the one before it as it was, its preview said again.
      await page.setInputFiles('#csv-file', { name: 'photo.csv', mimeType: 'text/csv', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) });
      await page.waitForFunction(() => /photo\.csv/.test(document.getElementById('message').textContent));
      assert.match(await page.textContent('#message'), /^photo\.csv: this is not a CSV table \(text\) but an image: a table model scores CSV tables, an image model images/);
      assert.match(await page.textContent('#csv-info'), /^refused\.csv: 60 rows/);
    });

    test('a file whose cells cannot tell the decimal mark says so; the mark chosen in the menu is how it trains', async () => {
      // A weather export: air pressure in hPa written "1.016", '.' grouping thousands. Separated by
      // ';' (a spreadsheet's where the comma is the decimal mark), '.' is taken to group thousands.
      const rows = Array.from({ length: 120 }, (_, i) => `W${i % 4};1.${String((i * 7) % 31).padStart(3, '0')};${15 + (i % 13)};${i % 9 ? 'ok' : 'bad'}`);
      const semicolons = ['station;pressure;temp;Class', ...rows].join('\n') + '\n';
      await page.setInputFiles('#csv-file', { name: 'wetter-semikolon.csv', mimeType: 'text/csv', buffer: Buffer.from(semicolons) });
      await page.waitForFunction(() => /^wetter-semikolon\.csv: 120 rows/.test(document.getElementById('csv-info').textContent));
      assert.match(await page.textContent('#csv-info'),
        /decimal mark ',', thousands separator '\.'\. No cell tells whether '\.' or ',' is the decimal mark \(each number with one reads either way\): ',' was taken \(the file is separated by ';', as spreadsheets write it where the comma is the decimal mark\); if the other one is, choose it below\./);
      assert.equal(await page.inputValue('#decimal-mark'), ',');
      // Tab-separated, '.' is taken as the decimal mark; the menu names the other.
      const csv = semicolons.replaceAll(';', '\t');
      await page.setInputFiles('#csv-file', { name: 'wetter.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.waitForFunction(() => /^wetter\.csv: 120 rows/.test(document.getElementById('csv-info').textContent));
      assert.match(await page.textContent('#csv-info'),
        /decimal mark '\.'\. No cell tells whether ',' or '\.' is the decimal mark \(each number with one reads either way\): '\.' was taken \(the file is separated by tabs, not by ';', which is what spreadsheets write where the comma is the decimal mark\); if the other one is, choose it below\./);
      assert.equal(await page.inputValue('#decimal-mark'), '.');
      // "No labels" chosen, and a role given, before the mark: both stay when the file is read again.
      assert.equal(await page.inputValue('#label-column'), 'Class');
      await page.selectOption('#label-column', '');
      await page.selectOption('#csv-schema tr[data-column=station] select', 'ignore');
      await page.selectOption('#decimal-mark', ',');
      await page.waitForFunction(() => /decimal mark ',', thousands separator '\.' \(as chosen below\)\./.test(document.getElementById('csv-info').textContent));
      assert.equal(await page.inputValue('#label-column'), '');
      assert.equal(await page.$eval('#csv-schema tr[data-column=Class] select', (m) => m.value), 'ignore');
      assert.equal(await page.$eval('#csv-schema tr[data-column=station] select', (m) => m.value), 'ignore');
      await page.fill('#csv-epochs', '3');
      await page.click('#train-csv');
      await page.waitForFunction(() => document.getElementById('csv-status').dataset.report, null, { timeout: 300_000 });
      const report = JSON.parse(await page.getAttribute('#csv-status', 'data-report'));
      assert.equal(report.data.decimalMark, ',');
      // A scored file whose "1.012,5" tells the comma reads as training did: it scores.
      assert.deepEqual(report.data.columns.filter((c) => c.role === 'ignored').map((c) => c.name).sort(), ['Class', 'station']);
      const scored = ['station;pressure;temp;Class', ...rows.slice(0, 19), 'W2;1.012,5;25;ok'].join('\n').replaceAll(';', '\t') + '\n';
      await page.setInputFiles('#csv-score-file', { name: 'wetter-score.csv', mimeType: 'text/csv', buffer: Buffer.from(scored) });
      await page.waitForFunction(() => /^wetter-score\.csv: 20 rows scored/.test(document.getElementById('csv-score-info').textContent));
      // A totals row below them ('Summe', its temp the sum of theirs): no score, not listed, said.
      const temps = rows.slice(0, 19).map((r) => Number(r.split(';')[2]));
      const summed = ['station;pressure;temp;Class', ...rows.slice(0, 19), `Summe;;${temps.reduce((a, b) => a + b, 0)};`].join('\n').replaceAll(';', '\t') + '\n';
      await page.setInputFiles('#csv-score-file', { name: 'wetter-summe.csv', mimeType: 'text/csv', buffer: Buffer.from(summed) });
      await page.waitForFunction(() => /^wetter-summe\.csv: 19 rows scored \(1 not scored: headings, totals or repeated headers, not data\)/.test(document.getElementById('csv-score-info').textContent));
      assert.match(await page.textContent('#csv-score-info'), /line 21 \('Summe', a sum in 'temp'\) is a totals row .*: not scored \(no score, no flag\)/);
      await page.waitForFunction(() => /^19 of 19 scored rows:/.test(document.getElementById('table-rows-count').textContent));
      assert.match(await page.textContent('#table-confusion'), /of 19 rows flagged .*\(1 row not scored: headings, totals or repeated headers, not data\)/);
    });

    test('a column skewed to large values is read on a log scale, and after training the column table says so', async () => {
      const rows = ['bytes,temp', ...Array.from({ length: 80 }, (_, i) => `${i % 7 === 0 ? 0 : 100 * 2 ** (i % 15)},${20 + (i % 7)}`)];
      await page.setInputFiles('#csv-file', { name: 'transfers.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
      await page.waitForFunction(() => /^transfers\.csv: 80 rows/.test(document.getElementById('csv-info').textContent));
      await page.selectOption('#label-column', '');
      const reason = (column) => page.textContent(`#csv-schema tr[data-column=${column}] td:last-child`);
      assert.equal(await reason('bytes'), '');  // the preview does not know the scaling yet
      await page.fill('#csv-epochs', '3');
      await page.click('#train-csv');
      await page.waitForFunction(() => document.getElementById('csv-status').dataset.report, null, { timeout: 300_000 });
      const report = JSON.parse(await page.getAttribute('#csv-status', 'data-report'));
      const said = report.data.columns.find((c) => c.name === 'bytes').reason;
      assert.match(said, /^a long tail of large values \(skewness \d+\.\d+ in the training rows\): read on a log scale, log\(1 \+ value \/ \d+\)$/);
      assert.equal(await reason('bytes'), said);
      assert.equal(await reason('temp'), '');
    });

    test('a CSV dropped to score while a table model trains is scored by it once it is trained', async () => {
      await page.click('#tab-tables');
      const rows = (n, from) => Array.from({ length: n }, (_, i) => `${20 + ((i + from) % 7)},${3 + ((i + from) % 5)},${['Nord', 'Sud'][(i + from) % 2]}`);
      const train = ['temp,flow,Region', ...rows(400, 0)].join('\n') + '\n';
      await page.setInputFiles('#csv-file', { name: 'plant.csv', mimeType: 'text/csv', buffer: Buffer.from(train) });
      await page.waitForFunction(() => /^plant\.csv: 400 rows/.test(document.getElementById('csv-info').textContent));
      await page.selectOption('#label-column', '');
      await page.fill('#csv-epochs', '20');
      await page.click('#train-csv');
      await page.waitForFunction(() => document.getElementById('csv-score-file').disabled);
      await page.evaluate((text) => {
        const data = new DataTransfer();
        data.items.add(new File([text], 'later.csv', { type: 'text/csv' }));
        document.querySelector('label[for=csv-score-file]').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      }, ['temp,flow,Region', ...rows(30, 7)].join('\n') + '\n');
      assert.equal(await page.textContent('#csv-score-info'), 'later.csv will be scored when the model in training is done.');
      await page.waitForFunction(() => /^later\.csv: 30 rows scored/.test(document.getElementById('csv-score-info').textContent), null, { timeout: 300_000 });
      assert.match(await page.textContent('#model-info'), /Table model in use: trained on this page on plant\.csv/);
    });

    test('"no labels" on a file with a label column sets that column aside (ignored), said in the column table', async () => {
      await page.setInputFiles('#csv-file', join(repo, 'data', 'BreastCancer.csv'));
      await page.waitForFunction(() => /^BreastCancer\.csv: 699 rows/.test(document.getElementById('csv-info').textContent));
      assert.equal(await page.inputValue('#label-column'), 'Class');
      await page.selectOption('#label-column', '');
      const row = '#csv-schema tr[data-column=Class]';
      assert.equal(await page.$eval(`${row} select`, (s) => s.value), 'ignore');
      assert.match(await page.textContent(`${row} td:last-child`), /looks like the label column \(CA3's guess\), so it is ignored/);
      // Given a role by the user, it is a column like the others: its note no longer says it is ignored.
      await page.selectOption(`${row} select`, 'categorical');
      assert.doesNotMatch(await page.textContent(`${row} td:last-child`), /so it is ignored/);
      // A role other than CA3's own stays across label changes, and is said as the user's.
      await page.selectOption(`${row} select`, 'numeric');
      await page.selectOption('#label-column', 'Mitoses');
      await page.selectOption('#label-column', '');
      assert.equal(await page.$eval(`${row} select`, (s) => s.value), 'numeric');
      assert.doesNotMatch(await page.textContent(`${row} td:last-child`), /so it is ignored/);
      await page.selectOption(`${row} select`, 'ignore');
      await page.selectOption('#label-column', 'Class');
      await page.selectOption('#label-column', '');
      assert.match(await page.textContent(`${row} td:last-child`), /looks like the label column \(CA3's guess\), so it is ignored/);
      // Another label column: Class is CA3's choice again (its "ignore" was CA3's setting aside, not the user's).
      await page.selectOption('#label-column', 'Mitoses');
      assert.equal(await page.$eval(`${row} select`, (s) => s.value), 'categorical');
      await page.selectOption('#label-column', 'Class');
      assert.equal(await page.textContent(`${row} td:nth-child(2)`), 'label');
    });

    test('CSV without labels: one-class training says so, and its flags find the real anomalies', async () => {
      // Ionosphere's "good" rows without the Class column: what a user with only normal data has.
      const fields = (line) => line.split(',').map((v) => v.replace(/^"|"$/g, ''));  // no quoted commas in this file
      const lines = readFileSync(join(repo, 'data', 'Ionosphere.csv'), 'utf8').trim().split('\n');
      const classAt = fields(lines[0]).indexOf('Class');
      assert.ok(classAt >= 0);
      const withoutClass = (line) => fields(line).filter((_v, i) => i !== classAt).join(',');
      const normal = [withoutClass(lines[0]), ...lines.slice(1).filter((l) => fields(l)[classAt] === 'good').map(withoutClass)];
      await page.setInputFiles('#csv-file', { name: 'normal-only.csv', mimeType: 'text/csv', buffer: Buffer.from(normal.join('\n') + '\n') });
      await page.waitForFunction(() => /normal-only\.csv/.test(document.getElementById('csv-info').textContent));
      await page.selectOption('#label-column', '');
      // No label column: no normal value to pick; "some rows may be anomalies" instead.
      assert.equal(await page.isVisible('#normal-value'), false);
      assert.equal(await page.isVisible('#contaminated'), true);
      await page.fill('#csv-epochs', '30');
      await page.click('#train-csv');
      await page.waitForFunction(() => document.getElementById('csv-status').dataset.report, null, { timeout: 300_000 });
      const report = JSON.parse(await page.getAttribute('#csv-status', 'data-report'));
      assert.equal(report.setting, 'one_class');
      assert.equal(report.labelledAnomalies, 0);
      const status = await page.textContent('#csv-status');
      assert.match(status, /No labels: every row taken as normal/);
      // The sentence stays short; how the flags are made is folded under it.
      assert.match(await page.textContent('#csv-status details.more summary'), /^How a row is scored and flagged without labels$/);
      assert.equal(await page.$eval('#csv-status details.more', (d) => d.open), false);
      assert.doesNotMatch(status, /Test ROC-AUC/);
      // What the score is made of and what its neighbour rows are, from the report.
      assert.equal(report.score, 'combined_neighbours');
      assert.match(status, /reconstruction error, how rare its values are and how far it lies from its 5 nearest training rows, each measured against the validation rows, averaged \(in log-odds\) with the distance weighing most, and shown from 0 to 1/);
      assert.match(status, new RegExp(`The distance is to ${report.neighbours.samples} of the ${report.rows.train} training rows\\.`));
      assert.equal(report.neighbours.samples, report.rows.train);  // no repeats in these rows
      // Without labels the test rows have nothing to measure: they join the validation rows the
      // threshold is set on (taken as normal), and it flags at most 5% of them all.
      const share = report.thresholdShare, n = share.samples;
      assert.equal(n, report.validation.normal + report.rows.test);
      assert.equal(report.test.anomalies, 0);
      assert.ok(report.validation.confusion.falsePositives + report.test.confusion.falsePositives <= 0.05 * n, JSON.stringify(report.test));
      assert.match(status, new RegExp(`threshold flags at most 5% of the ${n} held-out rows \\(validation and test, taken as normal\\); `));
      // How far this model's share of new rows flagged may lie from 5%: the report's range, in words.
      assert.ok(share.low > 0 && share.low < 0.05 && share.high > 0.05 && share.high < 0.2 && share.probability === 0.9, JSON.stringify(share));
      assert.ok(status.includes(`On new normal rows it will flag ${+(100 * share.low).toPrecision(2)}% to ` +
        `${+(100 * share.high).toPrecision(2)}%, 9 times in 10 (the ${n} held-out rows are a sample; more rows ` +
        'narrow the range), and rows that really are unusual add to that.'), status);
      // The rows it learned from, flagged, with no ROC (no labels) but the counts at the threshold.
      await page.waitForSelector('#table-results:not([hidden]) #table-rows tbody tr');
      assert.match(await page.textContent('#table-results-note'), /least like the rest.*trained without labels: counts only/);
      // Each row's why compares its values with the training rows most like it (the rows are drawn
      // a moment after the note: the table's rows may still be an earlier file's).
      await page.waitForFunction(() => / of 225 scored rows: /.test(document.getElementById('table-rows-count').textContent) &&
        / \(like rows: /.test(document.querySelector('#table-rows tbody tr:first-child .why span[data-column]')?.textContent ?? ''));
      const firstWhy = await page.$$eval('#table-rows tbody tr:first-child .why span[data-column]', (spans) => spans.map((s) => ({ text: s.textContent, title: s.title })));
      assert.equal(firstWhy.length, 3);
      for (const w of firstWhy) {
        assert.match(w.text, /^\S+ = \S+ \(like rows: -?[\d.e-]+\) [+−]?\d+\.\d\d$/);
        assert.match(w.title, /^compared with the 5 training rows most like this one; over all training rows typical -?[\d.e-]+$/);
      }
      assert.match(await page.textContent('#table-confusion'), /^\d+ of 225 rows flagged/);
      assert.equal(await page.isVisible('#table-roc-box'), false);
      // Score the whole file (Class kept: an extra column) and check the flags against the truth.
      await page.setInputFiles('#csv-score-file', join(repo, 'data', 'Ionosphere.csv'));
      await page.waitForFunction(() => !document.getElementById('download-csv').disabled);
      // The file has a column of true labels: CA3 suggests it (its most frequent value normal), and
      // the ROC compares the flags of the model trained without labels with it.
      await page.waitForFunction(() => /Class column is taken as the true labels/.test(document.getElementById('table-results-note').textContent));
      assert.equal(await page.inputValue('#truth-column'), 'Class');
      assert.equal(await page.inputValue('#truth-normal'), 'good');
      assert.equal(await page.isVisible('#table-roc-box'), true);

      const pageAuc = Number(await page.getAttribute('#table-roc-chart', 'data-auc'));
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
      assert.equal(download.suggestedFilename(), 'Ionosphere-scored.csv');
      const path = join(output, `${mode}-scored-no-labels.csv`);
      await download.saveAs(path);
      const scored = readFileSync(path, 'utf8').trim().split('\n').slice(1).map(fields);
      const bad = scored.filter((r) => r[classAt] === 'bad'), good = scored.filter((r) => r[classAt] === 'good');
      let above = 0;  // ROC-AUC by pairs: a bad row scores above a good one
      for (const b of bad) for (const g of good) above += Number(b.at(-2)) > Number(g.at(-2)) ? 1 : Number(b.at(-2)) === Number(g.at(-2)) ? 0.5 : 0;
      const auc = above / (bad.length * good.length);
      const flaggedBad = bad.filter((r) => r.at(-1) === '1').length, flaggedGood = good.filter((r) => r.at(-1) === '1').length;
      console.log(`  no labels: ROC-AUC ${auc.toFixed(4)} against the true labels; flagged ${flaggedBad} of ${bad.length} bad, ${flaggedGood} of ${good.length} good`);
      assert.ok(auc >= 0.9, `ROC-AUC ${auc}`);
      assert.ok(Math.abs(pageAuc - auc) < 1e-4, `the page's ROC-AUC ${pageAuc} vs ${auc} from the scored file`);
      // Class was left out of training (set aside as the labels); a truth column the model reads as a
      // feature (V1, 0 or 1) is said to inflate the ROC-AUC.
      assert.doesNotMatch(await page.textContent('#table-results-note'), /one of its features/);
      await page.selectOption('#truth-column', 'V1');
      await page.waitForFunction(() => /the model reads V1 as one of its features, so this ROC-AUC is higher than on rows whose labels it does not see: to measure it fairly, train again with V1's role set to ignore\./
        .test(document.getElementById('table-results-note').textContent));
      // "(none)" takes the labels away again: counts only.
      await page.selectOption('#truth-column', '');
      await page.waitForFunction(() => /counts only, no ROC/.test(document.getElementById('table-results-note').textContent));
      assert.equal(await page.isVisible('#table-roc-box'), false);
      assert.ok(flaggedBad >= 0.5 * bad.length && flaggedGood <= 0.2 * good.length, `${flaggedBad} / ${flaggedGood}`);
      // A last column of two values not named like labels ("Region") is offered, not taken as the truth.
      const regions = readFileSync(join(repo, 'data', 'Ionosphere.csv'), 'utf8').trim().split('\n')
        .map((line, i) => `${line.replace(/,[^,]*$/, '')},${i === 0 ? 'Region' : i % 2 ? 'Nord' : 'Sud'}`).join('\n');
      await page.setInputFiles('#csv-score-file', { name: 'regions.csv', mimeType: 'text/csv', buffer: Buffer.from(regions) });
      await page.waitForFunction(() => /^regions\.csv: 351 rows scored/.test(document.getElementById('csv-score-info').textContent));
      await page.waitForFunction(() => /counts only, no ROC/.test(document.getElementById('table-results-note').textContent));
      assert.equal(await page.inputValue('#truth-column'), '');
      assert.ok((await page.$$eval('#truth-column option', (o) => o.map((x) => x.value))).includes('Region'));
      assert.match(await page.textContent('#csv-score-info'), /a column the model does not know, left out: 'Region'/);
      // A column of true labels the model never saw ("label"), taken as the truth: in use, not "a
      // column the model does not know".
      const relabelled = readFileSync(join(repo, 'data', 'Ionosphere.csv'), 'utf8').trim().split('\n')
        .map((line, i) => `${line.replace(/,[^,]*$/, '')},${i === 0 ? 'label' : /,"?bad"?$/.test(line) ? 'bad' : 'good'}`).join('\n');
      await page.setInputFiles('#csv-score-file', { name: 'relabelled.csv', mimeType: 'text/csv', buffer: Buffer.from(relabelled) });
      await page.waitForFunction(() => /^relabelled\.csv: 351 rows scored/.test(document.getElementById('csv-score-info').textContent));
      assert.equal(await page.inputValue('#truth-column'), 'label');
      assert.doesNotMatch(await page.textContent('#csv-score-info'), /does not know/);
      // A cell that cannot be read (line 11) and a value far outside training's (line 21): each
      // note a line of its own; the two rows marked wherever they show, and a view lists them.
      const messy = relabelled.split('\n').map((line, i) => {
        const cells = line.split(',');
        if (i === 10) cells[2] = 'ERR';
        if (i === 20) cells[4] = '40';
        if (i === 30) cells[6] = '#VALUE!';
        return cells.join(',');
      }).join('\n');
      await page.setInputFiles('#csv-score-file', { name: 'messy.csv', mimeType: 'text/csv', buffer: Buffer.from(messy) });
      await page.waitForFunction(() => /^messy\.csv: 351 rows scored/.test(document.getElementById('csv-score-info').textContent));
      // (the model learned from the good rows alone: the bad ones hold V1 0 where those were all 1,
      // and values far outside their range)
      const notes = await page.$$eval('#csv-score-info li', (items) => items.map((li) => li.textContent));
      assert.equal(notes.length, 5, notes.join('\n'));
      // (a model trained without labels fills a missing cell from the training rows most like its row)
      assert.equal(notes[0], 'missing cells filled in, each from the 5 training rows most like its row in the other columns ' +
        "(their mean, or the category most of them have): 'V7' 1 cell on line 31 (a spreadsheet error, said below);");
      assert.match(notes[1], /^1 cell cannot be read, .*look at it whatever its score \(line 11\);$/);
      assert.match(notes[2], /^1 cell holds a spreadsheet formula's error, .*: 'V7' '#VALUE!' on line 31\. Its row's score says less: look at it whatever its score \(line 31\); fix the formulas where the file was exported;$/);
      assert.match(notes[3], /^values other than the one value their column had in every training row: 'V1' 38 rows .*\(lines 9, 19, 21, .*\);$/);
      assert.match(notes[4], /^\d+ rows hold values far outside the training's range .*'V5' .*line 21: '40'.*\(lines 19, 21, .*\)\.$/);
      await page.waitForFunction(() => !document.querySelector('#table-rows-view option[value="check"]').hidden);
      const toCheck = Number((await page.textContent('#table-rows-view option[value="check"]'))
        .match(/^rows to look at whatever their score \((\d+) rows: the notes above say why\)$/)[1]);
      assert.ok(toCheck >= 39 && toCheck <= 72, `${toCheck} rows to check`);  // line 11, V1's 38, the far values' rows
      await page.selectOption('#table-rows-view', 'check');
      await page.waitForFunction(() => [...document.querySelectorAll('#table-rows tbody tr')].filter((r) => r.classList.contains('to-check')).length === 30);
      const checked = await page.$$eval('#table-rows tbody tr', (rows) =>
        rows.map((r) => [r.cells[0].textContent, r.classList.contains('to-check'), r.querySelector('.check')?.textContent]));
      assert.ok(checked.every((c) => c[1]));
      const why = new Map(checked.map((c) => [c[0], c[2]]));
      assert.equal(why.get('11'), "look at it whatever its score: 'V3' 'ERR' cannot be read, read as missing");
      assert.equal(why.get('21'), "look at it whatever its score: 'V1' 0, where every training row had 1; 'V5' 40 far outside the training's range");
      assert.match(why.get('31'), /^look at it whatever its score: 'V7' '#VALUE!', a spreadsheet formula's error, read as missing/);
      // the first 30 by line, as the notes list them
      assert.deepEqual(checked.map((c) => Number(c[0])).sort((a, b) => a - b).slice(0, 4), [9, 11, 19, 21]);
      await page.selectOption('#table-rows-view', 'top');
      // The second export with its columns in another order: refused at its line; the model kept,
      // the last file's rows (whose notes are gone) no longer shown.
      const moved = messy.split('\n');
      const names = moved[0].split(',');
      moved.splice(200, 0, [names[1], names[0], ...names.slice(2)].join(','));
      await page.setInputFiles('#csv-score-file', { name: 'moved.csv', mimeType: 'text/csv', buffer: Buffer.from(moved.join('\n')) });
      await page.waitForFunction(() => /CSV line 201 repeats the header with its columns in another order/.test(document.body.textContent));
      await page.waitForFunction(() => document.getElementById('table-results').hidden);
      assert.equal(await page.textContent('#csv-score-info'), '');
      await shot('5b-csv-no-labels');
    });

    test('CSV without labels, some rows anomalies: contaminated training says what its score leaves out', async () => {
      // All of Ionosphere's rows (36% "bad") without the Class column, "some rows may be anomalies".
      const fields = (line) => line.split(',').map((v) => v.replace(/^"|"$/g, ''));
      const lines = readFileSync(join(repo, 'data', 'Ionosphere.csv'), 'utf8').trim().split('\n');
      const classAt = fields(lines[0]).indexOf('Class');
      const withoutClass = (line) => fields(line).filter((_v, i) => i !== classAt).join(',');
      await page.setInputFiles('#csv-file', { name: 'all-rows.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.map(withoutClass).join('\n') + '\n') });
      await page.waitForFunction(() => /all-rows\.csv/.test(document.getElementById('csv-info').textContent));
      await page.selectOption('#label-column', '');
      // The share of anomalies is asked for (about 10% unless changed), used only when the box is ticked.
      assert.equal(await page.isDisabled('#contamination-share'), true);
      await page.check('#contaminated');
      assert.equal(await page.isDisabled('#contamination-share'), false);
      assert.equal(await page.inputValue('#contamination-share'), '10');
      // Epochs out of the box's range are refused, naming the box's range, before any training; so is the share.
      await page.fill('#csv-epochs', '500');
      await page.click('#train-csv');
      await page.waitForSelector('#message:not([hidden])');
      assert.match(await page.textContent('#message'), /epochs must be a whole number from 1 to 200, not "500"/);
      await page.fill('#csv-epochs', '30');
      await page.fill('#contamination-share', '60');
      await page.click('#train-csv');
      await page.waitForFunction(() => /share of anomalies/.test(document.getElementById('message').textContent));
      assert.match(await page.textContent('#message'), /the share of anomalies must be a number from 1 to 49 \(per cent\), not "60"/);
      // The refused box is marked and focused; an empty one is said to be empty; a decimal comma is read.
      assert.equal(await page.getAttribute('#contamination-share', 'aria-invalid'), 'true');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'contamination-share');
      await page.fill('#contamination-share', '');
      await page.click('#train-csv');
      await page.waitForFunction(() => /is empty/.test(document.getElementById('message').textContent));
      assert.match(await page.textContent('#message'), /the share of anomalies is empty: give a number from 1 to 49 \(per cent\)/);
      await page.fill('#contamination-share', '20,0');
      assert.equal(await page.getAttribute('#contamination-share', 'aria-invalid'), null);
      await page.click('#train-csv');
      await page.waitForFunction(() => document.getElementById('csv-status').dataset.report, null, { timeout: 300_000 });
      const report = JSON.parse(await page.getAttribute('#csv-status', 'data-report'));
      await page.fill('#contamination-share', '10');
      await page.uncheck('#contaminated');
      assert.equal(report.setting, 'contaminated');
      assert.equal(report.validationAnomalies, 'synthetic');
      assert.equal(report.score, 'combined_without_alarm');
      assert.ok(report.neighbours.leftOut > 0);
      const status = await page.textContent('#csv-status');
      assert.match(status, /No labels, some rows may be anomalies/);
      assert.match(status, /its reconstruction error, how rare its values are and how far it lies from its 5 nearest training rows/);
      assert.match(status, /; not its alarm score, which learned the unlabelled anomalies among the training rows as normal\./);
      assert.match(status, new RegExp(`the ${report.neighbours.leftOut} least typical by reconstruction error and rare values are left out as likely anomalies`));
      // The threshold flags as many validation rows as the rows may hold anomalies (the 20% given), not 5%.
      assert.equal(report.thresholdRate, 0.2);
      // (set on the validation and test rows, no labels: the test split has nothing to measure)
      const n = report.thresholdShare.samples, flagged = report.validation.confusion.falsePositives + report.test.confusion.falsePositives;
      assert.equal(n, report.validation.normal + report.rows.test);
      assert.ok(flagged <= 0.2 * n && flagged > 0.1 * n, `${flagged} of ${n}`);
      assert.ok(status.includes(`The threshold flags at most 20% of the ${n} held-out rows (validation and test, taken as ` +
        'normal — 20% rather than 5%, as about that share of the rows may be anomalies); in the whole file the share differs'), status);
      // Scored against the true labels (the Class column of the original file).
      await page.setInputFiles('#csv-score-file', join(repo, 'data', 'Ionosphere.csv'));
      await page.waitForFunction(() => /Class column is taken as the true labels/.test(document.getElementById('table-results-note').textContent));
      const auc = Number(await page.getAttribute('#table-roc-chart', 'data-auc'));
      console.log(`  contaminated, no labels: ROC-AUC ${auc.toFixed(4)} against the true labels on the rows it trained on`);
      assert.ok(auc >= 0.85, `ROC-AUC ${auc}`);
      await page.selectOption('#truth-column', '');
    });

    test('a test figure from too few test rows is said to be untrustworthy, not shown bare', async () => {
      // Breast Cancer's first 80 rows: a test split of 8 rows, 2 or 3 of them anomalies.
      const rows = readFileSync(join(repo, 'data', 'BreastCancer.csv'), 'utf8').trim().split('\n').slice(0, 81);
      await page.setInputFiles('#csv-file', { name: 'small.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
      await page.waitForFunction(() => /small\.csv/.test(document.getElementById('csv-info').textContent));
      assert.equal(await page.inputValue('#label-column'), 'Class');
      await page.selectOption('#normal-value', 'benign');
      // Early stopping off: the 25 epochs typed are trained (with it, 8 validation rows stop it sooner).
      assert.match(await page.textContent('#csv-early-stop-text'), /not improved for 10 epochs/);
      await page.uncheck('#csv-early-stop');
      await page.fill('#csv-epochs', '25');
      await page.click('#train-csv');
      await page.waitForFunction(() => document.getElementById('csv-status').dataset.report, null, { timeout: 300_000 });
      const report = JSON.parse(await page.getAttribute('#csv-status', 'data-report'));
      assert.ok(report.test.anomalies < 5 && report.test.normal < 20, JSON.stringify(report.test));
      assert.equal(report.epochs, 25);
      // The epoch kept, and what it is best at (labelled anomalies: the validation ROC-AUC); the
      // last one: the line says more epochs may help.
      assert.equal(report.setting, 'labelled');
      const epochsShown = `keeping the epoch of the best validation ROC-AUC, ${report.bestEpoch}` +
        (report.bestEpoch === 25 ? ' — the last, so more epochs may help' : '');
      assert.match(await page.textContent('#csv-status'), new RegExp(`^Trained on small\\.csv \\(25 epochs, ${epochsShown};`));
      await page.check('#csv-early-stop');
      assert.match(await page.textContent('#csv-status'),
        new RegExp(`from only ${report.test.anomalies} anomalous and ${report.test.normal} normal test rows: too few to trust`));
      // So is the threshold, set on a handful of normal validation rows.
      assert.ok(report.validation.normal < 20);
      assert.match(await page.textContent('#csv-status'), new RegExp(`The threshold flags at most 5% of the ${report.validation.normal} ` +
        'normal validation rows \\(held out\\): too few to set it firmly'));
    });

    test('the demo model loads, a foreign model file is refused', async () => {
      await page.click('#tab-models');
      // By keyboard: the button's panel is hidden once the model loads; focus goes to the tab shown.
      await page.focus('#demo-table');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => /Loaded the demo table model/.test(document.getElementById('model-info').textContent));
      await page.waitForFunction(() => document.activeElement?.id === 'tab-tables');
      // Loaded, the page shows the Tables part, where the model scores files; its address says so.
      assert.equal(await page.getAttribute('#tab-tables', 'aria-selected'), 'true');
      assert.equal(await page.isVisible('#csv-score-file'), true);
      assert.match(page.url(), /#tables$/);
      assert.match(await page.textContent('#csv-status'), /^Loaded the demo table model/);
      // The file chosen to train on goes with its Train (which would replace the loaded model).
      assert.equal(await page.isVisible('#csv-options'), false);
      assert.equal(await page.isVisible('#csv-schema'), false);
      assert.equal(await page.inputValue('#csv-file'), '');
      // The demo says what it was made on, and scores that data on a click: the ROC against its Class.
      assert.match(await page.textContent('#csv-status'), /made on the Breast Cancer Wisconsin data/);
      await page.click('#score-demo-csv');
      await page.waitForFunction(() => /^breast-cancer\.csv: 699 rows scored/.test(document.getElementById('csv-score-info').textContent));
      await page.waitForFunction(() => document.getElementById('table-roc-chart').dataset.auc);
      assert.equal(await page.isVisible('#table-roc-box'), true);
      assert.ok(Number(await page.getAttribute('#table-roc-chart', 'data-auc')) >= 0.97);
      // The figure in words too, for a screen reader (the chart is a picture).
      assert.equal(await page.getAttribute('#table-roc-chart', 'aria-label'),
        `ROC curve, all rows of breast-cancer.csv: ROC-AUC ${Number(await page.getAttribute('#table-roc-chart', 'data-auc')).toFixed(4)}`);
      // Its own training data: the figure is called optimistic, the labels named.
      assert.match(await page.textContent('#table-results-note'),
        /^breast-cancer\.csv: the data the demo model was made on \(its training rows included, so these counts are optimistic\)\. Its Class column gives the true labels/);
      // The Models part says which models are in use: the image model trained above, the demo table model.
      assert.match(await page.textContent('#model-info'), /^Image model in use: trained on this page on 3,200 images \(28x28 grey\), threshold 0\.\d{3}\. Loaded the demo table model: tabular model/);
      await page.click('#tab-models');
      await page.setInputFiles('#model-file', { name: 'photo.ca3', mimeType: 'application/octet-stream', buffer: Buffer.from('not a model at all, just text') });
      await page.waitForSelector('#message:not([hidden])');
      assert.match(await page.textContent('#message'), /model file/);
      await shot('6-models');
    });

    test('files dropped on a drop zone are used; readable on a phone-sized viewport', async () => {
      await page.click('#tab-tables');
      await page.evaluate(() => {
        const data = new DataTransfer();
        data.items.add(new File(['x,y,label\n1,2,a\n3,4,b\n'], 'dropped.csv', { type: 'text/csv' }));
        document.querySelector('label[for=csv-file]').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      });
      await page.waitForFunction(() => /dropped\.csv: 2 rows, 3 columns/.test(document.getElementById('csv-info').textContent));
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the page is ${overflow}px wider than a 390px viewport`);
      // The column table fits the phone: each column's note on a line of its own under its row, so
      // nothing to scroll sideways, and no hint.
      assert.deepEqual(await page.$$eval('#csv-schema td', (cells) =>
        cells.filter((c) => c.getBoundingClientRect().right > innerWidth + 1).map((c) => c.textContent)), []);
      assert.ok(await page.$eval('#csv-schema', (t) => t.scrollWidth <= t.clientWidth + 1));
      assert.equal(await page.isVisible('.scroll-hint[data-for=csv-schema]'), false);
      await shot('7-phone');
      // The Images part on the phone: the grid shows 40 at a time (4 a row), the inspect view above it.
      await page.click('#tab-images');
      await page.selectOption('#grid-view', 'bottom');
      assert.equal((await page.$$('#image-grid .cell')).length, 40);
      assert.equal(await page.textContent('#grid-more'), 'Show 40 more');
      const top = async (id) => page.$eval(id, (e) => e.getBoundingClientRect().top + scrollY);
      assert.ok(await top('#inspect') < await top('#image-grid'));
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      const below = Math.round(await top('#image-grid') - await top('#threshold'));
      console.log(`  ${mode}: the Images part on a 390 px phone is ${height} px long, the grid ${below} px below the slider`);
      assert.ok(height < 5000, `${height} px`);
      assert.ok(below < 900, `the grid ${below} px below the slider`);  // the inspect view between them: one row of four
      await shot('7b-phone-images');
      await page.selectOption('#grid-view', 'top');
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.waitForTimeout(300);
      assert.ok(await page.$eval('#csv-schema', (t) => t.scrollWidth <= t.clientWidth + 1));
      assert.equal(await page.isVisible('.scroll-hint[data-for=csv-schema]'), false);
    });

    if (isolation) test('keyboard only: the sample trains and a flagged image is inspected', async () => {
      // Tab moves focus through the page's controls in order; Enter and typing do the rest.
      const tabTo = async (id) => {
        for (let i = 0; i < 120; ++i) {
          await page.keyboard.press('Tab');
          if (await page.evaluate((want) => document.activeElement?.id === want, id)) return;
        }
        assert.fail(`Tab never reached #${id}`);
      };
      await page.evaluate(() => document.activeElement?.blur());
      // The tabs: Tab reaches the one shown (only it is in the Tab order); End moves to the last,
      // the left arrow back one, Home to the first.
      await tabTo(await page.$eval('[role=tab][aria-selected=true]', (t) => t.id));
      await page.keyboard.press('End');
      assert.equal(await page.getAttribute('#tab-models', 'aria-selected'), 'true');
      assert.equal(await page.isVisible('#demo-image'), true);
      await page.keyboard.press('ArrowLeft');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-learn');
      assert.equal(await page.isVisible('#compare'), true);
      await page.keyboard.press('Home');
      assert.equal(await page.getAttribute('#tab-images', 'aria-selected'), 'true');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-images');
      assert.equal(await page.isVisible('#use-sample'), true);
      await tabTo('use-sample');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => !document.getElementById('train-images').disabled);
      await tabTo('image-epochs');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('2');
      assert.equal(await page.inputValue('#image-epochs'), '2');
      await tabTo('train-images');
      // Train's handler ends when the new model's grid and views are drawn (body[data-handled] counts).
      const handled = Number((await page.getAttribute('body', 'data-handled')) ?? 0);
      await page.keyboard.press('Enter');
      // While it trains, the keyboard is on Cancel (Train is disabled); after, back on Train.
      await page.waitForFunction(() => document.activeElement?.id === 'cancel-images', null, { timeout: 60_000 });
      await page.waitForFunction((n) => document.getElementById('image-status').dataset.testAuc &&
        Number(document.body.dataset.handled) > n, handled, { timeout: 600_000 });
      assert.match(await page.textContent('#image-status'), /^Trained in [\d.]+ s \(2 epochs/);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'train-images');
      // The grid's first cell (most anomalous first) is a button: Enter opens it in the inspect view.
      await page.waitForSelector('#image-grid .cell');
      const first = await page.getAttribute('#image-grid .cell', 'title');
      await page.focus('#grid-view');
      for (let i = 0; i < 10 && !(await page.evaluate(() => document.activeElement?.classList.contains('cell'))); ++i)
        await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.title), first);
      await page.keyboard.press('Enter');
      // The view may still hold an image an earlier test inspected: wait for this one (its name).
      await page.waitForFunction((name) => document.querySelectorAll('#inspect figure').length >= 4 &&
        document.getElementById('inspect').textContent.includes(name), first.split(':')[0], { timeout: 30_000 })
        .catch(async () => assert.fail(`inspected ${await page.textContent('#inspect')}, not ${first}`));
    });

    test('no request left the origin and no console errors', () => {
      assert.deepEqual(watched.foreignRequests, []);
      assert.deepEqual(watched.consoleErrors, []);
    });
  });
}

describe('served without the headers, the page\'s service worker isolates it (threads build)', () => {
  let server, url, browser, page, watched;
  before(async () => {
    ({ server, url } = await startServer({ root: join(web, 'dist'), port: 0, isolation: false }));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    watched = watch(context, page, url);
    await page.goto(url);
    // The first load registers the worker and reloads once; the page that starts is isolated.
    await page.waitForFunction(() => crossOriginIsolated && document.body?.dataset.ready === 'true', null, { timeout: 60_000 });
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  test('threads run, and a table model trains and is measured', async () => {
    assert.equal(await page.getAttribute('#mode', 'data-build'), 'threads');
    assert.match(await page.textContent('#mode'), /threads \(cross-origin isolated by the page's service worker\)/);
    await page.click('#tab-tables');
    await page.setInputFiles('#csv-file', join(repo, 'data', 'BreastCancer.csv'));
    await page.waitForFunction(() => /BreastCancer\.csv/.test(document.getElementById('csv-info').textContent));
    assert.equal(await page.inputValue('#label-column'), 'Class');
    await page.selectOption('#normal-value', 'benign');
    await page.fill('#csv-epochs', '10');
    await page.click('#train-csv');
    await page.waitForFunction(() => document.getElementById('csv-status').dataset.testAuc, null, { timeout: 300_000 });
    const auc = Number(await page.getAttribute('#csv-status', 'data-test-auc'));
    console.log(`  service worker, threads: Breast Cancer test ROC-AUC ${auc.toFixed(4)}`);
    assert.ok(auc >= 0.95, String(auc));
    assert.deepEqual(watched.foreignRequests, []);
    assert.deepEqual(watched.consoleErrors, []);
  });
});

