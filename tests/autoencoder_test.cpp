// A small convolutional autoencoder trained on real Fashion-MNIST images must lower its
// reconstruction loss by a stated factor, with both kernel implementations; the same seed
// gives the same result run to run; and both implementations follow the same trajectory.
#include <gtest/gtest.h>

#include "core/anomaly/data/idx.h"
#include "core/engine/error.h"
#include "core/engine/nn/layers.h"
#include "core/engine/ops/ops.h"
#include "core/engine/nn/optim.h"
#include "tests/test_support.h"

namespace ca3 {
namespace {

constexpr int64_t kImages = 256, kBatch = 64, kEpochs = 6;
// Stated goal: the mean reconstruction MSE after training is at most this fraction of the
// first epoch's mean (measured: about 0.2 on this subset).
constexpr double kRequiredLossRatio = 0.4;

std::shared_ptr<Sequential> make_autoencoder(uint64_t seed) {
  Rng rng(seed);
  auto net = std::make_shared<Sequential>();
  net->add(std::make_shared<Conv2d>(1, 16, 3, 2, 1, rng));  // [N,14,14,16]
  net->add(std::make_shared<ReLU>());
  net->add(std::make_shared<Conv2d>(16, 32, 3, 2, 1, rng));  // [N,7,7,32]
  net->add(std::make_shared<BatchNorm>(32));
  net->add(std::make_shared<ReLU>());
  net->add(std::make_shared<ConvTranspose2d>(32, 16, 3, 2, 1, 1, rng));  // [N,14,14,16]
  net->add(std::make_shared<ReLU>());
  net->add(std::make_shared<ConvTranspose2d>(16, 1, 3, 2, 1, 1, rng));  // [N,28,28,1]
  net->add(std::make_shared<Sigmoid>());
  return net;
}

struct TrainingRun {
  std::vector<double> epoch_losses;
  std::vector<float> final_weights;
};

TrainingRun train(const Tensor& images, uint64_t seed) {
  auto net = make_autoencoder(seed);
  Adam adam(net->parameters(), {.learning_rate = 3e-3f});
  Rng shuffle_rng(seed + 1);
  std::vector<int64_t> order(size_t(images.dim(0)));
  for (size_t i = 0; i < order.size(); ++i) order[i] = int64_t(i);
  const int64_t pixels = 28 * 28;
  TrainingRun run;
  for (int64_t epoch = 0; epoch < kEpochs; ++epoch) {
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[shuffle_rng.below(i)]);
    double total = 0.0;
    for (int64_t start = 0; start < images.dim(0); start += kBatch) {
      Tensor batch({kBatch, 28, 28, 1});
      for (int64_t b = 0; b < kBatch; ++b)
        std::copy_n(images.data() + order[size_t(start + b)] * pixels, pixels, batch.mutable_data() + b * pixels);
      Var x(batch);
      Var loss = mean(mse_per_sample(net->forward(x), x));
      adam.zero_grad();
      loss.backward();
      adam.step();
      total += loss.value().at(0);
    }
    run.epoch_losses.push_back(total / double(images.dim(0) / kBatch));
  }
  for (const Var& p : net->parameters()) {
    const auto v = p.value().to_vector();
    run.final_weights.insert(run.final_weights.end(), v.begin(), v.end());
  }
  return run;
}

class AutoencoderTraining : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    images_ = new Tensor(read_idx_images(testing::fashion_mnist_file("train-images-idx3-ubyte"), kImages).pixels);
  }
  static void TearDownTestSuite() { delete images_; }
  static Tensor* images_;
};
Tensor* AutoencoderTraining::images_ = nullptr;

TEST_F(AutoencoderTraining, LowersReconstructionLossWithBothKernelsReproducibly) {
  ASSERT_EQ(images_->shape(), (Shape{kImages, 28, 28, 1}));
  std::vector<TrainingRun> runs;
  for (KernelsKind kind : {KernelsKind::reference, KernelsKind::xnnpack}) {
    testing::KernelsScope scope(kind);
    TrainingRun first = train(*images_, 7);
    TrainingRun second = train(*images_, 7);
    const double ratio = first.epoch_losses.back() / first.epoch_losses.front();
    std::printf("[ %s ] epoch losses:", kind == KernelsKind::xnnpack ? "xnnpack" : "reference");
    for (double l : first.epoch_losses) std::printf(" %.5f", l);
    std::printf("  (last / first = %.3f)\n", ratio);
    EXPECT_LT(ratio, kRequiredLossRatio);
    // Same seed, single thread: bit-for-bit the same losses and weights.
    EXPECT_EQ(first.epoch_losses, second.epoch_losses);
    EXPECT_EQ(first.final_weights, second.final_weights);
    runs.push_back(std::move(first));
  }
  // The two implementations differ only by float rounding: their losses stay close.
  for (size_t e = 0; e < runs[0].epoch_losses.size(); ++e)
    EXPECT_NEAR(runs[0].epoch_losses[e], runs[1].epoch_losses[e], 0.02 * runs[0].epoch_losses[e]) << "epoch " << e;
}

TEST_F(AutoencoderTraining, IdxReaderRejectsTruncatedAndForeignFiles) {
  auto bytes = read_file_bytes(testing::fashion_mnist_file("train-images-idx3-ubyte"));
  bytes.resize(100000);
  try {
    parse_idx_images(bytes, "cut.idx");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_idx_images({'P', 'K', 3, 4}, "zip.idx"), Error);
  EXPECT_THROW(parse_idx_labels(bytes, "images-as-labels.idx"), Error);  // 3 dimensions, not 1
  const auto labels = read_idx_labels(testing::fashion_mnist_file("train-labels-idx1-ubyte"), 10);
  ASSERT_EQ(labels.size(), 10u);
  EXPECT_EQ(labels[0], 9);  // Fashion-MNIST's first training image is an ankle boot
  EXPECT_EQ(labels[1], 0);
}

}  // namespace
}  // namespace ca3
