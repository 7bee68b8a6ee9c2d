#!/usr/bin/env bash
# The main job: installs what is missing (apt and npm packages, XNNPACK from Debian sources,
# cached in ~/.cache/ca3), builds the WebAssembly module (SIMD + threads; SIMD single-thread),
# the TypeScript SDK and the demo page (web/dist: static files only), then serves web/dist on
# 127.0.0.1 with the cross-origin isolation headers (threaded build) and prints the URL.
# Ctrl-C stops the server.
#
#   scripts/run.sh [--port 8080] [--no-isolation]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
scripts/setup.sh
for preset in wasm-threads wasm-single; do
  cmake --preset "$preset" >/dev/null
  cmake --build "build/$preset" --target ca3_module
done
(cd sdk && npm ci --no-audit --no-fund --loglevel=error && node scripts/build.mjs)
(cd web && npm ci --no-audit --no-fund --loglevel=error && node build.mjs)
exec node web/serve.mjs "$@"
