#include "core/engine/kernels/kernels.h"

#include <atomic>

#include "core/engine/error.h"

namespace ca3 {

void ConvGeometry::validate(const char* op_name) const {
  CA3_CHECK(batch > 0 && in_height > 0 && in_width > 0 && in_channels > 0 && out_channels > 0, op_name,
            ": empty input or channels (batch ", batch, ", ", in_height, "x", in_width, "x", in_channels,
            " -> ", out_channels, " channels)");
  CA3_CHECK(kernel_height > 0 && kernel_width > 0, op_name, ": kernel size must be positive");
  CA3_CHECK(stride_height > 0 && stride_width > 0, op_name, ": stride must be positive");
  CA3_CHECK(pad_top >= 0 && pad_left >= 0 && pad_bottom >= 0 && pad_right >= 0, op_name,
            ": padding must not be negative");
  CA3_CHECK(in_height + pad_top + pad_bottom >= kernel_height && in_width + pad_left + pad_right >= kernel_width,
            op_name, ": kernel ", kernel_height, "x", kernel_width, " is larger than the padded input ",
            in_height + pad_top + pad_bottom, "x", in_width + pad_left + pad_right);
}

namespace {
KernelsKind g_kind = KernelsKind::xnnpack;
int g_threads = 1;
ThreadWait g_thread_wait = ThreadWait::sleep;
bool g_pool_enabled = true;
std::atomic<double> g_flops{0};
}  // namespace

double kernel_flops() { return g_flops.load(std::memory_order_relaxed); }
void count_kernel_flops(double flops) {
  double seen = g_flops.load(std::memory_order_relaxed);
  while (!g_flops.compare_exchange_weak(seen, seen + flops, std::memory_order_relaxed)) {
  }
}

Kernels& kernels() { return g_kind == KernelsKind::xnnpack ? xnnpack_kernels() : reference_kernels(); }
KernelsKind kernels_kind() { return g_kind; }
void set_kernels(KernelsKind kind) { g_kind = kind; }

KernelsKind parse_kernels_kind(const std::string& name) {
  if (name == "reference") return KernelsKind::reference;
  if (name == "xnnpack") return KernelsKind::xnnpack;
  throw Error("unknown kernels '" + name + "' (expected reference or xnnpack)");
}

void set_num_threads(int threads) {
  CA3_CHECK(threads >= 1 && threads <= 256, "thread count must be between 1 and 256, got ", threads);
  g_threads = threads;
}
int num_threads() { return g_threads; }

void set_thread_wait(ThreadWait wait) { g_thread_wait = wait; }
ThreadWait thread_wait() { return g_thread_wait; }

void set_pool_enabled(bool enabled) { g_pool_enabled = enabled; }
bool pool_enabled() { return g_pool_enabled; }

// A cycle: probe pairs alternating with / without the pool (kProbeSteps steps; the second step of
// each pair is measured), then kKeepSteps steps with the faster.
void PoolChooser::restart() {
  position_ = 0;
  with_sum_ = without_sum_ = 0;
  with_count_ = without_count_ = 0;
  keep_pool_ = true;
  threads_ = num_threads();
  kind_ = kernels_kind();
}

void PoolChooser::before_step() {
  release();
  if (num_threads() <= 1 || kernels_kind() != KernelsKind::xnnpack) return;
  if (num_threads() != threads_ || kernels_kind() != kind_) restart();
  current_ = position_ < kProbeSteps ? (position_ / 2) % 2 == 0 : keep_pool_;
  set_pool_enabled(current_);
  active_ = true;
}

void PoolChooser::after_step(double seconds, double units) {
  if (!active_) return;
  release();
  (current_ ? with_pool_ : without_pool_) += 1;
  if (position_ < kProbeSteps && position_ % 2 == 1 && units > 0) {
    (current_ ? with_sum_ : without_sum_) += seconds / units;
    (current_ ? with_count_ : without_count_) += 1;
  }
  if (++position_ == kProbeSteps) {
    // Without the pool only when both were measured and one thread was clearly faster per unit.
    keep_pool_ = !(with_count_ > 0 && without_count_ > 0 &&
                   without_sum_ / without_count_ < kMargin * (with_sum_ / with_count_));
    with_sum_ = without_sum_ = 0;
    with_count_ = without_count_ = 0;
  }
  if (position_ == kProbeSteps + kKeepSteps) position_ = 0;
}

void PoolChooser::release() {
  if (active_) set_pool_enabled(true);
  active_ = false;
}

}  // namespace ca3
