// Images -> model inputs, the one rule of core/anomaly/data/images.h: PNG and JPEG written by
// independent encoders (stb_image_write, and PNGs assembled here byte by byte: palette, 16-bit,
// alpha) decode to the right pixels; EXIF orientation, alpha over black, grey detection, the
// centre crop and resizing give the values the rule says; a folder with a labels CSV becomes a
// data set; non-images name the file.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

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
#include "core/anomaly/model_file.h"
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

// A PNG file made byte by byte (zlib "stored" blocks: no compression), for the kinds of PNG
// stb_image_write does not write: palette (colour type 3), 16-bit grey, grey + alpha.
std::vector<uint8_t> png(int width, int height, int colour_type, int bit_depth, const std::vector<uint8_t>& samples,
                         const std::vector<uint8_t>& palette = {}) {
  std::vector<uint8_t> out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  auto put32 = [](std::vector<uint8_t>& v, uint32_t x) {
    for (int s = 24; s >= 0; s -= 8) v.push_back(uint8_t(x >> s));
  };
  auto chunk = [&](const char* type, const std::vector<uint8_t>& data) {
    put32(out, uint32_t(data.size()));
    std::vector<uint8_t> body(type, type + 4);
    body.insert(body.end(), data.begin(), data.end());
    out.insert(out.end(), body.begin(), body.end());
    put32(out, crc32(body.data(), body.size()));
  };
  std::vector<uint8_t> header;
  put32(header, uint32_t(width)), put32(header, uint32_t(height));
  header.insert(header.end(), {uint8_t(bit_depth), uint8_t(colour_type), 0, 0, 0});
  chunk("IHDR", header);
  if (!palette.empty()) chunk("PLTE", palette);
  const size_t row = samples.size() / size_t(height);
  std::vector<uint8_t> raw;
  for (int y = 0; y < height; ++y) {
    raw.push_back(0);  // filter: none
    raw.insert(raw.end(), samples.begin() + long(size_t(y) * row), samples.begin() + long(size_t(y + 1) * row));
  }
  std::vector<uint8_t> z = {0x78, 0x01};
  for (size_t at = 0; at < raw.size() || at == 0; at += 65535) {
    const size_t n = std::min<size_t>(65535, raw.size() - at);
    z.push_back(at + n >= raw.size() ? 1 : 0);
    z.insert(z.end(), {uint8_t(n), uint8_t(n >> 8), uint8_t(~n), uint8_t(~n >> 8)});
    z.insert(z.end(), raw.begin() + long(at), raw.begin() + long(at + n));
    if (n == 0) break;
  }
  uint32_t a = 1, b = 0;
  for (uint8_t byte : raw) a = (a + byte) % 65521, b = (b + a) % 65521;
  put32(z, b << 16 | a);
  chunk("IDAT", z);
  chunk("IEND", {});
  return out;
}

std::vector<float> input_of(const std::vector<uint8_t>& file, int64_t H, int64_t W, int64_t C) {
  return image_to_input(decode_image(file.data(), file.size(), "test.png"), H, W, C);
}

TEST(Images, PngAndJpegDecodeToTheirPixels) {
  const std::vector<uint8_t> pixels = fashion_pixels(0);
  std::vector<uint8_t> grey, jpeg;
  ASSERT_TRUE(stbi_write_png_to_func(append, &grey, 28, 28, 1, pixels.data(), 28));
  ASSERT_TRUE(stbi_write_jpg_to_func(append, &jpeg, 28, 28, 1, pixels.data(), 95));
  const DecodedImage a = decode_image(grey.data(), grey.size(), "a.png");
  EXPECT_EQ(a.height, 28);
  EXPECT_EQ(a.width, 28);
  EXPECT_TRUE(a.grey);
  const std::vector<float> input = image_to_input(a, 28, 28, 1);
  for (size_t i = 0; i < pixels.size(); ++i) ASSERT_FLOAT_EQ(input[i], float(pixels[i]) / 255.f) << i;
  const std::vector<float> b = input_of(jpeg, 28, 28, 1);
  double error = 0;
  for (size_t i = 0; i < pixels.size(); ++i) error += std::fabs(b[i] - float(pixels[i]) / 255.f);
  EXPECT_LT(error / 784, 0.03);  // JPEG quality 95
  // Not images, or damaged ones, name the file.
  const std::string text = "file,label\n";
  EXPECT_EQ(error_of([&] { decode_image(reinterpret_cast<const uint8_t*>(text.data()), text.size(), "x.png"); }),
            "x.png: not an image CA3 can read (PNG, JPEG, BMP or GIF)");
  std::vector<uint8_t> cut(grey.begin(), grey.begin() + long(grey.size() / 2));
  EXPECT_EQ(error_of([&] { decode_image(cut.data(), cut.size(), "cut.png"); }),
            "cut.png: the image file ends too early (cut short when copied or downloaded?): copy it again");
  // A JPEG cut short is said so too, whatever its decoder stumbles on first.
  std::vector<uint8_t> cut_jpeg(jpeg.begin(), jpeg.begin() + long(jpeg.size() * 2 / 3));
  EXPECT_EQ(error_of([&] { decode_image(cut_jpeg.data(), cut_jpeg.size(), "cut.jpg"); }),
            "cut.jpg: the image file ends too early (cut short when copied or downloaded?): copy it again");
  // A BMP cut in half decodes as if whole (its missing rows black): refused as cut short too; bytes
  // after a JPEG's end (a camera's trailer) are no part of the image.
  std::vector<uint8_t> bmp_whole;
  ASSERT_TRUE(stbi_write_bmp_to_func(append, &bmp_whole, 28, 28, 1, pixels.data()));
  const std::vector<uint8_t> cut_bmp(bmp_whole.begin(), bmp_whole.begin() + long(bmp_whole.size() / 2));
  EXPECT_EQ(error_of([&] { decode_image(cut_bmp.data(), cut_bmp.size(), "cut.bmp"); }),
            "cut.bmp: the image file ends too early (cut short when copied or downloaded?): copy it again");
  // A BMP stored top-down (a negative height, as Windows GDI and .NET write it): the same picture.
  ASSERT_EQ(bmp_whole.size(), 54u + 28u * 84u);  // 24-bit rows of 84 bytes, bottom-up, after a 54-byte header
  std::vector<uint8_t> top_down(bmp_whole.begin(), bmp_whole.begin() + 54);
  for (int row = 27; row >= 0; --row) top_down.insert(top_down.end(), bmp_whole.begin() + 54 + row * 84, bmp_whole.begin() + 54 + (row + 1) * 84);
  const int32_t negative = -28;
  std::memcpy(top_down.data() + 22, &negative, 4);  // (little-endian, as the format)
  const DecodedImage upright = decode_image(top_down.data(), top_down.size(), "top-down.bmp");
  EXPECT_EQ(upright.height, 28);
  EXPECT_EQ(input_of(top_down, 28, 28, 1), input_of(bmp_whole, 28, 28, 1));
  EXPECT_EQ(input_of(bmp_whole, 28, 28, 1), input_of(grey, 28, 28, 1));
  // A PNG changed after writing (a byte of its pixel data flipped): its checksum says so, as libpng
  // refuses it; stb_image alone would decode what is left.
  std::vector<uint8_t> changed = grey;
  changed[changed.size() - 20] ^= 0x40;  // inside the IDAT chunk, before IEND's 12 bytes and IDAT's CRC
  EXPECT_EQ(error_of([&] { decode_image(changed.data(), changed.size(), "changed.png"); }),
            "changed.png: the image data is damaged (a checksum of the PNG does not match its data): save it again");
  std::vector<uint8_t> trailed = jpeg;
  for (char c : std::string("SEFT trailer")) trailed.push_back(uint8_t(c));
  EXPECT_EQ(input_of(trailed, 28, 28, 1), input_of(jpeg, 28, 28, 1));
  // After a JPEG's end, bytes that look like a scan (a motion photo's video) are no part of it.
  std::vector<uint8_t> motion = jpeg;
  for (uint8_t b : {0x00, 0x00, 0xFF, 0xDA, 0x12, 0x34, 0x56}) motion.push_back(b);
  EXPECT_EQ(input_of(motion, 28, 28, 1), input_of(jpeg, 28, 28, 1));
  // A GIF (1x1, written byte by byte): read with bytes after its trailer, refused without the trailer.
  const std::string gif("GIF89a\x01\0\x01\0\x80\0\0\xff\xff\xff\0\0\0\x2c\0\0\0\0\x01\0\x01\0\0\x02\x02\x44\x01\0\x3b", 35);
  const auto gif_input = [](const std::string& bytes) {
    return image_to_input(decode_image(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), "dot.gif"), 1, 1, 1);
  };
  EXPECT_EQ(gif_input(gif), std::vector<float>{1.f});
  EXPECT_EQ(gif_input(gif + "trailing bytes"), std::vector<float>{1.f});
  EXPECT_EQ(error_of([&] { gif_input(gif.substr(0, gif.size() - 1)); }),
            "dot.gif: the image file ends too early (cut short when copied or downloaded?): copy it again");
  // Cut within the header (its sides read as 0): cut short, not "larger than CA3 decodes".
  for (const size_t kept : {6, 8})
    EXPECT_EQ(error_of([&] { gif_input(gif.substr(0, kept)); }),
              "dot.gif: the image file ends too early (cut short when copied or downloaded?): copy it again") << kept;
  // Files of one to three bytes are no image, said as for any other (not an internal error).
  for (const std::string stub : {"R", "RI", "\xFF\xD8", "GIF"})
    EXPECT_EQ(error_of([&] { decode_image(reinterpret_cast<const uint8_t*>(stub.data()), stub.size(), "stub.png"); }).substr(0, 10),
              "stub.png: ") << stub;
  // Kinds CA3 does not decode, told by their first bytes whatever the file's name.
  const std::string webp("RIFF\x20\0\0\0WEBPVP8 \x14\0\0\0", 20), tiff("II*\0\x08\0\0\0\0\0", 10);
  EXPECT_EQ(error_of([&] { decode_image(reinterpret_cast<const uint8_t*>(webp.data()), webp.size(), "photo.jpg"); }),
            "photo.jpg: a WebP image, which CA3 does not read: save it as PNG or JPEG");
  EXPECT_EQ(error_of([&] { decode_image(reinterpret_cast<const uint8_t*>(tiff.data()), tiff.size(), "scan.tif"); }),
            "scan.tif: a TIFF image, which CA3 does not read: save it as PNG or JPEG");
  // Sizes, from the header: at most 100 megapixels (a 10001x10001 PNG header is refused, saying
  // its size), a side up to 65535 (a line-scan camera's 16384x1024 is read); an RLE BMP.
  const auto with_size = [&](uint32_t width, uint32_t height) {
    std::vector<uint8_t> file = png(28, 28, 0, 8, pixels);
    for (int b = 0; b < 4; ++b)  // IHDR width and height, big-endian, at bytes 16 and 20
      file[size_t(16 + b)] = uint8_t(width >> (24 - 8 * b)), file[size_t(20 + b)] = uint8_t(height >> (24 - 8 * b));
    return file;
  };
  const std::vector<uint8_t> huge = with_size(10001, 10001), wider = with_size(70000, 10);
  EXPECT_EQ(error_of([&] { decode_image(huge.data(), huge.size(), "huge.png"); }),
            "huge.png: the image is 10001x10001 pixels (100.02 megapixels), larger than CA3 decodes (at most 100 megapixels, "
            "such as 10000x10000, and 65535 pixels a side): make it smaller");
  EXPECT_EQ(error_of([&] { decode_image(wider.data(), wider.size(), "wide.png"); }),
            "wide.png: the image is 70000x10 pixels (0.70 megapixels), larger than CA3 decodes (at most 100 megapixels, such "
            "as 10000x10000, and 65535 pixels a side): make it smaller");
  std::vector<uint8_t> line_scan;
  ASSERT_TRUE(stbi_write_png_to_func(append, &line_scan, 16384, 1024, 1, std::vector<uint8_t>(16384 * 1024, 90).data(), 16384));
  const DecodedImage scan = decode_image(line_scan.data(), line_scan.size(), "scan.png");
  EXPECT_EQ(scan.width, 16384);
  EXPECT_EQ(scan.height, 1024);
  EXPECT_NEAR(image_to_input(scan, 8, 8, 1)[27], 90.f / 255.f, 1e-6);
  std::vector<uint8_t> bmp = {'B', 'M', 70, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0,
                              1, 0, 8, 0, 1, 0, 0, 0};  // 2x2, 8 bits, compression 1: RLE8
  bmp.resize(70, 0);
  EXPECT_EQ(error_of([&] { decode_image(bmp.data(), bmp.size(), "rle.bmp"); }),
            "rle.bmp: a compressed or unusual BMP, which CA3 does not read: save it as PNG");
  EXPECT_EQ(error_of([&] { decode_image(nullptr, 0, "empty.png"); }), "empty.png: the file is empty");
}

TEST(Images, PaletteSixteenBitAndGreyContentAreGrey) {
  const std::vector<uint8_t> pixels = fashion_pixels(1);
  std::vector<uint8_t> grey;
  ASSERT_TRUE(stbi_write_png_to_func(append, &grey, 28, 28, 1, pixels.data(), 28));
  // The same pixels as a palette PNG whose colours are all grey: the same input, and grey.
  std::vector<uint8_t> palette;
  for (int v = 0; v < 256; ++v) palette.insert(palette.end(), {uint8_t(v), uint8_t(v), uint8_t(v)});
  const std::vector<uint8_t> indexed = png(28, 28, 3, 8, pixels, palette);
  EXPECT_TRUE(decode_image(indexed.data(), indexed.size(), "p.png").grey);
  EXPECT_EQ(input_of(indexed, 28, 28, 1), input_of(grey, 28, 28, 1));
  // 16-bit grey: the high byte, and said (deep).
  std::vector<uint8_t> wide;
  for (uint8_t v : pixels) wide.insert(wide.end(), {v, 0x80});
  const std::vector<uint8_t> deep = png(28, 28, 0, 16, wide);
  EXPECT_EQ(input_of(deep, 28, 28, 1), input_of(grey, 28, 28, 1));
  EXPECT_TRUE(decode_image(deep.data(), deep.size(), "d.png").deep);
  EXPECT_FALSE(decode_image(grey.data(), grey.size(), "g.png").deep);
  EXPECT_FALSE(decode_image(grey.data(), grey.size(), "g.png").transparent);
  // A colour palette is colour; a grey model takes it as 0.299 r + 0.587 g + 0.114 b.
  const std::vector<uint8_t> colourful = png(2, 1, 3, 8, {0, 1}, {255, 0, 0, 0, 0, 255});
  EXPECT_FALSE(decode_image(colourful.data(), colourful.size(), "c.png").grey);
  const std::vector<float> red_blue = input_of(colourful, 1, 2, 1);
  EXPECT_NEAR(red_blue[0], 0.299f, 1e-6);
  EXPECT_NEAR(red_blue[1], 0.114f, 1e-6);
  // ... and a colour model takes a grey image in all three channels.
  const std::vector<float> rgb = input_of(grey, 28, 28, 3);
  EXPECT_FLOAT_EQ(rgb[3 * 400], float(pixels[400]) / 255.f);
  EXPECT_FLOAT_EQ(rgb[3 * 400 + 2], float(pixels[400]) / 255.f);
}

TEST(Images, AlphaIsCompositedOverBlack) {
  // Grey + alpha: a white pixel fully transparent, one half transparent, one opaque.
  const std::vector<uint8_t> file = png(3, 1, 4, 8, {255, 0, 255, 128, 255, 255});
  const DecodedImage image = decode_image(file.data(), file.size(), "cutout.png");
  EXPECT_TRUE(image.grey);
  EXPECT_TRUE(image.transparent);
  const std::vector<float> input = image_to_input(image, 1, 3, 1);
  EXPECT_FLOAT_EQ(input[0], 0.f);  // the hidden white does not show
  EXPECT_NEAR(input[1], 128.f / 255.f, 1e-6);
  EXPECT_FLOAT_EQ(input[2], 1.f);
}

TEST(Images, WhatReadingAFolderDecidesIsSaid) {
  // A folder as users hand them in: sizes, colour, transparency and bit depths mixed, one file cut
  // short, macOS's .DS_Store. What turning them into inputs does is said, the unreadable file with
  // its reason (ca3 train leaves it out, ca3 score gives it no score).
  const fs::path dir = fs::temp_directory_path() / "ca3_images_decided";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::vector<uint8_t> pixels = fashion_pixels(0);
  ASSERT_TRUE(stbi_write_png((dir / "a.png").string().c_str(), 28, 28, 1, pixels.data(), 28));
  std::vector<uint8_t> colour(40 * 20 * 3);
  for (size_t i = 0; i < colour.size(); ++i) colour[i] = uint8_t(i * 7);
  ASSERT_TRUE(stbi_write_png((dir / "b.png").string().c_str(), 40, 20, 3, colour.data(), 40 * 3));
  std::vector<uint8_t> grey_alpha(10 * 10 * 2, 200);
  grey_alpha[1] = 0;  // one transparent pixel
  std::vector<uint8_t> deep_samples;
  for (uint8_t v : pixels) deep_samples.insert(deep_samples.end(), {v, 0});
  const std::vector<uint8_t> with_alpha = png(10, 10, 4, 8, grey_alpha), deep = png(28, 28, 0, 16, deep_samples);
  std::vector<uint8_t> jpeg;
  ASSERT_TRUE(stbi_write_jpg_to_func(append, &jpeg, 28, 28, 1, pixels.data(), 95));
  jpeg.resize(jpeg.size() / 2);
  std::ofstream(dir / "c.png", std::ios::binary).write(reinterpret_cast<const char*>(with_alpha.data()), long(with_alpha.size()));
  std::ofstream(dir / "d.png", std::ios::binary).write(reinterpret_cast<const char*>(deep.data()), long(deep.size()));
  std::ofstream(dir / "e.jpg", std::ios::binary).write(reinterpret_cast<const char*>(jpeg.data()), long(jpeg.size()));
  { std::ofstream(dir / ".DS_Store") << "Bud1"; }
  FolderLeftOut left_out;
  const std::vector<std::string> files = image_files_in((dir.string() + "/"), &left_out);
  EXPECT_EQ(files, (std::vector<std::string>{"a.png", "b.png", "c.png", "d.png", "e.jpg"}));
  EXPECT_EQ(left_out.hidden, (std::vector<std::string>{".DS_Store"}));
  const std::vector<ImageFacts> facts = survey_images(dir.string() + "/", files);
  ASSERT_EQ(facts.size(), 5u);
  EXPECT_EQ(unreadable_images(facts), "1 of 5 image files cannot be read: " + (dir / "e.jpg").string() +
                                          ": the image file ends too early (cut short when copied or downloaded?): copy it again");
  EXPECT_EQ(image_decisions(facts, 28, 28, 3), "1 colour, 3 grey (their grey in all three channels); widths 10 to 40, "
            "heights 10 to 28 pixels, resized; 1 cropped around the centre to the model's shape first; 2 enlarged (smaller than 28x28); 1 with "
            "transparent pixels, composited over black; 1 with 16-bit samples, read as 8-bit");
  EXPECT_EQ(image_decisions(facts, 20, 40, 1), "1 colour, read as grey (0.299 r + 0.587 g + 0.114 b), 3 grey; widths 10 to "
            "40, heights 10 to 28 pixels, resized; 3 cropped around the centre to the model's shape first; 3 enlarged (smaller than 40x20); 1 "
            "with transparent pixels, composited over black; 1 with 16-bit samples, read as 8-bit");
  EXPECT_EQ(image_decisions({facts[0]}, 28, 28, 1), "all grey; all 28x28");
  // Unreadable files with the same reason together, every one named, each reason said once.
  fs::copy_file(dir / "e.jpg", dir / "e2.jpg");
  { std::ofstream(dir / "junk.png") << "not a picture"; }
  const std::vector<ImageFacts> some_bad = survey_images(dir.string() + "/", {"e.jpg", "a.png", "junk.png", "e2.jpg"});
  EXPECT_EQ(unreadable_images(some_bad), "3 of 4 image files cannot be read: " + (dir / "e.jpg").string() + ", " +
            (dir / "e2.jpg").string() + ": the image file ends too early (cut short when copied or downloaded?): copy it again; " +
            (dir / "junk.png").string() + ": not an image CA3 can read (PNG, JPEG, BMP or GIF)");
  EXPECT_EQ(image_decisions({facts[0], facts[3]}, 14, 14, 1), "all grey; all 28x28, resized; 1 with 16-bit samples, read as 8-bit");
  EXPECT_EQ(unreadable_images({facts[0]}), "");
  {  // 22 files with one reason: 20 named, then how many more; the reason once
    std::vector<ImageFacts> junk(22);
    std::string named;
    for (size_t i = 0; i < junk.size(); ++i) {
      junk[i].name = "j" + std::to_string(i) + ".png";
      junk[i].problem = junk[i].name + ": not an image CA3 can read (PNG, JPEG, BMP or GIF)";
      if (i < 20) named += (i ? ", " : "") + junk[i].name;
    }
    EXPECT_EQ(unreadable_images(junk), "22 of 22 image files cannot be read: " + named +
                                           " and 2 more: not an image CA3 can read (PNG, JPEG, BMP or GIF)");
  }
  // A PNG named .jpg (renamed, or saved by a tool that kept the old name) is read as a PNG, said;
  // a JPEG named .jpeg is what it says.
  fs::copy_file(dir / "a.png", dir / "shot.JPG");
  ASSERT_TRUE(stbi_write_jpg((dir / "f.jpeg").string().c_str(), 28, 28, 1, pixels.data(), 95));
  const std::vector<ImageFacts> named = survey_images(dir.string() + "/", {"shot.JPG", "f.jpeg", "a.png"});
  EXPECT_EQ(named[0].misnamed, "shot.JPG (PNG)");
  EXPECT_EQ(named[1].misnamed, "");
  EXPECT_EQ(image_decisions(named, 28, 28, 1), "all grey; all 28x28; 1 named as another kind, read as what its bytes are: shot.JPG (PNG)");
  // Named as listed, with its sub-folder; a BMP whose reserved bytes are not zero still decodes
  // (its first bytes do not say BMP): not said to be misnamed.
  fs::create_directories(dir / "sub");
  fs::copy_file(dir / "a.png", dir / "sub" / "shot.jpg");
  ASSERT_TRUE(stbi_write_bmp((dir / "odd.bmp").string().c_str(), 28, 28, 1, pixels.data()));
  {
    std::fstream bmp(dir / "odd.bmp", std::ios::binary | std::ios::in | std::ios::out);
    bmp.seekp(6);
    bmp.write("\x12\x34", 2);
  }
  const std::vector<ImageFacts> listed = survey_images(dir.string(), {"sub/shot.jpg", "odd.bmp"});
  EXPECT_EQ(listed[0].misnamed, "sub/shot.jpg (PNG)");
  EXPECT_EQ(listed[1].problem, "");
  EXPECT_EQ(listed[1].misnamed, "");
  // An animated GIF (three 1x1 frames, written byte by byte) is read as its first frame, said; a
  // strip whose centre crop keeps less than half of it (200x10 for a square model), named.
  const std::string frame("\x2c\0\0\0\0\x01\0\x01\0\0\x02\x02\x44\x01\0", 15);
  const std::string header("GIF89a\x01\0\x01\0\x80\0\0\xff\xff\xff\0\0\0", 19);
  std::ofstream(dir / "blink.gif", std::ios::binary) << header + frame + frame + frame + "\x3b";
  std::ofstream(dir / "dot.gif", std::ios::binary) << header + frame + "\x3b";
  const std::vector<uint8_t> strip_pixels(200 * 10, 90);
  ASSERT_TRUE(stbi_write_png((dir / "strip.png").string().c_str(), 200, 10, 1, strip_pixels.data(), 200));
  const std::vector<ImageFacts> odd = survey_images(dir.string(), {"blink.gif", "dot.gif", "strip.png", "a.png"});
  EXPECT_EQ(odd[0].frames, 3);
  // What the bytes show wrong whoever decodes them (the page asks it of every file its browser decodes).
  std::ifstream whole_file(dir / "strip.png", std::ios::binary);
  const std::string whole((std::istreambuf_iterator<char>(whole_file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(image_bytes_problem(whole, "strip.png"), "");
  EXPECT_EQ(image_bytes_problem(whole.substr(0, whole.size() - 12), "strip.png"),
            "strip.png: the image file ends too early (cut short when copied or downloaded?): copy it again");
  std::string changed = whole;
  changed[whole.size() - 20] ^= 0x55;  // in the IDAT chunk's data
  EXPECT_EQ(image_bytes_problem(changed, "strip.png"),
            "strip.png: the image data is damaged (a checksum of the PNG does not match its data): save it again");
  EXPECT_EQ(image_bytes_problem(header + frame, "blink.gif").substr(0, 34), "blink.gif: the image file ends too");
  EXPECT_EQ(odd[1].frames, 1);
  EXPECT_EQ(image_decisions(odd, 28, 28, 1), "all grey; widths 1 to 200, heights 1 to 28 pixels, resized; 1 cropped around the centre to the model's "
            "shape first (1 keeps less than half of the picture: strip.png (200x10: its centre 10x10); crop such images to the "
            "part that matters, or cut them into pieces of the model's shape); 3 enlarged (smaller than 28x28); 1 animated GIF, "
            "read as its first frame: blink.gif (3 frames)");
  EXPECT_EQ(image_decisions({odd[0], odd[1], odd[2]}, 10, 200, 1).find("less than half"), std::string::npos);  // the model's shape
  // What fitting them did, from sizes, frames and names alone (what the page has): the same words.
  std::vector<ImageFacts> sizes_only(odd.size());
  for (size_t i = 0; i < odd.size(); ++i)
    sizes_only[i].width = odd[i].width, sizes_only[i].height = odd[i].height, sizes_only[i].frames = odd[i].frames, sizes_only[i].name = odd[i].name;
  EXPECT_EQ("all grey; " + image_fit_decisions(sizes_only, 28, 28), image_decisions(odd, 28, 28, 1));
  fs::remove_all(dir / "sub");
  fs::remove(dir / "odd.bmp");
  fs::remove(dir / "shot.JPG");
  fs::remove(dir / "f.jpeg");
  // Told from its first bytes when its name does not say: a PNG without an extension is an image;
  // a table whose first cell starts "BM" ("BMI") is none, with or without its extension.
  fs::copy_file(dir / "a.png", dir / "a-copy");
  { std::ofstream(dir / "bmi") << "BMI,age\n22.5,40\n"; }
  { std::ofstream(dir / "bmi.csv") << "BMI,age\n22.5,40\n"; }
  EXPECT_TRUE(looks_like_image_file((dir / "a-copy").string()));
  EXPECT_FALSE(looks_like_image_file((dir / "bmi").string()));
  EXPECT_FALSE(looks_like_image_file((dir / "bmi.csv").string()));
  EXPECT_TRUE(looks_like_image_file((dir / "scan.TIF").string()));  // a kind CA3 does not decode: said when read
  // Named as a table, a PNG or a BMP is still an image: no text has their bytes (a BMP's NULs).
  fs::copy_file(dir / "a.png", dir / "a-png.txt");
  { std::ofstream(dir / "bm.txt", std::ios::binary) << std::string("BM\x36\0\0\0\0\0\0\0\x36\0\0\0\x28\0", 16); }
  EXPECT_TRUE(looks_like_image_file((dir / "a-png.txt").string()));
  EXPECT_TRUE(looks_like_image_file((dir / "bm.txt").string()));
  { std::ofstream(dir / "drawing.csv") << "name,shape\na,<svg width='1'/>\n"; }
  EXPECT_FALSE(looks_like_image_file((dir / "drawing.csv").string()));
  { std::ofstream(dir / "scan.dat", std::ios::binary) << std::string("II*\0\x08\0\0\0", 8); }  // a TIFF: said when read
  EXPECT_TRUE(looks_like_image_file((dir / "scan.dat").string()));
  // A binary PGM is an image (said when read); a table of one column named "P2" or "P5" is none.
  { std::ofstream(dir / "scan.bin", std::ios::binary) << std::string("P5\n# scanner\n2 2\n255\n\x80\x81\x00\xFF", 25); }
  { std::ofstream(dir / "p2.csv") << "P2\n12\n15\n"; }
  { std::ofstream(dir / "p5.csv") << "P5\n28\n28\n255\n"; }
  EXPECT_TRUE(looks_like_image_file((dir / "scan.bin").string()));
  EXPECT_FALSE(looks_like_image_file((dir / "p2.csv").string()));
  EXPECT_FALSE(looks_like_image_file((dir / "p5.csv").string()));
  // A labels CSV: every missing image said at once (not one per run), an image listed twice
  // refused before any is decoded.
  { std::ofstream(dir / "labels.csv") << "file,label\na.png,ok\nx.png,ok\nb.png,bad\ny.png,ok\nz.png,ok\n"; }
  EXPECT_EQ(error_of([&] { list_images(dir.string(), (dir / "labels.csv").string()); }),
            (dir / "labels.csv").string() + " line 3: there is no image 'x.png' in '" + dir.string() +
                "' (the names are read as paths in the folder). Also line 5: there is no image 'y.png' in '" + dir.string() +
                "'; line 6: there is no image 'z.png' in '" + dir.string() + "'");
  { std::ofstream(dir / "labels.csv") << "file,label\na.png,ok\nb.png,ok\n./a.png,bad\n"; }
  EXPECT_EQ(error_of([&] { list_images(dir.string(), (dir / "labels.csv").string()); }),
            (dir / "labels.csv").string() + " lines 2 and 4 both list './a.png': give each image one line (one label)");
  // With the label column named, its empty cells are said with the names' problems, at once.
  { std::ofstream(dir / "labels.csv") << "file,label\na.png,ok\nq.png,ok\nb.png,\n"; }
  TabularOptions labelled;
  labelled.label_column = "label";
  labelled.normal_values = {"ok"};
  EXPECT_EQ(error_of([&] { list_images(dir.string(), (dir / "labels.csv").string(), &labelled); }),
            (dir / "labels.csv").string() + " line 3: there is no image 'q.png' in '" + dir.string() + "' (the names are read as "
            "paths in the folder). Also CSV line 4: the label column 'label' is empty: give every row its label (or name the "
            "anomalies' values instead of the normal ones: then an empty cell means normal)");
  // A file column under another name: said, with the fix.
  { std::ofstream(dir / "labels.csv") << "filename,label\na.png,ok\n"; }
  EXPECT_EQ(error_of([&] { list_images(dir.string(), (dir / "labels.csv").string()); }),
            (dir / "labels.csv").string() + " has no column 'file' naming the images (its columns: 'filename', 'label'): name "
            "the column of image names 'file' in its first line");
  // Problems of different kinds, all at once, by line.
  { std::ofstream(dir / "labels.csv") << "file,label\na.png,ok\n,ok\nb.png,ok\na.png,bad\nq.png,ok\n"; }
  // (the hint that names are paths in the folder is given with the first missing image, here the last problem)
  EXPECT_EQ(error_of([&] { list_images(dir.string(), (dir / "labels.csv").string()); }),
            (dir / "labels.csv").string() + " line 3: the file name is empty. Also lines 2 and 5 both list 'a.png': give each "
            "image one line (one label); line 6: there is no image 'q.png' in '" + dir.string() + "' (the names are read as paths in the folder)");
  fs::remove_all(dir);
}

TEST(Images, ExifOrientationIsApplied) {
  // A 3x2 picture with distinct corners, stored turned and tagged with each EXIF orientation:
  // every one decodes to the picture as a viewer shows it.
  const int h = 2, w = 3;
  const std::vector<uint8_t> upright = {10, 60, 110, 160, 210, 250};
  // The stored pixels for orientation o: the inverse of what the viewer applies.
  auto stored_for = [&](int o, int& sh, int& sw) {
    const bool swap = o >= 5;
    sh = swap ? w : h, sw = swap ? h : w;
    std::vector<uint8_t> s(size_t(sh * sw));
    for (int y = 0; y < sh; ++y)
      for (int x = 0; x < sw; ++x) {
        // The displayed pixel that stored (y, x) becomes (see images.cpp: oriented_source).
        int oy = y, ox = x;
        switch (o) {
          case 2: ox = sw - 1 - x; break;
          case 3: oy = sh - 1 - y, ox = sw - 1 - x; break;
          case 4: oy = sh - 1 - y; break;
          case 5: oy = x, ox = y; break;
          case 6: oy = x, ox = sh - 1 - y; break;
          case 7: oy = sw - 1 - x, ox = sh - 1 - y; break;
          case 8: oy = sw - 1 - x, ox = y; break;
        }
        s[size_t(y * sw + x)] = upright[size_t(oy * w + ox)];
      }
    return s;
  };
  for (int o = 1; o <= 8; ++o) {
    int sh, sw;
    const std::vector<uint8_t> stored = stored_for(o, sh, sw);
    std::vector<uint8_t> jpeg;
    // Quality 100 and grey: JPEG's loss stays within a few levels on these flat values.
    ASSERT_TRUE(stbi_write_jpg_to_func(append, &jpeg, sw, sh, 1, stored.data(), 100));
    const std::vector<uint8_t> tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, uint8_t(o), 0, 0, 0, 0, 0, 0, 0, 0};
    std::vector<uint8_t> app1 = {0xFF, 0xE1, 0, uint8_t(2 + 6 + tiff.size()), 'E', 'x', 'i', 'f', 0, 0};
    app1.insert(app1.end(), tiff.begin(), tiff.end());
    jpeg.insert(jpeg.begin() + 2, app1.begin(), app1.end());
    const DecodedImage image = decode_image(jpeg.data(), jpeg.size(), "photo.jpg");
    EXPECT_EQ(image.orientation, o);
    ASSERT_EQ(image.height, h) << o;
    ASSERT_EQ(image.width, w) << o;
    for (int i = 0; i < h * w; ++i) EXPECT_NEAR(int(image.rgba[size_t(i) * 4]), int(upright[size_t(i)]), 12) << o << " " << i;
  }
}

TEST(Images, CentreCropThenResize) {
  // 56 wide x 28 high into 28x28: the middle 28 columns, unchanged.
  std::vector<uint8_t> wide(28 * 56);
  for (int y = 0; y < 28; ++y)
    for (int x = 0; x < 56; ++x) wide[size_t(y * 56 + x)] = uint8_t((x * 4 + y) % 256);
  const std::vector<float> cropped = input_of(png(56, 28, 0, 8, wide), 28, 28, 1);
  for (int y = 0; y < 28; ++y)
    for (int x = 0; x < 28; ++x) ASSERT_FLOAT_EQ(cropped[size_t(y * 28 + x)], float(wide[size_t(y * 56 + x + 14)]) / 255.f);
  // 4x4 into 2x2: the average of each 2x2 block.
  const std::vector<uint8_t> blocks = {0, 100, 50, 50, 200, 100, 50, 50, 10, 20, 0, 0, 30, 40, 0, 4};
  const std::vector<float> shrunk = input_of(png(4, 4, 0, 8, blocks), 2, 2, 1);
  EXPECT_NEAR(shrunk[0] * 255, 100, 1e-3);
  EXPECT_NEAR(shrunk[1] * 255, 50, 1e-3);
  EXPECT_NEAR(shrunk[2] * 255, 25, 1e-3);
  EXPECT_NEAR(shrunk[3] * 255, 1, 1e-3);
  // 2x1 into 4x2: bilinear with pixel centres aligned (0 .. 100: 0, 25, 75, 100).
  const std::vector<float> grown = input_of(png(2, 1, 0, 8, {0, 100}), 2, 4, 1);
  EXPECT_NEAR(grown[0] * 255, 0, 1e-3);
  EXPECT_NEAR(grown[1] * 255, 25, 1e-3);
  EXPECT_NEAR(grown[2] * 255, 75, 1e-3);
  EXPECT_NEAR(grown[7] * 255, 100, 1e-3);
}

TEST(Images, FolderWithLabels) {
  const fs::path dir = fs::temp_directory_path() / ("ca3-images-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  fs::create_directories(dir);
  for (int i = 0; i < 3; ++i) {
    const std::vector<uint8_t> pixels = fashion_pixels(i);
    ASSERT_TRUE(stbi_write_png((dir / ("img" + std::to_string(i) + ".png")).string().c_str(), 28, 28, 1,
                               pixels.data(), 28));
  }
  std::vector<uint8_t> colour(14 * 14 * 3, 0);
  colour[0] = 255;
  ASSERT_TRUE(stbi_write_png((dir / "small-colour.png").string().c_str(), 14, 14, 3, colour.data(), 14 * 3));
  std::ofstream(dir / "labels.csv") << "file,label\nimg0.png,ok\nimg1.png,bad\nimg2.png,ok\n";
  TabularOptions options;
  options.label_column = "label";
  options.normal_values = {"ok"};
  std::vector<std::string> files;
  const Dataset d = read_image_folder(dir.string(), (dir / "labels.csv").string(), options, 28, 28, 1, &files);
  EXPECT_EQ(d.inputs.shape(), (Shape{3, 28, 28, 1}));
  EXPECT_EQ(d.labels, (std::vector<int>{0, 1, 0}));
  EXPECT_EQ(files, (std::vector<std::string>{"img0.png", "img1.png", "img2.png"}));
  EXPECT_FLOAT_EQ(d.inputs.at(784 + 400), float(fashion_pixels(1)[400]) / 255.f);
  // Colour when any image has colour, grey otherwise.
  EXPECT_EQ(channels_of(dir.string(), {"img0.png", "img1.png"}), 1);
  EXPECT_EQ(channels_of(dir.string(), {"img0.png", "small-colour.png"}), 3);
  EXPECT_EQ(image_files_in(dir.string()), (std::vector<std::string>{"img0.png", "img1.png", "img2.png", "small-colour.png"}));
  // macOS's metadata file beside an image (1 byte here) is hidden: left out, and listed.
  { std::ofstream(dir / "._img0.png") << 'x'; }
  FolderLeftOut left_out;
  EXPECT_EQ(image_files_in(dir.string(), &left_out), (std::vector<std::string>{"img0.png", "img1.png", "img2.png", "small-colour.png"}));
  EXPECT_EQ(left_out.hidden, (std::vector<std::string>{"._img0.png"}));
  EXPECT_EQ(left_out.text(), "a file of another kind: labels.csv");
  // Sub-folders and files of kinds not read are listed, and said when they are all there is.
  fs::create_directories(dir / "scratch");
  fs::copy_file(dir / "img1.png", dir / "scratch" / "a.png");
  // (the kind by the bytes: a WebP's header, and text named .webp)
  { std::ofstream(dir / "x.webp", std::ios::binary) << std::string("RIFF\x10\0\0\0WEBPVP8 ", 16); }
  { std::ofstream(dir / "notes.webp") << "hello"; }
  image_files_in(dir.string(), &left_out);
  EXPECT_EQ(left_out.text(), "the sub-folder scratch/ (1 image); 2 files of another kind: labels.csv, notes.webp; an image of a "
                             "kind CA3 does not read: x.webp (WebP), save it as PNG or JPEG");
  fs::remove(dir / "notes.webp");
  // A PNG named as another kind, or with no extension, is read by its bytes, and said so.
  fs::copy_file(dir / "img2.png", dir / "renamed.webp");
  fs::copy_file(dir / "img2.png", dir / "shot");
  EXPECT_EQ(image_files_in(dir.string(), &left_out),
            (std::vector<std::string>{"img0.png", "img1.png", "img2.png", "renamed.webp", "shot", "small-colour.png"}));
  EXPECT_EQ(left_out.by_content, (std::vector<std::pair<std::string, std::string>>{{"renamed.webp", "PNG"}, {"shot", "PNG"}}));
  EXPECT_EQ(left_out.text(), "the sub-folder scratch/ (1 image); a file of another kind: labels.csv; an image of a kind CA3 "
                             "does not read: x.webp (WebP), save it as PNG or JPEG");
  // A PNG without an extension in a sub-folder counts as its image; a link to no file is named.
  fs::copy_file(dir / "img2.png", dir / "scratch" / "b");
  fs::create_symlink(dir / "gone.png", dir / "link.png");
  image_files_in(dir.string(), &left_out);
  { std::ofstream(dir / "scan.tif", std::ios::binary) << std::string("II*\0\x08\0\0\0", 8); }
  image_files_in(dir.string(), &left_out);
  EXPECT_EQ(left_out.dangling, (std::vector<std::string>{"link.png"}));
  EXPECT_EQ(left_out.text(), "the sub-folder scratch/ (2 images); a file of another kind: labels.csv; 2 images of kinds CA3 "
                             "does not read: scan.tif (TIFF), x.webp (WebP), save them as PNG or JPEG; a link to a file that "
                             "is not there: link.png");
  fs::remove(dir / "scan.tif");
  fs::remove(dir / "scratch" / "b");
  fs::remove(dir / "link.png");
  EXPECT_EQ(channels_of(dir.string(), {"renamed.webp"}), 1);
  fs::remove(dir / "renamed.webp");
  fs::remove(dir / "shot");
  const fs::path only = dir / "only";
  fs::create_directories(only / "normal");
  fs::copy_file(dir / "img1.png", only / "normal" / "n.png");
  EXPECT_EQ(error_of([&] { image_files_in(only.string()); }),
            "the folder '" + only.string() + "' has no image files (.png, .jpg, .jpeg, .bmp, .gif) directly in it; it "
            "holds the sub-folder normal/ (1 image). Images in sub-folders are read when a labels CSV lists them (a "
            "\"file\" column with paths such as normal/a.png), or give a sub-folder as the folder");
  EXPECT_TRUE(image_files_in(only.string(), nullptr, false).empty());
  // A labels CSV may list images in sub-folders; a name in another case than on disk is said.
  { std::ofstream(only / "labels.csv") << "file,label\nnormal/n.png,ok\n"; }
  EXPECT_EQ(read_image_folder(only.string(), (only / "labels.csv").string(), options, 28, 28, 1).labels, (std::vector<int>{0}));
  { std::ofstream(only / "labels.csv") << "file,label\nnormal/N.PNG,ok\n"; }
  EXPECT_EQ(error_of([&] { read_image_folder(only.string(), (only / "labels.csv").string(), options, 28, 28, 1); }),
            (only / "labels.csv").string() + " line 2: there is no image 'normal/N.PNG' in '" + only.string() +
                "'; there is 'normal/n.png': write the name as it is on disk (case counts)");
  // A listed link whose target is missing: said as such, with the target.
  fs::create_symlink(only / "gone.png", only / "normal" / "g.png");
  { std::ofstream(only / "labels.csv") << "file,label\nnormal/g.png,ok\n"; }
  EXPECT_EQ(error_of([&] { read_image_folder(only.string(), (only / "labels.csv").string(), options, 28, 28, 1); }),
            (only / "labels.csv").string() + " line 2: there is no image 'normal/g.png' in '" + only.string() +
                "': 'normal/g.png' is a link to a file that is not there ('" + (only / "gone.png").string() +
                "'): copy the image itself into the folder");
  fs::remove(only / "normal" / "g.png");
  { std::ofstream(only / "labels.csv") << "file,label\nNORMAL/n.png,ok\n"; }  // the folder's name in another case
  EXPECT_NE(error_of([&] { read_image_folder(only.string(), (only / "labels.csv").string(), options, 28, 28, 1); })
                .find("there is 'normal/n.png'"), std::string::npos);
  // Written on Windows: backslashes separate the path's parts; a full path is refused saying the
  // part of it that is in the folder.
  std::vector<std::string> read_files;
  { std::ofstream(only / "labels.csv") << "file,label\nnormal\\n.png,ok\n"; }
  EXPECT_EQ(read_image_folder(only.string(), (only / "labels.csv").string(), options, 28, 28, 1, &read_files).labels,
            (std::vector<int>{0}));
  EXPECT_EQ(read_files, (std::vector<std::string>{"normal/n.png"}));
  { std::ofstream(only / "labels.csv") << "file,label\nC:\\Users\\ana\\shots\\normal\\n.png,ok\n"; }
  EXPECT_EQ(error_of([&] { read_image_folder(only.string(), (only / "labels.csv").string(), options, 28, 28, 1); }),
            (only / "labels.csv").string() + " line 2: there is no image 'C:\\Users\\ana\\shots\\normal\\n.png' in '" +
                only.string() + "': the names are read as paths in the folder; write it as 'normal/n.png'");
  { std::ofstream(only / "labels.csv") << "file,label\n/home/ana/shots/normal/n.png,ok\n"; }
  EXPECT_EQ(error_of([&] { read_image_folder(only.string(), (only / "labels.csv").string(), options, 28, 28, 1); }),
            (only / "labels.csv").string() + " line 2: there is no image '/home/ana/shots/normal/n.png' in '" +
                only.string() + "': the names are read as paths in the folder; write it as 'normal/n.png'");
  // A full path through the folder itself is the image's path in it; spaces around a name are no
  // part of it; a path out of the folder, or a full path elsewhere, is refused, saying so.
  for (const std::string& written : {"C:\\Users\\ana\\" + only.filename().string() + "\\normal\\n.png",
                                     fs::absolute(only / "normal" / "n.png").string(), std::string("normal/n.png  ")}) {
    { std::ofstream(only / "labels.csv") << "file,label\n\"" << written << "\",ok\n"; }
    EXPECT_EQ(read_image_folder(only.string(), (only / "labels.csv").string(), options, 28, 28, 1, &read_files).labels,
              (std::vector<int>{0})) << written;
    EXPECT_EQ(read_files.at(0), "normal/n.png") << written;
  }
  { std::ofstream(only / "labels.csv") << "file,label\n..\\img1.png,ok\n"; }
  EXPECT_EQ(error_of([&] { read_image_folder(only.string(), (only / "labels.csv").string(), options, 28, 28, 1); }),
            (only / "labels.csv").string() + " line 2: '..\\img1.png' is outside the folder '" + only.string() +
                "' (the names are read as paths in the folder): move the image into it");
  // A folder or a pipe listed is said (opening it failed inside the stream library, or waited).
  { std::ofstream(only / "labels.csv") << "file,label\nnormal,ok\n"; }
  EXPECT_EQ(error_of([&] { read_image_folder(only.string(), (only / "labels.csv").string(), options, 28, 28, 1); }),
            (only / "labels.csv").string() + " line 2: 'normal' is a folder, not an image: list each image in it on its own "
            "line ('normal/NAME.png')");
#ifndef __EMSCRIPTEN__  // (Emscripten's file system takes a pipe for a file: no pipes in a browser)
  ASSERT_EQ(::mkfifo((only / "pipe.png").c_str(), 0600), 0);
  { std::ofstream(only / "labels.csv") << "file,label\npipe.png,ok\n"; }
  EXPECT_EQ(error_of([&] { read_image_folder(only.string(), (only / "labels.csv").string(), options, 28, 28, 1); }),
            (only / "labels.csv").string() + " line 2: 'pipe.png' is not a file (a pipe, socket or device): list image files");
  fs::remove(only / "pipe.png");
#endif
  // A name without its extension, or with another: the image on disk is named.
  for (const std::string written : {"normal/n", "normal/n.jpg"}) {
    { std::ofstream(only / "labels.csv") << "file,label\n" << written << ",ok\n"; }
    EXPECT_EQ(error_of([&] { read_image_folder(only.string(), (only / "labels.csv").string(), options, 28, 28, 1); }),
              (only / "labels.csv").string() + " line 2: there is no image '" + written + "' in '" + only.string() +
                  "'; there is 'normal/n.png': write the name with its extension as it is on disk");
  }
  // A path from where the labels CSV is (beside the folder), and a name composed in the CSV that
  // macOS wrote decomposed on disk ("Mu\u0308ller"): the image is read.
  { std::ofstream(dir / "beside.csv") << "file,label\n" << only.filename().string() << "/normal/n.png,ok\n"; }
  EXPECT_EQ(read_image_folder(only.string(), (dir / "beside.csv").string(), options, 28, 28, 1, &read_files).labels, (std::vector<int>{0}));
  EXPECT_EQ(read_files, (std::vector<std::string>{"normal/n.png"}));
  fs::copy_file(only / "normal" / "n.png", only / "normal" / "Mu\xCC\x88ller.png");
  { std::ofstream(only / "labels.csv") << "file,label\nnormal/M\xC3\xBCller.png,ok\n"; }
  EXPECT_EQ(read_image_folder(only.string(), (only / "labels.csv").string(), options, 28, 28, 1, &read_files).labels, (std::vector<int>{0}));
  EXPECT_EQ(read_files, (std::vector<std::string>{"normal/Mu\xCC\x88ller.png"}));
  fs::remove(only / "normal" / "Mu\xCC\x88ller.png");
  { std::ofstream(only / "labels.csv") << "file,label\n" << fs::absolute(dir / "img1.png").string() << ",ok\n"; }
  EXPECT_EQ(error_of([&] { read_image_folder(only.string(), (only / "labels.csv").string(), options, 28, 28, 1); }),
            (only / "labels.csv").string() + " line 2: there is no image '" + fs::absolute(dir / "img1.png").string() +
                "' in '" + only.string() + "': it is a full path to somewhere else; the names are read as paths in the folder");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ca3
