// Ranking metrics for anomaly scores (higher score = more anomalous; label 1 = anomaly).
//
//   double auc = roc_auc(scores, labels);          // ties count one half
//   double ap  = average_precision(scores, labels); // as scikit-learn's average_precision_score
//   float t = threshold_at_false_positive_rate(validation_scores, validation_labels, 0.05);
//   Confusion c = confusion(test_scores, test_labels, t);  // flagged = score >= t
//   Metrics m = measure(test_scores, test_labels, t, /*with_roc=*/true);  // all of it
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace ca3 {

// Area under the ROC curve: the probability that a random anomaly scores above a random
// normal sample, ties counted as 1/2 (the Mann-Whitney U statistic). Throws when a class is
// missing or a score is not finite.
double roc_auc(const std::vector<float>& scores, const std::vector<int>& labels);

// Sum over distinct thresholds of (recall_k - recall_{k-1}) * precision_k.
double average_precision(const std::vector<float>& scores, const std::vector<int>& labels);

// A sample is flagged as an anomaly when its score >= threshold.
struct Confusion {
  int64_t true_positives = 0, false_positives = 0, true_negatives = 0, false_negatives = 0;
  double true_positive_rate() const;   // recall; 0 without anomalies
  double false_positive_rate() const;  // 0 without normal samples
  double precision() const;            // 1 when nothing is flagged
  double f1() const;
};
Confusion confusion(const std::vector<float>& scores, const std::vector<int>& labels, float threshold);

// A threshold that flags a new normal sample with probability at most `rate` (split conformal:
// Vovk et al. 2005, Lei et al. 2018): of the n normal samples it flags k = floor(rate (n + 1)) - 1,
// the most that keeps (k + 1) / (n + 1), the chance that a new one scores above the (k+1)-th
// highest, at or below `rate`. None is flagged below n = 2 / rate - 1 (39 at 5%); below
// n = 1 / rate - 1 (19) even that leaves a chance of 1 / (n + 1), above `rate`. Needs at least one
// normal sample; anomalies are ignored.
float threshold_at_false_positive_rate(const std::vector<float>& scores, const std::vector<int>& labels, double rate);
// The share of new normal samples such a threshold flags is itself random, the n normal samples
// it was set on being a sample: Beta(k + 1, n - k) distributed, k of them flagged (Vovk 2012,
// "Conditional validity of inductive conformal predictors"; Angelopoulos and Bates 2021, "A gentle
// introduction to conformal prediction", on the calibration set's randomness). Its central interval of probability `level`, shares in [0, 1]: how far one
// model's share of new normal samples flagged may lie from `rate`. Needs n >= 1, rate in [0, 1],
// level in (0, 1).
struct ShareRange {
  double low = -1, high = -1;  // -1: not known
};
ShareRange flagged_share_range(int64_t normal, double rate, double level);
// The same for a threshold that flags `flagged` of the n normal samples (0 <= flagged <= n).
ShareRange flagged_share_range_of(int64_t normal, int64_t flagged, double level);
// The threshold (one of the scores) with the highest F1; needs both classes.
float threshold_best_f1(const std::vector<float>& scores, const std::vector<int>& labels);

// The ROC curve: one point per distinct score, from the highest down, each with the counts of
// flagging every sample scoring >= that threshold. The first point (threshold +inf) flags nothing.
struct RocCurve {
  std::vector<float> thresholds;
  std::vector<int64_t> true_positives, false_positives;  // flagged anomalies / flagged normal samples
  int64_t anomalies = 0, normal = 0;
};
RocCurve roc_curve(const std::vector<float>& scores, const std::vector<int>& labels);

// Everything measured of scores against labels: counts, ranking metrics (when both classes are
// present), the confusion matrix at `threshold`, and optionally the ROC curve.
struct Metrics {
  int64_t normal = 0, anomalies = 0;
  int64_t not_scored = 0;  // samples whose score is NaN (a table row holding no sample), left out
  double roc_auc = -1, average_precision = -1;  // -1 when a class is missing
  float threshold = 0;
  Confusion confusion;                          // at the threshold
  std::optional<RocCurve> roc;
};
Metrics measure(const std::vector<float>& scores, const std::vector<int>& labels, float threshold, bool with_roc = false);

}  // namespace ca3
