#include "core/engine/autodiff.h"

#include <unordered_set>

#include "core/engine/error.h"

namespace ca3 {

namespace {
thread_local bool g_grad_enabled = true;
}

bool grad_enabled() { return g_grad_enabled; }
NoGradGuard::NoGradGuard() : previous_(g_grad_enabled) { g_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { g_grad_enabled = previous_; }

Var::Var(Tensor value, bool requires_grad) : node_(std::make_shared<Node>()) {
  node_->shape = value.shape();
  node_->value = std::move(value);
  node_->requires_grad = requires_grad;
  node_->handles = 1;
}

Var::Var(const Var& other) : node_(other.node_) {
  if (node_) ++node_->handles;
}
Var::Var(Var&& other) noexcept : node_(std::move(other.node_)) {}
Var& Var::operator=(const Var& other) {
  if (node_ != other.node_) {
    release();
    node_ = other.node_;
    if (node_) ++node_->handles;
  }
  return *this;
}
Var& Var::operator=(Var&& other) noexcept {
  if (this != &other) {
    release();
    node_ = std::move(other.node_);
  }
  return *this;
}
Var::~Var() { release(); }

void Var::release() {
  if (!node_) return;
  // A recorded result nobody refers to any more: backward needs only its gradient and what
  // the backward functions captured, not the value.
  if (--node_->handles == 0 && node_->backward) node_->value = Tensor();
  node_.reset();
}

const Tensor& Var::value() const {
  CA3_CHECK(node_ != nullptr, "use of an undefined Var");
  return node_->value;
}

Tensor& Var::mutable_value() {
  CA3_CHECK(node_ != nullptr, "use of an undefined Var");
  return node_->value;
}

const Tensor& Var::grad() const {
  CA3_CHECK(node_ != nullptr, "use of an undefined Var");
  return node_->grad;
}

void Var::zero_grad() {
  if (node_) node_->grad = Tensor();
}

void Var::backward() const {
  CA3_CHECK(value().numel() == 1, "backward() without a seed needs a single-element result, got ",
            shape_to_string(shape()));
  backward(Tensor::full(shape(), 1.f));
}

void Var::backward(const Tensor& seed) const {
  CA3_CHECK(node_ != nullptr, "backward on an undefined Var");
  CA3_CHECK(seed.shape() == shape(), "backward: seed shape ", shape_to_string(seed.shape()),
            " differs from ", shape_to_string(shape()));
  if (!node_->requires_grad) return;

  // Topological order by iterative depth-first search (graphs can be deep). `order` owns the
  // nodes: releasing a node's inputs below must not free nodes still waiting their turn.
  std::vector<std::shared_ptr<Node>> order;
  std::unordered_set<Node*> visited;
  std::vector<std::pair<std::shared_ptr<Node>, size_t>> stack{{node_, 0}};
  visited.insert(node_.get());
  while (!stack.empty()) {
    auto& top = stack.back();
    if (top.second < top.first->inputs.size()) {
      std::shared_ptr<Node> child = top.first->inputs[top.second++];
      if (child->requires_grad && visited.insert(child.get()).second) stack.emplace_back(std::move(child), 0);
    } else {
      order.push_back(std::move(top.first));
      stack.pop_back();
    }
  }

  Tensor seed_copy = seed.clone();
  if (node_->grad.empty()) node_->grad = std::move(seed_copy);
  else node_->grad.add_(seed_copy);

  // Reverse walk: every consumer runs before its inputs. The graph is consumed: each node's
  // backward, inputs and gradient are released after use (leaves keep their gradients), and so
  // is the walk's own hold on the node -- an activation nobody else holds is freed as soon as
  // its gradient has been passed on, which keeps the peak memory of a training step near that
  // of its forward pass.
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    Node* node = it->get();
    if (node->backward && !node->grad.empty()) node->backward(*node);
    if (node->backward) {
      node->backward = nullptr;
      node->inputs.clear();
      node->grad = Tensor();
    }
    it->reset();
  }
}

Var make_result(Tensor value, const std::vector<Var>& inputs, std::function<void(Node& self)> backward) {
  Var result(std::move(value), false);
  if (!grad_enabled()) return result;
  bool any = false;
  for (const Var& input : inputs) any = any || (input.defined() && input.requires_grad());
  if (!any) return result;
  Node& node = *result.node();
  node.requires_grad = true;
  for (const Var& input : inputs) {
    // An undefined optional input (e.g. no bias) is kept as a constant placeholder.
    node.inputs.push_back(input.defined() ? input.node() : std::make_shared<Node>());
  }
  node.backward = std::move(backward);
  return result;
}

bool input_needs_grad(const Node& self, size_t index) {
  return index < self.inputs.size() && self.inputs[index]->requires_grad;
}

void accumulate_grad(Node& self, size_t index, Tensor gradient) {
  Node& input = *self.inputs.at(index);
  if (!input.requires_grad) return;
  CA3_ASSERT(gradient.numel() == shape_numel(input.shape));
  if (input.grad.empty()) {
    input.grad = gradient.storage_is_unique() ? gradient.reshape(input.shape) : gradient.clone().reshape(input.shape);
  } else {
    input.grad.add_(gradient);
  }
}

}  // namespace ca3
