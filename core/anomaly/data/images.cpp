#include "core/anomaly/data/images.h"


#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <memory>

#define STBI_NO_STDIO
#define STBI_NO_HDR
#define STBI_NO_LINEAR
#define STBI_NO_PSD
#define STBI_NO_TGA
#define STBI_NO_PIC
#define STBI_NO_PNM
#define STBI_MAX_DIMENSIONS 8192
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif
#include <stb/stb_image.h>  // the copy patched by CMakeLists.txt (JPEG Huffman table bound)
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#include "core/anomaly/data/idx.h"
#include "core/engine/error.h"

namespace ca3 {

Image decode_image(const uint8_t* data, size_t size, const std::string& name, const std::vector<int64_t>& shape) {
  CA3_CHECK(size > 0, name, ": the file is empty");
  CA3_CHECK(size < (size_t(1) << 31), name, ": the file is too large for an image");
  int width = 0, height = 0, stored = 0;
  CA3_CHECK_CODE(stbi_info_from_memory(data, int(size), &width, &height, &stored), ErrorCode::unsupported_file,
                 name, ": not an image CA3 can read (PNG, JPEG, BMP or GIF)");
  CA3_CHECK(width > 0 && height > 0 && width <= 8192 && height <= 8192, name, ": image size ", width, "x", height,
            " is out of range (at most 8192x8192)");
  const int channels = stored <= 2 ? 1 : 3;  // drop alpha
  if (!shape.empty()) {
    CA3_CHECK(shape.size() == 3, "an image model's sample shape has 3 dimensions");
    CA3_CHECK(height == shape[0] && width == shape[1], name, ": the image is ", width, "x", height,
              ", the model takes ", shape[1], "x", shape[0]);
    CA3_CHECK(channels == shape[2], name, ": the image has ", channels == 1 ? "1 channel (grey)" : "3 channels (colour)",
              ", the model takes ", shape[2]);
  }
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load_from_memory(data, int(size), &width, &height, &stored, channels), stbi_image_free);
  CA3_CHECK_CODE(pixels, ErrorCode::unsupported_file, name, ": the image data is damaged (", stbi_failure_reason(), ")");
  Image image;
  image.height = height, image.width = width, image.channels = channels;
  image.pixels.resize(size_t(height) * size_t(width) * size_t(channels));
  for (size_t i = 0; i < image.pixels.size(); ++i) image.pixels[i] = float(pixels.get()[i]) / 255.f;
  return image;
}

Image read_image_file(const std::string& path) {
  const std::vector<uint8_t> bytes = read_file_bytes(path);
  return decode_image(bytes.data(), bytes.size(), path);
}

std::vector<std::string> image_files_in(const std::string& folder) {
  namespace fs = std::filesystem;
  std::error_code error;
  CA3_CHECK(fs::is_directory(folder, error), "'", folder, "' is not a folder");
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, error)) {
    std::string extension = entry.path().extension().string();
    for (char& c : extension) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (entry.is_regular_file() && (extension == ".png" || extension == ".jpg" || extension == ".jpeg" ||
                                    extension == ".bmp" || extension == ".gif"))
      names.push_back(entry.path().filename().string());
  }
  CA3_CHECK(!error, "cannot list the folder '", folder, "': ", error.message());
  CA3_CHECK(!names.empty(), "the folder '", folder, "' has no image files (.png, .jpg, .jpeg, .bmp, .gif)");
  std::sort(names.begin(), names.end());
  return names;
}

Tensor read_images(const std::string& folder, const std::vector<std::string>& files, int64_t height, int64_t width,
                   int64_t channels) {
  Tensor images({int64_t(files.size()), height, width, channels});
  float* out = images.mutable_data();
  const size_t per_image = size_t(height * width * channels);
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string path = folder + "/" + files[i];
    const std::vector<uint8_t> bytes = read_file_bytes(path);
    const Image image = decode_image(bytes.data(), bytes.size(), path, {height, width, channels});
    std::memcpy(out + i * per_image, image.pixels.data(), per_image * sizeof(float));
  }
  return images;
}

Dataset read_image_folder(const std::string& folder, const std::string& labels_csv, const TabularOptions& options,
                          int64_t height, int64_t width, int64_t channels, std::vector<std::string>* files) {
  const CsvTable table = read_csv_file(labels_csv);
  const int64_t file_column = table.column_index("file");
  std::vector<std::string> names;
  for (size_t i = 0; i < table.row_count(); ++i) {
    names.emplace_back(table.cell(i, size_t(file_column)));
    CA3_CHECK(!names.back().empty(), labels_csv, " line ", table.row_line(i), ": the file name is empty");
  }
  Dataset d{read_images(folder, names, height, width, channels), tabular_labels(table, options)};
  if (files) *files = names;
  return d;
}

}  // namespace ca3
