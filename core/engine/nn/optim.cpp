#include "core/engine/nn/optim.h"

#include <cmath>

#include "core/engine/error.h"
#include "core/engine/kernels/kernels.h"

namespace ca3 {

Optimizer::Optimizer(std::vector<Var> parameters) : parameters_(std::move(parameters)) {
  for (const Var& p : parameters_)
    CA3_CHECK(p.defined() && p.requires_grad(), "optimizer: every parameter must require a gradient");
}

void Optimizer::zero_grad() {
  for (Var& p : parameters_) p.zero_grad();
}

Adam::Adam(std::vector<Var> parameters, AdamOptions options) : Optimizer(std::move(parameters)), options(options) {
  CA3_CHECK(options.learning_rate > 0.f, "Adam: learning rate must be positive");
  CA3_CHECK(options.beta1 >= 0.f && options.beta1 < 1.f && options.beta2 >= 0.f && options.beta2 < 1.f,
            "Adam: betas must be in [0, 1)");
  for (const Var& p : parameters_) {
    first_moment_.emplace_back(p.shape());
    second_moment_.emplace_back(p.shape());
  }
}

void Adam::step() {
  ++step_count_;
  const double correction1 = 1.0 - std::pow(double(options.beta1), double(step_count_));
  const double correction2 = 1.0 - std::pow(double(options.beta2), double(step_count_));
  const float step_size = float(options.learning_rate / correction1);
  const float sqrt_correction2 = float(std::sqrt(correction2));
  for (size_t i = 0; i < parameters_.size(); ++i) {
    Var& p = parameters_[i];
    const Tensor& grad = p.grad();
    if (grad.empty()) continue;  // no gradient reached this parameter
    float* w = p.mutable_value().mutable_data();
    const float* g = grad.data();
    float* m = first_moment_[i].mutable_data();
    float* v = second_moment_[i].mutable_data();
    const AdamOptions& o = options;
    // About 8 operations an element (a square root and a division among them).
    kernels().parallel_for(grad.numel(), parallel_items(8), [&](int64_t begin, int64_t end) {
      for (int64_t k = begin; k < end; ++k) {
        const float gk = g[k] + o.weight_decay * w[k];
        m[k] = o.beta1 * m[k] + (1.f - o.beta1) * gk;
        v[k] = o.beta2 * v[k] + (1.f - o.beta2) * gk * gk;
        w[k] -= step_size * m[k] / (std::sqrt(v[k]) / sqrt_correction2 + o.epsilon);
      }
    });
  }
}

Sgd::Sgd(std::vector<Var> parameters, SgdOptions options) : Optimizer(std::move(parameters)), options(options) {
  CA3_CHECK(options.learning_rate > 0.f, "SGD: learning rate must be positive");
  for (const Var& p : parameters_) velocity_.emplace_back(p.shape());
}

void Sgd::step() {
  for (size_t i = 0; i < parameters_.size(); ++i) {
    Var& p = parameters_[i];
    const Tensor& grad = p.grad();
    if (grad.empty()) continue;
    float* w = p.mutable_value().mutable_data();
    const float* g = grad.data();
    float* v = velocity_[i].mutable_data();
    for (int64_t k = 0; k < grad.numel(); ++k) {
      float d = g[k] + options.weight_decay * w[k];
      if (options.momentum != 0.f) {
        v[k] = first_step_ ? d : options.momentum * v[k] + d;
        d = v[k];
      }
      w[k] -= options.learning_rate * d;
    }
  }
  first_step_ = false;
}

}  // namespace ca3
