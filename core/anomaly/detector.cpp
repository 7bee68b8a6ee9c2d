#include "core/anomaly/detector.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>

#include "core/anomaly/data/text.h"
#include "core/anomaly/model_file.h"
#include "core/anomaly/wire.h"
#include "core/engine/error.h"

namespace ca3 {

namespace {
std::unique_ptr<E2EConvA3> make_model(const Preset& preset, int64_t features) {
  return std::make_unique<E2EConvA3>(preset.model_config(features));
}
}  // namespace

Detector::Detector(Preset preset) : preset_(std::move(preset)) {
  if (kind() == ModelKind::image) model_ = make_model(preset_, 0);
}
Detector::Detector(Detector&&) noexcept = default;
Detector& Detector::operator=(Detector&&) noexcept = default;
Detector::~Detector() = default;

E2EConvA3& Detector::model() {
  CA3_CHECK(model_, "the detector has no model yet: train it first (a tabular model needs the data's columns)");
  return *model_;
}

void Detector::set_threshold(float threshold) {
  CA3_CHECK(std::isfinite(threshold), "the threshold must be a finite number");
  threshold_ = threshold;
}

Metrics Detector::evaluate(const std::vector<float>& scores, const std::vector<int>& labels,
                           std::optional<float> threshold, bool with_roc) const {
  if (threshold) CA3_CHECK(std::isfinite(*threshold), "the threshold must be a finite number");
  return measure(scores, labels, threshold.value_or(threshold_), with_roc);
}

std::string Detector::flagged_share_note(size_t scored, size_t flagged) const {
  if (scored < 20 || 2 * flagged <= scored) return "";
  const double share = double(flagged) / double(scored);
  // The share of normal validation samples the threshold flags: the rate it was set at, or the
  // one measured at it (best F1); unknown when the threshold was set by hand since.
  double expected = -1;
  if (training_ && training_->validation.threshold == threshold_)
    expected = training_->threshold_rate >= 0 ? training_->threshold_rate
               : training_->validation.normal > 0 ? training_->validation.confusion.false_positive_rate() : -1;
  // (set at 1, the top, it flags more than its rate: those of the normal samples at 1)
  if (expected >= 0 && training_->threshold_at_top > 0 && training_->threshold_normal > 0)
    expected = std::max(expected, double(training_->threshold_at_top) / double(training_->threshold_normal));
  if (expected >= 0 && share <= 5 * expected) return "";
  const bool images = kind() == ModelKind::image;
  const char* what = images ? "images" : "rows";
  char text[160];
  std::snprintf(text, sizeof text, "%zu of %zu %s flagged (%.0f %%)", flagged, scored, what, 100 * share);
  std::string note = text;
  if (expected >= 0) {
    std::snprintf(text, sizeof text, ", where the threshold is set to flag %.0f %% of normal %s", 100 * expected, what);
    note += text;
  }
  // Short of nearly all, a set that is mostly anomalies is as likely (a batch of rejects).
  return note + ": the data as a whole is unlike the training data" +
         (share < 0.9 ? detail::concat(" (unless most of these ", what, " are anomalies indeed), so the flags may say little about single ")
                      : std::string(", so the flags say little about single ")) +
         what + ". " +
         (images ? "Check that the images show what the training images showed, at the same size, colour and framing"
                 : "Check what the other notes say (a column in another unit or scale, another layout, cells read otherwise "
                   "than in training)") +
         "; if the data are of another kind (another machine, site or period), train on data like them";
}

namespace {
// Rows with no value in any column `prep` reads (a group's heading line over a column of other
// values, "Region Nord;;;;" above article numbers; a row with nothing recorded): each is trained
// on as the typical row, and scoring says of it that its score says nothing. Said in `notes` by line.
void note_blank_rows(const CsvTable& table, const TabularPreprocessor& prep, std::vector<std::string>& notes) {
  std::vector<int64_t> read;
  for (const ColumnTransform& t : prep.columns())
    if (const int64_t c = table.find_column(t.name); c >= 0) read.push_back(c);
  if (read.empty()) return;
  std::vector<std::string> lines;
  size_t blank = 0;
  for (size_t r = 0; r < table.row_count(); ++r)
    if (std::all_of(read.begin(), read.end(), [&](int64_t c) { return is_missing_cell(table.cell(r, size_t(c))); }))
      if (++blank <= 4) lines.push_back(std::to_string(table.row_line(r)));
  if (blank == 0) return;
  notes.push_back(detail::concat(blank, blank == 1 ? " row has" : " rows have", " no value in any column the model reads (line",
                                 blank == 1 ? " " : "s ", list_some(lines, 3), "; a group's heading line, or nothing recorded): "
                                 "each cell filled in with the median or most frequent value, so it is trained on as the "
                                 "typical row and says nothing of the data"));
}
}  // namespace

namespace {
// Each column's mark in `missing` ([rows, columns], TabularPreprocessor::transform) on each of its
// model inputs: [rows, features].
std::vector<uint8_t> missing_inputs(const TabularPreprocessor& prep, const std::vector<uint8_t>& missing) {
  const size_t columns = prep.columns().size(), rows = missing.size() / std::max<size_t>(columns, 1);
  std::vector<uint8_t> out;
  out.reserve(rows * size_t(prep.features()));
  for (size_t r = 0; r < rows; ++r)
    for (size_t j = 0; j < columns; ++j) {
      const ColumnTransform& t = prep.columns()[j];
      out.insert(out.end(), t.kind == ColumnTransform::Kind::numeric ? 1 : t.categories.size(), missing[r * columns + j]);
    }
  return out;
}

// The training table's missing cells (`missing`, of `inputs`) filled as scoring fills them from the
// model's neighbour rows: each row's from its k nearest normal training rows that have a value in
// each of its missing columns (at most kMostRows of them, evenly spread; said by the columns'
// decisions); a row whose missing columns fewer
// than kFewestRows such rows fill keeps the typical values (said in `notes`).
// `model` is given the categorical columns and the 0/1 flags' scales its neighbour distance
// compares rows by (Fit::conclude sets them again, alike) and no neighbour rows after.
void fill_training_rows(E2EConvA3& model, TabularPreprocessor& prep, Tensor& inputs, const std::vector<uint8_t>& missing,
                        const std::vector<int>& labels, const std::vector<int64_t>& train, std::vector<std::string>& notes) {
  const size_t columns = prep.columns().size();
  const int64_t width = inputs.dim(1), n = inputs.dim(0);
  const auto marks = [&](int64_t r) { return std::vector<uint8_t>(missing.begin() + r * int64_t(columns), missing.begin() + (r + 1) * int64_t(columns)); };
  std::vector<int64_t> normal;
  for (const int64_t r : train)
    if (labels[size_t(r)] == 0) normal.push_back(r);
  // The rows by their missing columns (not rows missing every one: the typical row).
  std::map<std::vector<uint8_t>, std::vector<int64_t>> by_pattern;
  for (int64_t r = 0; r < n; ++r) {
    const std::vector<uint8_t> m = marks(r);
    if (std::find(m.begin(), m.end(), 1) != m.end() && std::find(m.begin(), m.end(), 0) != m.end()) by_pattern[m].push_back(r);
  }
  if (by_pattern.empty() || normal.empty()) return;
  {
    Tensor normal_inputs({int64_t(normal.size()), width});
    for (size_t i = 0; i < normal.size(); ++i)
      std::memcpy(normal_inputs.mutable_data() + int64_t(i) * width, inputs.data() + normal[i] * width, size_t(width) * sizeof(float));
    model.set_neighbour_scales(prep.two_value_spans());
    model.set_category_rarity(prep.category_blocks(), normal_inputs, prep.other_inputs());
  }
  const Tensor typical_filled = inputs.clone();  // the neighbours' values as read (their own missing cells typical)
  constexpr size_t kFewestRows = 20, kMostPatterns = 256, kMostRows = 8192;
  // The most frequent patterns first: beyond kMostPatterns of them, rows keep the typical values.
  std::vector<std::pair<std::vector<uint8_t>, std::vector<int64_t>>> patterns(by_pattern.begin(), by_pattern.end());
  std::stable_sort(patterns.begin(), patterns.end(), [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  std::vector<int64_t> unfilled(columns, 0), beyond(columns, 0);
  for (size_t p = 0; p < patterns.size(); ++p) {
    const auto& [pattern, rows] = patterns[p];
    if (p >= kMostPatterns) {
      for (size_t j = 0; j < columns; ++j) beyond[j] += pattern[j] * int64_t(rows.size());
      continue;
    }
    std::vector<int64_t> reference;
    for (const int64_t r : normal) {
      bool has = true;
      for (size_t j = 0; j < columns && has; ++j) has = !(pattern[j] && missing[size_t(r) * columns + j]);
      if (has) reference.push_back(r);
    }
    if (reference.size() < kFewestRows) {
      for (size_t j = 0; j < columns; ++j) unfilled[j] += pattern[j] * int64_t(rows.size());
      continue;
    }
    reference = evenly_spaced(reference, kMostRows);  // as many as scoring keeps (its search's cost)
    Tensor near({int64_t(reference.size()), width}), chosen({int64_t(rows.size()), width});
    for (size_t i = 0; i < reference.size(); ++i)
      std::memcpy(near.mutable_data() + int64_t(i) * width, typical_filled.data() + reference[i] * width, size_t(width) * sizeof(float));
    const std::vector<uint8_t> one = missing_inputs(prep, pattern);
    std::vector<uint8_t> chosen_missing;
    for (size_t i = 0; i < rows.size(); ++i) {
      std::memcpy(chosen.mutable_data() + int64_t(i) * width, inputs.data() + rows[i] * width, size_t(width) * sizeof(float));
      chosen_missing.insert(chosen_missing.end(), one.begin(), one.end());
    }
    model.set_neighbours(model.neighbour_embedding(near));
    model.fill_from_neighbours(chosen, chosen_missing);
    for (size_t i = 0; i < rows.size(); ++i)
      std::memcpy(inputs.mutable_data() + rows[i] * width, chosen.data() + int64_t(i) * width, size_t(width) * sizeof(float));
  }
  model.set_neighbours(Tensor({0, model.neighbour_embedding_size()}));
  prep.set_filled_from_rows(E2EConvA3::kNeighbours);
  const auto counted = [&](const std::vector<int64_t>& cells) {
    std::vector<std::string> out;
    for (size_t j = 0; j < columns; ++j)
      if (cells[j] > 0) out.push_back(detail::concat("'", prep.columns()[j].name, "' ", cells[j]));
    return list_some(out, 8);
  };
  if (std::count(unfilled.begin(), unfilled.end(), 0) < int64_t(columns))
    notes.push_back(detail::concat("missing cells filled in with their column's training median or most frequent value where fewer than ",
                                   kFewestRows, " training rows have a value in each of their row's missing columns to fill them from: ",
                                   counted(unfilled)));
  if (std::count(beyond.begin(), beyond.end(), 0) < int64_t(columns))
    notes.push_back(detail::concat("missing cells filled in with their column's training median or most frequent value in rows missing "
                                   "other columns than the ", kMostPatterns, " most frequent combinations: ", counted(beyond)));
}
}  // namespace

Fit Detector::start_fit_table(const CsvTable& given_file, const TabularOptions& given, ProgressCallback on_progress,
                              const nlohmann::json& preset_changes) const {
  CA3_CHECK(kind() == ModelKind::tabular, "this is an image detector: it cannot train on a CSV table");
  Preset preset = preset_.with(preset_changes);
  TabularOptions options = given;
  options.max_categories = preset.max_categories();
  options.log_skewed = preset.log_skewed();
  // Groups' heading lines given to the rows below them; totals and averages rows, repeated
  // headers: no samples, left out (said).
  std::vector<std::string> notes;
  if (given_file.column_count() >= 2) repeated_headers(given_file, true);  // (refuses one in part or reordered)
  const std::optional<CsvTable> read = read_as_training(given_file, &notes);
  // (the decimal mark of the columns read, where a column left out or called categories told another)
  const std::optional<CsvTable> marked = with_mark_of_read_columns(read ? *read : given_file, options, &notes);
  // ("tbd" among a column's numbers: missing, said)
  std::vector<WordsReadAsMissing> words;
  const std::optional<CsvTable> worded = with_words_read_as_missing(marked ? *marked : read ? *read : given_file, options, &notes, &words);
  const CsvTable& table = worded ? *worded : marked ? *marked : read ? *read : given_file;
  const std::vector<int> labels = tabular_labels(table, options, &notes);
  CA3_CHECK(labels.size() >= 10, "too few rows to train on: ", labels.size(), " (at least 10 are needed)");
  if (!options.label_column.empty() && std::count(labels.begin(), labels.end(), 1) == 0)
    notes.push_back(detail::concat("label column '", options.label_column, "' marks no row as an anomaly: the model trains "
                                   "without labelled anomalies (one-class), every row taken as normal, and its validation "
                                   "figures are against synthetic anomalies; a file where some rows are labelled anomalies "
                                   "gives a labelled model and a real test figure"));
  const SplitRows rows = stratified_split_rows(labels, preset.seed(), preset.validation_fraction(), preset.test_fraction());
  int64_t labelled = 0;
  for (int64_t r : rows.train) labelled += labels[size_t(r)];
  options.scaling = preset.scaling(preset.uses_synthetic(labelled));
  TabularPreprocessor prep = TabularPreprocessor::fit(table, rows.train, options);
  prep.count_words_as_missing(words);
  note_blank_rows(table, prep, notes);
  std::vector<uint8_t> missing;
  Tensor inputs = prep.transform(table, true, TabularPreprocessor::Unreadable::refuse, &missing);
  auto model = make_model(preset, prep.features());
  // A model of rows keeps its normal training rows and fills a scored row's missing cells from
  // those most like it (prepare_table; Fit::conclude): the training, validation and test rows' are
  // filled alike, from the normal training rows that have those cells, so that the model learns
  // from the rows' own kind of values.
  fill_training_rows(*model, prep, inputs, missing, labels, rows.train, notes);
  DatasetSplit split = split_dataset(Dataset{std::move(inputs), labels}, rows);
  nlohmann::json description = wire::table_description(table, prep.schema(), notes);
  Fit fit(std::move(preset), std::move(model), std::move(split), std::move(prep), std::move(on_progress));
  fit.describe_data(std::move(description));
  return fit;
}

Fit Detector::start_fit_images(const Dataset& images, ProgressCallback on_progress,
                               const nlohmann::json& preset_changes) const {
  CA3_CHECK(kind() == ModelKind::image, "this is a tabular detector: it cannot train on images");
  images.check();
  CA3_CHECK(images.size() >= 10, "too few images to train on: ", images.size(), " (at least 10 are needed)");
  Preset preset = preset_.with(preset_changes);
  auto model = make_model(preset, 0);
  model->check_inputs(images.inputs);  // before splitting, so that a message names the sample as given
  DatasetSplit split = stratified_split(images, preset.seed(), preset.validation_fraction(), preset.test_fraction());
  return Fit(std::move(preset), std::move(model), std::move(split), std::nullopt, std::move(on_progress));
}

FitReport Detector::fit(Fit fit, const std::atomic<bool>* cancel) {
  while (!fit.finished()) {
    if (cancel && cancel->load()) {
      fit.cancel();
      break;
    }
    fit.advance(0);
  }
  return finish_fit(std::move(fit));
}

FitReport Detector::fit_table(const CsvTable& table, const TabularOptions& options, ProgressCallback on_progress,
                              const std::atomic<bool>* cancel) {
  return fit(start_fit_table(table, options, std::move(on_progress)), cancel);
}

FitReport Detector::fit_images(const Dataset& images, ProgressCallback on_progress, const std::atomic<bool>* cancel) {
  return fit(start_fit_images(images, std::move(on_progress)), cancel);
}

FitReport Detector::finish_fit(Fit fit) {
  FitOutcome outcome = fit.conclude();
  if (outcome.report.cancelled) return outcome.report;
  // Everything that can throw is done: swap the new model in.
  preset_ = std::move(outcome.preset);
  model_ = std::move(outcome.model);
  prep_ = std::move(outcome.preprocessing);
  if (prep_) prep_->set_filled_from_rows(model_->neighbour_count());  // (0 without neighbour rows)
  threshold_ = outcome.threshold;
  trained_ = true;
  training_ = outcome.report;
  training_as_read_ = nullptr;
  return outcome.report;
}

std::string Detector::trained_on() const {
  if (kind() == ModelKind::tabular)
    return prep_ ? detail::concat("a CSV table (", prep_->columns().size(), " columns)") : "a CSV table";
  const nlohmann::json& image = preset_.json.at("image");
  return detail::concat("images (", image.at("height").get<int64_t>(), "x", image.at("width").get<int64_t>(),
                        image.at("channels").get<int64_t>() == 3 ? ", colour)" : ", grey)");
}

Tensor Detector::prepare_table(const CsvTable& table, bool fill_down, TabularPreprocessor::Unreadable unreadable,
                               std::vector<uint8_t>* missing_cells) const {
  CA3_CHECK(kind() == ModelKind::tabular, "this detector was trained on ", trained_on(), ": it cannot score a CSV table "
            "(give it images, or score the table with a detector trained on a table)");
  CA3_CHECK(prep_, "the detector is not trained yet");
  std::vector<uint8_t> missing;
  Tensor inputs = prep_->transform(table, fill_down, unreadable, &missing);
  if (prep_->filled_from_rows() > 0) model_->fill_from_neighbours(inputs, missing_inputs(*prep_, missing));
  if (missing_cells) *missing_cells = std::move(missing);
  return inputs;
}

std::vector<int> Detector::table_labels(const CsvTable& table, std::vector<std::string>* notes) const {
  CA3_CHECK(prep_, "the detector is not trained yet");
  CA3_CHECK(!prep_->options().label_column.empty(), "the model was trained without a label column, so it cannot tell "
            "which rows are anomalies: name the table's label column and its normal (or anomaly) values");
  return scored_rows_labels(table, prep_->options(), notes);
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
std::vector<float> Detector::score_table(const CsvTable& table) { return score_table(table, prepare_table(table)); }
std::vector<float> Detector::score_table(const CsvTable& table, const Tensor& inputs) {
  std::vector<float> scores = score_inputs(inputs);
  for (const size_t r : rows_not_scored(table).rows) scores[r] = std::numeric_limits<float>::quiet_NaN();
  return scores;
}
std::vector<float> Detector::score_images(const Tensor& images) {
  CA3_CHECK(kind() == ModelKind::image, "this detector was trained on ", trained_on(), ": it cannot score images "
            "(give it a CSV table, or score the images with a detector trained on images)");
  return score_inputs(images);
}

std::vector<uint8_t> Detector::save() const {
  CA3_CHECK(trained_ && model_, "nothing to save: the detector is not trained yet");
  nlohmann::json meta;
  meta["format"] = "ca3-model";
  meta["kind"] = kind() == ModelKind::image ? "image" : "tabular";
  meta["preset"] = preset_.json;
  meta["threshold"] = threshold_;
  meta["inputShape"] = model_->sample_shape();
  if (prep_) meta["preprocessing"] = prep_->to_json();
  if (!training_as_read_.is_null()) meta["training"] = training_as_read_;
  else if (training_) meta["training"] = wire::to_json(*training_);
  // The neighbour count the model scores with (what a load restores), whatever the report said.
  if (meta.contains("training") && meta["training"].contains("neighbours"))
    meta["training"]["neighbours"]["nearest"] = model_->neighbour_count();
  std::vector<std::pair<std::string, const Tensor*>> tensors;
  std::vector<Tensor> values;  // parameters' tensors share storage; keep handles alive
  const auto parameters = model_->named_parameters();
  values.reserve(parameters.size());
  for (const auto& [name, p] : parameters) values.push_back(p.value());
  for (size_t i = 0; i < parameters.size(); ++i) tensors.emplace_back(parameters[i].first, &values[i]);
  // A model whose score does not use the neighbour distance (modes 0-2; it is in modes 3-5) is written with 7 reference
  // values, as before the distance existed, and its neighbour rows only if it keeps them (a model of rows, to fill missing
  // cells from and explain rows against); with the distance, 9 values, 10 when its distance has an offset (rows
  // fitted since version 7), and 12 when its terms are weighted otherwise than 1 and kNeighbourWeight (rows fitted
  // since version 8): earlier readers load the rest, and files round-trip.
  const bool distance = model_->score_mode() > 2.5f, neighbours = model_->neighbours().dim(0) > 0;
  // The newest version only when it says more than the earlier can (an earlier build would read the
  // score without it): 5 for a neighbour distance that scales some inputs, 4 for categorical columns
  // in the marginal rarity, 6 for a column on a log scale (preprocessing's logScale), 7 for the
  // neighbour distance's offset (score_reference's 10th value), 8 for the terms' weights (its 11th
  // and 12th: rarity, distance); a version-n file holds every tensor versions up to n added.
  const bool log_scaled = prep_ && std::any_of(prep_->columns().begin(), prep_->columns().end(),
                                               [](const ColumnTransform& c) { return c.log_scale > 0; });
  const bool offset = distance && model_->neighbour_distance_offset() != 0.f;
  const bool weights = model_->rarity_weight() != 1.f || model_->neighbour_weight() != E2EConvA3::kNeighbourWeight;
  const uint32_t version = weights                                   ? 8
                           : offset                                    ? 7
                           : log_scaled                                ? 6
                           : neighbours && model_->neighbour_scaled() ? 5
                           : model_->rarity_categories() > 0          ? 4
                                                                      : 3;
  Tensor short_reference;
  for (const auto& [name, buffer] : model_->named_buffers()) {
    if (name == "neighbours" && !neighbours) continue;
    if ((name == "category_rarity" || name == "category_columns") && version < 4) continue;
    if (name == "neighbour_scales" && version < 5) continue;
    if (name == "score_reference" && !weights) {  // 7 values, 9 (no offset: as version 6 wrote it), or 10 (as 7)
      short_reference = Tensor({offset ? 10 : distance ? 9 : 7});
      std::memcpy(short_reference.mutable_data(), buffer->data(), size_t(short_reference.numel()) * sizeof(float));
      tensors.emplace_back(name, &short_reference);
      continue;
    }
    tensors.emplace_back(name, buffer);
  }
  std::vector<uint8_t> bytes = write_model_file(meta, tensors, version);
  // Never report success for a file that load() would refuse (e.g. statistics that overflowed).
  try {
    load(bytes.data(), bytes.size());
  } catch (const Error& e) {
    throw Error(ErrorCode::internal, std::string("the model cannot be saved: the file would not load back (") +
                                         e.what() + ")");
  }
  return bytes;
}

Detector Detector::load(const uint8_t* data, size_t size) {
  ModelFileContents file = read_model_file(data, size);
  const nlohmann::json& meta = file.metadata;
  CA3_CHECK_CODE(meta.is_object() && meta.value("format", "") == "ca3-model" && meta.contains("preset"),
                 ErrorCode::unsupported_file, "model file is corrupt: unknown contents");
  Detector d = [&] {
    try {
      return Detector(Preset::from_saved_json(meta["preset"]));
    } catch (const Error& e) {
      throw Error(ErrorCode::unsupported_file, std::string("model file holds an unusable preset: ") + e.what());
    }
  }();
  try {
    int64_t features = 0;
    if (d.kind() == ModelKind::tabular) {
      CA3_CHECK(meta.contains("preprocessing"), "the preprocessing description is missing");
      d.prep_ = TabularPreprocessor::from_json(meta.at("preprocessing"));
      features = d.prep_->features();
    }
    d.model_ = make_model(d.preset_, features);
    CA3_CHECK(meta.contains("threshold") && meta["threshold"].is_number(), "the threshold is missing");
    d.threshold_ = meta["threshold"].get<float>();
    CA3_CHECK(std::isfinite(d.threshold_), "the threshold is not a finite number");
    if (meta.contains("training") && meta["training"].is_object()) {
      d.training_ = wire::fit_report_from_json(meta["training"]);
      d.training_as_read_ = meta["training"];
    }
  } catch (const Error& e) {
    throw Error(ErrorCode::unsupported_file, std::string("model file is corrupt: ") + e.what());
  }
  std::map<std::string, const Tensor*> by_name;
  for (const auto& [name, t] : file.tensors) by_name[name] = &t;
  auto fill = [&](const std::string& name, Tensor& target) {
    auto it = by_name.find(name);
    CA3_CHECK_CODE(it != by_name.end(), ErrorCode::unsupported_file, "model file is corrupt: tensor '", name,
                   "' is missing");
    CA3_CHECK_CODE(it->second->shape() == target.shape(), ErrorCode::unsupported_file, "model file is corrupt: tensor '",
                   name, "' has shape ", shape_to_string(it->second->shape()), ", the model needs ",
                   shape_to_string(target.shape()));
    std::memcpy(target.mutable_data(), it->second->data(), size_t(target.numel()) * sizeof(float));
    for (int64_t i = 0; i < target.numel(); ++i)
      CA3_CHECK_CODE(std::isfinite(target.data()[i]), ErrorCode::unsupported_file, "model file is corrupt: tensor '",
                     name, "' holds a non-finite value");
  };
  for (auto& [name, p] : d.model_->named_parameters()) {
    Tensor value = p.value();
    fill(name, value);
  }
  for (auto& [name, buffer] : d.model_->named_buffers()) {
    // Files written before the neighbour distance existed: a 7-value score reference and no
    // neighbour rows (the score they were saved with never uses either).
    auto it = by_name.find(name);
    if (name == "neighbours" && it == by_name.end()) continue;
    // Files of version 4 and later have both (a score that counts categorical columns, or zeros), of
    // version 5 also the neighbour distance's scales; earlier files neither.
    const uint32_t since = name == "category_rarity" || name == "category_columns" ? 4 : name == "neighbour_scales" ? 5 : 0;
    if (since > 0) {
      CA3_CHECK_CODE((it != by_name.end()) == (file.version >= since), ErrorCode::unsupported_file,
                     "model file is corrupt: tensor '", name,
                     file.version >= since ? std::string("' is missing")
                                           : detail::concat("' belongs in a format version ", since, " file, this is version ", file.version));
      if (it == by_name.end()) continue;
    }
    if (name == "neighbours") {  // as many rows as the fit kept
      const Shape& shape = it->second->shape();
      const int64_t width = d.model_->neighbour_embedding_size();  // (after category_columns, read before it)
      CA3_CHECK_CODE(shape.size() == 2 && shape[1] == width, ErrorCode::unsupported_file,
                     "model file is corrupt: tensor 'neighbours' has shape ", shape_to_string(shape), ", the model needs [M, ",
                     width, "]");
      *buffer = Tensor(shape);
    }
    // A score without the neighbour distance: 7 values; with it, 9 (no offset: 0, as before version
    // 7), 10 (the offset) or 12 (the rarity's and the distance's weights, since version 8; before:
    // 1 and kNeighbourWeight).
    if (name == "score_reference" && it != by_name.end()) {
      const Shape& shape = it->second->shape();
      const int64_t values = shape.size() == 1 ? shape[0] : 0;
      CA3_CHECK_CODE(values == 7 || values == 9 || values == 10 || values == 12, ErrorCode::unsupported_file,
                     "model file is corrupt: tensor 'score_reference' has shape ", shape_to_string(shape),
                     ", a score reference has 7, 9 or 10 values (12 since format version 8)");
      CA3_CHECK_CODE(values < 12 || file.version >= 8, ErrorCode::unsupported_file, "model file is corrupt: tensor 'score_reference' has "
                     "12 values (the terms' weights), which belong in a format version 8 file, this is version ", file.version);
      CA3_CHECK_CODE(values < 10 || file.version >= 7, ErrorCode::unsupported_file, "model file is corrupt: tensor 'score_reference' has "
                     "10 values (a neighbour distance's offset), which belong in a format version 7 file, this is version ", file.version);
      Tensor given(shape);
      fill(name, given);
      std::memcpy(buffer->mutable_data(), given.data(), size_t(values) * sizeof(float));
      const float mode = buffer->at(0);  // (a mode beyond 0 to 5 is said below)
      const bool other_mode = mode < -0.5f || mode > 5.5f;
      // (the offset for rows with the distance, modes 3 to 5; the weights for rows with all terms, 3 and 5)
      const bool with_distance = mode == 3.f || mode == 4.f || mode == 5.f || other_mode, weighted = mode == 3.f || mode == 5.f || other_mode;
      CA3_CHECK_CODE(values >= 9 || mode < 2.5f, ErrorCode::unsupported_file,
                     "model file is corrupt: its score uses neighbour rows, and its score reference has no statistics for them");
      CA3_CHECK_CODE(values < 10 || (buffer->at(9) > 0.f && buffer->at(9) <= 1.f && with_distance), ErrorCode::unsupported_file,
                     "model file is corrupt: its neighbour distance's offset is ", buffer->at(9), " (more than 0, at most 1, for a score "
                     "of rows with the distance)");
      const auto weight_ok = [](float w) { return w >= 1.f && w <= 10.f; };
      CA3_CHECK_CODE(values < 12 || (weight_ok(buffer->at(10)) && weight_ok(buffer->at(11)) && weighted), ErrorCode::unsupported_file,
                     "model file is corrupt: its score's weights are ", buffer->at(10), " (the marginal rarity) and ", buffer->at(11),
                     " (the neighbour distance), each 1 to 10, for a score of rows with the distance");
      continue;
    }
    fill(name, *buffer);
    if (name == "category_columns" && d.prep_) {  // as set_category_rarity numbers the preprocessing's categorical columns
      std::vector<float> expected(size_t(buffer->numel()), 0.f);
      float k = 0;
      for (const auto& [first, width] : d.prep_->category_blocks())
        if (width > 0) std::fill(expected.begin() + first, expected.begin() + first + width, ++k);
      CA3_CHECK_CODE(buffer->to_vector() == expected, ErrorCode::unsupported_file,
                     "model file is corrupt: tensor 'category_columns' does not match the preprocessing's categorical columns");
    }
  }
  if (const std::string problem = d.model_->category_rarity_problem(); !problem.empty())
    throw Error(ErrorCode::unsupported_file, "model file is corrupt: " + problem);
  if (const std::string problem = d.model_->neighbour_scales_problem(); !problem.empty())
    throw Error(ErrorCode::unsupported_file, "model file is corrupt: " + problem);
  // A build reading version 5 would read a log-scaled column's values as they are.
  if (d.prep_)
    for (const ColumnTransform& c : d.prep_->columns())
      CA3_CHECK_CODE(c.log_scale == 0 || file.version >= 6, ErrorCode::unsupported_file, "model file is corrupt: column '", c.name,
                     "' is read on a log scale (logScale), which belongs in a format version 6 file, this is version ", file.version);
  // How many neighbours the distance averages over, as the fit chose (files before it was said: 5).
  if (d.training_ && d.model_->neighbours().dim(0) > 0) {
    const int64_t k = d.training_->neighbours.nearest, m = d.model_->neighbours().dim(0);
    const int64_t most = std::min(std::max(m, E2EConvA3::kNeighbours), E2EConvA3::kMaxNeighbourCount);
    CA3_CHECK_CODE(k >= 1 && k <= most, ErrorCode::unsupported_file,
                   "model file is corrupt: its training report's neighbours.nearest is ", k, " (1 to ", most, ")");
    d.model_->set_neighbour_count(k);
  }
  const float mode = d.model_->score_mode();
  CA3_CHECK_CODE(mode == 0.f || mode == 1.f || mode == 2.f || mode == 3.f || mode == 4.f || mode == 5.f,
                 ErrorCode::unsupported_file, "model file is corrupt: its score mode is ", mode, " (0 to 5)");
  if (mode > 2.5f) {
    CA3_CHECK_CODE(d.kind() == ModelKind::tabular || mode == 4.f, ErrorCode::unsupported_file,
                   "model file is corrupt: an image model's score cannot use a row's combined score");
    CA3_CHECK_CODE(d.model_->neighbours().dim(0) > 0, ErrorCode::unsupported_file,
                   "model file is corrupt: its score uses neighbour rows, and it has none");
  }
  if (d.training_) d.training_->score = d.model_->score_name();  // files before the report said it
  if (d.prep_) d.prep_->set_filled_from_rows(d.model_->neighbour_count());  // (0 without neighbour rows)
  d.model_->eval();
  d.trained_ = true;
  return d;
}


LikeRowsScore like_rows_score(const RowExplanation& e, float threshold) {
  if (e.like_rows == 0) return LikeRowsScore::apart;
  if (e.baseline_score >= threshold) return LikeRowsScore::over;
  const auto log_odds = [](double p) { p = std::clamp(p, 1e-7, 1 - 1e-7); return std::log(p / (1 - p)); };
  return e.score >= threshold && log_odds(e.baseline_score) >= log_odds(threshold) - 1 && log_odds(e.score) - log_odds(e.baseline_score) < 1
             ? LikeRowsScore::near
             : LikeRowsScore::apart;
}

std::vector<RowExplanation> Detector::explain_rows(const CsvTable& given, const std::vector<int64_t>& rows, size_t top,
                                                   const std::vector<size_t>* rows_holding_no_sample) {
  CA3_CHECK(prep_, "the detector is not trained yet");
  if (rows.empty()) return {};
  // A grouped column's blank cells take the value above them: before the rows are picked out.
  const std::optional<CsvTable> filled = prep_->filled_down(given);
  const CsvTable& table = filled ? *filled : given;
  std::vector<size_t> picked;
  const std::vector<size_t> not_scored = rows_holding_no_sample ? *rows_holding_no_sample : rows_not_scored(given).rows;
  for (const int64_t r : rows) {
    CA3_CHECK(r >= 0 && r < int64_t(table.row_count()), "row ", r, " is not in the table (", table.row_count(), " rows)");
    CA3_CHECK(!std::binary_search(not_scored.begin(), not_scored.end(), size_t(r)), "row ", r, " (line ", table.row_line(size_t(r)),
              ") holds no sample (a group's heading line, a totals or averages row): it has no score to explain");
    picked.push_back(size_t(r));
  }
  // only the rows asked about, read as in the whole table (a few rows alone may look grouped)
  // (the cells scoring read as missing, read so here whatever their number among these rows)
  std::vector<uint8_t> missing;  // [n, columns]
  const Tensor chosen =
      prepare_table(table.select_rows(picked), false, TabularPreprocessor::Unreadable::all_as_missing, &missing);
  const int64_t width = chosen.dim(1), n = chosen.dim(0);
  const size_t columns = prep_->columns().size();
  const std::vector<float> scores = score_inputs(chosen);
  // What each row is compared with (the baseline of integrated gradients): the rows most like it
  // among the normal training rows (E2EConvA3::like_rows), when the model keeps them; else the
  // typical row, every cell missing, so that each column takes its training median or most
  // frequent category (a checkbox column its more frequent value, empty or not).
  const bool like = prep_->filled_from_rows() > 0;
  Tensor baseline({n, width});
  std::vector<uint8_t> one_like_row(size_t(n), 0);  // compared with the nearest like row alone
  Tensor each_like;  // [n, k, width]: the like rows themselves, nearest first
  std::vector<float> baseline_scores;
  if (like) {
    // (a missing cell compared with the value it was filled with: it contributes nothing)
    const std::vector<uint8_t> missing_in = missing_inputs(*prep_, missing);
    baseline = model().like_rows(chosen, missing_in, &each_like);
    Tensor nearest({n, width});
    for (int64_t i = 0; i < n; ++i)
      std::memcpy(nearest.mutable_data() + i * width, each_like.data() + i * each_like.dim(1) * width, size_t(width) * sizeof(float));
    for (size_t e = 0; e < missing_in.size(); ++e)
      if (missing_in[e]) baseline.mutable_data()[e] = chosen.data()[e], nearest.mutable_data()[e] = chosen.data()[e];
    // Where the like rows' mean scores as flagged and the nearest of them alone does not, the
    // mean is no row's values (a sparse region's rows, a quantity of one beside a price of
    // another): the row is compared with that one training row.
    baseline_scores = score_inputs(baseline);
    const std::vector<float> nearest_scores = score_inputs(nearest);
    for (int64_t i = 0; i < n; ++i)
      if (baseline_scores[size_t(i)] >= threshold_ && nearest_scores[size_t(i)] < threshold_) {
        std::memcpy(baseline.mutable_data() + i * width, nearest.data() + i * width, size_t(width) * sizeof(float));
        one_like_row[size_t(i)] = 1;
        baseline_scores[size_t(i)] = nearest_scores[size_t(i)];
      }
  } else {
    CsvTable typical_table;
    std::vector<std::string_view> typical_cells;
    for (const ColumnTransform& t : prep_->columns()) {
      typical_table.header.push_back(t.name);
      typical_cells.push_back(t.fill_category == kEmptyCategory && t.typical_category != kEmptyCategory ? std::string_view(t.typical_category)
                                                                                                        : std::string_view());
    }
    typical_table.add_row(typical_cells, 2);
    const Tensor typical = prep_->transform(typical_table);
    for (int64_t i = 0; i < n; ++i) std::memcpy(baseline.mutable_data() + i * width, typical.data(), size_t(width) * sizeof(float));
    baseline_scores = score_inputs(baseline);
  }
  // Integrated gradients (Sundararajan et al., ICML 2017): the score's gradient averaged along the
  // straight path from the baseline to the row (midpoints of kExplainSteps equal pieces). The
  // gradient at the row alone misleads for a value far out: there the score has levelled off, or
  // turns, and a huge value could be said to lower it.
  // A few rows at a time: the path holds kExplainSteps points per row.
  Tensor gradient({n, width});
  constexpr int64_t kRowsAtOnce = 64;
  for (int64_t first = 0; first < n; first += kRowsAtOnce) {
    const int64_t rows_now = std::min(kRowsAtOnce, n - first);
    Tensor path({kExplainSteps * rows_now, width});
    for (int64_t k = 0; k < kExplainSteps; ++k) {
      const float alpha = (float(k) + 0.5f) / float(kExplainSteps);
      for (int64_t e = 0; e < rows_now * width; ++e) {
        const float from = baseline.data()[first * width + e];
        path.mutable_data()[k * rows_now * width + e] = from + alpha * (chosen.data()[first * width + e] - from);
      }
    }
    const Tensor along = model().score_gradient(path);
    float* g = gradient.mutable_data() + first * width;
    for (int64_t k = 0; k < kExplainSteps; ++k)
      for (int64_t e = 0; e < rows_now * width; ++e) g[e] += along.data()[k * rows_now * width + e] / float(kExplainSteps);
  }
  std::vector<RowExplanation> out;
  const NumberFormat format = prep_->reading_format(table), written = prep_->writing_format(table);
  for (size_t i = 0; i < rows.size(); ++i) {
    RowExplanation e;
    e.row = rows[i];
    e.line = table.row_line(size_t(rows[i]));
    e.score = scores[i];
    e.flagged = scores[i] >= threshold_;
    const auto row_missing = missing.begin() + std::ptrdiff_t(i * columns);
    // (a row with no cell present was filled with the typical values, and is compared with them)
    e.like_rows = like && std::find(row_missing, row_missing + std::ptrdiff_t(columns), 0) != row_missing + std::ptrdiff_t(columns)
                      ? (one_like_row[i] ? 1 : model().neighbour_count()) : 0;
    e.baseline_score = baseline_scores[i];
    int64_t offset = 0;
    for (size_t j = 0; j < columns; ++j) {
      const ColumnTransform& t = prep_->columns()[j];
      const int64_t inputs = t.kind == ColumnTransform::Kind::numeric ? 1 : int64_t(t.categories.size());
      const float* seen = chosen.data() + int64_t(i) * width + offset;
      const float* from = baseline.data() + int64_t(i) * width + offset;
      ColumnContribution c;
      c.column = t.name;
      for (int64_t k = 0; k < inputs; ++k) c.contribution += gradient.data()[int64_t(i) * width + offset + k] * (seen[k] - from[k]);
      offset += inputs;
      const size_t column = size_t(table.column_index(t.name));
      const std::string_view cell = table.cell(size_t(rows[i]), column);
      const bool empty = is_missing_cell(cell);
      // (a checkbox's empty cell is its value "(empty)"; a numeric cell that cannot be read is
      // read as missing, said by the scoring notes, its text kept)
      c.missing = row_missing[std::ptrdiff_t(j)] != 0;
      const bool unreadable = c.missing && !empty;
      // (a spreadsheet formula's error, "#VALUE!", is a missing cell, but one to see: its text kept too)
      const bool error_value = c.missing && trim(cell).starts_with('#');
      c.value = unreadable || error_value ? std::string(trim(cell)) : c.missing ? "" : empty ? kEmptyCategory : std::string(trim(cell));
      c.typical = t.kind == ColumnTransform::Kind::numeric ? value_text(t, t.fill, written) : t.typical_category;
      c.baseline = c.typical;
      if (e.like_rows > 0) {
        if (t.kind == ColumnTransform::Kind::numeric) {
          // To as many decimals as the cell (a missing one: the typical value), at least three
          // significant digits (a mean of rows says no more than the column's own values: 78.32
          // beside 76.19, 139.1 beside 125.0, 791 in a column of whole numbers).
          // (their values' mean, not the value of their mean input: on a column scaled by its
          // quantiles or on a log scale, that stands for a value none of them has -- Mitoses 1
          // where 4 of 5 have 1 and one 2)
          double value = prep_->value_of_input(t, from[0]);
          if (e.like_rows > 1 && !c.missing) {
            const int64_t k = each_like.dim(1);
            value = 0;
            for (int64_t q = 0; q < k; ++q)
              value += prep_->value_of_input(t, each_like.data()[(int64_t(i) * k + q) * width + (offset - inputs)]) / double(k);
          }
          const auto decimals = [](std::string_view text, char mark) {
            const size_t point = text.find(mark);
            if (point == std::string_view::npos) return 0;
            const size_t end = std::min(text.find_first_not_of("0123456789", point + 1), text.size());
            return int(end - point - 1);
          };
          const int own_decimals = c.missing ? decimals(c.typical, written.decimal) : decimals(trim(cell), format.decimal);
          const int significant = value == 0 ? 0 : 2 - int(std::floor(std::log10(std::abs(value))));
          const double scale = std::pow(10.0, double(std::clamp(std::max(own_decimals, significant), 0, 6)));
          const bool plain = !t.duration && std::abs(value) < 1e15 && c.typical.find_first_of("eE") == std::string::npos;
          c.baseline = value_text(t, plain ? std::round(value * scale) / scale : value, written);
        } else {
          const float* one = std::find(from, from + inputs, 1.f);
          c.baseline = one == from + inputs ? "(another value)" : t.categories[size_t(one - from)];
        }
        if (c.missing) c.filled = c.baseline;  // (its baseline is the value it was filled with)
      }
      // A cell written in another size of the column's unit ("3.4M" where training wrote "k"): also
      // as read, in the unit its typical value is written in ("3.4M = 3400 k").
      double v;
      if (!empty && column_unit_size(unit_of(t, false)) && split_affixes(cell).suffix != t.suffix &&
          parse_number_with_unit(cell, v, format, unit_of(t, false)))
        c.value += " = " + value_text(t, v, written);
      e.columns.push_back(std::move(c));
    }
    std::stable_sort(e.columns.begin(), e.columns.end(),
                     [](const ColumnContribution& a, const ColumnContribution& b) { return std::abs(a.contribution) > std::abs(b.contribution); });
    // the `top` strongest of the cells present, then every missing cell: a value filled in is no
    // reason the row was flagged, but the reader learns what the model saw there
    const auto missing_from = std::stable_partition(e.columns.begin(), e.columns.end(), [](const ColumnContribution& c) { return !c.missing; });
    const size_t present = size_t(missing_from - e.columns.begin()), shown = std::min(top, present);
    e.columns.erase(e.columns.begin() + std::ptrdiff_t(shown), missing_from);
    // Of those, the columns that raise the score first: a reader takes the first named for why the
    // row was flagged (helper-90: "customer ... -2.07" first of a flagged row's reasons).
    std::stable_partition(e.columns.begin(), e.columns.begin() + std::ptrdiff_t(shown),
                          [](const ColumnContribution& c) { return c.contribution > 0; });
    out.push_back(std::move(e));
  }
  return out;
}

CsvTable with_score_columns(const CsvTable& table, const std::vector<float>& scores, float threshold) {
  CA3_CHECK(scores.size() == table.row_count(), scores.size(), " scores for ", table.row_count(), " rows");
  const bool taken = table.find_column("score") >= 0 || table.find_column("flag") >= 0;
  // The scores are written as the file writes its numbers (a decimal comma in a ';' file).
  CsvTable out;
  out.separator = table.separator;
  out.numbers = table.numbers;
  out.header = table.header;
  out.header.push_back(taken ? "ca3_score" : "score");
  out.header.push_back(taken ? "ca3_flag" : "flag");
  const size_t columns = table.column_count();
  std::vector<std::string_view> cells(columns + 2);
  char text[32];
  for (size_t i = 0; i < table.row_count(); ++i) {
    for (size_t c = 0; c < columns; ++c) cells[c] = table.cell(i, c);
    std::snprintf(text, sizeof text, "%.9g", double(scores[i]));
    if (table.numbers.decimal != '.') std::replace(text, text + std::strlen(text), '.', table.numbers.decimal);
    const bool scored = !std::isnan(scores[i]);  // else a row holding no sample (rows_not_scored)
    cells[columns] = scored ? text : "";
    cells[columns + 1] = !scored ? "" : scores[i] >= threshold ? "1" : "0";
    out.add_row(cells, table.row_line(i));
  }
  return out;
}

}  // namespace ca3
