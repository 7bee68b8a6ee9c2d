#include "core/engine/ops/conv.h"

#include "core/engine/error.h"
#include "core/engine/kernels/kernels.h"
#include "core/engine/ops/shape.h"

namespace ca3 {

namespace {

// Sum of the gradient over every position: the bias gradient. grad [..., C] -> [C]
Tensor sum_to_channels(const Tensor& grad, int64_t channels) {
  Tensor db({channels});
  float* p = db.mutable_data();
  const float* g = grad.data();
  const int64_t positions = grad.numel() / channels;
  for (int64_t i = 0; i < positions; ++i)
    for (int64_t c = 0; c < channels; ++c) p[c] += g[i * channels + c];
  return db;
}

}  // namespace

Var conv2d(const Var& input, const Var& weights, const Var& bias, const Conv2dOptions& o) {
  CA3_CHECK(input.value().rank() == 4, "conv2d: input must be [batch, height, width, channels], got ",
            shape_to_string(input.shape()));
  CA3_CHECK(weights.value().rank() == 4, "conv2d: weights must be [out, kh, kw, in], got ",
            shape_to_string(weights.shape()));
  CA3_CHECK(input.dim(3) == weights.dim(3), "conv2d: input has ", input.dim(3), " channels but the weights expect ",
            weights.dim(3));
  ConvGeometry g;
  g.batch = input.dim(0), g.in_height = input.dim(1), g.in_width = input.dim(2), g.in_channels = input.dim(3);
  g.out_channels = weights.dim(0), g.kernel_height = weights.dim(1), g.kernel_width = weights.dim(2);
  g.stride_height = o.stride_height, g.stride_width = o.stride_width;
  g.pad_top = g.pad_bottom = o.pad_height;
  g.pad_left = g.pad_right = o.pad_width;
  g.validate("conv2d");
  if (bias.defined())
    CA3_CHECK(bias.numel() == g.out_channels, "conv2d: bias has ", bias.numel(), " values, expected ", g.out_channels);

  Tensor out = Tensor::uninitialized(g.output_shape());
  kernels().convolution(g, input.value().data(), weights.value(), bias.defined() ? &bias.value() : nullptr,
                        out.mutable_data());
  return make_result(out, {input, weights, bias}, [g, x = input.value(), w = weights.value()](Node& self) {
    if (input_needs_grad(self, 0)) {
      Tensor dx = Tensor::uninitialized(g.input_shape());
      kernels().convolution_backward_data(g, self.grad.data(), w, nullptr, dx.mutable_data());
      accumulate_grad(self, 0, std::move(dx));
    }
    if (input_needs_grad(self, 1)) {
      Tensor dw = Tensor::uninitialized(g.weights_shape());
      kernels().convolution_backward_filter(g, x.data(), self.grad.data(), dw.mutable_data());
      accumulate_grad(self, 1, std::move(dw));
    }
    if (input_needs_grad(self, 2)) accumulate_grad(self, 2, sum_to_channels(self.grad, g.out_channels));
  });
}

Var conv_transpose2d(const Var& input, const Var& weights, const Var& bias, const Conv2dOptions& o) {
  CA3_CHECK(input.value().rank() == 4, "conv_transpose2d: input must be [batch, height, width, channels], got ",
            shape_to_string(input.shape()));
  CA3_CHECK(weights.value().rank() == 4, "conv_transpose2d: weights must be [in, kh, kw, out], got ",
            shape_to_string(weights.shape()));
  CA3_CHECK(input.dim(3) == weights.dim(0), "conv_transpose2d: input has ", input.dim(3),
            " channels but the weights expect ", weights.dim(0));
  CA3_CHECK(o.output_padding_height >= 0 && o.output_padding_height < o.stride_height &&
                o.output_padding_width >= 0 && o.output_padding_width < o.stride_width,
            "conv_transpose2d: output padding must be at least 0 and smaller than the stride");
  // The geometry of the adjoint convolution: from this op's output (the big image) to its input.
  ConvGeometry g;
  g.batch = input.dim(0);
  g.out_channels = weights.dim(0), g.kernel_height = weights.dim(1), g.kernel_width = weights.dim(2);
  g.in_channels = weights.dim(3);
  g.stride_height = o.stride_height, g.stride_width = o.stride_width;
  g.pad_top = g.pad_bottom = o.pad_height;
  g.pad_left = g.pad_right = o.pad_width;
  g.in_height = (input.dim(1) - 1) * o.stride_height - 2 * o.pad_height + g.kernel_height + o.output_padding_height;
  g.in_width = (input.dim(2) - 1) * o.stride_width - 2 * o.pad_width + g.kernel_width + o.output_padding_width;
  CA3_CHECK(g.in_height > 0 && g.in_width > 0, "conv_transpose2d: padding ", o.pad_height, "x", o.pad_width,
            " leaves no output for input ", shape_to_string(input.shape()));
  g.validate("conv_transpose2d");
  CA3_ASSERT(g.out_height() == input.dim(1) && g.out_width() == input.dim(2));
  if (bias.defined())
    CA3_CHECK(bias.numel() == g.in_channels, "conv_transpose2d: bias has ", bias.numel(), " values, expected ",
              g.in_channels);

  Tensor out = Tensor::uninitialized(g.input_shape());
  kernels().convolution_backward_data(g, input.value().data(), weights.value(),
                                      bias.defined() ? &bias.value() : nullptr, out.mutable_data());
  return make_result(out, {input, weights, bias}, [g, x = input.value(), w = weights.value()](Node& self) {
    if (input_needs_grad(self, 0)) {
      Tensor dx = Tensor::uninitialized(g.output_shape());
      kernels().convolution(g, self.grad.data(), w, nullptr, dx.mutable_data());
      accumulate_grad(self, 0, std::move(dx));
    }
    if (input_needs_grad(self, 1)) {
      Tensor dw = Tensor::uninitialized(g.weights_shape());
      kernels().convolution_backward_filter(g, self.grad.data(), x.data(), dw.mutable_data());
      accumulate_grad(self, 1, std::move(dw));
    }
    if (input_needs_grad(self, 2)) accumulate_grad(self, 2, sum_to_channels(self.grad, g.in_channels));
  });
}

namespace {
void check_1d(const Var& input, const Var& weights, const char* op) {
  CA3_CHECK(input.value().rank() == 3, op, ": input must be [batch, length, channels], got ",
            shape_to_string(input.shape()));
  CA3_CHECK(weights.value().rank() == 3, op, ": weights must be rank 3, got ", shape_to_string(weights.shape()));
}
}  // namespace

Var conv1d(const Var& input, const Var& weights, const Var& bias, int64_t stride, int64_t pad) {
  check_1d(input, weights, "conv1d");
  Conv2dOptions o;
  o.stride_width = stride;
  o.pad_width = pad;
  // [N, L, C] -> [N, 1, L, C]
  Var y = conv2d(reshape(input, {input.dim(0), 1, input.dim(1), input.dim(2)}),
                 reshape(weights, {weights.dim(0), 1, weights.dim(1), weights.dim(2)}), bias, o);
  return reshape(y, {y.dim(0), y.dim(2), y.dim(3)});
}

Var conv_transpose1d(const Var& input, const Var& weights, const Var& bias, int64_t stride, int64_t pad,
                     int64_t output_padding) {
  check_1d(input, weights, "conv_transpose1d");
  Conv2dOptions o;
  o.stride_width = stride;
  o.pad_width = pad;
  o.output_padding_width = output_padding;
  Var y = conv_transpose2d(reshape(input, {input.dim(0), 1, input.dim(1), input.dim(2)}),
                           reshape(weights, {weights.dim(0), 1, weights.dim(1), weights.dim(2)}), bias, o);
  return reshape(y, {y.dim(0), y.dim(2), y.dim(3)});
}

}  // namespace ca3
