// Presets: every hyper-parameter of a detector in one JSON document (camelCase keys, as every
// JSON value CA3 exchanges), with defaults that work on the data in data/ and Fashion-MNIST. A
// preset only needs the keys it changes:
//
//   {"kind": "tabular", "training": {"epochs": 50}, "model": {"gamma": 1}}
//
// Unknown keys are rejected (a typo must not silently fall back to a default). Full presets for
// the command line and the SDK live in models/presets/*.json.
//
//   Preset p = Preset::parse(R"({"kind": "image", "image": {"height": 32, "width": 32, "channels": 3}})");
//   ModelConfig config = p.model_config();
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/anomaly/data/tabular.h"
#include "core/anomaly/model.h"
#include "core/anomaly/synthetic.h"

namespace ca3 {

enum class ModelKind { image, tabular };

enum class ThresholdRule { false_positive_rate, best_f1 };

struct TrainingOptions {
  int epochs = 100;                 // the maximum per stage
  int64_t batch_size = 256;         // samples per Adam step
  // Samples run through the model at once: a batch goes through in pieces of this size whose
  // gradients add up to the batch's, so memory follows this, not batch_size. Batch-norm
  // statistics are then per piece ("ghost" batch norm); validation scores in pieces of this size.
  int64_t micro_batch_size = 32;
  float learning_rate = 1e-3f;
  int patience = 10;                // epochs without improvement before stopping; 0 = never stop early
  // Early stopping watches the validation AUC (yes) or the validation loss (no); automatic: the
  // AUC with labelled anomalies, the loss with synthetic ones (their AUC says little of real ones).
  Choice stop_on_auc = Choice::automatic;
  // The share of anomalies expected among the unlabelled training rows ("contaminated" data): after
  // a warm-up epoch, each epoch leaves out that share of them -- those the target reconstructs
  // worst -- so that the model does not learn them as normal. 0 = the rows are clean.
  double contamination = 0;
  uint64_t seed = 0;                // batch order
};

// Synthetic anomalies (synthetic.h) for data without labelled ones -- or with fewer than
// `below_labelled` labelled anomalies in training, when they join the labelled ones (default 6:
// a handful of labels, e.g. 5, gains from them; Glass's 7 labelled anomalies measured worse with
// them, test ROC-AUC 1.00 -> 0.81 over 5 seeds, so the labelled protocol stays as the paper's).
struct SyntheticAnomalies {
  SyntheticOptions options;
  int64_t below_labelled = 6;
};

struct Preset {
  nlohmann::json json;  // the complete preset, defaults filled in

  static Preset parse(const std::string& text);      // throws naming the problem
  static Preset from_json(const nlohmann::json& j);  // j: a (partial) preset
  // The preset stored in a model file. Files saved before whole-number keys were checked may hold
  // a fraction there (the page's epochs box took 2.5); it is read as the core then used it,
  // truncated toward zero (2.5 epochs trained 2), so that the file still loads.
  static Preset from_saved_json(const nlohmann::json& j);
  static nlohmann::json defaults(ModelKind kind);
  // `changes` (a partial preset, JSON merge patch: null restores a key's default) merged in.
  Preset with(const nlohmann::json& changes) const;

  ModelKind kind() const;
  std::string name() const { return json.at("name").get<std::string>(); }
  // The model for this preset; tabular presets need the number of features after preprocessing.
  ModelConfig model_config(int64_t features = 0) const;
  TrainingOptions training() const;
  ThresholdRule threshold_rule() const;
  double threshold_value() const;      // the false-positive rate for that rule
  SyntheticAnomalies synthetic_anomalies() const;
  bool kind_fits(SyntheticKind kind) const;  // a kind of synthetic anomaly for this preset's data
  double validation_fraction() const, test_fraction() const;
  uint64_t seed() const;
  // preprocessing.scaling; "auto": standardised for a fit with synthetic anomalies (it keeps how
  // far out a value lies, which one-class detection needs), the quantile transform otherwise.
  Scaling scaling(bool synthetic = false) const;
  // Whether a fit whose training split holds `labelled_anomalies` adds synthetic ones.
  bool uses_synthetic(int64_t labelled_anomalies) const;
  int max_categories() const;
  // preprocessing.logSkewed (true): standard scaling reads a column skewed to large values on a log
  // scale (TabularOptions::log_skewed, ColumnTransform::log_scale).
  bool log_skewed() const;
};

}  // namespace ca3
