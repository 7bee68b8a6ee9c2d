// Writes the seed corpus in fuzz/corpus/ (committed; rerun to regenerate):
//   image/  a Fashion-MNIST image as PNG, JPEG and BMP (stb_image_write), grey and RGB;
//   idx/    the first 3 Fashion-MNIST training images and labels as IDX files;
//   model_file/  a tiny trained tabular model (Breast Cancer, 4-channel preset, 1 epoch);
//   csv/    hand-written edge cases + the first lines of each CSV in data/.
//
//   make_seeds REPO_DIR
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/anomaly/data/csv.h"
#include "core/anomaly/data/idx.h"
#include "core/anomaly/detector.h"
#include "core/anomaly/model_file.h"

namespace fs = std::filesystem;

static void write(const fs::path& path, const void* data, size_t size) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary).write(static_cast<const char*>(data), std::streamsize(size));
}
static void write_text(const fs::path& path, const std::string& text) { write(path, text.data(), text.size()); }
static void append(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<uint8_t>*>(context);
  out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
}

int main(int argc, char** argv) {
  if (argc < 2) return std::fprintf(stderr, "usage: make_seeds REPO_DIR\n"), 2;
  const fs::path repo = argv[1], corpus = repo / "fuzz" / "corpus";
  const std::string fm = "/usr/share/datasets/fashion-mnist/";
  const ca3::IdxImages first = ca3::read_idx_images(fm + "train-images-idx3-ubyte.gz", 3);
  const std::vector<int> first_labels = ca3::read_idx_labels(fm + "train-labels-idx1-ubyte.gz", 3);
  // IDX: big-endian magic (0x00000803 images, 0x00000801 labels) and sizes, then bytes.
  std::vector<uint8_t> idx_images = {0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 28, 0, 0, 0, 28};
  std::vector<uint8_t> grey_pixels;
  for (int64_t i = 0; i < first.pixels.numel(); ++i) grey_pixels.push_back(uint8_t(first.pixels.data()[i] * 255.f + 0.5f));
  idx_images.insert(idx_images.end(), grey_pixels.begin(), grey_pixels.end());
  std::vector<uint8_t> idx_labels = {0, 0, 8, 1, 0, 0, 0, 3};
  for (int y : first_labels) idx_labels.push_back(uint8_t(y));
  write(corpus / "idx" / "images.idx", idx_images.data(), idx_images.size());
  write(corpus / "idx" / "labels.idx", idx_labels.data(), idx_labels.size());
  // Images.
  const uint8_t* grey = grey_pixels.data();
  std::vector<uint8_t> rgb(28 * 28 * 3);
  for (int i = 0; i < 28 * 28; ++i) rgb[i * 3] = grey[i], rgb[i * 3 + 1] = uint8_t(255 - grey[i]), rgb[i * 3 + 2] = 128;
  for (int channels : {1, 3}) {
    const uint8_t* pixels = channels == 1 ? grey : rgb.data();
    const std::string tag = channels == 1 ? "grey" : "rgb";
    std::vector<uint8_t> out;
    stbi_write_png_to_func(append, &out, 28, 28, channels, pixels, 28 * channels);
    write(corpus / "image" / (tag + ".png"), out.data(), out.size());
    out.clear();
    stbi_write_jpg_to_func(append, &out, 28, 28, channels, pixels, 90);
    write(corpus / "image" / (tag + ".jpg"), out.data(), out.size());
    out.clear();
    stbi_write_bmp_to_func(append, &out, 28, 28, channels, pixels);
    write(corpus / "image" / (tag + ".bmp"), out.data(), out.size());
  }
  // A tiny model.
  ca3::Detector detector(ca3::Preset::from_json(
      {{"kind", "tabular"},
       {"model", {{"softOrderChannels", 4}, {"softOrderLength", 4}, {"encoderChannels", {4}}, {"alarmChannels", {4}}}},
       {"training", {{"epochs", 1}}}}));
  ca3::TabularOptions options;
  options.label_column = "Class";
  options.normal_values = {"benign"};
  detector.fit_table(ca3::read_csv_file((repo / "data" / "BreastCancer.csv").string()), options);
  const std::vector<uint8_t> model = detector.save();
  write(corpus / "model_file" / "tiny-tabular.ca3", model.data(), model.size());
  // CSV.
  write_text(corpus / "csv" / "quoted.csv", "id,\"name, full\",Class\r\n1,\"a \"\"b\"\"\",x\r\n2,\"multi\nline\",y\r\n");
  write_text(corpus / "csv" / "semicolon-bom.csv", "\xEF\xBB\xBF" "a;b;Class\n1,5;NA;n\n2,5;3;a\n;4;n\n");
  write_text(corpus / "csv" / "tabs-missing.csv", "x\ty\tlabel\n1\t?\tok\nNaN\t2\tbad\n3\t\tok\n");
  for (const auto& entry : fs::directory_iterator(repo / "data")) {
    if (entry.path().extension() != ".csv") continue;
    std::ifstream in(entry.path());
    std::string line, head;
    for (int i = 0; i < 12 && std::getline(in, line); ++i) head += line + "\n";
    write_text(corpus / "csv" / entry.path().filename(), head);
  }
  std::printf("seeds written to %s (model file %zu bytes)\n", corpus.c_str(), model.size());
  return 0;
}
