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
  bool stop_on_auc = true;          // early stopping watches the validation AUC (else the validation loss)
  uint64_t seed = 0;                // batch order
};

// A3's synthetic anomalies for data without labelled ones: Gaussian noise N(mean, sd) in the
// model's input space, `ratio` of them per normal training sample.
struct SyntheticAnomalies {
  float mean = 0.5f, sd = 1.f;
  double ratio = 1.0;
};

struct Preset {
  nlohmann::json json;  // the complete preset, defaults filled in

  static Preset parse(const std::string& text);      // throws naming the problem
  static Preset from_json(const nlohmann::json& j);  // j: a (partial) preset
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
  double validation_fraction() const, test_fraction() const;
  uint64_t seed() const;
  Scaling scaling() const;
  int max_categories() const;
};

}  // namespace ca3
