#!/usr/bin/env bash
# What threads buy, on an idle machine and on a busy one (issue 19); figures, not pass/fail.
# One training step of a preset (median samples/s, tests/benchmarks/model_speed_benchmark.cpp)
# natively and in WebAssembly under node: 1 thread, and 2 threads whose pool either sleeps
# between ops (the default) or spins (pthreadpool's default: up to a million pause instructions);
# first on the idle machine, then with one busy loop per core but one running beside it (a
# laptop doing something else, the normal case).
#
#   scripts/bench-threads.sh [preset] [steps]     (about 2 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
preset=${1:-fashion-mnist-small}
steps=${2:-10}
scripts/setup.sh
for build in native-release wasm-threads wasm-single; do
  cmake --preset "$build" >/dev/null
  cmake --build "build/$build" --target model_speed_benchmark >/dev/null
done
json=models/presets/$preset.json
cores=$(nproc)

run() {  # run BUILD THREADS WAIT -> samples/s
  local out
  if [ "$1" = native-release ]; then
    out=$(build/native-release/tests/model_speed_benchmark "$json" "$2" "$steps" "$3")
  else
    out=$(CA3_FASHION_MNIST_DIR="$PWD/build/$1/data/fashion-mnist" \
      node tests/wasm/run.mjs "build/$1/tests/model_speed_benchmark.js" "$json" "$2" "$steps" "$3")
  fi
  sed -n 's/^RESULT //p' <<<"$out" | /usr/bin/python3 -c "import json,sys; print(f\"{json.load(sys.stdin)['train_samples_per_second']:.1f}\")"
}

busy=()
start_load() { for _ in $(seq 2 "$cores"); do (while :; do :; done) & busy+=($!); done; }
stop_load() { for p in "${busy[@]}"; do kill "$p" 2>/dev/null || true; done; busy=(); }
trap stop_load EXIT

echo "=== $preset: training samples/s, median of $steps steps ($cores cores)"
echo "| machine | build | 1 thread | 2 threads, pool sleeps | 2 threads, pool spins | sleep / 1 thread | spin / 1 thread |"
echo "|---|---|---|---|---|---|---|"
for load in idle busy; do
  [ "$load" = busy ] && start_load
  label=$([ "$load" = idle ] && echo "idle" || echo "$((cores - 1)) of $cores cores busy")
  for build in native-release wasm-threads; do
    one=$(run "$build" 1 sleep)
    [ "$build" = wasm-threads ] && one=$(run wasm-single 1 sleep)  # what a page without threads runs
    sleep_=$(run "$build" 2 sleep)
    spin=$(run "$build" 2 spin)
    /usr/bin/python3 -c "import sys; l,b,o,s,p=sys.argv[1:]; o,s,p=float(o),float(s),float(p); \
print(f'| {l} | {b} | {o:.0f} | {s:.0f} | {p:.0f} | {s/o:.2f}x | {p/o:.2f}x |')" \
      "$label" "$([ "$build" = native-release ] && echo native || echo 'wasm (1 thread: the single build)')" "$one" "$sleep_" "$spin"
  done
  [ "$load" = busy ] && stop_load
done
