// IDX files (the MNIST / Fashion-MNIST format): unsigned-byte tensors with a big-endian header.
// Images become float tensors [N, H, W, 1] scaled to [0, 1]; labels become integers.
// gzip-compressed files (.gz, as Debian's dataset-fashion-mnist ships them) are read when the
// build has zlib (native builds); the browser decompresses before handing bytes over.
//
//   IdxImages images = read_idx_images("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
//   std::vector<int> labels = read_idx_labels(".../train-labels-idx1-ubyte.gz");
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/engine/tensor.h"

namespace ca3 {

struct IdxImages {
  Tensor pixels;  // [N, H, W, 1], values in [0, 1]
  int64_t count = 0, height = 0, width = 0;
};

// `limit` > 0 reads only the first `limit` images / labels.
IdxImages parse_idx_images(const std::vector<uint8_t>& bytes, const std::string& name, int64_t limit = 0);
std::vector<int> parse_idx_labels(const std::vector<uint8_t>& bytes, const std::string& name, int64_t limit = 0);
IdxImages read_idx_images(const std::string& path, int64_t limit = 0);
std::vector<int> read_idx_labels(const std::string& path, int64_t limit = 0);

// The whole file, gunzipped when it starts with the gzip magic.
std::vector<uint8_t> read_file_bytes(const std::string& path);

}  // namespace ca3
