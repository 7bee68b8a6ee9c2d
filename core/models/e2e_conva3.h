// E2E-ConvA3, the part shared by the image and the tabular model: the end-to-end loss, the
// scores, the parameter groups and the three training variants.
//
// A model has a target network (a convolutional, optionally variational, autoencoder) and an
// alarm network that reads the target's encoder activations, each pooled to the smallest size
// among them and stacked along channels. Subclasses build both networks and implement run().
//
// Loss (per batch): mean over samples of
//     (1 - y) * [ MSE(x, x_hat) + beta * KL ]  +  gamma * BCE(y, alarm logit)
// i.e. the reconstruction term is masked *per sample* for anomalies (y = 1), so the target
// only learns to reconstruct normal data while the classification gradient still flows into
// the encoder. (The authors' released code sums the squared error over the batch before
// masking, which makes the mask a no-op; this is the paper's definition.)
//
//   ImageE2EConvA3 model(config);                   // or TabularE2EConvA3
//   LossParts loss = model.loss(inputs, labels);    // labels 0 normal, 1 anomaly
//   loss.total.backward();
//   std::vector<float> scores = model.score(inputs); // higher = more anomalous
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/nn/layers.h"

namespace ca3 {

// How a model is trained and what its score is.
enum class Variant {
  end_to_end,           // E2E-ConvA3: target and alarm trained together; score = alarm probability
  two_stage,            // A3: target trained on normal samples and frozen, then the alarm
  reconstruction_only,  // target only, trained on normal samples; score = reconstruction error
};
std::string to_string(Variant variant);
Variant variant_from_string(const std::string& name);  // throws on an unknown name

// Options shared by both models.
struct E2EOptions {
  bool variational = true;                       // VAE target (paper) or plain AE (authors' code)
  PoolKind alarm_input_pooling = PoolKind::max;  // how activations are pooled to one size
  float gamma = 10.f;                            // weight of the classification loss
  float beta = 1.f;                              // weight of the KL term (VAE only)
  Variant variant = Variant::end_to_end;
  uint64_t seed = 0;                             // weight initialisation and VAE noise
  void validate() const;
};

struct ModelForward {
  Var reconstruction;            // same shape as the input
  Var mu, log_variance;          // VAE latent statistics (undefined for a plain AE)
  std::vector<Var> activations;  // the encoder's conv outputs, what the alarm reads
  Var alarm_input;               // pooled + concatenated activations: [N,h,w,C] or [N,l,C]
  Var logits;                    // [N,1]
};

struct LossParts {
  Var total;                  // [1]
  double reconstruction = 0;  // mean MSE over normal samples
  double kl = 0;              // mean KL (per latent element) over normal samples
  double classification = 0;  // mean BCE
};

// Which terms loss() includes: the target's (reconstruction + KL, normal samples only) and/or
// the alarm's (gamma * BCE). Two-stage training uses one, then the other.
struct LossTerms {
  bool target = true;
  bool alarm = true;
};

class E2EConvA3 : public Module {
 public:
  explicit E2EConvA3(E2EOptions options);
  const E2EOptions& options() const { return options_; }
  void set_variant(Variant variant) { options_.variant = variant; }

  // Shape of one sample: {H, W, C} for images, {features} for rows.
  virtual Shape sample_shape() const = 0;
  // Runs target and alarm. `sample` draws the VAE's latent noise (training); otherwise the mean.
  // Without `reconstruct` the decoder is skipped (reconstruction, mu, log_variance undefined):
  // the alarm's score needs only the encoder.
  virtual ModelForward run(const Var& inputs, bool sample, bool reconstruct) = 0;
  ModelForward run(const Var& inputs, bool sample) { return run(inputs, sample, true); }
  Var forward(const Var& inputs) override { return run(inputs, is_training(), true).logits; }

  // Loss of a batch [N, sample_shape...]; labels 0 normal, 1 anomaly.
  LossParts loss(const Tensor& inputs, const std::vector<int>& labels, LossTerms terms = {});

  // The model's anomaly score per sample (the variant's: alarm probability or reconstruction
  // error), in eval mode, without gradients. Higher = more anomalous.
  std::vector<float> score(const Tensor& inputs, int64_t batch_size = 64);
  std::vector<float> alarm_probability(const Tensor& inputs, int64_t batch_size = 64);
  std::vector<float> reconstruction_error(const Tensor& inputs, int64_t batch_size = 64);

  // What the page shows about *why* (eval mode, no sampling):
  // the target's reconstruction, same shape as `inputs`;
  Tensor reconstruct(const Tensor& inputs, int64_t batch_size = 64);
  // the alarm network's input -- the encoder activations pooled to one size and stacked:
  // [N, h, w, C] (images) or [N, l, C] (rows), with the channels each encoder layer contributes;
  struct AlarmInput {
    Tensor stack;
    std::vector<int64_t> layer_channels;
  };
  AlarmInput alarm_input(const Tensor& inputs, int64_t batch_size = 64);
  // attribution of the score to each input element: d score / d input x input (gradient x input).
  Tensor explain(const Tensor& inputs, int64_t batch_size = 64);

  // Parameters of the target network / the alarm network (A3's two stages train them apart).
  std::vector<Var> target_parameters() const;
  std::vector<Var> alarm_parameters() const;
  // Train/eval mode per network: a frozen target runs in eval mode (batch-norm statistics fixed).
  void set_modes(bool target_training, bool alarm_training);

  // Throws a message naming the problem unless `inputs` is [N, sample_shape...] of finite values.
  void check_inputs(const Tensor& inputs) const;

 protected:
  // z = mu + exp(log_var / 2) * noise when sampling, else mu.
  Var latent(const Var& mu, const Var& log_variance, bool sample);
  // Runs `per_batch` over batches of `inputs` in eval mode (without recording gradients unless
  // `gradients`), concatenating the results.
  std::vector<float> inference(const Tensor& inputs, int64_t batch_size,
                               const std::function<std::vector<float>(const Tensor&)>& per_batch,
                               bool gradients = false);

  E2EOptions options_;
  Rng noise_rng_;
};

// Names of alarm-network modules start with this prefix; everything else is the target.
inline constexpr const char* kAlarmPrefix = "alarm";

}  // namespace ca3
