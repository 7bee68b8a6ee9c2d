#include "core/preset.h"

#include "core/error.h"

namespace ca3 {

nlohmann::json Preset::defaults(ModelKind kind) {
  nlohmann::json j = {
      {"name", kind == ModelKind::image ? "image" : "tabular"},
      {"kind", kind == ModelKind::image ? "image" : "tabular"},
      {"model",
       {{"variant", "e2e"},
        {"variational", true},
        {"alarm_input_pooling", "max"},
        {"gamma", 10.0},
        {"beta", 1.0}}},
      {"training",
       {{"epochs", 100},
        {"batch_size", kind == ModelKind::image ? 256 : 64},
        {"micro_batch_size", kind == ModelKind::image ? 32 : 64},
        {"learning_rate", 1e-3},
        {"patience", 10},
        {"monitor", "auc"}}},
      {"threshold", {{"rule", "false_positive_rate"}, {"value", 0.05}}},
      {"synthetic_anomalies", {{"mean", 0.5}, {"sd", 1.0}, {"ratio", 1.0}}},
      {"split", {{"validation", 0.1}, {"test", 0.1}}},
      {"seed", 0},
  };
  if (kind == ModelKind::image) {
    j["image"] = {{"height", 28}, {"width", 28}, {"channels", 1}};
    j["model"]["encoder_channels"] = {64, 128};
    j["model"]["alarm_channels"] = {64, 128};
  } else {
    j["model"]["encoder_channels"] = {32, 64};
    j["model"]["alarm_channels"] = {96, 192};
    j["model"]["soft_order_channels"] = 16;
    j["model"]["soft_order_length"] = 16;
    j["preprocessing"] = {{"scaling", "quantile_normal"}, {"max_categories", 64}};
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
    } else if (expected.is_number()) {
      CA3_CHECK(it->is_number(), "preset: '", key, "' must be a number");
    } else if (expected.is_boolean()) {
      CA3_CHECK(it->is_boolean(), "preset: '", key, "' must be true or false");
    } else if (expected.is_string()) {
      CA3_CHECK(it->is_string(), "preset: '", key, "' must be a string");
    } else if (expected.is_array()) {
      CA3_CHECK(it->is_array(), "preset: '", key, "' must be a list");
      for (const auto& v : *it) CA3_CHECK(v.is_number_integer() && v.get<int64_t>() > 0, "preset: '", key,
                                          "' must list positive whole numbers");
    }
  }
}

template <typename T>
T at(const nlohmann::json& j, const char* section, const char* key) {
  return j.at(section).at(key).get<T>();
}

}  // namespace

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
  if (kind == ModelKind::image) p.image_config();
  else p.tabular_config(1), p.scaling(), p.max_categories();
  p.train_options(), p.threshold_rule(), p.threshold_value(), p.synthetic_ratio();
  const double v = p.validation_fraction(), t = p.test_fraction();
  CA3_CHECK(v > 0 && t >= 0 && v + t < 0.9, "preset: split.validation must be > 0, split.test >= 0, together < 0.9");
  return p;
}

Preset Preset::parse(const std::string& text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("preset: not valid JSON (") + e.what() + ")");
  }
  return from_json(j);
}

ModelKind Preset::kind() const { return json.at("kind") == "image" ? ModelKind::image : ModelKind::tabular; }

static E2EOptions common_options(const nlohmann::json& j) {
  const auto& m = j.at("model");
  E2EOptions o;
  o.variant = variant_from_string(m.at("variant").get<std::string>());
  o.variational = m.at("variational").get<bool>();
  const std::string pooling = m.at("alarm_input_pooling").get<std::string>();
  CA3_CHECK(pooling == "max" || pooling == "average", "preset: model.alarm_input_pooling must be \"max\" or "
            "\"average\", got \"", pooling, "\"");
  o.alarm_input_pooling = pooling == "max" ? PoolKind::max : PoolKind::average;
  o.gamma = m.at("gamma").get<float>();
  o.beta = m.at("beta").get<float>();
  o.seed = j.at("seed").get<uint64_t>();
  o.validate();
  return o;
}

ImageModelConfig Preset::image_config() const {
  CA3_CHECK(kind() == ModelKind::image, "preset '", name(), "' is not an image preset");
  ImageModelConfig c;
  c.height = at<int64_t>(json, "image", "height");
  c.width = at<int64_t>(json, "image", "width");
  c.channels = at<int64_t>(json, "image", "channels");
  c.encoder_channels = at<std::vector<int64_t>>(json, "model", "encoder_channels");
  c.alarm_channels = at<std::vector<int64_t>>(json, "model", "alarm_channels");
  c.common = common_options(json);
  c.validate();
  return c;
}

TabularModelConfig Preset::tabular_config(int64_t features) const {
  CA3_CHECK(kind() == ModelKind::tabular, "preset '", name(), "' is not a tabular preset");
  TabularModelConfig c;
  c.features = features;
  c.soft_order_channels = at<int64_t>(json, "model", "soft_order_channels");
  c.soft_order_length = at<int64_t>(json, "model", "soft_order_length");
  c.encoder_channels = at<std::vector<int64_t>>(json, "model", "encoder_channels");
  c.alarm_channels = at<std::vector<int64_t>>(json, "model", "alarm_channels");
  c.common = common_options(json);
  c.validate();
  return c;
}

TrainOptions Preset::train_options() const {
  TrainOptions o;
  o.epochs = at<int>(json, "training", "epochs");
  o.batch_size = at<int64_t>(json, "training", "batch_size");
  o.micro_batch_size = at<int64_t>(json, "training", "micro_batch_size");
  o.learning_rate = at<float>(json, "training", "learning_rate");
  o.patience = at<int>(json, "training", "patience");
  const std::string monitor = at<std::string>(json, "training", "monitor");
  CA3_CHECK(monitor == "auc" || monitor == "loss", "preset: training.monitor must be \"auc\" or \"loss\"");
  o.monitor = monitor == "auc" ? TrainOptions::Monitor::auc : TrainOptions::Monitor::loss;
  o.seed = seed();
  CA3_CHECK(o.epochs >= 1 && o.batch_size >= 1 && o.micro_batch_size >= 1 && o.learning_rate > 0 && o.patience >= 0,
            "preset: training needs epochs >= 1, batch_size >= 1, micro_batch_size >= 1, learning_rate > 0 and "
            "patience >= 0");
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
double Preset::synthetic_mean() const { return at<double>(json, "synthetic_anomalies", "mean"); }
double Preset::synthetic_sd() const { return at<double>(json, "synthetic_anomalies", "sd"); }
double Preset::synthetic_ratio() const {
  const double r = at<double>(json, "synthetic_anomalies", "ratio");
  CA3_CHECK(r > 0 && r <= 10, "preset: synthetic_anomalies.ratio must be in (0, 10]");
  return r;
}
double Preset::validation_fraction() const { return at<double>(json, "split", "validation"); }
double Preset::test_fraction() const { return at<double>(json, "split", "test"); }
uint64_t Preset::seed() const { return json.at("seed").get<uint64_t>(); }
Scaling Preset::scaling() const {
  const std::string s = at<std::string>(json, "preprocessing", "scaling");
  CA3_CHECK(s == "quantile_normal" || s == "standard", "preset: preprocessing.scaling must be \"quantile_normal\" or "
            "\"standard\"");
  return s == "standard" ? Scaling::standard : Scaling::quantile_normal;
}
int Preset::max_categories() const { return at<int>(json, "preprocessing", "max_categories"); }

}  // namespace ca3
