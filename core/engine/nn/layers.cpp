#include "core/engine/nn/layers.h"

#include <cmath>

#include "core/engine/error.h"
#include "core/engine/ops/ops.h"

namespace ca3 {

namespace {

Tensor init_weights(Shape shape, int64_t fan_in, int64_t fan_out, Init init, Rng& rng) {
  const float bound = init == Init::kaiming_uniform ? std::sqrt(6.f / float(fan_in))
                                                    : std::sqrt(6.f / float(fan_in + fan_out));
  return Tensor::uniform(std::move(shape), -bound, bound, rng);
}

Tensor init_bias(bool wanted, int64_t size, int64_t fan_in, Rng& rng) {
  if (!wanted) return Tensor();
  const float bound = 1.f / std::sqrt(float(fan_in));
  return Tensor::uniform({size}, -bound, bound, rng);
}

void check_positive(std::initializer_list<int64_t> values, const char* layer) {
  for (int64_t v : values) CA3_CHECK(v > 0, layer, ": sizes must be positive");
}

}  // namespace


Linear::Linear(int64_t in, int64_t out, Rng& rng, bool has_bias, Init init)
    : weight((check_positive({in, out}, "Linear"), register_parameter("weight", init_weights({out, in}, in, out, init, rng)))),
      bias(register_parameter("bias", init_bias(has_bias, out, in, rng))) {}

Var Linear::forward(const Var& input) { return linear(input, weight, bias); }

Conv2d::Conv2d(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t pad, Rng& rng, bool has_bias, Init init)
    : weight((check_positive({in, out, kernel, stride}, "Conv2d"),
              register_parameter("weight", init_weights({out, kernel, kernel, in}, in * kernel * kernel,
                                                        out * kernel * kernel, init, rng)))),
      bias(register_parameter("bias", init_bias(has_bias, out, in * kernel * kernel, rng))) {
  options.stride_height = options.stride_width = stride;
  options.pad_height = options.pad_width = pad;
}

Var Conv2d::forward(const Var& input) { return conv2d(input, weight, bias, options); }

ConvTranspose2d::ConvTranspose2d(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t pad,
                                 int64_t output_padding, Rng& rng, bool has_bias, Init init)
    : weight((check_positive({in, out, kernel, stride}, "ConvTranspose2d"),
              register_parameter("weight", init_weights({in, kernel, kernel, out}, out * kernel * kernel,
                                                        in * kernel * kernel, init, rng)))),
      bias(register_parameter("bias", init_bias(has_bias, out, out * kernel * kernel, rng))) {
  options.stride_height = options.stride_width = stride;
  options.pad_height = options.pad_width = pad;
  options.output_padding_height = options.output_padding_width = output_padding;
}

Var ConvTranspose2d::forward(const Var& input) { return conv_transpose2d(input, weight, bias, options); }

Conv1d::Conv1d(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t pad, Rng& rng, bool has_bias, Init init)
    : weight((check_positive({in, out, kernel, stride}, "Conv1d"),
              register_parameter("weight", init_weights({out, kernel, in}, in * kernel, out * kernel, init, rng)))),
      bias(register_parameter("bias", init_bias(has_bias, out, in * kernel, rng))),
      stride(stride),
      pad(pad) {}

Var Conv1d::forward(const Var& input) { return conv1d(input, weight, bias, stride, pad); }

ConvTranspose1d::ConvTranspose1d(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t pad,
                                 int64_t output_padding, Rng& rng, bool has_bias, Init init)
    : weight((check_positive({in, out, kernel, stride}, "ConvTranspose1d"),
              register_parameter("weight", init_weights({in, kernel, out}, out * kernel, in * kernel, init, rng)))),
      bias(register_parameter("bias", init_bias(has_bias, out, out * kernel, rng))),
      stride(stride),
      pad(pad),
      output_padding(output_padding) {}

Var ConvTranspose1d::forward(const Var& input) {
  return conv_transpose1d(input, weight, bias, stride, pad, output_padding);
}

BatchNorm::BatchNorm(int64_t channels, float momentum, float epsilon)
    : gamma((check_positive({channels}, "BatchNorm"), register_parameter("gamma", Tensor::full({channels}, 1.f)))),
      beta(register_parameter("beta", Tensor::zeros({channels}))),
      running_mean(register_buffer("running_mean", Tensor::zeros({channels}))),
      running_var(register_buffer("running_var", Tensor::full({channels}, 1.f))),
      momentum(momentum),
      epsilon(epsilon) {}

Var BatchNorm::forward(const Var& input) {
  return batch_norm(input, gamma, beta, running_mean, running_var, is_training(), momentum, epsilon);
}
Var BatchNorm::forward(const Var& input, const std::vector<uint8_t>& statistics_samples) {
  return batch_norm(input, gamma, beta, running_mean, running_var, is_training(), momentum, epsilon,
                    statistics_samples);
}

Var Pool2d::forward(const Var& input) {
  return kind == PoolKind::max ? max_pool2d(input, kernel, stride, pad) : avg_pool2d(input, kernel, stride, pad);
}
Var Pool1d::forward(const Var& input) {
  return kind == PoolKind::max ? max_pool1d(input, kernel, stride, pad) : avg_pool1d(input, kernel, stride, pad);
}
Var AdaptivePool2d::forward(const Var& input) {
  return kind == PoolKind::max ? adaptive_max_pool2d(input, out_height, out_width)
                               : adaptive_avg_pool2d(input, out_height, out_width);
}

Var ReLU::forward(const Var& input) { return relu(input); }
Var LeakyReLU::forward(const Var& input) { return leaky_relu(input, slope); }
Var ELU::forward(const Var& input) { return elu(input, alpha); }
Var Sigmoid::forward(const Var& input) { return sigmoid(input); }
Var Tanh::forward(const Var& input) { return ca3::tanh(input); }
Var Flatten::forward(const Var& input) { return flatten(input); }
Var Dropout::forward(const Var& input) { return dropout(input, p, is_training(), rng); }

Var Sequential::forward(const Var& input) {
  Var x = input;
  for (auto& layer : layers_) x = layer->forward(x);
  return x;
}

}  // namespace ca3
