#!/usr/bin/env bash
# Builds XNNPACK (+ pthreadpool, cpuinfo) for one target and prints the install prefix.
#
#   scripts/xnnpack.sh native|wasm-threads|wasm-single
#
# Sources are Debian's orig tarballs (see ../shared/BUILDING-XNNPACK.md): taken from
# ../shared/deps/ when present, otherwise fetched with apt's source client; sha256 verified
# either way. The built libraries live outside the clone, in
#   ${CA3_CACHE_DIR:-$HOME/.cache/ca3}/xnnpack/<target>-<key>/{lib,include}
# where <key> hashes the tarball sums, this script (which holds the patches), the compiler
# version and the flags, so a second run reuses them. Progress goes to stderr; stdout is only
# the prefix.
set -euo pipefail

target=${1:?usage: xnnpack.sh native|wasm-threads|wasm-single}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
cache=${CA3_CACHE_DIR:-$HOME/.cache/ca3}
source "$here/xnnpack-patches.sh"
log() { printf '[xnnpack] %s\n' "$*" >&2; }

# package  version-in-pool  orig tarball sha256
packages=(
  "xnnpack 0.0~git20241108.4ea82e5-2 90bde2caef0f880f627bab0dc805a86c4b8070cd98e3243db3046ab3f3be1a99"
  "pthreadpool 0.0~git20240616.560c60d-1 4cc3cbd933b28131d2a34edc54f76af9fb41bc490af5eae1a5bd3cd07ea90708"
  "cpuinfo 0.0~git20250905.877328f-1 557ca404a3836b9f335a3a06b65ff9fe9dbaaefab7fb5c0185f53d9f33615a10"
  "fxdiv 0.0~git20200417.b408327-4 7953482badaf4cb34026c3487c257b8e4ab2df061c019bd6fabbbc12ad52c44b"
)
tarball_name() { local v=${2%-*}; echo "${1}_${v}.orig.tar.xz"; }

# ---- 1. tarballs: shared/deps, the cache, or apt-get source (verified) ----------------------
tarballs=$cache/tarballs
mkdir -p "$tarballs"
missing=()
for entry in "${packages[@]}"; do
  read -r name version sum <<<"$entry"
  file=$(tarball_name "$name" "$version")
  for dir in "$repo/../shared/deps" "${CA3_DEPS_DIR:-/nonexistent}"; do
    if [ ! -f "$tarballs/$file" ] && [ -f "$dir/$file" ]; then cp "$dir/$file" "$tarballs/$file"; fi
  done
  if [ ! -f "$tarballs/$file" ]; then missing+=("$name=$version"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
  log "downloading ${missing[*]} with apt-get source (Debian trixie/sid source pool)"
  src_list=/etc/apt/sources.list.d/ca3-xnnpack-src.sources
  first_stanza=$(awk 'BEGIN{RS="";} NR==1{print; exit}' /etc/apt/sources.list.d/debian.sources)
  printf '%s\n' "$first_stanza" | sed -e 's/^Types:.*/Types: deb-src/' -e 's/^Suites:.*/Suites: trixie sid/' \
    -e '/^Components:/s/.*/Components: main/' >"$src_list"
  trap 'rm -f "$src_list"; apt-get update -qq >/dev/null 2>&1 || true' EXIT
  apt-get update -qq >&2
  # Only the .orig tarball is served; the .dsc and .debian.tar.xz 404 (expected).
  (cd "$tarballs" && for p in "${missing[@]}"; do apt-get source -qq --download-only "$p" >/dev/null 2>&1 || true; done)
  rm -f "$src_list" "$tarballs"/*.dsc "$tarballs"/*.debian.tar.* 
  apt-get update -qq >&2 || true
  trap - EXIT
fi
for entry in "${packages[@]}"; do
  read -r name version sum <<<"$entry"
  file=$(tarball_name "$name" "$version")
  [ -f "$tarballs/$file" ] || { echo "error: could not obtain $file" >&2; exit 1; }
  echo "$sum  $tarballs/$file" | sha256sum --check --quiet - >&2 ||
    { echo "error: sha256 mismatch for $file (expected $sum)" >&2; rm -f "$tarballs/$file"; exit 1; }
done

cmake_options=(
  -G Ninja -DCMAKE_BUILD_TYPE=Release
  -DXNNPACK_BUILD_TESTS=OFF -DXNNPACK_BUILD_BENCHMARKS=OFF -DXNNPACK_BUILD_ALL_MICROKERNELS=OFF
  -DXNNPACK_LIBRARY_TYPE=static -DXNNPACK_USE_SYSTEM_LIBS=OFF
  -DCMAKE_POSITION_INDEPENDENT_CODE=ON
)
# x86 kernel families left out to save build time. Natively AVX-512F and SKX stay in: XNNPACK picks
# its 7x32 AVX-512 GEMM kernels at run time where the CPU has them (Intel since Skylake-SP, AMD since
# Zen 4) and the AVX2/FMA ones elsewhere; on a Zen 5 core they train the authors' preset 2.2x and
# score it 3.8x faster than the AVX2 ones (README, Kernels).
for opt in AVX512AMX AVX512FP16 AVXVNNI AVXVNNIINT8 AVX256SKX AVX256VNNI AVX256VNNIGFNI AVX512F AVX512SKX AVX512VBMI AVX512VNNI AVX512VNNIGFNI; do
  case "$target:$opt" in native:AVX512F|native:AVX512SKX) continue ;; esac
  cmake_options+=("-DXNNPACK_ENABLE_$opt=OFF")
done

# ---- 2. the key -------------------------------------------------------------------------------
case "$target" in
  native)
    cc=${CC:-cc}; cxx=${CXX:-c++}
    compiler_id="$($cc --version | head -1) / $($cxx --version | head -1)"
    flags="-O2"
    ;;
  wasm-threads|wasm-single)
    export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
    # emcc occasionally fails its first call (sanity checks, cache lock): retry, then say so.
    compiler_id=""
    for attempt in 1 2 3; do
      if version_text=$(emcc --version 2>/dev/null); then compiler_id=$(head -1 <<<"$version_text"); break; fi
      sleep 2
    done
    [ -n "$compiler_id" ] || { echo "error: 'emcc --version' failed three times; is emscripten installed?" >&2; exit 1; }
    flags="-O2 -msimd128"
    if [ "$target" = wasm-threads ]; then flags="$flags -pthread"; fi
    ;;
  *) echo "error: unknown target '$target' (native, wasm-threads, wasm-single)" >&2; exit 2 ;;
esac
key=$( { for e in "${packages[@]}"; do echo "$e"; done; sha256sum <"$here/xnnpack-patches.sh"; echo "$compiler_id"; echo "$flags"; echo "${cmake_options[*]}"; } | sha256sum | cut -c1-16)
prefix=$cache/xnnpack/$target-$key
if [ -f "$prefix/.complete" ]; then echo "$prefix"; exit 0; fi

# ---- 3. extract + patch (idempotent) ------------------------------------------------------------
src=$cache/xnnpack/src-$key-$target
rm -rf "$src"; mkdir -p "$src/xnnpack"
for entry in "${packages[@]}"; do
  read -r name version sum <<<"$entry"
  if [ "$name" = xnnpack ]; then tar -xf "$tarballs/$(tarball_name "$name" "$version")" -C "$src/xnnpack"
  else tar -xf "$tarballs/$(tarball_name "$name" "$version")" -C "$src"; fi
done
xnn=$src/xnnpack
ptp=$(echo "$src"/pthreadpool-*)
cpuinfo=$(echo "$src"/cpuinfo-*)
fxdiv=$(echo "$src"/fxdiv-*)

apply_xnnpack_patches "$xnn" "$ptp"

# ---- 4. configure + build + install -----------------------------------------------------------
build=$src/build
log "building XNNPACK for $target (takes a few minutes once; cached in $prefix)"
configure=(cmake)
extra=()
case "$target" in
  wasm-*) configure=(emcmake cmake); extra+=(-DEMSCRIPTEN_SYSTEM_PROCESSOR=wasm) ;;
esac
if [ "$target" = wasm-threads ]; then extra+=(-DCA3_PTHREADPOOL_THREADS=ON); fi
"${configure[@]}" -S "$xnn" -B "$build" "${cmake_options[@]}" "${extra[@]}" \
  -DCPUINFO_SOURCE_DIR="$cpuinfo" -DPTHREADPOOL_SOURCE_DIR="$ptp" -DFXDIV_SOURCE_DIR="$fxdiv" \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" >&2
cmake --build "$build" --target XNNPACK -j "$(nproc)" >&2
rm -rf "$prefix"; mkdir -p "$prefix/lib" "$prefix/include"
for lib in libXNNPACK.a libmicrokernels-prod.a libpthreadpool.a libcpuinfo.a; do
  found=$(find "$build" -name "$lib" | head -1)
  if [ -n "$found" ]; then cp "$found" "$prefix/lib/"; fi
done
[ -f "$prefix/lib/libXNNPACK.a" ] || { echo "error: libXNNPACK.a was not built" >&2; exit 1; }
cp "$xnn/include/xnnpack.h" "$xnn/include/experiments-config.h" "$prefix/include/" 2>/dev/null || cp "$xnn/include/xnnpack.h" "$prefix/include/"
cp "$ptp/include/pthreadpool.h" "$prefix/include/"
touch "$prefix/.complete"
rm -rf "$src"
log "done: $prefix"
echo "$prefix"
