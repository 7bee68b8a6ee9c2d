// A detector: what the command line, the wasm module and the SDK hold -- a preset, an
// E2E-ConvA3 model, for tables the fitted preprocessing and column schema, and the alarm
// threshold chosen on validation data. A fit (fit.h) runs the paper's protocol; when the
// training data has no labelled anomalies the alarm learns from synthetic ones.
//
// Failure safety: a fit trains a new model aside and the detector adopts it only when the fit
// finished; an error or a cancel leaves the detector exactly as it was.
//
//   Detector detector(Preset::parse(R"({"kind": "tabular"})"));
//   FitReport report = detector.fit(detector.start_fit_table(read_csv_file("Ionosphere.csv"), options));
//   std::vector<float> scores = detector.score_table(new_rows);   // flagged: score >= threshold()
//   write_binary_file("model.ca3", detector.save());
//   Detector again = Detector::load(bytes.data(), bytes.size());
//
// Fitting in slices (the wasm module's worker yields between slices so it can take a cancel):
//   Fit fit = detector.start_fit_table(table, options, on_progress);
//   while (fit.advance(0.05)) { /* ...; fit.cancel() to stop */ }
//   FitReport report = detector.finish_fit(std::move(fit));  // adopts the model unless cancelled
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/anomaly/data/csv.h"
#include "core/anomaly/data/tabular.h"
#include "core/anomaly/dataset.h"
#include "core/anomaly/fit.h"
#include "core/anomaly/metrics.h"
#include "core/anomaly/model.h"
#include "core/anomaly/preset.h"

namespace ca3 {

// One column's part in a row's score, by integrated gradients (Sundararajan et al., ICML 2017,
// eq. 1): the gradient of the score's log-odds (of the reconstruction error itself for the
// reconstruction-only variant), averaged along the straight path from a baseline's model inputs to
// the row's, times their difference, summed over the column's inputs (one for a numeric column,
// its one-hot categories otherwise). The baseline is a row like this one (RowExplanation::like_rows
// > 0): its k most similar normal training rows, found by its columns that lie near what its other
// columns lead one to expect (E2EConvA3::like_rows: their mean, the category most of them have),
// so that a value is weighed against what rows of its kind have (an idle
// machine's temperature against idle machines', not against all machines' median); or, for a
// model file that keeps no training rows (saved before every model of rows kept them), the typical row (every
// column at its training median or most frequent category). A value equal to the baseline's
// contributes 0 (so does a missing cell: it was filled with it); > 0 raises the score. Over all
// columns the contributions add up, approximately, to how far the row's log-odds lie from the
// baseline's: exactly in the limit of fine pieces; with the path's Detector::kExplainSteps pieces,
// terms that switch along it (the nearest rows, clamps) leave a remainder.
struct ColumnContribution {
  std::string column;
  // The cell as written in the file ("" when missing; a numeric cell that cannot be read, "ERR",
  // or a spreadsheet formula's error, "#VALUE!", as written, with `missing`); when written in
  // another size of the column's unit, also as read in the unit of `typical` ("3.4M = 3400 k",
  // "1,2 kg = 1200 g").
  std::string value;
  bool missing = false;  // the cell was missing or could not be read: the model saw `baseline`
  // What the cell is compared with: the like rows' value (RowExplanation::like_rows > 0; their
  // mean, to as many decimals as `typical` and at least three significant digits, or the category
  // most of them have, "(another value)" when most have none of the column's), else `typical`.
  std::string baseline;
  std::string typical;  // the training median (in the file's number format) or most frequent category
  // A missing cell's value as the model saw it, filled from the like rows (= `baseline`;
  // E2EConvA3::fill_from_neighbours); "" for a cell not missing or filled with `typical` (like_rows 0).
  std::string filled;
  float contribution = 0;
};
struct RowExplanation {
  int64_t row = 0;   // 0-based index in the table
  int64_t line = 0;  // 1-based line in the file
  float score = 0;
  bool flagged = false;  // score >= the detector's threshold
  // How many normal training rows most like this one it is compared with (the model's
  // neighbour_count(), 5; 1, the nearest of them, where their mean scores as flagged and that row
  // does not: a mean of a sparse region's rows can be no row's values); 0: with the typical row (a
  // model that keeps no training rows, or a row with no cell present).
  int64_t like_rows = 0;
  // The score of what the row is compared with (the like rows' mean, or the typical row). At or
  // above the threshold, rows of the row's kind score high themselves (few training rows are like
  // them): the contributions explain only how far the row lies beyond its kind.
  float baseline_score = 0;
  // the `top` of largest |contribution| among the cells present: those that raise the score first,
  // then those that lower it, each strongest first; then each missing cell
  std::vector<ColumnContribution> columns;
};

// How a row's like rows themselves score against `threshold` (the detector's, or one a user
// picked): `over` it, or `near` it (the row flagged, its like rows within 1 in log-odds below the
// threshold and the row within 1 above them: odds at least 1/e of the other's). Either way rows of
// its kind score high (few training rows are like them), and its contributions say only how far
// beyond its kind the row lies. `apart`: neither, or compared with the typical row (like_rows 0).
// The SDK's likeRowsScore decides the same.
enum class LikeRowsScore { apart, near, over };
LikeRowsScore like_rows_score(const RowExplanation& e, float threshold);

class Detector {
 public:
  explicit Detector(Preset preset);
  Detector(Detector&&) noexcept;
  Detector& operator=(Detector&&) noexcept;
  ~Detector();

  // A fit of this detector's preset with `preset_changes` merged in (a partial preset, e.g.
  // {"training": {"epochs": 5}, "model": {"gamma": 1}}); when the fit finishes, that preset becomes
  // the detector's. Data checks throw here, before any training.
  // Tables: labels from options.label_column (empty = every row normal).
  Fit start_fit_table(const CsvTable& table, const TabularOptions& options, ProgressCallback on_progress = {},
                      const nlohmann::json& preset_changes = {}) const;
  // Images [N,H,W,C] in [0,1] of the preset's size, labels 0/1.
  Fit start_fit_images(const Dataset& images, ProgressCallback on_progress = {},
                       const nlohmann::json& preset_changes = {}) const;
  // Runs `fit` to its end (cancelling it as soon as `cancel` is set), then finish_fit.
  FitReport fit(Fit fit, const std::atomic<bool>* cancel = nullptr);
  // start_fit_* and fit() in one call.
  FitReport fit_table(const CsvTable& table, const TabularOptions& options, ProgressCallback on_progress = {},
                      const std::atomic<bool>* cancel = nullptr);
  FitReport fit_images(const Dataset& images, ProgressCallback on_progress = {}, const std::atomic<bool>* cancel = nullptr);
  // A finished fit: adopts its model, preset, preprocessing and threshold -- unless it was cancelled.
  FitReport finish_fit(Fit fit);

  // One score per row of `table`, higher = more anomalous; NaN for a row that holds no sample (a
  // group's heading line, a totals or averages row: rows_not_scored, said by scoring_notes).
  std::vector<float> score_table(const CsvTable& table);
  // The same for `inputs` that prepare_table(table) gave (a caller that keeps them for more calls).
  std::vector<float> score_table(const CsvTable& table, const Tensor& inputs);
  std::vector<float> score_images(const Tensor& images);
  std::vector<float> score_inputs(const Tensor& inputs);  // already preprocessed model inputs
  // CSV -> model inputs [rows, features]; `fill_down` false: a stream's batch whose grouped
  // columns TabularPreprocessor::filled_down looked at with the stream's carry (see transform). A
  // few cells that cannot be read are read as missing (TabularPreprocessor::Unreadable; a stream's
  // batch: all of them), said by scoring_notes / CellNotes. Missing cells are filled in (from like
  // rows: E2EConvA3::fill_from_neighbours); `missing_cells` (optional) gets [rows, columns] 1
  // where a cell was missing or read as missing.
  Tensor prepare_table(const CsvTable& table, bool fill_down = true,
                       TabularPreprocessor::Unreadable unreadable = TabularPreprocessor::Unreadable::few_as_missing,
                       std::vector<uint8_t>* missing_cells = nullptr) const;
  // With the label options it was trained with (scored_rows_labels: 0 for a row score_table does not
  // score); `notes` (optional) gets what reading them decided.
  std::vector<int> table_labels(const CsvTable& table, std::vector<std::string>* notes = nullptr) const;
  // Why a sample scores as it does, for model inputs (images, or prepare_table's rows): the
  // reconstruction, the alarm network's input stack and the gradient x input attribution.
  Tensor reconstruct(const Tensor& inputs);
  E2EConvA3::AlarmInput alarm_input(const Tensor& inputs);
  Tensor explain(const Tensor& inputs);
  // Why rows of a table score as they do, column by column, each compared with rows like it (see
  // ColumnContribution), for the given row indices (0-based, of `table`); each row's `top` columns
  // of largest |contribution| (raising the score first), then each column whose cell is missing
  // (it contributes 0). A row holding
  // no sample (rows_not_scored of `table`, or `rows_holding_no_sample` when the caller has found
  // them with more of the file in view: a stream's batch) is refused.
  std::vector<RowExplanation> explain_rows(const CsvTable& table, const std::vector<int64_t>& rows, size_t top = 3,
                                           const std::vector<size_t>* rows_holding_no_sample = nullptr);
  // The pieces of the path from the baseline that explain_rows averages the gradient over.
  static constexpr int64_t kExplainSteps = 32;
  // ROC-AUC, average precision, the confusion matrix at `threshold` (default: threshold()) and,
  // with `with_roc`, the ROC curve.
  Metrics evaluate(const std::vector<float>& scores, const std::vector<int>& labels,
                   std::optional<float> threshold = std::nullopt, bool with_roc = false) const;

  // A note when most of a scoring's samples are flagged (`flagged` of `scored`; over half, and
  // over 5 times the share of normal held-out samples the threshold flags when the training
  // report tells it): the data as a whole is unlike the training data, so its flags say little
  // about single samples. "" otherwise (also below 20 samples).
  std::string flagged_share_note(size_t scored, size_t flagged) const;

  // What the detector takes, for messages that meet data of the other kind: "images (28x28,
  // grey)" (the preset's image size) or "a CSV table (9 columns)" (once trained; "a CSV table"
  // before).
  std::string trained_on() const;

  bool trained() const { return trained_; }
  float threshold() const { return threshold_; }
  void set_threshold(float threshold);
  ModelKind kind() const { return preset_.kind(); }
  const Preset& preset() const { return preset_; }
  E2EConvA3& model();  // throws before the first fit (tabular models need the column count)
  const TabularPreprocessor* preprocessing() const { return prep_ ? &*prep_ : nullptr; }
  const FitReport* training_report() const { return training_ ? &*training_ : nullptr; }

  std::vector<uint8_t> save() const;
  static Detector load(const uint8_t* data, size_t size);  // throws saying what is wrong with the bytes

 private:
  Preset preset_;
  std::unique_ptr<E2EConvA3> model_;
  std::optional<TabularPreprocessor> prep_;
  float threshold_ = 0.5f;
  bool trained_ = false;
  std::optional<FitReport> training_;
  // A loaded model's training report as its file had it: saved back unchanged (a file keeps its
  // bytes through load and save); null after a fit.
  nlohmann::json training_as_read_;
};

// `table` with a score and a flag column added (flag 1 when score >= threshold), what the page
// offers for download. Columns already called "score" or "flag" keep theirs: the new ones are
// then "ca3_score" / "ca3_flag". The scores are written with the file's decimal mark; a NaN score
// (a row holding no sample) as empty score and flag cells.
CsvTable with_score_columns(const CsvTable& table, const std::vector<float>& scores, float threshold);

}  // namespace ca3
