#include "core/anomaly/model.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <cstring>
#include <limits>
#include <map>
#include <optional>

#include "core/anomaly/data/tabular.h"
#include "core/engine/error.h"
#include "core/engine/kernels/kernels.h"
#include "core/engine/ops/ops.h"

namespace ca3 {

std::string to_string(Variant variant) {
  switch (variant) {
    case Variant::end_to_end: return "e2e";
    case Variant::two_stage: return "a3";
    case Variant::reconstruction_only: return "reconstruction";
  }
  return "?";
}

Variant variant_from_string(const std::string& name) {
  if (name == "e2e") return Variant::end_to_end;
  if (name == "a3") return Variant::two_stage;
  if (name == "reconstruction") return Variant::reconstruction_only;
  throw Error("unknown variant '" + name + "' (expected e2e, a3 or reconstruction)");
}

ModelConfig ModelConfig::image(int64_t height, int64_t width, int64_t channels) {
  ModelConfig c;
  c.sample_shape = {height, width, channels};
  return c;
}

ModelConfig ModelConfig::rows(int64_t features) {
  ModelConfig c;
  c.sample_shape = {features};
  c.encoder_channels = {32, 64};
  c.alarm_channels = {96, 192};
  return c;
}

void ModelConfig::validate() const {
  const char* what = is_image() ? "image model" : "tabular model";
  CA3_CHECK(sample_shape.size() == 3 || sample_shape.size() == 1, "a model takes images {height, width, channels} "
            "or rows {features}, got ", shape_to_string(sample_shape));
  CA3_CHECK(!encoder_channels.empty() && encoder_channels.size() <= 4, what, ": 1 to 4 encoder stages");
  for (int64_t c : encoder_channels) CA3_CHECK(c > 0, what, ": encoder channel counts must be positive");
  for (int64_t c : alarm_channels) CA3_CHECK(c > 0, what, ": alarm channel counts must be positive");
  Shape spatial;
  if (is_image()) {
    const int64_t height = sample_shape[0], width = sample_shape[1], channels = sample_shape[2];
    CA3_CHECK(height >= 8 && width >= 8, "image model: images must be at least 8x8, got ", height, "x", width);
    CA3_CHECK(channels >= 1 && channels <= 16, "image model: 1 to 16 channels, got ", channels);
    spatial = {height, width};
  } else {
    CA3_CHECK(sample_shape[0] >= 1, "tabular model: at least one feature column is needed");
    CA3_CHECK(soft_order_channels >= 1 && soft_order_length >= 2, "tabular model: soft-ordering needs k >= 1 "
              "channels and length L >= 2");
    spatial = {soft_order_length};
  }
  for (size_t i = 0; i < encoder_channels.size(); ++i)
    for (int64_t& s : spatial) s /= 2;
  for (int64_t s : spatial)
    CA3_CHECK(s >= 1, what, ": ", encoder_channels.size(), " encoder stages halve ", is_image() ? "the image" : "the "
              "soft-ordering length", " to nothing");
  CA3_CHECK(gamma >= 0.f && std::isfinite(gamma), "gamma must be a finite value >= 0, got ", gamma);
  CA3_CHECK(beta >= 0.f && std::isfinite(beta), "beta must be a finite value >= 0, got ", beta);
  CA3_CHECK(!(is_image() && score == ScoreKind::combined_without_alarm), "model.score \"combined_without_alarm\" is for "
            "tables (its terms include how rare a row's values are); for images use \"alarm_neighbours\" or \"auto\"");
}

namespace {

// The rank-generic trunk: 2-D layers and ops on [N, H, W, C], 1-D ones on [N, L, C]; `spatial`
// is {H, W} or {L}.
std::shared_ptr<Module> make_conv(size_t spatial_rank, int64_t in, int64_t out, int64_t kernel, int64_t pad, Rng& rng) {
  if (spatial_rank == 2) return std::make_shared<Conv2d>(in, out, kernel, 1, pad, rng);
  return std::make_shared<Conv1d>(in, out, kernel, 1, pad, rng);
}

// A transposed conv (kernel 3, stride 2) from spatial size `from` to `to` (each 2*from or
// 2*from + 1): out = (in - 1) * 2 - 2 * pad + 3 + output_padding, so pad = output_padding = 1
// doubles and 0 / 0 gives 2 * in + 1.
std::shared_ptr<Module> make_upsampling(int64_t in, int64_t out, const Shape& from, const Shape& to, Rng& rng) {
  auto pad_for = [](int64_t a, int64_t b) {
    CA3_ASSERT(b == 2 * a || b == 2 * a + 1);
    return b == 2 * a ? int64_t(1) : int64_t(0);
  };
  if (from.size() == 1) {
    const int64_t pad = pad_for(from[0], to[0]);
    return std::make_shared<ConvTranspose1d>(in, out, 3, 2, pad, pad, rng);
  }
  auto deconv = std::make_shared<ConvTranspose2d>(in, out, 3, 2, 1, 1, rng);
  Conv2dOptions& o = deconv->options;
  o.stride_height = o.stride_width = 2;
  o.pad_height = o.output_padding_height = pad_for(from[0], to[0]);
  o.pad_width = o.output_padding_width = pad_for(from[1], to[1]);
  return deconv;
}

std::shared_ptr<Module> make_output_deconv(size_t spatial_rank, int64_t in, int64_t out, Rng& rng) {
  if (spatial_rank == 2) return std::make_shared<ConvTranspose2d>(in, out, 3, 1, 1, 0, rng);
  return std::make_shared<ConvTranspose1d>(in, out, 3, 1, 1, 0, rng);
}

Var halve(const Var& x) { return x.rank() == 4 ? max_pool2d(x, 2) : max_pool1d(x, 2); }

Shape spatial_size(const Var& x) {
  return x.rank() == 4 ? Shape{x.dim(1), x.dim(2)} : Shape{x.dim(1)};
}

Var pool_to(const Var& x, const Shape& size, PoolKind kind) {
  if (spatial_size(x) == size) return x;
  if (x.rank() == 4)
    return kind == PoolKind::max ? adaptive_max_pool2d(x, size[0], size[1]) : adaptive_avg_pool2d(x, size[0], size[1]);
  return kind == PoolKind::max ? adaptive_max_pool1d(x, size[0]) : adaptive_avg_pool1d(x, size[0]);
}

}  // namespace

// ---- the target --------------------------------------------------------------------------------

Target::Target(const ModelConfig& config, Rng& rng) : config_(config) {
  const auto& enc = config_.encoder_channels;
  const size_t stages = enc.size();
  Shape size;
  int64_t in_channels;
  if (config_.is_image()) {
    size = {config_.sample_shape[0], config_.sample_shape[1]};
    in_channels = config_.sample_shape[2];
  } else {
    const int64_t k = config_.soft_order_channels, length = config_.soft_order_length;
    soft_order_ = register_module("soft_order", std::make_shared<Linear>(config_.sample_shape[0], k * length, rng, false));
    soft_order_norm_ = register_module("soft_order_norm", std::make_shared<BatchNorm>(k));
    size = {length};
    in_channels = k;
  }
  const size_t rank = size.size();
  std::vector<Shape> sizes = {size};  // the input size of each stage, then the last output's
  for (size_t i = 0; i < stages; ++i) {
    encoder_convs_.push_back(register_module("encoder" + std::to_string(i) + "_conv",
                                             make_conv(rank, in_channels, enc[i], 3, 1, rng)));
    encoder_norms_.push_back(register_module("encoder" + std::to_string(i) + "_norm", std::make_shared<BatchNorm>(enc[i])));
    activation_sizes_.push_back(sizes.back());
    Shape half = sizes.back();
    for (int64_t& s : half) s /= 2;
    sizes.push_back(half);
    in_channels = enc[i];
  }
  if (config_.variational) {
    latent_mu_ = register_module("latent_mu", make_conv(rank, enc.back(), enc.back(), 1, 0, rng));
    latent_log_variance_ = register_module("latent_log_variance", make_conv(rank, enc.back(), enc.back(), 1, 0, rng));
  }
  // Decoder stage j upsamples to the input size of encoder stage L-1-j.
  for (size_t j = 0; j < stages; ++j) {
    const int64_t from = j == 0 ? enc[stages - 1] : enc[stages - j];
    const int64_t to = enc[stages - 1 - j];
    decoder_deconvs_.push_back(register_module("decoder" + std::to_string(j) + "_deconv",
                                               make_upsampling(from, to, sizes[stages - j], sizes[stages - 1 - j], rng)));
    decoder_norms_.push_back(register_module("decoder" + std::to_string(j) + "_norm", std::make_shared<BatchNorm>(to)));
  }
  const int64_t out_channels = config_.is_image() ? config_.sample_shape[2] : config_.soft_order_channels;
  output_deconv_ = register_module("output_deconv", make_output_deconv(rank, enc[0], out_channels, rng));
  if (!config_.is_image()) {
    const int64_t k = config_.soft_order_channels, length = config_.soft_order_length;
    output_linear_ = register_module("output_linear", std::make_shared<Linear>(k * length, config_.sample_shape[0], rng,
                                                                               true, Init::xavier_uniform));
  }
}

Var Target::forward(const Var& input) {
  Rng unused(0);
  return run(input, false, true, unused).reconstruction;
}

ModelForward Target::run(const Var& input, bool sample, bool reconstruct, Rng& noise,
                         const std::vector<uint8_t>* statistics_samples) {
  ModelForward out;
  static const std::vector<uint8_t> all;
  const std::vector<uint8_t>& statistics = statistics_samples ? *statistics_samples : all;
  Var x = input;
  const int64_t k = config_.soft_order_channels, length = config_.soft_order_length;
  if (soft_order_)
    x = soft_order_norm_->forward(reshape(elu(soft_order_->forward(x)), {-1, length, k}), statistics);  // [N, L, k]
  for (size_t i = 0; i < encoder_convs_.size(); ++i) {
    Var activation = relu(encoder_convs_[i]->forward(x));  // [N, h_i, w_i, c_i] or [N, l_i, c_i]
    out.activations.push_back(activation);
    x = encoder_norms_[i]->forward(halve(activation), statistics);
  }
  if (!reconstruct) return out;
  Var z = x;
  if (config_.variational) {
    out.mu = latent_mu_->forward(x);
    // Clamped, as VAE implementations commonly do: an input far from the training data (a
    // synthetic anomaly) can push the log-variance past what exp() holds in a float, and the
    // infinite KL term then turns the whole batch's loss and gradients into NaN.
    out.log_variance = ca3::clamp(latent_log_variance_->forward(x), -30.f, 20.f);
    if (sample) z = add(out.mu, mul(ca3::exp(scale(out.log_variance, 0.5f)), Var(Tensor::normal(out.mu.shape(), 0.f, 1.f, noise))));
    else z = out.mu;
  }
  Var y = z;
  for (size_t j = 0; j < decoder_deconvs_.size(); ++j)
    y = decoder_norms_[j]->forward(relu(decoder_deconvs_[j]->forward(y)), statistics);
  y = output_deconv_->forward(y);  // [N, H, W, C] or [N, L, k]
  out.reconstruction = output_linear_ ? output_linear_->forward(reshape(y, {-1, length * k}))  // [N, d]
                                      : sigmoid(y);
  return out;
}

// ---- the alarm ---------------------------------------------------------------------------------

Alarm::Alarm(const ModelConfig& config, const std::vector<Shape>& activation_sizes, Rng& rng)
    : pooling_(config.alarm_input_pooling) {
  int64_t in = 0;
  for (int64_t c : config.encoder_channels) in += c;
  Shape size = activation_sizes.back();  // the smallest
  for (size_t i = 0; i < config.alarm_channels.size(); ++i) {
    convs_.push_back(register_module("conv" + std::to_string(i), make_conv(size.size(), in, config.alarm_channels[i], 3, 1, rng)));
    const bool pool = std::all_of(size.begin(), size.end(), [](int64_t s) { return s >= 2; });
    pools_.push_back(pool);
    if (pool)
      for (int64_t& s : size) s /= 2;
    in = config.alarm_channels[i];
  }
  int64_t flat = in;
  for (int64_t s : size) flat *= s;
  output_ = register_module("output", std::make_shared<Linear>(flat, 1, rng, true, Init::xavier_uniform));
}

Var Alarm::stack(const std::vector<Var>& activations) const {
  const Shape smallest = spatial_size(activations.back());
  std::vector<Var> pooled;
  for (const Var& a : activations) pooled.push_back(pool_to(a, smallest, pooling_));
  return concat_channels(pooled);  // [N, h_L, w_L, sum c_i] or [N, l_L, sum c_i]
}

Var Alarm::forward(const Var& stack) {
  Var h = stack;
  for (size_t i = 0; i < convs_.size(); ++i) {
    h = relu(convs_[i]->forward(h));
    if (pools_[i]) h = halve(h);
  }
  return output_->forward(flatten(h));  // [N, 1]
}

// ---- the model ---------------------------------------------------------------------------------

E2EConvA3::E2EConvA3(ModelConfig config)
    : config_(std::move(config)),
      noise_rng_(config_.seed + 1),
      normal_statistics_(config_.normal_statistics == Choice::yes),
      score_reference_(register_buffer("score_reference", Tensor::from_vector({12}, {0.f, 0.f, 1.f, 0.f, 1.f, 0.f, 1.f, 0.f, 1.f, 0.f, 1.f, kNeighbourWeight}))),
      rarity_columns_(register_buffer("rarity_columns",
                                      Tensor::full({config_.is_image() ? 1 : config_.sample_shape.at(0)}, 1.f))),
      category_rarity_(register_buffer("category_rarity", Tensor({(config_.is_image() ? 0 : config_.sample_shape.at(0)) + 1}))),
      category_columns_(register_buffer("category_columns", Tensor({config_.is_image() ? 1 : config_.sample_shape.at(0)}))),
      neighbour_scales_(register_buffer("neighbour_scales",
                                        Tensor::full({config_.is_image() ? 1 : config_.sample_shape.at(0)}, 1.f))),
      neighbours_(register_buffer("neighbours", Tensor({0, 1}))) {
  config_.validate();
  Rng rng(config_.seed);
  target_ = register_module("target", std::make_shared<Target>(config_, rng));
  alarm_ = register_module("alarm", std::make_shared<Alarm>(config_, target_->activation_sizes(), rng));
  neighbours_ = Tensor({0, neighbour_embedding_size()});
}

ModelForward E2EConvA3::run(const Var& inputs, bool sample, bool reconstruct,
                            const std::vector<uint8_t>* statistics_samples) {
  ModelForward f = target_->run(inputs, sample, reconstruct, noise_rng_, statistics_samples);
  f.alarm_input = alarm_->stack(f.activations);
  f.logits = alarm_->forward(f.alarm_input);
  return f;
}

void E2EConvA3::check_inputs(const Tensor& inputs, bool values) const {
  const Shape expected = sample_shape();
  bool ok = inputs.rank() == int64_t(expected.size()) + 1;
  for (size_t i = 0; ok && i < expected.size(); ++i) ok = inputs.dim(int(i) + 1) == expected[i];
  if (!ok) {
    std::string wanted = "[N";
    for (int64_t d : expected) wanted += ", " + std::to_string(d);
    throw Error("the model expects inputs " + wanted + "], got " + shape_to_string(inputs.shape()));
  }
  if (!values) return;
  const float* p = inputs.data();
  const int64_t per_sample = inputs.numel() / std::max<int64_t>(inputs.dim(0), 1);
  for (int64_t i = 0; i < inputs.numel(); ++i)
    CA3_CHECK(std::isfinite(p[i]), "sample ", i / per_sample, ", value ", i % per_sample, " is not a finite number");
}

LossParts E2EConvA3::loss(const Tensor& inputs, const std::vector<int>& labels, LossTerms terms) {
  check_inputs(inputs, false);
  CA3_ASSERT(terms.target || terms.alarm);
  const int64_t n = inputs.dim(0);
  CA3_CHECK(n > 0, "empty batch");
  CA3_CHECK(int64_t(labels.size()) == n, labels.size(), " labels for ", n, " samples");
  Tensor targets({n}), normal_mask({n});
  for (int64_t i = 0; i < n; ++i) {
    CA3_CHECK(labels[size_t(i)] == 0 || labels[size_t(i)] == 1, "label ", i, " is ", labels[size_t(i)],
              " (expected 0 = normal or 1 = anomaly)");
    targets.mutable_data()[i] = float(labels[size_t(i)]);
    normal_mask.mutable_data()[i] = 1.f - float(labels[size_t(i)]);
  }
  Var x(inputs);
  // Batch-norm statistics from the normal samples (when the model says so and there are two).
  std::vector<uint8_t> normal_samples;
  if (normal_statistics_) {
    for (int label : labels) normal_samples.push_back(label == 0);
    if (std::count(normal_samples.begin(), normal_samples.end(), 1) < 2) normal_samples.clear();
  }
  ModelForward f = run(x, is_training() && terms.target, true, normal_samples.empty() ? nullptr : &normal_samples);
  const Var mse = mse_per_sample(f.reconstruction, x);  // [N]
  Var per_sample = mse;
  Var kl;
  if (config_.variational) {
    // KL per latent element, so that beta weighs it like the per-element MSE.
    kl = scale(gaussian_kl(f.mu, f.log_variance), 1.f / float(f.mu.numel() / n));
    per_sample = add(per_sample, scale(kl, config_.beta));
  }
  Var bce = bce_with_logits(f.logits, targets);
  Var total;
  if (terms.target) total = mul(per_sample, Var(normal_mask));
  if (terms.alarm) total = total.defined() ? add(total, scale(bce, config_.gamma)) : bce;
  LossParts result;
  result.total = mean(total);
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

std::vector<float> E2EConvA3::inference(const Tensor& inputs, int64_t batch_size,
                                        const std::function<std::vector<float>(const Tensor&)>& per_batch,
                                        bool gradients) {
  check_inputs(inputs);
  CA3_CHECK(batch_size > 0, "batch size must be positive");
  std::optional<NoGradGuard> no_grad;
  if (!gradients) no_grad.emplace();
  // Eval mode for the duration, restored even when a batch throws.
  struct EvalMode {
    E2EConvA3& model;
    bool target_training, alarm_training;
    explicit EvalMode(E2EConvA3& m)
        : model(m), target_training(m.target().is_training()), alarm_training(m.alarm().is_training()) {
      model.eval();
    }
    ~EvalMode() { model.set_modes(target_training, alarm_training); }
  } eval_mode(*this);
  std::vector<float> out;
  const int64_t n = inputs.dim(0), per_sample = inputs.numel() / std::max<int64_t>(n, 1);
  for (int64_t start = 0; start < n; start += batch_size) {
    const int64_t count = std::min(batch_size, n - start);
    Shape shape = inputs.shape();
    shape[0] = count;
    Tensor batch(shape);
    std::memcpy(batch.mutable_data(), inputs.data() + start * per_sample, size_t(count * per_sample) * sizeof(float));
    const std::vector<float> part = per_batch(batch);
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

std::vector<float> E2EConvA3::alarm_probability(const Tensor& inputs, int64_t batch_size) {
  return inference(inputs, batch_size, [&](const Tensor& batch) {
    const Tensor logits = run(Var(batch), false, false).logits.value();
    std::vector<float> p(size_t(logits.numel()));
    for (size_t i = 0; i < p.size(); ++i) {
      const float z = logits.at(int64_t(i));
      p[i] = z >= 0 ? 1.f / (1.f + std::exp(-z)) : std::exp(z) / (1.f + std::exp(z));
    }
    return p;
  });
}

std::vector<float> E2EConvA3::alarm_logit(const Tensor& inputs, int64_t batch_size) {
  return inference(inputs, batch_size, [&](const Tensor& batch) { return run(Var(batch), false, false).logits.value().to_vector(); });
}

std::vector<float> E2EConvA3::reconstruction_error(const Tensor& inputs, int64_t batch_size) {
  return inference(inputs, batch_size, [&](const Tensor& batch) {
    Var x(batch);
    return mse_per_sample(run(x, false).reconstruction, x).value().to_vector();
  });
}

namespace {
Tensor tensor_from(std::vector<float> values, Shape shape) {
  Tensor t(std::move(shape));
  CA3_ASSERT(int64_t(values.size()) == t.numel());
  std::copy(values.begin(), values.end(), t.mutable_data());
  return t;
}
}  // namespace

Tensor E2EConvA3::reconstruct(const Tensor& inputs, int64_t batch_size) {
  std::vector<float> values = inference(inputs, batch_size, [&](const Tensor& batch) {
    return run(Var(batch), false).reconstruction.value().to_vector();
  });
  return tensor_from(std::move(values), inputs.shape());
}

E2EConvA3::AlarmInput E2EConvA3::alarm_input(const Tensor& inputs, int64_t batch_size) {
  AlarmInput out;
  Shape stack_shape;
  std::vector<float> values = inference(inputs, batch_size, [&](const Tensor& batch) {
    const ModelForward f = run(Var(batch), false, false);
    if (stack_shape.empty()) {
      stack_shape = f.alarm_input.shape();
      for (const Var& a : f.activations) out.layer_channels.push_back(a.shape().back());
    }
    return f.alarm_input.value().to_vector();
  });
  stack_shape[0] = inputs.dim(0);
  out.stack = tensor_from(std::move(values), stack_shape);
  return out;
}

Tensor E2EConvA3::score_gradient(const Tensor& inputs, int64_t batch_size) {
  const bool reconstruction = config_.variant == Variant::reconstruction_only;
  const bool combined = !reconstruction && combined_score();
  std::vector<float> values = inference(
      inputs, batch_size,
      [&](const Tensor& batch) {
        Var x(batch, true);
        const ModelForward f = run(x, false, reconstruction || score_reconstructs());
        const Var s = reconstruction ? mse_per_sample(f.reconstruction, x) : combined ? combined_log_odds(x, f) : f.logits;
        // The score of each sample depends on that sample only (eval mode), so the gradient of the
        // batch's summed score holds each sample's own gradient.
        sum(s).backward();
        std::vector<float> gradient = x.grad().to_vector();
        zero_grad();
        return gradient;
      },
      true);
  return tensor_from(std::move(values), inputs.shape());
}

Tensor E2EConvA3::explain(const Tensor& inputs, int64_t batch_size) {
  Tensor attribution = score_gradient(inputs, batch_size);
  float* a = attribution.mutable_data();
  for (int64_t i = 0; i < attribution.numel(); ++i) a[i] *= inputs.data()[i];
  return attribution;
}

namespace {
float log_error(float e) { return std::log(std::max(e, 1e-12f)); }
// The same on a Var (the gradient is 0 where the error is below the floor).
Var log_error(const Var& e) { return log(clamp(e, 1e-12f, std::numeric_limits<float>::max())); }
struct Standardised {
  float mean, sd;
};
Standardised standardise(const std::vector<float>& values) {
  double sum = 0, squares = 0;
  for (float v : values) sum += v;
  const double mean = sum / double(values.size());
  for (float v : values) squares += (v - mean) * (v - mean);
  const double sd = std::sqrt(squares / double(std::max<size_t>(values.size() - 1, 1)));
  return {float(mean), float(std::max(sd, 1e-6))};
}
}  // namespace

// How far a row's inputs are from the middle of the training distribution, column by column:
// log of the mean square of its (quantile-normal or standardised) values over the counted
// continuous columns and of its categorical columns' squared rarity scores (set_category_rarity).
Var E2EConvA3::marginal_rarity(const Var& x) const {
  const int64_t n = x.dim(0), d = x.value().numel() / std::max<int64_t>(n, 1);
  const bool per_column = rarity_columns_.numel() == d;
  double counted = 0;
  for (int64_t j = 0; j < d; ++j) counted += per_column ? rarity_columns_.at(j) : 1.0;
  Tensor weights({n, d});  // 0 / 1 per column
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) weights.mutable_data()[i * d + j] = per_column ? rarity_columns_.at(j) : 1.f;
  const Var rows = reshape(x, {n, d});
  const Var mean_square = mse_per_sample(mul(rows, Var(weights)), Var(Tensor({n, d})));
  const int64_t categories = per_column && category_rarity_.numel() == d + 1 ? rarity_categories() : 0;
  if (categories == 0) return log_error(scale(mean_square, float(double(d) / std::max(counted, 1.0))));
  Tensor category_weights({d, 1});
  std::memcpy(category_weights.mutable_data(), category_rarity_.data(), size_t(d) * sizeof(float));
  const Var category_part = add_scalar(reshape(matmul(rows, Var(category_weights)), {n}), category_rarity_.at(d));
  return log_error(scale(add(scale(mean_square, float(d)), category_part), float(1.0 / (counted + double(categories)))));
}

int64_t E2EConvA3::rarity_categories() const {
  if (config_.is_image()) return 0;
  float most = 0;
  for (int64_t j = 0; j < category_columns_.numel(); ++j) most = std::max(most, category_columns_.at(j));
  return int64_t(std::lround(most));
}

std::string E2EConvA3::category_rarity_problem() const {
  if (config_.is_image()) return "";
  const int64_t d = category_columns_.numel();
  const float* w = category_rarity_.data();
  const float u = w[d];
  if (!(u >= 0)) return "tensor 'category_rarity' gives a value never seen a negative rarity";
  for (int64_t j = 0; j < d; ++j) {
    if (category_columns_.at(j) == 0.f && w[j] != 0.f) return detail::concat("tensor 'category_rarity' weighs numeric input ", j);
    if (!(w[j] + u >= 0)) return detail::concat("tensor 'category_rarity' gives input ", j, "'s category a negative rarity");
  }
  if (rarity_categories() == 0 && u != 0.f) return "tensor 'category_rarity' counts categorical columns the model does not have";
  return "";
}

void E2EConvA3::set_category_rarity(const std::vector<std::pair<int64_t, int64_t>>& blocks, const Tensor& normal,
                                    const std::vector<int64_t>& others) {
  const int64_t d = category_columns_.numel(), n = normal.dim(0);
  CA3_CHECK(!config_.is_image() && normal.numel() == n * d && n > 0, "category rarity needs normal rows [N, ", d, "], got ",
            shape_to_string(normal.shape()));
  float* r = category_rarity_.mutable_data();
  float* column = category_columns_.mutable_data();
  std::fill(r, r + d + 1, 0.f);
  std::fill(column, column + d, 0.f);
  float counted = 0;
  for (const auto& [first, width] : blocks) {
    if (width == 0) continue;
    CA3_CHECK(first >= 0 && width >= 0 && first + width <= d, "categorical inputs ", first, " + ", width, " outside ", d);
    // counts[k] rows with category k; counts[width] rows with none of them
    std::vector<double> counts(size_t(width) + 1, 0.0);
    for (int64_t i = 0; i < n; ++i) {
      const float* row = normal.data() + i * d + first;
      bool any = false;
      for (int64_t k = 0; k < width; ++k)
        if (row[k] > 0.5f) counts[size_t(k)] += 1, any = true;
      if (!any) counts[size_t(width)] += 1;
    }
    // The values beyond the preprocessing's most frequent (the category "(other)", and in files
    // before it, rows with none of the categories), each rarer than any kept: in every kept
    // category's tail, and their own tail is their share (half a row when there are none).
    int64_t other = -1;  // within the block
    for (int64_t input : others)
      if (input >= first && input < first + width) other = input - first;
    const double beyond = counts[size_t(width)] + (other >= 0 ? counts[size_t(other)] : 0.0);
    std::vector<double> squared_scores(counts.size());
    for (size_t k = 0; k < counts.size(); ++k) {
      double tail = 0;
      if (int64_t(k) == width) tail = counts[k];  // none of the categories: never seen (or, in files before "(other)", beyond)
      else if (int64_t(k) == other) tail = beyond;
      else {
        tail = beyond;
        for (int64_t j = 0; j < width; ++j) tail += j != other && counts[size_t(j)] <= counts[k] ? counts[size_t(j)] : 0.0;
      }
      tail = std::clamp(std::max(tail, 0.5) / double(n), 1e-12, 1.0);
      const double z = tail >= 1.0 ? 0.0 : normal_quantile(1.0 - tail / 2);
      squared_scores[k] = z * z;
    }
    const double none = squared_scores[size_t(width)];
    for (int64_t k = 0; k < width; ++k) r[first + k] = float(squared_scores[size_t(k)] - none);
    r[d] += float(none);
    counted += 1;
    std::fill(column + first, column + first + width, counted);
  }
}

std::vector<float> E2EConvA3::marginal_rarity(const Tensor& inputs) const { return marginal_rarity(Var(inputs)).value().to_vector(); }

std::vector<float> E2EConvA3::atypicality(const Tensor& inputs, int64_t batch_size) {
  std::vector<float> total = reconstruction_error(inputs, batch_size);
  for (float& e : total) e = log_error(e);
  const std::vector<float> rarity = marginal_rarity(inputs);
  const Standardised error = standardise(total), rare = standardise(rarity);
  for (size_t i = 0; i < total.size(); ++i) total[i] = (total[i] - error.mean) / error.sd + (rarity[i] - rare.mean) / rare.sd;
  return total;
}

namespace {
// For each row of x [N, d]: the centroid [N, d] of its k nearest rows of `reference` [M, d] and
// their mean squared distance per input from that centroid [N] (k = min(k_max, M)). The
// nearest are found with ||x||^2 + ||n||^2 - 2 x.n (a matrix product); what is returned is
// computed from the chosen rows themselves (no cancellation error for near-duplicate rows).
struct NearestRows {
  Tensor centroid, spread;
};
NearestRows nearest_rows(const Tensor& x, const Tensor& reference, int64_t k_max) {
  const int64_t n = x.dim(0), d = x.numel() / std::max<int64_t>(n, 1), m = reference.dim(0);
  const int64_t k = std::min(k_max, m);
  NearestRows out{Tensor({n, d}), Tensor({n})};
  const float* r = reference.data();
  std::vector<float> reference_norms(size_t(m), 0.f);
  for (int64_t j = 0; j < m; ++j)
    for (int64_t c = 0; c < d; ++c)
      reference_norms[size_t(j)] += r[j * d + c] * r[j * d + c];
  constexpr int64_t kChunk = 256;  // rows of x per matrix product
  std::vector<float> products(size_t(std::min(n, kChunk) * m));
  for (int64_t begin = 0; begin < n; begin += kChunk) {
    const int64_t rows = std::min(kChunk, n - begin);
    kernels().matmul(rows, m, d, x.data() + begin * d, false, r, true, nullptr, products.data());
    kernels().parallel_for(rows, 8, [&](int64_t first, int64_t last) {
      std::vector<float> best(static_cast<size_t>(k));
      std::vector<int64_t> index(static_cast<size_t>(k));
      for (int64_t i = first; i < last; ++i) {
        // One pass keeping the k smallest of ||n||^2 - 2 x.n (||x||^2 is the same for every
        // candidate), in order; on ties the lower index (as ONNX's TopK).
        const float* p = products.data() + i * m;
        int64_t held = 0;
        for (int64_t j = 0; j < m; ++j) {
          const float dj = reference_norms[size_t(j)] - 2 * p[j];
          if (held == k && !(dj < best[size_t(k - 1)])) continue;
          int64_t at = held < k ? held++ : k - 1;
          while (at > 0 && dj < best[size_t(at - 1)]) best[size_t(at)] = best[size_t(at - 1)], index[size_t(at)] = index[size_t(at - 1)], --at;
          best[size_t(at)] = dj, index[size_t(at)] = j;
        }
        float* centroid = out.centroid.mutable_data() + (begin + i) * d;
        for (int64_t q = 0; q < k; ++q)
          for (int64_t c = 0; c < d; ++c) centroid[c] += r[index[size_t(q)] * d + c] / float(k);
        double spread = 0;
        for (int64_t q = 0; q < k; ++q)
          for (int64_t c = 0; c < d; ++c) {
            const double e = r[index[size_t(q)] * d + c] - centroid[c];
            spread += e * e;
          }
        out.spread.mutable_data()[begin + i] = float(spread / double(k * d));
      }
    });
  }
  return out;
}
}  // namespace

int64_t E2EConvA3::neighbour_pool_factor() const {
  if (!config_.is_image()) return 1;
  const Shape& s = config_.sample_shape;
  return std::max<int64_t>(1, (std::max(s[0], s[1]) + 15) / 16);
}

int64_t E2EConvA3::neighbour_embedding_size() const {
  const Shape& s = config_.sample_shape;
  if (!config_.is_image()) return s.at(0) + rarity_categories();
  const int64_t f = neighbour_pool_factor();
  return ((s[0] + f - 1) / f) * ((s[1] + f - 1) / f) * s[2];
}

void E2EConvA3::set_neighbour_scales(const std::vector<float>& spans) {
  CA3_CHECK(int64_t(spans.size()) == neighbour_scales_.numel() && !config_.is_image(), spans.size(),
            " two-value spans for a model of ", neighbour_scales_.numel(), " inputs");
  for (size_t j = 0; j < spans.size(); ++j)
    neighbour_scales_.mutable_data()[j] = spans[j] > 0 && std::isfinite(spans[j]) ? std::sqrt(2.f) / spans[j] : 1.f;
}

bool E2EConvA3::neighbour_scaled() const {
  if (config_.is_image()) return false;
  for (int64_t j = 0; j < neighbour_scales_.numel(); ++j)
    if (neighbour_scales_.at(j) != 1.f) return true;
  return false;
}

std::string E2EConvA3::neighbour_scales_problem() const {
  for (int64_t j = 0; j < neighbour_scales_.numel(); ++j) {
    const float scale = neighbour_scales_.at(j);
    if (!(scale > 0) || (config_.is_image() && scale != 1.f))
      return detail::concat("tensor 'neighbour_scales' holds ", scale, " for input ", j,
                            config_.is_image() ? " (an image model's is 1)" : " (a scale is more than 0)");
  }
  return "";
}

Var E2EConvA3::neighbour_embedding(const Var& x) const {
  const int64_t n = x.dim(0), f = neighbour_pool_factor();
  if (!config_.is_image()) {
    const int64_t d = config_.sample_shape.at(0), categories = rarity_categories();
    Var rows = reshape(x, {n, d});
    if (neighbour_scaled()) {
      Tensor scales({n, d});
      for (int64_t i = 0; i < n; ++i) std::memcpy(scales.mutable_data() + i * d, neighbour_scales_.data(), size_t(d) * sizeof(float));
      rows = mul(rows, Var(scales));
    }
    if (categories == 0) return rows;
    Tensor membership({d, categories});  // input j of categorical column k -> [j, k - 1] = 1
    for (int64_t j = 0; j < d; ++j)
      if (const int64_t k = std::lround(category_columns_.at(j)); k > 0) membership.mutable_data()[j * categories + k - 1] = 1.f;
    return concat_channels({rows, add_scalar(scale(matmul(rows, Var(membership)), -1.f), 1.f)});
  }
  const Shape& s = config_.sample_shape;
  return reshape(adaptive_avg_pool2d(x, (s[0] + f - 1) / f, (s[1] + f - 1) / f), {n, neighbour_embedding_size()});
}

Tensor E2EConvA3::neighbour_embedding(const Tensor& inputs) const { return neighbour_embedding(Var(inputs)).value(); }

void E2EConvA3::set_neighbours(const Tensor& embeddings) {
  const int64_t d = neighbour_embedding_size();
  CA3_CHECK(embeddings.numel() == embeddings.dim(0) * d, "neighbours must be [M, ", d, "], got ", shape_to_string(embeddings.shape()));
  neighbours_ = Tensor({embeddings.dim(0), d});
  if (embeddings.numel() > 0) std::memcpy(neighbours_.mutable_data(), embeddings.data(), size_t(embeddings.numel()) * sizeof(float));
}

void E2EConvA3::set_neighbour_count(int64_t k) {
  CA3_CHECK(k >= 1, "the neighbour distance needs k >= 1 nearest neighbours, got ", k);
  neighbour_count_ = k;
}

Var E2EConvA3::neighbour_distance(const Var& x) const {
  CA3_CHECK(neighbours_.dim(0) > 0, "the model has no neighbours");
  const Var e = neighbour_embedding(x);
  const NearestRows near = nearest_rows(e.value(), neighbours_, neighbour_count_);
  Var squared = add(mse_per_sample(e, Var(near.centroid)), Var(near.spread));
  if (const float offset = neighbour_distance_offset(); offset != 0.f) squared = add_scalar(squared, offset);
  return log_error(squared);
}

std::vector<float> E2EConvA3::neighbour_distance(const Tensor& inputs) const {
  return neighbour_distance(Var(inputs)).value().to_vector();
}

namespace {

// Which embedding value holds a row input's "none of the column's categories" (E2EConvA3::
// neighbour_embedding): for each of the d inputs, -1 for a numeric one.
std::vector<int64_t> category_extras(const Tensor& category_columns, int64_t d) {
  std::vector<int64_t> extra(size_t(d), -1);
  for (int64_t j = 0; j < d; ++j)
    if (const int64_t k = std::lround(category_columns.data()[j]); k > 0) extra[size_t(j)] = d + k - 1;
  return extra;
}

// Sets a row's inputs marked in `which` [d] (all when null) from its neighbours' mean embedding
// `centroid`: a numeric input their mean (unscaled), a categorical column's inputs the category
// most of them take, or none of them when most take a value outside its inputs.
void set_from_neighbours(float* row, const float* centroid, const std::vector<int64_t>& extra, const float* scales,
                         const uint8_t* which) {
  const int64_t d = int64_t(extra.size());
  for (int64_t j = 0; j < d; ++j) {
    if (which && !which[j]) continue;
    if (extra[size_t(j)] < 0) {
      row[j] = centroid[j] / scales[j];
      continue;
    }
    int64_t end = j;  // the column's inputs j .. end - 1
    while (end < d && extra[size_t(end)] == extra[size_t(j)]) ++end;
    int64_t best = j;
    for (int64_t c = j; c < end; ++c)
      if (centroid[c] > centroid[best]) best = c;
    for (int64_t c = j; c < end; ++c) row[c] = c == best && centroid[best] >= centroid[extra[size_t(j)]] ? 1.f : 0.f;
    j = end - 1;
  }
}

}  // namespace

void E2EConvA3::fill_from_neighbours(Tensor& inputs, const std::vector<uint8_t>& missing) const {
  CA3_CHECK(!config_.is_image(), "only rows are filled from their neighbours");
  const int64_t n = inputs.dim(0), d = config_.sample_shape.at(0);
  CA3_CHECK(inputs.numel() == n * d && missing.size() == size_t(n * d), "fill_from_neighbours: inputs ", shape_to_string(inputs.shape()),
            " and ", missing.size(), " missing marks for rows of ", d, " inputs");
  if (neighbours_.dim(0) == 0 || n == 0) return;
  // The rows missing some inputs, not all: each missing one as the row's like rows have it.
  std::vector<int64_t> rows;
  for (int64_t i = 0; i < n; ++i) {
    const auto first = missing.begin() + i * d, last = first + d;
    if (std::find(first, last, 1) != last && std::find(first, last, 0) != last) rows.push_back(i);
  }
  if (rows.empty()) return;
  Tensor chosen({int64_t(rows.size()), d});
  std::vector<uint8_t> gone;
  gone.reserve(rows.size() * size_t(d));
  for (size_t i = 0; i < rows.size(); ++i) {
    std::memcpy(chosen.mutable_data() + int64_t(i) * d, inputs.data() + rows[i] * d, size_t(d) * sizeof(float));
    gone.insert(gone.end(), missing.begin() + rows[i] * d, missing.begin() + (rows[i] + 1) * d);
  }
  const Tensor like = like_rows(chosen, gone);
  float* x = inputs.mutable_data();
  for (size_t i = 0; i < rows.size(); ++i)
    for (int64_t j = 0; j < d; ++j)
      if (gone[i * size_t(d) + size_t(j)]) x[rows[i] * d + j] = like.data()[int64_t(i) * d + j];
}

Tensor E2EConvA3::like_rows(const Tensor& inputs, const std::vector<uint8_t>& missing, Tensor* each) const {
  CA3_CHECK(!config_.is_image(), "only rows have like rows");
  const int64_t n = inputs.dim(0), d = config_.sample_shape.at(0), width = neighbour_embedding_size();
  CA3_CHECK(inputs.numel() == n * d && missing.size() == size_t(n * d), "like_rows: inputs ", shape_to_string(inputs.shape()), " and ",
            missing.size(), " missing marks for rows of ", d, " inputs");
  Tensor out = inputs.clone();
  const int64_t m = neighbours_.dim(0), k = neighbour_count();
  if (each) {
    *each = Tensor({n, k, d});
    for (int64_t i = 0; i < n; ++i)
      for (int64_t q = 0; q < k; ++q)
        std::memcpy(each->mutable_data() + (i * k + q) * d, inputs.data() + i * d, size_t(d) * sizeof(float));
  }
  if (m == 0 || n == 0) return out;
  const std::vector<int64_t> extra = category_extras(category_columns_, d);
  // The columns: each embedding value's, and each column's first input.
  std::vector<int64_t> column_of(size_t(width), 0), first_input;
  for (int64_t j = 0; j < d; ++j) {
    if (j == 0 || extra[size_t(j)] < 0 || extra[size_t(j)] != extra[size_t(j - 1)]) first_input.push_back(j);
    column_of[size_t(j)] = int64_t(first_input.size()) - 1;
    if (extra[size_t(j)] >= 0) column_of[size_t(extra[size_t(j)])] = column_of[size_t(j)];
  }
  const int64_t columns = int64_t(first_input.size());
  const Tensor e = neighbour_embedding(inputs);
  const float* r = neighbours_.data();
  kernels().parallel_for(n, 1, [&](int64_t first, int64_t last) {
    std::vector<float> cap(static_cast<size_t>(width)), centroid(static_cast<size_t>(width)), total(static_cast<size_t>(m));
    std::vector<float> part(static_cast<size_t>(m * columns)), most(static_cast<size_t>(columns)), smallest(static_cast<size_t>(k));
    std::vector<std::pair<float, int64_t>> best, near;
    best.reserve(size_t(m)), near.reserve(size_t(m));
    for (int64_t i = first; i < last; ++i) {
      const uint8_t* gone = missing.data() + i * d;
      if (std::find(gone, gone + d, 0) == gone + d) continue;  // nothing to compare by
      // What a value present can add to the squared distance: a measurement at most 1 (in
      // standardised units), half what a category that differs adds (two one-hot inputs, 1 apart
      // each; a 0/1 flag is scaled so, and counts as one), so that a value far out does not choose
      // the rows it is compared with: the row's kind does, and its other values.
      std::fill(cap.begin(), cap.end(), 0.f);
      for (int64_t j = 0; j < d; ++j)
        if (!gone[j]) {
          const bool measurement = extra[size_t(j)] < 0 && neighbour_scales_.data()[j] == 1.f;
          cap[size_t(j)] = cap[size_t(std::max(extra[size_t(j)], j))] = measurement ? 1.f : INFINITY;
        }
      const float* x = e.data() + i * width;
      std::fill(part.begin(), part.end(), 0.f);
      std::fill(most.begin(), most.end(), 0.f);
      std::fill(smallest.begin(), smallest.end(), INFINITY);  // the k smallest totals, in order
      for (int64_t q = 0; q < m; ++q) {
        const float* y = r + q * width;
        float* p = part.data() + q * columns;
        if (columns == width)  // (each column one value: a loop the compiler vectorises)
          for (int64_t c = 0; c < width; ++c) p[c] = std::min((x[c] - y[c]) * (x[c] - y[c]), cap[size_t(c)]);
        else
          for (int64_t c = 0; c < width; ++c) p[column_of[size_t(c)]] += std::min((x[c] - y[c]) * (x[c] - y[c]), cap[size_t(c)]);
        total[size_t(q)] = std::accumulate(p, p + columns, 0.f);
        for (int64_t g = 0; g < columns; ++g) most[size_t(g)] = std::max(most[size_t(g)], p[g]);
        if (total[size_t(q)] < smallest[size_t(k - 1)]) {
          int64_t at = k - 1;
          for (; at > 0 && total[size_t(q)] < smallest[size_t(at - 1)]; --at) smallest[size_t(at)] = smallest[size_t(at - 1)];
          smallest[size_t(at)] = total[size_t(q)];
        }
      }
      // Each search below leaves out some columns, which lowers a row's distance by at most what
      // those columns add to any row (`most`): its k nearest lie within that of the k-th smallest
      // distance by all columns. Only the rows in reach are searched.
      const float kth = smallest[size_t(k - 1)], widest = *std::max_element(most.begin(), most.end());
      // (and the sums' rounding)
      const auto reach = [&](float leaving_out) { return kth + leaving_out + 1e-4f * (1 + kth + leaving_out); };
      const auto gather = [&](float leaving_out) {
        near.clear();
        for (int64_t q = 0; q < m; ++q)
          if (total[size_t(q)] <= reach(leaving_out)) near.emplace_back(total[size_t(q)], q);
      };
      gather(widest);
      // The columns whose value lies off what the row's other columns lead one to expect: more
      // than 3 sd of the rows most like it in those other columns (at least 0.1 of a standardised
      // unit) from their mean.
      std::vector<uint8_t> off(static_cast<size_t>(columns), 0);
      for (int64_t g = 0; g < columns; ++g) {
        if (gone[first_input[size_t(g)]]) continue;
        best.clear();
        for (const auto& [distance, q] : near) {
          if (distance > reach(most[size_t(g)])) continue;
          best.emplace_back(total[size_t(q)] - part[size_t(q * columns + g)], q);
        }
        std::partial_sort(best.begin(), best.begin() + k, best.end());  // (ties: the lower index)
        double deviation = 0, spread = 0;
        for (int64_t c = 0; c < width; ++c) {
          if (column_of[size_t(c)] != g) continue;
          double mean = 0, square = 0;
          for (int64_t q = 0; q < k; ++q) {
            const double v = r[best[size_t(q)].second * width + c];
            mean += v / double(k), square += v * v / double(k);
          }
          deviation += (x[c] - mean) * (x[c] - mean);
          spread += std::max(square - mean * mean, 0.0) + 0.01;
        }
        off[size_t(g)] = deviation > 9 * spread;
      }
      // The rows most like this one in its columns that are not off (all present ones when every
      // one is): their mean, a row of the kind the row's other values say, whole.
      const bool any_kept = std::any_of(first_input.begin(), first_input.end(),
                                        [&](int64_t j) { return !gone[j] && !off[size_t(column_of[size_t(j)])]; });
      float left_out = 0;
      for (int64_t g = 0; g < columns; ++g)
        if (any_kept && off[size_t(g)]) left_out += most[size_t(g)];
      if (left_out > widest) gather(left_out);
      // (rows as near by those columns, as many as share a value of the one column kept: the
      // nearest by all of them first)
      best.clear();
      for (const auto& [all, q] : near) {
        if (all > reach(left_out)) continue;
        float distance = 0;
        for (int64_t g = 0; g < columns; ++g)
          if (!any_kept || !off[size_t(g)]) distance += part[size_t(q * columns + g)];
        best.emplace_back(distance + 1e-3f * total[size_t(q)], q);
      }
      std::partial_sort(best.begin(), best.begin() + k, best.end());
      std::fill(centroid.begin(), centroid.end(), 0.f);
      for (int64_t q = 0; q < k; ++q)
        for (int64_t c = 0; c < width; ++c) centroid[size_t(c)] += r[best[size_t(q)].second * width + c] / float(k);
      set_from_neighbours(out.mutable_data() + i * d, centroid.data(), extra, neighbour_scales_.data(), nullptr);
      if (each)
        for (int64_t q = 0; q < k; ++q)
          set_from_neighbours(each->mutable_data() + (i * k + q) * d, r + best[size_t(q)].second * width, extra, neighbour_scales_.data(),
                              nullptr);
    }
  });
  return out;
}

// The combined score before its sigmoid: the standardised alarm logit and log reconstruction
// error (and for rows the marginal rarity and the neighbour distance, weighted rarity_weight and
// neighbour_weight), their weighted mean; or (mode 4) the alarm logit and the weighted neighbour distance; or (mode 5) mode 3's
// terms without the alarm. [N]
Var E2EConvA3::combined_log_odds(const Var& x, const ModelForward& f) const {
  const float* r = score_reference_.data();
  auto standardised = [](const Var& v, float mean, float sd) { return scale(add_scalar(v, -mean), 1.f / sd); };
  if (r[0] == 4.f)  // the alarm and the neighbour distance
    return scale(add(standardised(reshape(f.logits, {x.dim(0)}), r[1], r[2]), scale(standardised(neighbour_distance(x), r[7], r[8]), r[11])),
                 1.f / (1.f + r[11]));
  const bool alarm = r[0] != 5.f;
  Var z = standardised(log_error(mse_per_sample(f.reconstruction, x)), r[3], r[4]);
  float parts = 1;
  if (alarm) z = add(standardised(reshape(f.logits, {x.dim(0)}), r[1], r[2]), z), parts += 1;
  if (r[0] > 1.5f) z = add(z, scale(standardised(marginal_rarity(x), r[5], r[6]), r[10])), parts += r[10];
  if (r[0] > 2.5f) z = add(z, scale(standardised(neighbour_distance(x), r[7], r[8]), r[11])), parts += r[11];
  return scale(z, 1.f / parts);
}

void E2EConvA3::set_rarity_columns(const std::vector<uint8_t>& counts) {
  CA3_CHECK(int64_t(counts.size()) == rarity_columns_.numel(), counts.size(), " rarity flags for ",
            rarity_columns_.numel(), " inputs");
  for (size_t j = 0; j < counts.size(); ++j) rarity_columns_.mutable_data()[j] = counts[j] ? 1.f : 0.f;
}

std::string E2EConvA3::score_name() const {
  if (variant() == Variant::reconstruction_only) return "reconstruction";
  static const char* const names[] = {"alarm", "combined", "combined_rarity", "combined_neighbours", "alarm_neighbours",
                                      "combined_without_alarm"};
  return names[std::clamp(int(std::lround(score_mode())), 0, 5)];
}

void E2EConvA3::set_score_reference(float mode, const Tensor& normal, const std::function<Tensor()>& spread) {
  CA3_CHECK(normal.dim(0) >= 2, "the score's reference needs at least two normal samples");
  // A term equal on every normal sample (all of them repeats of training rows, say) has no spread
  // to standardise by: at standardise's floor any other sample would lie a million sds away and
  // score 1, the top, tied with every other such sample. Its spread over `spread` stands in
  // (taken once, when the first such term needs it).
  std::optional<Tensor> spread_samples;
  const auto measure = [&](const auto& term) {
    Standardised s = standardise(term(normal));
    if (spread && s.sd <= 1e-5f * std::max(1.f, std::fabs(s.mean))) {
      if (!spread_samples) spread_samples = spread();
      if (spread_samples->dim(0) >= 2) s.sd = std::max(s.sd, standardise(term(*spread_samples)).sd);
    }
    return s;
  };
  float* r = score_reference_.mutable_data();
  r[0] = mode;
  r[9] = mode > 2.5f && !config_.is_image() ? kNeighbourDistanceOffset : 0.f;
  const bool rows_with_distance = (mode == 3.f || mode == 5.f) && !config_.is_image();
  r[10] = rows_with_distance ? kRarityWeight : 1.f;
  r[11] = rows_with_distance ? kRowsNeighbourWeight : kNeighbourWeight;
  const Standardised logit = measure([&](const Tensor& t) { return alarm_logit(t); });
  r[1] = logit.mean, r[2] = logit.sd;
  if (mode != 4.f) {
    const Standardised error = measure([&](const Tensor& t) {
      std::vector<float> errors = reconstruction_error(t);
      for (float& e : errors) e = log_error(e);
      return errors;
    });
    const Standardised rarity = measure([&](const Tensor& t) { return marginal_rarity(t); });
    r[3] = error.mean, r[4] = error.sd, r[5] = rarity.mean, r[6] = rarity.sd;
  }
  if (mode > 2.5f) {
    const Standardised distance = measure([&](const Tensor& t) { return neighbour_distance(t); });
    r[7] = distance.mean, r[8] = distance.sd;
  }
}

std::vector<float> E2EConvA3::score(const Tensor& inputs, int64_t batch_size) {
  if (config_.variant == Variant::reconstruction_only) return reconstruction_error(inputs, batch_size);
  if (!combined_score()) return alarm_probability(inputs, batch_size);
  return inference(inputs, batch_size, [&](const Tensor& batch) {
    Var x(batch);
    std::vector<float> out = combined_log_odds(x, run(x, false, score_reconstructs())).value().to_vector();
    for (float& z : out) z = 1.f / (1.f + std::exp(-z));
    return out;
  });
}

void E2EConvA3::set_modes(bool target_training, bool alarm_training) {
  Module::train(target_training || alarm_training);
  target_->train(target_training);
  alarm_->train(alarm_training);
}

}  // namespace ca3
