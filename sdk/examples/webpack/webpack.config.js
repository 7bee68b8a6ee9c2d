// A plain webpack 5 setup: ca3-sdk needs nothing here (its worker and wasm files are found by
// webpack through `new URL(..., import.meta.url)` and emitted as assets).
const path = require('node:path');
module.exports = {
  entry: './src/main.js',
  output: { path: path.resolve(__dirname, 'dist'), filename: 'main.js', clean: true },
  experiments: { topLevelAwait: true },
};
