// Reverse-mode automatic differentiation on a dynamic tape.
//
// A Var wraps a Node: its value, its gradient and, for results of operations, the inputs and
// the function that pushes the node's gradient back into them. backward() sorts the graph
// topologically and walks it in reverse; gradients are accumulated (+=), so a tensor used by
// two branches receives both contributions. Parameters are leaves with requires_grad; under a
// NoGradGuard operations record nothing (inference).
//
//   Var w = Var::parameter(Tensor::full({3}, 2.f));
//   Var y = sum(mul(w, w));     // ops in core/engine/ops/
//   y.backward();               // w.grad() == 2 * w
//
// An op is written as: compute the value, then
//   return make_result(value, {a, b}, [x = a.value()](Node& self) { ...accumulate_grad(self, 0, g)... });
//
// Memory: the graph does not keep activations. An op's result keeps its value while some Var
// refers to it; once none does, the value is dropped (its shape stays) and only what backward
// functions captured lives on -- so a backward function captures the tensors it reads (an input,
// its own output, a mask) and never reads self.inputs[i]->value.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/engine/tensor.h"

namespace ca3 {

struct Node {
  Tensor value;  // dropped (empty) once no Var refers to a recorded result
  Shape shape;   // the value's shape, kept when the value is dropped
  Tensor grad;   // empty until a gradient arrives
  int64_t handles = 0;  // the Vars referring to this node
  bool requires_grad = false;
  std::vector<std::shared_ptr<Node>> inputs;
  std::function<void(Node& self)> backward;  // reads self.grad, accumulates into inputs
};

class Var {
 public:
  Var() = default;
  explicit Var(Tensor value, bool requires_grad = false);
  Var(const Var& other);
  Var(Var&& other) noexcept;
  Var& operator=(const Var& other);
  Var& operator=(Var&& other) noexcept;
  ~Var();
  static Var parameter(Tensor value) { return Var(std::move(value), true); }

  bool defined() const { return node_ != nullptr; }
  const Tensor& value() const;
  Tensor& mutable_value();  // for optimizers and model loading
  const Tensor& grad() const;
  void zero_grad();
  bool requires_grad() const { return node_ && node_->requires_grad; }
  const Shape& shape() const { return value().shape(); }
  int64_t dim(int axis) const { return value().dim(axis); }
  int64_t rank() const { return value().rank(); }
  int64_t numel() const { return value().numel(); }

  // Back-propagates from this (single-element) Var, seeding its gradient with 1.
  void backward() const;
  // Back-propagates with an explicit seed gradient of this Var's shape.
  void backward(const Tensor& seed) const;

  const std::shared_ptr<Node>& node() const { return node_; }

 private:
  void release();  // drops this handle (and a recorded result's value with the last one)
  std::shared_ptr<Node> node_;
};

// Gradient recording is on by default; a NoGradGuard turns it off for its scope (per thread).
bool grad_enabled();
class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

// ---- for op implementers ----------------------------------------------------------------------

// The result of an op: records inputs + backward only when recording is on and some input
// requires a gradient.
Var make_result(Tensor value, const std::vector<Var>& inputs, std::function<void(Node& self)> backward);

// True when input `index` of `self` wants a gradient.
bool input_needs_grad(const Node& self, size_t index);

// self.inputs[index]->grad += gradient (takes the storage when nobody else shares it).
void accumulate_grad(Node& self, size_t index, Tensor gradient);

}  // namespace ca3
