// Finite-difference gradient check of every differentiable op, with both kernel
// implementations. Inputs keep away from kinks (ReLU at 0, max-pool ties).
#include <gtest/gtest.h>

#include "core/engine/ops/ops.h"
#include "tests/test_support.h"

namespace ca3 {
namespace {

using testing::gradcheck;
using testing::random_tensor;
using Fn = std::function<Var(const std::vector<Var>&)>;

class Gradcheck : public ::testing::TestWithParam<KernelsKind> {
 protected:
  void SetUp() override { scope_ = std::make_unique<testing::KernelsScope>(GetParam()); }
  void TearDown() override { scope_.reset(); }

  void expect_ok(const Fn& f, const std::vector<Tensor>& inputs, std::vector<bool> check = {}) {
    const auto result = gradcheck(f, inputs, std::move(check));
    EXPECT_LE(result.worst, 1.0) << result.where;
  }
  Rng rng{42};

 private:
  std::unique_ptr<testing::KernelsScope> scope_;
};

TEST_P(Gradcheck, Matmul) {
  expect_ok([](auto& v) { return matmul(v[0], v[1]); }, {random_tensor({5, 7}, rng), random_tensor({7, 3}, rng)});
}

TEST_P(Gradcheck, Linear) {
  expect_ok([](auto& v) { return linear(v[0], v[1], v[2]); },
            {random_tensor({4, 6}, rng), random_tensor({3, 6}, rng), random_tensor({3}, rng)});
  expect_ok([](auto& v) { return linear(v[0], v[1], Var()); }, {random_tensor({4, 6}, rng), random_tensor({3, 6}, rng)});
}

TEST_P(Gradcheck, Conv2dStridePadding) {
  for (auto [stride, pad, kernel] : {std::tuple{1, 1, 3}, {2, 1, 3}, {2, 0, 4}, {1, 2, 5}}) {
    Conv2dOptions o;
    o.stride_height = o.stride_width = stride;
    o.pad_height = o.pad_width = pad;
    expect_ok([o](auto& v) { return conv2d(v[0], v[1], v[2], o); },
              {random_tensor({2, 7, 6, 3}, rng), random_tensor({4, kernel, kernel, 3}, rng), random_tensor({4}, rng)});
  }
}

TEST_P(Gradcheck, ConvTranspose2dStridePaddingOutputPadding) {
  for (auto [stride, pad, out_pad, kernel] : {std::tuple{1, 1, 0, 3}, {2, 1, 1, 3}, {2, 0, 0, 4}, {2, 1, 0, 3}}) {
    Conv2dOptions o;
    o.stride_height = o.stride_width = stride;
    o.pad_height = o.pad_width = pad;
    o.output_padding_height = o.output_padding_width = out_pad;
    expect_ok([o](auto& v) { return conv_transpose2d(v[0], v[1], v[2], o); },
              {random_tensor({2, 4, 5, 3}, rng), random_tensor({3, kernel, kernel, 2}, rng), random_tensor({2}, rng)});
  }
}

TEST_P(Gradcheck, Conv1dAndTransposed) {
  expect_ok([](auto& v) { return conv1d(v[0], v[1], v[2], 2, 1); },
            {random_tensor({2, 9, 3}, rng), random_tensor({4, 3, 3}, rng), random_tensor({4}, rng)});
  expect_ok([](auto& v) { return conv_transpose1d(v[0], v[1], v[2], 2, 1, 1); },
            {random_tensor({2, 5, 4}, rng), random_tensor({4, 3, 3}, rng), random_tensor({3}, rng)});
}

TEST_P(Gradcheck, Pooling2d) {
  expect_ok([](auto& v) { return max_pool2d(v[0], 2); }, {testing::distinct_tensor({2, 6, 5, 3}, rng)});
  expect_ok([](auto& v) { return max_pool2d(v[0], 3, 2, 1); }, {testing::distinct_tensor({1, 7, 7, 2}, rng)});
  expect_ok([](auto& v) { return avg_pool2d(v[0], 2); }, {random_tensor({2, 6, 5, 3}, rng)});
  expect_ok([](auto& v) { return avg_pool2d(v[0], 3, 2, 1); }, {random_tensor({1, 7, 7, 2}, rng)});
  expect_ok([](auto& v) { return adaptive_avg_pool2d(v[0], 3, 2); }, {random_tensor({2, 7, 5, 2}, rng)});
  expect_ok([](auto& v) { return adaptive_max_pool2d(v[0], 3, 2); }, {testing::distinct_tensor({2, 7, 5, 2}, rng)});
}

TEST_P(Gradcheck, Pooling1d) {
  expect_ok([](auto& v) { return max_pool1d(v[0], 2); }, {testing::distinct_tensor({2, 9, 3}, rng)});
  expect_ok([](auto& v) { return avg_pool1d(v[0], 3, 2, 1); }, {random_tensor({2, 9, 3}, rng)});
  expect_ok([](auto& v) { return adaptive_avg_pool1d(v[0], 4); }, {random_tensor({2, 9, 3}, rng)});
  expect_ok([](auto& v) { return adaptive_max_pool1d(v[0], 4); }, {testing::distinct_tensor({2, 9, 3}, rng)});
}

TEST_P(Gradcheck, ShapeOps) {
  expect_ok([](auto& v) { return concat_channels({v[0], v[1], v[2]}); },
            {random_tensor({2, 3, 3, 1}, rng), random_tensor({2, 3, 3, 4}, rng), random_tensor({2, 3, 3, 2}, rng)});
  expect_ok([](auto& v) { return mul(reshape(v[0], {3, 8}), v[1]); },
            {random_tensor({2, 3, 4}, rng), random_tensor({3, 8}, rng)});
  expect_ok([](auto& v) { return flatten(v[0]); }, {random_tensor({2, 3, 4}, rng)});
  expect_ok([](auto& v) { return slice(v[0], 1, 1, 3); }, {random_tensor({2, 4, 3}, rng)});
  expect_ok([](auto& v) { return slice(v[0], -1, 0, 2); }, {random_tensor({2, 4, 3}, rng)});
}

TEST_P(Gradcheck, Arithmetic) {
  const std::vector<Tensor> two = {random_tensor({3, 4}, rng), random_tensor({3, 4}, rng)};
  expect_ok([](auto& v) { return add(v[0], v[1]); }, two);
  expect_ok([](auto& v) { return sub(v[0], v[1]); }, two);
  expect_ok([](auto& v) { return mul(v[0], v[1]); }, two);
  expect_ok([](auto& v) { return scale(v[0], -2.5f); }, {two[0]});
  expect_ok([](auto& v) { return add_scalar(v[0], 0.7f); }, {two[0]});
}

TEST_P(Gradcheck, Activations) {
  const Tensor away_from_zero = random_tensor({4, 5}, rng, -2.f, 2.f, 0.05f);
  expect_ok([](auto& v) { return relu(v[0]); }, {away_from_zero});
  expect_ok([](auto& v) { return leaky_relu(v[0], 0.1f); }, {away_from_zero});
  expect_ok([](auto& v) { return elu(v[0]); }, {away_from_zero});
  expect_ok([](auto& v) { return sigmoid(v[0]); }, {away_from_zero});
  expect_ok([](auto& v) { return ca3::tanh(v[0]); }, {away_from_zero});
  expect_ok([](auto& v) { return ca3::exp(v[0]); }, {away_from_zero});
  expect_ok([](auto& v) { return ca3::log(v[0]); }, {random_tensor({4, 5}, rng, 0.5f, 3.f)});
  // Values on both sides of the bounds (0 and 1.5), none at them: clamped ones get no gradient.
  const Tensor around_bounds = random_tensor({4, 5}, rng, -1.f, 2.f, 0.05f);
  expect_ok([](auto& v) { return ca3::clamp(v[0], 0.f, 1.5f); }, {around_bounds});
}

TEST_P(Gradcheck, Reductions) {
  expect_ok([](auto& v) { return sum(v[0]); }, {random_tensor({3, 4}, rng)});
  expect_ok([](auto& v) { return mean(v[0]); }, {random_tensor({3, 4}, rng)});
}

TEST_P(Gradcheck, BatchNormTrainAndEval) {
  const std::vector<Tensor> inputs = {random_tensor({3, 2, 2, 3}, rng, -2.f, 2.f), random_tensor({3}, rng, 0.5f, 1.5f),
                                      random_tensor({3}, rng)};
  expect_ok([](auto& v) {
    Tensor mean({3}), var = Tensor::full({3}, 1.f);  // fresh each call: f must be pure
    return batch_norm(v[0], v[1], v[2], mean, var, /*training=*/true);
  }, inputs);
  const Tensor running_mean = random_tensor({3}, rng), running_var = random_tensor({3}, rng, 0.5f, 2.f);
  expect_ok([=](auto& v) {
    Tensor m = running_mean.clone(), s = running_var.clone();
    return batch_norm(v[0], v[1], v[2], m, s, /*training=*/false);
  }, inputs);
  // Statistics from samples 0 and 2 only (sample 1 normalized with them): its gradient takes no
  // share of the statistics' path.
  expect_ok([](auto& v) {
    Tensor mean({3}), var = Tensor::full({3}, 1.f);
    return batch_norm(v[0], v[1], v[2], mean, var, /*training=*/true, 0.1f, 1e-5f, {1, 0, 1});
  }, inputs);
}

TEST(BatchNorm, StatisticsFromFlaggedSamplesOnly) {
  // Two normal samples and one far away: the statistics (and the running ones) are the normal
  // samples'; the far one is normalized with them.
  Tensor x = Tensor::from_vector({3, 1}, {1.f, 3.f, 100.f});
  Tensor mean({1}), var = Tensor::full({1}, 1.f);
  const Tensor y = batch_norm(Var(x), Var(Tensor::full({1}, 1.f)), Var(Tensor::zeros({1})), mean, var, true, 1.f, 0.f,
                              {1, 1, 0}).value();
  EXPECT_NEAR(y.at(0), -1.f, 1e-6);
  EXPECT_NEAR(y.at(1), 1.f, 1e-6);
  EXPECT_NEAR(y.at(2), 98.f, 1e-4);    // (100 - 2) / 1
  EXPECT_NEAR(mean.at(0), 2.f, 1e-6);  // momentum 1: the batch's
  EXPECT_NEAR(var.at(0), 2.f, 1e-6);   // unbiased variance of {1, 3}
}

TEST_P(Gradcheck, DropoutWithFixedMask) {
  expect_ok([](auto& v) {
    Rng mask_rng(9);  // the same mask every evaluation
    return dropout(v[0], 0.3f, true, mask_rng);
  }, {random_tensor({4, 6}, rng)});
}

TEST_P(Gradcheck, Losses) {
  expect_ok([](auto& v) { return mse_per_sample(v[0], v[1]); },
            {random_tensor({3, 2, 2, 2}, rng), random_tensor({3, 2, 2, 2}, rng)});
  const Tensor targets = Tensor::from_vector({4}, {0.f, 1.f, 1.f, 0.f});
  expect_ok([targets](auto& v) { return bce_with_logits(v[0], targets); },
            {random_tensor({4, 1}, rng, -3.f, 3.f)});
  expect_ok([](auto& v) { return gaussian_kl(v[0], v[1]); }, {random_tensor({3, 5}, rng), random_tensor({3, 5}, rng)});
}

TEST_P(Gradcheck, ComposedNetworkOfConvPoolConcat) {
  // An alarm-network-like path: two conv branches pooled to one size and concatenated.
  expect_ok(
      [](auto& v) {
        Conv2dOptions o;
        o.pad_height = o.pad_width = 1;
        Var a = sigmoid(conv2d(v[0], v[1], Var(), o));
        Conv2dOptions s2 = o;
        s2.stride_height = s2.stride_width = 2;
        Var b = ca3::tanh(conv2d(a, v[2], Var(), s2));
        Var stacked = concat_channels({adaptive_avg_pool2d(a, 3, 3), b});
        return mean(mul(stacked, stacked));
      },
      {random_tensor({2, 6, 6, 1}, rng), random_tensor({2, 3, 3, 1}, rng), random_tensor({3, 3, 3, 2}, rng)});
}

INSTANTIATE_TEST_SUITE_P(BothKernels, Gradcheck, ::testing::Values(KernelsKind::reference, KernelsKind::xnnpack),
                         [](const auto& info) {
                           return std::string(info.param == KernelsKind::xnnpack ? "xnnpack" : "reference");
                         });

}  // namespace
}  // namespace ca3
