// Optimizers over a list of parameters (Vars that share their nodes with the model).
//
//   Adam adam(model.parameters(), {.learning_rate = 1e-3f});
//   model.zero_grad(); loss.backward(); adam.step();
#pragma once

#include <vector>

#include "core/engine/autodiff.h"

namespace ca3 {

class Optimizer {
 public:
  explicit Optimizer(std::vector<Var> parameters);
  virtual ~Optimizer() = default;
  virtual void step() = 0;
  void zero_grad();
  const std::vector<Var>& parameters() const { return parameters_; }

 protected:
  std::vector<Var> parameters_;
};

struct AdamOptions {
  float learning_rate = 1e-3f;
  float beta1 = 0.9f, beta2 = 0.999f;
  float epsilon = 1e-8f;
  float weight_decay = 0.f;  // L2 penalty added to the gradient (as torch.optim.Adam)
};

// Adam with bias correction (Kingma & Ba 2015).
class Adam : public Optimizer {
 public:
  Adam(std::vector<Var> parameters, AdamOptions options = {});
  void step() override;
  AdamOptions options;
  int64_t steps() const { return step_count_; }

 private:
  std::vector<Tensor> first_moment_, second_moment_;
  int64_t step_count_ = 0;
};

struct SgdOptions {
  float learning_rate = 1e-2f;
  float momentum = 0.f;
  float weight_decay = 0.f;
};

// Stochastic gradient descent with (heavy-ball) momentum, as torch.optim.SGD.
class Sgd : public Optimizer {
 public:
  Sgd(std::vector<Var> parameters, SgdOptions options = {});
  void step() override;
  SgdOptions options;

 private:
  std::vector<Tensor> velocity_;
  bool first_step_ = true;
};

}  // namespace ca3
