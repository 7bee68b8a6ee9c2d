// Convolutions and transposed convolutions, 2-D (NHWC) and 1-D ([N, L, C], i.e. H = 1).
//
// Weight layouts:  conv  [out_channels, KH, KW, in_channels]
//                  transposed conv  [in_channels, KH, KW, out_channels]
// (a transposed convolution's weights are those of the convolution it is the adjoint of,
//  so both run on the same three kernels; see kernels/kernels.h).
#pragma once
#include "core/engine/autodiff.h"

namespace ca3 {

struct Conv2dOptions {
  int64_t stride_height = 1, stride_width = 1;
  int64_t pad_height = 0, pad_width = 0;                        // on both sides
  int64_t output_padding_height = 0, output_padding_width = 0;  // transposed conv only, < stride
};

// input [N,H,W,Ci], weights [Co,KH,KW,Ci], bias [Co] or undefined -> [N,OH,OW,Co]
Var conv2d(const Var& input, const Var& weights, const Var& bias, const Conv2dOptions& options = {});
// input [N,h,w,Ci], weights [Ci,KH,KW,Co], bias [Co] or undefined -> [N,H,W,Co] with
// H = (h-1)*stride - 2*pad + KH + output_padding
Var conv_transpose2d(const Var& input, const Var& weights, const Var& bias, const Conv2dOptions& options = {});

// input [N,L,Ci], weights [Co,K,Ci] -> [N,OL,Co]
Var conv1d(const Var& input, const Var& weights, const Var& bias, int64_t stride = 1, int64_t pad = 0);
// input [N,l,Ci], weights [Ci,K,Co] -> [N,L,Co]
Var conv_transpose1d(const Var& input, const Var& weights, const Var& bias, int64_t stride = 1, int64_t pad = 0,
                     int64_t output_padding = 0);

}  // namespace ca3
