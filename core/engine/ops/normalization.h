// Batch normalization and dropout: ops whose behaviour differs between training and eval.
#pragma once
#include "core/engine/autodiff.h"

namespace ca3 {

// Normalizes each channel (last axis) over all other axes. In training, batch statistics are
// used and the running statistics updated in place (momentum as in PyTorch, unbiased
// variance for the running estimate); in eval, the running statistics are used.
Var batch_norm(const Var& x, const Var& gamma, const Var& beta, Tensor& running_mean, Tensor& running_var,
               bool training, float momentum = 0.1f, float epsilon = 1e-5f);

// Zeroes each element with probability p and scales the rest by 1/(1-p); identity in eval.
Var dropout(const Var& x, float p, bool training, Rng& rng);

}  // namespace ca3
