// Ranking metrics for anomaly scores (higher score = more anomalous; label 1 = anomaly).
//
//   double auc = roc_auc(scores, labels);          // ties count one half
//   double ap  = average_precision(scores, labels); // as scikit-learn's average_precision_score
#pragma once

#include <vector>

namespace ca3 {

// Area under the ROC curve: the probability that a random anomaly scores above a random
// normal sample, ties counted as 1/2 (the Mann-Whitney U statistic). Throws when a class is
// missing or a score is not finite.
double roc_auc(const std::vector<float>& scores, const std::vector<int>& labels);

// Sum over distinct thresholds of (recall_k - recall_{k-1}) * precision_k.
double average_precision(const std::vector<float>& scores, const std::vector<int>& labels);

}  // namespace ca3
