// The page's bundled image sample, made from Debian's dataset-fashion-mnist: 2,000 T-shirt/top
// images (class 0, normal) and 2,000 of the other nine classes (anomalies; ~222 each), taken in
// file order from the training file, interleaved. Stored compactly as gzip of:
//   "CA3S" | u32 count | u32 height | u32 width | count class bytes | count*height*width pixel bytes
// The page decompresses it with the browser's DecompressionStream.
//
//   node scripts/make-sample.mjs OUT.bin.gz [per-class-count]
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';

const [out, normalArg] = process.argv.slice(2);
if (!out) throw new Error('usage: make-sample.mjs OUT.bin.gz [normal-count]');
const normalCount = Number(normalArg ?? 2000);
const dir = '/usr/share/datasets/fashion-mnist';
const images = gunzipSync(readFileSync(`${dir}/train-images-idx3-ubyte.gz`));
const labels = gunzipSync(readFileSync(`${dir}/train-labels-idx1-ubyte.gz`));
const total = labels.readUInt32BE(4);
const perOther = Math.ceil(normalCount / 9);
const taken = new Array(10).fill(0);
const chosen = [];
for (let i = 0; i < total; ++i) {
  const c = labels[8 + i];
  const want = c === 0 ? normalCount : perOther;
  if (taken[c] < want) taken[c]++, chosen.push(i);
}
const normals = chosen.filter((i) => labels[8 + i] === 0);
const others = chosen.filter((i) => labels[8 + i] !== 0).slice(0, normalCount);
if (normals.length < normalCount || others.length < normalCount) throw new Error('not enough images in the training file');
const order = [];
for (let i = 0; i < normalCount; ++i) order.push(normals[i], others[i]);
const header = Buffer.alloc(16);
header.write('CA3S', 0, 'latin1');
header.writeUInt32LE(order.length, 4);
header.writeUInt32LE(28, 8);
header.writeUInt32LE(28, 12);
const classes = Buffer.from(order.map((i) => labels[8 + i]));
const pixels = Buffer.concat(order.map((i) => images.subarray(16 + i * 784, 16 + (i + 1) * 784)));
const data = gzipSync(Buffer.concat([header, classes, pixels]), { level: 9 });
writeFileSync(out, data);
console.log(`[web] ${out}: ${order.length} images (${normalCount} T-shirt/top normal), ${data.length} bytes`);
