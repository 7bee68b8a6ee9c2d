#include "core/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"

namespace ca3 {

namespace {

// Indices sorted by decreasing score; checks inputs and counts positives.
std::vector<size_t> rank_by_score(const std::vector<float>& scores, const std::vector<int>& labels,
                                  size_t& positives, const char* metric) {
  CA3_CHECK(scores.size() == labels.size(), metric, ": ", scores.size(), " scores but ", labels.size(), " labels");
  positives = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    CA3_CHECK(std::isfinite(scores[i]), metric, ": score ", i, " is not a finite number");
    CA3_CHECK(labels[i] == 0 || labels[i] == 1, metric, ": label ", i, " is ", labels[i], " (expected 0 or 1)");
    positives += size_t(labels[i]);
  }
  CA3_CHECK(positives > 0 && positives < scores.size(), metric,
            ": needs both normal (0) and anomalous (1) samples; got ", positives, " anomalies among ", scores.size());
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  return order;
}

}  // namespace

double roc_auc(const std::vector<float>& scores, const std::vector<int>& labels) {
  size_t positives = 0;
  const auto order = rank_by_score(scores, labels, positives, "roc_auc");
  const double negatives = double(scores.size() - positives);
  // Walk groups of tied scores from the top: every positive above a group outranks each of
  // the group's negatives (1 each); positives within the group tie with them (1/2 each).
  double positives_above = 0, wins = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    double group_positives = 0, group_negatives = 0;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) {
      (labels[order[j]] ? group_positives : group_negatives) += 1;
      ++j;
    }
    wins += group_negatives * (positives_above + 0.5 * group_positives);
    positives_above += group_positives;
    i = j;
  }
  return wins / (double(positives) * negatives);
}

double average_precision(const std::vector<float>& scores, const std::vector<int>& labels) {
  size_t positives = 0;
  const auto order = rank_by_score(scores, labels, positives, "average_precision");
  double true_positives = 0, seen = 0, previous_recall = 0, ap = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) {
      true_positives += labels[order[j]];
      seen += 1;
      ++j;
    }
    const double recall = true_positives / double(positives);
    ap += (recall - previous_recall) * (true_positives / seen);
    previous_recall = recall;
    i = j;
  }
  return ap;
}

}  // namespace ca3
