// Presets: every hyper-parameter of a detector in one JSON document, with defaults that work
// on the data in data/ and Fashion-MNIST. A preset only needs the keys it changes:
//
//   {"kind": "tabular", "training": {"epochs": 50}, "model": {"gamma": 1}}
//
// Unknown keys are rejected (a typo must not silently fall back to a default). Full presets for
// the command line live in models/presets/*.json.
//
//   Preset p = Preset::parse(R"({"kind": "image", "image": {"height": 32, "width": 32, "channels": 3}})");
//   ImageModelConfig config = p.image_config();
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/data/tabular.h"
#include "core/models/image_model.h"
#include "core/models/tabular_model.h"
#include "core/training/trainer.h"

namespace ca3 {

enum class ModelKind { image, tabular };

enum class ThresholdRule { false_positive_rate, best_f1 };

struct Preset {
  nlohmann::json json;  // the complete preset, defaults filled in

  static Preset parse(const std::string& text);      // throws naming the problem
  static Preset from_json(const nlohmann::json& j);  // j: a (partial) preset
  static nlohmann::json defaults(ModelKind kind);

  ModelKind kind() const;
  std::string name() const { return json.at("name").get<std::string>(); }
  ImageModelConfig image_config() const;
  TabularModelConfig tabular_config(int64_t features) const;
  TrainOptions train_options() const;  // without callbacks
  ThresholdRule threshold_rule() const;
  double threshold_value() const;      // the false-positive rate for that rule
  double synthetic_mean() const, synthetic_sd() const, synthetic_ratio() const;
  double validation_fraction() const, test_fraction() const;
  uint64_t seed() const;
  Scaling scaling() const;
  int max_categories() const;
};

}  // namespace ca3
