#include "core/anomaly/data/idx.h"

#include <fstream>
#include <iterator>

#include "core/engine/error.h"

#ifdef CA3_HAVE_ZLIB
#include <zlib.h>
#endif

namespace ca3 {

namespace {

uint32_t big_endian_u32(const std::vector<uint8_t>& b, size_t offset) {
  return (uint32_t(b[offset]) << 24) | (uint32_t(b[offset + 1]) << 16) | (uint32_t(b[offset + 2]) << 8) |
         uint32_t(b[offset + 3]);
}

// Checks the header and returns the dimensions.
std::vector<int64_t> idx_dimensions(const std::vector<uint8_t>& bytes, const std::string& name, int expected_rank) {
  CA3_CHECK(bytes.size() >= 4, name, ": not an IDX file (", bytes.size(), " bytes, too short for a header)");
  CA3_CHECK(bytes[0] == 0 && bytes[1] == 0, name, ": not an IDX file (bad magic number)");
  CA3_CHECK(bytes[2] == 0x08, name, ": IDX data type 0x", std::hex, int(bytes[2]), " is not unsigned byte");
  const int rank = bytes[3];
  CA3_CHECK(rank == expected_rank, name, ": IDX file has ", rank, " dimensions, expected ", expected_rank);
  CA3_CHECK(bytes.size() >= size_t(4 + 4 * rank), name, ": IDX header truncated");
  std::vector<int64_t> dims;
  int64_t total = 1;
  for (int i = 0; i < rank; ++i) {
    dims.push_back(big_endian_u32(bytes, size_t(4 + 4 * i)));
    CA3_CHECK(dims.back() > 0 && dims.back() < (int64_t(1) << 31), name, ": IDX dimension ", i, " is ", dims.back());
    CA3_CHECK(dims.back() < ((int64_t(1) << 34) / total), name, ": IDX file claims too many values");
    total *= dims.back();
  }
  const size_t needed = size_t(4 + 4 * rank + total);
  CA3_CHECK(bytes.size() >= needed, name, ": IDX file truncated (", bytes.size(), " bytes, header says ", needed, ")");
  return dims;
}

}  // namespace

IdxImages parse_idx_images(const std::vector<uint8_t>& bytes, const std::string& name, int64_t limit) {
  const auto dims = idx_dimensions(bytes, name, 3);
  IdxImages out;
  out.count = (limit > 0 && limit < dims[0]) ? limit : dims[0];
  out.height = dims[1];
  out.width = dims[2];
  out.pixels = Tensor({out.count, out.height, out.width, 1});
  float* p = out.pixels.mutable_data();
  const uint8_t* src = bytes.data() + 16;
  for (int64_t i = 0; i < out.pixels.numel(); ++i) p[i] = float(src[i]) / 255.f;
  return out;
}

std::vector<int> parse_idx_labels(const std::vector<uint8_t>& bytes, const std::string& name, int64_t limit) {
  const auto dims = idx_dimensions(bytes, name, 1);
  const int64_t count = (limit > 0 && limit < dims[0]) ? limit : dims[0];
  return std::vector<int>(bytes.begin() + 8, bytes.begin() + 8 + count);
}

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  CA3_CHECK(in.good(), path, ": cannot open file");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) {
#ifdef CA3_HAVE_ZLIB
    z_stream stream{};
    CA3_CHECK(inflateInit2(&stream, 16 + MAX_WBITS) == Z_OK, path, ": cannot start gzip decompression");
    std::vector<uint8_t> out;
    uint8_t chunk[1 << 16];
    stream.next_in = bytes.data();
    stream.avail_in = uInt(bytes.size());
    int status = Z_OK;
    while (status != Z_STREAM_END) {
      stream.next_out = chunk;
      stream.avail_out = sizeof(chunk);
      status = inflate(&stream, Z_NO_FLUSH);
      if (status != Z_OK && status != Z_STREAM_END) {
        inflateEnd(&stream);
        throw Error(path + ": corrupt gzip data");
      }
      out.insert(out.end(), chunk, chunk + (sizeof(chunk) - stream.avail_out));
      if (status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) {
        inflateEnd(&stream);
        throw Error(path + ": gzip data truncated");
      }
    }
    inflateEnd(&stream);
    return out;
#else
    throw Error(path + ": gzip-compressed; decompress it first (this build has no zlib)");
#endif
  }
  return bytes;
}

IdxImages read_idx_images(const std::string& path, int64_t limit) {
  return parse_idx_images(read_file_bytes(path), path, limit);
}


std::vector<int> read_idx_labels(const std::string& path, int64_t limit) {
  return parse_idx_labels(read_file_bytes(path), path, limit);
}

}  // namespace ca3
