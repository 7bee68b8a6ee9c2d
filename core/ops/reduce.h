// Reductions to a single value ([1]).
#pragma once
#include "core/autodiff.h"

namespace ca3 {
Var sum(const Var& x);
Var mean(const Var& x);
}  // namespace ca3
