#include "core/anomaly/model_file.h"

#include <array>
#include <bit>
#include <cstring>
#include <fstream>

#include "core/engine/error.h"

namespace ca3 {

static_assert(std::endian::native == std::endian::little, "model files are little-endian");

namespace {

constexpr char kMagic[8] = {'C', 'A', '3', 'M', 'O', 'D', 'E', 'L'};
constexpr size_t kHeaderSize = 24, kAlignment = 64;

size_t align_up(size_t n) { return (n + kAlignment - 1) / kAlignment * kAlignment; }

template <typename T>
void put(std::vector<uint8_t>& out, size_t offset, T value) {
  std::memcpy(out.data() + offset, &value, sizeof(T));
}
template <typename T>
T get(const uint8_t* data, size_t offset) {
  T value;
  std::memcpy(&value, data + offset, sizeof(T));
  return value;
}

}  // namespace

uint32_t crc32(const uint8_t* data, size_t size) {
  static const auto table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) c = table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::vector<uint8_t> write_model_file(const nlohmann::json& metadata,
                                      const std::vector<std::pair<std::string, const Tensor*>>& tensors, uint32_t version) {
  CA3_CHECK(version >= kOldestModelFileVersion && version <= kModelFileVersion, "model file version ", version, " cannot be written");
  // Two passes: the tensor table's offsets depend on the metadata length, which includes them.
  // Offsets are relative to the data section, so one pass over the table suffices.
  nlohmann::json meta = metadata;
  nlohmann::json table = nlohmann::json::array();
  size_t data_size = 0;
  for (const auto& [name, tensor] : tensors) {
    data_size = align_up(data_size);
    table.push_back({{"name", name}, {"shape", tensor->shape()}, {"offset", data_size}});
    data_size += size_t(tensor->numel()) * sizeof(float);
  }
  meta["tensors"] = table;
  // Text that is not UTF-8 (a column name decoded wrongly upstream) is written with U+FFFD in
  // its place rather than failing here.
  const std::string text = meta.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const size_t data_start = align_up(kHeaderSize + text.size());
  const size_t total = data_start + align_up(data_size) + 4;
  std::vector<uint8_t> out(total, 0);
  std::memcpy(out.data(), kMagic, 8);
  put<uint32_t>(out, 8, version);
  put<uint32_t>(out, 12, uint32_t(text.size()));
  put<uint64_t>(out, 16, uint64_t(total));
  std::memcpy(out.data() + kHeaderSize, text.data(), text.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = *tensors[i].second;
    const size_t offset = data_start + table[i]["offset"].get<size_t>();
    if (t.numel() > 0) std::memcpy(out.data() + offset, t.data(), size_t(t.numel()) * sizeof(float));
  }
  put<uint32_t>(out, total - 4, crc32(out.data(), total - 4));
  return out;
}

ModelFileContents read_model_file(const uint8_t* data, size_t size) {
  CA3_CHECK_CODE(size >= 8 && std::memcmp(data, kMagic, 8) == 0, ErrorCode::unsupported_file,
            "not a CA3 model file (it does not start with the bytes CA3MODEL)");
  CA3_CHECK_CODE(size >= kHeaderSize, ErrorCode::unsupported_file, "model file is truncated: ", size, " bytes, not even a header");
  ModelFileContents contents;
  contents.version = get<uint32_t>(data, 8);
  CA3_CHECK_CODE(contents.version <= kModelFileVersion, ErrorCode::unsupported_file, "model file format version ", contents.version,
            " is newer than this CA3 reads (", kModelFileVersion, "): update CA3");
  CA3_CHECK_CODE(contents.version >= 1, ErrorCode::unsupported_file, "model file is corrupt: format version 0");
  CA3_CHECK_CODE(contents.version >= kOldestModelFileVersion, ErrorCode::unsupported_file, "model file format version ", contents.version,
            " was written by a development build of CA3 before the format was fixed at version ", kOldestModelFileVersion,
            ": train the model again (the same data and preset give the same model)");
  const uint32_t metadata_size = get<uint32_t>(data, 12);
  const uint64_t total = get<uint64_t>(data, 16);
  CA3_CHECK_CODE(total >= kHeaderSize + 4, ErrorCode::unsupported_file, "model file is corrupt: its header says ", total, " bytes");
  CA3_CHECK_CODE(size >= total, ErrorCode::unsupported_file, "model file is truncated: ", size, " of ", total, " bytes");
  CA3_CHECK_CODE(size == total, ErrorCode::unsupported_file, "model file is corrupt: ", size - total, " unexpected bytes after its end");
  CA3_CHECK_CODE(crc32(data, size - 4) == get<uint32_t>(data, size - 4), ErrorCode::unsupported_file,
            "model file is corrupt: the checksum does not match its contents");
  CA3_CHECK_CODE(kHeaderSize + uint64_t(metadata_size) <= total - 4, ErrorCode::unsupported_file, "model file is corrupt: metadata runs past the end");
  try {
    contents.metadata = nlohmann::json::parse(data + kHeaderSize, data + kHeaderSize + metadata_size);
  } catch (const nlohmann::json::exception&) {
    throw Error(ErrorCode::unsupported_file, "model file is corrupt: its metadata is not valid JSON");
  }
  CA3_CHECK_CODE(contents.metadata.is_object() && contents.metadata.contains("tensors") &&
                contents.metadata["tensors"].is_array(), ErrorCode::unsupported_file,
            "model file is corrupt: no tensor table");
  const size_t data_start = align_up(kHeaderSize + metadata_size);
  try {
    for (const auto& entry : contents.metadata["tensors"]) {
      const std::string name = entry.at("name").get<std::string>();
      const Shape shape = entry.at("shape").get<Shape>();
      const uint64_t offset = entry.at("offset").get<uint64_t>();
      uint64_t count = 1;
      for (int64_t d : shape) {
        CA3_CHECK_CODE(d >= 0 && d < (int64_t(1) << 32), ErrorCode::unsupported_file, "model file is corrupt: tensor '", name, "' has a bad shape");
        count *= uint64_t(d);
        CA3_CHECK_CODE(count < (uint64_t(1) << 34), ErrorCode::unsupported_file, "model file is corrupt: tensor '", name, "' is too large");
      }
      CA3_CHECK_CODE(offset % 4 == 0 && data_start + offset + count * 4 <= total - 4, ErrorCode::unsupported_file, "model file is corrupt: tensor '",
                name, "' lies outside the file");
      Tensor t(shape);
      if (count > 0) std::memcpy(t.mutable_data(), data + data_start + offset, size_t(count) * 4);
      contents.tensors.emplace_back(name, std::move(t));
    }
  } catch (const nlohmann::json::exception&) {
    throw Error(ErrorCode::unsupported_file, "model file is corrupt: malformed tensor table");
  }
  contents.metadata.erase("tensors");
  return contents;
}

std::vector<uint8_t> read_binary_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  CA3_CHECK(in, "cannot open '", path, "'");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_binary_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  CA3_CHECK(out, "cannot write '", path, "'");
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  CA3_CHECK(out, "writing '", path, "' failed");
}

}  // namespace ca3
