#!/usr/bin/env bash
# Regenerates the demo model files in models/demo/ with the native `ca3` command line, the
# scores they give (models/demo/*.scores.csv) and the model files the tests use as fixtures. The test suite (native and wasm) loads these files
# and must reproduce the scores within 1e-5: model files are portable between the builds.
#
#   scripts/make-demo-models.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cmake --preset native-release >/dev/null
cmake --build --preset native-release --target ca3 >/dev/null
ca3=build/native-release/ca3
mkdir -p models/demo
fm=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
$ca3 train --data data/BreastCancer.csv --label-column Class --normal benign --quiet \
  --out models/demo/breast-cancer.ca3 >/dev/null
$ca3 score --model models/demo/breast-cancer.ca3 --data data/BreastCancer.csv --quiet \
  --out models/demo/breast-cancer.scores.csv
$ca3 train --data "$fm" --normal 0 --preset fashion-mnist-small --limit 6000 --epochs 8 --patience 3 --quiet \
  --out models/demo/fashion-mnist-tshirt.ca3 >/dev/null
$ca3 score --model models/demo/fashion-mnist-tshirt.ca3 --data "$fm" --limit 200 --quiet \
  --out models/demo/fashion-mnist-tshirt.scores.csv

# The test fixtures made the same way: the bad-input table's tiny model, the fuzzers' seed model.
$ca3 train --data data/BreastCancer.csv --label-column Class --normal benign --preset tests/bad-inputs/tiny-tabular.json \
  --quiet --out tests/bad-inputs/tiny-breast-cancer.ca3 >/dev/null
echo '{"kind": "tabular", "model": {"softOrderChannels": 4, "softOrderLength": 4, "encoderChannels": [4], "alarmChannels": [4]}, "training": {"epochs": 1}}' \
  > "${TMPDIR:-/tmp}/ca3-fuzz-seed-preset.json"
$ca3 train --data data/BreastCancer.csv --label-column Class --normal benign --preset "${TMPDIR:-/tmp}/ca3-fuzz-seed-preset.json" \
  --quiet --out fuzz/corpus/model_file/tiny-tabular.ca3 >/dev/null
