#!/usr/bin/env bash
# Fuzzing (libFuzzer, clang from Debian, with AddressSanitizer + UndefinedBehaviorSanitizer):
# runs each target for SECONDS starting from the seed corpus in fuzz/corpus/, and prints the
# executions and what was found. Crashes / leaks / timeouts are written to
# build/fuzz/findings/TARGET/ (every one should become a regression test).
#
#   scripts/fuzz.sh [SECONDS=60] [TARGET...]      targets: csv idx image model_file
# CA3_FUZZ_TIMEOUT (default 20): seconds one input may take before it counts as a finding.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv idx image model_file)
scripts/setup.sh
command -v clang++ >/dev/null || { apt-get install -y -qq clang >/dev/null; }
cmake --preset fuzz >/dev/null
cmake --build build/fuzz --target $(printf '%s_fuzzer ' "${targets[@]}") >/dev/null
for target in "${targets[@]}"; do
  work=build/fuzz/corpus/$target findings=build/fuzz/findings/$target
  mkdir -p "$work" "$findings"
  cp -n fuzz/corpus/"$target"/* "$work"/ 2>/dev/null || true
  log=build/fuzz/$target.log
  status=0
  started=$SECONDS
  ASAN_OPTIONS=detect_leaks=1 build/fuzz/${target}_fuzzer "$work" -max_total_time="$seconds" -timeout="${CA3_FUZZ_TIMEOUT:-20}" \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  corpus=$(ls "$work" | wc -l)
  found=$(ls "$findings" | wc -l)
  echo "$target: ${runs:-?} executions in $((SECONDS - started))s, corpus $corpus inputs, findings $found (exit $status; log $log)"
done
