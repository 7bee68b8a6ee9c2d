#include "core/anomaly/preset.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>

#include "core/engine/error.h"

namespace ca3 {

nlohmann::json Preset::defaults(ModelKind kind) {
  nlohmann::json j = {
      {"name", kind == ModelKind::image ? "image" : "tabular"},
      {"kind", kind == ModelKind::image ? "image" : "tabular"},
      {"model",
       {{"variant", "e2e"},
        {"variational", true},
        {"alarmInputPooling", "max"},
        {"gamma", 10.0},
        {"beta", 1.0},
        {"batchNormStatistics", "auto"},
        {"score", "auto"}}},
      {"training",
       {{"epochs", 100},
        {"batchSize", kind == ModelKind::image ? 256 : 64},
        {"microBatchSize", kind == ModelKind::image ? 32 : 64},
        {"learningRate", 1e-3},
        {"patience", 10},
        {"monitor", "auto"},
        {"contamination", 0.0}}},
      {"threshold", {{"rule", "false_positive_rate"}, {"value", 0.05}}},
      {"syntheticAnomalies",
       {{"kinds", kind == ModelKind::image ? nlohmann::json::array({"geometric", "cutpaste", "blotch"})
                                           : nlohmann::json::array({"local"})},
        {"mean", 0.5}, {"sd", 1.0}, {"ratio", 1.0}, {"scaleMin", 0.25}, {"scaleMax", 4.0},
        {"belowLabelled", 6}}},
      {"split", {{"validation", 0.1}, {"test", 0.1}}},
      {"seed", 0},
  };
  if (kind == ModelKind::image) {
    j["image"] = {{"height", 28}, {"width", 28}, {"channels", 1}};
    j["model"]["encoderChannels"] = {64, 128};
    j["model"]["alarmChannels"] = {64, 128};
  } else {
    j["model"]["encoderChannels"] = {32, 64};
    j["model"]["alarmChannels"] = {96, 192};
    j["model"]["softOrderChannels"] = 16;
    j["model"]["softOrderLength"] = 16;
    j["preprocessing"] = {{"scaling", "auto"}, {"maxCategories", 64}, {"logSkewed", true}};
  }
  return j;
}

namespace {

// Every key of `given` must exist in `defaults`, with a value of the same type.
void check_keys(const nlohmann::json& given, const nlohmann::json& defaults, const std::string& path) {
  for (auto it = given.begin(); it != given.end(); ++it) {
    const std::string key = path.empty() ? it.key() : path + "." + it.key();
    CA3_CHECK(defaults.contains(it.key()), "preset: unknown key '", key, "'");
    const auto& expected = defaults[it.key()];
    if (expected.is_object()) {
      CA3_CHECK(it->is_object(), "preset: '", key, "' must be an object");
      check_keys(*it, expected, key);
    } else if (expected.is_number_integer()) {
      // Counts and sizes are ints (6.0 is taken as 6); the seed takes any whole number.
      const bool whole = it->is_number_integer() || (it->is_number_float() && std::isfinite(it->get<double>()) &&
                                                      std::floor(it->get<double>()) == it->get<double>());
      CA3_CHECK(whole, "preset: ", key, " must be a whole number, got ", it->dump());
      constexpr double most = std::numeric_limits<int32_t>::max();
      const double value = it->is_number_unsigned() ? double(it->get<uint64_t>())
                           : it->is_number_integer() ? double(it->get<int64_t>())
                                                     : it->get<double>();
      CA3_CHECK(key == "seed" || value <= most, "preset: ", key, " must be at most ", int64_t(most), ", got ", it->dump());
      CA3_CHECK(key == "seed" || value >= -most, "preset: ", key, " must be at least ", -int64_t(most), ", got ", it->dump());
    } else if (expected.is_number()) {
      CA3_CHECK(it->is_number(), "preset: ", key, " must be a number, got ", it->dump());
    } else if (expected.is_boolean()) {
      CA3_CHECK(it->is_boolean(), "preset: '", key, "' must be true or false");
    } else if (expected.is_string()) {
      CA3_CHECK(it->is_string(), "preset: '", key, "' must be a string");
    } else if (expected.is_array()) {
      CA3_CHECK(it->is_array(), "preset: '", key, "' must be a list");
      if (!expected.empty() && expected[0].is_string()) {
        for (const auto& v : *it) CA3_CHECK(v.is_string(), "preset: '", key, "' must list names");
      } else {
        for (const auto& v : *it) CA3_CHECK(v.is_number_integer() && v.get<int64_t>() > 0, "preset: '", key,
                                            "' must list positive whole numbers");
      }
    }
  }
}

// Fractions at whole-number keys truncated toward zero, as the core took them before they were checked.
void truncate_whole_numbers(nlohmann::json& given, const nlohmann::json& defaults) {
  if (!given.is_object()) return;
  for (auto it = given.begin(); it != given.end(); ++it) {
    if (!defaults.contains(it.key())) continue;
    const auto& expected = defaults[it.key()];
    if (expected.is_object()) {
      truncate_whole_numbers(*it, expected);
    } else if (expected.is_number_integer() && it->is_number_float() && std::isfinite(it->get<double>()) &&
               std::abs(it->get<double>()) <= double(std::numeric_limits<int32_t>::max())) {
      *it = int64_t(std::trunc(it->get<double>()));
    }
  }
}

template <typename T>
T at(const nlohmann::json& j, const char* section, const char* key) {
  return j.at(section).at(key).get<T>();
}

}  // namespace

Preset Preset::from_saved_json(const nlohmann::json& saved) {
  if (!saved.is_object() || !saved.contains("kind") || !saved["kind"].is_string() ||
      (saved["kind"] != "image" && saved["kind"] != "tabular"))
    return from_json(saved);  // says what is wrong
  nlohmann::json j = saved;
  truncate_whole_numbers(j, defaults(j["kind"] == "image" ? ModelKind::image : ModelKind::tabular));
  return from_json(j);
}

Preset Preset::from_json(const nlohmann::json& given) {
  CA3_CHECK(given.is_object(), "preset: expected a JSON object");
  CA3_CHECK(given.contains("kind") && given["kind"].is_string() &&
                (given["kind"] == "image" || given["kind"] == "tabular"),
            "preset: 'kind' must be \"image\" or \"tabular\"");
  const ModelKind kind = given["kind"] == "image" ? ModelKind::image : ModelKind::tabular;
  Preset p;
  p.json = defaults(kind);
  check_keys(given, p.json, "");
  p.json.merge_patch(given);
  // Validate now, so that a bad preset fails before any training.
  p.model_config(1);
  if (kind == ModelKind::tabular) p.scaling(), p.max_categories();
  p.training(), p.threshold_rule(), p.threshold_value(), p.synthetic_anomalies();
  const double v = p.validation_fraction(), t = p.test_fraction();
  CA3_CHECK(v > 0 && t >= 0 && v + t < 0.9, "preset: split.validation must be > 0, split.test >= 0, together < 0.9");
  return p;
}

Preset Preset::with(const nlohmann::json& changes) const {
  if (changes.is_null() || changes.empty()) return *this;
  CA3_CHECK(changes.is_object(), "preset changes must be a JSON object");
  CA3_CHECK(!changes.contains("kind") || changes["kind"] == json["kind"], "a fit cannot change the detector's kind");
  nlohmann::json merged = json;
  merged.merge_patch(changes);  // a null removes the key: from_json then restores its default
  return from_json(merged);
}

Preset Preset::parse(const std::string& text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(detail::concat("preset: not valid JSON (at byte ", e.byte, ")"));
  }
  return from_json(j);
}

ModelKind Preset::kind() const { return json.at("kind") == "image" ? ModelKind::image : ModelKind::tabular; }

ModelConfig Preset::model_config(int64_t features) const {
  const auto& m = json.at("model");
  ModelConfig c;
  if (kind() == ModelKind::image) {
    const int64_t height = at<int64_t>(json, "image", "height"), width = at<int64_t>(json, "image", "width");
    CA3_CHECK(height >= 8, "preset: image.height must be 8 pixels or more, got ", height);
    CA3_CHECK(width >= 8, "preset: image.width must be 8 pixels or more, got ", width);
    const int64_t channels = at<int64_t>(json, "image", "channels");
    CA3_CHECK(channels == 1 || channels == 3, "preset: image.channels must be 1 (grey) or 3 (colour), got ", channels);
    c = ModelConfig::image(height, width, channels);
  } else {
    c = ModelConfig::rows(features);
    c.soft_order_channels = m.at("softOrderChannels").get<int64_t>();
    c.soft_order_length = m.at("softOrderLength").get<int64_t>();
  }
  c.encoder_channels = m.at("encoderChannels").get<std::vector<int64_t>>();
  c.alarm_channels = m.at("alarmChannels").get<std::vector<int64_t>>();
  const std::string variant = m.at("variant").get<std::string>();
  CA3_CHECK(variant == "e2e" || variant == "a3" || variant == "reconstruction", "preset: model.variant must be \"e2e\", "
            "\"a3\" or \"reconstruction\", got \"", variant, "\"");
  c.variant = variant_from_string(variant);
  c.variational = m.at("variational").get<bool>();
  const std::string pooling = m.at("alarmInputPooling").get<std::string>();
  CA3_CHECK(pooling == "max" || pooling == "average", "preset: model.alarmInputPooling must be \"max\" or "
            "\"average\", got \"", pooling, "\"");
  c.alarm_input_pooling = pooling == "max" ? PoolKind::max : PoolKind::average;
  c.gamma = m.at("gamma").get<float>();
  c.beta = m.at("beta").get<float>();
  CA3_CHECK(c.gamma >= 0.f && std::isfinite(c.gamma), "preset: model.gamma must be 0 or more (the weight of the "
            "classification loss), got ", c.gamma);
  const std::string statistics = m.at("batchNormStatistics").get<std::string>();
  CA3_CHECK(statistics == "all" || statistics == "normal" || statistics == "auto", "preset: model.batchNormStatistics "
            "must be \"all\", \"normal\" or \"auto\", got \"", statistics, "\"");
  c.normal_statistics = statistics == "normal" ? Choice::yes : statistics == "all" ? Choice::no : Choice::automatic;
  const std::string score = m.at("score").get<std::string>();
  CA3_CHECK(score == "alarm" || score == "combined" || score == "auto" || score == "combined_rarity" || score == "combined_neighbours" ||
                score == "alarm_neighbours" || score == "combined_without_alarm",
            "preset: model.score must be \"alarm\", \"combined\", \"combined_rarity\", \"combined_neighbours\", \"alarm_neighbours\", "
            "\"combined_without_alarm\" or \"auto\", got \"", score, "\"");
  c.score = score == "alarm"                 ? ScoreKind::alarm
            : score == "combined"            ? ScoreKind::combined
            : score == "combined_rarity"     ? ScoreKind::combined_rarity
            : score == "combined_neighbours" ? ScoreKind::combined_neighbours
            : score == "alarm_neighbours"    ? ScoreKind::alarm_neighbours
            : score == "combined_without_alarm" ? ScoreKind::combined_without_alarm
                                             : ScoreKind::automatic;
  c.seed = seed();
  c.validate();
  return c;
}

TrainingOptions Preset::training() const {
  TrainingOptions o;
  o.epochs = at<int>(json, "training", "epochs");
  o.batch_size = at<int64_t>(json, "training", "batchSize");
  o.micro_batch_size = at<int64_t>(json, "training", "microBatchSize");
  o.learning_rate = at<float>(json, "training", "learningRate");
  o.patience = at<int>(json, "training", "patience");
  const std::string monitor = at<std::string>(json, "training", "monitor");
  CA3_CHECK(monitor == "auc" || monitor == "loss" || monitor == "auto", "preset: training.monitor must be \"auc\", "
            "\"loss\" or \"auto\"");
  o.stop_on_auc = monitor == "auc" ? Choice::yes : monitor == "loss" ? Choice::no : Choice::automatic;
  o.contamination = at<double>(json, "training", "contamination");
  CA3_CHECK(o.contamination >= 0 && o.contamination < 0.5, "preset: training.contamination must be from 0 to below 0.5 "
            "(the share of anomalies expected among the unlabelled training rows), got ", o.contamination);
  o.seed = seed();
  CA3_CHECK(o.epochs >= 1, "preset: training.epochs must be 1 or more, got ", o.epochs);
  CA3_CHECK(o.batch_size >= 1, "preset: training.batchSize must be 1 or more, got ", o.batch_size);
  CA3_CHECK(o.micro_batch_size >= 1, "preset: training.microBatchSize must be 1 or more, got ", o.micro_batch_size);
  CA3_CHECK(o.learning_rate > 0 && std::isfinite(o.learning_rate), "preset: training.learningRate must be above 0, got ",
            o.learning_rate);
  CA3_CHECK(o.patience >= 0, "preset: training.patience must be 0 or more (0: no early stopping), got ", o.patience);
  return o;
}

ThresholdRule Preset::threshold_rule() const {
  const std::string rule = at<std::string>(json, "threshold", "rule");
  CA3_CHECK(rule == "false_positive_rate" || rule == "best_f1",
            "preset: threshold.rule must be \"false_positive_rate\" or \"best_f1\", got \"", rule, "\"");
  return rule == "best_f1" ? ThresholdRule::best_f1 : ThresholdRule::false_positive_rate;
}
double Preset::threshold_value() const {
  const double v = at<double>(json, "threshold", "value");
  CA3_CHECK(v >= 0 && v <= 1, "preset: threshold.value (a false-positive rate) must be in [0, 1]");
  return v;
}
SyntheticAnomalies Preset::synthetic_anomalies() const {
  SyntheticAnomalies s;
  SyntheticOptions& o = s.options;
  o.kinds.clear();
  for (const auto& name : json.at("syntheticAnomalies").at("kinds")) {
    const SyntheticKind kind = synthetic_kind_from_string(name.get<std::string>());
    CA3_CHECK(kind_fits(kind), "preset: syntheticAnomalies.kinds: '", name.get<std::string>(), "' is for ",
              for_rows(kind) ? "table rows" : "images", ", this is ", this->kind() == ModelKind::image ? "an image" : "a tabular",
              " preset");
    o.kinds.push_back(kind);
  }
  CA3_CHECK(!o.kinds.empty(), "preset: syntheticAnomalies.kinds must name at least one kind");
  o.mean = at<float>(json, "syntheticAnomalies", "mean");
  o.sd = at<float>(json, "syntheticAnomalies", "sd");
  o.ratio = at<double>(json, "syntheticAnomalies", "ratio");
  o.scale_min = at<float>(json, "syntheticAnomalies", "scaleMin");
  o.scale_max = at<float>(json, "syntheticAnomalies", "scaleMax");
  s.below_labelled = at<int64_t>(json, "syntheticAnomalies", "belowLabelled");
  CA3_CHECK(o.ratio > 0 && o.ratio <= 10, "preset: syntheticAnomalies.ratio must be in (0, 10]");
  CA3_CHECK(o.sd >= 0 && std::isfinite(o.sd) && std::isfinite(o.mean), "preset: syntheticAnomalies.mean and .sd must "
            "be finite, sd >= 0");
  CA3_CHECK(o.scale_min > 0 && o.scale_max >= o.scale_min && std::isfinite(o.scale_max), "preset: "
            "syntheticAnomalies needs 0 < scaleMin <= scaleMax");
  CA3_CHECK(s.below_labelled >= 0, "preset: syntheticAnomalies.belowLabelled must be >= 0");
  return s;
}

bool Preset::kind_fits(SyntheticKind k) const { return kind() == ModelKind::image ? for_images(k) : for_rows(k); }
double Preset::validation_fraction() const { return at<double>(json, "split", "validation"); }
double Preset::test_fraction() const { return at<double>(json, "split", "test"); }
uint64_t Preset::seed() const { return json.at("seed").get<uint64_t>(); }
Scaling Preset::scaling(bool synthetic) const {
  const std::string s = at<std::string>(json, "preprocessing", "scaling");
  CA3_CHECK(s == "quantile_normal" || s == "standard" || s == "auto", "preset: preprocessing.scaling must be "
            "\"quantile_normal\", \"standard\" or \"auto\"");
  if (s == "auto") return synthetic ? Scaling::standard : Scaling::quantile_normal;
  return s == "standard" ? Scaling::standard : Scaling::quantile_normal;
}

bool Preset::uses_synthetic(int64_t labelled_anomalies) const {
  if (variant_from_string(json.at("model").at("variant").get<std::string>()) == Variant::reconstruction_only) return false;
  return labelled_anomalies == 0 || labelled_anomalies < synthetic_anomalies().below_labelled;
}
int Preset::max_categories() const { return at<int>(json, "preprocessing", "maxCategories"); }
bool Preset::log_skewed() const { return at<bool>(json, "preprocessing", "logSkewed"); }

}  // namespace ca3
