// Training speed of an image preset: median samples/s of one end-to-end step (forward, loss,
// backward, Adam) on real Fashion-MNIST images, the same measurement as torch_e2e.py, done as
// training does it: the batch runs through the model in pieces of training.micro_batch_size whose
// gradients add up (also reported: the whole batch in one piece). Then
// scoring: images/s scoring one batch (median), and the latency of scoring one image (median
// of 200). The work of one step in GFLOP (the convolution and matmul kernels' multiply-adds, 2
// each) and the rate achieved, against this machine's practical peak: a 1024x1024x1024 matmul
// of the same kernels on the same threads (median of 5). Built natively and for wasm (run with
// tests/wasm/run.mjs), so the figures compare.
//
//   model_speed_benchmark PRESET.json [threads] [steps]     -> RESULT {json}
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/anomaly/data/idx.h"
#include "core/engine/kernels/kernels.h"
#include "core/anomaly/model.h"
#include "core/engine/nn/optim.h"
#include "core/anomaly/preset.h"
#include "core/anomaly/dataset.h"

using namespace ca3;

int main(int argc, char** argv) {
  ca3::keep_freed_memory_for_reuse();
  if (argc < 2) {
    std::fprintf(stderr, "usage: model_speed_benchmark PRESET.json [threads] [steps] [sleep|spin]\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream text;
  text << in.rdbuf();
  const Preset preset = Preset::parse(text.str());
  const int threads = argc > 2 ? std::atoi(argv[2]) : 2, steps = argc > 3 ? std::atoi(argv[3]) : 10;
  set_num_threads(threads);
  // What the pool's threads do between ops (kernels.h): the default, sleep, or spin.
  const std::string wait = argc > 4 ? argv[4] : "sleep";
  if (wait != "sleep" && wait != "spin") {
    std::fprintf(stderr, "model_speed_benchmark: the thread wait is sleep or spin, not '%s'\n", wait.c_str());
    return 2;
  }
  set_thread_wait(wait == "spin" ? ThreadWait::spin : ThreadWait::sleep);
  const int64_t n = preset.training().batch_size;
  const char* dir = std::getenv("CA3_FASHION_MNIST_DIR");
  const std::string base = dir ? std::string(dir) + "/" : "/usr/share/datasets/fashion-mnist/";
  const std::string suffix = dir ? "" : ".gz";
  const IdxImages images = read_idx_images(base + "train-images-idx3-ubyte" + suffix, n);
  std::vector<int> labels = read_idx_labels(base + "train-labels-idx1-ubyte" + suffix, n);
  for (int& y : labels) y = y != 0;
  E2EConvA3 model(preset.model_config());
  Adam adam(model.parameters(), {.learning_rate = preset.training().learning_rate});
  // As the trainer's step: pieces of `piece` rows, each piece's backward weighted by its share.
  const Dataset batch{images.pixels, labels};
  auto step = [&](int64_t piece) {
    model.zero_grad();
    for (int64_t begin = 0; begin < n; begin += piece) {
      std::vector<int64_t> rows;
      for (int64_t i = begin; i < std::min(begin + piece, n); ++i) rows.push_back(i);
      const Dataset part = piece == n ? batch : batch.subset(rows);
      LossParts loss = model.loss(part.inputs, part.labels);
      loss.total.backward(Tensor::full(loss.total.shape(), float(double(part.size()) / double(n))));
    }
    adam.step();
  };
  auto median_of = [](std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
  };
  auto median_step_seconds = [&](int64_t piece) {
    for (int i = 0; i < 2; ++i) step(piece);
    std::vector<double> times;
    for (int i = 0; i < steps; ++i) {
      const auto start = std::chrono::steady_clock::now();
      step(piece);
      times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return median_of(times);
  };
  const int64_t micro_batch = std::min(preset.training().micro_batch_size, n);
  const double flops_before = kernel_flops();
  step(micro_batch);
  const double step_flops = kernel_flops() - flops_before;
  const double median = median_step_seconds(micro_batch);
  const double median_one_piece = median_step_seconds(n);

  model.eval();
  auto seconds_of = [](auto&& body) {
    const auto start = std::chrono::steady_clock::now();
    body();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  std::vector<double> batch_times, one_times;
  for (int i = 0; i < 5; ++i) batch_times.push_back(seconds_of([&] { model.score(images.pixels, n); }));
  Tensor one({1, images.pixels.dim(1), images.pixels.dim(2), images.pixels.dim(3)});
  std::copy(images.pixels.data(), images.pixels.data() + one.numel(), one.mutable_data());
  for (int i = 0; i < 10; ++i) model.score(one);
  for (int i = 0; i < 200; ++i) one_times.push_back(seconds_of([&] { model.score(one); }));
  // The practical peak: one large matmul through the same kernels and threads.
  const int64_t side = 1024;
  std::vector<float> a(size_t(side * side), 0.5f), b(size_t(side * side), 0.25f), c(size_t(side * side));
  std::vector<double> peak_times;
  for (int i = 0; i < 6; ++i)
    peak_times.push_back(seconds_of([&] { kernels().matmul(side, side, side, a.data(), false, b.data(), false, nullptr, c.data()); }));
  peak_times.erase(peak_times.begin());  // the first packs and warms up
  const double peak_gflops = 2.0 * double(side * side) * double(side) / median_of(peak_times) / 1e9;
  const double train_gflops = step_flops / median / 1e9;
  std::printf("RESULT {\"preset\": \"%s\", \"batch\": %lld, \"micro_batch\": %lld, \"threads\": %d, \"thread_wait\": \"%s\", "
              "\"train_samples_per_second\": %.2f, \"train_samples_per_second_one_piece\": %.2f, "
              "\"score_images_per_second\": %.1f, \"score_one_image_ms\": %.4f, "
              "\"step_gflop\": %.3f, \"train_gflops\": %.2f, \"peak_gflops\": %.2f, \"share_of_peak\": %.3f}\n",
              preset.name().c_str(), static_cast<long long>(n), static_cast<long long>(micro_batch), threads,
              wait == "spin" ? "spin" : "sleep",
              double(n) / median, double(n) / median_one_piece, double(n) / median_of(batch_times),
              1000 * median_of(one_times), step_flops / 1e9, train_gflops, peak_gflops, train_gflops / peak_gflops);
  return 0;
}
