// Helpers shared by the test suites: data locations, random tensors, finite differences.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/engine/autodiff.h"
#include "core/engine/kernels/kernels.h"

namespace ca3::testing {

// A Fashion-MNIST IDX file ("train-images-idx3-ubyte"): the uncompressed copy in
// $CA3_FASHION_MNIST_DIR (made by the build; the only one the wasm tests can read), else the
// gzip file of Debian's dataset-fashion-mnist package.
std::string fashion_mnist_file(const std::string& name);
// A file of the repository's data/ folder (CA3_DATA_DIR, set by CTest).
std::string data_file(const std::string& name);
// A file of the repository ("models/demo/tabular.ca3"): its absolute path. (Only test_support.cpp
// is compiled with the clone's location, so the compiler cache serves the suites to any clone.)
std::string source_file(const std::string& path);

// The message of the ca3::Error that `f` throws, or "(no error)".
std::string error_of(const std::function<void()>& f);

// Sets the kernels (and thread count) for one scope, restoring the previous ones after.
class KernelsScope {
 public:
  explicit KernelsScope(KernelsKind kind, int threads = 1);
  ~KernelsScope();

 private:
  KernelsKind previous_kind_;
  int previous_threads_;
};

// Uniform values in [low, high] whose magnitude is at least `min_magnitude` (away from kinks).
Tensor random_tensor(const Shape& shape, Rng& rng, float low = -1.f, float high = 1.f, float min_magnitude = 0.f);
// Distinct values (a shuffled ladder with `step` between neighbours): no ties for max-pooling.
Tensor distinct_tensor(const Shape& shape, Rng& rng, float step = 0.02f);

// Largest |a - b| / (atol + rtol * |b|) over elements; <= 1 means "close".
double closeness(const float* a, const float* b, int64_t n, double atol, double rtol);

struct GradcheckResult {
  double worst = 0.0;  // closeness() of analytic vs numeric gradients, all inputs
  std::string where;   // the worst element, for the failure message
};

// Compares the analytic gradients of L = sum(weights * f(inputs)) (fixed random weights) with
// central finite differences, for every element of every input marked in `check`.
GradcheckResult gradcheck(const std::function<Var(const std::vector<Var>&)>& f, const std::vector<Tensor>& inputs,
                          std::vector<bool> check = {}, float epsilon = 1e-2f, double atol = 2e-3,
                          double rtol = 2e-2);

}  // namespace ca3::testing
