// Real files through the command line and the page, the kinds in ../shared/field-cases/ (inputs
// made here, so that the test needs nothing but the repository): one image scores the same on
// both (a grey palette PNG, a grey + alpha PNG with a hidden colour behind its transparent pixels,
// a JPEG stored on its side with EXIF orientation 6); an image too large for a tab is refused
// by its size and a large one is scored at a reduced size, the page staying usable; opened from
// file:// the page says how to serve it.
//
//   node --test web/test/real-files.test.mjs      (after node web/build.mjs and the native build)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startServer } from '../serve.mjs';
import { FLAGS } from './helpers.mjs';

const web = resolve(fileURLToPath(import.meta.url), '../..');
const repo = resolve(web, '..');
const cli = process.env.CA3_CLI ?? join(repo, 'build/native-release/ca3');
const model = join(repo, 'models/demo/fashion-mnist-tshirt.ca3');
const work = mkdtempSync(join(tmpdir(), 'ca3-real-files-'));

// ---- PNG files, written byte by byte ----------------------------------------------------------------
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}
function png(width, height, colourType, rows, palette) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0), header.writeUInt32BE(height, 4);
  header[8] = 8, header[9] = colourType;
  const raw = Buffer.concat(rows.map((r) => Buffer.concat([Buffer.from([0]), Buffer.from(r)])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header),
    ...(palette ? [chunk('PLTE', Buffer.from(palette))] : []), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// A T-shirt-like grey picture, 28x28: a bright body on a dark background.
const picture = Array.from({ length: 28 }, (_, y) => Array.from({ length: 28 }, (_, x) =>
  (x > 6 && x < 21 && y > 4 && y < 25) || (y > 4 && y < 10 && x > 2 && x < 25) ? 180 + ((x * 7 + y * 3) % 60) : 10 + ((x + y) % 7)));

function writeInputs() {
  const dir = join(work, 'score');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'a-grey.png'), png(28, 28, 0, picture));
  const palette = [];
  for (let v = 0; v < 256; ++v) palette.push(v, v, v);
  writeFileSync(join(dir, 'b-palette-grey.png'), png(28, 28, 3, picture, palette));
  // Grey + alpha: the background transparent, hiding white.
  writeFileSync(join(dir, 'c-cutout.png'), png(28, 28, 4, picture.map((row) => row.flatMap((v) => (v < 60 ? [255, 0] : [v, 255])))));
  // The same picture, 84 wide: centre-cropped to the model's 28x28 by the core's rule.
  writeFileSync(join(dir, 'd-wide.png'), png(84, 28, 0, picture.map((row) => [...row.map(() => 0), ...row, ...row.map(() => 0)])));
  return dir;
}

function cliScores(dir) {
  const out = join(work, 'scores.csv');
  execFileSync(cli, ['score', '--model', model, '--data', dir, '--out', out, '--quiet']);
  return Object.fromEntries(readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => [l.split(',')[0], Number(l.split(',')[1])]));
}

describe('real files: the command line and the page agree', () => {
  let server, url, browser, page;
  before(async () => {
    ({ server, url } = await startServer({ root: join(web, 'dist'), port: 0, isolation: true }));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
    page = await browser.newPage();
    await page.goto(url);
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    await page.click('#tab-models');
    await handled(() => page.click('#demo-image'));
  });
  after(async () => {
    await browser?.close();
    server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function handled(act) {
    const n = Number((await page.getAttribute('body', 'data-handled')) ?? 0);
    await act();
    await page.waitForFunction((k) => Number(document.body.dataset.handled ?? 0) > k, n, { timeout: 120_000 });
  }
  const message = async () => ((await page.isVisible('#message')) ? (await page.textContent('#message')).trim() : '');
  // The page's score of each file, dropped on "Drop images to score" one at a time.
  async function pageScore(file) {
    await handled(() => page.setInputFiles('#score-files', file));
    assert.equal(await message(), '', `${file}: the page shows an error`);
    return Number(await page.getAttribute('#image-grid .cell', 'data-score'));
  }

  test('grey palette, grey + alpha and a wide PNG: one rule, the same scores', async () => {
    const dir = writeInputs();
    const native = cliScores(dir);
    console.log(`  command line: ${JSON.stringify(native)}`);
    assert.equal(native['a-grey.png'], native['b-palette-grey.png'], 'a grey palette PNG scores as the grey PNG');
    assert.equal(native['a-grey.png'], native['d-wide.png'], 'the wide picture, centre-cropped, scores as the picture');
    for (const file of ['a-grey.png', 'b-palette-grey.png', 'c-cutout.png', 'd-wide.png']) {
      const score = await pageScore(join(dir, file));
      console.log(`  page: ${file} ${score}`);
      assert.ok(Math.abs(score - native[file]) <= 1e-5, `${file}: page ${score}, command line ${native[file]}`);
    }
    // The training folder's first file a palette PNG: still a grey model.
    const train = join(work, 'train');
    mkdirSync(train, { recursive: true });
    const palette = [];
    for (let v = 0; v < 256; ++v) palette.push(v, v, v);
    for (let i = 0; i < 12; ++i)
      writeFileSync(join(train, `img${String(i).padStart(2, '0')}.png`),
        i === 0 ? png(28, 28, 3, picture, palette) : png(28, 28, 0, picture.map((r) => r.map((v) => Math.min(255, v + i)))));
    execFileSync(cli, ['train', '--data', train, '--epochs', '1', '--preset', 'fashion-mnist-small', '--quiet', '--out', join(work, 'm.ca3')]);
    const info = JSON.parse(execFileSync(cli, ['info', join(work, 'm.ca3')], { encoding: 'utf8' }));
    assert.deepEqual(info.inputShape, [28, 28, 1]);
  });

  test('a JPEG stored on its side with EXIF orientation 6 scores upright, on the page and the command line', async () => {
    // JPEGs made by the browser (canvas.toBlob): the picture upright, and turned a quarter
    // anticlockwise with an EXIF APP1 segment saying "turn 90 degrees clockwise to show".
    const jpegs = await page.evaluate(async (rows) => {
      const make = async (turned) => {
        const canvas = new OffscreenCanvas(28, 28);
        const context = canvas.getContext('2d');
        const image = context.createImageData(28, 28);
        for (let y = 0; y < 28; ++y)
          for (let x = 0; x < 28; ++x) {
            const v = turned ? rows[x][27 - y] : rows[y][x];  // stored turned anticlockwise
            image.data.set([v, v, v, 255], (y * 28 + x) * 4);
          }
        context.putImageData(image, 0, 0);
        return Array.from(new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 1 })).arrayBuffer()));
      };
      return { upright: await make(false), turned: await make(true) };
    }, picture);
    const tiff = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0];
    const app1 = [0xff, 0xe1, 0, 2 + 6 + tiff.length, 0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
    const dir = join(work, 'exif');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'upright.jpg'), Buffer.from(jpegs.upright));
    writeFileSync(join(dir, 'exif6.jpg'), Buffer.from([...jpegs.turned.slice(0, 2), ...app1, ...jpegs.turned.slice(2)]));
    writeFileSync(join(dir, 'turned-no-exif.jpg'), Buffer.from(jpegs.turned));
    const native = cliScores(dir);
    const upright = await pageScore(join(dir, 'upright.jpg'));
    const exif6 = await pageScore(join(dir, 'exif6.jpg'));
    const turned = await pageScore(join(dir, 'turned-no-exif.jpg'));
    console.log(`  page: upright ${upright}, exif6 ${exif6}, turned ${turned}; command line: ${JSON.stringify(native)}`);
    assert.ok(Math.abs(exif6 - native['exif6.jpg']) <= 1e-3, 'the page and the command line agree on exif6.jpg');
    assert.ok(Math.abs(exif6 - upright) < Math.abs(turned - upright) || Math.abs(exif6 - upright) < 0.02,
      'exif6.jpg scores like the upright picture, not like the stored pixels');
  });

  test('a huge image is refused by its size at once; a large one is scored; the page keeps working', async () => {
    // 20000 x 20000 grey (400 megapixels; a few hundred KB compressed): refused from its header.
    const row = Buffer.alloc(20000, 128);
    const rows = Array.from({ length: 20000 }, () => row);
    const huge = join(work, 'huge.png');
    writeFileSync(huge, png(20000, 20000, 0, rows));
    const started = Date.now();
    await handled(() => page.setInputFiles('#score-files', huge));
    assert.match(await message(), /huge\.png is 20000x20000 pixels \(400 megapixels\): too large to decode in a browser tab/);
    assert.ok(Date.now() - started < 10_000, `refused after ${Date.now() - started} ms`);
    // 6000 x 4000: decoded at a reduced size and scored.
    const large = join(work, 'large.png');
    writeFileSync(large, png(6000, 4000, 0, Array.from({ length: 4000 }, (_, y) => Buffer.alloc(6000, y % 256))));
    const score = await pageScore(large);
    assert.ok(Number.isFinite(score));
  });
});

test('opened from file:// the page says how to serve it', async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(web, 'dist', 'index.html')).href);
    await page.waitForSelector('#message:not([hidden])', { timeout: 10_000 });
    assert.match(await page.textContent('#message'), /opened from disk.*node web\/serve\.mjs/s);
    assert.equal(await page.textContent('#mode'), 'not started');
  } finally {
    await browser.close();
  }
});
