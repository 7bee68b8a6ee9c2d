#include "core/anomaly/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/engine/error.h"

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

double Confusion::true_positive_rate() const {
  const int64_t p = true_positives + false_negatives;
  return p > 0 ? double(true_positives) / double(p) : 0.0;
}
double Confusion::false_positive_rate() const {
  const int64_t n = false_positives + true_negatives;
  return n > 0 ? double(false_positives) / double(n) : 0.0;
}
double Confusion::precision() const {
  const int64_t flagged = true_positives + false_positives;
  return flagged > 0 ? double(true_positives) / double(flagged) : 1.0;
}
double Confusion::f1() const {
  const double p = precision(), r = true_positive_rate();
  return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

Confusion confusion(const std::vector<float>& scores, const std::vector<int>& labels, float threshold) {
  CA3_CHECK(scores.size() == labels.size(), "confusion: ", scores.size(), " scores but ", labels.size(), " labels");
  Confusion c;
  for (size_t i = 0; i < scores.size(); ++i) {
    const bool flagged = scores[i] >= threshold, anomaly = labels[i] == 1;
    if (flagged && anomaly) ++c.true_positives;
    else if (flagged) ++c.false_positives;
    else if (anomaly) ++c.false_negatives;
    else ++c.true_negatives;
  }
  return c;
}

namespace {
// Of n normal samples, how many a threshold at false-positive rate `rate` flags: floor(rate (n + 1)) - 1
// (split conformal; metrics.h), at least 0.
size_t flagged_of(size_t n, double rate) {
  const double kept = std::floor(rate * double(n + 1) + 1e-9) - 1;
  return kept > 0 ? size_t(kept) : 0;
}
}  // namespace

float threshold_at_false_positive_rate(const std::vector<float>& scores, const std::vector<int>& labels, double rate) {
  CA3_CHECK(scores.size() == labels.size(), "threshold: ", scores.size(), " scores but ", labels.size(), " labels");
  CA3_CHECK(rate >= 0 && rate <= 1, "threshold: false-positive rate must be in [0, 1], got ", rate);
  std::vector<float> normal;
  for (size_t i = 0; i < scores.size(); ++i) {
    CA3_CHECK(std::isfinite(scores[i]), "threshold: score ", i, " is not a finite number");
    if (labels[i] == 0) normal.push_back(scores[i]);
  }
  CA3_CHECK(!normal.empty(), "threshold: needs normal samples to measure the false-positive rate");
  std::sort(normal.begin(), normal.end(), std::greater<float>());
  const size_t allowed = flagged_of(normal.size(), rate);
  if (allowed >= normal.size()) return normal.back();
  // Flag only scores above the (allowed+1)-th highest normal score; ties there stay unflagged.
  return std::nextafter(normal[allowed], INFINITY);
}

namespace {
// P(X <= x) for X ~ Beta(a, b) with whole a, b >= 1: the chance that at least a of a + b - 1
// uniform draws lie at or below x.
double beta_cdf(int64_t a, int64_t b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const int64_t n = a + b - 1;
  const double lx = std::log(x), l1x = std::log1p(-x), ln = std::lgamma(double(n) + 1);
  double below = 0;  // P(fewer than a draws at or below x)
  for (int64_t j = 0; j < a; ++j)
    below += std::exp(ln - std::lgamma(double(j) + 1) - std::lgamma(double(n - j) + 1) + double(j) * lx + double(n - j) * l1x);
  return std::clamp(1 - below, 0.0, 1.0);
}
double beta_quantile(int64_t a, int64_t b, double p) {
  double lo = 0, hi = 1;
  for (int i = 0; i < 60; ++i) {
    const double mid = (lo + hi) / 2;
    (beta_cdf(a, b, mid) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}
}  // namespace

ShareRange flagged_share_range(int64_t normal, double rate, double level) {
  CA3_CHECK(normal >= 1, "flagged share: needs normal samples, got ", normal);
  CA3_CHECK(rate >= 0 && rate <= 1, "flagged share: the false-positive rate must be in [0, 1], got ", rate);
  // As threshold_at_false_positive_rate: k flagged, the threshold at the (k+1)-th highest (at the
  // lowest when all are flagged).
  return flagged_share_range_of(normal, int64_t(flagged_of(size_t(normal), rate)), level);
}

ShareRange flagged_share_range_of(int64_t normal, int64_t flagged, double level) {
  CA3_CHECK(normal >= 1, "flagged share: needs normal samples, got ", normal);
  CA3_CHECK(flagged >= 0 && flagged <= normal, "flagged share: ", flagged, " flagged of ", normal, " normal samples");
  CA3_CHECK(level > 0 && level < 1, "flagged share: the probability must be in (0, 1), got ", level);
  const int64_t a = std::min(flagged + 1, normal), b = normal + 1 - a;
  return {beta_quantile(a, b, (1 - level) / 2), beta_quantile(a, b, (1 + level) / 2)};
}

float threshold_best_f1(const std::vector<float>& scores, const std::vector<int>& labels) {
  size_t positives = 0;
  const std::vector<size_t> order = rank_by_score(scores, labels, positives, "threshold");
  // Walk down the ranking; at the end of each run of tied scores, everything so far is flagged.
  double best_f1 = -1;
  float best = scores[order[0]];
  size_t true_positives = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    true_positives += size_t(labels[order[k]]);
    if (k + 1 < order.size() && scores[order[k + 1]] == scores[order[k]]) continue;
    const double precision = double(true_positives) / double(k + 1);
    const double recall = double(true_positives) / double(positives);
    const double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
    if (f1 > best_f1) best_f1 = f1, best = scores[order[k]];
  }
  return best;
}

RocCurve roc_curve(const std::vector<float>& scores, const std::vector<int>& labels) {
  size_t positives = 0;
  const std::vector<size_t> order = rank_by_score(scores, labels, positives, "roc_curve");
  RocCurve c;
  c.anomalies = int64_t(positives), c.normal = int64_t(scores.size() - positives);
  c.thresholds.push_back(INFINITY), c.true_positives.push_back(0), c.false_positives.push_back(0);
  int64_t tp = 0, fp = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    (labels[order[k]] ? tp : fp) += 1;
    if (k + 1 < order.size() && scores[order[k + 1]] == scores[order[k]]) continue;
    c.thresholds.push_back(scores[order[k]]), c.true_positives.push_back(tp), c.false_positives.push_back(fp);
  }
  return c;
}

Metrics measure(const std::vector<float>& given_scores, const std::vector<int>& given_labels, float threshold, bool with_roc) {
  Metrics m;
  CA3_CHECK(given_scores.size() == given_labels.size(), given_scores.size(), " scores but ", given_labels.size(), " labels");
  // NaN: a sample not scored (a table row holding no sample), left out
  std::vector<float> kept_scores;
  std::vector<int> kept_labels;
  m.not_scored = std::count_if(given_scores.begin(), given_scores.end(), [](float v) { return std::isnan(v); });
  if (m.not_scored > 0)
    for (size_t i = 0; i < given_scores.size(); ++i)
      if (!std::isnan(given_scores[i])) kept_scores.push_back(given_scores[i]), kept_labels.push_back(given_labels[i]);
  const std::vector<float>& scores = m.not_scored ? kept_scores : given_scores;
  const std::vector<int>& labels = m.not_scored ? kept_labels : given_labels;
  m.threshold = threshold;
  m.confusion = confusion(scores, labels, threshold);
  for (int y : labels) (y ? m.anomalies : m.normal) += 1;
  if (m.normal > 0 && m.anomalies > 0) {
    m.roc_auc = roc_auc(scores, labels);
    m.average_precision = average_precision(scores, labels);
    if (with_roc) m.roc = roc_curve(scores, labels);
  }
  return m;
}

}  // namespace ca3
