#include "core/models/image_model.h"

#include <algorithm>
#include <cmath>
#include <cstring>

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
  CA3_CHECK(gamma >= 0.f && std::isfinite(gamma), "image model: gamma must be a finite value >= 0");
  CA3_CHECK(beta >= 0.f && std::isfinite(beta), "image model: beta must be a finite value >= 0");
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

ImageE2EConvA3::ImageE2EConvA3(ImageModelConfig config) : config_(std::move(config)), noise_rng_(config_.seed + 1) {
  config_.validate();
  Rng rng(config_.seed);
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
  if (config_.variational) {
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
    alarm_convs_.push_back(register_module("alarm" + std::to_string(i) + "_conv",
                                           std::make_shared<Conv2d>(alarm_in, config_.alarm_channels[i], 3, 1, 1, rng)));
    const bool pool = h >= 2 && w >= 2;
    alarm_pools_.push_back(pool);
    if (pool) h /= 2, w /= 2;
    alarm_in = config_.alarm_channels[i];
  }
  alarm_output_ = register_module("alarm_output", std::make_shared<Linear>(alarm_in * h * w, 1, rng, true,
                                                                            Init::xavier_uniform));
}

ImageForward ImageE2EConvA3::run(const Var& images, bool sample) {
  ImageForward out;
  Var x = images;
  for (size_t i = 0; i < encoder_convs_.size(); ++i) {
    Var activation = relu(encoder_convs_[i]->forward(x));  // [N,h_i,w_i,c_i]
    out.activations.push_back(activation);
    x = encoder_norms_[i]->forward(max_pool2d(activation, 2));
  }
  Var z = x;
  if (config_.variational) {
    out.mu = latent_mu_->forward(x);
    out.log_variance = latent_log_variance_->forward(x);
    if (sample) {
      Tensor noise = Tensor::normal(out.mu.shape(), 0.f, 1.f, noise_rng_);
      z = add(out.mu, mul(ca3::exp(scale(out.log_variance, 0.5f)), Var(noise)));
    } else {
      z = out.mu;
    }
  }
  Var y = z;
  for (size_t j = 0; j < decoder_deconvs_.size(); ++j) y = decoder_norms_[j]->forward(relu(decoder_deconvs_[j]->forward(y)));
  out.reconstruction = sigmoid(output_layer_->forward(y));

  const Var& last = out.activations.back();
  std::vector<Var> pooled;
  for (const Var& a : out.activations) {
    if (a.dim(1) == last.dim(1) && a.dim(2) == last.dim(2)) pooled.push_back(a);
    else if (config_.alarm_input_pooling == PoolKind::max) pooled.push_back(adaptive_max_pool2d(a, last.dim(1), last.dim(2)));
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

void ImageE2EConvA3::check_images(const Tensor& images) const {
  CA3_CHECK(images.rank() == 4 && images.dim(1) == config_.height && images.dim(2) == config_.width &&
                images.dim(3) == config_.channels,
            "image model: expected images [N, ", config_.height, ", ", config_.width, ", ", config_.channels, "], got ",
            shape_to_string(images.shape()));
  const float* p = images.data();
  for (int64_t i = 0; i < images.numel(); ++i)
    CA3_CHECK(std::isfinite(p[i]), "image model: pixel value ", i, " is not a finite number");
}

ImageLoss ImageE2EConvA3::loss(const Tensor& images, const std::vector<int>& labels) {
  check_images(images);
  const int64_t n = images.dim(0);
  CA3_CHECK(int64_t(labels.size()) == n, "image model: ", labels.size(), " labels for ", n, " images");
  Tensor targets({n}), normal_mask({n});
  for (int64_t i = 0; i < n; ++i) {
    CA3_CHECK(labels[size_t(i)] == 0 || labels[size_t(i)] == 1, "image model: label ", i, " is ", labels[size_t(i)],
              " (expected 0 = normal or 1 = anomaly)");
    targets.mutable_data()[i] = float(labels[size_t(i)]);
    normal_mask.mutable_data()[i] = 1.f - float(labels[size_t(i)]);
  }
  Var x(images);
  ImageForward f = run(x, is_training());
  const Var mse = mse_per_sample(f.reconstruction, x);  // [N]
  Var per_sample = mse;
  Var kl;
  if (config_.variational) {
    // KL per latent element, so that beta weighs it like the per-pixel MSE.
    kl = scale(gaussian_kl(f.mu, f.log_variance), 1.f / float(f.mu.numel() / n));
    per_sample = add(per_sample, scale(kl, config_.beta));
  }
  Var masked = mul(per_sample, Var(normal_mask));
  Var bce = bce_with_logits(f.logits, targets);
  ImageLoss result;
  result.total = mean(add(masked, scale(bce, config_.gamma)));
  double normals = 0, mse_sum = 0, kl_sum = 0, bce_sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    bce_sum += bce.value().at(i);
    if (labels[size_t(i)] == 0) {
      normals += 1;
      mse_sum += mse.value().at(i);
      if (kl.defined()) kl_sum += kl.value().at(i);
    }
  }
  result.reconstruction = normals > 0 ? mse_sum / normals : 0.0;
  result.kl = normals > 0 ? kl_sum / normals : 0.0;
  result.classification = bce_sum / double(n);
  return result;
}

std::vector<float> ImageE2EConvA3::inference(const Tensor& images, int64_t batch_size,
                                             const std::function<std::vector<float>(const Tensor&)>& per_batch) {
  check_images(images);
  CA3_CHECK(batch_size > 0, "batch size must be positive");
  NoGradGuard no_grad;
  // Eval mode for the duration, restored even when a batch throws.
  struct EvalMode {
    Module& model;
    bool was_training;
    explicit EvalMode(Module& m) : model(m), was_training(m.is_training()) { model.eval(); }
    ~EvalMode() { model.train(was_training); }
  } eval_mode(*this);
  std::vector<float> out;
  const int64_t n = images.dim(0), per_image = images.numel() / std::max<int64_t>(n, 1);
  for (int64_t start = 0; start < n; start += batch_size) {
    const int64_t count = std::min(batch_size, n - start);
    Tensor batch({count, images.dim(1), images.dim(2), images.dim(3)});
    std::memcpy(batch.mutable_data(), images.data() + start * per_image, size_t(count * per_image) * sizeof(float));
    const std::vector<float> part = per_batch(batch);
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

std::vector<float> ImageE2EConvA3::score(const Tensor& images, int64_t batch_size) {
  return inference(images, batch_size, [&](const Tensor& batch) {
    const Tensor logits = run(Var(batch), false).logits.value();
    std::vector<float> p(size_t(logits.numel()));
    for (size_t i = 0; i < p.size(); ++i) {
      const float z = logits.at(int64_t(i));
      p[i] = z >= 0 ? 1.f / (1.f + std::exp(-z)) : std::exp(z) / (1.f + std::exp(z));
    }
    return p;
  });
}

std::vector<float> ImageE2EConvA3::reconstruction_error(const Tensor& images, int64_t batch_size) {
  return inference(images, batch_size, [&](const Tensor& batch) {
    Var x(batch);
    return mse_per_sample(run(x, false).reconstruction, x).value().to_vector();
  });
}

std::vector<Var> ImageE2EConvA3::target_parameters() const {
  std::vector<Var> out;
  for (auto& [name, p] : named_parameters())
    if (name.rfind("alarm", 0) != 0) out.push_back(p);
  return out;
}

std::vector<Var> ImageE2EConvA3::alarm_parameters() const {
  std::vector<Var> out;
  for (auto& [name, p] : named_parameters())
    if (name.rfind("alarm", 0) == 0) out.push_back(p);
  return out;
}

}  // namespace ca3
