// The wire contract: every value the C++ core sends (core/anomaly/wire.h) against its mirror in
// src/wire.ts, both ways. Real values from the wasm module -- a fit's progress and report, a
// detector's info, metrics with the ROC curve, a CSV summary, an error -- must carry exactly the
// members their TypeScript interface declares: a key the core sends that is not declared, or a
// required member that the core does not send, fails.
//
//   node --test sdk/test/wire.test.mjs
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

import { createDetector, getRuntime, imageSet, loadDetector, tableFromCsv } from 'ca3-sdk';

const sdk = resolve(fileURLToPath(import.meta.url), '../..');
const repo = resolve(sdk, '..');

// Interfaces of src/wire.ts: name -> members {name: {optional, type (the type's source text)}}.
function readInterfaces() {
  const path = join(sdk, 'src/wire.ts');
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
  const interfaces = new Map();
  const aliases = new Map();
  const membersOf = (node) => {
    const members = new Map();
    for (const m of node.members) {
      if (!ts.isPropertySignature(m)) continue;
      members.set(m.name.getText(source), { optional: !!m.questionToken, type: m.type });
    }
    return members;
  };
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, membersOf(node));
    if (ts.isTypeAliasDeclaration(node)) aliases.set(node.name.text, node.type);
  });
  return { interfaces, aliases, source };
}

const { interfaces, aliases, source } = readInterfaces();

// Checks `value` against a type node of wire.ts; `path` names where we are for messages.
function check(value, typeNode, path) {
  if (!typeNode) return;
  if (ts.isParenthesizedTypeNode(typeNode)) return check(value, typeNode.type, path);
  if (ts.isUnionTypeNode(typeNode)) {
    const errors = [];
    for (const t of typeNode.types) {
      try {
        check(value, t, path);
        return;
      } catch (e) {
        errors.push(e.message);
      }
    }
    throw new Error(`${path}: ${JSON.stringify(value)?.slice(0, 80)} matches none of ${typeNode.getText(source)} (${errors.join('; ')})`);
  }
  if (ts.isLiteralTypeNode(typeNode)) {
    if (typeNode.literal.kind === ts.SyntaxKind.NullKeyword) {
      if (value !== null) throw new Error(`${path}: not null`);
      return;
    }
    const literal = JSON.parse(typeNode.literal.getText(source).replace(/^'|'$/g, '"'));
    if (value !== literal) throw new Error(`${path}: ${JSON.stringify(value)} is not ${literal}`);
    return;
  }
  if (ts.isArrayTypeNode(typeNode)) {
    if (!Array.isArray(value)) throw new Error(`${path}: not an array`);
    value.forEach((v, i) => check(v, typeNode.elementType, `${path}[${i}]`));
    return;
  }
  if (ts.isTypeLiteralNode(typeNode)) return checkObject(value, new Map([...typeNode.members].map((m) =>
    [m.name.getText(source), { optional: !!m.questionToken, type: m.type }])), path);
  const text = typeNode.getText(source);
  if (text === 'number') {
    if (typeof value !== 'number') throw new Error(`${path}: ${JSON.stringify(value)} is not a number`);
  } else if (text === 'string') {
    if (typeof value !== 'string') throw new Error(`${path}: not a string`);
  } else if (text === 'boolean') {
    if (typeof value !== 'boolean') throw new Error(`${path}: not a boolean`);
  } else if (interfaces.has(text)) {
    checkObject(value, interfaces.get(text), `${path} (${text})`);
  } else if (aliases.has(text)) {
    check(value, aliases.get(text), `${path} (${text})`);
  } else if (text.startsWith('Record<') || text === 'unknown') {
    if (typeof value !== 'object' || value === null) throw new Error(`${path}: not an object`);
  } else {
    throw new Error(`${path}: the test does not know the type ${text}`);
  }
}

function checkObject(value, members, path) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${path}: not an object`);
  for (const key of Object.keys(value))
    if (!members.has(key)) throw new Error(`${path}: the core sends '${key}', which wire.ts does not declare`);
  for (const [name, member] of members) {
    if (!(name in value)) {
      if (!member.optional) throw new Error(`${path}: wire.ts requires '${name}', which the core does not send`);
      continue;
    }
    check(value[name], member.type, `${path}.${name}`);
  }
}

function expectShape(value, interfaceName) {
  assert.ok(interfaces.has(interfaceName), `wire.ts declares ${interfaceName}`);
  checkObject(value, interfaces.get(interfaceName), interfaceName);
}

let runtime;
before(async () => {
  runtime = await getRuntime();
});
after(() => runtime?.close());

test('the checker itself catches an undeclared key and a missing member', () => {
  assert.throws(() => expectShape({ truePositives: 1, falsePositives: 0, trueNegatives: 0, falseNegatives: 0, extra: 1 }, 'Confusion'),
    /sends 'extra'/);
  assert.throws(() => expectShape({ truePositives: 1, falsePositives: 0, trueNegatives: 0 }, 'Confusion'), /requires 'falseNegatives'/);
});

test('a table fit: TrainProgress, FitReport, DetectorInfo, Metrics with RocCurve, CsvSummary, RowExplanation, RowToCheck', async () => {
  const csv = readFileSync(join(repo, 'data/BreastCancer.csv'), 'utf8');
  expectShape(await runtime.describeCsv(csv), 'CsvSummary');
  const detector = await createDetector({ preset: 'tabular' });
  expectShape(await detector.info(), 'DetectorInfo');  // untrained
  const progress = [];
  const report = await detector.fit(tableFromCsv(csv, { labelColumn: 'Class', normalValues: ['benign'] }),
    { epochs: 2, onProgress: (p) => progress.push(p) });
  assert.ok(progress.some((p) => p.epochEnd) && progress.some((p) => !p.epochEnd));
  for (const p of progress) expectShape(p, 'TrainProgress');
  expectShape(report, 'FitReport');
  assert.equal(report.score, 'alarm');  // labelled: the alarm alone; the normal training rows kept (to fill from, to explain against)
  assert.equal(report.neighbours.samples + report.neighbours.repeated, report.rows.train - report.labelledAnomalies);
  expectShape(await detector.info(), 'DetectorInfo');
  const metrics = await detector.evaluate(tableFromCsv(csv));
  assert.ok(metrics.roc);
  expectShape(metrics, 'Metrics');
  const why = await detector.explainRows(tableFromCsv(csv), [0, 23], 4);
  assert.equal(why.length, 2);
  for (const row of why) {
    expectShape(row, 'RowExplanation');
    for (const c of row.columns) expectShape(c, 'ColumnContribution');
  }
  // The 4 strongest columns; row 23 (line 25) has no Bare.nuclei: named after them.
  assert.equal(why[0].columns.length, 4);
  assert.deepEqual(why[1].columns.slice(4).map((c) => [c.column, c.missing, c.contribution]), [['Bare.nuclei', true, 0]]);
  const check = await detector.rowsToCheck(tableFromCsv(csv.replace('"1000025","5","1"', '"1000025","5","ERR"')));
  assert.equal(check.length, 1);
  expectShape(check[0], 'RowToCheck');
  await detector.dispose();
});

test('an image model: DetectorInfo of a loaded file, Metrics of images, no labelled anomalies', async () => {
  const detector = await loadDetector(readFileSync(join(repo, 'models/demo/fashion-mnist-tshirt.ca3')));
  expectShape(await detector.info(), 'DetectorInfo');
  const images = Float32Array.from({ length: 20 * 784 }, (_, i) => ((i * 7919) % 256) / 255);
  const labels = Int32Array.from({ length: 20 }, (_, i) => i % 2);
  expectShape(await detector.evaluate(imageSet(images, labels)), 'Metrics');
  const oneClass = await createDetector({ preset: 'fashion-mnist-small' });
  const report = await oneClass.fit(imageSet(images, new Int32Array(20)), { epochs: 1 });
  expectShape(report, 'FitReport');  // a split without anomalies: rocAuc null
  assert.equal(report.test.rocAuc, null);
  assert.equal(report.score, 'alarm_neighbours');
  const n = report.neighbours;
  assert.equal(n.samples + n.repeated + n.leftOut + n.notSampled, report.rows.train);
  await oneClass.dispose();
  await detector.dispose();
});

test('an error: ErrorInfo (its code one of ErrorCode)', async () => {
  const detector = await createDetector({ preset: 'tabular' });
  const error = await detector.fit(tableFromCsv('a,b\n1,2\n')).catch((e) => e);
  expectShape({ code: error.code, message: error.message }, 'ErrorInfo');
  assert.equal(error.code, 'bad_input');
  await detector.dispose();
});
