#include "core/detector.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>

#include "core/error.h"
#include "core/model_file.h"
#include "core/models/image_model.h"
#include "core/models/tabular_model.h"

namespace ca3 {

nlohmann::json Metrics::to_json() const {
  nlohmann::json j;
  j["normal"] = normal, j["anomalies"] = anomalies;
  j["roc_auc"] = roc_auc >= 0 ? nlohmann::json(roc_auc) : nlohmann::json(nullptr);
  j["average_precision"] = average_precision >= 0 ? nlohmann::json(average_precision) : nlohmann::json(nullptr);
  j["threshold"] = threshold;
  j["confusion_matrix"] = {{"true_positives", confusion.true_positives},
                           {"false_positives", confusion.false_positives},
                           {"true_negatives", confusion.true_negatives},
                           {"false_negatives", confusion.false_negatives}};
  j["true_positive_rate"] = confusion.true_positive_rate();
  j["false_positive_rate"] = confusion.false_positive_rate();
  j["precision"] = confusion.precision();
  j["f1"] = confusion.f1();
  return j;
}

nlohmann::json FitReport::to_json() const {
  nlohmann::json j;
  j["cancelled"] = cancelled;
  j["rows"] = {{"train", train_rows}, {"validation", validation_rows}, {"test", test_rows}};
  j["synthetic_anomalies"] = synthetic_anomalies;
  j["epochs"] = training.history.size();
  j["best_epoch"] = training.best_epoch;
  j["seconds"] = training.seconds;
  j["samples_per_second"] = training.samples_per_second;
  j["validation"] = validation.to_json();
  j["test"] = test.to_json();
  if (!dropped_columns.empty()) j["dropped_columns"] = dropped_columns;
  return j;
}

Detector::Detector(Preset preset) : preset_(std::move(preset)) {
  if (kind() == ModelKind::image) model_ = make_model(preset_, 0);
}
Detector::Detector(Detector&&) noexcept = default;
Detector& Detector::operator=(Detector&&) noexcept = default;
Detector::~Detector() = default;

std::unique_ptr<E2EConvA3> Detector::make_model(const Preset& preset, int64_t features) {
  if (preset.kind() == ModelKind::image) return std::make_unique<ImageE2EConvA3>(preset.image_config());
  return std::make_unique<TabularE2EConvA3>(preset.tabular_config(features));
}

Preset Detector::preset_with(const nlohmann::json& changes) const {
  if (changes.is_null() || changes.empty()) return preset_;
  CA3_CHECK(changes.is_object(), "preset changes must be a JSON object");
  CA3_CHECK(!changes.contains("kind") || changes["kind"] == preset_.json["kind"], "a fit cannot change the detector's kind");
  nlohmann::json merged = preset_.json;
  merged.merge_patch(changes);
  return Preset::from_json(merged);
}

E2EConvA3& Detector::model() {
  CA3_CHECK(model_, "the detector has no model yet: train it first (a tabular model needs the data's columns)");
  return *model_;
}

void Detector::set_threshold(float threshold) {
  CA3_CHECK(std::isfinite(threshold), "the threshold must be a finite number");
  threshold_ = threshold;
}

namespace {
// Ranking metrics (when both classes are present) and the confusion matrix at `threshold`.
Metrics measure(const std::vector<float>& scores, const std::vector<int>& labels, float threshold) {
  Metrics m;
  m.threshold = threshold;
  m.confusion = confusion(scores, labels, threshold);
  for (int y : labels) (y ? m.anomalies : m.normal) += 1;
  if (m.normal > 0 && m.anomalies > 0) {
    m.roc_auc = roc_auc(scores, labels);
    m.average_precision = average_precision(scores, labels);
  }
  return m;
}
}  // namespace

Metrics Detector::evaluate(const std::vector<float>& scores, const std::vector<int>& labels) const {
  return measure(scores, labels, threshold_);
}

struct FitJob::State {
  Preset preset;
  DatasetSplit split;
  std::unique_ptr<E2EConvA3> model;
  std::optional<TabularPreprocessor> prep;
  FitReport report;
  std::unique_ptr<Training> training;  // refers to split and model: declared after them
};

FitJob::FitJob(std::unique_ptr<State> state) : state_(std::move(state)) {}
FitJob::FitJob(FitJob&&) noexcept = default;
FitJob& FitJob::operator=(FitJob&&) noexcept = default;
FitJob::~FitJob() = default;
bool FitJob::advance(double seconds) {
  CA3_CHECK(state_, "this fit has already been finished");
  return state_->training->advance(seconds);
}
void FitJob::cancel() {
  CA3_CHECK(state_, "this fit has already been finished");
  state_->training->cancel();
}
bool FitJob::finished() const { return !state_ || state_->training->finished(); }

FitJob Detector::start_fit(std::unique_ptr<FitJob::State> job, ProgressCallback on_progress) const {
  const Preset& preset = job->preset;
  DatasetSplit& split = job->split;
  E2EConvA3& model = *job->model;
  FitReport& report = job->report;
  report.train_rows = split.train.size(), report.validation_rows = split.validation.size();
  report.test_rows = split.test.size();
  CA3_CHECK(split.train.count(0) > 0, "the training data has no normal samples");
  if (split.train.count(1) == 0 && model.options().variant != Variant::reconstruction_only) {
    // No labelled anomalies: A3's synthetic ones, in training and validation alike.
    Rng rng(preset.seed() + 7);
    const auto count = [&](const Dataset& d) { return int64_t(std::llround(preset.synthetic_ratio() * double(d.count(0)))); };
    report.synthetic_anomalies = count(split.train);
    split.train = with_synthetic_anomalies(split.train, count(split.train), rng, float(preset.synthetic_mean()),
                                           float(preset.synthetic_sd()));
    if (split.validation.count(1) == 0)
      split.validation = with_synthetic_anomalies(split.validation, count(split.validation), rng,
                                                  float(preset.synthetic_mean()), float(preset.synthetic_sd()));
  }
  TrainOptions options = preset.train_options();
  options.on_progress = std::move(on_progress);
  job->training = std::make_unique<Training>(model, split.train, split.validation, options);
  return FitJob(std::move(job));
}

FitReport Detector::finish_fit(FitJob job) {
  CA3_CHECK(job.state_, "this fit has already been finished");
  while (job.advance(1.0)) {
  }
  FitJob::State& s = *job.state_;
  FitReport report = std::move(s.report);
  report.training = s.training->result();
  if (s.prep) report.dropped_columns = s.prep->dropped_columns();
  if (report.training.cancelled) {
    report.cancelled = true;
    return report;
  }
  // Threshold on validation (training data when there is no validation split).
  E2EConvA3& model = *s.model;
  const DatasetSplit& split = s.split;
  const Dataset& reference = split.validation.count(0) > 0 ? split.validation : split.train;
  const std::vector<float> reference_scores = model.score(reference.inputs);
  float threshold = 0;
  if (s.preset.threshold_rule() == ThresholdRule::best_f1 && reference.count(1) > 0)
    threshold = threshold_best_f1(reference_scores, reference.labels);
  else
    threshold = threshold_at_false_positive_rate(reference_scores, reference.labels, s.preset.threshold_value());
  if (split.validation.size() > 0)
    report.validation = measure(model.score(split.validation.inputs), split.validation.labels, threshold);
  if (split.test.size() > 0) report.test = measure(model.score(split.test.inputs), split.test.labels, threshold);
  // Everything that can throw is done: swap the new model in.
  s.training.reset();
  preset_ = std::move(s.preset);
  model_ = std::move(s.model);
  prep_ = std::move(s.prep);
  threshold_ = threshold;
  trained_ = true;
  training_summary_ = report.to_json();
  return report;
}

FitReport Detector::run_fit(FitJob job, const FitCallbacks& callbacks) {
  while (!job.finished()) {
    if (callbacks.cancel && callbacks.cancel->load()) {
      job.cancel();
      break;
    }
    job.advance(0);
  }
  return finish_fit(std::move(job));
}

FitJob Detector::start_fit_table(const CsvTable& table, const TabularOptions& given, ProgressCallback on_progress,
                                 const nlohmann::json& preset_changes) const {
  CA3_CHECK(kind() == ModelKind::tabular, "this is an image detector: it cannot train on a CSV table");
  auto job = std::make_unique<FitJob::State>();
  job->preset = preset_with(preset_changes);
  const Preset& preset = job->preset;
  TabularOptions options = given;
  options.scaling = preset.scaling();
  options.max_categories = preset.max_categories();
  const std::vector<int> labels = tabular_labels(table, options);
  const uint64_t seed = preset.seed();
  const DatasetSplit rows = stratified_split(Dataset{Tensor({int64_t(labels.size()), 1}), labels}, seed,
                                             preset.validation_fraction(), preset.test_fraction());
  CA3_CHECK(labels.size() >= 10, "too few rows to train on: ", labels.size(), " (at least 10 are needed)");
  job->prep = TabularPreprocessor::fit(table, rows.train_rows, options);
  const Dataset all{job->prep->transform(table), labels};
  job->split = stratified_split(all, seed, preset.validation_fraction(), preset.test_fraction());
  job->model = make_model(preset, job->prep->features());
  return start_fit(std::move(job), std::move(on_progress));
}

FitJob Detector::start_fit_images(const Dataset& images, ProgressCallback on_progress,
                                  const nlohmann::json& preset_changes) const {
  CA3_CHECK(kind() == ModelKind::image, "this is a tabular detector: it cannot train on images");
  images.check();
  CA3_CHECK(images.size() >= 10, "too few images to train on: ", images.size(), " (at least 10 are needed)");
  auto job = std::make_unique<FitJob::State>();
  job->preset = preset_with(preset_changes);
  job->model = make_model(job->preset, 0);
  job->model->check_inputs(images.inputs);
  job->split = stratified_split(images, job->preset.seed(), job->preset.validation_fraction(), job->preset.test_fraction());
  return start_fit(std::move(job), std::move(on_progress));
}

FitReport Detector::fit_table(const CsvTable& table, const TabularOptions& options, const FitCallbacks& callbacks) {
  return run_fit(start_fit_table(table, options, callbacks.on_progress), callbacks);
}

FitReport Detector::fit_images(const Dataset& images, const FitCallbacks& callbacks) {
  return run_fit(start_fit_images(images, callbacks.on_progress), callbacks);
}

Tensor Detector::prepare_table(const CsvTable& table) const {
  CA3_CHECK(kind() == ModelKind::tabular, "this is an image detector: it cannot score a CSV table");
  CA3_CHECK(prep_, "the detector is not trained yet");
  return prep_->transform(table);
}

std::vector<int> Detector::table_labels(const CsvTable& table) const {
  CA3_CHECK(prep_, "the detector is not trained yet");
  CA3_CHECK(!prep_->options().label_column.empty(), "the model was trained without a label column");
  return tabular_labels(table, prep_->options());
}

std::vector<float> Detector::score_inputs(const Tensor& inputs) {
  CA3_CHECK(trained_, "the detector is not trained yet: train it or load a model file");
  return model().score(inputs);
}
Tensor Detector::reconstruct(const Tensor& inputs) {
  CA3_CHECK(trained_, "the detector is not trained yet: train it or load a model file");
  return model().reconstruct(inputs);
}
E2EConvA3::AlarmInput Detector::alarm_input(const Tensor& inputs) {
  CA3_CHECK(trained_, "the detector is not trained yet: train it or load a model file");
  return model().alarm_input(inputs);
}
Tensor Detector::explain(const Tensor& inputs) {
  CA3_CHECK(trained_, "the detector is not trained yet: train it or load a model file");
  return model().explain(inputs);
}
std::vector<float> Detector::score_table(const CsvTable& table) { return score_inputs(prepare_table(table)); }
std::vector<float> Detector::score_images(const Tensor& images) {
  CA3_CHECK(kind() == ModelKind::image, "this is a tabular detector: it cannot score images");
  return score_inputs(images);
}

nlohmann::json Detector::info() const {
  nlohmann::json j;
  j["kind"] = kind() == ModelKind::image ? "image" : "tabular";
  j["preset"] = preset_.json;
  j["trained"] = trained_;
  j["threshold"] = threshold_;
  if (model_) {
    int64_t count = 0;
    for (const Var& p : model_->parameters()) count += p.value().numel();
    j["parameters"] = count;
    j["input_shape"] = model_->sample_shape();
  }
  if (prep_) {
    j["features"] = prep_->feature_names();
    j["preprocessing"] = prep_->to_json();
  }
  if (!training_summary_.is_null()) j["training"] = training_summary_;
  return j;
}

std::vector<uint8_t> Detector::save() const {
  CA3_CHECK(trained_ && model_, "nothing to save: the detector is not trained yet");
  nlohmann::json meta;
  meta["format"] = "ca3-model";
  meta["kind"] = kind() == ModelKind::image ? "image" : "tabular";
  meta["preset"] = preset_.json;
  meta["threshold"] = threshold_;
  meta["input_shape"] = model_->sample_shape();
  if (prep_) meta["preprocessing"] = prep_->to_json();
  meta["training"] = training_summary_;
  std::vector<std::pair<std::string, const Tensor*>> tensors;
  std::vector<Tensor> values;  // parameters' tensors share storage; keep handles alive
  const auto parameters = model_->named_parameters();
  values.reserve(parameters.size());
  for (const auto& [name, p] : parameters) values.push_back(p.value());
  for (size_t i = 0; i < parameters.size(); ++i) tensors.emplace_back(parameters[i].first, &values[i]);
  for (const auto& [name, buffer] : const_cast<E2EConvA3&>(*model_).named_buffers()) tensors.emplace_back(name, buffer);
  // Version 1 unless a version 1 reader would score it differently (see model_file.h): older
  // files load and save byte for byte, and older CA3 reads what it can read right.
  const bool names_bound_ties = prep_ && prep_->bound_ties() != BoundTies::ends;
  return write_model_file(meta, tensors, names_bound_ties ? 2 : 1);
}

Detector Detector::load(const uint8_t* data, size_t size) {
  ModelFileContents file = read_model_file(data, size);
  const nlohmann::json& meta = file.metadata;
  CA3_CHECK(meta.value("format", "") == "ca3-model" && meta.contains("preset"),
            "model file is corrupt: unknown contents");
  Detector d = [&] {
    try {
      return Detector(Preset::from_json(meta["preset"]));
    } catch (const Error& e) {
      throw Error(std::string("model file holds an unusable preset: ") + e.what());
    }
  }();
  try {
    int64_t features = 0;
    if (d.kind() == ModelKind::tabular) {
      d.prep_ = TabularPreprocessor::from_json(meta.at("preprocessing"));
      features = d.prep_->features();
    }
    d.model_ = make_model(d.preset_, features);
    d.threshold_ = meta.at("threshold").get<float>();
    d.training_summary_ = meta.value("training", nlohmann::json());
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("model file is corrupt: ") + e.what());
  }
  std::map<std::string, const Tensor*> by_name;
  for (const auto& [name, t] : file.tensors) by_name[name] = &t;
  auto fill = [&](const std::string& name, Tensor& target) {
    auto it = by_name.find(name);
    CA3_CHECK(it != by_name.end(), "model file is corrupt: tensor '", name, "' is missing");
    CA3_CHECK(it->second->shape() == target.shape(), "model file is corrupt: tensor '", name, "' has shape ",
              shape_to_string(it->second->shape()), ", the model needs ", shape_to_string(target.shape()));
    std::memcpy(target.mutable_data(), it->second->data(), size_t(target.numel()) * sizeof(float));
    for (int64_t i = 0; i < target.numel(); ++i)
      CA3_CHECK(std::isfinite(target.data()[i]), "model file is corrupt: tensor '", name, "' holds a non-finite value");
  };
  for (auto& [name, p] : d.model_->named_parameters()) {
    Tensor value = p.value();
    fill(name, value);
  }
  for (auto& [name, buffer] : d.model_->named_buffers()) fill(name, *buffer);
  d.model_->eval();
  d.trained_ = true;
  return d;
}

CsvTable with_score_columns(const CsvTable& table, const std::vector<float>& scores, float threshold) {
  CA3_CHECK(scores.size() == table.row_count(), scores.size(), " scores for ", table.row_count(), " rows");
  const bool taken = table.find_column("score") >= 0 || table.find_column("flag") >= 0;
  CsvTable out;
  out.separator = table.separator;
  out.header = table.header;
  out.header.push_back(taken ? "ca3_score" : "score");
  out.header.push_back(taken ? "ca3_flag" : "flag");
  const size_t columns = table.column_count();
  std::vector<std::string_view> cells(columns + 2);
  char text[32];
  for (size_t i = 0; i < table.row_count(); ++i) {
    for (size_t c = 0; c < columns; ++c) cells[c] = table.cell(i, c);
    std::snprintf(text, sizeof text, "%.9g", double(scores[i]));
    cells[columns] = text;
    cells[columns + 1] = scores[i] >= threshold ? "1" : "0";
    out.add_row(cells, table.row_line(i));
  }
  return out;
}

}  // namespace ca3
