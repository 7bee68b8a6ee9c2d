#include "core/engine/tensor.h"


#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <limits>

#include "core/engine/error.h"

namespace ca3 {

int64_t shape_numel(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    CA3_CHECK(d >= 0, "negative dimension in shape ", shape_to_string(shape));
    CA3_CHECK(d == 0 || n <= std::numeric_limits<int64_t>::max() / d, "shape ", shape_to_string(shape), " is too large");
    n *= d;
  }
  return n;
}

std::string shape_to_string(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

// ---- Rng: xoshiro256** seeded by splitmix64 -----------------------------------------------

namespace {
uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

Rng::Rng(uint64_t seed) {
  for (auto& s : state_) s = splitmix64(seed);
}

uint64_t Rng::next_u64() {
  const uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

float Rng::uniform() { return static_cast<float>(next_u64() >> 40) * (1.0f / 16777216.0f); }

float Rng::uniform(float low, float high) { return low + (high - low) * uniform(); }

uint64_t Rng::below(uint64_t n) {
  CA3_ASSERT(n > 0);
  // Rejection sampling: unbiased, and the same on every platform (no 128-bit arithmetic).
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t r;
  do r = next_u64(); while (r >= limit);
  return r % n;
}

float Rng::normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  // Box-Muller in double precision; u1 in (0, 1].
  const double u1 = (static_cast<double>(next_u64() >> 11) + 1.0) * (1.0 / 9007199254740992.0);
  const double u2 = static_cast<double>(next_u64() >> 11) * (1.0 / 9007199254740992.0);
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 6.283185307179586 * u2;
  spare_normal_ = static_cast<float>(radius * std::sin(angle));
  has_spare_normal_ = true;
  return static_cast<float>(radius * std::cos(angle));
}

// ---- Storage ---------------------------------------------------------------------------------

namespace {
// XNNPACK may read (never write) up to 16 bytes past the end of an input.
constexpr size_t kPaddingFloats = 16;
constexpr size_t kAlignment = 64;
uint64_t next_storage_id() {
  static std::atomic<uint64_t> counter{0};
  return ++counter;
}
}  // namespace

void keep_freed_memory_for_reuse() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

namespace {
std::atomic<int64_t> g_live_bytes{0}, g_peak_bytes{0};
void count_allocation(int64_t bytes) {
  const int64_t live = g_live_bytes.fetch_add(bytes) + bytes;
  int64_t peak = g_peak_bytes.load();
  while (live > peak && !g_peak_bytes.compare_exchange_weak(peak, live)) {
  }
}
}  // namespace

TensorMemory tensor_memory() { return {g_live_bytes.load(), g_peak_bytes.load()}; }
void reset_tensor_memory_peak() { g_peak_bytes.store(g_live_bytes.load()); }

struct Tensor::Storage {
  float* data = nullptr;
  size_t count = 0;
  uint64_t id = 0;
  uint64_t version = 0;

  Storage(size_t n, bool zero) : count(n), id(next_storage_id()) {
    const size_t bytes = ((n + kPaddingFloats) * sizeof(float) + kAlignment - 1) / kAlignment * kAlignment;
    data = static_cast<float*>(std::aligned_alloc(kAlignment, bytes));
    CA3_CHECK_CODE(data != nullptr, ErrorCode::out_of_memory, "out of memory: no room for a tensor of ", n, " floats (", bytes >> 20,
              " MB); use less data (fewer rows or columns, or smaller images)");
    // The padding past the end is always zero: XNNPACK may read it.
    if (zero)
      std::memset(data, 0, bytes);
    else
      std::memset(data + n, 0, bytes - n * sizeof(float));
    allocated = int64_t(bytes);
    count_allocation(allocated);
  }
  ~Storage() {
    std::free(data);
    g_live_bytes.fetch_sub(allocated);
  }
  int64_t allocated = 0;
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
};

Tensor::Tensor(Shape shape) : Tensor(std::move(shape), true) {}

Tensor::Tensor(Shape shape, bool zero) : shape_(std::move(shape)) {
  numel_ = shape_numel(shape_);
  // size_t is 32 bits in WebAssembly: refuse what cannot even be addressed before it wraps around.
  CA3_CHECK_CODE(uint64_t(numel_) <= (std::numeric_limits<size_t>::max() - 4096) / sizeof(float), ErrorCode::out_of_memory, "out of memory: a tensor of ",
            numel_, " floats is larger than this build can address");
  storage_ = std::make_shared<Storage>(static_cast<size_t>(numel_), zero);
}

Tensor Tensor::uninitialized(Shape shape) { return Tensor(std::move(shape), false); }

Tensor Tensor::full(Shape shape, float value) {
  Tensor t(std::move(shape));
  t.fill(value);
  return t;
}

Tensor Tensor::from_vector(Shape shape, const std::vector<float>& values) {
  Tensor t(std::move(shape));
  CA3_CHECK(static_cast<int64_t>(values.size()) == t.numel(), "from_vector: ", values.size(),
            " values for shape ", shape_to_string(t.shape()));
  std::memcpy(t.mutable_data(), values.data(), values.size() * sizeof(float));
  return t;
}

Tensor Tensor::uniform(Shape shape, float low, float high, Rng& rng) {
  Tensor t(std::move(shape));
  float* p = t.mutable_data();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = rng.uniform(low, high);
  return t;
}

Tensor Tensor::normal(Shape shape, float mean, float stddev, Rng& rng) {
  Tensor t(std::move(shape));
  float* p = t.mutable_data();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = mean + stddev * rng.normal();
  return t;
}

int64_t Tensor::dim(int axis) const {
  const int r = rank();
  if (axis < 0) axis += r;
  CA3_CHECK(axis >= 0 && axis < r, "axis ", axis, " out of range for shape ", shape_to_string(shape_));
  return shape_[static_cast<size_t>(axis)];
}

const float* Tensor::data() const {
  CA3_CHECK(storage_ != nullptr, "use of an empty tensor");
  return storage_->data;
}

float* Tensor::mutable_data() {
  CA3_CHECK(storage_ != nullptr, "use of an empty tensor");
  ++storage_->version;
  return storage_->data;
}

std::vector<float> Tensor::to_vector() const {
  if (empty()) return {};
  return std::vector<float>(data(), data() + numel_);
}

Tensor Tensor::reshape(Shape shape) const {
  int64_t known = 1;
  int inferred = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      CA3_CHECK(inferred < 0, "reshape: more than one -1 in ", shape_to_string(shape));
      inferred = static_cast<int>(i);
    } else {
      CA3_CHECK(shape[i] >= 0, "reshape: bad dimension in ", shape_to_string(shape));
      known *= shape[i];
    }
  }
  if (inferred >= 0) {
    CA3_CHECK(known > 0 && numel_ % known == 0, "reshape: cannot reshape ", shape_to_string(shape_),
              " into ", shape_to_string(shape));
    shape[static_cast<size_t>(inferred)] = numel_ / known;
    known = numel_;
  }
  CA3_CHECK(known == numel_, "reshape: cannot reshape ", shape_to_string(shape_), " (", numel_,
            " values) into ", shape_to_string(shape));
  Tensor view = *this;
  view.shape_ = std::move(shape);
  return view;
}

Tensor Tensor::clone() const {
  if (empty()) return Tensor();
  Tensor copy = uninitialized(shape_);
  std::memcpy(copy.mutable_data(), data(), static_cast<size_t>(numel_) * sizeof(float));
  return copy;
}

uint64_t Tensor::storage_id() const { return storage_ ? storage_->id : 0; }
uint64_t Tensor::version() const { return storage_ ? storage_->version : 0; }

void Tensor::fill(float value) {
  float* p = mutable_data();
  for (int64_t i = 0; i < numel_; ++i) p[i] = value;
}

void Tensor::add_(const Tensor& other) {
  CA3_CHECK(other.numel() == numel_, "add_: ", shape_to_string(shape_), " += ",
            shape_to_string(other.shape()));
  float* p = mutable_data();
  const float* q = other.data();
  for (int64_t i = 0; i < numel_; ++i) p[i] += q[i];
}

void Tensor::scale_(float factor) {
  float* p = mutable_data();
  for (int64_t i = 0; i < numel_; ++i) p[i] *= factor;
}

}  // namespace ca3
