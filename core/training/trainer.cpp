#include "core/training/trainer.h"

#include <chrono>
#include <cmath>
#include <cstring>

#include "core/error.h"
#include "core/metrics.h"
#include "core/optim.h"

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

struct Stage {
  std::string name;
  std::vector<Var> parameters;
  LossTerms terms;
  bool normal_samples_only;  // the target alone learns from normal samples
  bool target_training, alarm_training;
  bool monitor_auc;          // early stopping on validation AUC (else on validation loss)
  bool reconstruction_score; // the AUC of the reconstruction error (else of the alarm)
};

struct Validation {
  double auc = -1, loss = 0;
};

Validation validate(E2EConvA3& model, const Dataset& validation, const Stage& stage, int64_t batch_size) {
  Validation v;
  if (validation.size() == 0) return v;
  {
    NoGradGuard no_grad;
    const bool was_training = model.is_training();
    model.eval();
    double total = 0;
    for (int64_t start = 0; start < validation.size(); start += batch_size) {
      std::vector<int64_t> rows;
      for (int64_t i = start; i < std::min(validation.size(), start + batch_size); ++i) rows.push_back(i);
      const Dataset batch = validation.subset(rows);
      total += double(model.loss(batch.inputs, batch.labels, stage.terms).total.value().at(0)) * double(rows.size());
    }
    v.loss = total / double(validation.size());
    model.train(was_training);
  }
  if (validation.count(0) > 0 && validation.count(1) > 0) {
    const auto scores = stage.reconstruction_score ? model.reconstruction_error(validation.inputs, batch_size)
                                                   : model.alarm_probability(validation.inputs, batch_size);
    v.auc = roc_auc(scores, validation.labels);
  }
  return v;
}

// Higher AUC wins; equal AUCs (or none) fall back to the lower loss.
bool better(const Validation& candidate, const Validation& best, bool monitor_auc) {
  if (monitor_auc && candidate.auc >= 0 && best.auc >= 0) {
    if (candidate.auc > best.auc + 1e-12) return true;
    if (candidate.auc < best.auc - 1e-12) return false;
  }
  return candidate.loss < best.loss;
}

}  // namespace

struct Training::State {
  E2EConvA3& model;
  const Dataset& train;
  const Dataset& validation;
  TrainOptions options;
  std::vector<Stage> stages;
  TrainResult result;
  Clock::time_point start_all = Clock::now();
  double step_seconds = 0;
  int64_t samples_trained = 0;
  Rng order_rng;
  bool finished = false;

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

  State(E2EConvA3& m, const Dataset& t, const Dataset& v, TrainOptions o)
      : model(m), train(t), validation(v), options(std::move(o)), order_rng(options.seed) {}

  void start_stage() {
    const Stage& stage = stages[stage_index];
    pool.clear();
    for (int64_t i = 0; i < train.size(); ++i)
      if (!stage.normal_samples_only || train.labels[size_t(i)] == 0) pool.push_back(i);
    adam = std::make_unique<Adam>(stage.parameters, AdamOptions{.learning_rate = options.learning_rate});
    steps = (int64_t(pool.size()) + options.batch_size - 1) / options.batch_size;
    best_weights = take_snapshot(model);
    best = Validation{-1, INFINITY};
    epochs_without_improvement = 0;
    result.best_epoch = 0;
    epoch = 0;
    stage_started = true;
    start_epoch();
  }

  void start_epoch() {
    const Stage& stage = stages[stage_index];
    ++epoch;
    step = 0;
    for (size_t i = pool.size(); i > 1; --i) std::swap(pool[i - 1], pool[order_rng.below(i)]);
    model.set_modes(stage.target_training, stage.alarm_training);
    epoch_start = Clock::now();
    loss_sum = rec_sum = kl_sum = cls_sum = 0;
    seen = 0;
    progress = TrainProgress{};
    progress.stage = stage.name, progress.epoch = epoch, progress.epochs = options.epochs, progress.steps = steps;
  }

  void train_step() {
    const Stage& stage = stages[stage_index];
    const auto step_start = Clock::now();
    const int64_t first = step * options.batch_size;
    const std::vector<int64_t> rows(pool.begin() + first,
                                    pool.begin() + std::min<int64_t>(first + options.batch_size, int64_t(pool.size())));
    // The batch's mean loss is the size-weighted sum of its pieces' mean losses: each piece's
    // backward pass adds its share of the batch's gradient to the parameters' gradients.
    model.zero_grad();
    const int64_t n = int64_t(rows.size()), piece_size = std::min(options.micro_batch_size, n);
    for (int64_t begin = 0; begin < n; begin += piece_size) {
      const std::vector<int64_t> piece_rows(rows.begin() + begin, rows.begin() + std::min(begin + piece_size, n));
      const Dataset piece = train.subset(piece_rows);
      LossParts loss = model.loss(piece.inputs, piece.labels, stage.terms);
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
    step_seconds += seconds_since(step_start);
    samples_trained += n;
    seen += n;
    ++step;
    progress.step = step;
    progress.loss = loss_sum / double(seen), progress.reconstruction = rec_sum / double(seen);
    progress.kl = kl_sum / double(seen), progress.classification = cls_sum / double(seen);
    progress.samples_per_second = double(seen) / std::max(seconds_since(epoch_start), 1e-9);
    if (options.on_progress) options.on_progress(progress);
  }

  // Validation at the end of an epoch; returns false when the stage should stop.
  bool end_epoch() {
    const Stage& stage = stages[stage_index];
    const Validation v = validate(model, validation, stage, options.micro_batch_size);
    result.history.push_back(EpochRecord{stage.name, epoch, progress.loss, progress.reconstruction, progress.kl,
                                         progress.classification, v.auc, v.loss, seconds_since(epoch_start)});
    progress.epoch_end = true;
    progress.validation_auc = v.auc, progress.validation_loss = v.loss;
    if (validation.size() == 0 || better(v, best, stage.monitor_auc && options.monitor == TrainOptions::Monitor::auc)) {
      best = v;
      best_weights = take_snapshot(model);
      result.best_epoch = epoch;
      epochs_without_improvement = 0;
    } else {
      ++epochs_without_improvement;
    }
    if (options.on_progress) options.on_progress(progress);
    return epoch < options.epochs && !(options.patience > 0 && epochs_without_improvement >= options.patience);
  }

  void end_stage() {
    restore_snapshot(model, best_weights);
    stage_started = false;
    ++stage_index;
  }

  void finish() {
    model.eval();
    result.seconds = seconds_since(start_all);
    result.samples_per_second = double(samples_trained) / std::max(step_seconds, 1e-9);
    if (validation.count(0) > 0 && validation.count(1) > 0)
      result.best_validation_auc = roc_auc(model.score(validation.inputs, options.micro_batch_size), validation.labels);
    finished = true;
  }

  // One unit of work: a stage start + first step, a step, or an epoch end.
  void work() {
    if (!stage_started) start_stage();
    if (step < steps) {
      train_step();
      return;
    }
    if (end_epoch()) {
      start_epoch();
    } else {
      end_stage();
      if (stage_index == stages.size()) finish();
    }
  }
};

Training::Training(E2EConvA3& model, const Dataset& train, const Dataset& validation, TrainOptions options)
    : state_(std::make_unique<State>(model, train, validation, std::move(options))) {
  const TrainOptions& o = state_->options;
  train.check();
  if (validation.size() > 0) validation.check();
  model.check_inputs(train.inputs);
  if (validation.size() > 0) model.check_inputs(validation.inputs);
  CA3_CHECK(o.epochs >= 1, "training: epochs must be >= 1, got ", o.epochs);
  CA3_CHECK(o.batch_size >= 1, "training: batch size must be >= 1, got ", o.batch_size);
  CA3_CHECK(o.learning_rate > 0 && std::isfinite(o.learning_rate), "training: learning rate must be > 0");
  CA3_CHECK(o.patience >= 0, "training: patience must be >= 0");
  CA3_CHECK(train.count(0) > 0, "training data has no normal samples: the target network learns from normal samples");

  std::vector<Stage>& stages = state_->stages;
  const Variant variant = model.options().variant;
  if (variant == Variant::end_to_end) {
    stages.push_back({"e2e", model.parameters(), {true, true}, false, true, true, true, false});
  } else {
    stages.push_back({"target", model.target_parameters(), {true, false}, true, true, false,
                      variant == Variant::reconstruction_only, true});
    if (variant == Variant::two_stage) stages.push_back({"alarm", model.alarm_parameters(), {false, true}, false, false,
                                                         true, true, false});
  }
  for (const Stage& stage : stages)
    CA3_CHECK(stage.normal_samples_only || train.count(1) > 0,
              "training data has no anomalies: the alarm network needs some (label them, or use synthetic anomalies)");
}

Training::~Training() = default;

bool Training::advance(double seconds) {
  const auto start = Clock::now();
  do {
    if (state_->finished) return false;
    state_->work();
  } while (seconds_since(start) < seconds);
  return !state_->finished;
}

void Training::cancel() {
  State& s = *state_;
  if (s.finished) return;
  if (s.stage_started && s.result.best_epoch > 0) restore_snapshot(s.model, s.best_weights);
  s.model.eval();
  s.result.cancelled = true;
  s.result.seconds = seconds_since(s.start_all);
  s.finished = true;
}

bool Training::finished() const { return state_->finished; }
const TrainResult& Training::result() const { return state_->result; }

TrainResult train_model(E2EConvA3& model, const Dataset& train, const Dataset& validation, const TrainOptions& options) {
  Training training(model, train, validation, options);
  while (!training.finished()) {
    if (options.cancel && options.cancel->load()) {
      training.cancel();
      break;
    }
    training.advance(0);
  }
  return training.result();
}

}  // namespace ca3
