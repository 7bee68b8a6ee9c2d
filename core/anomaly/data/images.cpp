#include "core/anomaly/data/images.h"


#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string_view>
#include <unordered_map>

#define STBI_NO_STDIO
#define STBI_NO_HDR
#define STBI_NO_LINEAR
#define STBI_NO_PSD
#define STBI_NO_TGA
#define STBI_NO_PIC
#define STBI_NO_PNM
#define STBI_MAX_DIMENSIONS (1 << 24)  // sizes are checked against kMaxImageSide and kMaxImagePixels from the header
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
#include "core/anomaly/model_file.h"
#include "core/anomaly/data/text.h"
#include "core/engine/error.h"

namespace ca3 {

namespace {

// The EXIF orientation (1-8) of a JPEG, 1 when it has none: APP1 "Exif", TIFF IFD0, tag 0x0112.
int exif_orientation(const uint8_t* data, size_t size) {
  if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) return 1;
  size_t at = 2;
  while (at + 4 <= size && data[at] == 0xFF) {
    const uint8_t marker = data[at + 1];
    const size_t length = size_t(data[at + 2]) << 8 | data[at + 3];
    if (marker == 0xDA || length < 2 || at + 2 + length > size) return 1;  // image data: no EXIF before it
    if (marker == 0xE1 && length >= 16 && std::memcmp(data + at + 4, "Exif\0\0", 6) == 0) {
      const uint8_t* tiff = data + at + 10;
      const size_t tiff_size = length - 8;
      const bool little = tiff[0] == 'I';
      auto u16 = [&](size_t o) { return o + 2 > tiff_size ? 0 : little ? tiff[o] | tiff[o + 1] << 8 : tiff[o] << 8 | tiff[o + 1]; };
      auto u32 = [&](size_t o) -> size_t {
        if (o + 4 > tiff_size) return 0;
        return little ? size_t(tiff[o]) | size_t(tiff[o + 1]) << 8 | size_t(tiff[o + 2]) << 16 | size_t(tiff[o + 3]) << 24
                      : size_t(tiff[o]) << 24 | size_t(tiff[o + 1]) << 16 | size_t(tiff[o + 2]) << 8 | size_t(tiff[o + 3]);
      };
      const size_t ifd = u32(4);
      const int entries = u16(ifd);
      for (int e = 0; e < entries; ++e) {
        const size_t entry = ifd + 2 + size_t(e) * 12;
        if (u16(entry) == 0x0112) {
          const int value = u16(entry + 8);
          return value >= 1 && value <= 8 ? value : 1;
        }
      }
      return 1;
    }
    at += 2 + length;
  }
  return 1;
}

// The source pixel (y, x) of output pixel (oy, ox) under EXIF orientation o, for a stored image of
// h x w (orientations 5-8 swap the output's sides).
void oriented_source(int o, int64_t h, int64_t w, int64_t oy, int64_t ox, int64_t& y, int64_t& x) {
  switch (o) {
    case 2: y = oy, x = w - 1 - ox; break;          // mirrored
    case 3: y = h - 1 - oy, x = w - 1 - ox; break;  // upside down
    case 4: y = h - 1 - oy, x = ox; break;          // mirrored upside down
    case 5: y = ox, x = oy; break;                  // transposed
    case 6: y = h - 1 - ox, x = oy; break;          // turn 90 degrees clockwise
    case 7: y = h - 1 - ox, x = w - 1 - oy; break;  // transverse
    case 8: y = ox, x = w - 1 - oy; break;          // turn 90 degrees counterclockwise
    default: y = oy, x = ox; break;
  }
}

// The size limit in words.
std::string size_limit() {
  return detail::concat("at most ", kMaxImagePixels / 1'000'000, " megapixels, such as 10000x10000, and ", kMaxImageSide, " pixels a side");
}

constexpr const char* kCutShort = ": the image file ends too early (cut short when copied or downloaded?): copy it again";

// `n` bytes of `bytes` from `at`, or an empty view where the file is shorter.
std::string_view bytes_at(std::string_view bytes, size_t at, size_t n) {
  return at + n <= bytes.size() ? bytes.substr(at, n) : std::string_view();
}

// Whether a JPEG lacks its end: no EOI marker after its first scan. The segments before the scan
// are walked by their lengths (an EXIF thumbnail inside APP1, with its own EOI, is skipped);
// entropy-coded data never holds FF D9, so the first one after the scan is the image's end, and
// what follows it (a camera's trailer, a motion photo's video) is no part of it.
bool jpeg_cut_short(std::string_view bytes) {
  size_t at = 2;
  while (at + 4 <= bytes.size() && uint8_t(bytes[at]) == 0xFF) {
    const uint8_t marker = uint8_t(bytes[at + 1]);
    if (marker == 0xDA) return bytes.find("\xFF\xD9", at) == std::string_view::npos;
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
      at += 2;
      continue;
    }
    at += 2 + (size_t(uint8_t(bytes[at + 2])) << 8 | uint8_t(bytes[at + 3]));
  }
  return at + 4 > bytes.size();  // the bytes ran out before a scan (else a damaged segment: not cut)
}


// Whether the bytes lack their format's end, which every writer puts there: JPEG's EOI marker,
// PNG's IEND chunk, GIF's trailer, the size a BMP's header gives. stb_image decodes some such
// files as if whole (a GIF or BMP cut in half: the missing rows black).
bool cut_short(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.starts_with("\xFF\xD8")) return jpeg_cut_short(bytes);
  if (bytes.starts_with("\x89PNG")) return bytes.rfind("IEND") == std::string_view::npos;
  if (bytes.starts_with("GIF8")) return gif_frames(bytes) < 0;
  if (bytes.starts_with("BM") && size >= 6) {
    const size_t declared = size_t(data[2]) | size_t(data[3]) << 8 | size_t(data[4]) << 16 | size_t(data[5]) << 24;
    return declared > size;  // (0 when the writer left it out)
  }
  return false;
}

// Whether a PNG's critical chunk (IHDR, PLTE, IDAT, IEND) fails its CRC, as libpng refuses it: the
// bytes changed after writing (stb_image does not check, and decodes what is left).
bool png_checksum_fails(const uint8_t* data, size_t size) {
  if (size < 8 || std::memcmp(data, "\x89PNG", 4) != 0) return false;
  for (size_t at = 8; at + 12 <= size;) {
    const size_t length = size_t(data[at]) << 24 | size_t(data[at + 1]) << 16 | size_t(data[at + 2]) << 8 | data[at + 3];
    if (length > size - at - 12) return false;  // cut short: said as such
    const uint8_t* type = data + at + 4;
    const uint32_t stored = uint32_t(type[4 + length]) << 24 | uint32_t(type[5 + length]) << 16 | uint32_t(type[6 + length]) << 8 | type[7 + length];
    if (type[0] >= 'A' && type[0] <= 'Z' && crc32(type, length + 4) != stored) return true;
    if (std::memcmp(type, "IEND", 4) == 0) break;
    at += length + 12;
  }
  return false;
}

// A binary Netpbm image (PBM, PGM, PPM: "P4" to "P6"): white space, comment lines, its width,
// then pixel bytes no text has. The text forms (P1 to P3) read like a table of one column named
// "P2": not told.
bool netpbm(std::string_view b) {
  if (b.size() < 4 || b[0] != 'P' || b[1] < '4' || b[1] > '6' || !std::isspace(static_cast<unsigned char>(b[2]))) return false;
  size_t at = 2;
  while (at < b.size() && (std::isspace(static_cast<unsigned char>(b[at])) || b[at] == '#'))
    if (b[at] == '#') at = std::min(b.find('\n', at), b.size());
    else ++at;
  return at < b.size() && std::isdigit(static_cast<unsigned char>(b[at])) &&
         std::any_of(b.begin() + long(at), b.end(), [](char c) {
           const auto u = static_cast<unsigned char>(c);
           return u >= 0x80 || (u < 0x20 && u != '\t' && u != '\n' && u != '\r');
         });
}

// The kind of image CA3 does not decode that its first bytes say it is ("WebP", "TIFF", "HEIC",
// "AVIF", "SVG", "Netpbm", "OpenEXR", "Photoshop", "Sun raster", "JPEG 2000"; "" for others).
std::string unread_kind(std::string_view bytes) {
  const std::string_view brand = bytes_at(bytes, 4, 4) == "ftyp" ? bytes_at(bytes, 8, 4) : std::string_view();
  if (netpbm(bytes)) return "Netpbm";
  if (bytes.starts_with("v/1\x01")) return "OpenEXR";
  if (bytes.starts_with("8BPS")) return "Photoshop";
  if (bytes.starts_with("\x59\xA6\x6A\x95")) return "Sun raster";
  static constexpr char kJp2[] = {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', '\r', '\n', char(0x87), '\n'};  // the signature box
  if (bytes.starts_with(std::string_view(kJp2, sizeof kJp2)) || bytes.starts_with("\xFF\x4F\xFF\x51")) return "JPEG 2000";
  if (bytes.starts_with("RIFF") && bytes_at(bytes, 8, 4) == "WEBP") return "WebP";
  if (bytes.starts_with(std::string_view("II*\0", 4)) || bytes.starts_with(std::string_view("MM\0*", 4))) return "TIFF";
  if (brand == "heic" || brand == "heix" || brand == "mif1") return "HEIC";
  if (brand == "avif") return "AVIF";
  if (bytes.find("<svg") != std::string_view::npos && bytes.find("<svg") < 512) return "SVG";
  return "";
}

// The kind of image CA3 decodes that its first bytes say it is ("PNG", "JPEG", "GIF", "BMP"), else
// unread_kind's.
std::string image_kind(std::string_view h) {
  // A BMP: "BM", reserved bytes 6 to 9 zero (no text has them), a known header size at 14 (12,
  // 40, 52, 56, 108, 124).
  const bool bmp = h.size() >= 15 && h.starts_with("BM") && h.substr(6, 4) == std::string_view("\0\0\0\0", 4) &&
                   (h[14] == 12 || h[14] == 40 || h[14] == 52 || h[14] == 56 || h[14] == 108 || h[14] == 124);
  if (h.starts_with("\x89PNG")) return "PNG";
  if (h.starts_with("\xFF\xD8\xFF")) return "JPEG";
  if (h.starts_with("GIF87a") || h.starts_with("GIF89a")) return "GIF";
  if (bmp) return "BMP";
  return unread_kind(h);
}

bool decoded_kind(const std::string& kind) { return kind == "PNG" || kind == "JPEG" || kind == "GIF" || kind == "BMP"; }

// Why the decoder refused a file, in words with what to do (its own reasons are terse codes:
// "outofdata", "BMP RLE").
std::string decoder_reason(const std::string& name, const uint8_t* data, size_t size) {
  const std::string reason = stbi_failure_reason() ? stbi_failure_reason() : "";
  if (const std::string kind = unread_kind(std::string_view(reinterpret_cast<const char*>(data), size)); !kind.empty())
    return name + (kind == "SVG" ? ": an SVG drawing" : kind == "AVIF" || kind == "OpenEXR" ? ": an " + kind + " image" : ": a " + kind + " image") +
           ", which CA3 does not read: save it as PNG or JPEG";
  if (reason == "too large") return name + ": the image is larger than CA3 decodes (" + size_limit() + "): make it smaller";
  if (reason == "outofmem") return name + ": out of memory decoding the image: make it smaller";
  if (reason == "BMP RLE" || reason == "BMP JPEG/PNG" || reason == "unknown BMP")
    return name + ": a compressed or unusual BMP, which CA3 does not read: save it as PNG";
  if (reason == "only 8-bit" || reason == "1/2/4/8/16-bit only" || reason == "max value > 65535")
    return name + ": an image of a bit depth CA3 does not read: save it as an 8-bit PNG";
  // A file that lacks its format's end was cut short, whatever the decoder stumbled on first.
  if (cut_short(data, size) || reason == "outofdata" || reason == "read past buffer" || reason == "not enough pixels" ||
      reason == "no IDAT")
    return name + kCutShort;
  if (reason == "unknown image type" || reason == "not GIF" || reason == "not BMP" || reason == "bad png sig" || reason == "no SOI")
    return name + ": not an image CA3 can read (PNG, JPEG, BMP or GIF)";
  return name + ": the image data is damaged (the file does not decode as the image it says it is): save it again";
}

}  // namespace

// Its blocks (extensions, images with their colour tables and data sub-blocks) walked to the 0x3B
// that ends them; bytes after it are no part of it.
int64_t gif_frames(std::string_view bytes) {
  const auto byte = [&](size_t i) { return i < bytes.size() ? int(uint8_t(bytes[i])) : -1; };
  const auto sub_blocks = [&](size_t at) {  // past the sub-blocks from `at`, or npos when cut
    for (int n; (n = byte(at)) > 0;) at += size_t(n) + 1;
    return byte(at) == 0 ? at + 1 : std::string_view::npos;
  };
  if (bytes.size() < 13) return -1;
  size_t at = 13;
  int64_t frames = 0;
  if (byte(10) & 0x80) at += 3 * (size_t(1) << ((byte(10) & 7) + 1));  // global colour table
  for (;;) {
    const int kind = byte(at);
    if (kind == 0x3B) return frames;
    if (kind == 0x21) at = sub_blocks(at + 2);
    else if (kind == 0x2C) {
      const int packed = byte(at + 9);
      if (packed < 0) return -1;
      ++frames;
      at += 10 + ((packed & 0x80) ? 3 * (size_t(1) << ((packed & 7) + 1)) : 0) + 1;  // + the LZW code size
      at = sub_blocks(at);
    } else {
      return -1;
    }
    if (at == std::string_view::npos) return -1;
  }
}

std::string image_bytes_problem(std::string_view bytes, const std::string& name) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  if (cut_short(data, bytes.size())) return name + kCutShort;
  if (png_checksum_fails(data, bytes.size()))
    return name + ": the image data is damaged (a checksum of the PNG does not match its data): save it again";
  return "";
}

DecodedImage decode_image(const uint8_t* data, size_t size, const std::string& name) {
  CA3_CHECK(size > 0, name, ": the file is empty");
  CA3_CHECK(size < (size_t(1) << 31), name, ": the file is too large for an image");
  int width = 0, height = 0, stored = 0;
  if (!stbi_info_from_memory(data, int(size), &width, &height, &stored)) {
    // info() tries every format and keeps the last one's reason; a decode stops at the format the
    // file says it is and gives that format's reason ("too large", "BMP RLE").
    stbi_image_free(stbi_load_from_memory(data, int(size), &width, &height, &stored, 4));
    throw Error(ErrorCode::unsupported_file, decoder_reason(name, data, size));
  }
  // A BMP stored top-down (Windows GDI, .NET) gives a negative height: stb_image's info passes it
  // on as it is, its decoder reads such a file upright.
  if (height < 0 && size >= 2 && data[0] == 'B' && data[1] == 'M') height = -height;
  // A header that gives a side of 0 pixels: cut short within it, or not written whole.
  if (width <= 0 || height <= 0)
    throw Error(ErrorCode::unsupported_file, cut_short(data, size) ? name + kCutShort
                                                                   : detail::concat(name, ": the image's header gives it ", width, "x", height,
                                                                                    " pixels: the file is damaged; save it again"));
  if (!(width <= kMaxImageSide && height <= kMaxImageSide &&
        int64_t(width) * int64_t(height) <= kMaxImagePixels)) {
    char megapixels[32];
    std::snprintf(megapixels, sizeof megapixels, "%.2f", double(width) * double(height) / 1e6);
    throw Error(detail::concat(name, ": the image is ", width, "x", height, " pixels (", megapixels,
                               " megapixels), larger than CA3 decodes (", size_limit(), "): make it smaller"));
  }
  // Cut short, yet decoded as if whole (the missing part black), or changed after writing: refused
  // as damaged files are.
  if (std::string problem = image_bytes_problem(std::string_view(reinterpret_cast<const char*>(data), size), name); !problem.empty())
    throw Error(ErrorCode::unsupported_file, problem);
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load_from_memory(data, int(size), &width, &height, &stored, 4),
                                                   stbi_image_free);
  CA3_CHECK_CODE(pixels, ErrorCode::unsupported_file, decoder_reason(name, data, size));
  DecodedImage image;
  image.kind = image_kind(std::string_view(reinterpret_cast<const char*>(data), std::min<size_t>(size, 512)));
  image.orientation = exif_orientation(data, size);
  image.deep = stbi_is_16_bit_from_memory(data, int(size)) != 0;
  if (image.kind == "GIF") image.frames = std::max<int64_t>(1, gif_frames(std::string_view(reinterpret_cast<const char*>(data), size)));
  const bool swap = image.orientation >= 5;
  image.height = swap ? width : height, image.width = swap ? height : width;
  image.rgba.resize(size_t(width) * size_t(height) * 4);
  const uint8_t* src = pixels.get();
  for (int64_t oy = 0; oy < image.height; ++oy)
    for (int64_t ox = 0; ox < image.width; ++ox) {
      int64_t y, x;
      oriented_source(image.orientation, height, width, oy, ox, y, x);
      const uint8_t* p = src + (y * width + x) * 4;
      uint8_t* q = image.rgba.data() + (oy * image.width + ox) * 4;
      std::memcpy(q, p, 4);
    }
  image.grey = is_grey(image.rgba.data(), size_t(width) * size_t(height));
  for (size_t i = 3; i < image.rgba.size() && !image.transparent; i += 4) image.transparent = image.rgba[i] < 255;
  return image;
}

DecodedImage read_image_file(const std::string& path) {
  const std::vector<uint8_t> bytes = read_file_bytes(path);
  return decode_image(bytes.data(), bytes.size(), path);
}

bool is_grey(const uint8_t* rgba, size_t pixels) {
  // Composited over black (rgb * alpha), a transparent pixel is black: grey whatever it hides.
  for (size_t i = 0; i < pixels * 4; i += 4)
    if (rgba[i + 3] != 0 && !(rgba[i] == rgba[i + 1] && rgba[i + 1] == rgba[i + 2])) return false;
  return true;
}

void image_to_input(const uint8_t* rgba, int64_t h, int64_t w, int64_t H, int64_t W, int64_t C, float* out) {
  CA3_CHECK(h >= 1 && w >= 1 && H >= 1 && W >= 1 && (C == 1 || C == 3), "image_to_input: sizes ", w, "x", h, " -> ",
            W, "x", H, "x", C);
  // The centre crop with the model's aspect ratio.
  int64_t crop_w = w, crop_h = h;
  if (w * H > W * h) crop_w = std::max<int64_t>(1, (h * W + H / 2) / H);
  else if (w * H < W * h) crop_h = std::max<int64_t>(1, (w * H + W / 2) / W);
  const int64_t x_start = (w - crop_w) / 2, y_start = (h - crop_h) / 2;
  // Composited over black, in [0, 255].
  auto value = [&](int64_t x, int64_t y, int c) {
    const uint8_t* p = rgba + ((y_start + y) * w + (x_start + x)) * 4;
    return double(p[c]) * double(p[3]) / 255.0;
  };
  const double sx = double(crop_w) / double(W), sy = double(crop_h) / double(H);
  for (int64_t Y = 0; Y < H; ++Y)
    for (int64_t X = 0; X < W; ++X) {
      double rgb[3] = {0, 0, 0};
      if (sx >= 1 && sy >= 1) {
        // Area average over the source pixels this target pixel covers (fractional edges weighted).
        const double x0 = double(X) * sx, x1 = x0 + sx, y0 = double(Y) * sy, y1 = y0 + sy;
        double weight = 0;
        for (int64_t y = int64_t(std::floor(y0)); y < int64_t(std::ceil(y1)) && y < crop_h; ++y) {
          const double wy = std::min(double(y + 1), y1) - std::max(double(y), y0);
          for (int64_t x = int64_t(std::floor(x0)); x < int64_t(std::ceil(x1)) && x < crop_w; ++x) {
            const double k = (std::min(double(x + 1), x1) - std::max(double(x), x0)) * wy;
            for (int c = 0; c < 3; ++c) rgb[c] += k * value(x, y, c);
            weight += k;
          }
        }
        for (double& v : rgb) v /= weight;
      } else {
        // Bilinear, pixel centres aligned.
        const double fx = std::clamp((double(X) + 0.5) * sx - 0.5, 0.0, double(crop_w - 1));
        const double fy = std::clamp((double(Y) + 0.5) * sy - 0.5, 0.0, double(crop_h - 1));
        const int64_t xa = int64_t(fx), ya = int64_t(fy);
        const int64_t xb = std::min(xa + 1, crop_w - 1), yb = std::min(ya + 1, crop_h - 1);
        const double tx = fx - double(xa), ty = fy - double(ya);
        for (int c = 0; c < 3; ++c)
          rgb[c] = (1 - ty) * ((1 - tx) * value(xa, ya, c) + tx * value(xb, ya, c)) +
                   ty * ((1 - tx) * value(xa, yb, c) + tx * value(xb, yb, c));
      }
      float* o = out + (Y * W + X) * C;
      if (C == 1) o[0] = float((0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255.0);
      else for (int c = 0; c < 3; ++c) o[c] = float(rgb[c] / 255.0);
    }
}

std::vector<float> image_to_input(const DecodedImage& image, int64_t H, int64_t W, int64_t C) {
  std::vector<float> out(size_t(H * W * C));
  image_to_input(image.rgba.data(), image.height, image.width, H, W, C, out.data());
  return out;
}

namespace {
std::string lower_extension(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  for (char& c : extension) c = char(std::tolower(static_cast<unsigned char>(c)));
  return extension;
}

bool image_extension(const std::filesystem::path& path) {
  const std::string extension = lower_extension(path);
  return extension == ".png" || extension == ".jpg" || extension == ".jpeg" || extension == ".bmp" || extension == ".gif";
}

// The image kind a file's first bytes say it is (image_kind; "" for none).
std::string file_kind(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(512, '\0');
  in.read(head.data(), std::streamsize(head.size()));
  head.resize(size_t(std::max<std::streamsize>(in.gcount(), 0)));
  return image_kind(head);
}

}  // namespace

std::string FolderLeftOut::text() const {
  std::string out;
  if (!folders.empty()) {
    std::vector<std::string> named;
    for (const auto& [name, images] : folders)
      named.push_back(name + "/ (" + std::to_string(images) + (images == 1 ? " image)" : " images)"));
    out += (folders.size() == 1 ? "the sub-folder " : "the sub-folders ") + list_some(named, 4);
  }
  std::vector<std::string> files, images;
  for (const auto& [name, kind] : other)
    if (kind.empty()) files.push_back(name);
    else images.push_back(name + " (" + kind + ")");
  const auto part = [&](const std::vector<std::string>& names, const std::string& one, const std::string& many,
                        const std::string& after) {
    if (names.empty()) return;
    out += (out.empty() ? "" : "; ") + (names.size() == 1 ? one : std::to_string(names.size()) + " " + many) + ": " +
           list_some(names, 4) + after;
  };
  part(files, "a file of another kind", "files of another kind", "");
  part(images, "an image of a kind CA3 does not read", "images of kinds CA3 does not read",
       images.size() == 1 ? ", save it as PNG or JPEG" : ", save them as PNG or JPEG");
  part(dangling, "a link to a file that is not there", "links to files that are not there", "");
  return out;
}

std::vector<std::string> image_files_in(const std::string& folder, FolderLeftOut* left_out, bool required) {
  namespace fs = std::filesystem;
  std::error_code error;
  CA3_CHECK(fs::is_directory(folder, error), "'", folder, "' is not a folder");
  std::vector<std::string> names;
  FolderLeftOut skipped;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    std::error_code e;
    if (name[0] == '.') {
      if (entry.is_regular_file(e)) skipped.hidden.push_back(name);
    } else if (entry.is_directory(e)) {
      int64_t images = 0;
      for (const fs::directory_entry& inner : fs::directory_iterator(entry.path(), e))
        images += inner.path().filename().string()[0] != '.' && inner.is_regular_file(e) &&
                  (image_extension(inner.path()) || decoded_kind(file_kind(inner.path())));
      skipped.folders.emplace_back(name, images);
    } else if (entry.is_regular_file(e)) {
      const bool named_image = image_extension(entry.path());
      const std::string kind = named_image ? "" : file_kind(entry.path());
      if (decoded_kind(kind)) skipped.by_content.emplace_back(name, kind);
      if (named_image || decoded_kind(kind)) names.push_back(name);
      else skipped.other.emplace_back(name, kind);
    } else if (entry.is_symlink(e) && !entry.exists(e)) {
      skipped.dangling.push_back(name);
    }
  }
  CA3_CHECK(!error, "cannot list the folder '", folder, "': ", error.message());
  std::sort(skipped.hidden.begin(), skipped.hidden.end());
  std::sort(skipped.folders.begin(), skipped.folders.end());
  std::sort(skipped.other.begin(), skipped.other.end());
  std::sort(skipped.dangling.begin(), skipped.dangling.end());
  std::sort(skipped.by_content.begin(), skipped.by_content.end());
  if (required && names.empty()) {
    const std::string there = skipped.text();
    throw Error("the folder '" + folder + "' has no image files (.png, .jpg, .jpeg, .bmp, .gif) directly in it" +
                (there.empty() ? std::string()
                               : "; it holds " + there + ". Images in sub-folders are read when a labels CSV lists "
                                 "them (a \"file\" column with paths such as " +
                                 (skipped.folders.empty() ? std::string("sub/a.png") : skipped.folders[0].first + "/a.png") +
                                 "), or give a sub-folder as the folder"));
  }
  std::sort(names.begin(), names.end());
  if (left_out) *left_out = std::move(skipped);
  return names;
}

Tensor read_images(const std::string& folder, const std::vector<std::string>& files, int64_t H, int64_t W, int64_t C) {
  Tensor images({int64_t(files.size()), H, W, C});
  for (size_t i = 0; i < files.size(); ++i) {
    const DecodedImage image = read_image_file((std::filesystem::path(folder) / files[i]).string());
    image_to_input(image.rgba.data(), image.height, image.width, H, W, C, images.mutable_data() + int64_t(i) * H * W * C);
  }
  return images;
}

int64_t channels_of(const std::string& folder, const std::vector<std::string>& files) {
  for (const std::string& file : files)
    if (!read_image_file((std::filesystem::path(folder) / file).string()).grey) return 3;
  return 1;
}

std::string listed_image(const std::string& folder, const std::string& name, const std::string& labels_csv, int64_t line) {
  namespace fs = std::filesystem;
  std::error_code e;
  const std::string at = detail::concat(labels_csv, " line ", line, ": ");
  const std::string where = detail::concat(at, "there is no image '", name, "' in '", folder, "'");
  // The image found: a file (a folder or a pipe listed is said; opening it would fail or wait).
  const auto image = [&](const std::string& path) {
    const fs::path on_disk = fs::path(folder) / path;
    if (fs::is_directory(on_disk, e))
      throw Error(detail::concat(at, "'", name, "' is a folder, not an image: list each image in it on its own line ('",
                                 fs::path(path).lexically_normal().generic_string(), "/NAME.png')"));
    if (!fs::is_regular_file(on_disk, e))
      throw Error(detail::concat(at, "'", name, "' is not a file (a pipe, socket or device): list image files"));
    return path;
  };
  const auto in_folder = [&](const std::string& path) { return !path.empty() && fs::exists(folder + "/" + path, e); };  // as the readers open it
  // Written on Windows ("good\\g0.png"): backslashes separate the path's parts. Spaces around a
  // name are no part of it.
  std::string slashed(trim(name));
  std::replace(slashed.begin(), slashed.end(), '\\', '/');
  const bool drive = slashed.size() > 2 && std::isalpha(static_cast<unsigned char>(slashed[0])) && slashed[1] == ':' && slashed[2] == '/';
  const bool full = drive || (!slashed.empty() && slashed[0] == '/');
  const fs::path relative = fs::path(drive ? slashed.substr(2) : slashed).relative_path().lexically_normal();
  fs::path dir = fs::absolute(folder, e).lexically_normal();
  if (dir.filename().empty()) dir = dir.parent_path();
  if (!full) {
    const bool up = !relative.empty() && *relative.begin() == "..";
    if (!up && in_folder(name)) return image(name);
    if (!up && in_folder(slashed)) return image(slashed);
    // A path from where the labels CSV is (labels.csv beside the folder: "shots/g0.png" for the
    // folder "shots"), when it leads into the folder.
    const fs::path beside = (fs::absolute(labels_csv, e).parent_path() / relative).lexically_normal();
    const fs::path inside = beside.lexically_relative(dir);
    if (!inside.empty() && *inside.begin() != ".." && in_folder(inside.generic_string())) return image(inside.generic_string());
    CA3_CHECK(!up, at, "'", name, "' is outside the folder '", folder, "' (the names are read as paths in the folder): move the image into it");
  } else {
    // A full path ("C:\\Users\\ana\\shots\\good\\g0.png", "/home/ana/shots/g0.png") through the
    // folder itself: the rest of it is the image's path in the folder.
    const std::vector<fs::path> parts(relative.begin(), relative.end());
    for (size_t k = parts.size(); k-- > 0;) {
      if (parts[k] != dir.filename()) continue;
      fs::path rest;
      for (size_t j = k + 1; j < parts.size(); ++j) rest /= parts[j];
      if (!rest.empty() && in_folder(rest.generic_string())) return image(rest.generic_string());
    }
    for (size_t first = 0; first < parts.size(); ++first) {  // else the end of it that is in the folder, as a hint
      fs::path tail;
      for (size_t j = first; j < parts.size(); ++j) tail /= parts[j];
      if (in_folder(tail.generic_string()))
        throw Error(detail::concat(where, ": the names are read as paths in the folder; write it as '", tail.generic_string(), "'"));
    }
    throw Error(where + ": it is a full path to somewhere else; the names are read as paths in the folder");
  }
  // The path as it is on disk when its parts differ only in case or Unicode form ("good/G0.BMP" for
  // "Good/g0.bmp"; "Müller.png" composed in the CSV, decomposed on disk as macOS writes it).
  fs::path found = folder;
  for (const fs::path& part : relative) {
    fs::path next;
    if (fs::exists(found / part, e)) next = found / part;
    else
      for (const auto& entry : fs::directory_iterator(found, e))
        if (fold_case(entry.path().filename().string()) == fold_case(part.string())) next = entry.path();
    if (next.empty()) {
      found.clear();
      break;
    }
    found = next;
  }
  // A link whose target is missing is there by name but not as a file.
  if (!found.empty() && fs::is_symlink(found, e) && !fs::exists(found, e))
    throw Error(detail::concat(where, ": '", found.lexically_relative(folder).string(), "' is a link to a file that is not there ('",
                               fs::read_symlink(found, e).string(), "'): copy the image itself into the folder"));
  if (!found.empty()) {
    const std::string on_disk = found.lexically_relative(folder).generic_string();
    // The same letters (one composed, the other decomposed): the same name to the user, read.
    if (normalize_text(on_disk) == normalize_text(relative.generic_string())) return image(on_disk);
    throw Error(where + "; there is '" + on_disk + "': write the name as it is on disk (case counts)");
  }
  // An image of the same name with another extension, or the name without its extension.
  const fs::path parent = fs::path(folder) / relative.parent_path();
  std::vector<std::string> same_stem;
  for (const auto& entry : fs::directory_iterator(parent, e)) {
    const std::string stem = fold_case(entry.path().stem().string());
    if (image_extension(entry.path()) && (stem == fold_case(relative.filename().string()) || stem == fold_case(relative.stem().string())))
      same_stem.push_back((relative.parent_path() / entry.path().filename()).generic_string());
  }
  std::sort(same_stem.begin(), same_stem.end());
  if (!same_stem.empty())
    throw Error(where + "; there is '" + same_stem[0] + "': write the name with its extension as it is on disk");
  throw Error(where + " (the names are read as paths in the folder)");
}

bool looks_like_image_file(const std::string& path) {
  if (image_extension(path)) return true;
  const std::string extension = lower_extension(path);  // kinds CA3 does not decode: said so when read
  for (const char* other : {".tif", ".tiff", ".webp", ".heic", ".heif", ".avif", ".svg"})
    if (extension == other) return true;
  std::error_code e;
  if (!std::filesystem::is_regular_file(path, e)) return false;  // a pipe's bytes are not read twice
  // Any kind told by its bytes but an SVG, which a table's cell may hold ("<svg ...>").
  const std::string kind = file_kind(path);
  return !kind.empty() && kind != "SVG";
}

namespace {
// What a decoded image named `name` (as given: a path in its folder) is, as ImageFacts says it.
void take_facts(ImageFacts& f, const DecodedImage& image, const std::string& name) {
  f.height = image.height, f.width = image.width, f.grey = image.grey;
  f.transparent = image.transparent, f.deep = image.deep, f.orientation = image.orientation, f.frames = image.frames;
  f.name = name;
  const std::string extension = lower_extension(name);
  const std::string named = extension == ".png" ? "PNG" : extension == ".jpg" || extension == ".jpeg" ? "JPEG"
                            : extension == ".bmp" ? "BMP" : extension == ".gif" ? "GIF" : "";
  // (a kind its first bytes do not tell, as a BMP with odd reserved bytes that still decodes: not said)
  if (!named.empty() && !image.kind.empty() && named != image.kind) f.misnamed = name + " (" + image.kind + ")";
}

// image_facts, naming the file `name` where it is misnamed.
ImageFacts facts_of(const std::string& path, const std::string& name) {
  ImageFacts facts;
  facts.name = name;
  try {
    take_facts(facts, read_image_file(path), name);
  } catch (const Error& e) {
    facts.problem = e.what();
  }
  return facts;
}
}  // namespace

ImageFacts image_facts(const std::string& path) { return facts_of(path, std::filesystem::path(path).filename().string()); }

Tensor read_images(const std::string& folder, const std::vector<std::string>& files, int64_t H, int64_t W, int64_t C,
                   std::vector<ImageFacts>& facts) {
  facts.clear();
  const int64_t per = H * W * C;
  std::vector<float> inputs;
  for (const std::string& file : files) {
    ImageFacts& f = facts.emplace_back();
    f.name = file;
    try {
      const DecodedImage image = read_image_file((std::filesystem::path(folder) / file).string());
      take_facts(f, image, file);
      inputs.resize(inputs.size() + size_t(per));
      image_to_input(image.rgba.data(), image.height, image.width, H, W, C, inputs.data() + inputs.size() - size_t(per));
    } catch (const Error& e) {
      f.problem = e.what();
    }
  }
  Tensor out({int64_t(inputs.size()) / per, H, W, C});
  std::copy(inputs.begin(), inputs.end(), out.mutable_data());
  return out;
}

std::vector<ImageFacts> survey_images(const std::string& folder, const std::vector<std::string>& files) {
  std::vector<ImageFacts> facts;
  facts.reserve(files.size());
  for (const std::string& file : files) facts.push_back(facts_of((std::filesystem::path(folder) / file).string(), file));
  return facts;
}

std::string image_fit_decisions(const std::vector<ImageFacts>& facts, int64_t H, int64_t W) {
  int64_t cropped = 0, enlarged = 0;
  std::vector<std::string> most_cut, animated;
  // The widths' and heights' ranges each (a 300x40 strip among 128x96 photos lies outside any
  // range of whole sizes ordered by area).
  int64_t images = 0, min_w = 0, max_w = 0, min_h = 0, max_h = 0;
  for (const ImageFacts& f : facts) {
    if (!f.problem.empty()) continue;
    min_w = images ? std::min(min_w, f.width) : f.width, max_w = std::max(max_w, f.width);
    min_h = images ? std::min(min_h, f.height) : f.height, max_h = std::max(max_h, f.height);
    ++images;
    cropped += f.width * H != W * f.height;
    // The centre crop's sides (as image_to_input cuts it) below the model's: enlarged.
    const int64_t crop_w = f.width * H > W * f.height ? std::max<int64_t>(1, (f.height * W + H / 2) / H) : f.width;
    const int64_t crop_h = f.width * H < W * f.height ? std::max<int64_t>(1, (f.width * H + W / 2) / W) : f.height;
    enlarged += crop_w < W || crop_h < H;
    // A long strip (a 200x10 scan line for a square model): its centre crop keeps a small part.
    if (2 * crop_w * crop_h < f.width * f.height)
      most_cut.push_back(detail::concat(f.name, " (", f.width, "x", f.height, ": its centre ", crop_w, "x", crop_h, ")"));
    if (f.frames > 1) animated.push_back(detail::concat(f.name, " (", f.frames, " frames)"));
  }
  if (images == 0) return "";
  const auto range = [](int64_t lo, int64_t hi) { return lo == hi ? detail::concat("all ", lo) : detail::concat(lo, " to ", hi); };
  std::string text = min_w == max_w && min_h == max_h
                         ? detail::concat("all ", min_w, "x", min_h, min_w == W && min_h == H ? "" : ", resized")
                         : detail::concat("widths ", range(min_w, max_w), ", heights ", range(min_h, max_h), " pixels, resized");
  if (cropped > 0) text += detail::concat("; ", cropped, " cropped around the centre to the model's shape first");
  if (!most_cut.empty())
    text += detail::concat(" (", most_cut.size(), most_cut.size() == 1 ? " keeps" : " keep",
                           " less than half of the picture: ", names_listed(most_cut, 5, "; "),
                           "; crop such images to the part that matters, or cut them into pieces of the model's shape)");
  if (enlarged > 0) text += detail::concat("; ", enlarged, " enlarged (smaller than ", W, "x", H, ")");
  if (!animated.empty())
    text += detail::concat("; ", animated.size(), animated.size() == 1 ? " animated GIF, read as its first frame: "
                                                                      : " animated GIFs, read as their first frames: ",
                           names_listed(animated, 5, "; "));
  return text;
}

std::string image_decisions(const std::vector<ImageFacts>& facts, int64_t H, int64_t W, int64_t C) {
  int64_t grey = 0, colour = 0, rotated = 0, transparent = 0, deep = 0;
  std::vector<std::string> misnamed;
  for (const ImageFacts& f : facts) {
    if (!f.problem.empty()) continue;
    (f.grey ? grey : colour) += 1;
    rotated += f.orientation != 1;
    transparent += f.transparent;
    deep += f.deep;
    if (!f.misnamed.empty()) misnamed.push_back(f.misnamed);
  }
  if (grey + colour == 0) return "";
  std::vector<std::string> parts;
  if (C == 1 && colour > 0)
    parts.push_back(detail::concat(colour, " colour, read as grey (0.299 r + 0.587 g + 0.114 b)", grey > 0 ? detail::concat(", ", grey, " grey") : ""));
  else if (C == 3 && grey > 0)
    parts.push_back(detail::concat(colour > 0 ? detail::concat(colour, " colour, ") : "", grey, " grey (their grey in all three channels)"));
  else
    parts.push_back(C == 1 ? "all grey" : "all colour");
  parts.push_back(image_fit_decisions(facts, H, W));
  if (rotated > 0) parts.push_back(detail::concat(rotated, rotated == 1 ? " turned upright by its" : " turned upright by their", " EXIF orientation"));
  if (transparent > 0) parts.push_back(detail::concat(transparent, " with transparent pixels, composited over black"));
  if (deep > 0) parts.push_back(detail::concat(deep, " with 16-bit samples, read as 8-bit"));
  if (!misnamed.empty())
    parts.push_back(detail::concat(misnamed.size(), misnamed.size() == 1 ? " named as another kind, read as what its bytes are: "
                                                                         : " named as another kind, read as what their bytes are: ",
                                   names_listed(misnamed, 5, "; ")));
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : "; ") + part;
  return text;
}

std::string unreadable_images(const std::vector<ImageFacts>& facts) {
  // Files with the same reason together ("a.heic, b.heic: ..."), in the order first met: every file
  // is named, so that one run finds them all; each reason is said once.
  std::vector<std::pair<std::string, std::vector<std::string>>> reasons;
  size_t count = 0;
  for (const ImageFacts& f : facts) {
    if (f.problem.empty()) continue;
    ++count;
    const size_t at = f.name.empty() ? std::string::npos : f.problem.find(f.name + ": ");
    const std::string file = at == std::string::npos ? "" : f.problem.substr(0, at + f.name.size());
    const std::string reason = at == std::string::npos ? f.problem : f.problem.substr(at + f.name.size() + 2);
    auto same = std::find_if(reasons.begin(), reasons.end(), [&](const auto& r) { return r.first == reason && !file.empty(); });
    if (same == reasons.end() || file.empty()) reasons.push_back({reason, {}}), same = reasons.end() - 1;
    if (!file.empty()) same->second.push_back(file);
  }
  if (count == 0) return "";
  if (facts.size() == 1) return facts[0].problem;
  std::string text = detail::concat(count, " of ", facts.size(), " image files cannot be read: ");
  for (size_t i = 0; i < reasons.size(); ++i) {
    const auto& [reason, files] = reasons[i];
    text += i ? "; " : "";
    if (!files.empty()) {
      text += names_listed(files, 20) + ": ";
    }
    text += reason;
  }
  return text;
}

std::string image_copies_note(const float* inputs, const std::vector<std::string>& names, int64_t H, int64_t W, int64_t C) {
  const size_t n = names.size();
  if (n == 0) return "";
  const size_t bytes = size_t(H * W * C) * sizeof(float);
  std::unordered_map<std::string_view, size_t> first;
  std::vector<std::string> shown;
  size_t copies = 0;
  for (size_t i = 0; i < n; ++i) {
    const std::string_view pixels(reinterpret_cast<const char*>(inputs) + i * bytes, bytes);
    const auto [at, fresh] = first.emplace(pixels, i);
    if (fresh) continue;
    if (++copies <= 3) shown.push_back(names[i] + " = " + names[at->second]);
  }
  if (copies == 0) return "";
  const std::string which = detail::concat(copies, " of ", n, " images ", copies == 1 ? "is a copy" : "are copies", " of another (the same pixels at ",
                                           W, "x", H, C == 1 ? " grey" : " colour", ": ", list_some(shown, 3),
                                           copies > 3 ? ", ..." : "", ")");
  if (first.size() <= 2)
    return which + ": only " + std::to_string(first.size()) + " distinct image" + (first.size() == 1 ? "" : "s") +
           ", so the model learns " + (first.size() == 1 ? "one picture" : "two pictures") + " and its validation figures say "
           "nothing; give it images that differ as normal ones do";
  return which + "; a copy held out for validation or test beside its twin in training scores as one already seen, so the "
         "validation figures look better than they are: remove the copies";
}

ImageListing list_images(const std::string& folder, const std::string& labels_csv, const TabularOptions* labels) {
  ImageListing listing{read_csv_file(labels_csv), {}};
  const CsvTable& table = listing.table;
  const int64_t file_column = table.find_column("file");
  if (file_column < 0) {
    std::vector<std::string> names;
    for (const std::string& column : table.header) names.push_back("'" + column + "'");
    throw Error(detail::concat(labels_csv, " has no column 'file' naming the images (its columns: ", list_some(names, 12),
                               "): name the column of image names 'file' in its first line"));
  }
  std::map<std::string, size_t> listed;  // name -> its row
  // Every line's problem at once (an empty name, an image not there, one listed twice), so that
  // one pass over the file fixes them: the first in full, then the others by line.
  std::vector<std::string> problems;
  for (size_t i = 0; i < table.row_count(); ++i) {
    const std::string_view written = table.cell(i, size_t(file_column));
    if (written.empty()) {
      problems.push_back(detail::concat(labels_csv, " line ", table.row_line(i), ": the file name is empty"));
      listing.files.emplace_back(written);
      continue;
    }
    std::string name;
    try {
      name = listed_image(folder, std::string(written), labels_csv, table.row_line(i));
    } catch (const Error& e) {
      problems.push_back(e.what());
      listing.files.emplace_back(written);
      continue;
    }
    listing.files.push_back(name);
    const auto [at, first] = listed.emplace(std::filesystem::path(name).lexically_normal().string(), i);  // ./a.png is a.png
    if (!first)
      problems.push_back(detail::concat(labels_csv, " lines ", table.row_line(at->second), " and ", table.row_line(i), " both list '",
                                        name, "': give each image one line (one label)"));
  }
  if (labels && !labels->label_column.empty()) {
    try {
      tabular_labels(table, *labels);
    } catch (const Error& e) {
      problems.push_back(labels_csv + ": " + e.what());
    }
  }
  if (problems.empty()) return listing;
  // The later ones without the file's name and the hint the first gives.
  const std::string hint = " (the names are read as paths in the folder)";
  std::vector<std::string> others;
  for (size_t i = 1; i < problems.size(); ++i) {
    std::string problem = problems[i].starts_with(labels_csv + ": ") ? problems[i].substr(labels_csv.size() + 2)
                          : problems[i].starts_with(labels_csv + " ") ? problems[i].substr(labels_csv.size() + 1)
                                                                      : problems[i];
    if (problem.ends_with(hint) && problems[0].ends_with(hint)) problem.resize(problem.size() - hint.size());
    others.push_back(problem);
  }
  throw Error(others.empty() ? problems[0] : problems[0] + ". Also " + names_listed(others, 5, "; "));
}

Dataset read_image_folder(const std::string& folder, const std::string& labels_csv, const TabularOptions& options,
                          int64_t H, int64_t W, int64_t C, std::vector<std::string>* files) {
  const ImageListing listing = list_images(folder, labels_csv, &options);
  Dataset d{read_images(folder, listing.files, H, W, C), tabular_labels(listing.table, options)};
  if (files) *files = listing.files;
  return d;
}

}  // namespace ca3
