#include "tests/test_support.h"

#include "core/engine/error.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

namespace ca3::testing {

std::string fashion_mnist_file(const std::string& name) {
  const char* dir = std::getenv("CA3_FASHION_MNIST_DIR");
  if (dir && *dir) return std::string(dir) + "/" + name;
  return "/usr/share/datasets/fashion-mnist/" + name + ".gz";
}

std::string data_file(const std::string& name) {
  const char* dir = std::getenv("CA3_DATA_DIR");
  return (dir && *dir ? std::string(dir) : source_file("data")) + "/" + name;
}

std::string source_file(const std::string& path) { return std::string(CA3_SOURCE_DIR) + "/" + path; }

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

KernelsScope::KernelsScope(KernelsKind kind, int threads)
    : previous_kind_(kernels_kind()), previous_threads_(num_threads()) {
  set_kernels(kind);
  set_num_threads(threads);
}

KernelsScope::~KernelsScope() {
  set_kernels(previous_kind_);
  set_num_threads(previous_threads_);
}

Tensor random_tensor(const Shape& shape, Rng& rng, float low, float high, float min_magnitude) {
  Tensor t(shape);
  float* p = t.mutable_data();
  for (int64_t i = 0; i < t.numel(); ++i) {
    float v;
    do v = rng.uniform(low, high); while (std::fabs(v) < min_magnitude);
    p[i] = v;
  }
  return t;
}

Tensor distinct_tensor(const Shape& shape, Rng& rng, float step) {
  Tensor t(shape);
  std::vector<int64_t> order(size_t(t.numel()));
  std::iota(order.begin(), order.end(), 0);
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  float* p = t.mutable_data();
  const float offset = -step * float(t.numel()) / 2.f;
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = offset + step * float(order[size_t(i)]);
  return t;
}

double closeness(const float* a, const float* b, int64_t n, double atol, double rtol) {
  double worst = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    const double d = std::fabs(double(a[i]) - b[i]) / (atol + rtol * std::fabs(double(b[i])));
    if (!(d <= worst)) worst = d;  // NaN propagates as "not close"
  }
  return worst;
}

GradcheckResult gradcheck(const std::function<Var(const std::vector<Var>&)>& f, const std::vector<Tensor>& inputs,
                          std::vector<bool> check, float epsilon, double atol, double rtol) {
  if (check.empty()) check.assign(inputs.size(), true);
  // Analytic gradients.
  std::vector<Var> vars;
  for (size_t i = 0; i < inputs.size(); ++i) vars.emplace_back(inputs[i].clone(), bool(check[i]));
  Var out = f(vars);
  Rng weight_rng(1234);
  Tensor weights = random_tensor(out.shape(), weight_rng, -1.f, 1.f);
  out.backward(weights);

  auto loss_of = [&](const std::vector<Tensor>& values) {
    NoGradGuard no_grad;
    std::vector<Var> v;
    for (const Tensor& t : values) v.emplace_back(t, false);
    const Tensor y = f(v).value();
    double total = 0.0;
    for (int64_t i = 0; i < y.numel(); ++i) total += double(y.at(i)) * weights.at(i);
    return total;
  };

  GradcheckResult result;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!check[i]) continue;
    const Tensor& analytic = vars[i].grad();
    std::vector<Tensor> values;
    for (const Tensor& t : inputs) values.push_back(t.clone());
    for (int64_t j = 0; j < inputs[i].numel(); ++j) {
      const float original = inputs[i].at(j);
      values[i].mutable_data()[j] = original + epsilon;
      const double plus = loss_of(values);
      values[i].mutable_data()[j] = original - epsilon;
      const double minus = loss_of(values);
      values[i].mutable_data()[j] = original;
      const float numeric = float((plus - minus) / (2.0 * epsilon));
      const float a = analytic.empty() ? 0.f : analytic.at(j);
      const double c = closeness(&a, &numeric, 1, atol, rtol);
      if (!(c <= result.worst)) {
        result.worst = c;
        result.where = "input " + std::to_string(i) + " element " + std::to_string(j) + ": analytic " +
                       std::to_string(a) + ", numeric " + std::to_string(numeric);
      }
    }
  }
  return result;
}

}  // namespace ca3::testing
