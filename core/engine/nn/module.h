// Module: a layer or a network with named parameters, buffers (e.g. batch-norm running
// statistics) and a train/eval mode, in PyTorch's style.
//
//   auto net = std::make_shared<Sequential>();
//   net->add(std::make_shared<Conv2d>(1, 32, 3, 2, 1, rng));
//   net->add(std::make_shared<ReLU>());
//   Var y = net->forward(x);
//   for (auto& [name, p] : net->named_parameters()) ...   // "0.weight", "0.bias"
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/engine/autodiff.h"

namespace ca3 {

class Module {
 public:
  virtual ~Module() = default;
  virtual Var forward(const Var& input) = 0;

  // Parameters of this module and its children, depth first, named "child.name".
  std::vector<std::pair<std::string, Var>> named_parameters() const;
  std::vector<Var> parameters() const;
  // Non-trainable state saved with the model (running statistics).
  std::vector<std::pair<std::string, Tensor*>> named_buffers();

  // Direct children, in registration order.
  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& named_children() const { return children_; }

  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }
  void zero_grad();

 protected:
  // Returns a handle sharing the registered parameter's node. An empty tensor (an optional
  // parameter left out, e.g. no bias) registers nothing and returns an undefined Var.
  Var register_parameter(std::string name, Tensor value);
  Tensor& register_buffer(std::string name, Tensor value);
  template <typename M>
  std::shared_ptr<M> register_module(std::string name, std::shared_ptr<M> module) {
    children_.emplace_back(std::move(name), module);
    return module;
  }

 private:
  // std::unique_ptr keeps buffer addresses stable for the references returned above.
  std::vector<std::pair<std::string, Var>> parameters_;
  std::vector<std::pair<std::string, std::unique_ptr<Tensor>>> buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  bool training_ = true;
};

}  // namespace ca3
