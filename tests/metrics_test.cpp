// ROC-AUC and average precision against values computed independently: scikit-learn's
// documented examples, and a brute-force pairwise count over random scores with many ties.
#include <gtest/gtest.h>

#include "core/engine/error.h"
#include "core/anomaly/metrics.h"
#include "core/engine/tensor.h"

#include <algorithm>
#include <cmath>

namespace ca3 {
namespace {

TEST(Metrics, ScikitLearnDocumentedExamples) {
  // sklearn.metrics.roc_auc_score / average_precision_score docstrings:
  // y_true = [0, 0, 1, 1], y_scores = [0.1, 0.4, 0.35, 0.8] -> 0.75 and 0.8333...
  const std::vector<float> scores = {0.1f, 0.4f, 0.35f, 0.8f};
  const std::vector<int> labels = {0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(roc_auc(scores, labels), 0.75);
  EXPECT_NEAR(average_precision(scores, labels), 0.8333333333, 1e-9);
}

TEST(Metrics, PerfectInvertedAndConstantScores) {
  EXPECT_DOUBLE_EQ(roc_auc({1, 2, 3, 4}, {0, 0, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(roc_auc({4, 3, 2, 1}, {0, 0, 1, 1}), 0.0);
  EXPECT_DOUBLE_EQ(roc_auc({5, 5, 5, 5}, {0, 1, 0, 1}), 0.5);  // all tied
  EXPECT_DOUBLE_EQ(average_precision({1, 2, 3, 4}, {0, 0, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(average_precision({5, 5, 5, 5}, {0, 1, 0, 1}), 0.5);
}

TEST(Metrics, MatchesBruteForceWithTies) {
  Rng rng(99);
  for (int trial = 0; trial < 20; ++trial) {
    const size_t n = 50 + rng.below(300);
    std::vector<float> scores(n);
    std::vector<int> labels(n);
    for (size_t i = 0; i < n; ++i) {
      labels[i] = rng.uniform() < 0.3f ? 1 : 0;
      scores[i] = float(rng.below(20)) / 4.f + (labels[i] ? 1.f : 0.f);  // coarse: many ties
    }
    labels[0] = 0, labels[1] = 1;
    double wins = 0, pairs = 0;
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j)
        if (labels[i] == 1 && labels[j] == 0) {
          pairs += 1;
          wins += scores[i] > scores[j] ? 1.0 : scores[i] == scores[j] ? 0.5 : 0.0;
        }
    EXPECT_NEAR(roc_auc(scores, labels), wins / pairs, 1e-12);
    // AP by its definition over distinct thresholds t (descending): precision(t) * delta recall(t).
    std::vector<float> thresholds = scores;
    std::sort(thresholds.rbegin(), thresholds.rend());
    thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
    double positives = 0;
    for (int l : labels) positives += l;
    double ap = 0, previous_recall = 0;
    for (float t : thresholds) {
      double tp = 0, predicted = 0;
      for (size_t i = 0; i < n; ++i)
        if (scores[i] >= t) predicted += 1, tp += labels[i];
      ap += (tp / positives - previous_recall) * (tp / predicted);
      previous_recall = tp / positives;
    }
    EXPECT_NEAR(average_precision(scores, labels), ap, 1e-12);
  }
}

TEST(Metrics, BadInputsNameTheProblem) {
  try {
    roc_auc({0.1f, 0.2f}, {0, 0});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("both normal"), std::string::npos) << e.what();
  }
  EXPECT_THROW(roc_auc({0.1f, std::nanf("")}, {0, 1}), Error);
  EXPECT_THROW(roc_auc({0.1f, 0.2f, 0.3f}, {0, 1}), Error);
  EXPECT_THROW(average_precision({0.1f, 0.2f}, {0, 2}), Error);
}

}  // namespace
}  // namespace ca3
