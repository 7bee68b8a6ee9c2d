#!/usr/bin/env bash
# Engine benchmark, side by side in one run: conv-kernel GFLOP/s and autoencoder training
# samples/s natively (XNNPACK, 2 threads), in WebAssembly under node (SIMD + 2 threads; SIMD
# single-thread) and in PyTorch (Debian python3-torch, 2 threads). Figures, not pass/fail.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
scripts/setup.sh --baselines
steps=${CA3_BENCH_STEPS:-20}
for preset in native-release wasm-threads wasm-single; do
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" --target conv_benchmark >/dev/null
done
out=$(mktemp -d)
echo "--- native (XNNPACK, 2 threads)"
build/native-release/tests/conv_benchmark --threads 2 --steps "$steps" | tee "$out/native"
echo "--- wasm SIMD + threads (node, 2 threads)"
node tests/wasm/run.mjs build/wasm-threads/tests/conv_benchmark.js --threads 2 --steps "$steps" | tee "$out/wasm-threads"
echo "--- wasm SIMD single-thread (node)"
node tests/wasm/run.mjs build/wasm-single/tests/conv_benchmark.js --threads 1 --steps "$steps" | tee "$out/wasm-single"
echo "--- PyTorch (2 threads)"
/usr/bin/python3 tests/benchmarks/torch_autoencoder.py 2 "$steps" | tee "$out/torch"
/usr/bin/python3 - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
r = {k: json.loads(next(l for l in open(os.path.join(d, k)) if l.startswith("RESULT "))[7:])
     for k in ("native", "wasm-threads", "wasm-single", "torch")}
torch = r["torch"]["train_samples_per_second"]
print("\n=== summary: autoencoder training step, batch 128 (median) ===")
print(f"{'build':<28}{'samples/s':>12}{'vs PyTorch':>12}{'conv GFLOP/s':>14}")
for k, name in (("native", "CA3 native, 2 threads"), ("wasm-threads", "CA3 wasm, 2 threads"),
                ("wasm-single", "CA3 wasm, 1 thread")):
    s = r[k]["train_samples_per_second"]
    print(f"{name:<28}{s:>12.0f}{s / torch:>11.2f}x{r[k]['conv_gflops']:>14.2f}")
print(f"{'PyTorch, 2 threads':<28}{torch:>12.0f}{1.0:>11.2f}x{'':>14}")
print("goals: native >= 3x PyTorch; wasm >= 1x PyTorch native")
PY
rm -rf "$out"
