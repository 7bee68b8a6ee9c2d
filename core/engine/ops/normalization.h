// Batch normalization and dropout: ops whose behaviour differs between training and eval.
#pragma once
#include <cstdint>
#include <vector>

#include "core/engine/autodiff.h"

namespace ca3 {

// Normalizes each channel (last axis) over all other axes. In training, batch statistics are
// used and the running statistics updated in place (momentum as in PyTorch, unbiased
// variance for the running estimate); in eval, the running statistics are used.
//
// `statistics_samples` (training only; one flag per sample along axis 0, empty = all) says which
// samples the statistics come from; every sample is normalized with them. E2E-ConvA3 passes its
// normal samples, so that anomalies in a batch do not shift what "normal" looks like to the
// layers after it (nor the running statistics used when scoring).
Var batch_norm(const Var& x, const Var& gamma, const Var& beta, Tensor& running_mean, Tensor& running_var,
               bool training, float momentum = 0.1f, float epsilon = 1e-5f,
               const std::vector<uint8_t>& statistics_samples = {});

// Zeroes each element with probability p and scales the rest by 1/(1-p); identity in eval.
Var dropout(const Var& x, float p, bool training, Rng& rng);

}  // namespace ca3
