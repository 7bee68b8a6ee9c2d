// The bad-input table (tests/bad-inputs/cases.json) at the core layer: every case through the
// Detector API the command line, the wasm module and the page all use. Each case must end with
// its message (a ca3::Error) or do what its "ok" says, and the detectors loaded before must score
// exactly as before.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/anomaly/data/csv.h"
#include "core/anomaly/data/images.h"
#include "core/anomaly/detector.h"
#include "core/anomaly/wire.h"
#include "core/engine/error.h"
#include "test_support.h"

namespace ca3 {
namespace {

using nlohmann::json;

std::string repo_file(const std::string& path) { return testing::source_file(path); }

std::string read_bytes(const std::string& path) {
  std::ifstream in(repo_file(path), std::ios::binary);
  if (!in) throw std::runtime_error("test fixture missing: " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// UTF-8 text in another encoding: "windows-1252" (code points up to U+00FF, as Latin-1) or
// "utf-16le-bom" (the byte-order mark, then UTF-16 little-endian; code points below U+10000).
std::string encode_text(const std::string& utf8, const std::string& encoding) {
  std::u32string points;
  for (size_t i = 0; i < utf8.size();) {
    const auto c = uint8_t(utf8[i]);
    const size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t p = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (size_t k = 1; k < n; ++k) p = (p << 6) | (uint8_t(utf8[i + k]) & 0x3F);
    points += p;
    i += n;
  }
  std::string out;
  if (encoding == "windows-1252") {
    for (char32_t p : points) out += char(p);  // the cases use Latin-1 letters only
  } else if (encoding == "utf-16le-bom") {
    out = "\xFF\xFE";
    for (char32_t p : points) out += char(p & 0xFF), out += char(p >> 8);
  } else {
    throw std::runtime_error("unknown encoding " + encoding);
  }
  return out;
}

// Whether `actual` holds `expected`: every key with a matching value, every list element of
// `expected` matching an element of the list, strings starting with '*' contained.
bool holds(const json& actual, const json& expected) {
  if (expected.is_object()) {
    if (!actual.is_object()) return false;
    for (const auto& [key, value] : expected.items())
      if (!actual.contains(key) || !holds(actual[key], value)) return false;
    return true;
  }
  if (expected.is_array()) {
    if (!actual.is_array()) return false;
    for (const json& e : expected)
      if (std::none_of(actual.begin(), actual.end(), [&](const json& a) { return holds(a, e); })) return false;
    return true;
  }
  if (expected.is_string() && expected.get<std::string>().rfind("*", 0) == 0)
    return actual.is_string() && actual.get<std::string>().find(expected.get<std::string>().substr(1)) != std::string::npos;
  return actual == expected;
}

// The bytes of a case's input, made as cases.json describes.
std::string make_input(const json& input, const json& fixtures) {
  if (input.contains("text") && input.contains("encoding"))
    return encode_text(input["text"].get<std::string>(), input["encoding"].get<std::string>());
  if (input.contains("text")) return input["text"].get<std::string>();
  if (input.contains("hex")) {
    const std::string hex = input["hex"];
    std::string out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) out += char(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
  }
  if (input.contains("file")) return read_bytes(input["file"]);
  if (input.contains("model")) {
    std::string bytes = read_bytes(fixtures[input["model"].get<std::string>()]);
    if (input.contains("truncate_to")) bytes.resize(input["truncate_to"].get<size_t>());
    if (input.contains("flip_byte_at_half")) bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 1);
    if (input.contains("version")) bytes[8] = char(input["version"].get<int>());  // after the 8-byte magic
    return bytes;
  }
  if (input.contains("repeat_rows_of")) {
    const std::string text = read_bytes(input["repeat_rows_of"]);
    const size_t header_end = text.find('\n') + 1;
    const std::string rows = text.substr(header_end);
    const size_t size = input["bytes"];
    std::string out = text.substr(0, header_end);
    out.reserve(size + rows.size());
    // Whole rows until the data reaches `size` bytes: the same rows every layer makes.
    size_t data = 0, at = 0;
    while (data < size) {
      const size_t end = rows.find('\n', at) + 1;
      out.append(rows, at, end - at);
      data += end - at;
      at = end == rows.size() ? 0 : end;
    }
    return out;
  }
  throw std::runtime_error("unknown input kind: " + input.dump());
}

Detector load_fixture(const json& fixtures, const std::string& name) {
  const std::string bytes = read_bytes(fixtures[name]);
  return Detector::load(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

struct Outcome {
  std::string error;                // the ca3::Error message, empty when the action succeeded
  std::string code;                 // its code (ca3::to_string(ErrorCode))
  std::vector<float> scores;        // score actions
  int64_t synthetic_anomalies = -1; // train actions
  json report;                      // train actions: the fit report
};

TEST(BadInputs, EveryCaseOfTheTable) {
  const json table = json::parse(read_bytes("tests/bad-inputs/cases.json"));
  const json& fixtures = table["fixtures"];
  Detector table_model = load_fixture(fixtures, "table-model");
  Detector image_model = load_fixture(fixtures, "image-model");
  // What "nothing lost" is checked against: the table's first 50 rows and 20 images' scores.
  const CsvTable reference_rows = [&] {
    const CsvTable all = parse_csv(read_bytes(fixtures["table"]));
    std::vector<size_t> first(50);
    for (size_t i = 0; i < first.size(); ++i) first[i] = i;
    return all.select_rows(first);
  }();
  Rng rng(5);
  const Tensor reference_images = testing::random_tensor({20, 28, 28, 1}, rng, 0.f, 1.f);
  const std::vector<float> table_scores = table_model.score_table(reference_rows);
  const std::vector<float> image_scores = image_model.score_images(reference_images);

  int cases = 0;
  for (const json& c : table["cases"]) {
    const std::string id = c["id"];
    SCOPED_TRACE(id);
    json expect = c["expect"];
    if (c.contains("layers") && c["layers"].contains("core")) expect = c["layers"]["core"];
    ++cases;
    if (expect.contains("skip")) continue;
    const std::string bytes = make_input(c["input"], fixtures);
    const std::string name = c["input"]["name"];
    const std::string action = c["action"];
    Outcome outcome;
    try {
      if (action == "train-table") {
        TabularOptions options;
        options.label_column = c["label"];
        options.normal_values = {c["normal"].get<std::string>()};
        const CsvTable csv = parse_csv(bytes);
        const FitReport report = table_model.fit_table(csv, options);
        outcome.synthetic_anomalies = report.synthetic_anomalies;
        outcome.report = wire::to_json(report);
        const std::vector<uint8_t> saved = table_model.save();  // and it saves a file that loads
        Detector::load(saved.data(), saved.size());
      } else if (action == "score-table") {
        std::optional<Detector> other;
        if (c.contains("model")) other.emplace(load_fixture(fixtures, c["model"]));
        Detector& detector = other ? *other : table_model;
        outcome.scores = detector.score_table(parse_csv(bytes));
      } else if (action == "load-model") {
        Detector::load(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      } else if (action == "score-image") {
        const DecodedImage image = decode_image(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), name);
        const Shape shape = image_model.model().sample_shape();
        outcome.scores = image_model.score_images(Tensor::from_vector({1, shape[0], shape[1], shape[2]},
                                                                      image_to_input(image, shape[0], shape[1], shape[2])));
      } else {
        FAIL() << "unknown action " << action;
      }
    } catch (const Error& e) {
      outcome.error = e.what();
      outcome.code = to_string(e.code());
    }

    if (expect.contains("error")) {
      const std::string want = expect["error"];
      EXPECT_NE(outcome.error.find(want), std::string::npos) << "want '" << want << "', got '" << outcome.error << "'";
      EXPECT_EQ(outcome.code, expect.value("code", "bad_input")) << outcome.error;
    } else {
      ASSERT_EQ(outcome.error, "") << "the case should succeed";
      const json& ok = expect["ok"];
      if (ok.contains("rows")) {
        EXPECT_EQ(outcome.scores.size(), ok["rows"].get<size_t>());
        for (float s : outcome.scores) ASSERT_TRUE(std::isfinite(s));
      }
      if (ok.contains("report")) {
        EXPECT_TRUE(holds(outcome.report, ok["report"])) << wire::dump(outcome.report, 1);
      }
      if (ok.contains("scored")) {
        EXPECT_EQ(outcome.scores.size(), ok["scored"].get<size_t>());
      }
      if (ok.contains("syntheticAnomalies")) {
        EXPECT_GT(outcome.synthetic_anomalies, 0);
      }
    }
    // Nothing already trained or loaded is lost -- except by a training that was meant to succeed.
    if (!(action == "train-table" && outcome.error.empty())) {
      EXPECT_EQ(table_model.score_table(reference_rows), table_scores);
    } else {
      table_model = load_fixture(fixtures, "table-model");
    }
    EXPECT_EQ(image_model.score_images(reference_images), image_scores);
  }
  EXPECT_EQ(cases, int(table["cases"].size()));
}

}  // namespace
}  // namespace ca3
