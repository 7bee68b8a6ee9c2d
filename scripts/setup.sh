#!/usr/bin/env bash
# Installs what CA3 needs on Debian 12 (as root, or with sudo): compilers, a compiler cache, CMake, Ninja,
# GoogleTest, Emscripten, node, zlib, Chromium and Firefox ESR (browser tests), Fashion-MNIST; with --baselines also PyTorch and
# scikit-learn for the side-by-side benchmarks (and R's mlbench for their small tables). Installs only what is missing.
#
#   scripts/setup.sh [--baselines]
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache git xz-utils python3
  googletest libgtest-dev nlohmann-json3-dev libstb-dev zlib1g-dev
  emscripten chromium firefox-esr
  dataset-fashion-mnist
)
if [ "${1:-}" = --baselines ]; then packages+=(python3-torch python3-sklearn python3-numpy r-cran-mlbench); fi
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then missing+=("$p"); fi
done
# node and npm: Debian's packages unless the machine already has them (e.g. a NodeSource node,
# which bundles npm and conflicts with Debian's npm package).
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup] installing: ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
