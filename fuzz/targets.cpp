#include "fuzz/targets.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string_view>
#include <vector>

#include "core/anomaly/data/csv.h"
#include "core/anomaly/data/idx.h"
#include "core/anomaly/data/images.h"
#include "core/anomaly/data/tabular.h"
#include "core/anomaly/detector.h"
#include "core/engine/error.h"
#include "core/anomaly/model_file.h"

namespace ca3::fuzz {
namespace {

[[noreturn]] void finding(const char* what) {
  std::fprintf(stderr, "FINDING: %s\n", what);
  std::abort();
}

template <class Body>
std::string run(Body&& body) {
  try {
    body();
    return "";
  } catch (const ca3::Error& e) {
    return e.what();  // a rejected input with a message: fine
  } catch (const std::exception& e) {
    std::fprintf(stderr, "FINDING: an exception other than ca3::Error escaped: %s\n", e.what());
    std::abort();
  }
}

}  // namespace

std::string csv(const uint8_t* data, size_t size) {
  return run([&] {
    const CsvTable table = parse_csv(std::string_view(reinterpret_cast<const char*>(data), size));
    const CsvTable again = parse_csv(write_csv(table), {table.separator});
    if (!(again == table)) finding("write_csv -> parse_csv changed the table");
    describe_columns(table);
    // Preprocessing with the last column as the label (its first value normal), on all rows.
    TabularOptions options;
    options.label_column = table.header.back();
    options.normal_values = {std::string(table.cell(0, table.column_count() - 1))};
    const std::vector<int> labels = tabular_labels(table, options);
    std::vector<int64_t> rows(labels.size());
    for (size_t i = 0; i < rows.size(); ++i) rows[i] = int64_t(i);
    const TabularPreprocessor prep = TabularPreprocessor::fit(table, rows, options);
    const Tensor x = prep.transform(table);
    for (int64_t i = 0; i < x.numel(); ++i)
      if (!std::isfinite(x.data()[i])) finding("preprocessing produced a non-finite value");
    TabularPreprocessor::from_json(prep.to_json()).transform(table);
    // Scored by a model of the first half of the rows: the other half may hold cells it cannot
    // read (read as missing, or refused with a message) and values it never saw, said in notes.
    if (rows.size() < 4) return;
    run([&] {
      const std::vector<int64_t> first(rows.begin(), rows.begin() + std::ptrdiff_t(rows.size() / 2));
      const TabularPreprocessor half = TabularPreprocessor::fit(table, first, options);
      half.scoring_notes(table);
      for (const auto mode : {TabularPreprocessor::Unreadable::all_as_missing, TabularPreprocessor::Unreadable::few_as_missing}) {
        const Tensor scored = half.transform(table, true, mode);
        for (int64_t i = 0; i < scored.numel(); ++i)
          if (!std::isfinite(scored.data()[i])) finding("scoring's preprocessing produced a non-finite value");
      }
    });
  });
}

std::string idx(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  const std::string images = run([&] { parse_idx_images(bytes, "fuzz.idx", 64); });
  const std::string labels = run([&] { parse_idx_labels(bytes, "fuzz.idx", 64); });
  return images.empty() ? images : labels.empty() ? labels : images;
}

std::string image(const uint8_t* data, size_t size) {
  return run([&] { decode_image(data, size, "fuzz.img"); });
}

std::string model_file(const uint8_t* data, size_t size) {
  std::vector<uint8_t> bytes(data, data + size);
  if (bytes.size() >= 32 && (bytes[0] & 1)) {
    bytes[0] = 'C';  // keep the magic intact
    const uint64_t total = bytes.size();
    std::memcpy(bytes.data() + 16, &total, 8);
    const uint32_t crc = crc32(bytes.data(), bytes.size() - 4);
    std::memcpy(bytes.data() + bytes.size() - 4, &crc, 4);
  }
  return run([&] {
    Detector detector = Detector::load(bytes.data(), bytes.size());
    Shape shape = detector.model().sample_shape();
    shape.insert(shape.begin(), 2);
    detector.score_inputs(Tensor(shape));
  });
}

}  // namespace ca3::fuzz
