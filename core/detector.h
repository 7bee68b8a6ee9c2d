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
//
// Fitting in slices (the wasm module's worker yields between slices so it can cancel):
//   FitJob job = detector.start_fit_table(table, options, on_progress);
//   while (job.advance(0.1)) { /* ...; job.cancel() to stop */ }
//   FitReport report = detector.finish_fit(std::move(job));  // swaps the model in unless cancelled
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

// A fit in progress: the new model trains aside; the detector that started it is untouched until
// Detector::finish_fit.
class FitJob {
 public:
  FitJob(FitJob&&) noexcept;
  FitJob& operator=(FitJob&&) noexcept;
  ~FitJob();
  // Trains for about `seconds` (at least one step); true while there is work left.
  bool advance(double seconds);
  void cancel();  // finish_fit will then report cancelled and keep the detector's model
  bool finished() const;

 private:
  friend class Detector;
  struct State;
  explicit FitJob(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
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
  // The same in slices (see the top of this file). Data checks throw here, before any training.
  using ProgressCallback = std::function<void(const TrainProgress&)>;
  // `preset_changes` (a partial preset, e.g. {"training": {"epochs": 5}, "model": {"gamma": 1}})
  // apply to this fit and, when it finishes, become the detector's preset.
  FitJob start_fit_table(const CsvTable& table, const TabularOptions& options, ProgressCallback on_progress = {},
                         const nlohmann::json& preset_changes = {}) const;
  FitJob start_fit_images(const Dataset& images, ProgressCallback on_progress = {},
                          const nlohmann::json& preset_changes = {}) const;
  // Picks the threshold on validation, measures on test and replaces the model -- unless the job
  // was cancelled. Finishes the job's remaining training first.
  FitReport finish_fit(FitJob job);

  std::vector<float> score_table(const CsvTable& table);
  std::vector<float> score_images(const Tensor& images);
  std::vector<float> score_inputs(const Tensor& inputs);  // already preprocessed model inputs
  Tensor prepare_table(const CsvTable& table) const;      // CSV -> model inputs
  std::vector<int> table_labels(const CsvTable& table) const;  // with the label options it was trained with
  // Why a sample scores as it does, for model inputs (images, or prepare_table's rows): the
  // reconstruction, the alarm network's input stack and the gradient x input attribution.
  Tensor reconstruct(const Tensor& inputs);
  E2EConvA3::AlarmInput alarm_input(const Tensor& inputs);
  Tensor explain(const Tensor& inputs);
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
  // Adds synthetic anomalies when needed and sets up the training of the job's model.
  FitJob start_fit(std::unique_ptr<FitJob::State> job, ProgressCallback on_progress) const;
  FitReport run_fit(FitJob job, const FitCallbacks& callbacks);
  static std::unique_ptr<E2EConvA3> make_model(const Preset& preset, int64_t features);
  Preset preset_with(const nlohmann::json& changes) const;  // this detector's preset with `changes` merged in

  Preset preset_;
  std::unique_ptr<E2EConvA3> model_;
  std::optional<TabularPreprocessor> prep_;
  float threshold_ = 0.5f;
  bool trained_ = false;
  nlohmann::json training_summary_;
};

// `table` with a score and a flag column added (flag 1 when score >= threshold), what the page
// offers for download. Columns already called "score" or "flag" keep theirs: the new ones are
// then "ca3_score" / "ca3_flag".
CsvTable with_score_columns(const CsvTable& table, const std::vector<float>& scores, float threshold);

}  // namespace ca3
