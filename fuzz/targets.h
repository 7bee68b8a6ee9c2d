// The fuzzing targets' bodies, shared by the libFuzzer executables (fuzz/*_fuzzer.cpp) and the
// regression test that replays every input the fuzzers ever found (tests/fuzz_regressions_test.cpp).
// Each returns normally when the input is accepted or rejected with a ca3::Error (a clear
// message); anything else -- another exception, a broken invariant, a sanitizer report -- aborts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ca3::fuzz {

// The message of the ca3::Error the input was rejected with, or "" when it was accepted.
std::string csv(const uint8_t* data, size_t size);         // parse, write + parse round trip, preprocessing
std::string idx(const uint8_t* data, size_t size);         // IDX images, then labels
std::string image(const uint8_t* data, size_t size);       // PNG / JPEG / BMP / GIF decoding
std::string model_file(const uint8_t* data, size_t size);  // Detector::load + scoring (length and CRC fixed up
                                                           // for odd first bytes, see model_file_fuzzer.cpp)

}  // namespace ca3::fuzz
