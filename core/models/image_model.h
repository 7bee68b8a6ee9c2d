// The image E2E-ConvA3 model: a convolutional (variational) autoencoder -- the target
// network -- and an alarm CNN that reads the target's encoder activations, each max- (or
// average-) pooled to the smallest spatial size among them and concatenated along channels.
//
// Loss (per batch): mean over samples of
//     (1 - y) * [ MSE(x, x_hat) + beta * KL ]  +  gamma * BCE(y, alarm logit)
// i.e. the reconstruction term is masked *per sample* for anomalies (y = 1), so the target
// only learns to reconstruct normal data while the classification gradient still flows into
// the encoder. (The authors' released code sums the squared error over the batch before
// masking, which makes the mask a no-op; this is the paper's definition.)
//
//   ImageModelConfig config;                 // 28x28x1, encoder {64, 128}, VAE, gamma 10
//   ImageE2EConvA3 model(config);
//   ImageLoss loss = model.loss(images, labels);   // images [N,H,W,C] in [0,1], labels 0/1
//   loss.total.backward();
//   Tensor scores = model.score(images);     // alarm probability per image
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "core/nn/layers.h"

namespace ca3 {

struct ImageModelConfig {
  int64_t height = 28, width = 28, channels = 1;
  std::vector<int64_t> encoder_channels = {64, 128};  // each: conv 3x3 -> ReLU -> max-pool 2 -> batch-norm
  std::vector<int64_t> alarm_channels = {64, 128};    // each: conv 3x3 -> ReLU -> max-pool 2 (while size >= 2)
  bool variational = true;                            // VAE target (paper) or plain AE (authors' code)
  PoolKind alarm_input_pooling = PoolKind::max;       // how activations are pooled to one size
  float gamma = 10.f;                                 // weight of the classification loss
  float beta = 1.f;                                   // weight of the KL term (VAE only)
  uint64_t seed = 0;
  void validate() const;
};

struct ImageForward {
  Var reconstruction;            // [N,H,W,C]
  Var mu, log_variance;          // VAE latent statistics (undefined for a plain AE)
  std::vector<Var> activations;  // the encoder's conv outputs, what the alarm reads
  Var alarm_input;               // [N,h,w,sum of channels]: pooled + concatenated
  Var logits;                    // [N,1]
};

struct ImageLoss {
  Var total;                  // [1]
  double reconstruction = 0;  // mean masked MSE over normal samples
  double kl = 0;              // mean KL over normal samples
  double classification = 0;  // mean BCE
};

class ImageE2EConvA3 : public Module {
 public:
  explicit ImageE2EConvA3(ImageModelConfig config);
  const ImageModelConfig& config() const { return config_; }

  // Runs target and alarm. `sample` draws the VAE's latent noise (training); otherwise the mean.
  ImageForward run(const Var& images, bool sample);
  Var forward(const Var& images) override { return run(images, is_training()).logits; }

  // End-to-end loss for a batch; labels: 0 normal, 1 anomaly.
  ImageLoss loss(const Tensor& images, const std::vector<int>& labels);
  // Anomaly probability (sigmoid of the alarm logit) per image, in eval mode, without gradients.
  std::vector<float> score(const Tensor& images, int64_t batch_size = 256);
  // Mean squared reconstruction error per image (the reconstruction-only score).
  std::vector<float> reconstruction_error(const Tensor& images, int64_t batch_size = 256);

  // Parameters of the target network only / the alarm network only (for A3's two stages).
  std::vector<Var> target_parameters() const;
  std::vector<Var> alarm_parameters() const;

 private:
  void check_images(const Tensor& images) const;
  // Runs `per_batch` over batches of `images` in eval mode without gradients.
  std::vector<float> inference(const Tensor& images, int64_t batch_size,
                               const std::function<std::vector<float>(const Tensor&)>& per_batch);

  ImageModelConfig config_;
  Rng noise_rng_;
  std::vector<std::shared_ptr<Conv2d>> encoder_convs_;
  std::vector<std::shared_ptr<BatchNorm>> encoder_norms_;
  std::shared_ptr<Conv2d> latent_mu_, latent_log_variance_;  // 1x1 convs (VAE)
  std::vector<std::shared_ptr<ConvTranspose2d>> decoder_deconvs_;
  std::vector<std::shared_ptr<BatchNorm>> decoder_norms_;
  std::shared_ptr<ConvTranspose2d> output_layer_;
  std::vector<std::shared_ptr<Conv2d>> alarm_convs_;
  std::vector<bool> alarm_pools_;
  std::shared_ptr<Linear> alarm_output_;
  std::vector<int64_t> encoder_sizes_h_, encoder_sizes_w_;  // spatial size after each stage
};

}  // namespace ca3
