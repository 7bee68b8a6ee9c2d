// A labelled data set in memory (inputs [N, ...], labels 0 normal / 1 anomaly), the paper's
// stratified train/validation/test split, and A3's synthetic anomalies.
//
//   Dataset all{inputs, labels};
//   DatasetSplit split = stratified_split(all, /*seed=*/0);        // 8:1:1 per class
//   Dataset train = with_synthetic_anomalies(split.train, rng);     // when no anomaly is labelled
#pragma once

#include <vector>

#include "core/engine/tensor.h"

namespace ca3 {

struct Dataset {
  Tensor inputs;            // [N, ...]
  std::vector<int> labels;  // N values, 0 = normal, 1 = anomaly

  int64_t size() const { return int64_t(labels.size()); }
  int64_t count(int label) const;
  std::vector<int64_t> rows_labelled(int label) const;  // the indices of the samples labelled `label`, ascending
  Dataset subset(const std::vector<int64_t>& rows) const;
  void check() const;  // throws unless inputs and labels agree and labels are 0/1
};

// At most `most` of `indices`, evenly spaced over them (all when there are no more), in their order.
std::vector<int64_t> evenly_spaced(const std::vector<int64_t>& indices, size_t most);

// Which rows go where: indices into the original, ascending within each part.
struct SplitRows {
  std::vector<int64_t> train, validation, test;
};

struct DatasetSplit {
  Dataset train, validation, test;
  SplitRows rows;
};

// Each class shuffled with `seed` and cut by the fractions (validation and test each get
// round(n * fraction) of a class, at least one when the class has 3 or more samples).
SplitRows stratified_split_rows(const std::vector<int>& labels, uint64_t seed, double validation_fraction = 0.1,
                                double test_fraction = 0.1);
DatasetSplit split_dataset(const Dataset& all, const SplitRows& rows);
DatasetSplit stratified_split(const Dataset& all, uint64_t seed, double validation_fraction = 0.1,
                              double test_fraction = 0.1);

// Appends `count` samples of Gaussian noise N(mean, sd) labelled as anomalies (A3's default for
// data without labelled anomalies: mean 0.5, sd 1, in the model's input space).
Dataset with_synthetic_anomalies(const Dataset& data, int64_t count, Rng& rng, float mean = 0.5f, float sd = 1.f);

}  // namespace ca3
