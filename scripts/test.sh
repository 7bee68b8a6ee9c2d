#!/usr/bin/env bash
# All of CA3's tests: installs what is missing, builds XNNPACK once per target (cached in
# ~/.cache/ca3), then builds and runs the GoogleTest suites natively (Release, then
# AddressSanitizer + UndefinedBehaviorSanitizer) and compiled to WebAssembly under node
# (SIMD + threads, SIMD single-thread); then builds the wasm module and the TypeScript SDK
# (npm packages from the registry) and runs the SDK's tests under node, then builds the demo
# page and tests it in Debian's Chromium (playwright-core).
#
#   scripts/test.sh [native-release|native-asan|wasm-threads|wasm-single|sdk|web]...
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}

scripts/setup.sh

run_preset() {
  local preset=$1
  echo "=== $preset ==="
  cmake --preset "$preset" >/dev/null
  # Natively everything (the benchmarks included); in WebAssembly the suites and the module (the
  # benchmarks' links take minutes there, and scripts/bench*.sh build them when run).
  case $preset in
    wasm-*) cmake --build --preset "$preset" --target ca3_tests ca3_module ;;
    *) cmake --build --preset "$preset" ;;
  esac
  # Under the sanitizers the suites take ~20 minutes one after another: two at a time (the longest
  # first, tests/CMakeLists.txt's COST), each given longer.
  if [ "$preset" = native-asan ]; then
    ctest --preset "$preset" --timeout 1800 --parallel 2
  else
    ctest --preset "$preset" --timeout 1200
  fi
}

# The wasm module in both builds, the native CLI (the SDK tests compare scores with it), the SDK.
sdk_built=
build_sdk() {
  [ -n "$sdk_built" ] && return
  for preset in native-release wasm-threads wasm-single; do cmake --preset "$preset" >/dev/null; done
  cmake --build build/native-release --target ca3
  cmake --build build/wasm-threads --target ca3_module
  cmake --build build/wasm-single --target ca3_module
  (cd sdk && npm ci --no-audit --no-fund --loglevel=error && node scripts/build.mjs)
  sdk_built=1
}
run_sdk() {
  echo "=== sdk ==="
  build_sdk
  (cd sdk && CA3_CLI="$PWD/../build/native-release/ca3" npm test)
}
# The demo page in Debian's Chromium (Playwright), with and without cross-origin isolation.
run_web() {
  echo "=== web ==="
  build_sdk
  (cd web && npm ci --no-audit --no-fund --loglevel=error && node build.mjs && npm test)
}

presets=(native-release native-asan wasm-threads wasm-single sdk web)
if [ $# -gt 0 ]; then presets=("$@"); fi
for preset in "${presets[@]}"; do
  case $preset in
    sdk) run_sdk ;;
    web) run_web ;;
    *) run_preset "$preset" ;;
  esac
done
echo "=== all test presets passed: ${presets[*]} ==="
