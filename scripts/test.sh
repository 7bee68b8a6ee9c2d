#!/usr/bin/env bash
# All of CA3's tests: installs what is missing, builds XNNPACK once per target (cached in
# ~/.cache/ca3), then builds and runs the GoogleTest suites natively (Release, then
# AddressSanitizer + UndefinedBehaviorSanitizer) and compiled to WebAssembly under node
# (SIMD + threads, SIMD single-thread); then builds the wasm module and the TypeScript SDK
# (npm packages from the registry) and runs the SDK's tests under node.
#
#   scripts/test.sh [native-release|native-asan|wasm-threads|wasm-single|sdk]...
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}

scripts/setup.sh

run_preset() {
  local preset=$1
  echo "=== $preset ==="
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  ctest --preset "$preset" --timeout 1200
}

# The SDK: the wasm module in both builds + the native CLI (the tests compare scores with it).
run_sdk() {
  echo "=== sdk ==="
  for preset in native-release wasm-threads wasm-single; do cmake --preset "$preset" >/dev/null; done
  cmake --build build/native-release --target ca3
  cmake --build build/wasm-threads --target ca3_module
  cmake --build build/wasm-single --target ca3_module
  (
    cd sdk
    npm ci --no-audit --no-fund --loglevel=error
    node scripts/build.mjs
    CA3_CLI="$PWD/../build/native-release/ca3" npm test
  )
}

presets=(native-release native-asan wasm-threads wasm-single sdk)
if [ $# -gt 0 ]; then presets=("$@"); fi
for preset in "${presets[@]}"; do
  if [ "$preset" = sdk ]; then run_sdk; else run_preset "$preset"; fi
done
echo "=== all test presets passed: ${presets[*]} ==="
