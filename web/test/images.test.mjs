// Own images on the page: a folder whose sub-folders name the labels (a file that is not an image,
// or one named as an image that does not decode, is left out, by name), the size and colour chosen before training, the grid with file names,
// views (most anomalous / around the threshold / most normal) and a CSV of every score, and a
// model file from elsewhere shown only on images the user gives. The colour set (colour-set.mjs)
// has stains that only colour shows: a colour model must find them, a grey one cannot.
//
//   node --test web/test/images.test.mjs      (after node web/build.mjs)
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../serve.mjs';
import { makeColourSet } from './colour-set.mjs';
import { FLAGS } from './helpers.mjs';

const web = resolve(fileURLToPath(import.meta.url), '../..');
const output = join(web, 'test-output');
const work = mkdtempSync(join(tmpdir(), 'ca3-images-'));

// ROC-AUC by pairs from the page's downloaded scores: a stain above a normal crop.
function aucOf(csvText) {
  const rows = csvText.trim().split('\n').slice(1).map((l) => l.split(','));
  const bad = rows.filter((r) => r[0].startsWith('stain')), good = rows.filter((r) => r[0].startsWith('normal'));
  let above = 0;
  for (const b of bad) for (const g of good) above += Number(b[1]) > Number(g[1]) ? 1 : Number(b[1]) === Number(g[1]) ? 0.5 : 0;
  return above / (bad.length * good.length);
}

describe('own images: folders, size and colour, the grid', () => {
  let server, url, browser, page, testFiles;
  before(async () => {
    ({ server, url } = await startServer({ root: join(web, 'dist'), port: 0, isolation: true }));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await page.goto(url);
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    await makeColourSet(page, join(work, 'train'), { normal: 300, stained: 80, seed: 1 });
    writeFileSync(join(work, 'train', 'normal', 'notes.txt'), 'camera 2, shift B');
    writeFileSync(join(work, 'train', 'normal', 'cut.png'), 'not a picture');  // named as an image, not one
    testFiles = await makeColourSet(page, join(work, 'test'), { normal: 100, stained: 50, seed: 2 });
  });
  after(async () => {
    await browser?.close();
    server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  // Reads `folder` at `size` ('32x3': 32×32 colour) and trains; `read` matches the page's account of the images.
  async function trainOnFolder(folder, size, read, contaminated = false) {
    await page.selectOption('#image-size', size);
    await page.$eval('#image-folder', (input) => (input.value = ''));
    await page.setInputFiles('#image-folder', folder);
    await page.waitForFunction((source) => new RegExp(source).test(document.getElementById('image-data-info').textContent), read.source);
    // (a read of the folder before at the size chosen may still run: Train waits for it)
    await page.waitForFunction(() => !document.getElementById('train-images').disabled, null, { timeout: 60_000 });
    await page.fill('#image-epochs', '10');
    await page.setChecked('#image-contaminated', contaminated);
    await page.click('#train-images');
    await page.waitForFunction(() => /^Trained/.test(document.getElementById('image-status').textContent), null, { timeout: 600_000 });
    await page.waitForSelector('#image-grid .cell');
  }
  async function scoreTestSet(name) {
    await page.$eval('#score-files', (input) => (input.value = ''));  // the same files again must be a change
    await page.setInputFiles('#score-files', testFiles);
    await page.waitForFunction(() => /150 dropped images/.test(document.getElementById('why-what').textContent));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-image-scores')]);
    const path = join(output, name);
    await download.saveAs(path);
    return readFileSync(path, 'utf8');
  }

  let colourAuc;
  test('a folder with normal/ and stain/ trains a 32×32 colour model that finds the stains', async () => {
    assert.equal(await page.inputValue('#image-size'), '32xauto');  // the page starts on "grey or colour as the images are"
    await trainOnFolder(join(work, 'train'), '32x3',
      /^Your images \(normal: normal\/; anomalous: stain\/\), read in [\d.]+ s: 380 images \(32x32 colour\), 300 normal, 80 anomalous\. All 48x48, resized\. 1 file left out: cut\.png is not an image this browser can decode\.$/);
    assert.equal(await page.inputValue('#normal-folder'), 'normal');
    // The folder menu counts the images read: cut.png, named as one, is left out of normal/'s.
    assert.deepEqual(await page.$$eval('#normal-folder option', (o) => o.map((x) => x.textContent)),
      ['normal (300 images; 1 left out, unreadable)', 'stain (80 images)', 'none: every image is normal (no labelled anomalies)']);
    assert.equal(await page.textContent('#image-skipped'), '1 file that is not an image left out: notes.txt.');
    assert.match(await page.textContent('#image-status'), /test ROC-AUC 0\.\d{4} on 8 anomalous and 30 normal test images/);
    // The inspect view draws the model's input: 32×32 pixels.
    assert.equal(await page.getAttribute('#inspect figure canvas', 'width'), '32');
    // Crops it has never seen, dropped to score: the CSV has every file with its score and flag.
    const csv = await scoreTestSet('images-colour-scores.csv');
    const lines = csv.trim().split('\n');
    assert.equal(lines[0], 'file,score,flag');
    assert.equal(lines.length, 151);
    colourAuc = aucOf(csv);
    console.log(`  colour 32×32: ROC-AUC ${colourAuc.toFixed(4)} on 150 unseen crops (50 stained)`);
    assert.ok(colourAuc >= 0.9, `ROC-AUC ${colourAuc}`);
    assert.match(await page.textContent('#confusion'), /^\d+ of 150 images flagged/);
    // A file among them that is no image is left out, by name, and the others are scored.
    const broken = join(work, 'broken.png');
    writeFileSync(broken, 'not a picture');
    await page.$eval('#score-files', (input) => (input.value = ''));
    await page.setInputFiles('#score-files', [...testFiles, broken]);
    await page.waitForFunction(() => /150 dropped images \(1 file left out: broken\.png is not an image this browser can decode\)/
      .test(document.getElementById('why-what').textContent));
    assert.match(await page.textContent('#confusion'), /^\d+ of 150 images flagged/);
    // The grid: file names, the most normal ones on request.
    assert.match(await page.textContent('#grid-count'), /^showing 120 of 150 images/);
    assert.match(await page.getAttribute('#image-grid .cell', 'data-name'), /^stain-\d{3}\.png$/);
    await page.selectOption('#grid-view', 'bottom');
    const bottom = await page.$$eval('#image-grid .cell', (cells) => cells.slice(0, 20).map((c) => c.dataset.name));
    assert.ok(bottom.filter((n) => n.startsWith('normal')).length >= 18, bottom.join(' '));
    await page.selectOption('#grid-view', 'top');
    await page.screenshot({ path: join(output, 'images-colour.png'), fullPage: true });
  });

  test('the same set read as grey cannot see the stains (their grey value is the metal\'s)', async () => {
    await trainOnFolder(join(work, 'train'), '32x1', /380 images \(32x32 grey\)/);
    const greyAuc = aucOf(await scoreTestSet('images-grey-scores.csv'));
    console.log(`  grey 32×32: ROC-AUC ${greyAuc.toFixed(4)} (colour ${colourAuc.toFixed(4)})`);
    assert.ok(greyAuc < colourAuc - 0.2, `grey ${greyAuc} vs colour ${colourAuc}`);
  });

  test('a folder of unlabelled images, some stained, with "some of them may be anomalies": contaminated, finds the stains', async () => {
    // 300 normal crops and 20 stained ones in one folder, no labels: the stains are 6% of it.
    const mixed = join(work, 'mixed');
    mkdirSync(mixed, { recursive: true });
    for (const f of readdirSync(join(work, 'train', 'normal')).filter((n) => n.endsWith('.png'))) copyFileSync(join(work, 'train', 'normal', f), join(mixed, f));
    for (const f of readdirSync(join(work, 'train', 'stain')).slice(0, 20)) copyFileSync(join(work, 'train', 'stain', f), join(mixed, f));
    assert.equal(await page.isVisible('#image-contaminated-option'), false);  // the labelled folder before: not offered
    await trainOnFolder(mixed, '32x3', /320 images \(32x32 colour\), 320 normal, 0 anomalous/, true);
    const status = await page.textContent('#image-status');
    assert.match(status, /No labels, some images may be anomalies: the images the model reconstructed worst sat out each epoch/);
    // The distance averages over ceil(0.1 M / 2) neighbours, and the threshold flags up to 10% of the
    // held-out images (no labels: the 32 validation and 32 test images, taken as normal).
    const m = Number(status.match(/The distance is to ([\d,]+) of the/)[1].replace(/,/g, ''));
    assert.match(status, new RegExp(`how far it lies from its ${Math.max(5, Math.ceil(0.1 * m / 2))} nearest training images`));
    assert.match(status, /The threshold flags at most 10% of the 64 held-out images \(validation and test, taken as normal — 10% rather than 5%, as about that share of the images may be anomalies\)/);
    const auc = aucOf(await scoreTestSet('images-contaminated-scores.csv'));
    // Stains that only colour tells apart are hard without labelled ones: the same preset on the 300
    // clean normal crops alone gives 0.69 (ca3 train, 10 epochs), on these 320 0.68 (0.98 with the stains labelled).
    console.log(`  contaminated colour 32×32 (20 stained among 320, unlabelled): ROC-AUC ${auc.toFixed(4)} on 150 unseen crops`);
    assert.ok(auc >= 0.6, `ROC-AUC ${auc}`);
    await page.uncheck('#image-contaminated');
  });

  test('a folder of normal images only trains one-class; a model file from elsewhere is shown only on the user\'s images', async () => {
    await trainOnFolder(join(work, 'test', 'normal'), '32x3',  // no sub-folders: every image normal
      /no sub-folders: all taken as normal.*100 images \(32x32 colour\), 100 normal, 0 anomalous \(the alarm learns from synthetic anomalies/);
    const status = await page.textContent('#image-status');
    assert.match(status, /No labels: every image taken as normal/);
    assert.match(status, /its alarm score and how far it lies from its 5 nearest training images \(compared downscaled\)/);
    // 100 images: 10 validate and 10 test; without labels all 20 set the threshold (taken as
    // normal), enough for 5%, and the range of the share of new images flagged is said.
    assert.match(status, /flags at most 5% of the 20 held-out images \(validation and test, taken as normal\); the images it trained on usually score lower \(each is among its own nearest neighbours\), so fewer of them are flagged\. On new normal images it will flag 0\.26% to 14%, 9 times in 10 \(the 20 held-out images are a sample; more images narrow the range\)/);
    assert.match(await page.getAttribute('#image-loss-chart', 'aria-label'), /normal vs synthetic anomalies/);
    assert.doesNotMatch(await page.textContent('#image-status'), /test ROC-AUC \d/);
    // Saved and loaded back as a foreign file: no figure of the sample, a word on what to do.
    await page.click('#tab-models');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-image-model')]);
    assert.equal(download.suggestedFilename(), 'normal-32px-colour-model.ca3');  // named after the folder it learned from
    const path = join(work, 'colour.ca3');
    await download.saveAs(path);
    await page.setInputFiles('#model-file', path);
    await page.waitForFunction(() => /^Loaded colour\.ca3/.test(document.getElementById('model-info').textContent));
    assert.match(await page.textContent('#model-info'), /image model for 32x32 colour images/);
    // Loaded, the page shows its part for images, where its scores will be.
    assert.equal(await page.getAttribute('#tab-images', 'aria-selected'), 'true');
    assert.equal(await page.isVisible('#score-files'), true);
    assert.equal(await page.$$eval('#image-grid .cell', (c) => c.length), 0);
    assert.match(await page.textContent('#why-what'), /Drop images of its size to score them \(the page's sample is not its data\)/);
    assert.equal(await page.getAttribute('#image-status', 'data-test-auc'), null);
    await scoreTestSet('images-loaded-scores.csv');
    assert.equal(await page.$$eval('#image-grid .cell', (c) => c.length), 120);
  });

  test('"grey or colour as the images are": grey images read grey, colour ones in colour; an explicit choice that loses or wastes colour is said', async () => {
    // 40 grey PNGs (r = g = b in every pixel, stored as RGBA), drawn in the browser.
    const greyDir = join(work, 'grey');
    mkdirSync(greyDir, { recursive: true });
    const pngs = await page.evaluate(async () => {
      const out = [];
      for (let i = 0; i < 40; ++i) {
        const canvas = new OffscreenCanvas(40, 30), context = canvas.getContext('2d');
        context.fillStyle = `rgb(${40 + i * 4}, ${40 + i * 4}, ${40 + i * 4})`;
        context.fillRect(0, 0, 40, 30);
        context.fillStyle = 'rgb(220, 220, 220)';
        context.fillRect(i % 30, (i * 7) % 20, 8, 8);
        const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
        let text = '';
        for (const b of bytes) text += String.fromCharCode(b);
        out.push(btoa(text));
      }
      return out;
    });
    pngs.forEach((png, i) => writeFileSync(join(greyDir, `part-${String(i).padStart(2, '0')}.png`), Buffer.from(png, 'base64')));
    writeFileSync(join(greyDir, '._part-00.png'), Buffer.from([0]));  // macOS's metadata beside a copied file
    writeFileSync(join(greyDir, 'part-40'), Buffer.from(pngs[0], 'base64'));  // a PNG without an extension: read by its bytes
    writeFileSync(join(greyDir, 'part-41.jpg'), Buffer.from(pngs[1], 'base64'));  // a PNG named .jpg: read as a PNG, said
    // Two PNGs cut short (the browser would show the missing rows grey) and one changed after
    // writing: left out, said in the words of `ca3 train` (the core's check of the bytes).
    for (const [name, i] of [['cut-a.png', 2], ['cut-b.png', 3]]) {
      const whole = Buffer.from(pngs[i], 'base64');
      writeFileSync(join(greyDir, name), whole.subarray(0, whole.length >> 1));
    }
    const changed = Buffer.from(pngs[4], 'base64');
    changed[changed.length - 20] ^= 0x55;  // in the last IDAT chunk's data: its checksum fails
    writeFileSync(join(greyDir, 'damaged.png'), changed);
    // A strip (200×10) whose centre crop to the model's square keeps a twentieth of it: named.
    const strip = await page.evaluate(async () => {
      const canvas = new OffscreenCanvas(200, 10), context = canvas.getContext('2d');
      context.fillStyle = 'rgb(90, 90, 90)';
      context.fillRect(0, 0, 200, 10);
      let text = '';
      for (const b of new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer())) text += String.fromCharCode(b);
      return btoa(text);
    });
    writeFileSync(join(greyDir, 'strip.png'), Buffer.from(strip, 'base64'));
    // An animated GIF (three white 1×1 frames, written byte by byte): read as its first frame, said.
    const frame = Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0]);
    writeFileSync(join(greyDir, 'blink.gif'), Buffer.concat([Buffer.from('GIF89a\x01\0\x01\0\x80\0\0', 'latin1'),
      Buffer.from([0xff, 0xff, 0xff, 0, 0, 0]), frame, frame, frame, Buffer.from([0x3b])]));
    const readAs = async (folder, size, counted) => {
      await page.selectOption('#image-size', size);
      await page.$eval('#image-folder', (input) => (input.value = ''));
      await page.setInputFiles('#image-folder', folder);
      await page.waitForFunction((text) => document.getElementById('image-data-info').textContent.includes(text), counted);
      return page.textContent('#image-data-info');
    };
    const greyRead = await readAs(greyDir, '32xauto', '44 images (32x32 grey)');
    assert.match(greyRead, /Read as grey: every image is grey \(red = green = blue\), so colour would add nothing\. /);
    const leftOut = '3 files left out: cut-a.png, cut-b.png: the image file ends too early (cut short when copied or ' +
      'downloaded?): copy it again; damaged.png: the image data is damaged (a checksum of the PNG does not match its data): save it again. ';
    assert.ok(greyRead.includes('nothing. ' + leftOut), greyRead);
    // part-40 and part-41.jpg are copies of part-00.png and part-01.png: said, as `ca3 train` says it (the core's check).
    const copies = greyRead.slice(greyRead.indexOf(leftOut) + leftOut.length);
    assert.match(copies, /^2 of 44 images are copies of another \(the same pixels at 32x32 grey: (part-00\.png = part-40|part-40 = part-00\.png), (part-01\.png = part-41\.jpg|part-41\.jpg = part-01\.png)\); a copy held out for validation or test beside its twin in training scores as one already seen, so the validation figures look better than they are: remove the copies\.$/);
    // 40×30 and 200×10 read at 32×32: each cropped to a square (30×30, 10×10) and enlarged; the GIF (1×1)
    // enlarged; in the words of `ca3 train` (the core's).
    assert.ok(greyRead.includes(" Widths 1 to 200, heights 1 to 30 pixels, resized; 43 cropped around the centre to the model's shape first (1 keeps " +
      "less than half of the picture: strip.png (200x10: its centre 10x10); crop such images to the part that matters, or cut " +
      "them into pieces of the model's shape); 44 enlarged (smaller than 32x32); 1 animated GIF, read as its first frame: " +
      "blink.gif (3 frames). Read as grey"), greyRead);
    assert.equal(await page.textContent('#image-skipped'),
      '1 file that is not an image left out: ._part-00.png. 1 file read as an image by its bytes, not its name: part-40 (PNG). ' +
      '1 named as another kind of image, read as what its bytes are: part-41.jpg (PNG).');
    assert.match(await readAs(greyDir, '32x3', '44 images (32x32 colour)'),
      /Every image is grey \(red = green = blue\): a grey size reads them at a third of the input, nothing lost\. 3 files left out: [^.]+\.png[^;]+; damaged\.png: [^;]+\. 2 of 44 images are copies of another \(the same pixels at 32x32 colour: /);
    const colourDir = join(work, 'test', 'normal');
    assert.match(await readAs(colourDir, '32xauto', '100 images (32x32 colour)'), /Read in colour: all 100 have colour\.$/);
    assert.match(await readAs(colourDir, '32x1', '100 images (32x32 grey)'),
      /All 100 have colour, read as grey \(0\.299 red \+ 0\.587 green \+ 0\.114 blue\): choose colour above if colour tells the anomalies apart\.$/);
  });
});
