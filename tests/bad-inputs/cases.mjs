// The bad-input table (cases.json next to this file) for the JavaScript layers: the SDK's test
// (sdk/test/bad-inputs.test.mjs) and the page's (web/test/bad-inputs.test.mjs) read the cases
// and make each input's bytes here, the same bytes the C++ and command-line tests make.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const table = JSON.parse(readFileSync(join(repo, 'tests/bad-inputs/cases.json'), 'utf8'));

/** A repository file's bytes. */
export function repoFile(path) {
  return new Uint8Array(readFileSync(join(repo, path)));
}

/** What a layer expects of a case: its own entry in `layers`, else the shared `expect`. */
export function expectationFor(testCase, layer) {
  return testCase.layers?.[layer] ?? testCase.expect;
}

/** Text in one of the encodings cases.json names (windows-1252: Latin-1 letters only). */
function encodeText(text, encoding = 'utf-8') {
  if (encoding === 'utf-8') return new TextEncoder().encode(text);
  const points = Array.from(text, (c) => c.codePointAt(0));
  if (encoding === 'windows-1252') return Uint8Array.from(points);
  if (encoding === 'utf-16le-bom') {
    const out = new Uint8Array(2 + 2 * text.length);
    out.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; ++i) out.set([text.charCodeAt(i) & 255, text.charCodeAt(i) >> 8], 2 + 2 * i);
    return out;
  }
  throw new Error(`unknown encoding ${encoding}`);
}

/** Whether `actual` holds `expected`: every key with a matching value, every list element of
 *  `expected` matching an element of the list, strings starting with '*' contained. */
export function holds(actual, expected) {
  if (Array.isArray(expected))
    return Array.isArray(actual) && expected.every((e) => actual.some((a) => holds(a, e)));
  if (expected && typeof expected === 'object')
    return !!actual && typeof actual === 'object' && Object.entries(expected).every(([k, v]) => k in actual && holds(actual[k], v));
  if (typeof expected === 'string' && expected.startsWith('*')) return typeof actual === 'string' && actual.includes(expected.slice(1));
  return actual === expected;
}

/** The bytes of a case's input, made as cases.json describes. */
export function makeInput(spec) {
  if ('text' in spec) return encodeText(spec.text, spec.encoding);
  if ('hex' in spec) return Uint8Array.from(spec.hex.match(/../g), (h) => parseInt(h, 16));
  if ('file' in spec) return repoFile(spec.file);
  if ('model' in spec) {
    const bytes = repoFile(table.fixtures[spec.model]).slice();
    let out = bytes;
    if ('truncate_to' in spec) out = bytes.slice(0, spec.truncate_to);
    if (spec.flip_byte_at_half) out[Math.floor(out.length / 2)] ^= 1;
    if ('version' in spec) out[8] = spec.version;  // after the 8-byte magic
    return out;
  }
  if ('repeat_rows_of' in spec) {
    const text = readFileSync(join(repo, spec.repeat_rows_of), 'utf8');
    const lines = text.split(/(?<=\n)/);
    const parts = [lines[0]];
    let size = 0;
    for (let i = 0; size < spec.bytes; ++i) {  // whole rows until the data reaches the size
      const row = lines[1 + (i % (lines.length - 1))];
      parts.push(row);
      size += row.length;
    }
    return new TextEncoder().encode(parts.join(''));
  }
  if ('categorical_rows' in spec) {
    const parts = ['colour,shape,Class\n'];
    for (let i = 0; i < spec.categorical_rows; ++i)
      parts.push(`c${i % 64},s${(i * 7) % 61},${i % 7 ? 'benign' : 'malignant'}\n`);
    return new TextEncoder().encode(parts.join(''));
  }
  throw new Error(`unknown input kind: ${JSON.stringify(spec)}`);
}
