// libFuzzer target: the model-file loader and the detector built from it. Most mutations only
// break the checksum, so for inputs whose first byte is odd the target rewrites the length field and
// the CRC-32 trailer: the mutation then reaches the metadata, tensor table and Detector::load.
// The body is in targets.cpp (shared with the regression test).
#include "fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ca3::fuzz::model_file(data, size);
  return 0;
}
