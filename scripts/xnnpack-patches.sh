# The four patches that make Debian's XNNPACK 0.0~git20241108 build for WebAssembly with
# emscripten 3.1.6 (see ../shared/BUILDING-XNNPACK.md). Idempotent; harmless for native builds.
# Sourced by xnnpack.sh; its content is part of the build cache key.

# apply_xnnpack_patches XNNPACK_SOURCE_DIR PTHREADPOOL_SOURCE_DIR
apply_xnnpack_patches() {
  local xnn=$1 ptp=$2
  # patch 1: accept CMAKE_SYSTEM_NAME Emscripten
  grep -q 'QURT|Emscripten' "$xnn/CMakeLists.txt" ||
    sed -i 's/\^(Android|Darwin|iOS|Linux|Windows|CYGWIN|MSYS|QURT)\$/^(Android|Darwin|iOS|Linux|Windows|CYGWIN|MSYS|QURT|Emscripten)$/' "$xnn/CMakeLists.txt"
  # patch 2: add the wasm + wasmsimd production kernels (upstream builds wasm with Bazel only)
  grep -q 'PROD_WASMSIMD_MICROKERNEL_SRCS})  # ca3' "$xnn/CMakeLists.txt" ||
    sed -i 's/^SET(ALL_MICROKERNEL_SRCS /IF(XNNPACK_TARGET_PROCESSOR MATCHES "^wasm")\n  LIST(APPEND PROD_MICROKERNEL_SRCS ${PROD_WASM_MICROKERNEL_SRCS})\n  LIST(APPEND PROD_MICROKERNEL_SRCS ${PROD_WASMSIMD_MICROKERNEL_SRCS})  # ca3\nENDIF()\nSET(ALL_MICROKERNEL_SRCS /' "$xnn/CMakeLists.txt"
  # patch 3: wasmsimd vcvt kernels include <arm_neon.h>; emscripten needs <wasm_simd128.h>
  grep -l '#include <arm_neon.h>' "$xnn"/src/*/gen/*wasmsimd*.c 2>/dev/null | while read -r f; do
    sed -i 's/#include <arm_neon.h>/#include <wasm_simd128.h>/' "$f"; done
  # patch 4: pthreadpool: real pthreads implementation under -pthread, _GNU_SOURCE for Emscripten
  grep -q 'IF(EMSCRIPTEN AND NOT CA3_PTHREADPOOL_THREADS)' "$ptp/CMakeLists.txt" ||
    sed -i 's/^IF(EMSCRIPTEN)$/IF(EMSCRIPTEN AND NOT CA3_PTHREADPOOL_THREADS)/' "$ptp/CMakeLists.txt"
  grep -q 'MATCHES "^(Linux|Emscripten)$"' "$ptp/CMakeLists.txt" ||
    sed -i 's/^IF(CMAKE_SYSTEM_NAME STREQUAL "Linux")$/IF(CMAKE_SYSTEM_NAME MATCHES "^(Linux|Emscripten)$")/' "$ptp/CMakeLists.txt"
}
