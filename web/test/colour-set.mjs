// A colour image set for the page's tests, made from a photo in a Debian package the build needs
// anyway (emscripten's test screenshot: a worn metal scene): 48x48 crops of its lower part;
// "stain" crops get a rust-coloured blotch whose grey value matches the pixels under it, so only
// colour tells a stain apart. Crops are cut and encoded as PNG in the browser (no image library).
import { mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
// Writes `normal` crops to dir/normal/ and `stained` ones to dir/stain/ (crop positions from
// `seed`); returns the paths, normal first. `page`: any page of the browser (it does the drawing).
export async function makeColourSet(page, dir, { normal, stained, seed }) {
  const jpeg = readFileSync('/usr/share/emscripten/tests/screenshot.jpg').toString('base64');
  const files = await page.evaluate(async ({ jpeg, normal, stained, seed }) => {
    const bytes = Uint8Array.from(atob(jpeg), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
    let state = seed >>> 0;
    const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const out = [];
    for (let i = 0; i < normal + stained; ++i) {
      const canvas = new OffscreenCanvas(48, 48);
      const context = canvas.getContext('2d');
      // the floor and walls below the horizon, away from the ship and the HUD
      const x = Math.floor(random() * (600 - 48)), y = 200 + Math.floor(random() * (380 - 200 - 48));
      context.drawImage(bitmap, x, y, 48, 48, 0, 0, 48, 48);
      const stain = i >= normal;
      if (stain) {
        const image = context.getImageData(0, 0, 48, 48);
        const cx = 10 + random() * 28, cy = 10 + random() * 28, r = 6 + random() * 6;
        for (let p = 0; p < 48 * 48; ++p) {
          const dx = (p % 48) - cx, dy = Math.floor(p / 48) - cy;
          if (dx * dx + dy * dy > r * r) continue;
          const d = image.data;
          const grey = 0.299 * d[p * 4] + 0.587 * d[p * 4 + 1] + 0.114 * d[p * 4 + 2];
          d[p * 4] = Math.min(255, grey * 1.9), d[p * 4 + 1] = grey * 0.75, d[p * 4 + 2] = grey * 0.4;
        }
        context.putImageData(image, 0, 0);
      }
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      const b = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (const v of b) s += String.fromCharCode(v);
      out.push({ stain, png: btoa(s) });
    }
    return out;
  }, { jpeg, normal, stained, seed });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'normal'), { recursive: true });
  mkdirSync(join(dir, 'stain'), { recursive: true });
  const paths = [];
  files.forEach((f, i) => {
    const path = join(dir, f.stain ? 'stain' : 'normal', `${f.stain ? 'stain' : 'normal'}-${String(i).padStart(3, '0')}.png`);
    writeFileSync(path, Buffer.from(f.png, 'base64'));
    paths.push(path);
  });
  return paths;
}
