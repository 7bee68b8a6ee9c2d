// Pooling over NHWC images ([N,H,W,C]) and 1-D signals ([N,L,C]): average and max with a
// window, and adaptive pooling to a given output size (PyTorch's bin edges:
// start = floor(i*H/OH), end = ceil((i+1)*H/OH)).
#pragma once
#include "core/engine/autodiff.h"

namespace ca3 {
Var max_pool2d(const Var& x, int64_t kernel, int64_t stride = 0, int64_t pad = 0);  // stride 0 = kernel
Var avg_pool2d(const Var& x, int64_t kernel, int64_t stride = 0, int64_t pad = 0);  // pads count as zeros
Var adaptive_max_pool2d(const Var& x, int64_t out_height, int64_t out_width);
Var adaptive_avg_pool2d(const Var& x, int64_t out_height, int64_t out_width);

Var max_pool1d(const Var& x, int64_t kernel, int64_t stride = 0, int64_t pad = 0);
Var avg_pool1d(const Var& x, int64_t kernel, int64_t stride = 0, int64_t pad = 0);
Var adaptive_max_pool1d(const Var& x, int64_t out_length);
Var adaptive_avg_pool1d(const Var& x, int64_t out_length);
}  // namespace ca3
