#include "core/engine/ops/shape.h"

#include <cstring>

#include "core/engine/error.h"

namespace ca3 {

Var reshape(const Var& input, const Shape& shape) {
  Tensor out = input.value().reshape(shape);
  return make_result(out, {input}, [](Node& self) { accumulate_grad(self, 0, std::move(self.grad)); });
}

Var flatten(const Var& input) {
  CA3_CHECK(input.value().rank() >= 1, "flatten: input has no batch dimension");
  return reshape(input, {input.dim(0), -1});
}

Var slice(const Var& input, int axis, int64_t start, int64_t end) {
  const Tensor& x = input.value();
  if (axis < 0) axis += x.rank();
  CA3_CHECK(axis >= 0 && axis < x.rank(), "slice: axis out of range for ", shape_to_string(x.shape()));
  const int64_t size = x.dim(axis);
  CA3_CHECK(0 <= start && start <= end && end <= size, "slice: [", start, ", ", end, ") out of range for axis ",
            axis, " of size ", size);
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; ++i) outer *= x.dim(i);
  for (int i = axis + 1; i < x.rank(); ++i) inner *= x.dim(i);
  Shape shape = x.shape();
  shape[size_t(axis)] = end - start;
  Tensor out = Tensor::uninitialized(shape);
  const int64_t run = (end - start) * inner;
  for (int64_t o = 0; o < outer; ++o)
    std::memcpy(out.mutable_data() + o * run, x.data() + (o * size + start) * inner, size_t(run) * sizeof(float));
  return make_result(out, {input}, [outer, inner, size, start, run, shape = x.shape()](Node& self) {
    Tensor dx(shape);
    float* p = dx.mutable_data();
    for (int64_t o = 0; o < outer; ++o)
      std::memcpy(p + (o * size + start) * inner, self.grad.data() + o * run, size_t(run) * sizeof(float));
    accumulate_grad(self, 0, std::move(dx));
  });
}

Var concat_channels(const std::vector<Var>& inputs) {
  CA3_CHECK(!inputs.empty(), "concat_channels: no inputs");
  const Shape& first = inputs[0].shape();
  CA3_CHECK(!first.empty(), "concat_channels: inputs must have a channel axis");
  std::vector<int64_t> channels;
  int64_t total = 0;
  for (const Var& v : inputs) {
    const Shape& s = v.shape();
    CA3_CHECK(s.size() == first.size() && std::equal(s.begin(), s.end() - 1, first.begin()),
              "concat_channels: shapes ", shape_to_string(first), " and ", shape_to_string(s),
              " differ outside the channel axis");
    channels.push_back(s.back());
    total += s.back();
  }
  const int64_t positions = inputs[0].numel() / first.back();
  Shape shape = first;
  shape.back() = total;
  Tensor out = Tensor::uninitialized(shape);
  float* p = out.mutable_data();
  int64_t offset = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const float* x = inputs[i].value().data();
    for (int64_t q = 0; q < positions; ++q)
      std::memcpy(p + q * total + offset, x + q * channels[i], size_t(channels[i]) * sizeof(float));
    offset += channels[i];
  }
  return make_result(out, inputs, [channels, positions, total](Node& self) {
    int64_t offset = 0;
    for (size_t i = 0; i < channels.size(); ++i) {
      if (input_needs_grad(self, i)) {
        Tensor dx = Tensor::uninitialized(self.inputs[i]->shape);
        float* p = dx.mutable_data();
        for (int64_t q = 0; q < positions; ++q)
          std::memcpy(p + q * channels[i], self.grad.data() + q * total + offset, size_t(channels[i]) * sizeof(float));
        accumulate_grad(self, i, std::move(dx));
      }
      offset += channels[i];
    }
  });
}

}  // namespace ca3
