// Model files are portable: the demo models in models/demo/ were trained and scored by the
// native command line (scripts/make-demo-models.sh); every build -- native and both wasm
// builds -- must load them and reproduce those scores within 1e-5.
#include <gtest/gtest.h>

#include <cmath>

#include "core/anomaly/data/csv.h"
#include "core/anomaly/data/idx.h"
#include "core/anomaly/detector.h"
#include "core/anomaly/model_file.h"
#include "tests/test_support.h"

namespace ca3 {
namespace {

std::string demo_file(const std::string& name) { return testing::source_file("models/demo/" + name); }

std::vector<float> recorded_scores(const std::string& name) {
  const CsvTable t = read_csv_file(demo_file(name));
  std::vector<float> scores;
  const int64_t column = t.column_index("score");
  for (size_t i = 0; i < t.row_count(); ++i) scores.push_back(std::stof(std::string(t.cell(i, size_t(column)))));
  return scores;
}

void expect_close(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  double worst = 0;
  for (size_t i = 0; i < got.size(); ++i) worst = std::max(worst, double(std::fabs(got[i] - want[i])));
  std::printf("largest difference from the native scores: %.3g over %zu samples\n", worst, got.size());
  EXPECT_LE(worst, 1e-5);
}

TEST(ModelCompatibility, TabularDemoModelScoresAsNative) {
  const auto bytes = read_binary_file(demo_file("breast-cancer.ca3"));
  Detector d = Detector::load(bytes.data(), bytes.size());
  EXPECT_EQ(d.kind(), ModelKind::tabular);
  expect_close(d.score_table(read_csv_file(testing::data_file("BreastCancer.csv"))),
               recorded_scores("breast-cancer.scores.csv"));
  EXPECT_EQ(d.save(), bytes);  // and writes the same bytes back
}

TEST(ModelCompatibility, ImageDemoModelScoresAsNative) {
  const auto bytes = read_binary_file(demo_file("fashion-mnist-tshirt.ca3"));
  Detector d = Detector::load(bytes.data(), bytes.size());
  EXPECT_EQ(d.kind(), ModelKind::image);
  const IdxImages images = read_idx_images(testing::fashion_mnist_file("train-images-idx3-ubyte"), 200);
  expect_close(d.score_images(images.pixels), recorded_scores("fashion-mnist-tshirt.scores.csv"));
}

}  // namespace
}  // namespace ca3
