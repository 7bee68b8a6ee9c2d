// A detector: what the command line, the wasm module and the SDK hold -- a preset, an
// E2E-ConvA3 model, for tables the fitted preprocessing and column schema, and the alarm
// threshold chosen on validation data. fit_* runs the paper's protocol (stratified 8:1:1 split,
// training with early stopping, threshold on validation, metrics on test); when the training
// data has no labelled anomalies the alarm learns from A3's synthetic ones.
//
// Failure safety: fit_* trains a new model aside and replaces the current one only when it
// finishes; an error or a cancel leaves the detector exactly as it was.
//
//   Detector detector(Preset::parse(R"({"kind": "tabular"})"));
//   FitReport report = detector.fit_table(read_csv_file("Ionosphere.csv"), options);
//   std::vector<float> scores = detector.score_table(new_rows);   // flagged: score >= threshold()
//   write_binary_file("model.ca3", detector.save());
//   Detector again = Detector::load(bytes.data(), bytes.size());
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/data/csv.h"
#include "core/data/tabular.h"
#include "core/metrics.h"
#include "core/models/e2e_conva3.h"
#include "core/preset.h"
#include "core/training/dataset.h"
#include "core/training/trainer.h"

namespace ca3 {

struct Metrics {
  int64_t normal = 0, anomalies = 0;
  double roc_auc = -1, average_precision = -1;  // -1 when a class is missing
  float threshold = 0;
  Confusion confusion;                          // at the threshold
  nlohmann::json to_json() const;
};

struct FitReport {
  bool cancelled = false;  // the detector kept its previous model
  TrainResult training;
  int64_t train_rows = 0, validation_rows = 0, test_rows = 0;
  int64_t synthetic_anomalies = 0;  // added to training (and validation) data
  Metrics validation, test;
  std::vector<std::string> dropped_columns;
  nlohmann::json to_json() const;
};

struct FitCallbacks {
  std::function<void(const TrainProgress&)> on_progress;
  const std::atomic<bool>* cancel = nullptr;
};

class Detector {
 public:
  explicit Detector(Preset preset);
  Detector(Detector&&) noexcept;
  Detector& operator=(Detector&&) noexcept;
  ~Detector();

  // Tables: labels from options.label_column (empty = every row normal).
  FitReport fit_table(const CsvTable& table, const TabularOptions& options, const FitCallbacks& callbacks = {});
  // Images [N,H,W,C] in [0,1] of the preset's size, labels 0/1.
  FitReport fit_images(const Dataset& images, const FitCallbacks& callbacks = {});

  std::vector<float> score_table(const CsvTable& table);
  std::vector<float> score_images(const Tensor& images);
  std::vector<float> score_inputs(const Tensor& inputs);  // already preprocessed model inputs
  Tensor prepare_table(const CsvTable& table) const;      // CSV -> model inputs
  std::vector<int> table_labels(const CsvTable& table) const;  // with the label options it was trained with
  // ROC-AUC, average precision and the confusion matrix at threshold().
  Metrics evaluate(const std::vector<float>& scores, const std::vector<int>& labels) const;

  bool trained() const { return trained_; }
  float threshold() const { return threshold_; }
  void set_threshold(float threshold);
  ModelKind kind() const { return preset_.kind(); }
  const Preset& preset() const { return preset_; }
  E2EConvA3& model();  // throws before the first fit (tabular models need the column count)
  const TabularPreprocessor* preprocessing() const { return prep_ ? &*prep_ : nullptr; }
  nlohmann::json info() const;  // kind, preset, schema, threshold, training summary

  std::vector<uint8_t> save() const;
  static Detector load(const uint8_t* data, size_t size);  // throws saying what is wrong with the bytes

 private:
  // Trains `model` on the split; picks the threshold on validation; measures on test.
  FitReport fit_split(DatasetSplit split, E2EConvA3& model, float& threshold, const FitCallbacks& callbacks) const;
  std::unique_ptr<E2EConvA3> make_model(int64_t features) const;

  Preset preset_;
  std::unique_ptr<E2EConvA3> model_;
  std::optional<TabularPreprocessor> prep_;
  float threshold_ = 0.5f;
  bool trained_ = false;
  nlohmann::json training_summary_;
};

}  // namespace ca3
