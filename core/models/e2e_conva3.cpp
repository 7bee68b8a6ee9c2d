#include "core/models/e2e_conva3.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

#include "core/error.h"
#include "core/ops/ops.h"

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

void E2EOptions::validate() const {
  CA3_CHECK(gamma >= 0.f && std::isfinite(gamma), "gamma must be a finite value >= 0, got ", gamma);
  CA3_CHECK(beta >= 0.f && std::isfinite(beta), "beta must be a finite value >= 0, got ", beta);
}

E2EConvA3::E2EConvA3(E2EOptions options) : options_(options), noise_rng_(options.seed + 1) { options_.validate(); }

void E2EConvA3::check_inputs(const Tensor& inputs) const {
  const Shape expected = sample_shape();
  bool ok = inputs.rank() == int64_t(expected.size()) + 1;
  for (size_t i = 0; ok && i < expected.size(); ++i) ok = inputs.dim(int(i) + 1) == expected[i];
  if (!ok) {
    std::string wanted = "[N";
    for (int64_t d : expected) wanted += ", " + std::to_string(d);
    throw Error("the model expects inputs " + wanted + "], got " + shape_to_string(inputs.shape()));
  }
  const float* p = inputs.data();
  const int64_t per_sample = inputs.numel() / std::max<int64_t>(inputs.dim(0), 1);
  for (int64_t i = 0; i < inputs.numel(); ++i)
    CA3_CHECK(std::isfinite(p[i]), "sample ", i / per_sample, ", value ", i % per_sample, " is not a finite number");
}

Var E2EConvA3::latent(const Var& mu, const Var& log_variance, bool sample) {
  if (!sample) return mu;
  Tensor noise = Tensor::normal(mu.shape(), 0.f, 1.f, noise_rng_);
  return add(mu, mul(ca3::exp(scale(log_variance, 0.5f)), Var(noise)));
}

LossParts E2EConvA3::loss(const Tensor& inputs, const std::vector<int>& labels, LossTerms terms) {
  check_inputs(inputs);
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
  ModelForward f = run(x, is_training() && terms.target);
  const Var mse = mse_per_sample(f.reconstruction, x);  // [N]
  Var per_sample = mse;
  Var kl;
  if (options_.variational) {
    // KL per latent element, so that beta weighs it like the per-element MSE.
    kl = scale(gaussian_kl(f.mu, f.log_variance), 1.f / float(f.mu.numel() / n));
    per_sample = add(per_sample, scale(kl, options_.beta));
  }
  Var bce = bce_with_logits(f.logits, targets);
  Var total;
  if (terms.target) total = mul(per_sample, Var(normal_mask));
  if (terms.alarm) total = total.defined() ? add(total, scale(bce, options_.gamma)) : bce;
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
    Module& model;
    bool was_training;
    explicit EvalMode(Module& m) : model(m), was_training(m.is_training()) { model.eval(); }
    ~EvalMode() { model.train(was_training); }
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

Tensor E2EConvA3::explain(const Tensor& inputs, int64_t batch_size) {
  const bool reconstruction = options_.variant == Variant::reconstruction_only;
  std::vector<float> values = inference(
      inputs, batch_size,
      [&](const Tensor& batch) {
        Var x(batch, true);
        const ModelForward f = run(x, false, reconstruction);
        // The score of each sample depends on that sample only (eval mode), so the gradient of the
        // batch's summed score holds each sample's own gradient.
        sum(reconstruction ? mse_per_sample(f.reconstruction, x) : sigmoid(f.logits)).backward();
        std::vector<float> attribution = x.grad().to_vector();
        for (size_t i = 0; i < attribution.size(); ++i) attribution[i] *= batch.data()[i];
        zero_grad();
        return attribution;
      },
      true);
  return tensor_from(std::move(values), inputs.shape());
}

std::vector<float> E2EConvA3::score(const Tensor& inputs, int64_t batch_size) {
  return options_.variant == Variant::reconstruction_only ? reconstruction_error(inputs, batch_size)
                                                          : alarm_probability(inputs, batch_size);
}

static bool is_alarm(const std::string& name) { return name.rfind(kAlarmPrefix, 0) == 0; }

std::vector<Var> E2EConvA3::target_parameters() const {
  std::vector<Var> out;
  for (auto& [name, p] : named_parameters())
    if (!is_alarm(name)) out.push_back(p);
  return out;
}

std::vector<Var> E2EConvA3::alarm_parameters() const {
  std::vector<Var> out;
  for (auto& [name, p] : named_parameters())
    if (is_alarm(name)) out.push_back(p);
  return out;
}

void E2EConvA3::set_modes(bool target_training, bool alarm_training) {
  train(target_training);
  for (auto& [name, child] : named_children()) child->train(is_alarm(name) ? alarm_training : target_training);
}

}  // namespace ca3
