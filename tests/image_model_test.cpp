// The image E2E-ConvA3 model on real Fashion-MNIST: one class normal, the others labelled
// anomalies; a small configuration trained briefly must separate held-out images.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "core/anomaly/data/idx.h"
#include "core/engine/error.h"
#include "core/anomaly/metrics.h"
#include "core/anomaly/model.h"
#include "core/engine/nn/optim.h"
#include "tests/test_support.h"

namespace ca3 {
namespace {

constexpr int64_t kTrain = 1000, kTest = 1000, kBatch = 50, kEpochs = 4;
constexpr int kNormalClass = 0;           // T-shirt/top
constexpr double kRequiredTestAuc = 0.9;  // measured about 0.95 with this budget

ModelConfig small_config() {
  ModelConfig c = ModelConfig::image(28, 28, 1);
  c.encoder_channels = {16, 32};
  c.alarm_channels = {16, 32};
  c.seed = 3;
  return c;
}

struct Split {
  Tensor images;
  std::vector<int> labels;  // 0 normal, 1 anomaly
};

Split load(int64_t first, int64_t count) {
  const auto all = read_idx_images(testing::fashion_mnist_file("train-images-idx3-ubyte"), first + count).pixels;
  const auto classes = read_idx_labels(testing::fashion_mnist_file("train-labels-idx1-ubyte"), first + count);
  Split s{Tensor({count, 28, 28, 1}), {}};
  std::copy_n(all.data() + first * 784, count * 784, s.images.mutable_data());
  for (int64_t i = first; i < first + count; ++i) s.labels.push_back(classes[size_t(i)] == kNormalClass ? 0 : 1);
  return s;
}

TEST(ImageModel, ShapesAndParameterGroups) {
  E2EConvA3 model(small_config());
  Rng rng(1);
  Var x(Tensor::uniform({3, 28, 28, 1}, 0, 1, rng));
  ModelForward f = model.run(x, true);
  EXPECT_EQ(f.reconstruction.shape(), (Shape{3, 28, 28, 1}));
  EXPECT_EQ(f.alarm_input.shape(), (Shape{3, 14, 14, 48}));  // 16 + 32 channels pooled to 14x14
  EXPECT_EQ(f.logits.shape(), (Shape{3, 1}));
  EXPECT_EQ(model.target().parameters().size() + model.alarm().parameters().size(), model.parameters().size());
  EXPECT_EQ(model.alarm().parameters().size(), 6u);  // 2 convs + output, weight and bias each
  // Odd sizes and three stages reconstruct to the input size.
  ModelConfig odd = small_config();
  odd.sample_shape = {13, 30, 3}, odd.encoder_channels = {4, 8, 8};
  E2EConvA3 odd_model(odd);
  Var y(Tensor::uniform({2, 13, 30, 3}, 0, 1, rng));
  EXPECT_EQ(odd_model.run(y, false).reconstruction.shape(), (Shape{2, 13, 30, 3}));
}

TEST(ImageModel, BadInputsNameTheProblem) {
  E2EConvA3 model(small_config());
  try {
    model.score(Tensor({2, 32, 32, 3}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("[N, 28, 28, 1]"), std::string::npos) << e.what();
  }
  Tensor nan_image({1, 28, 28, 1});
  nan_image.mutable_data()[5] = std::nanf("");
  EXPECT_THROW(model.score(nan_image), Error);
  EXPECT_THROW(model.loss(Tensor({2, 28, 28, 1}), {0, 2}), Error);
  ModelConfig tiny = small_config();
  tiny.sample_shape = {4, 28, 1};
  EXPECT_THROW(E2EConvA3{tiny}, Error);
}

TEST(ImageModel, LearnsToFlagOtherClassesOnFashionMnist) {
  const Split train = load(0, kTrain), test = load(kTrain, kTest);
  E2EConvA3 model(small_config());
  Adam adam(model.parameters(), {.learning_rate = 1e-3f});
  Rng shuffle(4);
  std::vector<int64_t> order(kTrain);
  std::iota(order.begin(), order.end(), 0);
  double first_reconstruction = 0, last_reconstruction = 0;
  for (int64_t epoch = 0; epoch < kEpochs; ++epoch) {
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[shuffle.below(i)]);
    double reconstruction = 0;
    for (int64_t start = 0; start < kTrain; start += kBatch) {
      Tensor batch({kBatch, 28, 28, 1});
      std::vector<int> labels;
      for (int64_t b = 0; b < kBatch; ++b) {
        const int64_t k = order[size_t(start + b)];
        std::copy_n(train.images.data() + k * 784, 784, batch.mutable_data() + b * 784);
        labels.push_back(train.labels[size_t(k)]);
      }
      LossParts loss = model.loss(batch, labels);
      adam.zero_grad();
      loss.total.backward();
      adam.step();
      reconstruction += loss.reconstruction;
    }
    if (epoch == 0) first_reconstruction = reconstruction;
    last_reconstruction = reconstruction;
  }
  const double auc = roc_auc(model.score(test.images), test.labels);
  const double reconstruction_auc = roc_auc(model.reconstruction_error(test.images), test.labels);
  std::printf("test ROC-AUC: alarm %.4f, reconstruction error %.4f; reconstruction loss epoch 1 -> %lld: %.4f -> %.4f\n",
              auc, reconstruction_auc, (long long)kEpochs, first_reconstruction * kBatch / kTrain,
              last_reconstruction * kBatch / kTrain);
  EXPECT_GE(auc, kRequiredTestAuc);
  EXPECT_LT(last_reconstruction, first_reconstruction);  // the target learns normal images
}

}  // namespace
}  // namespace ca3
