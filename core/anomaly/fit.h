// One fit of an E2E-ConvA3 model with the paper's protocol: the data already split (stratified
// 8:1:1), synthetic anomalies added when none are labelled, Adam over mini-batches, early
// stopping on the validation ROC-AUC (ties broken by the validation loss) with the best weights
// restored, then the alarm threshold chosen on validation and the metrics measured on test.
//
// A fit is resumable: it owns its split, model, optimizer and a cursor (stage, epoch, step), and
// advance() runs it for a while -- the command line in one go, the wasm module's worker in slices
// of ~50 ms so it can take messages (a cancel) between them. It trains aside: the detector that
// started it adopts the result only when the fit finished (Detector::finish_fit).
//
// The model's variant decides the stages (see stages_for):
//   e2e        one stage, both networks, the full loss, all samples;
//   a3         stage "target" on normal samples (reconstruction + KL), early stopping on the
//              validation loss; then stage "alarm": target frozen (eval mode), alarm trained on
//              the classification loss;
//   reconstruction  stage "target" only; the score is the reconstruction error.
//
//   Fit fit(preset, std::move(model), split, std::nullopt, on_progress);
//   while (fit.advance(0.1)) { /* take messages; maybe fit.cancel() */ }
//   FitOutcome outcome = fit.conclude();   // threshold, validation and test metrics, the model
#pragma once

#include <functional>

#include <nlohmann/json.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/anomaly/data/tabular.h"
#include "core/anomaly/dataset.h"
#include "core/anomaly/metrics.h"
#include "core/anomaly/model.h"
#include "core/anomaly/preset.h"
#include "core/anomaly/synthetic.h"

namespace ca3 {

// Sent after every training step and at every epoch end.
struct TrainProgress {
  std::string stage;             // "e2e", "target" or "alarm"
  int epoch = 0, epochs = 0;     // 1-based epoch of `epochs` (the maximum)
  int64_t step = 0, steps = 0;   // 1-based step within the epoch of `steps`
  bool epoch_end = false;        // true once per epoch, after validation
  double loss = 0, reconstruction = 0, kl = 0, classification = 0;  // running means this epoch
  double validation_auc = -1;    // at epoch ends; -1 when the validation set lacks a class
  double validation_loss = 0;    // at epoch ends
  double samples_per_second = 0; // this epoch so far
};
using ProgressCallback = std::function<void(const TrainProgress&)>;

struct EpochRecord {
  std::string stage;
  int epoch = 0;
  double loss = 0, reconstruction = 0, kl = 0, classification = 0;
  double validation_auc = -1, validation_loss = 0;
  double seconds = 0;
};

// What a fit did and measured.
struct FitReport {
  bool cancelled = false;            // the detector kept its previous model
  // What the fit learned from: "labelled" (labelled anomalies), "few_labels" (some, joined by
  // synthetic ones), "one_class" (no labelled anomaly; the rows are normal) or "contaminated" (no
  // labelled anomaly; some unlabelled rows may be anomalies: training.contamination > 0).
  std::string setting = "labelled";
  int64_t labelled_anomalies = 0;    // in the training split
  int64_t train_rows = 0, validation_rows = 0, test_rows = 0;
  int64_t synthetic_anomalies = 0;   // added to training (and validation) data
  // What the validation figures measure the score against: "labelled" anomalies, "synthetic" ones
  // (drawn like those trained on, when validation holds no labelled anomaly: they say how well
  // the score separates those, not real anomalies), or "none" (no validation anomaly at all).
  std::string validation_anomalies = "labelled";
  // The score the model gives, "auto" resolved (model.h ScoreKind): "alarm", "combined",
  // "combined_rarity", "combined_neighbours", "alarm_neighbours"; "reconstruction" for the
  // reconstruction-only variant.
  std::string score = "alarm";
  // The normal training samples kept: with a neighbour distance in the score those it compares
  // with; rows are kept by every model of rows, whatever its score, as what a missing cell is filled
  // from and a row's why is compared with (`samples`), and those of the normal training samples that are not among them: exact
  // repeats of another one beyond `copies` of it (5, the k the distance averages over, when the
  // rows are taken as normal: more copies change no distance; 1 when some may be anomalies, so
  // that a row repeated many times is not taken as normal for that alone, for images, and for a
  // score without the distance), the least typical share of a contaminated fit
  // (least_typical: rows by reconstruction error and marginal rarity, images by reconstruction
  // error), and
  // those beyond the cap of 8,192 samples / 2^20 values (a seeded random choice). All 0 without
  // (copies 1).
  // `nearest`: how many of them the distance averages over (k; E2EConvA3::neighbour_count).
  struct Neighbours {
    int64_t samples = 0, repeated = 0, left_out = 0, not_sampled = 0, nearest = 0, copies = 1;
  } neighbours;
  std::vector<EpochRecord> history;
  int best_epoch = 0;                // of the last stage
  // What made it the best: "auc" (the validation ROC-AUC, ties by the loss), "loss" (the lowest
  // validation loss: no labelled anomaly, or training.monitor), "" (no validation split: the last).
  std::string best_by;
  double seconds = 0;
  double samples_per_second = 0;     // training throughput over all steps
  // At the chosen threshold. When the test split holds no labelled anomaly its samples join the
  // threshold's (threshold_normal), so `test` then measures samples the threshold was set on.
  Metrics validation, test;
  // The false-positive rate the threshold was set at on the normal held-out samples (threshold_normal)
  // (threshold.value; in the contaminated setting at least training.contamination, the share of
  // them expected to be anomalies, as scikit-learn's `contamination` sets it); -1 when the
  // threshold maximises F1 instead.
  double threshold_rate = -1;
  // The share of new normal samples this threshold flags lies in this range with probability
  // 0.9 (flagged_share_range: the threshold_normal samples it was set on are a sample); unknown
  // (-1) with threshold_rate, or when it was set on the training samples.
  ShareRange threshold_share;
  // The normal samples the threshold was set at its rate on: the normal validation samples, and
  // the test samples when the test split holds no labelled anomaly (without labels: the held-out
  // samples, taken as normal); 0 when set on the training samples or at the best F1.
  int64_t threshold_normal = 0;
  // How many of the normal samples the threshold was set on (those above; the training samples
  // when too few are held out) score 1, the top of every score but the reconstruction error, when
  // so many do that the rate's threshold would lie above 1: it is set at 1 and flags them
  // (threshold_share counts them flagged). 0 otherwise.
  int64_t threshold_at_top = 0;
  static constexpr double kShareProbability = 0.9;
  std::vector<std::string> dropped_columns;
  // Tables: what was read and decided (wire::table_description): encoding, separator, number
  // format, skipped rows, each column's role and why, merged label values. Null for images.
  nlohmann::json data;
};

// A finished fit's results, for the detector to adopt.
struct FitOutcome {
  FitReport report;
  Preset preset;
  std::unique_ptr<E2EConvA3> model;
  std::optional<TabularPreprocessor> preprocessing;
  float threshold = 0;
};

// One training stage: which network learns, from which samples, on which loss terms, and what
// early stopping watches.
struct Stage {
  const char* name;
  bool target_learns, alarm_learns;  // the other network is frozen (eval mode)
  LossTerms terms;
  bool normal_samples_only;          // the target alone learns from normal samples
  bool stop_on_auc;                  // early stopping on the validation AUC (else the validation loss)
  bool reconstruction_scores;        // that AUC is of the reconstruction error (else of the alarm)
};
std::vector<Stage> stages_for(Variant variant);

// Contaminated data (unlabelled rows of which some are anomalies): positions in `rows` of the
// `fraction` of them likeliest to be anomalies, likeliest first (ties: the lower position).
// worst_reconstructed: by the target's reconstruction error (which rows sit out of an epoch's loss).
// least_typical: for rows by the sum of the log reconstruction error and the marginal rarity, each
// standardised over `rows`; for images by the reconstruction error (which rows the neighbour
// distance leaves out; measured against the reconstruction error alone in docs/no-labels.md).
std::vector<size_t> worst_reconstructed(E2EConvA3& model, const Dataset& rows, double fraction, int64_t batch_size = 64);
std::vector<size_t> least_typical(E2EConvA3& model, const Dataset& rows, double fraction, int64_t batch_size = 64);

// Whether a fit of a model configured so keeps normal training samples to score with (the
// neighbour distance): by its score kind, whether it trains against synthetic anomalies, and
// whether it has at least 2 normal validation samples (the distance's statistics). (A model of
// rows keeps them whatever its score: Fit::conclude.)
bool keeps_neighbour_rows(const ModelConfig& config, bool synthetic, int64_t normal_validation);

class Fit {
 public:
  // Checks the data (shapes, labels, finite values, a normal sample) and throws ca3::Error
  // naming the problem before any training.
  Fit(Preset preset, std::unique_ptr<E2EConvA3> model, DatasetSplit split,
      std::optional<TabularPreprocessor> preprocessing, ProgressCallback on_progress = {});
  Fit(Fit&&) noexcept;
  Fit& operator=(Fit&&) noexcept;
  ~Fit();

  // Trains for about `seconds` (at least one unit: a step or an epoch end). True while there
  // is work left. Throws when training diverges; the fit is then over.
  bool advance(double seconds);
  // Stops now; conclude() then reports cancelled.
  void cancel();
  // What the data was (see FitReport::data), for the report.
  void describe_data(nlohmann::json description);
  const nlohmann::json& data_description() const;  // null until described (images: always)
  bool finished() const;
  // After finished(): restores the best weights, picks the threshold on validation (training
  // data when there is no validation split), measures validation and test. Once.
  FitOutcome conclude();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ca3
