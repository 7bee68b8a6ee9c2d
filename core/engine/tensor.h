// Tensor: a contiguous float32 array with a shape.
//
// Images are NHWC ([batch, height, width, channels]); 1-D signals are images with height 1
// ([batch, 1, length, channels]). Storage is shared between a tensor and its reshaped views;
// clone() copies. Writes go through mutable_data(), which bumps the storage's version so that
// kernels caching packed weights (see kernels/kernels.h) know when to re-pack.
//
//   Rng rng(42);
//   Tensor x = Tensor::uniform({2, 28, 28, 1}, 0.f, 1.f, rng);
//   Tensor flat = x.reshape({2, -1});   // [2, 784], same storage
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ca3 {

using Shape = std::vector<int64_t>;

int64_t shape_numel(const Shape& shape);
std::string shape_to_string(const Shape& shape);

// Deterministic random numbers, identical on every platform (no std:: distributions, whose
// output differs between standard libraries).
// Bytes held by tensors now and at most since the start (or the last reset): what a model's
// activations, gradients and data take, without the allocator's or the kernels' own memory.
struct TensorMemory {
  int64_t live_bytes = 0, peak_bytes = 0;
};
TensorMemory tensor_memory();
void reset_tensor_memory_peak();

class Rng {
 public:
  explicit Rng(uint64_t seed = 0);
  uint64_t next_u64();
  float uniform();                       // [0, 1)
  float uniform(float low, float high);  // [low, high)
  float normal();                        // mean 0, standard deviation 1
  uint64_t below(uint64_t n);            // [0, n)

 private:
  uint64_t state_[4];
  bool has_spare_normal_ = false;
  float spare_normal_ = 0.f;
};

// Natively with glibc: fixed malloc thresholds (mmap above 32 MB, give memory back to the
// system above 256 MB free at the heap's top) in place of glibc's adaptive ones. Tensors of the
// same sizes are allocated and freed again in every micro-batch; by default a batch's large
// tensors come back as fresh pages, faulted in by the kernels' threads as they write them.
// fashion-mnist batched scoring ~2,850 -> ~4,000 images/s; peak resident memory of a training
// epoch about the same (model_speed_benchmark, memory_benchmark). Process-wide, so the program
// decides: the ca3 command line and the benchmarks call it first thing. Elsewhere a no-op.
void keep_freed_memory_for_reuse();

class Tensor {
 public:
  Tensor() = default;  // empty: no storage, shape {}
  explicit Tensor(Shape shape);  // zero-filled

  static Tensor zeros(Shape shape) { return Tensor(std::move(shape)); }
  // Contents undefined: for an op's output that it writes in full before anything reads it
  // (saves zero-filling memory that is overwritten anyway; a fresh page is also faulted in once).
  static Tensor uninitialized(Shape shape);
  static Tensor full(Shape shape, float value);
  static Tensor from_vector(Shape shape, const std::vector<float>& values);
  static Tensor uniform(Shape shape, float low, float high, Rng& rng);
  static Tensor normal(Shape shape, float mean, float stddev, Rng& rng);

  bool empty() const { return storage_ == nullptr; }
  const Shape& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  int64_t dim(int axis) const;  // negative axis counts from the end
  int64_t numel() const { return numel_; }

  const float* data() const;
  float* mutable_data();  // bumps version()
  float at(int64_t index) const { return data()[index]; }
  std::vector<float> to_vector() const;

  // Same storage, new shape; one dimension may be -1.
  Tensor reshape(Shape shape) const;
  Tensor clone() const;

  // Identity of the storage (unique for the process' lifetime) and its write count.
  uint64_t storage_id() const;
  uint64_t version() const;
  // True when no other tensor shares this storage.
  bool storage_is_unique() const { return storage_.use_count() == 1; }

  void fill(float value);
  void add_(const Tensor& other);  // this += other (same numel)
  void scale_(float factor);

 private:
  struct Storage;
  Tensor(Shape shape, bool zero);
  std::shared_ptr<Storage> storage_;
  Shape shape_;
  int64_t numel_ = 0;
};

}  // namespace ca3
