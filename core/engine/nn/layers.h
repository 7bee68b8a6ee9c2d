// Layers: thin Modules over the ops in core/engine/ops/, with weights initialized from an Rng.
//
// Initialization: Kaiming-uniform weights by default (bound = sqrt(6 / fan_in), right for
// ReLU networks) or Xavier-uniform (bound = sqrt(6 / (fan_in + fan_out))); biases uniform in
// +-1/sqrt(fan_in) as in PyTorch.
#pragma once

#include "core/engine/nn/module.h"
#include "core/engine/ops/conv.h"

namespace ca3 {

enum class Init { kaiming_uniform, xavier_uniform };

class Linear : public Module {
 public:
  Linear(int64_t in_features, int64_t out_features, Rng& rng, bool bias = true, Init init = Init::kaiming_uniform);
  Var forward(const Var& input) override;  // [N, in] -> [N, out]
  Var weight;                             // [out, in]
  Var bias;                               // [out] (undefined without bias)
};

class Conv2d : public Module {
 public:
  Conv2d(int64_t in_channels, int64_t out_channels, int64_t kernel, int64_t stride, int64_t pad, Rng& rng,
         bool bias = true, Init init = Init::kaiming_uniform);
  Var forward(const Var& input) override;  // [N,H,W,Ci] -> [N,OH,OW,Co]
  Var weight;                             // [Co, K, K, Ci]
  Var bias;
  Conv2dOptions options;
};

class ConvTranspose2d : public Module {
 public:
  ConvTranspose2d(int64_t in_channels, int64_t out_channels, int64_t kernel, int64_t stride, int64_t pad,
                  int64_t output_padding, Rng& rng, bool bias = true, Init init = Init::kaiming_uniform);
  Var forward(const Var& input) override;  // [N,h,w,Ci] -> [N,H,W,Co]
  Var weight;                             // [Ci, K, K, Co]
  Var bias;
  Conv2dOptions options;
};

class Conv1d : public Module {
 public:
  Conv1d(int64_t in_channels, int64_t out_channels, int64_t kernel, int64_t stride, int64_t pad, Rng& rng,
         bool bias = true, Init init = Init::kaiming_uniform);
  Var forward(const Var& input) override;  // [N,L,Ci] -> [N,OL,Co]
  Var weight;                             // [Co, K, Ci]
  Var bias;
  int64_t stride, pad;
};

class ConvTranspose1d : public Module {
 public:
  ConvTranspose1d(int64_t in_channels, int64_t out_channels, int64_t kernel, int64_t stride, int64_t pad,
                  int64_t output_padding, Rng& rng, bool bias = true, Init init = Init::kaiming_uniform);
  Var forward(const Var& input) override;  // [N,l,Ci] -> [N,L,Co]
  Var weight;                             // [Ci, K, Co]
  Var bias;
  int64_t stride, pad, output_padding;
};

// Normalizes over every axis but the last (channels); works for [N,C], [N,L,C] and [N,H,W,C].
class BatchNorm : public Module {
 public:
  explicit BatchNorm(int64_t channels, float momentum = 0.1f, float epsilon = 1e-5f);
  Var forward(const Var& input) override;
  // Training statistics from the flagged samples only (see batch_norm); empty = all.
  Var forward(const Var& input, const std::vector<uint8_t>& statistics_samples);
  Var gamma;
  Var beta;
  Tensor& running_mean;
  Tensor& running_var;
  float momentum, epsilon;
};

enum class PoolKind { max, average };

class Pool2d : public Module {
 public:
  Pool2d(PoolKind kind, int64_t kernel, int64_t stride = 0, int64_t pad = 0)
      : kind(kind), kernel(kernel), stride(stride), pad(pad) {}
  Var forward(const Var& input) override;
  PoolKind kind;
  int64_t kernel, stride, pad;
};

class Pool1d : public Module {
 public:
  Pool1d(PoolKind kind, int64_t kernel, int64_t stride = 0, int64_t pad = 0)
      : kind(kind), kernel(kernel), stride(stride), pad(pad) {}
  Var forward(const Var& input) override;
  PoolKind kind;
  int64_t kernel, stride, pad;
};

class AdaptivePool2d : public Module {
 public:
  AdaptivePool2d(PoolKind kind, int64_t out_height, int64_t out_width)
      : kind(kind), out_height(out_height), out_width(out_width) {}
  Var forward(const Var& input) override;
  PoolKind kind;
  int64_t out_height, out_width;
};

class ReLU : public Module {
 public:
  Var forward(const Var& input) override;
};
class LeakyReLU : public Module {
 public:
  explicit LeakyReLU(float slope = 0.01f) : slope(slope) {}
  Var forward(const Var& input) override;
  float slope;
};
class ELU : public Module {
 public:
  explicit ELU(float alpha = 1.f) : alpha(alpha) {}
  Var forward(const Var& input) override;
  float alpha;
};
class Sigmoid : public Module {
 public:
  Var forward(const Var& input) override;
};
class Tanh : public Module {
 public:
  Var forward(const Var& input) override;
};
class Flatten : public Module {
 public:
  Var forward(const Var& input) override;
};
class Dropout : public Module {
 public:
  Dropout(float p, uint64_t seed) : p(p), rng(seed) {}
  Var forward(const Var& input) override;
  float p;
  Rng rng;
};

class Sequential : public Module {
 public:
  Sequential() = default;
  template <typename M>
  std::shared_ptr<M> add(std::shared_ptr<M> module) {
    layers_.push_back(module);
    return register_module(std::to_string(layers_.size() - 1), std::move(module));
  }
  Var forward(const Var& input) override;
  size_t size() const { return layers_.size(); }
  Module& operator[](size_t i) { return *layers_.at(i); }

 private:
  std::vector<std::shared_ptr<Module>> layers_;
};

}  // namespace ca3
