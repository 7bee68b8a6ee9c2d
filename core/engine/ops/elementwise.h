// Element-wise ops (same-shape operands) and activations.
#pragma once
#include "core/engine/autodiff.h"

namespace ca3 {
Var add(const Var& a, const Var& b);
Var sub(const Var& a, const Var& b);
Var mul(const Var& a, const Var& b);
Var scale(const Var& a, float factor);
Var add_scalar(const Var& a, float value);

Var relu(const Var& x);
Var leaky_relu(const Var& x, float negative_slope = 0.01f);
Var elu(const Var& x, float alpha = 1.f);
Var sigmoid(const Var& x);
Var tanh(const Var& x);
Var exp(const Var& x);
Var log(const Var& x);  // x must be > 0
// min(max(x, low), high); the gradient passes where low < x < high and is 0 where clamped.
Var clamp(const Var& x, float low, float high);
}  // namespace ca3
