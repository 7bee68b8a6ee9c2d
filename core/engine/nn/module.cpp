#include "core/engine/nn/module.h"

namespace ca3 {

std::vector<std::pair<std::string, Var>> Module::named_parameters() const {
  std::vector<std::pair<std::string, Var>> out;
  for (const auto& [name, p] : parameters_) out.emplace_back(name, p);
  for (const auto& [child_name, child] : children_)
    for (auto& [name, p] : child->named_parameters()) out.emplace_back(child_name + "." + name, p);
  return out;
}

std::vector<Var> Module::parameters() const {
  std::vector<Var> out;
  for (auto& [name, p] : named_parameters()) out.push_back(p);
  return out;
}

std::vector<std::pair<std::string, Tensor*>> Module::named_buffers() {
  std::vector<std::pair<std::string, Tensor*>> out;
  for (auto& [name, b] : buffers_) out.emplace_back(name, b.get());
  for (auto& [child_name, child] : children_)
    for (auto& [name, b] : child->named_buffers()) out.emplace_back(child_name + "." + name, b);
  return out;
}

void Module::train(bool on) {
  training_ = on;
  for (auto& [name, child] : children_) child->train(on);
}

void Module::zero_grad() {
  for (auto& p : parameters()) p.zero_grad();
}

Var Module::register_parameter(std::string name, Tensor value) {
  if (value.empty()) return Var();
  parameters_.emplace_back(std::move(name), Var::parameter(std::move(value)));
  return parameters_.back().second;
}

Tensor& Module::register_buffer(std::string name, Tensor value) {
  buffers_.emplace_back(std::move(name), std::make_unique<Tensor>(std::move(value)));
  return *buffers_.back().second;
}

}  // namespace ca3
