#include "core/engine/ops/reduce.h"

#include "core/engine/error.h"

namespace ca3 {

namespace {
Var scaled_sum(const Var& x, float factor) {
  double total = 0.0;
  const float* p = x.value().data();
  for (int64_t i = 0; i < x.numel(); ++i) total += p[i];
  Tensor out = Tensor::full({1}, static_cast<float>(total * factor));
  return make_result(out, {x}, [factor](Node& self) {
    Tensor dx = Tensor::full(self.inputs[0]->shape, self.grad.at(0) * factor);
    accumulate_grad(self, 0, std::move(dx));
  });
}
}  // namespace

Var sum(const Var& x) { return scaled_sum(x, 1.f); }

Var mean(const Var& x) {
  CA3_CHECK(x.numel() > 0, "mean of an empty tensor");
  return scaled_sum(x, 1.f / static_cast<float>(x.numel()));
}

}  // namespace ca3
