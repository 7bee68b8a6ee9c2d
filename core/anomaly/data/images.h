// Image files (PNG, JPEG, BMP, GIF's first frame; decoded by stb_image from Debian's
// libstb-dev) -> float pixels [H, W, C] in [0, 1], and a folder of images with a labels CSV
// -> a labelled data set. The browser decodes images itself; this is for the command line.
//
//   Image image = decode_image(bytes.data(), bytes.size(), "cat.png");
//   Dataset d = read_image_folder("shirts/", "shirts/labels.csv", "label", {"ok"}, 28, 28, 1);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/anomaly/data/tabular.h"
#include "core/anomaly/dataset.h"

namespace ca3 {

struct Image {
  int64_t height = 0, width = 0, channels = 0;  // channels 1 (grey) or 3 (RGB); alpha is dropped
  std::vector<float> pixels;                    // [height, width, channels] in [0, 1]
};

// Throws naming `name` when the bytes are not a readable image or exceed 8192 x 8192. With a
// model's sample shape {height, width, channels}, an image of another size or channel count is
// rejected from its header, before any pixel is decoded.
Image decode_image(const uint8_t* data, size_t size, const std::string& name, const std::vector<int64_t>& shape = {});
Image read_image_file(const std::string& path);

// The image files (.png .jpg .jpeg .bmp .gif, any case) directly in `folder`, sorted by name.
std::vector<std::string> image_files_in(const std::string& folder);
// Those files of `folder` as [N, height, width, channels]; a file of another size is an error naming it.
Tensor read_images(const std::string& folder, const std::vector<std::string>& files, int64_t height, int64_t width,
                   int64_t channels);

// Every image listed in the labels CSV (column "file": names relative to `folder`; the label
// column per `options`), each of exactly height x width x channels, else an error naming the file.
Dataset read_image_folder(const std::string& folder, const std::string& labels_csv, const TabularOptions& options,
                          int64_t height, int64_t width, int64_t channels, std::vector<std::string>* files = nullptr);

}  // namespace ca3
