#include "core/models/tabular_model.h"

#include "core/error.h"
#include "core/ops/ops.h"

namespace ca3 {

void TabularModelConfig::validate() const {
  CA3_CHECK(features >= 1, "tabular model: at least one feature column is needed");
  CA3_CHECK(soft_order_channels >= 1 && soft_order_length >= 2, "tabular model: soft-ordering needs k >= 1 channels "
            "and length L >= 2");
  CA3_CHECK(!encoder_channels.empty() && encoder_channels.size() <= 4, "tabular model: 1 to 4 encoder stages");
  int64_t length = soft_order_length;
  for (int64_t c : encoder_channels) {
    CA3_CHECK(c > 0, "tabular model: encoder channel counts must be positive");
    length /= 2;
  }
  CA3_CHECK(length >= 1, "tabular model: ", encoder_channels.size(), " encoder stages halve length ", soft_order_length,
            " to nothing");
  for (int64_t c : alarm_channels) CA3_CHECK(c > 0, "tabular model: alarm channel counts must be positive");
  common.validate();
}

TabularE2EConvA3::TabularE2EConvA3(TabularModelConfig config)
    : E2EConvA3(config.common), config_(std::move(config)) {
  config_.validate();
  Rng rng(config_.common.seed);
  const int64_t k = config_.soft_order_channels, length = config_.soft_order_length;
  const auto& enc = config_.encoder_channels;
  const size_t stages = enc.size();
  soft_order_ = register_module("soft_order", std::make_shared<Linear>(config_.features, k * length, rng, false));
  soft_order_norm_ = register_module("soft_order_norm", std::make_shared<BatchNorm>(k));
  encoder_lengths_ = {length};
  int64_t in_channels = k;
  for (size_t i = 0; i < stages; ++i) {
    encoder_convs_.push_back(register_module("encoder" + std::to_string(i) + "_conv",
                                             std::make_shared<Conv1d>(in_channels, enc[i], 3, 1, 1, rng)));
    encoder_norms_.push_back(register_module("encoder" + std::to_string(i) + "_norm", std::make_shared<BatchNorm>(enc[i])));
    encoder_lengths_.push_back(encoder_lengths_.back() / 2);
    in_channels = enc[i];
  }
  if (options_.variational) {
    latent_mu_ = register_module("latent_mu", std::make_shared<Conv1d>(enc.back(), enc.back(), 1, 1, 0, rng));
    latent_log_variance_ =
        register_module("latent_log_variance", std::make_shared<Conv1d>(enc.back(), enc.back(), 1, 1, 0, rng));
  }
  // Decoder stage j upsamples (kernel 3, stride 2) to the input length of encoder stage L-1-j:
  // out = (in-1)*2 - 2*pad + 3 + output_padding, so pad = output_padding = 1 doubles, 0/0 gives 2in+1.
  for (size_t j = 0; j < stages; ++j) {
    const int64_t from = j == 0 ? enc[stages - 1] : enc[stages - j];
    const int64_t to = enc[stages - 1 - j];
    const int64_t in = encoder_lengths_[stages - j], out = encoder_lengths_[stages - 1 - j];
    CA3_ASSERT(out == 2 * in || out == 2 * in + 1);
    const int64_t pad = out == 2 * in ? 1 : 0;
    decoder_deconvs_.push_back(register_module("decoder" + std::to_string(j) + "_deconv",
                                               std::make_shared<ConvTranspose1d>(from, to, 3, 2, pad, pad, rng)));
    decoder_norms_.push_back(register_module("decoder" + std::to_string(j) + "_norm", std::make_shared<BatchNorm>(to)));
  }
  decoder_output_ = register_module("decoder_output", std::make_shared<ConvTranspose1d>(enc[0], k, 3, 1, 1, 0, rng));
  output_layer_ = register_module("output", std::make_shared<Linear>(k * length, config_.features, rng, true,
                                                                      Init::xavier_uniform));

  // Alarm: every encoder activation pooled to the last one's length (the smallest).
  int64_t alarm_in = 0;
  for (int64_t c : enc) alarm_in += c;
  int64_t alarm_length = encoder_lengths_[stages - 1];
  for (size_t i = 0; i < config_.alarm_channels.size(); ++i) {
    alarm_convs_.push_back(register_module(std::string(kAlarmPrefix) + std::to_string(i) + "_conv",
                                           std::make_shared<Conv1d>(alarm_in, config_.alarm_channels[i], 3, 1, 1, rng)));
    const bool pool = alarm_length >= 2;
    alarm_pools_.push_back(pool);
    if (pool) alarm_length /= 2;
    alarm_in = config_.alarm_channels[i];
  }
  alarm_output_ = register_module(std::string(kAlarmPrefix) + "_output",
                                  std::make_shared<Linear>(alarm_in * alarm_length, 1, rng, true, Init::xavier_uniform));
}

ModelForward TabularE2EConvA3::run(const Var& rows, bool sample, bool reconstruct) {
  ModelForward out;
  const int64_t k = config_.soft_order_channels, length = config_.soft_order_length;
  Var x = elu(soft_order_->forward(rows));            // [N, k*L]
  x = soft_order_norm_->forward(reshape(x, {-1, length, k}));  // [N, L, k]
  for (size_t i = 0; i < encoder_convs_.size(); ++i) {
    Var activation = relu(encoder_convs_[i]->forward(x));  // [N, l_i, c_i]
    out.activations.push_back(activation);
    x = encoder_norms_[i]->forward(max_pool1d(activation, 2));
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
    y = decoder_output_->forward(y);                                            // [N, L, k]
    out.reconstruction = output_layer_->forward(reshape(y, {-1, length * k}));  // [N, d]
  }

  const int64_t smallest = out.activations.back().dim(1);
  std::vector<Var> pooled;
  for (const Var& a : out.activations) {
    if (a.dim(1) == smallest) pooled.push_back(a);
    else if (options_.alarm_input_pooling == PoolKind::max) pooled.push_back(adaptive_max_pool1d(a, smallest));
    else pooled.push_back(adaptive_avg_pool1d(a, smallest));
  }
  out.alarm_input = concat_channels(pooled);  // [N, l_last, sum c_i]
  Var h = out.alarm_input;
  for (size_t i = 0; i < alarm_convs_.size(); ++i) {
    h = relu(alarm_convs_[i]->forward(h));
    if (alarm_pools_[i]) h = max_pool1d(h, 2);
  }
  out.logits = alarm_output_->forward(flatten(h));  // [N,1]
  return out;
}

}  // namespace ca3
