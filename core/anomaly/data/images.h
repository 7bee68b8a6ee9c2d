// Images -> model inputs, by one rule that the command line, the SDK and the page all use (the
// SDK hands the browser's decoded RGBA pixels to image_to_input through the wasm module):
//
//   decoding    PNG (8- or 16-bit, grey, palette, with or without alpha), JPEG (baseline and
//               progressive; not CMYK), BMP, GIF's first frame: stb_image (Debian's libstb-dev)
//               natively, the browser's decoder in a page; 16-bit samples become 8-bit
//   orientation a JPEG's EXIF orientation (1-8) is applied, as browsers show the photo
//   alpha         pixels are composited over black: rgb * alpha (a transparent pixel is black,
//               whatever colour it hides)
//   colour        an image whose every pixel has r = g = b is grey (1 channel), whatever its file
//               stores (a grey palette PNG is grey); a grey model takes colour images as
//               0.299 r + 0.587 g + 0.114 b, a colour model takes grey ones in all three channels
//   size          the image is cropped around its centre to the model's aspect ratio, then resized:
//               area average when shrinking, bilinear (pixel centres aligned) when enlarging
//
//   DecodedImage image = decode_image(bytes.data(), bytes.size(), "cat.png");   // RGBA, upright
//   std::vector<float> input = image_to_input(image, 32, 32, 3);                  // [32, 32, 3] in [0, 1]
//   Dataset d = read_image_folder("shirts/", "shirts/labels.csv", options, 28, 28, 1);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/anomaly/data/tabular.h"
#include "core/anomaly/dataset.h"

namespace ca3 {

// Decoded pixels, upright (EXIF applied), RGBA 8-bit.
struct DecodedImage {
  int64_t height = 0, width = 0;
  std::vector<uint8_t> rgba;  // [height, width, 4]
  bool grey = false;          // every pixel r = g = b after compositing alpha
  int orientation = 1;        // the EXIF orientation that was applied (1: none)
  bool transparent = false;   // some pixel's alpha is below 255
  bool deep = false;          // the file stores 16-bit samples (read as 8-bit)
  std::string kind;           // what its bytes are: "PNG", "JPEG", "BMP" or "GIF"
  int64_t frames = 1;         // the frames an animated GIF holds (the first is decoded)
};

// The largest image decoded: kMaxImagePixels pixels (as the SDK in a browser tab), either side at
// most kMaxImageSide (a line-scan camera's 16384 x 1024 is read); a larger one is refused by the
// size its header gives, before decoding.
inline constexpr int64_t kMaxImagePixels = 100'000'000;
inline constexpr int64_t kMaxImageSide = 65535;

// Throws ca3::Error naming `name` when the bytes are not an image CA3 reads (unsupported_file),
// or one larger than the above (bad_input, with its size).
DecodedImage decode_image(const uint8_t* data, size_t size, const std::string& name);
DecodedImage read_image_file(const std::string& path);

// Whether `path` names an image file: of a kind CA3 reads (.png .jpg .jpeg .bmp .gif, any case) or
// one it does not (.tif .webp .heic .avif .svg: decoding says so), or, whatever its name, a regular
// file that starts as one of them does (PNG, JPEG, BMP, GIF, WebP, TIFF, HEIC, AVIF signatures; not
// SVG's "<svg", which a table's cell may hold; a pipe is not read).
bool looks_like_image_file(const std::string& path);

// What an image file holds before it becomes a model input, for saying what was decided.
struct ImageFacts {
  int64_t height = 0, width = 0;  // upright
  bool grey = false, transparent = false, deep = false;
  int orientation = 1;
  int64_t frames = 1;  // an animated GIF's frames (the first is read)
  std::string name;    // the file as given (a path in its folder)
  std::string problem;  // why it cannot be read, naming the file (decode_image's message); "" when it can
  // "a.jpg (PNG)" when the name's extension is of another kind CA3 reads than its bytes; "" otherwise
  std::string misnamed;
};
ImageFacts image_facts(const std::string& path);
// Each of `files` in `folder`, decoded once.
std::vector<ImageFacts> survey_images(const std::string& folder, const std::vector<std::string>& files);
// Each of `files` in `folder`, decoded once: what each holds to `facts`, and the model inputs
// [k, H, W, C] of the k that can be read, in the files' order.
Tensor read_images(const std::string& folder, const std::vector<std::string>& files, int64_t H, int64_t W, int64_t C,
                   std::vector<ImageFacts>& facts);
// What turning these images into inputs of H x W x C does, in words ("" when none can be read):
// "12 colour, 4 grey (their grey in all three channels); widths 37 to 1024, heights 53 to 768
// pixels, resized; 9 cropped around the centre to the model's shape first; 3 enlarged (smaller
// than 28x28); 2 turned upright by
// their EXIF orientation; 3 with transparent pixels, composited over black; 2 with 16-bit
// samples, read as 8-bit; 1 named as another kind, read as what its bytes are: a.jpg (PNG)";
// images whose centre crop keeps less than half of them, and animated GIFs, are named.
// Unreadable files (a problem) are not counted.
std::string image_decisions(const std::vector<ImageFacts>& facts, int64_t H, int64_t W, int64_t C);
// Of that, what fitting the images to H x W did, from their sizes, frames and names alone (what a
// browser's decoding tells the page): "widths 37 to 1024, heights 53 to 768 pixels, resized; 9
// cropped around the centre to the model's shape first (1 keeps less than half of the picture:
// ...); 3 enlarged (smaller than 28x28); 1 animated GIF, read as its first frame: a.gif (12 frames)".
std::string image_fit_decisions(const std::vector<ImageFacts>& facts, int64_t H, int64_t W);
// "3 of 16 image files cannot be read: a.jpg, c.jpg: the image file ends too early ...; b.png: ..."
// (files with the same reason together, 20 named, then how many more; "" when all can).
std::string unreadable_images(const std::vector<ImageFacts>& facts);

// The frames (image blocks) of a GIF file's bytes, or -1 when it is cut short (no trailer): an
// animated GIF is read as its first frame, here and by browsers, and said so.
int64_t gif_frames(std::string_view bytes);

// What an image file's bytes show wrong whoever decodes them (decode_image here, a browser for the
// page): "name: the image file ends too early (cut short when copied or downloaded?): copy it
// again" when they lack their format's end (JPEG's EOI, PNG's IEND, GIF's trailer, a BMP's stated
// size), "name: the image data is damaged (a checksum of the PNG ...)" for a PNG changed after
// writing; "" otherwise. Decoders show such files as if whole, the missing part black or grey.
std::string image_bytes_problem(std::string_view bytes, const std::string& name);

// Images that are the same as the model reads them (the same pixels of its input, [n, H, W, C]
// floats at `inputs`, n = names.size()), in words: how many, the first three pairs by name, and
// why it matters; "" when all differ. A copy held out beside its twin in training scores as one
// already seen (validation flattered); one or two distinct pictures teach nothing.
std::string image_copies_note(const float* inputs, const std::vector<std::string>& names, int64_t H, int64_t W, int64_t C);

// Whether RGBA pixels are grey by the rule above: r = g = b wherever alpha is not 0.
bool is_grey(const uint8_t* rgba, size_t pixels);

// RGBA pixels [height, width, 4] -> one model input [H, W, C] in [0, 1] by the rule above,
// written to `out` (H * W * C floats).
void image_to_input(const uint8_t* rgba, int64_t height, int64_t width, int64_t H, int64_t W, int64_t C, float* out);
std::vector<float> image_to_input(const DecodedImage& image, int64_t H, int64_t W, int64_t C);

// The path in `folder` of an image a labels CSV lists (`name`, on `line`): `name`, or `name` with
// its backslashes read as path separators (written on Windows: "good\\g0.png"). Else an error
// naming the line and the fix: the file on disk whose name differs only in case, or, for a full
// path ("C:\\shots\\good\\g0.png"), the end of it that is in the folder.
std::string listed_image(const std::string& folder, const std::string& name, const std::string& labels_csv, int64_t line);

// What a folder holds besides the image files read from it, each list sorted by name.
struct FolderLeftOut {
  // Hidden files (a name starting with '.': macOS's "._x.png" metadata beside x.png and its
  // .DS_Store, copied to other systems) are not images of the folder.
  std::vector<std::string> hidden;
  std::vector<std::pair<std::string, int64_t>> folders;  // sub-folders, with the image files directly in each
  // Files of other kinds, each with the kind of image its bytes are, if one CA3 does not decode
  // ("x.webp", "WebP"; "notes.txt", "").
  std::vector<std::pair<std::string, std::string>> other;
  std::vector<std::string> dangling;  // links to files that are not there
  // Not left out but read: files named as another kind whose bytes are an image CA3 reads, with
  // that kind ("shot.webp", "PNG"; a file renamed, or saved by a tool that kept the old name).
  std::vector<std::pair<std::string, std::string>> by_content;
  // "the sub-folder scratch/ (2 images); a file of another kind: notes.txt; an image of a kind CA3
  // does not read: x.webp (WebP), save it as PNG or JPEG": what is left out besides the hidden
  // files, in words; empty when nothing is.
  std::string text() const;
};

// The image files (.png .jpg .jpeg .bmp .gif, any case, or any name whose first bytes are one of
// these kinds) directly in `folder`, sorted by name; what else is there goes to `left_out`. Throws
// when there are none (saying what the folder holds instead), unless `required` is false.
std::vector<std::string> image_files_in(const std::string& folder, FolderLeftOut* left_out = nullptr, bool required = true);
// Those files of `folder` as model inputs [N, H, W, C].
Tensor read_images(const std::string& folder, const std::vector<std::string>& files, int64_t H, int64_t W, int64_t C);
// 3 when any of the files has colour, else 1 (what a model for them should take).
int64_t channels_of(const std::string& folder, const std::vector<std::string>& files);

// The images a labels CSV lists (column "file": names relative to `folder`), each as listed_image
// finds it, and the CSV. Every line whose image is missing is said in one error (each with its
// hint, five at most); an image listed twice is refused. With `labels` naming a label column, that
// column's problems (tabular_labels: empty cells) are said in the same error, and checked before
// any image is decoded.
struct ImageListing {
  CsvTable table;
  std::vector<std::string> files;  // per row of `table`
};
ImageListing list_images(const std::string& folder, const std::string& labels_csv, const TabularOptions* labels = nullptr);

// Every image listed in the labels CSV (list_images; the label column per `options`) as model
// inputs [N, H, W, C].
Dataset read_image_folder(const std::string& folder, const std::string& labels_csv, const TabularOptions& options,
                          int64_t H, int64_t W, int64_t C, std::vector<std::string>* files = nullptr);

}  // namespace ca3
