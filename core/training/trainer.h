// Training an E2E-ConvA3 model with the paper's protocol: Adam, mini-batches, early stopping on
// the validation ROC-AUC (ties broken by the validation loss) with the best weights restored.
// The model's variant decides the stages:
//   end_to_end          one stage, all parameters, the full loss, all samples;
//   two_stage (A3)      stage "target" on normal samples (reconstruction + KL), early stopping on
//                       the validation loss; then stage "alarm": target frozen (eval mode), alarm
//                       trained on the classification loss;
//   reconstruction_only stage "target" only; the score is the reconstruction error.
//
//   TrainOptions options;
//   options.on_progress = [](const TrainProgress& p) { ... };   // each step and each epoch end
//   options.cancel = &cancel_flag;                              // std::atomic<bool>, checked each step
//   TrainResult result = train_model(model, split.train, split.validation, options);
//
// Training in slices (a host that must stay responsive, e.g. a Web Worker without shared memory,
// runs a few steps, yields to its event loop, and continues or cancels):
//   Training training(model, train, validation, options);
//   while (training.advance(0.1)) { /* handle messages; maybe training.cancel() */ }
//   TrainResult result = training.result();
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/models/e2e_conva3.h"
#include "core/training/dataset.h"

namespace ca3 {

struct TrainProgress {
  std::string stage;             // "e2e", "target" or "alarm"
  int epoch = 0, epochs = 0;     // 1-based epoch of `epochs` (the maximum)
  int64_t step = 0, steps = 0;   // 1-based step within the epoch of `steps`
  bool epoch_end = false;        // true once per epoch, after validation
  double loss = 0, reconstruction = 0, kl = 0, classification = 0;  // running means this epoch
  double validation_auc = -1;    // at epoch ends; -1 when the validation set lacks a class
  double validation_loss = 0;    // at epoch ends
  double samples_per_second = 0; // this epoch so far
};

struct TrainOptions {
  int epochs = 100;                 // the maximum per stage
  int64_t batch_size = 256;         // samples per Adam step
  // Samples run through the model at once: a batch goes through in pieces of this size whose
  // gradients add up to the batch's, so memory follows this, not batch_size. Batch-norm
  // statistics are then per piece ("ghost" batch norm); validation scores in pieces of this size.
  int64_t micro_batch_size = 32;
  float learning_rate = 1e-3f;
  int patience = 10;                // epochs without improvement before stopping; 0 = never stop early
  enum class Monitor { auc, loss } monitor = Monitor::auc;  // what early stopping watches on validation
  uint64_t seed = 0;                // batch order
  std::function<void(const TrainProgress&)> on_progress;
  const std::atomic<bool>* cancel = nullptr;
};

struct EpochRecord {
  std::string stage;
  int epoch = 0;
  double loss = 0, reconstruction = 0, kl = 0, classification = 0;
  double validation_auc = -1, validation_loss = 0;
  double seconds = 0;
};

struct TrainResult {
  std::vector<EpochRecord> history;
  int best_epoch = 0;               // of the last stage
  double best_validation_auc = -1;  // of the model's score, after restoring the best weights
  bool cancelled = false;           // stopped by the cancel flag (best weights so far restored)
  double seconds = 0;
  double samples_per_second = 0;    // training throughput over all steps
};

// A training run that can be advanced a slice at a time. `model`, `train` and `validation` must
// outlive it. Throws ca3::Error on bad data (shapes, labels, no normal sample) when constructed,
// and from advance() when training diverges.
class Training {
 public:
  Training(E2EConvA3& model, const Dataset& train, const Dataset& validation, TrainOptions options);
  ~Training();
  Training(const Training&) = delete;
  Training& operator=(const Training&) = delete;

  // Runs training steps (and the validation at each epoch end) for about `seconds` -- at least one
  // step. Returns true while there is work left. Ignores options.cancel (train_model checks it).
  bool advance(double seconds);
  // Stops now: the best weights so far are restored and result().cancelled is set.
  void cancel();
  bool finished() const;
  const TrainResult& result() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Trains `model` in place, checking options.cancel before each step. Throws ca3::Error on bad data.
TrainResult train_model(E2EConvA3& model, const Dataset& train, const Dataset& validation, const TrainOptions& options);

}  // namespace ca3
