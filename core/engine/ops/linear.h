// Matrix products: matmul and the fully-connected (linear) layer's op.
#pragma once
#include "core/engine/autodiff.h"

namespace ca3 {
// [M,K] x [K,N] -> [M,N]
Var matmul(const Var& a, const Var& b);
// input [N, in], weights [out, in], bias [out] (may be undefined) -> [N, out]
Var linear(const Var& input, const Var& weights, const Var& bias);
}  // namespace ca3
