// The model file: one versioned binary file, in the spirit of ggml's GGUF, that the native and
// the wasm build read byte for byte (both little-endian):
//
//   offset 0   "CA3MODEL"                  magic, 8 bytes
//          8   u32 format version          3; 4 for a table model whose score counts
//                                          categorical columns (tensors category_rarity and
//                                          category_columns, which builds reading only 3 would
//                                          ignore); 5 for one whose neighbour distance scales
//                                          two-valued columns (also neighbour_scales); 6 for
//                                          one that reads a column on a log scale (a column's
//                                          logScale in the preprocessing); 7 for one whose
//                                          neighbour distance has an offset (score_reference's
//                                          10th value); 8 for one whose
//                                          score weighs its terms otherwise
//                                          (score_reference's 11th and 12th
//                                          values: the rarity's and the
//                                          distance's weights); files of
//                                          versions 1 and 2 came from development builds and are
//                                          refused with a message to retrain
//         12   u32 metadata length M
//         16   u64 file size               the whole file, checksum included
//         24   metadata: M bytes of JSON   preset, variant, preprocessing, schema, threshold and
//                                          the tensor table [{name, shape, offset}]
//          …   zero padding; each tensor's float32 data at a 64-byte aligned offset (so that
//              JavaScript can view it straight from an ArrayBuffer)
//   size-4     u32 CRC-32 of everything before it
//
// A file that is not one, is truncated, corrupt, or of another version is rejected with a
// message saying which (ca3::Error with code unsupported_file).
//
//   std::vector<uint8_t> bytes = write_model_file(metadata, {{"target.encoder0_conv.weight", &tensor}, ...});
//   ModelFileContents contents = read_model_file(bytes.data(), bytes.size());
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/engine/tensor.h"

namespace ca3 {

inline constexpr uint32_t kModelFileVersion = 8;        // the newest version this build writes and reads
inline constexpr uint32_t kOldestModelFileVersion = 3;  // the oldest it reads

struct ModelFileContents {
  uint32_t version = 0;
  nlohmann::json metadata;  // without the tensor table
  std::vector<std::pair<std::string, Tensor>> tensors;
};

std::vector<uint8_t> write_model_file(const nlohmann::json& metadata,
                                      const std::vector<std::pair<std::string, const Tensor*>>& tensors,
                                      uint32_t version = kOldestModelFileVersion);
ModelFileContents read_model_file(const uint8_t* data, size_t size);

std::vector<uint8_t> read_binary_file(const std::string& path);  // throws when unreadable
void write_binary_file(const std::string& path, const std::vector<uint8_t>& bytes);

uint32_t crc32(const uint8_t* data, size_t size);

}  // namespace ca3
