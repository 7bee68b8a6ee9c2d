// Losses, per sample ([N]) so that callers can mask or weight samples (E2E-ConvA3 zeroes the
// reconstruction term of anomalous samples).
#pragma once
#include "core/engine/autodiff.h"

namespace ca3 {
// mean over each sample's elements of (prediction - target)^2 -> [N]
Var mse_per_sample(const Var& prediction, const Var& target);
// max(z,0) - z*y + log(1 + exp(-|z|)) for logits z [N] or [N,1], targets y in [0,1] -> [N]
Var bce_with_logits(const Var& logits, const Tensor& targets);
// KL(N(mu, exp(log_var)) || N(0, 1)) summed over each sample's elements -> [N]
Var gaussian_kl(const Var& mu, const Var& log_var);
}  // namespace ca3
