#include "core/engine/ops/loss.h"

#include <cmath>

#include "core/engine/error.h"

namespace ca3 {

Var mse_per_sample(const Var& prediction, const Var& target) {
  CA3_CHECK(prediction.shape() == target.shape(), "mse: prediction ", shape_to_string(prediction.shape()),
            " and target ", shape_to_string(target.shape()), " differ");
  CA3_CHECK(prediction.value().rank() >= 1 && prediction.dim(0) > 0, "mse: empty batch");
  const int64_t n = prediction.dim(0), per_sample = prediction.numel() / n;
  Tensor out({n});
  const float *pp = prediction.value().data(), *pt = target.value().data();
  for (int64_t i = 0; i < n; ++i) {
    double total = 0.0;
    for (int64_t j = 0; j < per_sample; ++j) {
      const double d = double(pp[i * per_sample + j]) - pt[i * per_sample + j];
      total += d * d;
    }
    out.mutable_data()[i] = float(total / double(per_sample));
  }
  return make_result(out, {prediction, target}, [n, per_sample, p = prediction.value(), t = target.value()](Node& self) {
    const float *pp = p.data(), *pt = t.data(), *dy = self.grad.data();
    Tensor g(p.shape());
    float* pg = g.mutable_data();
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < per_sample; ++j) {
        const int64_t k = i * per_sample + j;
        pg[k] = 2.f * (pp[k] - pt[k]) * dy[i] / float(per_sample);
      }
    if (input_needs_grad(self, 1)) {
      Tensor neg = g.clone();
      neg.scale_(-1.f);
      accumulate_grad(self, 1, std::move(neg));
    }
    accumulate_grad(self, 0, std::move(g));
  });
}

Var bce_with_logits(const Var& logits, const Tensor& targets) {
  const int64_t n = logits.value().rank() >= 1 ? logits.dim(0) : 0;
  CA3_CHECK(n > 0 && logits.numel() == n, "bce_with_logits: logits must be [N] or [N,1], got ",
            shape_to_string(logits.shape()));
  CA3_CHECK(targets.numel() == n, "bce_with_logits: ", targets.numel(), " targets for ", n, " logits");
  Tensor out({n});
  const float *pz = logits.value().data(), *py = targets.data();
  for (int64_t i = 0; i < n; ++i) {
    const float z = pz[i];
    out.mutable_data()[i] = std::max(z, 0.f) - z * py[i] + std::log1p(std::exp(-std::fabs(z)));
  }
  return make_result(out, {logits}, [targets, n, z_values = logits.value()](Node& self) {
    const float *pz = z_values.data(), *py = targets.data(), *dy = self.grad.data();
    Tensor g(z_values.shape());
    for (int64_t i = 0; i < n; ++i) {
      const float z = pz[i];
      const float s = z >= 0.f ? 1.f / (1.f + std::exp(-z)) : std::exp(z) / (1.f + std::exp(z));
      g.mutable_data()[i] = (s - py[i]) * dy[i];
    }
    accumulate_grad(self, 0, std::move(g));
  });
}

Var gaussian_kl(const Var& mu, const Var& log_var) {
  CA3_CHECK(mu.shape() == log_var.shape(), "gaussian_kl: mu ", shape_to_string(mu.shape()), " and log_var ",
            shape_to_string(log_var.shape()), " differ");
  const int64_t n = mu.dim(0), per_sample = mu.numel() / n;
  Tensor out({n});
  const float *pm = mu.value().data(), *pv = log_var.value().data();
  for (int64_t i = 0; i < n; ++i) {
    double total = 0.0;
    for (int64_t j = 0; j < per_sample; ++j) {
      const int64_t k = i * per_sample + j;
      total += -0.5 * (1.0 + pv[k] - double(pm[k]) * pm[k] - std::exp(double(pv[k])));
    }
    out.mutable_data()[i] = float(total);
  }
  return make_result(out, {mu, log_var}, [n, per_sample, m = mu.value(), v = log_var.value()](Node& self) {
    const float *pm = m.data(), *pv = v.data(), *dy = self.grad.data();
    if (input_needs_grad(self, 0)) {
      Tensor g(m.shape());
      for (int64_t k = 0; k < n * per_sample; ++k) g.mutable_data()[k] = pm[k] * dy[k / per_sample];
      accumulate_grad(self, 0, std::move(g));
    }
    if (input_needs_grad(self, 1)) {
      Tensor g(v.shape());
      for (int64_t k = 0; k < n * per_sample; ++k)
        g.mutable_data()[k] = 0.5f * (std::exp(pv[k]) - 1.f) * dy[k / per_sample];
      accumulate_grad(self, 1, std::move(g));
    }
  });
}

}  // namespace ca3
