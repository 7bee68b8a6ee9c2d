#include "core/anomaly/dataset.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/engine/error.h"

namespace ca3 {

int64_t Dataset::count(int label) const { return std::count(labels.begin(), labels.end(), label); }

std::vector<int64_t> Dataset::rows_labelled(int label) const {
  std::vector<int64_t> rows;
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] == label) rows.push_back(int64_t(i));
  return rows;
}

std::vector<int64_t> evenly_spaced(const std::vector<int64_t>& indices, size_t most) {
  if (indices.size() <= most) return indices;
  std::vector<int64_t> spaced(most);
  for (size_t i = 0; i < most; ++i) spaced[i] = indices[i * indices.size() / most];
  return spaced;
}

void Dataset::check() const {
  CA3_CHECK(inputs.rank() >= 2 && inputs.dim(0) == size(), "data set: ", size(), " labels for inputs ",
            shape_to_string(inputs.shape()));
  for (size_t i = 0; i < labels.size(); ++i)
    CA3_CHECK(labels[i] == 0 || labels[i] == 1, "data set: label ", i, " is ", labels[i], " (expected 0 or 1)");
}

Dataset Dataset::subset(const std::vector<int64_t>& rows) const {
  Shape shape = inputs.shape();
  const int64_t per_sample = shape[0] > 0 ? inputs.numel() / shape[0] : 0;
  shape[0] = int64_t(rows.size());
  Dataset out{Tensor(shape), {}};
  float* dst = out.inputs.mutable_data();
  for (size_t i = 0; i < rows.size(); ++i) {
    CA3_ASSERT(rows[i] >= 0 && rows[i] < size());
    std::memcpy(dst + int64_t(i) * per_sample, inputs.data() + rows[i] * per_sample, size_t(per_sample) * sizeof(float));
    out.labels.push_back(labels[size_t(rows[i])]);
  }
  return out;
}

SplitRows stratified_split_rows(const std::vector<int>& labels, uint64_t seed, double validation_fraction,
                                double test_fraction) {
  CA3_CHECK(validation_fraction >= 0 && test_fraction >= 0 && validation_fraction + test_fraction < 1,
            "split: validation and test fractions must be >= 0 and sum to less than 1");
  Rng rng(seed);
  SplitRows split;
  for (int label : {0, 1}) {
    std::vector<int64_t> rows;
    for (size_t i = 0; i < labels.size(); ++i)
      if (labels[i] == label) rows.push_back(int64_t(i));
    for (size_t i = rows.size(); i > 1; --i) std::swap(rows[i - 1], rows[rng.below(i)]);  // Fisher-Yates
    const int64_t n = int64_t(rows.size());
    auto share = [n](double fraction) {
      int64_t k = int64_t(std::llround(double(n) * fraction));
      if (fraction > 0 && n >= 3) k = std::max<int64_t>(k, 1);
      return k;
    };
    const int64_t n_validation = share(validation_fraction), n_test = share(test_fraction);
    const int64_t n_train = n - n_validation - n_test;
    split.train.insert(split.train.end(), rows.begin(), rows.begin() + n_train);
    split.validation.insert(split.validation.end(), rows.begin() + n_train, rows.begin() + n_train + n_validation);
    split.test.insert(split.test.end(), rows.begin() + n_train + n_validation, rows.end());
  }
  // Keep the original order inside each part (deterministic and easy to follow).
  for (auto* rows : {&split.train, &split.validation, &split.test}) std::sort(rows->begin(), rows->end());
  return split;
}

DatasetSplit split_dataset(const Dataset& all, const SplitRows& rows) {
  all.check();
  return DatasetSplit{all.subset(rows.train), all.subset(rows.validation), all.subset(rows.test), rows};
}

DatasetSplit stratified_split(const Dataset& all, uint64_t seed, double validation_fraction, double test_fraction) {
  all.check();
  return split_dataset(all, stratified_split_rows(all.labels, seed, validation_fraction, test_fraction));
}

Dataset with_synthetic_anomalies(const Dataset& data, int64_t count, Rng& rng, float mean, float sd) {
  data.check();
  CA3_CHECK(count >= 0, "synthetic anomalies: count must be >= 0");
  Shape shape = data.inputs.shape();
  shape[0] += count;
  Dataset out{Tensor(shape), data.labels};
  float* dst = out.inputs.mutable_data();
  std::memcpy(dst, data.inputs.data(), size_t(data.inputs.numel()) * sizeof(float));
  for (int64_t i = data.inputs.numel(); i < out.inputs.numel(); ++i) dst[i] = mean + sd * rng.normal();
  out.labels.insert(out.labels.end(), size_t(count), 1);
  return out;
}

}  // namespace ca3
