// The image E2E-ConvA3 model (see e2e_conva3.h for the loss, scores and variants): a
// convolutional (variational) autoencoder target -- encoder stages [conv 3x3 -> ReLU -> max-pool
// 2 -> batch-norm], a mirrored transposed-conv decoder, sigmoid output -- and an alarm CNN over
// the encoder's conv outputs, each max- (or average-) pooled to the smallest spatial size among
// them and concatenated along channels.
//
//   ImageModelConfig config;                 // 28x28x1, encoder {64, 128}, VAE, gamma 10
//   ImageE2EConvA3 model(config);
//   LossParts loss = model.loss(images, labels);   // images [N,H,W,C] in [0,1], labels 0/1
//   loss.total.backward();
//   std::vector<float> scores = model.score(images);
#pragma once

#include <memory>
#include <vector>

#include "core/models/e2e_conva3.h"

namespace ca3 {

struct ImageModelConfig {
  int64_t height = 28, width = 28, channels = 1;
  std::vector<int64_t> encoder_channels = {64, 128};  // each: conv 3x3 -> ReLU -> max-pool 2 -> batch-norm
  std::vector<int64_t> alarm_channels = {64, 128};    // each: conv 3x3 -> ReLU -> max-pool 2 (while size >= 2)
  E2EOptions common;
  void validate() const;
};

class ImageE2EConvA3 : public E2EConvA3 {
 public:
  explicit ImageE2EConvA3(ImageModelConfig config);
  const ImageModelConfig& config() const { return config_; }
  Shape sample_shape() const override { return {config_.height, config_.width, config_.channels}; }
  ModelForward run(const Var& images, bool sample, bool reconstruct) override;
  using E2EConvA3::run;

 private:
  ImageModelConfig config_;
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
