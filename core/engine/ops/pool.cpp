#include "core/engine/ops/pool.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/engine/error.h"
#include "core/engine/kernels/kernels.h"
#include "core/engine/ops/shape.h"

namespace ca3 {

namespace {

// One output cell reads input rows [h0, h1) x columns [w0, w1) (already clipped); for
// average pooling `divisor` is the window size including padding.
struct Window {
  int64_t h0, h1, w0, w1;
  float divisor;
};

// Generic pooling given a function that returns the window of output cell (oh, ow).
template <typename WindowOf>
Var pool(const Var& input, int64_t out_h, int64_t out_w, bool is_max, WindowOf window_of, const char* op) {
  const Tensor& x = input.value();
  CA3_CHECK(x.rank() == 4, op, ": input must be [batch, height, width, channels], got ", shape_to_string(x.shape()));
  const int64_t n_n = x.dim(0), h_n = x.dim(1), w_n = x.dim(2), c_n = x.dim(3);
  CA3_CHECK(out_h > 0 && out_w > 0, op, ": output would be empty for input ", shape_to_string(x.shape()));
  Tensor out = Tensor::uninitialized({n_n, out_h, out_w, c_n});
  // For max pooling, the index within its sample of the input each output took its value from
  // (the first maximum); only kept when a gradient will be needed.
  const bool record = is_max && grad_enabled() && input.requires_grad();
  CA3_CHECK(!record || h_n * w_n * c_n <= std::numeric_limits<int32_t>::max(), op, ": a sample of ",
            h_n * w_n * c_n, " values is too large to train through max pooling");
  auto argmax = std::make_shared<std::vector<int32_t>>(record ? size_t(out.numel()) : 0);
  const float* px = x.data();
  float* py = out.mutable_data();
  // Checked here, not on the threads (an exception must not leave a pool thread).
  for (int64_t oh = 0; oh < out_h; ++oh)
    for (int64_t ow = 0; ow < out_w; ++ow) {
      const Window w = window_of(oh, ow);
      CA3_CHECK(w.h1 > w.h0 && w.w1 > w.w0, op, ": a pooling window lies entirely in the padding");
    }
  // Output rows (sample, oh) are independent: they go on the kernels' threads.
  const int64_t row_work = out_w * c_n * std::max<int64_t>(1, (h_n / out_h) * (w_n / out_w));
  kernels().parallel_for(n_n * out_h, parallel_items(row_work), [&](int64_t begin, int64_t end) {
    std::vector<double> totals(is_max ? 0 : size_t(c_n));
    for (int64_t row = begin; row < end; ++row) {
      const int64_t n = row / out_h, oh = row % out_h;
      // Channels are innermost and contiguous: each window position updates all channels at once.
      for (int64_t ow = 0; ow < out_w; ++ow) {
        const Window w = window_of(oh, ow);
        const int64_t o = ((n * out_h + oh) * out_w + ow) * c_n;
        float* __restrict y = py + o;
        if (is_max) {
          const float* sample = px + n * h_n * w_n * c_n;
          const float* __restrict x0 = sample + (w.h0 * w_n + w.w0) * c_n;
          for (int64_t c = 0; c < c_n; ++c) y[c] = x0[c];
          for (int64_t h = w.h0; h < w.h1; ++h)
            for (int64_t ww = w.w0; ww < w.w1; ++ww) {
              const float* __restrict xi = sample + (h * w_n + ww) * c_n;
              for (int64_t c = 0; c < c_n; ++c) y[c] = xi[c] > y[c] ? xi[c] : y[c];
            }
          if (record) {
            // The first position holding the maximum: positions from the last to the first,
            // each equal one overwriting (a NaN maximum equals none: the first position). In
            // two passes with selects, both loops vectorise.
            int32_t* __restrict arg = argmax->data() + o;
            const int32_t first = int32_t((w.h0 * w_n + w.w0) * c_n);
            for (int64_t c = 0; c < c_n; ++c) arg[c] = first + int32_t(c);
            for (int64_t h = w.h1 - 1; h >= w.h0; --h)
              for (int64_t ww = w.w1 - 1; ww >= w.w0; --ww) {
                const int32_t at = int32_t((h * w_n + ww) * c_n);
                const float* __restrict xi = sample + at;
                for (int64_t c = 0; c < c_n; ++c) arg[c] = xi[c] == y[c] ? at + int32_t(c) : arg[c];
              }
          }
        } else {
          std::fill(totals.begin(), totals.end(), 0.0);
          for (int64_t h = w.h0; h < w.h1; ++h)
            for (int64_t ww = w.w0; ww < w.w1; ++ww) {
              const float* xi = px + ((n * h_n + h) * w_n + ww) * c_n;
              for (int64_t c = 0; c < c_n; ++c) totals[size_t(c)] += xi[c];
            }
          for (int64_t c = 0; c < c_n; ++c) y[c] = static_cast<float>(totals[size_t(c)] / w.divisor);
        }
      }
    }
  });
  return make_result(out, {input}, [=](Node& self) {
    Tensor dx(self.inputs[0]->shape);
    float* pd = dx.mutable_data();
    const float* dy = self.grad.data();
    // Windows may overlap within a sample, never across samples: one sample per item.
    const int64_t per_sample = out_h * out_w * c_n;
    kernels().parallel_for(n_n, parallel_items(per_sample * 2), [&](int64_t begin, int64_t end) {
      if (is_max) {
        const int64_t sample_size = h_n * w_n * c_n;
        for (int64_t n = begin; n < end; ++n) {
          float* sample = pd + n * sample_size;
          for (int64_t o = n * per_sample; o < (n + 1) * per_sample; ++o) sample[(*argmax)[size_t(o)]] += dy[o];
        }
        return;
      }
      for (int64_t n = begin; n < end; ++n)
        for (int64_t oh = 0; oh < out_h; ++oh)
          for (int64_t ow = 0; ow < out_w; ++ow) {
            const Window w = window_of(oh, ow);
            for (int64_t c = 0; c < c_n; ++c) {
              const float g = dy[((n * out_h + oh) * out_w + ow) * c_n + c] / w.divisor;
              for (int64_t h = w.h0; h < w.h1; ++h)
                for (int64_t ww = w.w0; ww < w.w1; ++ww) pd[((n * h_n + h) * w_n + ww) * c_n + c] += g;
            }
          }
    });
    accumulate_grad(self, 0, std::move(dx));
  });
}

Var window_pool(const Var& x, int64_t kernel_h, int64_t kernel_w, int64_t stride_h, int64_t stride_w, int64_t pad_h,
                int64_t pad_w, bool is_max, const char* op) {
  CA3_CHECK(x.value().rank() == 4, op, ": input must be [batch, height, width, channels], got ",
            shape_to_string(x.shape()));
  CA3_CHECK(kernel_h > 0 && kernel_w > 0 && stride_h > 0 && stride_w > 0, op, ": kernel and stride must be positive");
  CA3_CHECK(pad_h >= 0 && pad_w >= 0 && 2 * pad_h <= kernel_h && 2 * pad_w <= kernel_w, op,
            ": padding must be at most half the kernel");
  const int64_t h_n = x.dim(1), w_n = x.dim(2);
  CA3_CHECK(h_n + 2 * pad_h >= kernel_h && w_n + 2 * pad_w >= kernel_w, op, ": kernel ", kernel_h, "x", kernel_w,
            " is larger than the input ", h_n, "x", w_n);
  const int64_t out_h = (h_n + 2 * pad_h - kernel_h) / stride_h + 1;
  const int64_t out_w = (w_n + 2 * pad_w - kernel_w) / stride_w + 1;
  const float divisor = float(kernel_h * kernel_w);
  return pool(
      x, out_h, out_w, is_max,
      [=](int64_t oh, int64_t ow) {
        const int64_t h0 = oh * stride_h - pad_h, w0 = ow * stride_w - pad_w;
        return Window{std::max<int64_t>(h0, 0), std::min(h0 + kernel_h, h_n), std::max<int64_t>(w0, 0),
                      std::min(w0 + kernel_w, w_n), divisor};
      },
      op);
}

Var adaptive_pool(const Var& x, int64_t out_h, int64_t out_w, bool is_max, const char* op) {
  CA3_CHECK(x.value().rank() == 4, op, ": input must be [batch, height, width, channels], got ",
            shape_to_string(x.shape()));
  const int64_t h_n = x.dim(1), w_n = x.dim(2);
  CA3_CHECK(out_h > 0 && out_w > 0, op, ": output size must be positive");
  return pool(
      x, out_h, out_w, is_max,
      [=](int64_t oh, int64_t ow) {
        const int64_t h0 = oh * h_n / out_h, h1 = ((oh + 1) * h_n + out_h - 1) / out_h;
        const int64_t w0 = ow * w_n / out_w, w1 = ((ow + 1) * w_n + out_w - 1) / out_w;
        return Window{h0, h1, w0, w1, float((h1 - h0) * (w1 - w0))};
      },
      op);
}

// [N, L, C] <-> [N, 1, L, C]
Var as_image(const Var& x, const char* op) {
  CA3_CHECK(x.value().rank() == 3, op, ": input must be [batch, length, channels], got ", shape_to_string(x.shape()));
  return reshape(x, {x.dim(0), 1, x.dim(1), x.dim(2)});
}
Var as_signal(const Var& y) { return reshape(y, {y.dim(0), y.dim(2), y.dim(3)}); }

}  // namespace

Var max_pool2d(const Var& x, int64_t kernel, int64_t stride, int64_t pad) {
  if (stride == 0) stride = kernel;
  return window_pool(x, kernel, kernel, stride, stride, pad, pad, true, "max_pool2d");
}
Var avg_pool2d(const Var& x, int64_t kernel, int64_t stride, int64_t pad) {
  if (stride == 0) stride = kernel;
  return window_pool(x, kernel, kernel, stride, stride, pad, pad, false, "avg_pool2d");
}
Var adaptive_max_pool2d(const Var& x, int64_t out_height, int64_t out_width) {
  return adaptive_pool(x, out_height, out_width, true, "adaptive_max_pool2d");
}
Var adaptive_avg_pool2d(const Var& x, int64_t out_height, int64_t out_width) {
  return adaptive_pool(x, out_height, out_width, false, "adaptive_avg_pool2d");
}

Var max_pool1d(const Var& x, int64_t kernel, int64_t stride, int64_t pad) {
  if (stride == 0) stride = kernel;
  return as_signal(window_pool(as_image(x, "max_pool1d"), 1, kernel, 1, stride, 0, pad, true, "max_pool1d"));
}
Var avg_pool1d(const Var& x, int64_t kernel, int64_t stride, int64_t pad) {
  if (stride == 0) stride = kernel;
  return as_signal(window_pool(as_image(x, "avg_pool1d"), 1, kernel, 1, stride, 0, pad, false, "avg_pool1d"));
}
Var adaptive_max_pool1d(const Var& x, int64_t out_length) {
  return as_signal(adaptive_pool(as_image(x, "adaptive_max_pool1d"), 1, out_length, true, "adaptive_max_pool1d"));
}
Var adaptive_avg_pool1d(const Var& x, int64_t out_length) {
  return as_signal(adaptive_pool(as_image(x, "adaptive_avg_pool1d"), 1, out_length, false, "adaptive_avg_pool1d"));
}

}  // namespace ca3
