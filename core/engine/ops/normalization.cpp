#include "core/engine/ops/normalization.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "core/engine/error.h"
#include "core/engine/kernels/kernels.h"

namespace ca3 {

namespace {

// Per-channel sums over the rows of a [count, channels] view: `add(i, partial)` adds row i's
// K terms into partial[k * channels + c]. Rows are summed in fixed chunks on the kernels'
// threads and the chunks' partial sums added in order, so the result does not depend on the
// number of threads.
template <int K, typename Add>
std::array<std::vector<double>, K> channel_sums(int64_t count, int64_t channels, Add add) {
  constexpr int64_t kRowsPerChunk = 128;
  const int64_t chunks = (count + kRowsPerChunk - 1) / kRowsPerChunk;
  std::vector<double> partial(size_t(chunks * K * channels), 0.0);
  kernels().parallel_for(chunks, parallel_items(kRowsPerChunk * channels), [&](int64_t begin, int64_t end) {
    for (int64_t chunk = begin; chunk < end; ++chunk) {
      double* p = partial.data() + chunk * K * channels;
      for (int64_t i = chunk * kRowsPerChunk; i < std::min(count, (chunk + 1) * kRowsPerChunk); ++i) add(i, p);
    }
  });
  std::array<std::vector<double>, K> sums;
  for (int k = 0; k < K; ++k) {
    sums[size_t(k)].assign(size_t(channels), 0.0);
    for (int64_t chunk = 0; chunk < chunks; ++chunk)
      for (int64_t c = 0; c < channels; ++c)
        sums[size_t(k)][size_t(c)] += partial[size_t((chunk * K + k) * channels + c)];
  }
  return sums;
}

// body(i) for every row i of [0, count), rows of `channels` elements, on the kernels' threads.
template <typename Body>
void for_rows(int64_t count, int64_t channels, Body body) {
  kernels().parallel_for(count, parallel_items(channels), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) body(i);
  });
}

}  // namespace

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
    mean = channel_sums<1>(count, channels, [&](int64_t i, double* p) {
      if (counts(i))
        for (int64_t c = 0; c < channels; ++c) p[c] += px[i * channels + c];
    })[0];
    for (auto& m : mean) m /= double(stat_count);
    var = channel_sums<1>(count, channels, [&](int64_t i, double* p) {
      if (counts(i))
        for (int64_t c = 0; c < channels; ++c) {
          const double d = px[i * channels + c] - mean[size_t(c)];
          p[c] += d * d;
        }
    })[0];
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
  Tensor x_hat = Tensor::uninitialized(xv.shape());
  Tensor out = Tensor::uninitialized(xv.shape());
  float* ph = x_hat.mutable_data();
  float* py = out.mutable_data();
  const float *pg = gamma.value().data(), *pb = beta.value().data();
  const double* pmean = mean.data();
  const float* pinv = inv_std->data();
  for_rows(count, channels, [&](int64_t i) {
    const float* pxi = px + i * channels;
    float *phi = ph + i * channels, *pyi = py + i * channels;
    for (int64_t c = 0; c < channels; ++c) phi[c] = float((pxi[c] - pmean[c]) * pinv[c]);
    for (int64_t c = 0; c < channels; ++c) pyi[c] = pg[c] * phi[c] + pb[c];
  });

  return make_result(out, {x, gamma, beta}, [x_hat, inv_std, channels, count, stat_count, training, in_statistics,
                                              gamma_value = gamma.value()](Node& self) {
    const float* dy = self.grad.data();
    const float* ph = x_hat.data();
    const float* pg = gamma_value.data();
    const auto sums = channel_sums<2>(count, channels, [&](int64_t i, double* p) {
      for (int64_t c = 0; c < channels; ++c) {
        p[c] += dy[i * channels + c];
        p[channels + c] += double(dy[i * channels + c]) * ph[i * channels + c];
      }
    });
    const std::vector<double>& sum_dy = sums[0];
    const std::vector<double>& sum_dy_xhat = sums[1];
    if (input_needs_grad(self, 0)) {
      // Every output depends on the statistics, which depend only on the rows they come from:
      // those rows get the statistics' share of the gradient, the others only their own path.
      Tensor dx = Tensor::uninitialized(x_hat.shape());
      float* pd = dx.mutable_data();
      // Per channel, computed once: the loops below are then plain element-wise arithmetic.
      const size_t n_channels = static_cast<size_t>(channels);
      std::vector<double> scale(n_channels), mean_dy(n_channels);
      for (int64_t c = 0; c < channels; ++c) {
        scale[size_t(c)] = double(pg[c]) * (*inv_std)[size_t(c)];
        mean_dy[size_t(c)] = sum_dy[size_t(c)] / double(stat_count);
      }
      const double *ps = scale.data(), *pm = mean_dy.data(), *psx = sum_dy_xhat.data(), n = double(stat_count);
      for_rows(count, channels, [&](int64_t i) {
        const float *dyi = dy + i * channels, *phi = ph + i * channels;
        float* pdi = pd + i * channels;
        if (training && (!in_statistics || (*in_statistics)[size_t(i)]))
          for (int64_t c = 0; c < channels; ++c) pdi[c] = float(ps[c] * (dyi[c] - pm[c] - phi[c] * psx[c] / n));
        else
          for (int64_t c = 0; c < channels; ++c) pdi[c] = float(ps[c] * dyi[c]);
      });
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
  Tensor mask = Tensor::uninitialized(x.shape());
  float* pm = mask.mutable_data();
  const float keep_scale = 1.f / (1.f - p);
  for (int64_t i = 0; i < mask.numel(); ++i) pm[i] = rng.uniform() < p ? 0.f : keep_scale;
  Tensor out = Tensor::uninitialized(x.shape());
  const float* px = x.value().data();
  float* py = out.mutable_data();
  for (int64_t i = 0; i < out.numel(); ++i) py[i] = px[i] * pm[i];
  return make_result(out, {x}, [mask](Node& self) {
    Tensor dx = Tensor::uninitialized(mask.shape());
    float* pd = dx.mutable_data();
    const float *dy = self.grad.data(), *pm = mask.data();
    for (int64_t i = 0; i < dx.numel(); ++i) pd[i] = dy[i] * pm[i];
    accumulate_grad(self, 0, std::move(dx));
  });
}

}  // namespace ca3
