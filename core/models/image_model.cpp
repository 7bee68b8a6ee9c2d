#include "core/models/image_model.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/ops/ops.h"

namespace ca3 {

void ImageModelConfig::validate() const {
  CA3_CHECK(height >= 8 && width >= 8, "image model: images must be at least 8x8, got ", height, "x", width);
  CA3_CHECK(channels >= 1 && channels <= 16, "image model: 1 to 16 channels, got ", channels);
  CA3_CHECK(!encoder_channels.empty() && encoder_channels.size() <= 4, "image model: 1 to 4 encoder stages");
  int64_t h = height, w = width;
  for (int64_t c : encoder_channels) {
    CA3_CHECK(c > 0, "image model: encoder channel counts must be positive");
    h /= 2, w /= 2;
  }
  CA3_CHECK(h >= 1 && w >= 1, "image model: ", encoder_channels.size(), " encoder stages halve ", height, "x", width,
            " to nothing");
  for (int64_t c : alarm_channels) CA3_CHECK(c > 0, "image model: alarm channel counts must be positive");
  common.validate();
}

namespace {

// Transposed-conv options (kernel 3, stride 2) that turn size `in` into `out` (= 2in or 2in+1).
void set_upsampling(Conv2dOptions& o, int64_t in_h, int64_t out_h, int64_t in_w, int64_t out_w) {
  CA3_ASSERT(out_h == 2 * in_h || out_h == 2 * in_h + 1);
  CA3_ASSERT(out_w == 2 * in_w || out_w == 2 * in_w + 1);
  o.stride_height = o.stride_width = 2;
  o.pad_height = o.output_padding_height = out_h == 2 * in_h ? 1 : 0;  // (in-1)*2 - 2p + 3 + op
  o.pad_width = o.output_padding_width = out_w == 2 * in_w ? 1 : 0;
}

}  // namespace

ImageE2EConvA3::ImageE2EConvA3(ImageModelConfig config) : E2EConvA3(config.common), config_(std::move(config)) {
  config_.validate();
  Rng rng(config_.common.seed);
  const auto& enc = config_.encoder_channels;
  const size_t stages = enc.size();
  encoder_sizes_h_ = {config_.height};
  encoder_sizes_w_ = {config_.width};
  int64_t in_channels = config_.channels;
  for (size_t i = 0; i < stages; ++i) {
    encoder_convs_.push_back(register_module("encoder" + std::to_string(i) + "_conv",
                                             std::make_shared<Conv2d>(in_channels, enc[i], 3, 1, 1, rng)));
    encoder_norms_.push_back(register_module("encoder" + std::to_string(i) + "_norm", std::make_shared<BatchNorm>(enc[i])));
    encoder_sizes_h_.push_back(encoder_sizes_h_.back() / 2);
    encoder_sizes_w_.push_back(encoder_sizes_w_.back() / 2);
    in_channels = enc[i];
  }
  if (options_.variational) {
    latent_mu_ = register_module("latent_mu", std::make_shared<Conv2d>(enc.back(), enc.back(), 1, 1, 0, rng));
    latent_log_variance_ =
        register_module("latent_log_variance", std::make_shared<Conv2d>(enc.back(), enc.back(), 1, 1, 0, rng));
  }
  // Decoder mirrors the encoder: stage j upsamples to the input size of encoder stage L-1-j.
  for (size_t j = 0; j < stages; ++j) {
    const int64_t from = j == 0 ? enc[stages - 1] : enc[stages - j];
    const int64_t to = enc[stages - 1 - j];
    auto deconv = std::make_shared<ConvTranspose2d>(from, to, 3, 2, 1, 1, rng);
    set_upsampling(deconv->options, encoder_sizes_h_[stages - j], encoder_sizes_h_[stages - 1 - j],
                   encoder_sizes_w_[stages - j], encoder_sizes_w_[stages - 1 - j]);
    decoder_deconvs_.push_back(register_module("decoder" + std::to_string(j) + "_deconv", deconv));
    decoder_norms_.push_back(register_module("decoder" + std::to_string(j) + "_norm", std::make_shared<BatchNorm>(to)));
  }
  output_layer_ = register_module("output", std::make_shared<ConvTranspose2d>(enc[0], config_.channels, 3, 1, 1, 0, rng));

  // Alarm: input = every encoder activation pooled to the last one's size (the smallest).
  int64_t alarm_in = 0;
  for (int64_t c : enc) alarm_in += c;
  int64_t h = encoder_sizes_h_[stages - 1], w = encoder_sizes_w_[stages - 1];
  for (size_t i = 0; i < config_.alarm_channels.size(); ++i) {
    alarm_convs_.push_back(register_module(std::string(kAlarmPrefix) + std::to_string(i) + "_conv",
                                           std::make_shared<Conv2d>(alarm_in, config_.alarm_channels[i], 3, 1, 1, rng)));
    const bool pool = h >= 2 && w >= 2;
    alarm_pools_.push_back(pool);
    if (pool) h /= 2, w /= 2;
    alarm_in = config_.alarm_channels[i];
  }
  alarm_output_ = register_module(std::string(kAlarmPrefix) + "_output", std::make_shared<Linear>(alarm_in * h * w, 1, rng, true,
                                                                            Init::xavier_uniform));
}

ModelForward ImageE2EConvA3::run(const Var& images, bool sample, bool reconstruct) {
  ModelForward out;
  Var x = images;
  for (size_t i = 0; i < encoder_convs_.size(); ++i) {
    Var activation = relu(encoder_convs_[i]->forward(x));  // [N,h_i,w_i,c_i]
    out.activations.push_back(activation);
    x = encoder_norms_[i]->forward(max_pool2d(activation, 2));
  }
  if (reconstruct) {
    Var z = x;
    if (options_.variational) {
      out.mu = latent_mu_->forward(x);
      out.log_variance = latent_log_variance_->forward(x);
      z = latent(out.mu, out.log_variance, sample);
    }
    Var y = z;
    for (size_t j = 0; j < decoder_deconvs_.size(); ++j) y = decoder_norms_[j]->forward(relu(decoder_deconvs_[j]->forward(y)));
    out.reconstruction = sigmoid(output_layer_->forward(y));
  }

  const Var& last = out.activations.back();
  std::vector<Var> pooled;
  for (const Var& a : out.activations) {
    if (a.dim(1) == last.dim(1) && a.dim(2) == last.dim(2)) pooled.push_back(a);
    else if (options_.alarm_input_pooling == PoolKind::max) pooled.push_back(adaptive_max_pool2d(a, last.dim(1), last.dim(2)));
    else pooled.push_back(adaptive_avg_pool2d(a, last.dim(1), last.dim(2)));
  }
  out.alarm_input = concat_channels(pooled);  // [N, h_L, w_L, sum c_i]
  Var h = out.alarm_input;
  for (size_t i = 0; i < alarm_convs_.size(); ++i) {
    h = relu(alarm_convs_[i]->forward(h));
    if (alarm_pools_[i]) h = max_pool2d(h, 2);
  }
  out.logits = alarm_output_->forward(flatten(h));  // [N,1]
  return out;
}

}  // namespace ca3
