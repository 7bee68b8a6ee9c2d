// Engine benchmark: GFLOP/s of the convolution kernels and samples/s of one full training step
// of a 28x28x1 convolutional autoencoder (32/64-channel stride-2 convs, matching transposed
// convs), batch 128. Prints a table and one JSON line ("RESULT {...}") for scripts/bench.sh,
// which runs the same network in PyTorch side by side. Figures, not pass/fail.
//
//   conv_benchmark [--threads 2] [--steps 20] [--kernels xnnpack|reference]
//   conv_benchmark --layers presets [--threads 2]
//     instead: backward-filter of every convolution of the two Fashion-MNIST presets, as one
//     micro-batch of training runs it (32 images), median ms and GFLOP/s each.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "core/engine/error.h"
#include "core/engine/kernels/kernels.h"
#include "core/engine/nn/layers.h"
#include "core/engine/ops/ops.h"
#include "core/engine/nn/optim.h"

using namespace ca3;

namespace {

double seconds_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

template <typename F>
double median_seconds(int repeats, F&& f) {
  f();  // warm-up: operator creation, weight packing
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    const double t0 = seconds_now();
    f();
    times.push_back(seconds_now() - t0);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

ConvGeometry layer(int64_t size, int64_t in_channels, int64_t out_channels, int64_t batch) {
  ConvGeometry g;
  g.batch = batch, g.in_height = g.in_width = size, g.in_channels = in_channels, g.out_channels = out_channels;
  g.kernel_height = g.kernel_width = 3, g.stride_height = g.stride_width = 2;
  g.pad_top = g.pad_left = g.pad_bottom = g.pad_right = 1;
  return g;
}

// The convolutions of `fashion-mnist` and `fashion-mnist-small` (encoders, decoders' adjoint
// convolutions, alarms), as backward-filter sees them: {size, Ci, Co, kernel, stride}.
int preset_backward_filter() {
  struct Layer {
    int64_t size, in_channels, out_channels, kernel, stride;
  };
  const Layer layers[] = {{28, 1, 64, 3, 1},  {28, 64, 128, 3, 2}, {14, 64, 128, 3, 1},  {14, 192, 64, 3, 1},
                          {14, 128, 128, 3, 2}, {7, 64, 128, 3, 1}, {7, 128, 128, 1, 1},  {28, 1, 16, 3, 1},
                          {28, 16, 32, 3, 2},  {14, 16, 32, 3, 1},  {14, 48, 16, 3, 1},   {14, 32, 32, 3, 2},
                          {7, 16, 32, 3, 1}};
  Rng rng(1);
  double total = 0;
  std::printf("backward-filter, %s kernels, batch 32\n", kernels().name());
  for (const Layer& l : layers) {
    ConvGeometry g;
    g.batch = 32, g.in_height = g.in_width = l.size, g.in_channels = l.in_channels, g.out_channels = l.out_channels;
    g.kernel_height = g.kernel_width = l.kernel, g.stride_height = g.stride_width = l.stride;
    g.pad_top = g.pad_left = g.pad_bottom = g.pad_right = l.kernel / 2;
    const Tensor input = Tensor::uniform(g.input_shape(), -1, 1, rng);
    const Tensor output_grad = Tensor::uniform(g.output_shape(), -1, 1, rng);
    Tensor weights_grad(g.weights_shape());
    const double t = median_seconds(25, [&] {
      kernels().convolution_backward_filter(g, input.data(), output_grad.data(), weights_grad.mutable_data());
    });
    std::printf("%2lldx%-2lld %3lld -> %3lld k%lld s%lld  %7.3f ms  %6.1f GFLOP/s\n", (long long)l.size,
                (long long)l.size, (long long)l.in_channels, (long long)l.out_channels, (long long)l.kernel,
                (long long)l.stride, t * 1e3, g.flops() / t * 1e-9);
    total += t;
  }
  std::printf("all layers: %.3f ms\n", total * 1e3);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ca3::keep_freed_memory_for_reuse();
  int threads = 2, steps = 20;
  std::string kernels_name = "xnnpack", layers = "autoencoder";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--threads") threads = std::stoi(argv[i + 1]);
    else if (flag == "--steps") steps = std::stoi(argv[i + 1]);
    else if (flag == "--kernels") kernels_name = argv[i + 1];
    else if (flag == "--layers") layers = argv[i + 1];
    else {
      std::fprintf(stderr, "unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  try {
    set_kernels(parse_kernels_kind(kernels_name));
    set_num_threads(threads);
    if (layers == "presets") return preset_backward_filter();
    const int64_t batch = 128;
    Rng rng(1);
    std::printf("kernels %s, %d thread(s), batch %lld\n", kernels().name(), threads, (long long)batch);
    std::printf("%-26s %14s %14s %14s\n", "layer (k3 s2 p1)", "forward", "backward-data", "backward-filter");
    std::string json = "{\"kernels\":\"" + kernels_name + "\",\"threads\":" + std::to_string(threads) + ",\"layers\":[";
    double total_flops = 0, total_seconds = 0;
    bool first = true;
    for (const ConvGeometry& g : {layer(28, 1, 32, batch), layer(14, 32, 64, batch)}) {
      const Tensor input = Tensor::uniform(g.input_shape(), -1, 1, rng);
      const Tensor weights = Tensor::uniform(g.weights_shape(), -1, 1, rng);
      const Tensor output_grad = Tensor::uniform(g.output_shape(), -1, 1, rng);
      Tensor output(g.output_shape()), input_grad(g.input_shape()), weights_grad(g.weights_shape());
      const double flops = 2.0 * double(g.batch * g.out_height() * g.out_width() * g.out_channels) *
                           double(g.kernel_height * g.kernel_width * g.in_channels);
      const int repeats = kernels_name == "reference" ? 3 : 15;
      const double t_fwd = median_seconds(repeats, [&] {
        kernels().convolution(g, input.data(), weights, nullptr, output.mutable_data());
      });
      const double t_data = median_seconds(repeats, [&] {
        kernels().convolution_backward_data(g, output_grad.data(), weights, nullptr, input_grad.mutable_data());
      });
      const double t_filter = median_seconds(repeats, [&] {
        kernels().convolution_backward_filter(g, input.data(), output_grad.data(), weights_grad.mutable_data());
      });
      char name[64];
      std::snprintf(name, sizeof name, "%lldx%lldx%lld -> %lld", (long long)g.in_height, (long long)g.in_width,
                    (long long)g.in_channels, (long long)g.out_channels);
      std::printf("%-26s %9.2f GF/s %9.2f GF/s %9.2f GF/s\n", name, flops / t_fwd * 1e-9, flops / t_data * 1e-9,
                  flops / t_filter * 1e-9);
      char entry[256];
      std::snprintf(entry, sizeof entry,
                    "%s{\"layer\":\"%s\",\"forward_gflops\":%.3f,\"backward_data_gflops\":%.3f,"
                    "\"backward_filter_gflops\":%.3f}",
                    first ? "" : ",", name, flops / t_fwd * 1e-9, flops / t_data * 1e-9, flops / t_filter * 1e-9);
      json += entry;
      first = false;
      total_flops += 3 * flops;
      total_seconds += t_fwd + t_data + t_filter;
    }
    std::printf("all conv kernels of both layers: %.2f GFLOP/s\n", total_flops / total_seconds * 1e-9);

    // One full training step: forward, MSE, backward, Adam.
    auto net = std::make_shared<Sequential>();
    net->add(std::make_shared<Conv2d>(1, 32, 3, 2, 1, rng));
    net->add(std::make_shared<ReLU>());
    net->add(std::make_shared<Conv2d>(32, 64, 3, 2, 1, rng));
    net->add(std::make_shared<ReLU>());
    net->add(std::make_shared<ConvTranspose2d>(64, 32, 3, 2, 1, 1, rng));
    net->add(std::make_shared<ReLU>());
    net->add(std::make_shared<ConvTranspose2d>(32, 1, 3, 2, 1, 1, rng));
    net->add(std::make_shared<Sigmoid>());
    Adam adam(net->parameters());
    const Tensor images = Tensor::uniform({batch, 28, 28, 1}, 0, 1, rng);
    const double t_step = median_seconds(kernels_name == "reference" ? 2 : steps, [&] {
      Var x(images);
      Var loss = mean(mse_per_sample(net->forward(x), x));
      adam.zero_grad();
      loss.backward();
      adam.step();
    });
    std::printf("training step (batch %lld): %.2f ms, %.0f samples/s\n", (long long)batch, t_step * 1e3,
                double(batch) / t_step);
    char tail[160];
    std::snprintf(tail, sizeof tail, "],\"conv_gflops\":%.3f,\"train_samples_per_second\":%.1f}",
                  total_flops / total_seconds * 1e-9, double(batch) / t_step);
    json += tail;
    std::printf("RESULT %s\n", json.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "conv_benchmark: %s\n", e.what());
    return 1;
  }
}
