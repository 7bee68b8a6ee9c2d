// The narrow interface behind which the heavy numerical work sits.
//
// Two implementations: `reference` (naive loops accumulating in double; always built; the
// ground truth in tests) and `xnnpack` (XNNPACK operators, cached by shape, weights re-packed
// only when their tensor's version changes; a pthreadpool with a configurable thread count).
// Every convolution-like op is one of three kernels over a ConvGeometry that describes the
// *forward* convolution input [N,H,W,Ci] -> output [N,OH,OW,Co] with weights [Co,KH,KW,Ci]:
//
//   convolution                  input  -> output        (conv forward; transposed-conv backward-data)
//   convolution_backward_data    output -> input         (conv backward-data; transposed-conv forward)
//   convolution_backward_filter  input, output-grad -> weight-grad (both)
//
// plus a matrix product for fully-connected layers and the GEMMs of backward passes, and a
// parallel loop that puts element-wise work on the same threads.
//
//   set_kernels(KernelsKind::xnnpack);
//   set_num_threads(2);
//   kernels().convolution(geometry, x, w, &bias, y);
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/engine/tensor.h"

namespace ca3 {

struct ConvGeometry {
  int64_t batch = 1;
  int64_t in_height = 1, in_width = 1, in_channels = 1;
  int64_t out_channels = 1;
  int64_t kernel_height = 1, kernel_width = 1;
  int64_t stride_height = 1, stride_width = 1;
  int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;

  int64_t out_height() const { return (in_height + pad_top + pad_bottom - kernel_height) / stride_height + 1; }
  int64_t out_width() const { return (in_width + pad_left + pad_right - kernel_width) / stride_width + 1; }
  Shape input_shape() const { return {batch, in_height, in_width, in_channels}; }
  Shape output_shape() const { return {batch, out_height(), out_width(), out_channels}; }
  Shape weights_shape() const { return {out_channels, kernel_height, kernel_width, in_channels}; }
  // Floating-point operations of each of the three kernels: 2 per multiply-add.
  double flops() const {
    return 2.0 * double(batch) * double(out_height() * out_width()) * double(out_channels) *
           double(kernel_height * kernel_width * in_channels);
  }
  // Throws ca3::Error naming the problem when the geometry is impossible.
  void validate(const char* op_name) const;
  bool operator==(const ConvGeometry&) const = default;
};

class Kernels {
 public:
  virtual ~Kernels() = default;
  virtual const char* name() const = 0;

  // output[N,OH,OW,Co] = conv(input[N,H,W,Ci], weights[Co,KH,KW,Ci]) + bias[Co] (bias may be null)
  virtual void convolution(const ConvGeometry& g, const float* input, const Tensor& weights,
                           const Tensor* bias, float* output) = 0;
  // input_grad[N,H,W,Ci] = conv^T(output_grad[N,OH,OW,Co], weights[Co,KH,KW,Ci]) + bias[Ci]
  virtual void convolution_backward_data(const ConvGeometry& g, const float* output_grad,
                                         const Tensor& weights, const Tensor* bias,
                                         float* input_grad) = 0;
  // weights_grad[Co,KH,KW,Ci] = sum over batch and positions of output_grad x input patches
  virtual void convolution_backward_filter(const ConvGeometry& g, const float* input,
                                           const float* output_grad, float* weights_grad) = 0;
  // c[M,N] = op(a)[M,K] x op(b)[K,N] (+ bias[N] when not null).
  // a is stored [M,K], or [K,M] when a_transposed; b is stored [K,N], or [N,K] when b_transposed.
  virtual void matmul(int64_t m, int64_t n, int64_t k, const float* a, bool a_transposed,
                      const float* b, bool b_transposed, const float* bias, float* c) = 0;
  // body(begin, end) over [0, n): in a few pieces on the kernels' threads when n is at least
  // `min_parallel`, else in one piece on the calling thread. The pieces must be independent
  // (element-wise loops); the reference implementation always runs one piece.
  virtual void parallel_for(int64_t n, int64_t min_parallel, const std::function<void(int64_t, int64_t)>& body) = 0;
};

// Items below which an element-wise loop runs on the calling thread: waking the pool's threads
// costs more than a shorter memory-bound loop saves.
inline constexpr int64_t kParallelElements = int64_t(1) << 16;
// The `min_parallel` for a loop whose items each do about `work_per_item` element operations.
inline int64_t parallel_items(int64_t work_per_item) {
  return work_per_item >= kParallelElements ? 1 : kParallelElements / (work_per_item > 0 ? work_per_item : 1);
}

enum class KernelsKind { reference, xnnpack };

// The implementation ops use; xnnpack by default.
Kernels& kernels();
KernelsKind kernels_kind();
void set_kernels(KernelsKind kind);
KernelsKind parse_kernels_kind(const std::string& name);  // "reference" | "xnnpack"

// Threads used by the xnnpack kernels (XNNPACK's operators and parallel_for). Default 1.
void set_num_threads(int threads);
int num_threads();

// What the pool's threads do between two parallel pieces of work. `sleep` (the default): they
// wait on a futex (an Atomics.wait in WebAssembly) and are woken for the next op; `spin`:
// pthreadpool's default, up to a million pause instructions before sleeping — the fastest on an
// idle machine, but on a busy one the spinning threads take the cores the work needs
// (model_speed_benchmark compares both).
enum class ThreadWait { sleep, spin };
void set_thread_wait(ThreadWait wait);
ThreadWait thread_wait();

// Whether the xnnpack kernels hand work to the pool (true, the default) or do all of it on the
// calling thread; the pool and its threads are kept either way. PoolChooser switches it.
void set_pool_enabled(bool enabled);
bool pool_enabled();

// Decides by measurement whether the pool pays for a repeated piece of work (a training step).
// On a busy machine a pool thread that shares its core with other work makes every op wait for
// it, and one thread is faster (scripts/bench-threads.sh: 0.76x with 1 of 2 cores busy). The
// chooser runs pairs of steps with and without the pool and times the second step of each pair
// (the first pays for switching: operators re-planned, sleeping threads woken); after
// kProbePairs pairs of each it keeps the faster (the pool unless one thread takes less than
// kMargin of its time) for kKeepSteps steps, then measures again, and starts over when the
// thread count or the kernels change. The pool is switched only from before_step to after_step:
// whatever runs between steps has it. The results do not depend on the choice: every kernel gives
// the same bits on any number of threads (kernels_test, detector_test). With one thread, or the
// reference kernels, it does nothing.
class PoolChooser {
 public:
  static constexpr int kProbePairs = 2;    // pairs of steps measured with, and without, the pool
  static constexpr int kProbeSteps = 4 * kProbePairs;
  static constexpr int kKeepSteps = 48;    // steps run with the choice before measuring again
  static constexpr double kMargin = 0.95;  // one thread must take less than this share of the time

  ~PoolChooser() { release(); }
  // Call before each step: enables or disables the pool for it.
  void before_step();
  // Call after each step with its wall time (seconds) and size (e.g. samples; > 0); gives the
  // pool back.
  void after_step(double seconds, double units);
  // Gives the pool back (enabled) without counting a step, e.g. when a step failed.
  void release();
  // Steps run so far with and without the pool.
  int64_t steps_with_pool() const { return with_pool_; }
  int64_t steps_without_pool() const { return without_pool_; }

 private:
  void restart();
  bool active_ = false;   // whether a step is running with the pool switched by this chooser
  int64_t position_ = 0;  // step within the cycle: kProbeSteps probe steps, then kKeepSteps
  double with_sum_ = 0, without_sum_ = 0;  // seconds per unit of the measured probe steps
  int with_count_ = 0, without_count_ = 0;
  bool keep_pool_ = true, current_ = true;
  int threads_ = 0;  // the thread count and kernels the cycle measures (0: none yet)
  KernelsKind kind_ = KernelsKind::xnnpack;
  int64_t with_pool_ = 0, without_pool_ = 0;
};

// Floating-point operations (2 per multiply-add) done by the convolution and matmul kernels of
// either implementation since the program started: benchmarks divide it by time for GFLOP/s.
double kernel_flops();
void count_kernel_flops(double flops);  // called by the implementations

// Factories (used by the selection above and by tests that compare both side by side).
Kernels& reference_kernels();
Kernels& xnnpack_kernels();

}  // namespace ca3
