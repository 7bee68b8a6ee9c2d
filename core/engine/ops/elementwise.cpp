#include "core/engine/ops/elementwise.h"

#include <algorithm>
#include <cmath>

#include "core/engine/error.h"
#include "core/engine/kernels/kernels.h"

namespace ca3 {

namespace {

void check_same_shape(const Var& a, const Var& b, const char* op) {
  CA3_CHECK(a.shape() == b.shape(), op, ": shapes ", shape_to_string(a.shape()), " and ", shape_to_string(b.shape()),
            " differ");
}

// What a derivative is computed from: the backward pass keeps only that tensor alive.
enum class Needs { nothing, input, output };

// y = f(x); dx = dy * derivative(x, y), per element; the argument `needs` does not name is 0.
template <typename Forward, typename Derivative>
Var unary(const Var& x, Needs needs, Forward forward, Derivative derivative) {
  const Tensor& xv = x.value();
  Tensor out = Tensor::uninitialized(xv.shape());
  const float* px = xv.data();
  float* py = out.mutable_data();
  kernels().parallel_for(xv.numel(), kParallelElements, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) py[i] = forward(px[i]);
  });
  const Tensor kept = needs == Needs::input ? xv : needs == Needs::output ? out : Tensor();
  return make_result(out, {x}, [derivative, needs, kept](Node& self) {
    Tensor dx = Tensor::uninitialized(self.grad.shape());
    const float *pk = kept.empty() ? nullptr : kept.data(), *dy = self.grad.data();
    float* p = dx.mutable_data();
    // One loop per case, without a branch inside, so that the compiler vectorises it.
    kernels().parallel_for(dx.numel(), kParallelElements, [&](int64_t begin, int64_t end) {
      if (needs == Needs::input)
        for (int64_t i = begin; i < end; ++i) p[i] = dy[i] * derivative(pk[i], 0.f);
      else if (needs == Needs::output)
        for (int64_t i = begin; i < end; ++i) p[i] = dy[i] * derivative(0.f, pk[i]);
      else
        for (int64_t i = begin; i < end; ++i) p[i] = dy[i] * derivative(0.f, 0.f);
    });
    accumulate_grad(self, 0, std::move(dx));
  });
}

}  // namespace

Var add(const Var& a, const Var& b) {
  check_same_shape(a, b, "add");
  Tensor out = a.value().clone();
  out.add_(b.value());
  return make_result(out, {a, b}, [](Node& self) {
    accumulate_grad(self, 0, self.grad);
    accumulate_grad(self, 1, self.grad);
  });
}

Var sub(const Var& a, const Var& b) {
  check_same_shape(a, b, "sub");
  Tensor out = a.value().clone();
  float* p = out.mutable_data();
  const float* q = b.value().data();
  for (int64_t i = 0; i < out.numel(); ++i) p[i] -= q[i];
  return make_result(out, {a, b}, [](Node& self) {
    accumulate_grad(self, 0, self.grad);
    if (input_needs_grad(self, 1)) {
      Tensor g = self.grad.clone();
      g.scale_(-1.f);
      accumulate_grad(self, 1, std::move(g));
    }
  });
}

Var mul(const Var& a, const Var& b) {
  check_same_shape(a, b, "mul");
  Tensor out = Tensor::uninitialized(a.shape());
  const float *pa = a.value().data(), *pb = b.value().data();
  float* p = out.mutable_data();
  for (int64_t i = 0; i < out.numel(); ++i) p[i] = pa[i] * pb[i];
  const Tensor values[2] = {a.value(), b.value()};
  return make_result(out, {a, b}, [values](Node& self) {
    for (size_t which = 0; which < 2; ++which) {
      if (!input_needs_grad(self, which)) continue;
      const Tensor& other = values[1 - which];
      Tensor g = Tensor::uninitialized(other.shape());
      const float *po = other.data(), *dy = self.grad.data();
      float* pg = g.mutable_data();
      for (int64_t i = 0; i < g.numel(); ++i) pg[i] = dy[i] * po[i];
      accumulate_grad(self, which, std::move(g));
    }
  });
}

Var scale(const Var& a, float factor) {
  return unary(a, Needs::nothing, [factor](float x) { return x * factor; }, [factor](float, float) { return factor; });
}

Var add_scalar(const Var& a, float value) {
  return unary(a, Needs::nothing, [value](float x) { return x + value; }, [](float, float) { return 1.f; });
}

Var relu(const Var& x) {
  // y > 0 exactly where x > 0: the output is enough (the input can be freed).
  return unary(x, Needs::output, [](float v) { return v > 0.f ? v : 0.f; }, [](float, float y) { return y > 0.f ? 1.f : 0.f; });
}

Var leaky_relu(const Var& x, float slope) {
  return unary(
      x, Needs::input, [slope](float v) { return v > 0.f ? v : slope * v; },
      [slope](float v, float) { return v > 0.f ? 1.f : slope; });
}

Var elu(const Var& x, float alpha) {
  CA3_CHECK(alpha > 0.f, "elu: alpha must be positive, got ", alpha);
  // With alpha > 0, y > 0 exactly where x > 0: the output is enough.
  return unary(
      x, Needs::output, [alpha](float v) { return v > 0.f ? v : alpha * std::expm1(v); },
      [alpha](float, float y) { return y > 0.f ? 1.f : y + alpha; });
}

Var sigmoid(const Var& x) {
  return unary(
      x, Needs::output,
      [](float v) {  // stable for large |v|
        if (v >= 0.f) return 1.f / (1.f + std::exp(-v));
        const float e = std::exp(v);
        return e / (1.f + e);
      },
      [](float, float y) { return y * (1.f - y); });
}

Var tanh(const Var& x) {
  return unary(x, Needs::output, [](float v) { return std::tanh(v); }, [](float, float y) { return 1.f - y * y; });
}

Var exp(const Var& x) {
  return unary(x, Needs::output, [](float v) { return std::exp(v); }, [](float, float y) { return y; });
}

Var log(const Var& x) {
  const float* p = x.value().data();
  for (int64_t i = 0; i < x.numel(); ++i)
    CA3_CHECK(p[i] > 0.f, "log: input value ", p[i], " at index ", i, " is not positive");
  return unary(x, Needs::input, [](float v) { return std::log(v); }, [](float v, float) { return 1.f / v; });
}

Var clamp(const Var& x, float low, float high) {
  CA3_CHECK(low <= high, "clamp: low ", low, " is above high ", high);
  return unary(
      x, Needs::input, [low, high](float v) { return std::min(std::max(v, low), high); },
      [low, high](float v, float) { return v > low && v < high ? 1.f : 0.f; });
}

}  // namespace ca3
