// Shape ops: reshape / flatten (views), slice along an axis, concatenation along channels.
#pragma once
#include "core/engine/autodiff.h"

namespace ca3 {
Var reshape(const Var& input, const Shape& shape);  // one dimension may be -1
Var flatten(const Var& input);                      // [N, ...] -> [N, rest]
// Elements [start, end) of `axis`.
Var slice(const Var& input, int axis, int64_t start, int64_t end);
// Concatenates along the last axis (channels in NHWC); all other dimensions must agree.
Var concat_channels(const std::vector<Var>& inputs);
}  // namespace ca3
