// XNNPACK kernels against the reference kernels over a table of shapes: channels 1, 2, 3, 7, 17,
// 33, 40, 64 (both layouts of backward-filter's GEMM);
// batch 1 and 37; kernel 1, 3, 4, 5; stride 1 and 2; padding; odd spatial sizes (which give
// the output adjustment of backward-data / transposed convolution); 1 and 2 threads.
#include <gtest/gtest.h>

#include <cmath>

#include <atomic>
#include <sstream>

#include "core/engine/kernels/kernels.h"
#include "core/engine/nn/optim.h"
#include "core/engine/ops/conv.h"
#include "core/engine/ops/normalization.h"
#include "core/engine/ops/pool.h"
#include "tests/test_support.h"

namespace ca3 {
namespace {

struct ConvCase {
  int64_t batch, height, width, in_channels, out_channels, kernel, stride, pad_begin, pad_end;
  int threads;
};

std::string describe(const ConvCase& c) {
  std::ostringstream s;
  s << "N" << c.batch << " " << c.height << "x" << c.width << "x" << c.in_channels << " -> " << c.out_channels
    << " k" << c.kernel << " s" << c.stride << " pad " << c.pad_begin << "/" << c.pad_end << " threads " << c.threads;
  return s.str();
}

std::vector<ConvCase> conv_cases() {
  std::vector<ConvCase> cases;
  const int64_t channel_pairs[][2] = {{1, 3}, {3, 7}, {7, 17}, {17, 1}, {3, 3}, {2, 40}, {33, 64}};
  const int64_t sizes[][2] = {{5, 7}, {8, 8}, {9, 13}, {6, 11}};
  int index = 0;
  for (int64_t kernel : {1, 3, 4, 5})
    for (int64_t stride : {1, 2})
      for (int64_t pad : {int64_t(0), kernel / 2})
        for (const auto& channels : channel_pairs) {
          const auto& size = sizes[index % 4];
          ConvCase c{index % 3 == 0 ? 37 : 1, size[0], size[1], channels[0], channels[1], kernel, stride, pad, pad,
                     index % 2 == 0 ? 1 : 2};
          if (index % 7 == 0) c.pad_end = pad + 1;  // asymmetric padding
          if (c.height + c.pad_begin + c.pad_end >= kernel && c.width + c.pad_begin + c.pad_end >= kernel)
            cases.push_back(c);
          ++index;
        }
  return cases;
}

ConvGeometry geometry_of(const ConvCase& c) {
  ConvGeometry g;
  g.batch = c.batch, g.in_height = c.height, g.in_width = c.width, g.in_channels = c.in_channels;
  g.out_channels = c.out_channels, g.kernel_height = g.kernel_width = c.kernel;
  g.stride_height = g.stride_width = c.stride;
  g.pad_top = g.pad_left = c.pad_begin;
  g.pad_bottom = g.pad_right = c.pad_end;
  return g;
}

// Error budget: float32 accumulation over the reduction length, relative to the reference.
constexpr double kAbsolute = 1e-4, kRelative = 1e-4;

TEST(XnnpackVsReference, ConvolutionForwardBackwardDataBackwardFilter) {
  Rng rng(2024);
  const auto cases = conv_cases();
  ASSERT_GE(cases.size(), 100u);
  for (const ConvCase& c : cases) {
    SCOPED_TRACE(describe(c));
    const ConvGeometry g = geometry_of(c);
    g.validate("test");
    const Tensor input = testing::random_tensor(g.input_shape(), rng);
    const Tensor weights = testing::random_tensor(g.weights_shape(), rng);
    const Tensor bias = testing::random_tensor({g.out_channels}, rng);
    const Tensor in_bias = testing::random_tensor({g.in_channels}, rng);
    const Tensor output_grad = testing::random_tensor(g.output_shape(), rng);
    const double reduction = double(c.kernel * c.kernel) * double(std::max(c.in_channels, c.out_channels));
    const double atol = kAbsolute * reduction;

    Tensor expected(g.output_shape()), actual(g.output_shape());
    reference_kernels().convolution(g, input.data(), weights, &bias, expected.mutable_data());
    set_num_threads(c.threads);
    xnnpack_kernels().convolution(g, input.data(), weights, &bias, actual.mutable_data());
    EXPECT_LE(testing::closeness(actual.data(), expected.data(), actual.numel(), atol, kRelative), 1.0) << "forward";

    Tensor expected_dx(g.input_shape()), actual_dx(g.input_shape());
    reference_kernels().convolution_backward_data(g, output_grad.data(), weights, &in_bias, expected_dx.mutable_data());
    xnnpack_kernels().convolution_backward_data(g, output_grad.data(), weights, &in_bias, actual_dx.mutable_data());
    EXPECT_LE(testing::closeness(actual_dx.data(), expected_dx.data(), actual_dx.numel(), atol, kRelative), 1.0)
        << "backward-data";

    Tensor expected_dw(g.weights_shape()), actual_dw(g.weights_shape());
    reference_kernels().convolution_backward_filter(g, input.data(), output_grad.data(), expected_dw.mutable_data());
    xnnpack_kernels().convolution_backward_filter(g, input.data(), output_grad.data(), actual_dw.mutable_data());
    const double filter_atol = kAbsolute * double(c.batch * g.out_height() * g.out_width());
    EXPECT_LE(testing::closeness(actual_dw.data(), expected_dw.data(), actual_dw.numel(), filter_atol, kRelative), 1.0)
        << "backward-filter";
    set_num_threads(1);
  }
}

TEST(XnnpackVsReference, BackwardFilterOverManyImagesIsChunked) {
  // Enough images that the patch matrix is processed in several chunks.
  ConvGeometry g;
  // (900 x 14 x 14 positions x 27 = 4.8 M floats: two chunks of at most 4.2 M.)
  g.batch = 900, g.in_height = g.in_width = 28, g.in_channels = 3, g.out_channels = 5;
  g.kernel_height = g.kernel_width = 3, g.stride_height = g.stride_width = 2, g.pad_top = g.pad_left = 1;
  g.pad_bottom = g.pad_right = 1;
  Rng rng(5);
  const Tensor input = testing::random_tensor(g.input_shape(), rng);
  const Tensor output_grad = testing::random_tensor(g.output_shape(), rng);
  Tensor expected(g.weights_shape()), actual(g.weights_shape());
  reference_kernels().convolution_backward_filter(g, input.data(), output_grad.data(), expected.mutable_data());
  xnnpack_kernels().convolution_backward_filter(g, input.data(), output_grad.data(), actual.mutable_data());
  EXPECT_LE(testing::closeness(actual.data(), expected.data(), actual.numel(), 1e-4 * 900 * 196, kRelative), 1.0);
}

TEST(XnnpackVsReference, BackwardFilterOfALargeLayer) {
  // Large enough for the column layout with many channels (xnnpack.cpp), in two chunks (96 x
  // 196 positions x 288), stride 1 and 2.
  for (int64_t stride : {1, 2}) {
    ConvGeometry g;
    g.batch = 96, g.in_height = g.in_width = 14 * stride, g.in_channels = 32, g.out_channels = 40;
    g.kernel_height = g.kernel_width = 3, g.stride_height = g.stride_width = stride;
    g.pad_top = g.pad_left = g.pad_bottom = g.pad_right = 1;
    SCOPED_TRACE(stride);
    Rng rng(7);
    const Tensor input = testing::random_tensor(g.input_shape(), rng);
    const Tensor output_grad = testing::random_tensor(g.output_shape(), rng);
    Tensor expected(g.weights_shape()), actual(g.weights_shape());
    reference_kernels().convolution_backward_filter(g, input.data(), output_grad.data(), expected.mutable_data());
    set_num_threads(2);
    xnnpack_kernels().convolution_backward_filter(g, input.data(), output_grad.data(), actual.mutable_data());
    set_num_threads(1);
    EXPECT_LE(testing::closeness(actual.data(), expected.data(), actual.numel(), 1e-4 * 96 * 196, kRelative), 1.0);
  }
}

// Backward-filter over random geometries the table above does not have: heights and widths
// from 1, rectangular kernels and strides, stride 3 to 5, padding up to and past the kernel,
// asymmetric padding, 1 and 2 threads (both layouts: a patch of fewer than 32 values takes the
// columns one). A 1-row image with padding once wrote out of bounds.
TEST(XnnpackVsReference, BackwardFilterOverRandomGeometries) {
  Rng rng(11);
  auto pick = [&](int64_t lo, int64_t hi) { return lo + int64_t(rng.uniform() * double(hi - lo + 1)) % (hi - lo + 1); };
  int tested = 0, columns = 0;
  for (int i = 0; tested < 400 && i < 4000; ++i) {
    ConvGeometry g;
    g.batch = pick(1, 3), g.in_height = pick(1, 12), g.in_width = pick(1, 12);
    g.in_channels = pick(1, 6), g.out_channels = pick(1, 6);
    g.kernel_height = pick(1, 6), g.kernel_width = pick(1, 6);
    g.stride_height = pick(1, 5), g.stride_width = pick(1, 5);
    g.pad_top = pick(0, 6), g.pad_bottom = pick(0, 6), g.pad_left = pick(0, 6), g.pad_right = pick(0, 6);
    if (g.in_height + g.pad_top + g.pad_bottom < g.kernel_height || g.in_width + g.pad_left + g.pad_right < g.kernel_width)
      continue;
    std::ostringstream name;
    name << "N" << g.batch << " " << g.in_height << "x" << g.in_width << "x" << g.in_channels << " -> " << g.out_channels
         << " k" << g.kernel_height << "x" << g.kernel_width << " s" << g.stride_height << "x" << g.stride_width
         << " pad " << g.pad_top << "/" << g.pad_bottom << "/" << g.pad_left << "/" << g.pad_right;
    SCOPED_TRACE(name.str());
    ++tested;
    columns += g.kernel_height * g.kernel_width * g.in_channels < 32;
    const Tensor input = testing::random_tensor(g.input_shape(), rng);
    const Tensor output_grad = testing::random_tensor(g.output_shape(), rng);
    Tensor expected(g.weights_shape()), actual = Tensor::full(g.weights_shape(), std::nanf(""));
    reference_kernels().convolution_backward_filter(g, input.data(), output_grad.data(), expected.mutable_data());
    set_num_threads(1 + tested % 2);
    xnnpack_kernels().convolution_backward_filter(g, input.data(), output_grad.data(), actual.mutable_data());
    set_num_threads(1);
    ASSERT_LE(testing::closeness(actual.data(), expected.data(), actual.numel(), 1e-4 * double(g.batch) * 144, kRelative),
              1.0);
  }
  EXPECT_EQ(tested, 400);
  EXPECT_GE(columns, 100);
}

// kernel_flops counts each kernel's multiply-adds once (2 each), in both implementations --
// the chunked backward-filter (several matmuls inside) as much as the reference's loop.
TEST(XnnpackVsReference, KernelFlopsCountEachKernelOnce) {
  ConvGeometry g;
  g.batch = 300, g.in_height = g.in_width = 28, g.in_channels = 3, g.out_channels = 5;
  g.kernel_height = g.kernel_width = 3, g.stride_height = g.stride_width = 2, g.pad_top = g.pad_left = 1;
  g.pad_bottom = g.pad_right = 1;
  const double expected = 2.0 * 300 * (14 * 14) * 5 * (3 * 3 * 3);
  EXPECT_EQ(g.flops(), expected);
  Rng rng(6);
  const Tensor input = testing::random_tensor(g.input_shape(), rng);
  const Tensor output_grad = testing::random_tensor(g.output_shape(), rng);
  const Tensor weights = testing::random_tensor(g.weights_shape(), rng);
  Tensor weights_grad(g.weights_shape()), output(g.output_shape()), input_grad(g.input_shape());
  for (Kernels* k : {&reference_kernels(), &xnnpack_kernels()}) {
    double before = kernel_flops();
    k->convolution_backward_filter(g, input.data(), output_grad.data(), weights_grad.mutable_data());
    EXPECT_EQ(kernel_flops() - before, expected) << k->name();
    before = kernel_flops();
    k->convolution(g, input.data(), weights, nullptr, output.mutable_data());
    k->convolution_backward_data(g, output_grad.data(), weights, nullptr, input_grad.mutable_data());
    EXPECT_EQ(kernel_flops() - before, 2 * expected) << k->name();
    before = kernel_flops();
    std::vector<float> a(6 * 4, 1.f), b(4 * 40, 1.f), c(6 * 40);
    k->matmul(6, 40, 4, a.data(), true, b.data(), false, nullptr, c.data());
    EXPECT_EQ(kernel_flops() - before, 2.0 * 6 * 40 * 4) << k->name();
  }
}

// parallel_for covers [0, n) exactly once, in pieces on the threads from min_parallel items.
TEST(XnnpackVsReference, ParallelForVisitsEveryItemOnce) {
  set_num_threads(2);
  for (Kernels* k : {&reference_kernels(), &xnnpack_kernels()})
    for (const int64_t n : {int64_t(0), int64_t(1), int64_t(1000), kParallelElements - 1, kParallelElements, int64_t(1000003)}) {
      std::vector<std::atomic<int>> visits(static_cast<size_t>(n));
      std::atomic<int> pieces{0};
      k->parallel_for(n, kParallelElements, [&](int64_t begin, int64_t end) {
        ++pieces;
        for (int64_t i = begin; i < end; ++i) ++visits[size_t(i)];
      });
      for (int64_t i = 0; i < n; ++i) ASSERT_EQ(visits[size_t(i)].load(), 1) << k->name() << " n " << n << " item " << i;
      // One piece below the threshold and in the reference; above it, as many as the threads
      // allow (one where the build has no threads, the single-thread wasm).
      if (k == &reference_kernels() || n < kParallelElements) {
        EXPECT_EQ(pieces.load(), n > 0 ? 1 : 0) << k->name() << " n " << n;
      } else {
#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
        EXPECT_GT(pieces.load(), 1) << k->name() << " n " << n;  // on the threads
#endif
      }
    }
  set_num_threads(1);
}

// Pooling, batch-norm and Adam run their loops through parallel_for: in pieces on 2 threads
// they give exactly what one piece gives (the reference), forward and backward — every piece
// writes only its own outputs, and batch-norm sums rows in fixed chunks added in order.
TEST(XnnpackVsReference, PoolingBatchNormAndAdamOnThreadsEqualOnePiece) {
  Rng rng(11);
  // 48 samples: enough for every loop here to split into pieces (at least 16 items each), the
  // backward of the overlapping average pooling (one sample an item) included.
  const Tensor x = testing::distinct_tensor({48, 28, 28, 16}, rng, 1e-4f);  // 602,112 values
  const Tensor seed_pool = testing::random_tensor({48, 14, 14, 16}, rng);
  const Tensor seed_avg = testing::random_tensor({48, 7, 7, 16}, rng);
  const Tensor seed_norm = testing::random_tensor(x.shape(), rng);
  const Tensor gamma0 = testing::random_tensor({16}, rng);
  std::vector<uint8_t> in_statistics(48);
  for (size_t i = 0; i < in_statistics.size(); ++i) in_statistics[i] = i % 3 != 0;
  struct Result {
    std::vector<Tensor> values;
  };
  auto run = [&](KernelsKind kind) {
    testing::KernelsScope scope(kind, 2);
    Result r;
    Var input = Var::parameter(x.clone());
    Var gamma = Var::parameter(gamma0.clone()), beta = Var::parameter(Tensor::zeros({16}));
    Tensor running_mean = Tensor::zeros({16}), running_var = Tensor::full({16}, 1.f);
    Var pooled = max_pool2d(input, 2);
    Var averaged = avg_pool2d(input, 5, 4, 2);
    Var adaptive = adaptive_avg_pool2d(input, 7, 7);
    Var normalised = batch_norm(input, gamma, beta, running_mean, running_var, true, 0.1f, 1e-5f, in_statistics);
    pooled.backward(seed_pool);
    averaged.backward(seed_avg);
    adaptive.backward(seed_avg);
    normalised.backward(seed_norm);
    r.values = {pooled.value(), averaged.value(), adaptive.value(), normalised.value(), running_mean, running_var,
                input.grad().clone(), gamma.grad().clone(), beta.grad().clone()};
    Adam adam({input, gamma});
    adam.step();
    adam.step();
    r.values.push_back(input.value().clone());
    r.values.push_back(gamma.value().clone());
    return r;
  };
  const Result one = run(KernelsKind::reference), threaded = run(KernelsKind::xnnpack);
  ASSERT_EQ(one.values.size(), threaded.values.size());
  for (size_t i = 0; i < one.values.size(); ++i) {
    ASSERT_EQ(one.values[i].shape(), threaded.values[i].shape()) << "value " << i;
    for (int64_t k = 0; k < one.values[i].numel(); ++k)
      ASSERT_EQ(one.values[i].data()[k], threaded.values[i].data()[k]) << "value " << i << " element " << k;
  }
  // And the values are right, not only equal: each channel of the normalised samples that gave
  // the statistics averages to beta (0).
  const Tensor& normalised = threaded.values[3];
  const int64_t per_sample = 28 * 28 * 16;
  for (int64_t c = 0; c < 16; ++c) {
    double total = 0;
    int64_t count = 0;
    for (int64_t i = c; i < normalised.numel(); i += 16)
      if (in_statistics[size_t(i / per_sample)]) total += normalised.data()[i], ++count;
    EXPECT_NEAR(total / double(count), 0.0, 1e-4) << "channel " << c;
  }
}

TEST(XnnpackVsReference, RebuildsTheCachedOperatorWhenWeightsChange) {
  ConvGeometry g;
  g.batch = 2, g.in_height = g.in_width = 6, g.in_channels = 3, g.out_channels = 4;
  g.kernel_height = g.kernel_width = 3;
  Rng rng(11);
  const Tensor input = testing::random_tensor(g.input_shape(), rng);
  Tensor weights = testing::random_tensor(g.weights_shape(), rng);
  Tensor first(g.output_shape()), second(g.output_shape()), expected(g.output_shape());
  xnnpack_kernels().convolution(g, input.data(), weights, nullptr, first.mutable_data());
  // Same tensor, new values (as after an optimizer step): the cached operator must be rebuilt.
  weights.scale_(2.f);
  xnnpack_kernels().convolution(g, input.data(), weights, nullptr, second.mutable_data());
  reference_kernels().convolution(g, input.data(), weights, nullptr, expected.mutable_data());
  EXPECT_LE(testing::closeness(second.data(), expected.data(), second.numel(), 1e-4, 1e-4), 1.0);
  for (int64_t i = 0; i < first.numel(); ++i) ASSERT_NEAR(second.at(i), 2.f * first.at(i), 1e-4);
}

TEST(XnnpackVsReference, TransposedConvolutionOpWithOutputPadding) {
  // The op level: conv_transpose2d forward and all three gradients, stride 2, output padding.
  Rng rng(17);
  int index = 0;
  for (int64_t in_channels : {1, 3, 7, 17})
    for (int64_t out_channels : {1, 3, 7, 17})
      for (int64_t kernel : {3, 4, 5}) {
        Conv2dOptions o;
        o.stride_height = o.stride_width = 2;
        o.pad_height = o.pad_width = kernel / 2;
        o.output_padding_height = o.output_padding_width = index % 2;
        const int64_t batch = index % 3 == 0 ? 37 : 1;
        ++index;
        SCOPED_TRACE(::testing::Message() << "N" << batch << " " << in_channels << "->" << out_channels << " k" << kernel
                                          << " output padding " << o.output_padding_height);
        const Tensor x = testing::random_tensor({batch, 5, 7, in_channels}, rng);
        const Tensor w = testing::random_tensor({in_channels, kernel, kernel, out_channels}, rng);
        const Tensor b = testing::random_tensor({out_channels}, rng);
        std::vector<std::vector<float>> results[2];
        for (int which = 0; which < 2; ++which) {
          testing::KernelsScope scope(which == 0 ? KernelsKind::reference : KernelsKind::xnnpack);
          Var xv(x.clone(), true), wv(w.clone(), true), bv(b.clone(), true);
          Var y = conv_transpose2d(xv, wv, bv, o);
          Rng seed_rng(1);
          y.backward(testing::random_tensor(y.shape(), seed_rng));
          results[which] = {y.value().to_vector(), xv.grad().to_vector(), wv.grad().to_vector(), bv.grad().to_vector()};
        }
        const char* names[] = {"forward", "input gradient", "weight gradient", "bias gradient"};
        for (int part = 0; part < 4; ++part) {
          const auto& expected = results[0][size_t(part)];
          const auto& actual = results[1][size_t(part)];
          ASSERT_EQ(actual.size(), expected.size());
          const double atol = part == 2 ? 1e-4 * double(batch * 35) : 1e-4 * double(kernel * kernel * 17);
          EXPECT_LE(testing::closeness(actual.data(), expected.data(), int64_t(actual.size()), atol, kRelative), 1.0)
              << names[part];
        }
      }
}

TEST(XnnpackVsReference, Matmul) {
  Rng rng(3);
  int index = 0;
  for (int64_t m : {1, 3, 17, 37})
    for (int64_t n : {1, 7, 17, 64})
      for (int64_t k : {1, 3, 37, 200})
        for (bool a_t : {false, true})
          for (bool b_t : {false, true}) {
            SCOPED_TRACE(::testing::Message() << "m" << m << " n" << n << " k" << k << " a_t" << a_t << " b_t" << b_t);
            const Tensor a = testing::random_tensor({m * k}, rng), b = testing::random_tensor({k * n}, rng);
            const Tensor bias = testing::random_tensor({n}, rng);
            const float* bias_data = (index++ % 2) ? bias.data() : nullptr;
            Tensor expected({m, n}), actual({m, n});
            reference_kernels().matmul(m, n, k, a.data(), a_t, b.data(), b_t, bias_data, expected.mutable_data());
            set_num_threads(index % 3 == 0 ? 2 : 1);
            xnnpack_kernels().matmul(m, n, k, a.data(), a_t, b.data(), b_t, bias_data, actual.mutable_data());
            set_num_threads(1);
            EXPECT_LE(testing::closeness(actual.data(), expected.data(), actual.numel(), 1e-5 * double(k), 1e-4), 1.0);
          }
}

// The chooser measures steps with and without the pool in pairs (the second of each pair timed)
// and keeps the faster per unit of work; the pool unless one thread is clearly faster. Between
// steps the pool is always enabled.
TEST(PoolChooser, MeasuresBothAndKeepsTheFaster) {
  testing::KernelsScope two_threads(KernelsKind::xnnpack, 2);
  PoolChooser chooser;
  // Runs `steps` steps whose time is `with_pool` or `without_pool` seconds for 10 units (the first
  // of a pair without the pool `first_without` seconds, when given); returns whether each step ran
  // with the pool.
  auto run = [&](double with_pool, double without_pool, int steps, double first_without = 0) {
    std::vector<bool> used;
    for (int i = 0; i < steps; ++i) {
      chooser.before_step();
      const bool on = pool_enabled();
      used.push_back(on);
      const bool first_of_pair = used.size() % 2 == 1;
      chooser.after_step(on ? with_pool : first_without > 0 && first_of_pair ? first_without : without_pool, 10);
      EXPECT_TRUE(pool_enabled());  // given back after every step
    }
    return used;
  };
  const int probe = PoolChooser::kProbeSteps, keep = PoolChooser::kKeepSteps;
  std::vector<bool> pairs;
  for (int i = 0; i < probe; ++i) pairs.push_back((i / 2) % 2 == 0);
  EXPECT_EQ(run(1.0, 0.5, probe), pairs);                          // one thread twice as fast ...
  EXPECT_EQ(run(1.0, 0.5, keep), std::vector<bool>(keep, false));  // ... so it runs without the pool
  EXPECT_EQ(run(0.5, 1.0, probe), pairs);                          // measured again: now the pool wins
  EXPECT_EQ(run(0.5, 1.0, keep), std::vector<bool>(keep, true));
  run(1.0, 0.97, probe);                                           // one thread only 3% faster: the pool stays
  EXPECT_EQ(run(1.0, 0.97, keep), std::vector<bool>(keep, true));
  // Only the second step of each pair counts: a slow first step after switching the pool off
  // (had it counted, the pool would have won) does not.
  run(1.0, 0.5, probe, /*first_without=*/100.0);
  // A repeated before_step (a step that failed before after_step) does not lose the choice.
  chooser.before_step();
  EXPECT_EQ(run(1.0, 0.5, keep), std::vector<bool>(keep, false));
  EXPECT_EQ(chooser.steps_with_pool() + chooser.steps_without_pool(), 4 * (probe + keep));
  // A new thread count starts a new cycle: the next steps measure again.
  run(1.0, 0.5, probe);
  set_num_threads(3);
  EXPECT_EQ(run(1.0, 0.5, probe), pairs);
}

TEST(PoolChooser, LeavesThePoolAloneOnOneThreadAndWithTheReferenceKernels) {
  for (KernelsKind kind : {KernelsKind::xnnpack, KernelsKind::reference}) {
    testing::KernelsScope scope(kind, kind == KernelsKind::xnnpack ? 1 : 2);
    PoolChooser chooser;
    for (int i = 0; i < PoolChooser::kProbeSteps + 5; ++i) {
      chooser.before_step();
      EXPECT_TRUE(pool_enabled());
      chooser.after_step(i % 2 ? 1.0 : 0.1, 10);
    }
    EXPECT_EQ(chooser.steps_with_pool() + chooser.steps_without_pool(), 0);
  }
}

}  // namespace
}  // namespace ca3
