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

TrainResult train_model(E2EConvA3& model, const Dataset& train, const Dataset& validation, const TrainOptions& options) {
  train.check();
  if (validation.size() > 0) validation.check();
  model.check_inputs(train.inputs);
  if (validation.size() > 0) model.check_inputs(validation.inputs);
  CA3_CHECK(options.epochs >= 1, "training: epochs must be >= 1, got ", options.epochs);
  CA3_CHECK(options.batch_size >= 1, "training: batch size must be >= 1, got ", options.batch_size);
  CA3_CHECK(options.learning_rate > 0 && std::isfinite(options.learning_rate), "training: learning rate must be > 0");
  CA3_CHECK(options.patience >= 0, "training: patience must be >= 0");
  CA3_CHECK(train.count(0) > 0, "training data has no normal samples: the target network learns from normal samples");

  const Variant variant = model.options().variant;
  std::vector<Stage> stages;
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

  TrainResult result;
  const auto start_all = Clock::now();
  double step_seconds = 0;
  int64_t samples_trained = 0;
  Rng order_rng(options.seed);
  for (const Stage& stage : stages) {
    std::vector<int64_t> pool;
    for (int64_t i = 0; i < train.size(); ++i)
      if (!stage.normal_samples_only || train.labels[size_t(i)] == 0) pool.push_back(i);
    Adam adam(stage.parameters, {.learning_rate = options.learning_rate});
    const int64_t steps = (int64_t(pool.size()) + options.batch_size - 1) / options.batch_size;
    Snapshot best_weights = take_snapshot(model);
    Validation best{-1, INFINITY};
    int epochs_without_improvement = 0;
    result.best_epoch = 0;
    for (int epoch = 1; epoch <= options.epochs; ++epoch) {
      for (size_t i = pool.size(); i > 1; --i) std::swap(pool[i - 1], pool[order_rng.below(i)]);
      model.set_modes(stage.target_training, stage.alarm_training);
      const auto epoch_start = Clock::now();
      double loss_sum = 0, rec_sum = 0, kl_sum = 0, cls_sum = 0;
      int64_t seen = 0;
      TrainProgress progress;
      progress.stage = stage.name, progress.epoch = epoch, progress.epochs = options.epochs, progress.steps = steps;
      for (int64_t step = 0; step < steps; ++step) {
        if (options.cancel && options.cancel->load()) {
          if (result.best_epoch > 0) restore_snapshot(model, best_weights);
          model.eval();
          result.cancelled = true;
          result.seconds = seconds_since(start_all);
          return result;
        }
        const auto step_start = Clock::now();
        const int64_t first = step * options.batch_size;
        const std::vector<int64_t> rows(pool.begin() + first,
                                        pool.begin() + std::min<int64_t>(first + options.batch_size, int64_t(pool.size())));
        const Dataset batch = train.subset(rows);
        model.zero_grad();
        LossParts loss = model.loss(batch.inputs, batch.labels, stage.terms);
        const double loss_value = loss.total.value().at(0);
        CA3_CHECK(std::isfinite(loss_value), "training diverged: the loss is ", loss_value, " at epoch ", epoch, ", step ",
                  step + 1, " (try a smaller learning rate)");
        loss.total.backward();
        adam.step();
        step_seconds += seconds_since(step_start);
        samples_trained += batch.size();
        const double n = double(batch.size());
        loss_sum += loss_value * n, rec_sum += loss.reconstruction * n, kl_sum += loss.kl * n;
        cls_sum += loss.classification * n, seen += batch.size();
        progress.step = step + 1;
        progress.loss = loss_sum / double(seen), progress.reconstruction = rec_sum / double(seen);
        progress.kl = kl_sum / double(seen), progress.classification = cls_sum / double(seen);
        progress.samples_per_second = double(seen) / std::max(seconds_since(epoch_start), 1e-9);
        if (options.on_progress) options.on_progress(progress);
      }
      const Validation v = validate(model, validation, stage, options.batch_size);
      EpochRecord record{stage.name, epoch, progress.loss, progress.reconstruction, progress.kl, progress.classification,
                         v.auc, v.loss, seconds_since(epoch_start)};
      result.history.push_back(record);
      progress.epoch_end = true;
      progress.validation_auc = v.auc, progress.validation_loss = v.loss;
      if (validation.size() == 0 ||
          better(v, best, stage.monitor_auc && options.monitor == TrainOptions::Monitor::auc)) {
        best = v;
        best_weights = take_snapshot(model);
        result.best_epoch = epoch;
        epochs_without_improvement = 0;
      } else {
        ++epochs_without_improvement;
      }
      if (options.on_progress) options.on_progress(progress);
      if (options.patience > 0 && epochs_without_improvement >= options.patience) break;
    }
    restore_snapshot(model, best_weights);
  }
  model.eval();
  result.seconds = seconds_since(start_all);
  result.samples_per_second = double(samples_trained) / std::max(step_seconds, 1e-9);
  if (validation.count(0) > 0 && validation.count(1) > 0)
    result.best_validation_auc = roc_auc(model.score(validation.inputs, options.batch_size), validation.labels);
  return result;
}

}  // namespace ca3
