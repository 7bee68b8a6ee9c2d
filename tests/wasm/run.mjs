// Runs an Emscripten-built test or benchmark under node:
//   node tests/wasm/run.mjs build/wasm-threads/tests/kernels_test.js [args...]
// Emscripten 3.1.6's loader cannot fetch() a file path under node 20, so the .wasm bytes are
// passed in; the environment (CA3_*) is copied into the module's ENV; the exit code is kept.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node run.mjs MODULE.js [args...]');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const jsPath = path.resolve(script);
const createModule = require(jsPath);
const wasmBinary = readFileSync(jsPath.replace(/\.js$/, '.wasm'));
createModule({
  wasmBinary,
  arguments: args,
  preRun: [(module) => {
    for (const [key, value] of Object.entries(process.env)) {
      if (key.startsWith('CA3_') || key.startsWith('GTEST_')) module.ENV[key] = value;
    }
  }],
  quit: (status) => process.exit(status),
}).catch((error) => {
  console.error(error);
  process.exit(1);
});
