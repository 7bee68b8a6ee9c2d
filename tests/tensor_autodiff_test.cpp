// Tensor, Rng and the autodiff tape: accumulation across branches, no-grad mode, errors.
#include <gtest/gtest.h>

#include <cmath>

#include "core/engine/error.h"
#include "core/engine/nn/layers.h"
#include "core/engine/ops/ops.h"
#include "core/engine/nn/optim.h"

namespace ca3 {
namespace {

TEST(Tensor, ReshapeSharesStorageAndChecksSize) {
  Tensor t = Tensor::from_vector({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor r = t.reshape({3, -1});
  EXPECT_EQ(r.shape(), (Shape{3, 2}));
  EXPECT_EQ(r.storage_id(), t.storage_id());
  r.mutable_data()[0] = 10.f;
  EXPECT_EQ(t.at(0), 10.f);
  EXPECT_THROW(t.reshape({4, 2}), Error);
  EXPECT_THROW(t.reshape({-1, -1}), Error);
  Tensor c = t.clone();
  EXPECT_NE(c.storage_id(), t.storage_id());
  EXPECT_EQ(c.to_vector(), t.to_vector());
}

TEST(Tensor, VersionCountsWrites) {
  Tensor t({4});
  const uint64_t v0 = t.version();
  t.mutable_data();
  EXPECT_GT(t.version(), v0);
  const uint64_t v1 = t.version();
  (void)t.data();
  EXPECT_EQ(t.version(), v1);
}

TEST(Rng, DeterministicAndWellSpread) {
  Rng a(7), b(7), c(8);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(a.next_u64(), b.next_u64());
  EXPECT_NE(Rng(7).next_u64(), c.next_u64());
  Rng r(1);
  double sum = 0, sum_sq = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double x = r.normal();
    sum += x;
    sum_sq += x * x;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sum_sq / n, 1.0, 0.02);
  double u = 0;
  for (int i = 0; i < n; ++i) u += r.uniform();
  EXPECT_NEAR(u / n, 0.5, 0.005);
}

TEST(Autodiff, GradientsAccumulateAcrossBranches) {
  // y = sum(x*x + 3x): a tensor used by two branches gets both contributions: dy/dx = 2x + 3.
  Var x = Var::parameter(Tensor::from_vector({3}, {1.f, -2.f, 0.5f}));
  Var y = sum(add(mul(x, x), scale(x, 3.f)));
  y.backward();
  EXPECT_FLOAT_EQ(y.value().at(0), 1 + 4 + 0.25f + 3 * (1 - 2 + 0.5f));
  EXPECT_FLOAT_EQ(x.grad().at(0), 5.f);
  EXPECT_FLOAT_EQ(x.grad().at(1), -1.f);
  EXPECT_FLOAT_EQ(x.grad().at(2), 4.f);
  // A second backward pass adds to the existing gradient until zero_grad().
  sum(x).backward();
  EXPECT_FLOAT_EQ(x.grad().at(0), 6.f);
  x.zero_grad();
  EXPECT_TRUE(x.grad().empty());
}

TEST(Autodiff, DiamondGraphVisitsSharedNodeOnce) {
  // h = exp(x) feeds two branches; the shared node must run its backward once, after both.
  Var x = Var::parameter(Tensor::from_vector({2}, {0.3f, -0.7f}));
  Var h = exp(x);
  Var y = sum(add(mul(h, h), h));  // d/dx = (2h + 1) * h
  y.backward();
  for (int i = 0; i < 2; ++i) {
    const float hv = std::exp(x.value().at(i));
    EXPECT_NEAR(x.grad().at(i), (2 * hv + 1) * hv, 1e-5);
  }
}

TEST(Autodiff, NoGradRecordsNothing) {
  Var x = Var::parameter(Tensor::full({2}, 1.f));
  Var y;
  {
    NoGradGuard guard;
    EXPECT_FALSE(grad_enabled());
    y = sum(mul(x, x));
  }
  EXPECT_TRUE(grad_enabled());
  EXPECT_FALSE(y.requires_grad());
  EXPECT_TRUE(y.node()->inputs.empty());
  y.backward();  // nothing to do
  EXPECT_TRUE(x.grad().empty());
}

TEST(Autodiff, ConstantsGetNoGradient) {
  Var c(Tensor::full({2}, 2.f));
  Var p = Var::parameter(Tensor::full({2}, 3.f));
  sum(mul(c, p)).backward();
  EXPECT_TRUE(c.grad().empty());
  EXPECT_FLOAT_EQ(p.grad().at(0), 2.f);
}

TEST(Autodiff, ErrorsNameTheProblem) {
  Var a(Tensor({2, 3})), b(Tensor({3, 2}));
  try {
    add(a, b);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("[2, 3]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(Var(Tensor({2})).backward(), Error);  // needs a single-element result
  Var image(Tensor({1, 8, 8, 3}));
  Var weights(Tensor({4, 3, 3, 1}));
  try {
    conv2d(image, weights, Var());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("3 channels"), std::string::npos) << e.what();
  }
  EXPECT_THROW(log(Var(Tensor::full({1}, -1.f))), Error);
}

TEST(Module, NamedParametersBuffersAndModes) {
  Rng rng(3);
  Sequential net;
  net.add(std::make_shared<Conv2d>(1, 4, 3, 1, 1, rng));
  net.add(std::make_shared<BatchNorm>(4));
  net.add(std::make_shared<ReLU>());
  net.add(std::make_shared<Flatten>());
  net.add(std::make_shared<Linear>(4 * 5 * 5, 2, rng, /*bias=*/false));
  std::vector<std::string> names;
  for (auto& [name, p] : net.named_parameters()) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"0.weight", "0.bias", "1.gamma", "1.beta", "4.weight"}));
  auto buffers = net.named_buffers();
  ASSERT_EQ(buffers.size(), 2u);
  EXPECT_EQ(buffers[0].first, "1.running_mean");
  EXPECT_TRUE(net[1].is_training());
  net.eval();
  EXPECT_FALSE(net[1].is_training());
  // In eval mode batch-norm uses the running statistics and changes nothing.
  Rng data_rng(5);
  Var x(Tensor::uniform({3, 5, 5, 1}, 0.f, 1.f, data_rng));
  const auto before = buffers[0].second->to_vector();
  Var y1 = net.forward(x), y2 = net.forward(x);
  EXPECT_EQ(y1.value().to_vector(), y2.value().to_vector());
  EXPECT_EQ(buffers[0].second->to_vector(), before);
  net.train();
  net.forward(x);
  EXPECT_NE(buffers[0].second->to_vector(), before);
}

TEST(Optim, AdamMatchesHandComputedFirstSteps) {
  // One parameter, loss = w^2 / 2 -> gradient w. Adam's first step moves by lr * sign(g).
  Var w = Var::parameter(Tensor::full({1}, 2.f));
  Adam adam({w}, {.learning_rate = 0.1f});
  scale(mul(w, w), 0.5f).backward();
  adam.step();
  EXPECT_NEAR(w.value().at(0), 1.9f, 1e-6);
  adam.zero_grad();
  scale(mul(w, w), 0.5f).backward();
  adam.step();
  // m = 0.1*1.9 + 0.09*2 ... computed in double:
  const double m = 0.9 * (0.1 * 2.0) + 0.1 * 1.9, v = 0.999 * (0.001 * 4.0) + 0.001 * 1.9 * 1.9;
  const double mhat = m / (1 - 0.81), vhat = v / (1 - 0.999 * 0.999);
  EXPECT_NEAR(w.value().at(0), 1.9 - 0.1 * mhat / (std::sqrt(vhat) + 1e-8), 1e-5);
}

TEST(Optim, SgdMomentumConvergesOnQuadratic) {
  Var w = Var::parameter(Tensor::from_vector({2}, {3.f, -4.f}));
  Sgd sgd({w}, {.learning_rate = 0.1f, .momentum = 0.9f});
  for (int i = 0; i < 200; ++i) {
    sgd.zero_grad();
    sum(mul(w, w)).backward();
    sgd.step();
  }
  EXPECT_NEAR(w.value().at(0), 0.f, 1e-3);
  EXPECT_NEAR(w.value().at(1), 0.f, 1e-3);
}

}  // namespace
}  // namespace ca3

namespace ca3 {
namespace {

// Max pooling sends each output's gradient to the first position holding the window's maximum
// (PyTorch's choice), ties included -- a window of zeros after a ReLU is the common case -- and
// with a NaN maximum to the window's first position.
TEST(Pooling, MaxPoolGradientGoesToTheFirstMaximum) {
  const float nan = std::nanf("");
  // [1, 2, 2, 3]: positions (0,0) (0,1) (1,0) (1,1), three channels.
  Var x = Var::parameter(Tensor::from_vector({1, 2, 2, 3}, {3, 0, 1,    // (0,0)
                                                             3, 0, 5,    // (0,1)
                                                             1, 0, 5,    // (1,0)
                                                             3, 0, 2}));  // (1,1)
  Var y = max_pool2d(x, 2);
  EXPECT_EQ(y.value().data()[0], 3.f);
  EXPECT_EQ(y.value().data()[2], 5.f);
  y.backward(Tensor::from_vector({1, 1, 1, 3}, {10, 20, 30}));
  const std::vector<float> expected = {10, 20, 0, 0, 0, 30, 0, 0, 0, 0, 0, 0};
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(x.grad().data()[i], expected[i]) << "element " << i;

  Var z = Var::parameter(Tensor::from_vector({1, 2, 2, 1}, {nan, 1, 2, 0}));
  Var m = max_pool2d(z, 2);
  EXPECT_TRUE(std::isnan(m.value().data()[0]));
  m.backward(Tensor::from_vector({1, 1, 1, 1}, {7}));
  EXPECT_EQ(z.grad().data()[0], 7.f);
  EXPECT_EQ(z.grad().data()[1] + z.grad().data()[2] + z.grad().data()[3], 0.f);
}

}  // namespace
}  // namespace ca3
