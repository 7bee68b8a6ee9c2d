#!/usr/bin/env bash
# All of CA3's tests: installs what is missing, builds XNNPACK once per target (cached in
# ~/.cache/ca3), then builds and runs the GoogleTest suites natively (Release, then
# AddressSanitizer + UndefinedBehaviorSanitizer) and compiled to WebAssembly under node
# (SIMD + threads, SIMD single-thread).
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

presets=(native-release native-asan wasm-threads wasm-single)
if [ $# -gt 0 ]; then presets=("$@"); fi
for preset in "${presets[@]}"; do run_preset "$preset"; done
echo "=== all test presets passed: ${presets[*]} ==="
