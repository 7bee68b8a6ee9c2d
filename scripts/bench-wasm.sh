#!/usr/bin/env bash
# WebAssembly figures (issue 4), side by side in one run on this machine; figures, not pass/fail:
#   1. training speed and scoring of the image presets: CA3 native, CA3 wasm (SIMD + threads;
#      SIMD single-thread) under node, and the same architecture in PyTorch (Debian python3-torch),
#      2 threads, real Fashion-MNIST images (tests/benchmarks/model_speed_benchmark.cpp and
#      torch_e2e.py: median samples/s of one training step; images/s scoring one batch; median
#      latency of scoring one image; the GFLOP/s of a training step against the practical peak,
#      a 1024x1024x1024 matmul through the same kernels and threads);
#   2. scoring through the SDK in Node (a worker, as a page uses it): sdk/bench/scoring.mjs;
#   3. payload: gzip -9 size of each file a page downloads.
#
#   scripts/bench-wasm.sh [steps]      (about 6 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
steps=${1:-10}
scripts/setup.sh --baselines
for preset in native-release wasm-threads wasm-single; do
  cmake --preset "$preset" >/dev/null
  cmake --build "build/$preset" --target model_speed_benchmark >/dev/null
done
cmake --build build/wasm-threads --target ca3_module >/dev/null
cmake --build build/wasm-single --target ca3_module >/dev/null
(cd sdk && npm ci --no-audit --no-fund --loglevel=error && node scripts/build.mjs >/dev/null)

row() {  # row LABEL JSON
  /usr/bin/python3 -c "import json,sys; r=json.loads(sys.argv[2]); \
g=(f\"{r['train_gflops']:.1f} of {r['peak_gflops']:.1f} ({100*r['share_of_peak']:.0f}%)\" if 'train_gflops' in r else '–'); \
print(f\"| {sys.argv[1]} | {r['train_samples_per_second']:.1f} | {g} | {r['score_images_per_second']:.0f} | {r['score_one_image_ms']:.3f} |\")" "$1" "$2"
}
echo "=== 1. image presets, 2 threads, median of $steps training steps (batch = the preset's)"
for preset in fashion-mnist fashion-mnist-small; do
  echo
  echo "preset $preset"
  echo "| engine | training samples/s | training GFLOP/s of the practical peak (a 1024³ matmul, same threads) | scoring images/s (one batch) | one image (ms) |"
  echo "|---|---|---|---|---|"
  json=models/presets/$preset.json
  native=$(build/native-release/tests/model_speed_benchmark "$json" 2 "$steps" | sed -n 's/^RESULT //p')
  row "CA3 native" "$native"
  for build in threads single; do
    r=$(CA3_FASHION_MNIST_DIR="$PWD/build/wasm-$build/data/fashion-mnist" \
      node tests/wasm/run.mjs "build/wasm-$build/tests/model_speed_benchmark.js" "$json" 2 "$steps" | sed -n 's/^RESULT //p')
    row "CA3 wasm $build" "$r"
    eval "wasm_$build='$r'"
  done
  torch=$(/usr/bin/python3 tests/benchmarks/torch_e2e.py "$json" 2 "$steps" | sed -n 's/^RESULT //p')
  row "PyTorch $(/usr/bin/python3 -c "import json,sys; print(json.loads(sys.argv[1])['torch'])" "$torch")" "$torch"
  /usr/bin/python3 -c "import json,sys; n,w,t=(json.loads(a) for a in sys.argv[1:]); \
print(f\"wasm threads / native training: {w['train_samples_per_second']/n['train_samples_per_second']:.2f}x; \
wasm threads / PyTorch training: {w['train_samples_per_second']/t['train_samples_per_second']:.2f}x\")" \
    "$native" "$wasm_threads" "$torch"
done

echo
echo "=== 2. scoring through the SDK (Node worker_threads)"
(cd sdk && node bench/scoring.mjs)

echo
echo "=== 3. payload (gzip -9)"
echo "| file | bytes | gzip bytes |"
echo "|---|---|---|"
total_threads=0
total_single=0
for f in sdk/wasm/ca3-threads.wasm sdk/wasm/ca3-threads.js sdk/wasm/ca3-threads.worker.js \
         sdk/wasm/ca3-single.wasm sdk/wasm/ca3-single.js sdk/dist/browser.js sdk/dist/worker.js; do
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  echo "| $f | $raw | $gz |"
  case $f in
    *threads*) total_threads=$((total_threads + gz)) ;;
    *single*) total_single=$((total_single + gz)) ;;
    *) total_threads=$((total_threads + gz)); total_single=$((total_single + gz)) ;;
  esac
done
echo "what a page downloads, gzip: threaded build $total_threads bytes; single-thread build $total_single bytes"
