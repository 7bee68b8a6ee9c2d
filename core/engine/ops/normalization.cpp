#include "core/engine/ops/normalization.h"

#include <cmath>
#include <vector>

#include "core/engine/error.h"

namespace ca3 {

Var batch_norm(const Var& x, const Var& gamma, const Var& beta, Tensor& running_mean, Tensor& running_var,
               bool training, float momentum, float epsilon, const std::vector<uint8_t>& statistics_samples) {
  const Tensor& xv = x.value();
  CA3_CHECK(xv.rank() >= 2, "batch_norm: input must have a batch and a channel axis, got ",
            shape_to_string(xv.shape()));
  const int64_t channels = xv.dim(-1);
  const int64_t count = xv.numel() / channels;
  CA3_CHECK(gamma.numel() == channels && beta.numel() == channels && running_mean.numel() == channels &&
                running_var.numel() == channels,
            "batch_norm: parameters do not match ", channels, " channels");
  // Rows of the [count, channels] view that the statistics come from: all, or those of the
  // flagged samples (each sample holds count / N rows).
  const int64_t samples = xv.dim(0), rows_per_sample = samples > 0 ? count / samples : 0;
  std::shared_ptr<std::vector<uint8_t>> in_statistics;
  int64_t stat_count = count;
  if (training && !statistics_samples.empty()) {
    CA3_CHECK(int64_t(statistics_samples.size()) == samples, "batch_norm: ", statistics_samples.size(),
              " statistics flags for ", samples, " samples");
    in_statistics = std::make_shared<std::vector<uint8_t>>(size_t(count));
    stat_count = 0;
    for (int64_t i = 0; i < count; ++i) {
      (*in_statistics)[size_t(i)] = statistics_samples[size_t(i / rows_per_sample)] != 0;
      stat_count += (*in_statistics)[size_t(i)];
    }
  }
  CA3_CHECK(!training || stat_count > 1, "batch_norm: training needs more than one value per channel (batch of 1?)");
  auto counts = [&](int64_t i) { return !in_statistics || (*in_statistics)[size_t(i)]; };

  std::vector<double> mean(size_t(channels), 0.0), var(size_t(channels), 0.0);
  const float* px = xv.data();
  if (training) {
    for (int64_t i = 0; i < count; ++i)
      if (counts(i))
        for (int64_t c = 0; c < channels; ++c) mean[size_t(c)] += px[i * channels + c];
    for (auto& m : mean) m /= double(stat_count);
    for (int64_t i = 0; i < count; ++i)
      if (counts(i))
        for (int64_t c = 0; c < channels; ++c) {
          const double d = px[i * channels + c] - mean[size_t(c)];
          var[size_t(c)] += d * d;
        }
    float* rm = running_mean.mutable_data();
    float* rv = running_var.mutable_data();
    for (int64_t c = 0; c < channels; ++c) {
      const double biased = var[size_t(c)] / double(stat_count);
      const double unbiased = var[size_t(c)] / double(stat_count - 1);
      var[size_t(c)] = biased;
      rm[c] = float((1.0 - momentum) * rm[c] + momentum * mean[size_t(c)]);
      rv[c] = float((1.0 - momentum) * rv[c] + momentum * unbiased);
    }
  } else {
    for (int64_t c = 0; c < channels; ++c) {
      mean[size_t(c)] = running_mean.data()[c];
      var[size_t(c)] = running_var.data()[c];
    }
  }

  auto inv_std = std::make_shared<std::vector<float>>(size_t(channels));
  for (int64_t c = 0; c < channels; ++c) (*inv_std)[size_t(c)] = float(1.0 / std::sqrt(var[size_t(c)] + epsilon));
  // x_hat = (x - mean) * inv_std; y = gamma * x_hat + beta
  Tensor x_hat(xv.shape());
  Tensor out(xv.shape());
  float* ph = x_hat.mutable_data();
  float* py = out.mutable_data();
  const float *pg = gamma.value().data(), *pb = beta.value().data();
  for (int64_t i = 0; i < count; ++i)
    for (int64_t c = 0; c < channels; ++c) {
      const int64_t k = i * channels + c;
      ph[k] = float((px[k] - mean[size_t(c)]) * (*inv_std)[size_t(c)]);
      py[k] = pg[c] * ph[k] + pb[c];
    }

  return make_result(out, {x, gamma, beta}, [x_hat, inv_std, channels, count, stat_count, training, in_statistics,
                                              gamma_value = gamma.value()](Node& self) {
    const float* dy = self.grad.data();
    const float* ph = x_hat.data();
    const float* pg = gamma_value.data();
    std::vector<double> sum_dy(size_t(channels), 0.0), sum_dy_xhat(size_t(channels), 0.0);
    for (int64_t i = 0; i < count; ++i)
      for (int64_t c = 0; c < channels; ++c) {
        sum_dy[size_t(c)] += dy[i * channels + c];
        sum_dy_xhat[size_t(c)] += double(dy[i * channels + c]) * ph[i * channels + c];
      }
    if (input_needs_grad(self, 0)) {
      // Every output depends on the statistics, which depend only on the rows they come from:
      // those rows get the statistics' share of the gradient, the others only their own path.
      Tensor dx(x_hat.shape());
      float* pd = dx.mutable_data();
      for (int64_t i = 0; i < count; ++i) {
        const bool in_stats = training && (!in_statistics || (*in_statistics)[size_t(i)]);
        for (int64_t c = 0; c < channels; ++c) {
          const int64_t k = i * channels + c;
          const double scale = double(pg[c]) * (*inv_std)[size_t(c)];
          if (in_stats) {
            pd[k] = float(scale * (dy[k] - sum_dy[size_t(c)] / double(stat_count) -
                                   ph[k] * sum_dy_xhat[size_t(c)] / double(stat_count)));
          } else {
            pd[k] = float(scale * dy[k]);
          }
        }
      }
      accumulate_grad(self, 0, std::move(dx));
    }
    if (input_needs_grad(self, 1)) {
      Tensor dg({channels});
      for (int64_t c = 0; c < channels; ++c) dg.mutable_data()[c] = float(sum_dy_xhat[size_t(c)]);
      accumulate_grad(self, 1, std::move(dg));
    }
    if (input_needs_grad(self, 2)) {
      Tensor db({channels});
      for (int64_t c = 0; c < channels; ++c) db.mutable_data()[c] = float(sum_dy[size_t(c)]);
      accumulate_grad(self, 2, std::move(db));
    }
  });
}

Var dropout(const Var& x, float p, bool training, Rng& rng) {
  CA3_CHECK(p >= 0.f && p < 1.f, "dropout: probability must be in [0, 1), got ", p);
  if (!training || p == 0.f) return x;
  Tensor mask(x.shape());
  float* pm = mask.mutable_data();
  const float keep_scale = 1.f / (1.f - p);
  for (int64_t i = 0; i < mask.numel(); ++i) pm[i] = rng.uniform() < p ? 0.f : keep_scale;
  Tensor out(x.shape());
  const float* px = x.value().data();
  float* py = out.mutable_data();
  for (int64_t i = 0; i < out.numel(); ++i) py[i] = px[i] * pm[i];
  return make_result(out, {x}, [mask](Node& self) {
    Tensor dx(mask.shape());
    float* pd = dx.mutable_data();
    const float *dy = self.grad.data(), *pm = mask.data();
    for (int64_t i = 0; i < dx.numel(); ++i) pd[i] = dy[i] * pm[i];
    accumulate_grad(self, 0, std::move(dx));
  });
}

}  // namespace ca3
