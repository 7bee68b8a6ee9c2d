// The README's code compiles as users would write it: every ```js / ```ts block of README.md is
// type-checked by TypeScript with `strict` (JavaScript through checkJs) against the package's
// published types, resolved through its own package.json `exports` -- once as a browser project
// (DOM types) and, for the blocks that do not touch the DOM, as a Node-only project (no DOM lib,
// skipLibCheck off: the published .d.ts must not need browser types).
//
//   node --test test/readme.test.mjs      (after the package is built)
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const sdk = resolve(fileURLToPath(import.meta.url), '../..');
const readme = readFileSync(join(sdk, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```(js|ts)\n([\s\S]*?)^```/gm)].map((m) => ({
  language: m[1],
  code: m[2],
  line: readme.slice(0, m.index).split('\n').length + 1,
}));

function typeCheck(name, files, lib) {
  const dir = join(sdk, 'test-output', name);  // inside the package: 'ca3-sdk' resolves to itself
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const paths = files.map((f, i) => {
    const path = join(dir, `block-${i}.${f.language === 'ts' ? 'mts' : 'mjs'}`);
    writeFileSync(path, f.code);
    return path;
  });
  const program = ts.createProgram(paths, {
    strict: true, noEmit: true, allowJs: true, checkJs: true, skipLibCheck: false,
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib, types: ['node'], typeRoots: [join(sdk, 'node_modules/@types')],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? paths.indexOf(d.file.fileName) : -1;
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (where < 0) return `${d.file?.fileName ?? ''}: ${text}`;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `README.md line ${files[where].line + line}: ${text}`;
  });
}

test('the README has code blocks to check', () => {
  assert.ok(blocks.length >= 4, `${blocks.length} blocks`);
});

test('every README code block compiles under tsc --strict in a browser project', () => {
  assert.deepEqual(typeCheck('readme-browser', blocks, ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts']), []);
});

test('the README blocks without DOM code compile in a Node-only project (no DOM types, skipLibCheck off)', () => {
  const node = blocks.filter((b) => !/document|fetch\(/.test(b.code));
  assert.ok(node.length >= 2);
  assert.deepEqual(typeCheck('readme-node', node, ['lib.es2022.d.ts']), []);
});
