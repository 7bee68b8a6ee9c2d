// Image files for the command line: PNG and JPEG written by stb_image_write (an independent
// encoder) decode to the same pixels (exactly for PNG, within JPEG's loss); a folder with a
// labels CSV becomes a data set; wrong sizes, channel counts and non-images name the file.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#include "core/anomaly/data/idx.h"
#include "core/anomaly/data/images.h"
#include "core/engine/error.h"
#include "tests/test_support.h"

namespace ca3 {
namespace {

namespace fs = std::filesystem;

using testing::error_of;

void append(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<uint8_t>*>(context);
  out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
}

// Fashion-MNIST image `index` (< 3) as 8-bit grey pixels.
std::vector<uint8_t> fashion_pixels(int64_t index) {
  static const IdxImages images = read_idx_images(testing::fashion_mnist_file("train-images-idx3-ubyte"), 3);
  std::vector<uint8_t> pixels(784);
  for (int i = 0; i < 784; ++i) pixels[size_t(i)] = uint8_t(std::lround(images.pixels.at(index * 784 + i) * 255));
  return pixels;
}

TEST(Images, PngAndJpegDecode) {
  const std::vector<uint8_t> pixels = fashion_pixels(0);
  std::vector<uint8_t> png, jpeg;
  ASSERT_TRUE(stbi_write_png_to_func(append, &png, 28, 28, 1, pixels.data(), 28));
  ASSERT_TRUE(stbi_write_jpg_to_func(append, &jpeg, 28, 28, 1, pixels.data(), 95));
  const Image a = decode_image(png.data(), png.size(), "a.png");
  EXPECT_EQ(a.height, 28);
  EXPECT_EQ(a.width, 28);
  EXPECT_EQ(a.channels, 1);
  for (size_t i = 0; i < pixels.size(); ++i) ASSERT_EQ(a.pixels[i], float(pixels[i]) / 255.f) << i;
  const Image b = decode_image(jpeg.data(), jpeg.size(), "b.jpg");
  ASSERT_EQ(b.pixels.size(), size_t(28 * 28 * b.channels));
  double error = 0;
  for (size_t i = 0; i < pixels.size(); ++i)
    error += std::fabs(b.pixels[i * size_t(b.channels)] - float(pixels[i]) / 255.f);
  EXPECT_LT(error / 784, 0.03) << b.channels;  // JPEG quality 95
  // RGBA drops alpha: 3 channels.
  std::vector<uint8_t> rgba(28 * 28 * 4, 200), rgba_png;
  ASSERT_TRUE(stbi_write_png_to_func(append, &rgba_png, 28, 28, 4, rgba.data(), 28 * 4));
  EXPECT_EQ(decode_image(rgba_png.data(), rgba_png.size(), "c.png").channels, 3);
  // Not images.
  const std::string text = "file,label\n";
  EXPECT_EQ(error_of([&] { decode_image(reinterpret_cast<const uint8_t*>(text.data()), text.size(), "x.png"); }),
            "x.png: not an image CA3 can read (PNG, JPEG, BMP or GIF)");
  std::vector<uint8_t> cut(png.begin(), png.begin() + long(png.size() / 2));
  EXPECT_NE(error_of([&] { decode_image(cut.data(), cut.size(), "cut.png"); }).find("cut.png: "), std::string::npos);
  EXPECT_EQ(error_of([&] { decode_image(nullptr, 0, "empty.png"); }), "empty.png: the file is empty");
}

TEST(Images, FolderWithLabels) {
  const fs::path dir = fs::temp_directory_path() / ("ca3-images-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  fs::create_directories(dir);
  for (int i = 0; i < 3; ++i) {
    const std::vector<uint8_t> pixels = fashion_pixels(i);
    ASSERT_TRUE(stbi_write_png((dir / ("img" + std::to_string(i) + ".png")).string().c_str(), 28, 28, 1,
                               pixels.data(), 28));
  }
  std::vector<uint8_t> small(14 * 14, 0);
  ASSERT_TRUE(stbi_write_png((dir / "small.png").string().c_str(), 14, 14, 1, small.data(), 14));
  std::ofstream(dir / "labels.csv") << "file,label\nimg0.png,ok\nimg1.png,bad\nimg2.png,ok\n";
  std::ofstream(dir / "bad.csv") << "file,label\nimg0.png,ok\nsmall.png,ok\n";
  TabularOptions options;
  options.label_column = "label";
  options.normal_values = {"ok"};
  std::vector<std::string> files;
  const Dataset d = read_image_folder(dir.string(), (dir / "labels.csv").string(), options, 28, 28, 1, &files);
  EXPECT_EQ(d.inputs.shape(), (Shape{3, 28, 28, 1}));
  EXPECT_EQ(d.labels, (std::vector<int>{0, 1, 0}));
  EXPECT_EQ(files, (std::vector<std::string>{"img0.png", "img1.png", "img2.png"}));
  EXPECT_EQ(d.inputs.at(784 + 400), float(fashion_pixels(1)[400]) / 255.f);
  EXPECT_EQ(error_of([&] { read_image_folder(dir.string(), (dir / "bad.csv").string(), options, 28, 28, 1); }),
            (dir / "small.png").string() + ": the image is 14x14, the model takes 28x28");
  EXPECT_EQ(error_of([&] { read_image_folder(dir.string(), (dir / "labels.csv").string(), options, 28, 28, 3); }),
            (dir / "img0.png").string() + ": the image has 1 channel (grey), the model takes 3");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ca3
