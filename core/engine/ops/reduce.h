// Reductions to a single value ([1]).
#pragma once
#include "core/engine/autodiff.h"

namespace ca3 {
Var sum(const Var& x);
Var mean(const Var& x);
}  // namespace ca3
