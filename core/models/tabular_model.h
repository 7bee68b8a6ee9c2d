// The tabular E2E-ConvA3 model (see e2e_conva3.h for the loss, scores and variants).
//
// Rows have no spatial order, so the target starts with "soft-ordering": a linear layer (no
// bias) + ELU maps the d features to k*L values, reshaped to a length-L signal with k channels
// that 1-D convolutions can work on. Encoder stages [conv1d 3 -> ReLU -> max-pool 2 ->
// batch-norm]; a mirrored transposed-conv1d decoder back to [L, k], then the reverse reshape
// and a linear layer back to d features (no output activation: inputs are standardised).
// The alarm is a 1-D CNN over the encoder's conv outputs pooled to the smallest length.
//
//   TabularModelConfig config;
//   config.features = 34;                       // columns after preprocessing
//   TabularE2EConvA3 model(config);
//   LossParts loss = model.loss(rows, labels);   // rows [N, 34]
#pragma once

#include <memory>
#include <vector>

#include "core/models/e2e_conva3.h"

namespace ca3 {

struct TabularModelConfig {
  int64_t features = 0;                               // d, after preprocessing
  int64_t soft_order_channels = 16;                   // k
  int64_t soft_order_length = 16;                     // L
  std::vector<int64_t> encoder_channels = {32, 64};   // each halves the length
  std::vector<int64_t> alarm_channels = {96, 192};    // each: conv1d 3 -> ReLU -> max-pool 2 (while length >= 2)
  E2EOptions common;
  void validate() const;
};

class TabularE2EConvA3 : public E2EConvA3 {
 public:
  explicit TabularE2EConvA3(TabularModelConfig config);
  const TabularModelConfig& config() const { return config_; }
  Shape sample_shape() const override { return {config_.features}; }
  ModelForward run(const Var& rows, bool sample, bool reconstruct) override;
  using E2EConvA3::run;

 private:
  TabularModelConfig config_;
  std::shared_ptr<Linear> soft_order_;
  std::shared_ptr<BatchNorm> soft_order_norm_;
  std::vector<std::shared_ptr<Conv1d>> encoder_convs_;
  std::vector<std::shared_ptr<BatchNorm>> encoder_norms_;
  std::shared_ptr<Conv1d> latent_mu_, latent_log_variance_;  // kernel-1 convs (VAE)
  std::vector<std::shared_ptr<ConvTranspose1d>> decoder_deconvs_;
  std::vector<std::shared_ptr<BatchNorm>> decoder_norms_;
  std::shared_ptr<ConvTranspose1d> decoder_output_;
  std::shared_ptr<Linear> output_layer_;
  std::vector<std::shared_ptr<Conv1d>> alarm_convs_;
  std::vector<bool> alarm_pools_;
  std::shared_ptr<Linear> alarm_output_;
  std::vector<int64_t> encoder_lengths_;  // length before stage i, and after the last
};

}  // namespace ca3
