#include "core/engine/ops/linear.h"

#include "core/engine/error.h"
#include "core/engine/kernels/kernels.h"

namespace ca3 {

Var matmul(const Var& a, const Var& b) {
  CA3_CHECK(a.value().rank() == 2 && b.value().rank() == 2 && a.dim(1) == b.dim(0), "matmul: shapes ",
            shape_to_string(a.shape()), " and ", shape_to_string(b.shape()), " do not multiply");
  const int64_t m = a.dim(0), k = a.dim(1), n = b.dim(1);
  Tensor out = Tensor::uninitialized({m, n});
  kernels().matmul(m, n, k, a.value().data(), false, b.value().data(), false, nullptr, out.mutable_data());
  return make_result(out, {a, b}, [m, n, k, a_value = a.value(), b_value = b.value()](Node& self) {
    if (input_needs_grad(self, 0)) {  // dA[M,K] = dC[M,N] x B^T
      Tensor da = Tensor::uninitialized({m, k});
      kernels().matmul(m, k, n, self.grad.data(), false, b_value.data(), true, nullptr, da.mutable_data());
      accumulate_grad(self, 0, std::move(da));
    }
    if (input_needs_grad(self, 1)) {  // dB[K,N] = A^T x dC
      Tensor db = Tensor::uninitialized({k, n});
      kernels().matmul(k, n, m, a_value.data(), true, self.grad.data(), false, nullptr, db.mutable_data());
      accumulate_grad(self, 1, std::move(db));
    }
  });
}

Var linear(const Var& input, const Var& weights, const Var& bias) {
  CA3_CHECK(input.value().rank() == 2, "linear: input must be [batch, features], got ",
            shape_to_string(input.shape()));
  CA3_CHECK(weights.value().rank() == 2 && weights.dim(1) == input.dim(1), "linear: input has ", input.dim(1),
            " features but the weights ", shape_to_string(weights.shape()), " expect ", weights.dim(-1));
  const int64_t batch = input.dim(0), in = input.dim(1), out_features = weights.dim(0);
  if (bias.defined())
    CA3_CHECK(bias.numel() == out_features, "linear: bias has ", bias.numel(), " values, expected ", out_features);
  Tensor out = Tensor::uninitialized({batch, out_features});
  kernels().matmul(batch, out_features, in, input.value().data(), false, weights.value().data(), true,
                   bias.defined() ? bias.value().data() : nullptr, out.mutable_data());
  return make_result(out, {input, weights, bias}, [batch, in, out_features, x = input.value(),
                                                   w = weights.value()](Node& self) {
    const float* dy = self.grad.data();
    if (input_needs_grad(self, 0)) {  // dX[N,in] = dY[N,out] x W[out,in]
      Tensor dx = Tensor::uninitialized({batch, in});
      kernels().matmul(batch, in, out_features, dy, false, w.data(), false, nullptr,
                       dx.mutable_data());
      accumulate_grad(self, 0, std::move(dx));
    }
    if (input_needs_grad(self, 1)) {  // dW[out,in] = dY^T x X
      Tensor dw = Tensor::uninitialized({out_features, in});
      kernels().matmul(out_features, in, batch, dy, true, x.data(), false, nullptr,
                       dw.mutable_data());
      accumulate_grad(self, 1, std::move(dw));
    }
    if (input_needs_grad(self, 2)) {  // db = column sums of dY
      Tensor db({out_features});
      float* p = db.mutable_data();
      for (int64_t i = 0; i < batch; ++i)
        for (int64_t j = 0; j < out_features; ++j) p[j] += dy[i * out_features + j];
      accumulate_grad(self, 2, std::move(db));
    }
  });
}

}  // namespace ca3
