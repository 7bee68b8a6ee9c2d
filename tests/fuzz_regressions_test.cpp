// Every input the fuzzers found (fuzz/regressions/TARGET/*) replayed through the same target
// body (fuzz/targets.cpp): each must now end in acceptance or a clear ca3::Error -- a crash,
// a sanitizer report or another exception type aborts the test. The seed corpus (fuzz/corpus)
// is replayed too. Specific findings are checked for their message.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "fuzz/targets.h"
#include "tests/test_support.h"

namespace ca3 {
namespace {

namespace fs = std::filesystem;
using Target = std::string (*)(const uint8_t*, size_t);

std::vector<uint8_t> bytes_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// target name -> {file name -> message}, for every file under fuzz/<folder>/<target>/.
std::map<std::string, std::map<std::string, std::string>> replay(const std::string& folder) {
  const std::map<std::string, Target> targets = {
      {"csv", fuzz::csv}, {"idx", fuzz::idx}, {"image", fuzz::image}, {"model_file", fuzz::model_file}};
  std::map<std::string, std::map<std::string, std::string>> out;
  for (const auto& [name, target] : targets) {
    const fs::path dir = fs::path(testing::source_file("fuzz")) / folder / name;
    if (!fs::exists(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::vector<uint8_t> data = bytes_of(entry.path());
      out[name][entry.path().filename().string()] = target(data.data(), data.size());
    }
  }
  return out;
}

TEST(FuzzRegressions, FoundInputsEndInAClearMessage) {
  const auto results = replay("regressions");
  // CSV whose header starts with a second byte-order mark: writes and re-reads identically.
  EXPECT_EQ(results.at("csv").at("double-bom-header.csv").find("write_csv"), std::string::npos);
  // A row holding one empty quoted field ("") is written quoted, not as a blank line.
  EXPECT_EQ(results.at("csv").count("single-empty-quoted-field.csv"), 1u);
  // IDX whose dimensions multiply past 64 bits: rejected before the multiplication overflows.
  EXPECT_NE(results.at("idx").at("dimension-overflow.idx").find("IDX file claims too many values"), std::string::npos);
  // JPEGs whose Huffman tables overflow stb_image's size list (Debian's stb wrote past it; the
  // header is patched with upstream's bound): rejected as damaged.
  for (const char* file : {"huffman-too-many-codes.jpg", "huffman-after-fill-bytes.jpg"})
    EXPECT_EQ(results.at("image").at(file).rfind("fuzz.img: the image data is damaged", 0), 0u) << file;
}

TEST(FuzzRegressions, SeedCorpusIsAccepted) {
  const auto results = replay("corpus");
  for (const auto& [target, files] : results)
    for (const auto& [file, message] : files)
      if (target != "idx") {  // idx: images.idx is not a labels file
        EXPECT_EQ(message, "") << target << "/" << file;
      }
  EXPECT_EQ(results.at("model_file").size(), 1u);
}

}  // namespace
}  // namespace ca3
