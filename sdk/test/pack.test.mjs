// `npm pack` gives a package that installs into an empty directory and works there: a script in
// that directory imports 'ca3-sdk', loads the demo model file and scores Breast Cancer with the
// scores the native command line gave (models/demo/breast-cancer.scores.csv).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const sdk = resolve(fileURLToPath(import.meta.url), '../..');
const repo = resolve(sdk, '..');

test('npm pack -> install in an empty directory -> score with the demo model', () => {
  const work = mkdtempSync(join(tmpdir(), 'ca3-pack-'));
  try {
    const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: sdk, encoding: 'utf8' }).trim();
    const tarball = join(work, packed.split('\n').pop());
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    for (const f of ['dist/browser.js', 'dist/node.js', 'dist/browser.d.ts', 'dist/worker.js', 'dist/worker-node.cjs', 'wasm/ca3-threads.wasm',
      'wasm/ca3-threads.worker.js', 'wasm/ca3-single.wasm', 'wasm/package.json', 'README.md'])
      assert.ok(files.includes(`package/${f}`), `the package lacks ${f}`);
    assert.ok(!files.some((f) => f.startsWith('package/src/') || f.startsWith('package/node_modules/')));

    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', tarball], { cwd: app });
    assert.deepEqual(readdirSync(join(app, 'node_modules')).filter((f) => !f.startsWith('.')), ['ca3-sdk']);  // no dependencies
    writeFileSync(join(app, 'score.js'), `
      import { readFileSync } from 'node:fs';
      import { loadDetector, tableFromCsv, getRuntime } from 'ca3-sdk';
      const detector = await loadDetector(readFileSync(process.argv[2]));
      const scores = await detector.score(tableFromCsv(readFileSync(process.argv[3], 'utf8')));
      const runtime = await getRuntime();
      console.log(JSON.stringify({ build: runtime.build, threshold: detector.threshold, scores: Array.from(scores) }));
    `);
    const out = JSON.parse(execFileSync('node', ['score.js', join(repo, 'models/demo/breast-cancer.ca3'),
      join(repo, 'data/BreastCancer.csv')], { cwd: app, encoding: 'utf8' }));
    assert.equal(out.build, 'threads');
    const native = readFileSync(join(repo, 'models/demo/breast-cancer.scores.csv'), 'utf8').trim().split('\n').slice(1)
      .map((line) => Number(line.split(',')[1]));
    assert.equal(out.scores.length, native.length);
    const difference = Math.max(...out.scores.map((s, i) => Math.abs(s - native[i])));
    assert.ok(difference <= 1e-5, `largest difference ${difference}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
