// XNNPACK kernels.
//
// Operators follow XNNPACK's create -> reshape -> setup -> run life cycle and are cached by
// shape: a convolution operator is keyed by its geometry and the identity of its weight (and
// bias) tensor, and recreated -- re-packing the weights -- only when that tensor's version
// changed (an optimizer step). Backward-data of a convolution is an XNNPACK deconvolution with
// the weights' in/out channels swapped; backward-filter is im2col followed by a GEMM
// (XNNPACK's dynamic fully-connected operator, whose weights are given at setup).
#include <xnnpack.h>
#include <pthreadpool.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include "core/engine/error.h"
#include "core/engine/kernels/kernels.h"

namespace ca3 {
namespace {

void check_status(xnn_status status, const char* what) {
  CA3_CHECK(status == xnn_status_success, "XNNPACK ", what, " failed with status ", static_cast<int>(status));
}

struct AlignedFree {
  void operator()(void* p) const { std::free(p); }
};
using AlignedBuffer = std::unique_ptr<char, AlignedFree>;

AlignedBuffer aligned_buffer(size_t bytes, size_t alignment) {
  if (bytes == 0) return AlignedBuffer();
  alignment = std::max<size_t>(alignment, 64);
  const size_t rounded = (bytes + XNN_EXTRA_BYTES + alignment - 1) / alignment * alignment;
  void* p = std::aligned_alloc(alignment, rounded);
  CA3_CHECK(p != nullptr, "out of memory (", rounded, " bytes of kernel workspace)");
  return AlignedBuffer(static_cast<char*>(p));
}

// A float scratch array with XNN_EXTRA_BYTES of readable padding, reused between calls.
class Scratch {
 public:
  float* get(size_t floats) {
    if (floats > capacity_) {
      buffer_ = aligned_buffer(floats * sizeof(float), 64);
      capacity_ = floats;
    }
    return reinterpret_cast<float*>(buffer_.get());
  }

 private:
  AlignedBuffer buffer_;
  size_t capacity_ = 0;
};

enum class ConvKind { forward, backward_data };

struct ConvKey {
  ConvKind kind;
  std::array<int64_t, 13> fields;  // std::array: compared by value (a C array in std::tie compares addresses)
  uint64_t weights_id, bias_id;
  bool operator<(const ConvKey& o) const {
    return std::tie(kind, fields, weights_id, bias_id) < std::tie(o.kind, o.fields, o.weights_id, o.bias_id);
  }
};

struct CachedOperator {
  xnn_operator_t op = nullptr;
  uint64_t weights_version = 0, bias_version = 0;
  uint32_t flags = 0;  // XNN_FLAG_YIELD_WORKERS or 0, as created
  pthreadpool_t reshaped_for = nullptr;
  bool reshaped = false;
  AlignedBuffer workspace;
  CachedOperator() = default;
  CachedOperator(const CachedOperator&) = delete;
  CachedOperator& operator=(const CachedOperator&) = delete;
  ~CachedOperator() {
    if (op) xnn_delete_operator(op);
  }
};

class XnnpackKernels final : public Kernels {
 public:
  XnnpackKernels() { check_status(xnn_initialize(nullptr), "initialization"); }
  ~XnnpackKernels() override {
    conv_cache_.clear();
    matmul_cache_.clear();
    if (pool_) pthreadpool_destroy(pool_);
  }

  const char* name() const override { return "xnnpack"; }

  void convolution(const ConvGeometry& g, const float* input, const Tensor& weights, const Tensor* bias,
                   float* output) override {
    count_kernel_flops(g.flops());
    CachedOperator& entry = conv_operator(ConvKind::forward, g, weights, bias);
    pthreadpool_t threads = pool_for(g.flops());
    if (!entry.reshaped || entry.reshaped_for != threads) {
      size_t workspace_size = 0, workspace_alignment = 0, oh = 0, ow = 0;
      check_status(xnn_reshape_convolution2d_nhwc_f32(entry.op, g.batch, g.in_height, g.in_width, &workspace_size,
                                                      &workspace_alignment, &oh, &ow, threads),
                   "convolution reshape");
      CA3_ASSERT(int64_t(oh) == g.out_height() && int64_t(ow) == g.out_width());
      entry.workspace = aligned_buffer(workspace_size, workspace_alignment);
      entry.reshaped = true;
      entry.reshaped_for = threads;
    }
    check_status(xnn_setup_convolution2d_nhwc_f32(entry.op, entry.workspace.get(), input, output),
                 "convolution setup");
    check_status(xnn_run_operator(entry.op, threads), "convolution run");
  }

  void convolution_backward_data(const ConvGeometry& g, const float* output_grad, const Tensor& weights,
                                 const Tensor* bias, float* input_grad) override {
    count_kernel_flops(g.flops());
    CachedOperator& entry = conv_operator(ConvKind::backward_data, g, weights, bias);
    pthreadpool_t threads = pool_for(g.flops());
    if (!entry.reshaped || entry.reshaped_for != threads) {
      // Rows/columns of the input the forward convolution never reached (when
      // (H + pads - K) is not a multiple of the stride) are produced by XNNPACK's adjustment.
      const int64_t adjust_h = g.in_height + g.pad_top + g.pad_bottom - g.kernel_height -
                               (g.out_height() - 1) * g.stride_height;
      const int64_t adjust_w = g.in_width + g.pad_left + g.pad_right - g.kernel_width -
                               (g.out_width() - 1) * g.stride_width;
      size_t oh = 0, ow = 0;
      check_status(xnn_reshape_deconvolution2d_nhwc_f32(entry.op, g.batch, g.out_height(), g.out_width(),
                                                        uint32_t(adjust_h), uint32_t(adjust_w), &oh, &ow, threads),
                   "deconvolution reshape");
      CA3_ASSERT(int64_t(oh) == g.in_height && int64_t(ow) == g.in_width);
      entry.reshaped = true;
      entry.reshaped_for = threads;
    }
    check_status(xnn_setup_deconvolution2d_nhwc_f32(entry.op, output_grad, input_grad), "deconvolution setup");
    check_status(xnn_run_operator(entry.op, threads), "deconvolution run");
  }

  void convolution_backward_filter(const ConvGeometry& g, const float* input, const float* output_grad,
                                   float* weights_grad) override {
    // (Its flops are counted by the matmul calls below.) One GEMM per chunk of images, so the
    // patch matrix stays small (16 MB), in one of two layouts; XNNPACK packs the GEMM's right
    // operand on every call, so the layout decides which matrix is copied once more:
    //   patches: weights_grad[Co, patch] = output_grad^T[Co, P] x patches[P, patch]
    //            (packs the patch matrix; output_grad is transposed);
    //   columns: weights_grad^T[patch, Co] = columns[patch, P] x output_grad[P, Co]
    //            (packs output_grad; the columns are read in place; built from the input made
    //            channel-major, and the small product is transposed at the end).
    // Columns win where a patch is narrower than the GEMM kernel's 32 columns (a 1-channel
    // image: the patch layout transposes both operands) and on large layers with at least 32
    // output channels; patches win on small ones (tests/benchmarks/conv_benchmark.cpp
    // --layers presets).
    const int64_t positions_per_image = g.out_height() * g.out_width();
    const int64_t patch = g.kernel_height * g.kernel_width * g.in_channels;
    const int64_t weights_count = g.out_channels * patch;
    // 16 MB of patches -- and of the columns layout's copies of the input (larger than the
    // patches where the stride exceeds the kernel).
    const int64_t max_floats = int64_t(1) << 22;
    const int64_t floats_per_image = std::max(positions_per_image * patch, g.in_height * g.in_width * g.in_channels);
    const int64_t images_per_chunk =
        std::clamp<int64_t>(max_floats / std::max<int64_t>(1, floats_per_image), 1, g.batch);
    const int64_t chunk_floats = images_per_chunk * positions_per_image * patch;
    const bool columns_layout = patch < 32 || (g.out_channels >= 32 && chunk_floats >= (int64_t(1) << 21));
    float* sum = columns_layout ? product_scratch_.get(size_t(weights_count)) : weights_grad;
    float* partial = nullptr;
    for (int64_t first = 0; first < g.batch; first += images_per_chunk) {
      const int64_t images = std::min(images_per_chunk, g.batch - first);
      const int64_t positions = images * positions_per_image;
      const float* chunk_input = input + first * g.in_height * g.in_width * g.in_channels;
      const float* chunk_grad = output_grad + first * positions_per_image * g.out_channels;
      float* target = sum;
      if (first > 0) {
        if (!partial) partial = partial_scratch_.get(size_t(weights_count));
        target = partial;
      }
      float* patches = patch_scratch_.get(size_t(positions * patch));
      if (columns_layout) {
        im2col_transposed(g, chunk_input, images, patches);
        matmul(patch, g.out_channels, positions, patches, /*a_transposed=*/false, chunk_grad,
               /*b_transposed=*/false, nullptr, target);
      } else {
        im2col(g, chunk_input, images, patches);
        matmul(g.out_channels, patch, positions, chunk_grad, /*a_transposed=*/true, patches,
               /*b_transposed=*/false, nullptr, target);
      }
      if (first > 0)
        for (int64_t i = 0; i < weights_count; ++i) sum[i] += partial[i];
    }
    if (columns_layout) transpose(sum, patch, g.out_channels, weights_grad);
  }

  void parallel_for(int64_t n, int64_t min_parallel, const std::function<void(int64_t, int64_t)>& body) override {
    if (n <= 0) return;
    pthreadpool_t threads = n >= min_parallel ? pool() : nullptr;
    if (!threads) return body(0, n);
    // A few pieces a thread, each a multiple of 16 items (whole cache lines of floats).
    const size_t pieces = pthreadpool_get_threads_count(threads) * 4;
    const int64_t tile = std::max<int64_t>(16, (n / int64_t(pieces) + 15) / 16 * 16);
    struct Context {
      const std::function<void(int64_t, int64_t)>* body;
      int64_t n;
    } context{&body, n};
    auto piece = [](void* raw, size_t begin, size_t count) {
      const auto& c = *static_cast<Context*>(raw);
      (*c.body)(int64_t(begin), std::min(c.n, int64_t(begin + count)));
    };
    pthreadpool_parallelize_1d_tile_1d(threads, piece, &context, size_t(n), size_t(tile), pool_flags());
  }

  void matmul(int64_t m, int64_t n, int64_t k, const float* a, bool a_transposed, const float* b,
              bool b_transposed, const float* bias, float* c) override {
    count_kernel_flops(2.0 * double(m) * double(n) * double(k));
    if (a_transposed) {
      float* at = transpose_scratch_.get(size_t(m * k));
      transpose(a, k, m, at);
      a = at;
    }
    // XNNPACK's fully-connected computes out[M,oc] = in[M,ic] x W^T with W [oc, ic], or W
    // [ic, oc] under XNN_FLAG_TRANSPOSE_WEIGHTS. That flag's packing gives wrong results in
    // this XNNPACK version when oc is below the kernel's tile width (kernels_test finds it),
    // so narrow matrices are transposed here instead.
    if (!b_transposed && n < 32) {
      float* bt = narrow_b_scratch_.get(size_t(n * k));
      transpose(b, k, n, bt);
      b = bt;
      b_transposed = true;
    }
    const uint32_t flags = (b_transposed ? 0 : XNN_FLAG_TRANSPOSE_WEIGHTS) | op_flags();
    const auto key = std::make_tuple(flags, m, n, k);
    auto found = matmul_cache_.find(key);
    if (found == matmul_cache_.end()) {
      if (matmul_cache_.size() >= 64) matmul_cache_.clear();  // bound the cache; rebuilt lazily
      auto entry = std::make_unique<CachedOperator>();
      check_status(xnn_create_dynamic_fully_connected_nc_f32(-INFINITY, INFINITY, flags, &entry->op),
                   "fully-connected create");
      found = matmul_cache_.emplace(key, std::move(entry)).first;
    }
    CachedOperator* slot = found->second.get();
    pthreadpool_t threads = pool_for(2.0 * double(m) * double(n) * double(k));
    if (!slot->reshaped || slot->reshaped_for != threads) {
      size_t workspace_size = 0, workspace_alignment = 0;
      check_status(xnn_reshape_dynamic_fully_connected_nc_f32(slot->op, m, k, n, k, n, &workspace_size,
                                                              &workspace_alignment, threads),
                   "fully-connected reshape");
      slot->workspace = aligned_buffer(workspace_size, workspace_alignment);
      slot->reshaped = true;
      slot->reshaped_for = threads;
    }
    check_status(xnn_setup_dynamic_fully_connected_nc_f32(slot->op, slot->workspace.get(), a, b, bias, c),
                 "fully-connected setup");
    check_status(xnn_run_operator(slot->op, threads), "fully-connected run");
  }

 private:
  // The pool's threads sleep after each op unless spinning is asked for (kernels.h).
  static bool sleep() { return thread_wait() == ThreadWait::sleep; }
  static uint32_t op_flags() { return sleep() ? XNN_FLAG_YIELD_WORKERS : 0; }
  static uint32_t pool_flags() { return sleep() ? PTHREADPOOL_FLAG_YIELD_WORKERS : 0; }
  // Work smaller than this (floating-point operations, or floats copied) runs on the calling
  // thread alone: waking the pool's threads for it costs more than they save, in WebAssembly most
  // of all (sdk/bench/threads.mjs measures the threads build against the single-thread one).
  static constexpr double kParallelWork = 1e6;
  pthreadpool_t pool_for(double work) { return work >= kParallelWork ? pool() : nullptr; }

  pthreadpool_t pool() {
    if (!pool_enabled()) return nullptr;
    const int wanted = num_threads();
    if (wanted != pool_threads_) {
      if (pool_) pthreadpool_destroy(pool_);
      pool_ = wanted > 1 ? pthreadpool_create(size_t(wanted)) : nullptr;
      pool_threads_ = wanted;
    }
    return pool_;
  }

  CachedOperator& conv_operator(ConvKind kind, const ConvGeometry& g, const Tensor& weights, const Tensor* bias) {
    CA3_ASSERT(weights.numel() == g.out_channels * g.kernel_height * g.kernel_width * g.in_channels);
    ConvKey key{kind,
                {g.batch, g.in_height, g.in_width, g.in_channels, g.out_channels, g.kernel_height, g.kernel_width,
                 g.stride_height, g.stride_width, g.pad_top, g.pad_left, g.pad_bottom, g.pad_right},
                weights.storage_id(),
                bias ? bias->storage_id() : 0};
    auto it = conv_cache_.find(key);
    if (it != conv_cache_.end() && it->second->weights_version == weights.version() &&
        (!bias || it->second->bias_version == bias->version()) && it->second->flags == op_flags())
      return *it->second;
    if (it == conv_cache_.end() && conv_cache_.size() >= 256) conv_cache_.clear();  // stale layers

    auto entry = std::make_unique<CachedOperator>();
    entry->weights_version = weights.version();
    entry->flags = op_flags();
    entry->bias_version = bias ? bias->version() : 0;
    const float* bias_data = bias ? bias->data() : nullptr;
    if (kind == ConvKind::forward) {
      check_status(xnn_create_convolution2d_nhwc_f32(
                       uint32_t(g.pad_top), uint32_t(g.pad_right), uint32_t(g.pad_bottom), uint32_t(g.pad_left),
                       uint32_t(g.kernel_height), uint32_t(g.kernel_width), uint32_t(g.stride_height),
                       uint32_t(g.stride_width), 1, 1, 1, size_t(g.in_channels), size_t(g.out_channels),
                       size_t(g.in_channels), size_t(g.out_channels), weights.data(), bias_data, -INFINITY,
                       INFINITY, op_flags(), nullptr, nullptr, &entry->op),
                   "convolution create");
    } else {
      // Deconvolution weights are [its output channels = Ci, KH, KW, its input channels = Co].
      const int64_t taps = g.kernel_height * g.kernel_width;
      std::vector<float> swapped(size_t(weights.numel()));
      const float* w = weights.data();
      for (int64_t co = 0; co < g.out_channels; ++co)
        for (int64_t t = 0; t < taps; ++t)
          for (int64_t ci = 0; ci < g.in_channels; ++ci)
            swapped[size_t((ci * taps + t) * g.out_channels + co)] = w[(co * taps + t) * g.in_channels + ci];
      check_status(xnn_create_deconvolution2d_nhwc_f32(
                       uint32_t(g.pad_top), uint32_t(g.pad_right), uint32_t(g.pad_bottom), uint32_t(g.pad_left),
                       uint32_t(g.kernel_height), uint32_t(g.kernel_width), uint32_t(g.stride_height),
                       uint32_t(g.stride_width), 1, 1, 1, size_t(g.out_channels), size_t(g.in_channels),
                       size_t(g.out_channels), size_t(g.in_channels), swapped.data(), bias_data, -INFINITY,
                       INFINITY, op_flags(), nullptr, nullptr, &entry->op),
                   "deconvolution create");
    }
    auto& slot = conv_cache_[key];
    slot = std::move(entry);
    return *slot;
  }

  // patches[(n, oh, ow), (kh, kw, ci)] for `images` images starting at `input`.
  void im2col(const ConvGeometry& g, const float* input, int64_t images, float* patches) {
    struct Context {
      const ConvGeometry* g;
      const float* input;
      float* patches;
    } context{&g, input, patches};
    auto one_image = [](void* raw, size_t image) {
      const auto& c = *static_cast<Context*>(raw);
      const ConvGeometry& g = *c.g;
      const int64_t oh_n = g.out_height(), ow_n = g.out_width();
      const int64_t ci_n = g.in_channels;
      const int64_t patch = g.kernel_height * g.kernel_width * ci_n;
      const float* x = c.input + int64_t(image) * g.in_height * g.in_width * ci_n;
      float* row = c.patches + int64_t(image) * oh_n * ow_n * patch;
      for (int64_t oh = 0; oh < oh_n; ++oh)
        for (int64_t ow = 0; ow < ow_n; ++ow, row += patch) {
          float* out = row;
          for (int64_t kh = 0; kh < g.kernel_height; ++kh) {
            const int64_t ih = oh * g.stride_height + kh - g.pad_top;
            for (int64_t kw = 0; kw < g.kernel_width; ++kw, out += ci_n) {
              const int64_t iw = ow * g.stride_width + kw - g.pad_left;
              if (ih < 0 || ih >= g.in_height || iw < 0 || iw >= g.in_width)
                std::memset(out, 0, size_t(ci_n) * sizeof(float));
              else
                std::memcpy(out, x + (ih * g.in_width + iw) * ci_n, size_t(ci_n) * sizeof(float));
            }
          }
        }
    };
    const double floats = double(images) * double(g.out_height() * g.out_width()) *
                          double(g.kernel_height * g.kernel_width * g.in_channels);
    pthreadpool_parallelize_1d(pool_for(floats), one_image, &context, size_t(images), pool_flags());
  }

  // columns[(kh, kw, ci), (n, oh, ow)] for `images` images starting at `input`: each row a
  // patch element over every output position (0 in the padding). The images are first turned
  // channel-major ([Ci, n, h, w], one SIMD transpose) and, for a stride above 1, each plane split
  // into its stride phases (the rows and columns that one tap reads): a row of the result is then
  // a phase plane shifted by the tap, copied in runs. One item is one row of the result.
  void im2col_transposed(const ConvGeometry& g, const float* input, int64_t images, float* columns) {
    const int64_t plane_size = g.in_height * g.in_width, planes_count = images * g.in_channels;
    const float* planes = input;
    if (g.in_channels > 1) {
      float* t = planes_scratch_.get(size_t(planes_count * plane_size));
      transpose(input, images * plane_size, g.in_channels, t);
      planes = t;
    }
    const int64_t sh = g.stride_height, sw = g.stride_width;
    if (sh > 1 || sw > 1) {
      // Phase (ph, pw) holds rows ph, ph + sh, ... and columns pw, pw + sw, ...; phases one
      // after another in each plane.
      float* phased = phase_scratch_.get(size_t(planes_count * plane_size));
      struct Split {
        const ConvGeometry* g;
        const float* from;
        float* to;
      } split{&g, planes, phased};
      auto one_plane = [](void* raw, size_t q) {
        const auto& c = *static_cast<Split*>(raw);
        const ConvGeometry& g = *c.g;
        const int64_t h_n = g.in_height, w_n = g.in_width, sh = g.stride_height, sw = g.stride_width;
        const float* from = c.from + int64_t(q) * h_n * w_n;
        float* to = c.to + int64_t(q) * h_n * w_n;
        for (int64_t ph = 0; ph < sh; ++ph)
          for (int64_t pw = 0; pw < sw; ++pw)
            for (int64_t i = ph; i < h_n; i += sh)
              for (int64_t j = pw; j < w_n; j += sw) *to++ = from[i * w_n + j];
      };
      pthreadpool_parallelize_1d(pool_for(double(planes_count * plane_size)), one_plane, &split,
                                 size_t(planes_count), pool_flags());
      planes = phased;
    }
    struct Context {
      const ConvGeometry* g;
      const float* planes;
      float* columns;
      int64_t images;
    } context{&g, planes, columns, images};
    auto one_row = [](void* raw, size_t row) {
      const auto& c = *static_cast<Context*>(raw);
      const ConvGeometry& g = *c.g;
      const int64_t ci_n = g.in_channels, oh_n = g.out_height(), ow_n = g.out_width();
      const int64_t sh = g.stride_height, sw = g.stride_width, h_n = g.in_height, w_n = g.in_width;
      const int64_t ci = int64_t(row) % ci_n, tap = int64_t(row) / ci_n;
      const int64_t dh = tap / g.kernel_width - g.pad_top, dw = tap % g.kernel_width - g.pad_left;
      // The input pixel (oh * sh + dh, ow * sw + dw) is (oh + a, ow + b) of phase (ph, pw).
      const int64_t ph = ((dh % sh) + sh) % sh, pw = ((dw % sw) + sw) % sw;
      const int64_t a = (dh - ph) / sh, b = (dw - pw) / sw;
      const int64_t phase_h = (h_n - ph + sh - 1) / sh, phase_w = (w_n - pw + sw - 1) / sw;
      int64_t offset = 0;  // of phase (ph, pw) in a plane
      for (int64_t p = 0; p < ph * sw + pw; ++p)
        offset += ((h_n - p / sw + sh - 1) / sh) * ((w_n - p % sw + sw - 1) / sw);
      // Output rows [oh_lo, oh_hi) and columns [lo, hi) fall inside the phase.
      const int64_t oh_lo = std::min(oh_n, std::max<int64_t>(0, -a));
      const int64_t oh_hi = std::max(oh_lo, std::min(oh_n, phase_h - a));
      const int64_t lo = std::min(ow_n, std::max<int64_t>(0, -b));
      const int64_t hi = std::max(lo, std::min(ow_n, phase_w - b));
      float* out = c.columns + int64_t(row) * c.images * oh_n * ow_n;
      for (int64_t n = 0; n < c.images; ++n, out += oh_n * ow_n) {
        const float* phase = c.planes + (ci * c.images + n) * h_n * w_n + offset;
        std::fill(out, out + oh_lo * ow_n, 0.f);
        std::fill(out + oh_hi * ow_n, out + oh_n * ow_n, 0.f);
        if (phase_w == ow_n && hi > lo && oh_hi > oh_lo) {
          // Rows as wide as the phase's: the valid rows are one shifted run of the phase, read
          // within its bounds; the columns that fall outside it are zeroed after.
          const int64_t shift = a * phase_w + b;
          const int64_t begin = std::max(oh_lo * ow_n, -shift);
          const int64_t end = std::min(oh_hi * ow_n, phase_h * phase_w - shift);
          std::fill(out + oh_lo * ow_n, out + begin, 0.f);
          if (end > begin) std::copy(phase + begin + shift, phase + end + shift, out + begin);
          std::fill(out + std::max(begin, end), out + oh_hi * ow_n, 0.f);
          // A column at a time (a few at the edges), down the rows: strided stores, not a
          // memset call per row.
          auto zero_column = [&](int64_t ow) {
            for (int64_t oh = oh_lo; oh < oh_hi; ++oh) out[oh * ow_n + ow] = 0.f;
          };
          for (int64_t ow = 0; ow < lo; ++ow) zero_column(ow);
          for (int64_t ow = hi; ow < ow_n; ++ow) zero_column(ow);
          continue;
        }
        for (int64_t oh = oh_lo; oh < oh_hi; ++oh) {
          float* o = out + oh * ow_n;
          const float* from = phase + (oh + a) * phase_w + b;
          std::fill(o, o + lo, 0.f);
          std::copy(from + lo, from + hi, o + lo);
          std::fill(o + hi, o + ow_n, 0.f);
        }
      }
    };
    const int64_t rows = g.kernel_height * g.kernel_width * g.in_channels;
    const double floats = double(rows) * double(images * g.out_height() * g.out_width());
    pthreadpool_parallelize_1d(pool_for(floats), one_row, &context, size_t(rows), pool_flags());
  }

  // out[cols, rows] = in[rows, cols]^T: XNNPACK's SIMD transpose on the pool's threads.
  void transpose(const float* in, int64_t rows, int64_t cols, float* out) {
    const size_t shape[2] = {size_t(rows), size_t(cols)}, perm[2] = {1, 0};
    check_status(xnn_run_transpose_nd_x32(in, out, 2, shape, perm, op_flags(), pool_for(double(rows) * double(cols))),
                 "transpose");
  }

  pthreadpool_t pool_ = nullptr;
  int pool_threads_ = 1;
  std::map<ConvKey, std::unique_ptr<CachedOperator>> conv_cache_;
  std::map<std::tuple<uint32_t, int64_t, int64_t, int64_t>, std::unique_ptr<CachedOperator>> matmul_cache_;
  Scratch patch_scratch_, planes_scratch_, phase_scratch_, partial_scratch_, product_scratch_, transpose_scratch_, narrow_b_scratch_;
};

}  // namespace

Kernels& xnnpack_kernels() {
  static XnnpackKernels instance;
  return instance;
}

}  // namespace ca3
