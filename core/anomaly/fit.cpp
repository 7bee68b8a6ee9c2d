#include "core/anomaly/fit.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "core/engine/error.h"
#include "core/engine/kernels/kernels.h"
#include "core/engine/nn/optim.h"

namespace ca3 {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A copy of every parameter and buffer, to restore the best epoch's weights.
struct Snapshot {
  std::vector<Tensor> parameters, buffers;
};

Snapshot take_snapshot(E2EConvA3& model) {
  Snapshot s;
  for (const Var& p : model.parameters()) s.parameters.push_back(p.value().clone());
  for (auto& [name, b] : model.named_buffers()) s.buffers.push_back(b->clone());
  return s;
}

void restore_snapshot(E2EConvA3& model, const Snapshot& s) {
  auto copy = [](const Tensor& from, Tensor& to) {
    CA3_ASSERT(from.numel() == to.numel());
    std::memcpy(to.mutable_data(), from.data(), size_t(from.numel()) * sizeof(float));
  };
  const auto parameters = model.parameters();
  for (size_t i = 0; i < parameters.size(); ++i) {
    Tensor value = parameters[i].value();  // shares storage with the parameter
    copy(s.parameters[i], value);
  }
  const auto buffers = model.named_buffers();
  for (size_t i = 0; i < buffers.size(); ++i) copy(s.buffers[i], *buffers[i].second);
}

struct Validation {
  double auc = -1, loss = 0;
};

Validation validate(E2EConvA3& model, const Dataset& validation, const Stage& stage, int64_t batch_size) {
  Validation v;
  if (validation.size() == 0) return v;
  {
    NoGradGuard no_grad;
    const bool target_training = model.target().is_training(), alarm_training = model.alarm().is_training();
    model.eval();
    double total = 0;
    for (int64_t start = 0; start < validation.size(); start += batch_size) {
      std::vector<int64_t> rows;
      for (int64_t i = start; i < std::min(validation.size(), start + batch_size); ++i) rows.push_back(i);
      const Dataset batch = validation.subset(rows);
      total += double(model.loss(batch.inputs, batch.labels, stage.terms).total.value().at(0)) * double(rows.size());
    }
    v.loss = total / double(validation.size());
    model.set_modes(target_training, alarm_training);
  }
  if (validation.count(0) > 0 && validation.count(1) > 0) {
    const auto scores = stage.reconstruction_scores ? model.reconstruction_error(validation.inputs, batch_size)
                                                    : model.alarm_probability(validation.inputs, batch_size);
    v.auc = roc_auc(scores, validation.labels);
  }
  return v;
}

// Higher AUC wins; equal AUCs (or none) fall back to the lower loss.
bool better(const Validation& candidate, const Validation& best, bool on_auc) {
  if (on_auc && candidate.auc >= 0 && best.auc >= 0) {
    if (candidate.auc > best.auc + 1e-12) return true;
    if (candidate.auc < best.auc - 1e-12) return false;
  }
  return candidate.loss < best.loss;
}

// Positions of the `fraction` of `values` that are largest, largest first (ties: lower position).
std::vector<size_t> largest(const std::vector<float>& values, double fraction) {
  std::vector<size_t> order(values.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  const size_t drop = std::min(values.size(), size_t(std::llround(fraction * double(values.size()))));
  std::partial_sort(order.begin(), order.begin() + long(drop), order.end(),
                    [&](size_t a, size_t b) { return values[a] > values[b] || (values[a] == values[b] && a < b); });
  order.resize(drop);
  return order;
}

}  // namespace

std::vector<size_t> worst_reconstructed(E2EConvA3& model, const Dataset& rows, double fraction, int64_t batch_size) {
  return largest(model.reconstruction_error(rows.inputs, batch_size), fraction);
}

std::vector<size_t> least_typical(E2EConvA3& model, const Dataset& rows, double fraction, int64_t batch_size) {
  // Rarity compares each value with the middle of its column, which says little about an image.
  if (model.config().is_image()) return worst_reconstructed(model, rows, fraction, batch_size);
  return largest(model.atypicality(rows.inputs, batch_size), fraction);
}

std::vector<Stage> stages_for(Variant variant) {
  switch (variant) {
    case Variant::end_to_end:
      return {{.name = "e2e", .target_learns = true, .alarm_learns = true, .terms = {.target = true, .alarm = true},
               .normal_samples_only = false, .stop_on_auc = true, .reconstruction_scores = false}};
    case Variant::two_stage:
      return {{.name = "target", .target_learns = true, .alarm_learns = false,
               .terms = {.target = true, .alarm = false}, .normal_samples_only = true, .stop_on_auc = false,
               .reconstruction_scores = true},
              {.name = "alarm", .target_learns = false, .alarm_learns = true,
               .terms = {.target = false, .alarm = true}, .normal_samples_only = false, .stop_on_auc = true,
               .reconstruction_scores = false}};
    case Variant::reconstruction_only:
      return {{.name = "target", .target_learns = true, .alarm_learns = false,
               .terms = {.target = true, .alarm = false}, .normal_samples_only = true, .stop_on_auc = true,
               .reconstruction_scores = true}};
  }
  CA3_ASSERT(false);
}

struct Fit::State {
  Preset preset;
  TrainingOptions options;
  std::unique_ptr<E2EConvA3> model;
  DatasetSplit split;
  std::optional<TabularPreprocessor> preprocessing;
  ProgressCallback on_progress;
  std::vector<Stage> stages;
  FitReport report;
  Clock::time_point start_all = Clock::now();
  double step_seconds = 0;
  int64_t samples_trained = 0;
  PoolChooser thread_pool_chooser;  // each step on the thread pool or on one thread, as measured faster
  Rng order_rng;
  bool finished = false, concluded = false;
  bool stop_on_auc = true;  // options.stop_on_auc as decided for this fit

  // Synthetic anomalies: the last `synthetic_count` training rows, drawn anew every epoch from
  // the normal training rows (`normal_rows`, indices into train).
  SyntheticOptions synthetic;
  int64_t synthetic_count = 0;
  Rng synthetic_rng;
  std::vector<int64_t> normal_rows;
  int64_t real_rows = 0;  // training rows before the synthetic ones
  std::vector<uint8_t> trimmed;  // per training row: left out this epoch (contamination)

  // The current stage.
  size_t stage_index = 0;
  bool stage_started = false;
  std::vector<int64_t> pool;  // training rows this stage learns from, shuffled each epoch
  std::unique_ptr<Adam> adam;
  int64_t steps = 0;
  Snapshot best_weights;
  Validation best;
  int epochs_without_improvement = 0;

  // The current epoch (epoch 0 = not started).
  int epoch = 0;
  int64_t step = 0;
  Clock::time_point epoch_start;
  double loss_sum = 0, rec_sum = 0, kl_sum = 0, cls_sum = 0;
  int64_t seen = 0;
  TrainProgress progress;

  State(Preset p, std::unique_ptr<E2EConvA3> m, DatasetSplit s, std::optional<TabularPreprocessor> prep,
        ProgressCallback callback)
      : preset(std::move(p)),
        options(preset.training()),
        model(std::move(m)),
        split(std::move(s)),
        preprocessing(std::move(prep)),
        on_progress(std::move(callback)),
        order_rng(options.seed),
        synthetic_rng(preset.seed() + 7) {}

  const Dataset& train() const { return split.train; }
  const Dataset& validation() const { return split.validation; }

  // The rows this epoch learns from: the stage's, without the rows trimmed as likely anomalies.
  void fill_pool() {
    const Stage& stage = stages[stage_index];
    pool.clear();
    for (int64_t i = 0; i < train().size(); ++i)
      if ((!stage.normal_samples_only || train().labels[size_t(i)] == 0) && !(i < int64_t(trimmed.size()) && trimmed[size_t(i)]))
        pool.push_back(i);
  }

  // New synthetic anomalies in the last synthetic_count training rows.
  void draw_synthetic() {
    if (synthetic_count == 0) return;
    const Tensor normal = train().subset(normal_rows).inputs;
    const Tensor fresh = synthesize(normal, synthetic_count, synthetic, synthetic_rng);
    const int64_t per_sample = fresh.numel() / synthetic_count;
    std::memcpy(split.train.inputs.mutable_data() + real_rows * per_sample, fresh.data(),
                size_t(fresh.numel()) * sizeof(float));
  }

  // Contaminated data: the unlabelled rows the target reconstructs worst, `contamination` of
  // them, sit out this epoch (after a first epoch on all of them).
  void trim_contamination() {
    if (options.contamination <= 0 || epoch < 1) return;
    const std::vector<size_t> worst =
        worst_reconstructed(*model, train().subset(normal_rows), options.contamination, options.micro_batch_size);
    trimmed.assign(size_t(train().size()), 0);
    for (size_t k : worst) trimmed[size_t(normal_rows[k])] = 1;
  }

  void start_stage() {
    const Stage& stage = stages[stage_index];
    fill_pool();
    const std::vector<Var> parameters = stage.target_learns && stage.alarm_learns ? model->parameters()
                                        : stage.target_learns                       ? model->target().parameters()
                                                                                    : model->alarm().parameters();
    adam = std::make_unique<Adam>(parameters, AdamOptions{.learning_rate = options.learning_rate});
    steps = (int64_t(pool.size()) + options.batch_size - 1) / options.batch_size;
    best_weights = take_snapshot(*model);
    best = Validation{-1, INFINITY};
    epochs_without_improvement = 0;
    report.best_epoch = 0;
    epoch = 0;
    stage_started = true;
    start_epoch();
  }

  void start_epoch() {
    const Stage& stage = stages[stage_index];
    if (epoch > 0 && options.contamination > 0) {
      trim_contamination();
      fill_pool();
    }
    ++epoch;
    step = 0;
    steps = (int64_t(pool.size()) + options.batch_size - 1) / options.batch_size;
    draw_synthetic();
    for (size_t i = pool.size(); i > 1; --i) std::swap(pool[i - 1], pool[order_rng.below(i)]);
    model->set_modes(stage.target_learns, stage.alarm_learns);
    epoch_start = Clock::now();
    loss_sum = rec_sum = kl_sum = cls_sum = 0;
    seen = 0;
    progress = TrainProgress{};
    progress.stage = stage.name, progress.epoch = epoch, progress.epochs = options.epochs, progress.steps = steps;
  }

  void train_step() {
    const Stage& stage = stages[stage_index];
    thread_pool_chooser.before_step();
    const auto step_start = Clock::now();
    const int64_t first = step * options.batch_size;
    const std::vector<int64_t> rows(pool.begin() + first,
                                    pool.begin() + std::min<int64_t>(first + options.batch_size, int64_t(pool.size())));
    // The batch's mean loss is the size-weighted sum of its pieces' mean losses: each piece's
    // backward pass adds its share of the batch's gradient to the parameters' gradients.
    model->zero_grad();
    const int64_t n = int64_t(rows.size()), piece_size = std::min(options.micro_batch_size, n);
    for (int64_t begin = 0; begin < n; begin += piece_size) {
      const std::vector<int64_t> piece_rows(rows.begin() + begin, rows.begin() + std::min(begin + piece_size, n));
      const Dataset piece = train().subset(piece_rows);
      LossParts loss = model->loss(piece.inputs, piece.labels, stage.terms);
      const double loss_value = loss.total.value().at(0);
      CA3_CHECK(std::isfinite(loss_value), "training diverged: the loss is ", loss_value, " at epoch ", epoch,
                ", step ", step + 1, " (try a smaller learning rate)");
      const double share = double(piece.size()) / double(n);
      loss.total.backward(Tensor::full(loss.total.shape(), float(share)));
      const double m = double(piece.size());
      loss_sum += loss_value * m, rec_sum += loss.reconstruction * m, kl_sum += loss.kl * m;
      cls_sum += loss.classification * m;
    }
    adam->step();
    const double seconds = seconds_since(step_start);
    thread_pool_chooser.after_step(seconds, double(n));
    step_seconds += seconds;
    samples_trained += n;
    seen += n;
    ++step;
    progress.step = step;
    progress.loss = loss_sum / double(seen), progress.reconstruction = rec_sum / double(seen);
    progress.kl = kl_sum / double(seen), progress.classification = cls_sum / double(seen);
    progress.samples_per_second = double(seen) / std::max(seconds_since(epoch_start), 1e-9);
    if (on_progress) on_progress(progress);
  }

  // Validation at the end of an epoch; returns false when the stage should stop.
  bool end_epoch() {
    const Stage& stage = stages[stage_index];
    const Validation v = validate(*model, validation(), stage, options.micro_batch_size);
    report.history.push_back(EpochRecord{stage.name, epoch, progress.loss, progress.reconstruction, progress.kl,
                                         progress.classification, v.auc, v.loss, seconds_since(epoch_start)});
    progress.epoch_end = true;
    progress.validation_auc = v.auc, progress.validation_loss = v.loss;
    if (validation().size() == 0 || better(v, best, stage.stop_on_auc && stop_on_auc)) {
      best = v;
      best_weights = take_snapshot(*model);
      report.best_epoch = epoch;
      report.best_by = validation().size() == 0 ? "" : stage.stop_on_auc && stop_on_auc && v.auc >= 0 ? "auc" : "loss";
      epochs_without_improvement = 0;
    } else {
      ++epochs_without_improvement;
    }
    if (on_progress) on_progress(progress);
    return epoch < options.epochs && !(options.patience > 0 && epochs_without_improvement >= options.patience);
  }

  void end_stage() {
    restore_snapshot(*model, best_weights);
    stage_started = false;
    ++stage_index;
    if (stage_index == stages.size()) finish();
  }

  void finish() {
    model->eval();
    report.seconds = seconds_since(start_all);
    report.samples_per_second = double(samples_trained) / std::max(step_seconds, 1e-9);
    finished = true;
  }

  // One unit of work: a stage start + first step, a step, or an epoch end.
  void work() {
    if (!stage_started) start_stage();
    if (step < steps) {
      train_step();
      return;
    }
    if (end_epoch()) start_epoch();
    else end_stage();
  }
};

Fit::Fit(Preset preset, std::unique_ptr<E2EConvA3> model, DatasetSplit split,
         std::optional<TabularPreprocessor> preprocessing, ProgressCallback on_progress)
    : state_(std::make_unique<State>(std::move(preset), std::move(model), std::move(split), std::move(preprocessing),
                                     std::move(on_progress))) {
  State& s = *state_;
  const TrainingOptions& o = s.options;
  E2EConvA3& model_ref = *s.model;
  DatasetSplit& data = s.split;
  FitReport& report = s.report;
  report.train_rows = data.train.size(), report.validation_rows = data.validation.size();
  report.test_rows = data.test.size();
  if (s.preprocessing) report.dropped_columns = s.preprocessing->dropped_columns();
  for (const Dataset* part : {&data.train, &data.validation, &data.test}) {
    if (part->size() == 0) continue;
    part->check();
    model_ref.check_inputs(part->inputs);
  }
  CA3_CHECK(o.epochs >= 1, "training: epochs must be >= 1, got ", o.epochs);
  CA3_CHECK(o.batch_size >= 1, "training: batch size must be >= 1, got ", o.batch_size);
  CA3_CHECK(o.learning_rate > 0 && std::isfinite(o.learning_rate), "training: learning rate must be > 0");
  CA3_CHECK(o.patience >= 0, "training: patience must be >= 0");
  CA3_CHECK(data.train.count(0) > 0, "the training data has no normal samples: the target network learns from "
            "normal samples");
  // Synthetic anomalies when training has no labelled ones (or fewer than the preset's
  // belowLabelled): drawn anew each epoch in training, once in validation.
  const SyntheticAnomalies synthetic = s.preset.synthetic_anomalies();
  const int64_t labelled = data.train.count(1);
  report.labelled_anomalies = labelled;
  const bool use_synthetic = s.preset.uses_synthetic(labelled);
  // What "automatic" means in this fit: with synthetic anomalies, early stopping on the validation
  // loss and batch-norm statistics from normal samples; with labelled ones, the paper's way.
  s.stop_on_auc = o.stop_on_auc == Choice::yes || (o.stop_on_auc == Choice::automatic && !use_synthetic);
  const Choice statistics = model_ref.config().normal_statistics;
  model_ref.set_normal_statistics(statistics == Choice::yes || (statistics == Choice::automatic && use_synthetic));
  bool synthetic_validation = false;
  if (use_synthetic) {
    s.synthetic = synthetic.options;
    if (s.preprocessing) s.synthetic.category_blocks = s.preprocessing->category_blocks();
    const auto count = [&](const Dataset& d) { return int64_t(std::llround(s.synthetic.ratio * double(d.count(0)))); };
    s.real_rows = data.train.size();
    s.normal_rows = data.train.rows_labelled(0);
    s.synthetic_count = count(data.train);
    report.synthetic_anomalies = s.synthetic_count;
    Shape shape = data.train.inputs.shape();
    shape[0] = s.real_rows + s.synthetic_count;
    Dataset grown{Tensor(shape), data.train.labels};
    std::memcpy(grown.inputs.mutable_data(), data.train.inputs.data(), size_t(data.train.inputs.numel()) * sizeof(float));
    grown.labels.insert(grown.labels.end(), size_t(s.synthetic_count), 1);
    data.train = std::move(grown);
    if (data.validation.size() > 0 && data.validation.count(0) > 0 && data.validation.count(1) == 0) {
      synthetic_validation = true;
      Rng validation_rng(s.preset.seed() + 11);
      const Dataset& v = data.validation;
      const Tensor fake = synthesize(v.inputs, count(v), s.synthetic, validation_rng);
      Shape vshape = v.inputs.shape();
      vshape[0] = v.size() + fake.dim(0);
      Dataset with{Tensor(vshape), v.labels};
      std::memcpy(with.inputs.mutable_data(), v.inputs.data(), size_t(v.inputs.numel()) * sizeof(float));
      std::memcpy(with.inputs.mutable_data() + v.inputs.numel(), fake.data(), size_t(fake.numel()) * sizeof(float));
      with.labels.insert(with.labels.end(), size_t(fake.dim(0)), 1);
      data.validation = std::move(with);
    }
  } else if (s.options.contamination > 0) {
    s.normal_rows = data.train.rows_labelled(0);
  }
  report.validation_anomalies = synthetic_validation ? "synthetic" : data.validation.count(1) > 0 ? "labelled" : "none";
  report.setting = labelled == 0 ? (s.options.contamination > 0 ? "contaminated" : "one_class")
                   : s.synthetic_count > 0 ? "few_labels"
                                           : "labelled";
  s.stages = stages_for(model_ref.variant());
  for (const Stage& stage : s.stages)
    CA3_CHECK(stage.normal_samples_only || data.train.count(1) > 0,
              "training data has no anomalies: the alarm network needs some (label them, or use synthetic anomalies)");
}

Fit::Fit(Fit&&) noexcept = default;
Fit& Fit::operator=(Fit&&) noexcept = default;
Fit::~Fit() = default;

bool Fit::advance(double seconds) {
  CA3_CHECK(state_ && !state_->concluded, "this fit has already been concluded");
  State& s = *state_;
  const auto start = Clock::now();
  do {
    if (s.finished) return false;
    try {
      s.work();
    } catch (...) {
      s.thread_pool_chooser.release();
      s.finished = true;  // a failed fit is over
      s.report.cancelled = true;
      throw;
    }
  } while (seconds_since(start) < seconds);
  return !s.finished;
}

void Fit::cancel() {
  CA3_CHECK(state_ && !state_->concluded, "this fit has already been concluded");
  State& s = *state_;
  if (s.finished) return;
  s.report.cancelled = true;
  s.report.seconds = seconds_since(s.start_all);
  s.finished = true;
}

bool Fit::finished() const { return !state_ || state_->finished; }

void Fit::describe_data(nlohmann::json description) {
  CA3_CHECK(state_ && !state_->concluded, "this fit has already been concluded");
  state_->report.data = std::move(description);
}

const nlohmann::json& Fit::data_description() const {
  CA3_CHECK(state_, "this fit was moved from");
  return state_->report.data;
}

bool keeps_neighbour_rows(const ModelConfig& config, bool synthetic, int64_t normal_validation) {
  if (config.variant == Variant::reconstruction_only || normal_validation < 2) return false;
  const ScoreKind kind = config.score;
  const bool row_neighbours = kind == ScoreKind::combined_neighbours || kind == ScoreKind::combined_without_alarm;
  return (row_neighbours || kind == ScoreKind::alarm_neighbours || (kind == ScoreKind::automatic && synthetic)) &&
         !(row_neighbours && config.is_image());
}

namespace {
// The rows the neighbour distance measures against: the normal (unlabelled) training rows, a
// distinct row at most `copies` times, without the `contamination` share that is least typical
// (least_typical), at most kMaxNeighbourRows and kMaxNeighbourValues values (a seeded random choice
// beyond that). What was kept and left out goes to `summary`.
constexpr int64_t kMaxNeighbourRows = 8192, kMaxNeighbourValues = int64_t(1) << 20;
Tensor neighbour_rows(E2EConvA3& model, const Dataset& train, double contamination, uint64_t seed, size_t copies,
                      FitReport::Neighbours& summary) {
  std::vector<int64_t> rows = train.rows_labelled(0);
  // Exact repeats count at most `copies` times: sorted by their values, the first of each run of
  // equal samples are kept.
  const int64_t width = train.inputs.numel() / std::max<int64_t>(train.size(), 1);
  const float* values = train.inputs.data();
  const auto sample = [&](int64_t i) { return values + i * width; };
  std::vector<int64_t> order = rows;
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return std::lexicographical_compare(sample(a), sample(a) + width, sample(b), sample(b) + width);
  });
  std::vector<uint8_t> repeat(size_t(train.size()), 0);
  for (size_t k = 1, run = 1; k < order.size(); ++k) {
    run = std::equal(sample(order[k]), sample(order[k]) + width, sample(order[k - 1])) ? run + 1 : 1;
    if (run > copies) repeat[size_t(order[k])] = 1;
  }
  std::erase_if(rows, [&](int64_t i) { return repeat[size_t(i)] != 0; });
  summary.repeated = int64_t(order.size() - rows.size());
  summary.copies = int64_t(copies);
  if (contamination > 0 && rows.size() > 1) {
    std::vector<uint8_t> drop(rows.size(), 0);
    for (size_t k : least_typical(model, train.subset(rows), contamination, 64)) drop[k] = 1;
    std::vector<int64_t> kept;
    for (size_t k = 0; k < rows.size(); ++k)
      if (!drop[k]) kept.push_back(rows[k]);
    summary.left_out = int64_t(rows.size() - kept.size());
    rows = std::move(kept);
  }
  const int64_t features = model.neighbour_embedding_size();
  const size_t most = size_t(std::max<int64_t>(1, std::min(kMaxNeighbourRows, kMaxNeighbourValues / std::max<int64_t>(features, 1))));
  if (rows.size() > most) {
    Rng rng(seed + 17);
    for (size_t k = rows.size() - 1; k > 0; --k) std::swap(rows[k], rows[size_t(rng.below(k + 1))]);
    summary.not_sampled = int64_t(rows.size() - most);
    rows.resize(most);
    std::sort(rows.begin(), rows.end());
  }
  summary.samples = int64_t(rows.size());
  return model.neighbour_embedding(train.subset(rows).inputs);
}
}  // namespace

FitOutcome Fit::conclude() {
  CA3_CHECK(state_ && !state_->concluded, "this fit has already been concluded");
  State& s = *state_;
  CA3_CHECK(s.finished, "the fit has not finished: advance it until it returns false, or cancel it");
  s.concluded = true;
  FitOutcome outcome;
  outcome.report = std::move(s.report);
  if (outcome.report.cancelled) return outcome;
  // The score: combined or the alarm's, its reference from the normal validation samples (or
  // the normal training ones when there is no validation split).
  E2EConvA3& model = *s.model;
  const DatasetSplit& split = s.split;
  const Dataset& reference = split.validation.count(0) >= 2 ? split.validation : split.train;
  const std::vector<int64_t> normal_train = split.train.rows_labelled(0);
  if (model.variant() != Variant::reconstruction_only) {
    const ScoreKind kind = model.config().score;
    const bool synthetic = outcome.report.synthetic_anomalies > 0;
    // Automatic: for rows the combined score with the neighbour distance; for images the alarm
    // and the neighbour distance (Fashion-MNIST one-class, 10 classes: 0.9463, against 0.9126 for
    // the alarm alone and 0.897 for the combined score; docs/no-labels.md).
    const bool image = model.config().is_image();
    const bool combined = kind == ScoreKind::combined || kind == ScoreKind::combined_rarity ||
                          kind == ScoreKind::combined_neighbours || kind == ScoreKind::combined_without_alarm ||
                          (kind == ScoreKind::automatic && synthetic && !image);
    // The neighbour distance (automatic: rows with the other terms, images with the alarm alone,
    // which measured better there) needs normal validation samples for its statistics: training
    // samples would each find themselves among their neighbours (without them it is left out).
    const bool neighbours = keeps_neighbour_rows(model.config(), synthetic, split.validation.count(0));
    const bool alarm_neighbours = neighbours && (kind == ScoreKind::alarm_neighbours || image);
    const bool rarity = (kind == ScoreKind::combined_rarity || (neighbours && !alarm_neighbours)) && !image;
    // (also when only least_typical uses the rarity: a contaminated fit's neighbours)
    if ((rarity || (neighbours && !image)) && s.preprocessing) {
      model.set_rarity_columns(s.preprocessing->continuous_features());
      if (neighbours && !image) model.set_neighbour_scales(s.preprocessing->two_value_spans());
      if (!normal_train.empty()) model.set_category_rarity(s.preprocessing->category_blocks(), split.train.subset(normal_train).inputs,
                                                           s.preprocessing->other_inputs());
    }
    if (neighbours) {
      // Rows taken as normal: a row the file repeats is as near as its copies make it, up to the k
      // the distance averages over (counted once, a row repeated in 92 of 100 rows lay as far from
      // its 5 nearest as a row seen once, and scored as high). Rows that may hold anomalies: once,
      // a repeated fault being no normal row for repeating. Images: once (their distance has no
      // offset, E2EConvA3::neighbour_distance_offset, so an exact copy would lie at log 0).
      const size_t copies = s.options.contamination > 0 || image ? 1 : size_t(E2EConvA3::kNeighbours);
      model.set_neighbours(neighbour_rows(model, split.train, s.options.contamination, s.preset.seed(), copies, outcome.report.neighbours));
      // Images with some unlabelled anomalies (training.contamination c > 0): the anomalies of one
      // kind form groups, as close to each other as normal images are, in which a test anomaly of
      // that kind finds its few nearest neighbours. Averaging over more of them, as many more as
      // the share is higher (ceil(c M / 2), 5 to kMaxNeighbourCount), measured better on
      // Fashion-MNIST (docs/no-labels.md).
      if (image && s.options.contamination > 0)
        model.set_neighbour_count(std::clamp<int64_t>(int64_t(std::ceil(s.options.contamination * double(model.neighbours().dim(0)) / 2)),
                                                      E2EConvA3::kNeighbours, E2EConvA3::kMaxNeighbourCount));
      outcome.report.neighbours.nearest = model.neighbour_count();
    }
    const std::vector<int64_t> normal = reference.rows_labelled(0);
    // Contaminated rows (no labelled anomaly): the alarm learned to call every unlabelled row
    // normal, the anomalies among them too, and is left out of the score (no set of the no-labels
    // tables got worse without it; docs/no-labels.md).
    const bool without_alarm = neighbours && !alarm_neighbours &&
                               (kind == ScoreKind::combined_without_alarm ||
                                (kind == ScoreKind::automatic && outcome.report.setting == "contaminated"));
    const float mode = alarm_neighbours ? 4.f : without_alarm ? 5.f : neighbours ? 3.f : rarity ? 2.f : combined ? 1.f : 0.f;
    // The normal training samples whose spread scales a term equal on every normal validation
    // sample (set_score_reference): evenly spaced, at most 2,048 and 2^22 values.
    const auto spread = [&] {
      const int64_t values = std::max<int64_t>(split.train.inputs.numel() / std::max<int64_t>(split.train.size(), 1), 1);
      return split.train.subset(evenly_spaced(normal_train, size_t(std::clamp<int64_t>((int64_t(1) << 22) / values, 2, 2048)))).inputs;
    };
    model.set_score_reference(mode, reference.subset(normal).inputs, spread);
  }
  // Rows whose score does not compare with neighbour rows (labelled, or too few validation rows
  // for the distance's statistics, or the reconstruction-only variant) keep them all the same:
  // what a scored row's missing cells are filled from and its why compares it with. Labelled or
  // not, the unlabelled rows are taken as normal here (no share of them left out).
  if (!model.config().is_image() && model.neighbours().dim(0) == 0 && s.preprocessing) {
    model.set_neighbour_scales(s.preprocessing->two_value_spans());
    model.set_category_rarity(s.preprocessing->category_blocks(), split.train.subset(normal_train).inputs,
                              s.preprocessing->other_inputs());
    model.set_neighbours(neighbour_rows(model, split.train, 0, s.preset.seed(), 1, outcome.report.neighbours));
    outcome.report.neighbours.nearest = model.neighbour_count();
  }
  outcome.report.score = model.score_name();
  // Threshold on validation (training data when there is no validation split).
  const std::vector<float> reference_scores = model.score(reference.inputs);
  const std::vector<float> test_scores = split.test.size() > 0 ? model.score(split.test.inputs) : std::vector<float>{};
  float threshold = 0;
  if (s.preset.threshold_rule() == ThresholdRule::best_f1 && reference.count(1) > 0) {
    threshold = threshold_best_f1(reference_scores, reference.labels);
  } else {
    double rate = s.preset.threshold_value();
    if (outcome.report.setting == "contaminated") rate = std::max(rate, s.options.contamination);
    // A test split without labelled anomalies has nothing to measure: its samples join the
    // validation ones the rate is counted on (taken as normal), which makes the share flagged on
    // new samples firmer (twice the samples narrow thresholdShare's range).
    std::vector<float> scores = reference_scores;
    std::vector<int> labels = reference.labels;
    const bool with_test = &reference == &split.validation && split.test.size() > 0 && split.test.count(1) == 0;
    if (with_test) {
      scores.insert(scores.end(), test_scores.begin(), test_scores.end());
      labels.insert(labels.end(), split.test.labels.begin(), split.test.labels.end());
    }
    threshold = threshold_at_false_positive_rate(scores, labels, rate);
    outcome.report.threshold_rate = rate;
    if (&reference == &split.validation) {
      outcome.report.threshold_normal = reference.count(0) + (with_test ? split.test.size() : 0);
      outcome.report.threshold_share = flagged_share_range(outcome.report.threshold_normal, rate, FitReport::kShareProbability);
    }
    // Every score but the reconstruction error lies in [0, 1] (a probability, or the combined
    // score's sigmoid, which rounds to 1 far beyond the normal samples): normal samples at 1 put
    // the rule's threshold above every score there is, flagging nothing ever. It is set at 1,
    // flagging them too (more than the rate).
    if (threshold > 1.f && model.variant() != Variant::reconstruction_only) {
      threshold = 1.f;
      for (size_t i = 0; i < scores.size(); ++i) outcome.report.threshold_at_top += labels[i] == 0 && scores[i] >= 1.f;  // (held out or, with too few, training samples)
      if (outcome.report.threshold_normal > 0)
        outcome.report.threshold_share = flagged_share_range_of(outcome.report.threshold_normal, outcome.report.threshold_at_top,
                                                                FitReport::kShareProbability);
    }
  }
  if (split.validation.size() > 0)
    outcome.report.validation = measure(&reference == &split.validation ? reference_scores : model.score(split.validation.inputs),
                                        split.validation.labels, threshold);
  if (split.test.size() > 0) outcome.report.test = measure(test_scores, split.test.labels, threshold);
  outcome.preset = std::move(s.preset);
  outcome.model = std::move(s.model);
  outcome.preprocessing = std::move(s.preprocessing);
  outcome.threshold = threshold;
  return outcome;
}

}  // namespace ca3
