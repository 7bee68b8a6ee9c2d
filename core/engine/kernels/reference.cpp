// Reference kernels: the plainest loops that compute each definition, accumulating in double.
// They are the ground truth the XNNPACK kernels are tested against; speed is not a goal.
#include <vector>

#include "core/engine/error.h"
#include "core/engine/kernels/kernels.h"

namespace ca3 {
namespace {

class ReferenceKernels final : public Kernels {
 public:
  const char* name() const override { return "reference"; }

  void convolution(const ConvGeometry& g, const float* input, const Tensor& weights, const Tensor* bias,
                   float* output) override {
    count_kernel_flops(g.flops());
    const float* w = weights.data();
    const int64_t oh_n = g.out_height(), ow_n = g.out_width();
    for (int64_t n = 0; n < g.batch; ++n)
      for (int64_t oh = 0; oh < oh_n; ++oh)
        for (int64_t ow = 0; ow < ow_n; ++ow)
          for (int64_t co = 0; co < g.out_channels; ++co) {
            double sum = bias ? bias->data()[co] : 0.0;
            for (int64_t kh = 0; kh < g.kernel_height; ++kh) {
              const int64_t ih = oh * g.stride_height + kh - g.pad_top;
              if (ih < 0 || ih >= g.in_height) continue;
              for (int64_t kw = 0; kw < g.kernel_width; ++kw) {
                const int64_t iw = ow * g.stride_width + kw - g.pad_left;
                if (iw < 0 || iw >= g.in_width) continue;
                const float* x = input + ((n * g.in_height + ih) * g.in_width + iw) * g.in_channels;
                const float* k = w + ((co * g.kernel_height + kh) * g.kernel_width + kw) * g.in_channels;
                for (int64_t ci = 0; ci < g.in_channels; ++ci) sum += double(x[ci]) * double(k[ci]);
              }
            }
            output[((n * oh_n + oh) * ow_n + ow) * g.out_channels + co] = static_cast<float>(sum);
          }
  }

  void convolution_backward_data(const ConvGeometry& g, const float* output_grad, const Tensor& weights,
                                 const Tensor* bias, float* input_grad) override {
    count_kernel_flops(g.flops());
    const float* w = weights.data();
    const int64_t oh_n = g.out_height(), ow_n = g.out_width();
    std::vector<double> acc(static_cast<size_t>(g.batch * g.in_height * g.in_width * g.in_channels), 0.0);
    for (int64_t n = 0; n < g.batch; ++n)
      for (int64_t oh = 0; oh < oh_n; ++oh)
        for (int64_t ow = 0; ow < ow_n; ++ow)
          for (int64_t kh = 0; kh < g.kernel_height; ++kh) {
            const int64_t ih = oh * g.stride_height + kh - g.pad_top;
            if (ih < 0 || ih >= g.in_height) continue;
            for (int64_t kw = 0; kw < g.kernel_width; ++kw) {
              const int64_t iw = ow * g.stride_width + kw - g.pad_left;
              if (iw < 0 || iw >= g.in_width) continue;
              double* dx = &acc[static_cast<size_t>(((n * g.in_height + ih) * g.in_width + iw) * g.in_channels)];
              const float* dy = output_grad + ((n * oh_n + oh) * ow_n + ow) * g.out_channels;
              for (int64_t co = 0; co < g.out_channels; ++co) {
                const float* k = w + ((co * g.kernel_height + kh) * g.kernel_width + kw) * g.in_channels;
                for (int64_t ci = 0; ci < g.in_channels; ++ci) dx[ci] += double(dy[co]) * double(k[ci]);
              }
            }
          }
    const int64_t pixels = g.batch * g.in_height * g.in_width;
    for (int64_t p = 0; p < pixels; ++p)
      for (int64_t ci = 0; ci < g.in_channels; ++ci) {
        const size_t i = static_cast<size_t>(p * g.in_channels + ci);
        input_grad[i] = static_cast<float>(acc[i] + (bias ? bias->data()[ci] : 0.0));
      }
  }

  void convolution_backward_filter(const ConvGeometry& g, const float* input, const float* output_grad,
                                   float* weights_grad) override {
    count_kernel_flops(g.flops());
    const int64_t oh_n = g.out_height(), ow_n = g.out_width();
    for (int64_t co = 0; co < g.out_channels; ++co)
      for (int64_t kh = 0; kh < g.kernel_height; ++kh)
        for (int64_t kw = 0; kw < g.kernel_width; ++kw)
          for (int64_t ci = 0; ci < g.in_channels; ++ci) {
            double sum = 0.0;
            for (int64_t n = 0; n < g.batch; ++n)
              for (int64_t oh = 0; oh < oh_n; ++oh) {
                const int64_t ih = oh * g.stride_height + kh - g.pad_top;
                if (ih < 0 || ih >= g.in_height) continue;
                for (int64_t ow = 0; ow < ow_n; ++ow) {
                  const int64_t iw = ow * g.stride_width + kw - g.pad_left;
                  if (iw < 0 || iw >= g.in_width) continue;
                  sum += double(input[((n * g.in_height + ih) * g.in_width + iw) * g.in_channels + ci]) *
                         double(output_grad[((n * oh_n + oh) * ow_n + ow) * g.out_channels + co]);
                }
              }
            weights_grad[((co * g.kernel_height + kh) * g.kernel_width + kw) * g.in_channels + ci] =
                static_cast<float>(sum);
          }
  }

  void parallel_for(int64_t n, int64_t, const std::function<void(int64_t, int64_t)>& body) override {
    if (n > 0) body(0, n);
  }

  void matmul(int64_t m, int64_t n, int64_t k, const float* a, bool a_transposed, const float* b,
              bool b_transposed, const float* bias, float* c) override {
    count_kernel_flops(2.0 * double(m) * double(n) * double(k));
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double sum = bias ? bias[j] : 0.0;
        for (int64_t p = 0; p < k; ++p) {
          const float av = a_transposed ? a[p * m + i] : a[i * k + p];
          const float bv = b_transposed ? b[j * k + p] : b[p * n + j];
          sum += double(av) * double(bv);
        }
        c[i * n + j] = static_cast<float>(sum);
      }
  }
};

}  // namespace

Kernels& reference_kernels() {
  static ReferenceKernels instance;
  return instance;
}

}  // namespace ca3
