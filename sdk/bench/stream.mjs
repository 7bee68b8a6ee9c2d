// Streaming scoring of a large CSV (issue 17): rows/s and peak memory for one file scored
//   1. through the SDK in Node: detector.scoreStream(fs.createReadStream(file)), and
//   2. through the command line: ca3 score --data - --out - < file > /dev/null,
// with the same model (the tabular preset on BreastCancer, 3 epochs). The file is BreastCancer's
// rows repeated up to the size asked (default 1 GB), written once to the temp folder and kept.
// Peak memory: the process's peak resident set (the SDK's worker is a thread of it; wasm memory
// included), from getrusage; the command line's from /usr/bin/time.
//
//   node bench/stream.mjs [megabytes] [path to ca3]     -> a Markdown table
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDetector, getRuntime, tableFromCsv } from 'ca3-sdk';

const repo = resolve(fileURLToPath(import.meta.url), '../../..');
const megabytes = Number(process.argv[2] ?? 1000);
const ca3 = process.argv[3] ?? join(repo, 'build/native-release/ca3');

const source = readFileSync(join(repo, 'data/BreastCancer.csv'), 'utf8').trim().split('\n');
const file = join(tmpdir(), `ca3-stream-${megabytes}mb.csv`);
if (!existsSync(file) || statSync(file).size < megabytes * 1e6) {
  const out = createWriteStream(file);
  const chunk = source.slice(1).join('\n') + '\n';
  let written = 0;
  out.write(source[0] + '\n');
  while (written < megabytes * 1e6) {
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
    written += chunk.length;
  }
  await new Promise((r) => out.end(r));
}
const bytes = statSync(file).size;

const detector = await createDetector({ preset: 'tabular' });
await detector.fit(tableFromCsv(source.join('\n') + '\n', { labelColumn: 'Class', normalValues: ['benign'] }), { epochs: 3 });
const model = join(tmpdir(), 'ca3-stream-model.ca3');
writeFileSync(model, await detector.save());

const rssBefore = process.resourceUsage().maxRSS;
let rows = 0;
const started = performance.now();
for await (const scores of detector.scoreStream(createReadStream(file, { highWaterMark: 1 << 20 }))) rows += scores.length;
const sdkSeconds = (performance.now() - started) / 1000;
const sdkPeak = process.resourceUsage().maxRSS / 1024;  // MB
(await getRuntime()).close();

// The command line, the same file through a pipe; its output is the scores, to /dev/null.
const cli = spawnSync('/bin/sh', ['-c', `/usr/bin/time -f '%e %M' "${ca3}" score --model "${model}" --data - --out - --quiet < "${file}" > /dev/null`],
  { encoding: 'utf8' });
if (cli.status !== 0) throw new Error(`ca3 score failed: ${cli.stderr}`);
const [cliSeconds, cliKilobytes] = cli.stderr.trim().split('\n').at(-1).split(' ').map(Number);

const mb = (bytes / 1e6).toFixed(0);
console.log(`| ${mb} MB CSV, ${rows.toLocaleString('en')} rows, tabular model | rows/s | MB/s | peak memory (MB) |`);
console.log('|---|---|---|---|');
console.log(`| SDK in Node, scoreStream (${(await import('node:os')).cpus().length} cores) | ${Math.round(rows / sdkSeconds).toLocaleString('en')} | ${(bytes / 1e6 / sdkSeconds).toFixed(1)} | ${sdkPeak.toFixed(0)} (before: ${(rssBefore / 1024).toFixed(0)}) |`);
console.log(`| ca3 score --data - --out - | ${Math.round(rows / cliSeconds).toLocaleString('en')} | ${(bytes / 1e6 / cliSeconds).toFixed(1)} | ${(cliKilobytes / 1024).toFixed(0)} |`);
