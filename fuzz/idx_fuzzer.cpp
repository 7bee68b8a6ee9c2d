// libFuzzer target: the IDX reader (images, then labels, from the same bytes).
// The body is in targets.cpp (shared with the regression test).
#include "fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ca3::fuzz::idx(data, size);
  return 0;
}
