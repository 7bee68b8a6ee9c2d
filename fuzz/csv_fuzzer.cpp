// libFuzzer target: the CSV parser, its write -> parse round trip, the column summary and tabular preprocessing.
// The body is in targets.cpp (shared with the regression test).
#include "fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ca3::fuzz::csv(data, size);
  return 0;
}
