// libFuzzer target: the image decoder path (PNG / JPEG / BMP / GIF via stb_image).
// The body is in targets.cpp (shared with the regression test).
#include "fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ca3::fuzz::image(data, size);
  return 0;
}
