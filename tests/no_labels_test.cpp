// Detection without labelled anomalies on real data: a detector trained on normal rows only (or
// on unlabelled rows of which some are anomalies) must rank the real anomalies it never saw
// above the normal rows. Before synthetic anomalies near the data and the combined score, CA3
// scored Ionosphere one-class at 0.49 and Fashion-MNIST T-shirts at about 0.6 (README).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <set>

#include "core/anomaly/data/csv.h"
#include "core/anomaly/data/idx.h"
#include "core/anomaly/data/tabular.h"
#include "core/anomaly/detector.h"
#include "core/anomaly/fit.h"
#include "core/anomaly/metrics.h"
#include "core/anomaly/model_file.h"
#include "tests/test_support.h"

namespace ca3 {
namespace {

struct TableSplit {
  CsvTable train, test;
  std::vector<int> test_labels;
};

// The no-labels benchmark's split of a data/ file: stratified 80/20 with seed 7; `contaminated`
// keeps the training part's anomalies (unlabelled), else only its normal rows.
TableSplit split_table(const std::string& file, const std::string& label, const std::string& normal, bool contaminated) {
  const CsvTable table = read_csv_file(testing::data_file(file));
  TabularOptions truth;
  truth.label_column = label, truth.normal_values = {normal};
  const std::vector<int> labels = tabular_labels(table, truth);
  const SplitRows rows = stratified_split_rows(labels, 7, 0.2, 0.0);
  std::vector<size_t> train, test;
  for (int64_t r : rows.train)
    if (contaminated || labels[size_t(r)] == 0) train.push_back(size_t(r));
  TableSplit s;
  for (int64_t r : rows.validation) test.push_back(size_t(r)), s.test_labels.push_back(labels[size_t(r)]);
  s.train = table.select_rows(train), s.test = table.select_rows(test);
  return s;
}

double one_class_auc(const TableSplit& s, const std::string& label, const nlohmann::json& changes, FitReport* out = nullptr) {
  Detector detector(Preset::from_json({{"kind", "tabular"}, {"split", {{"validation", 0.1}, {"test", 0.0}}}}));
  TabularOptions options;
  options.id_columns = {label};  // the label column is only there to measure the result
  const FitReport report = detector.fit(detector.start_fit_table(s.train, options, {}, changes));
  if (out) *out = report;
  return roc_auc(detector.score_table(s.test), s.test_labels);
}

// The error of loading `bytes` written again as format `version`, without the tensor `without`,
// each other tensor passed through `edit` first.
std::string load_error_rewritten(const std::vector<uint8_t>& bytes, uint32_t version, const std::string& without,
                                 const std::function<void(const std::string&, Tensor&)>& edit) {
  const ModelFileContents contents = read_model_file(bytes.data(), bytes.size());
  std::vector<Tensor> copies;
  copies.reserve(contents.tensors.size());
  std::vector<std::pair<std::string, const Tensor*>> tensors;
  for (const auto& [name, t] : contents.tensors) {
    if (name == without) continue;
    copies.push_back(t.clone());
    // (before version 8 the score reference held no terms' weights: its first 10 values; before
    // version 7 no distance offset either: its first 9)
    if (name == "score_reference" && t.numel() >= 10) {
      std::vector<float> values = t.to_vector();
      values.resize(std::min<size_t>(values.size(), version < 7 ? 9 : version < 8 ? 10 : 12));
      copies.back() = Tensor::from_vector({int64_t(values.size())}, values);
    }
    edit(name, copies.back());
    tensors.emplace_back(name, &copies.back());
  }
  const std::vector<uint8_t> file = write_model_file(contents.metadata, tensors, version);
  return testing::error_of([&] { Detector::load(file.data(), file.size()); });
}

TEST(NoLabels, IonosphereOneClass) {
  // Measured (seed 0, default preset): 0.98; IsolationForest 0.94, LOF 0.94 on this split.
  FitReport report;
  const double auc = one_class_auc(split_table("Ionosphere.csv", "Class", "good", false), "Class",
                                   {{"training", {{"epochs", 40}}}}, &report);
  std::printf("Ionosphere one-class: test ROC-AUC %.4f (%zu epochs, %lld synthetic anomalies an epoch)\n", auc,
              report.history.size(), (long long)report.synthetic_anomalies);
  EXPECT_EQ(report.setting, "one_class");
  EXPECT_GT(report.synthetic_anomalies, 0);
  EXPECT_GE(auc, 0.94);
}

TEST(NoLabels, BreastCancerContaminated) {
  // All training rows unlabelled, 35% of them malignant; training.contamination 0.1. The score
  // leaves the alarm out (it learned the malignant rows among the unlabelled ones as normal).
  // Measured (seed 0): 0.984 (0.973 with the alarm in the score); IsolationForest 0.987, ECOD
  // 0.985, LOF 0.45 on this split.
  FitReport report;
  const double auc = one_class_auc(split_table("BreastCancer.csv", "Class", "benign", true), "Class",
                                   {{"training", {{"epochs", 40}, {"contamination", 0.1}}}}, &report);
  std::printf("Breast Cancer contaminated: test ROC-AUC %.4f\n", auc);
  EXPECT_EQ(report.setting, "contaminated");
  EXPECT_EQ(report.score, "combined_without_alarm");
  EXPECT_GE(auc, 0.978);
  // The threshold flags up to the contamination share of the validation rows (not the 5% of
  // threshold.value): about that share of them may be anomalies.
  EXPECT_EQ(report.threshold_rate, 0.1);
  EXPECT_LE(report.validation.confusion.false_positive_rate(), 0.1);
  EXPECT_GT(report.validation.confusion.false_positive_rate(), 0.05);
}

// Thyroid's lab values TSH (Dim_16, skewness 14.5), T3 (Dim_17, 3.5) are skewed to large values:
// standardised as they are, nearly every row sits within a fraction of a standard deviation of
// the mean, and the few far ones set the scale. Read on a log scale (preprocessing.logSkewed, the
// default), the contaminated fit (7.4% of the rows hypothyroid, unlabelled) finds the anomalies of
// the test rows far better than the same fit on the values as they are, in one run.
// Measured (seed 0): test ROC-AUC 0.7632 against 0.6940 (the no-labels table, 3 seeds: 0.760 against 0.648).
TEST(NoLabels, ThyroidContaminatedSkewedColumnsOnALogScale) {
  const TableSplit s = split_table("thyroid.csv", "class", "0", true);
  TabularOptions options;
  options.id_columns = {"class"};
  double auc[2];
  for (const bool log_skewed : {true, false}) {
    Detector detector(Preset::from_json({{"kind", "tabular"}, {"split", {{"validation", 0.1}, {"test", 0.0}}}}));
    const FitReport report = detector.fit(detector.start_fit_table(
        s.train, options, {}, {{"training", {{"epochs", 40}, {"contamination", 0.1}}}, {"preprocessing", {{"logSkewed", log_skewed}}}}));
    EXPECT_EQ(report.setting, "contaminated");
    const ColumnTransform& tsh = detector.preprocessing()->columns()[16];
    ASSERT_EQ(tsh.name, "Dim_16");
    EXPECT_EQ(tsh.log_scale > 0, log_skewed);
    if (log_skewed)
      EXPECT_EQ(detector.preprocessing()->schema()[16].reason,
                "a long tail of large values (skewness 14.5 in the training rows): read on a log scale, log(1 + value / 0.003208)");
    auc[log_skewed ? 0 : 1] = roc_auc(detector.score_table(s.test), s.test_labels);
  }
  std::printf("thyroid contaminated: test ROC-AUC %.4f with the skewed columns on a log scale, %.4f as they are\n", auc[0], auc[1]);
  EXPECT_GE(auc[0], auc[1] + 0.03);  // (a margin for other machines' floating-point paths)
}

TEST(NoLabels, ThyroidContaminatedNeighboursLeaveOutAnomalies) {
  // All training rows unlabelled, 7.4% of them hypothyroid; training.contamination 0.1. The
  // neighbour distance leaves out the tenth of the rows least_typical ranks first: more of them
  // must be the real anomalies than among the tenth the target reconstructs worst.
  // Measured (seed 0): 16.3% of them against 13.2% (7.4% among all rows).
  const TableSplit s = split_table("thyroid.csv", "class", "0", true);
  TabularOptions truth;
  truth.label_column = "class", truth.normal_values = {"0"};
  const std::vector<int> labels = tabular_labels(s.train, truth);
  Detector detector(Preset::from_json({{"kind", "tabular"}, {"split", {{"validation", 0.1}, {"test", 0.0}}}}));
  TabularOptions options;
  options.id_columns = {"class"};
  const FitReport report =
      detector.fit(detector.start_fit_table(s.train, options, {}, {{"training", {{"epochs", 40}, {"contamination", 0.1}}}}));
  EXPECT_EQ(report.setting, "contaminated");
  EXPECT_GT(report.neighbours.left_out, 0);
  const Dataset rows{detector.prepare_table(s.train), std::vector<int>(labels.size(), 0)};
  const auto anomaly_share = [&](const std::vector<size_t>& picked) {
    double anomalies = 0;
    for (size_t k : picked) anomalies += labels[k];
    return anomalies / double(std::max<size_t>(picked.size(), 1));
  };
  const double by_both = anomaly_share(least_typical(detector.model(), rows, 0.1));
  const double by_error = anomaly_share(worst_reconstructed(detector.model(), rows, 0.1));
  std::vector<size_t> all(labels.size());
  for (size_t k = 0; k < all.size(); ++k) all[k] = k;
  const double base = anomaly_share(all);
  std::printf("thyroid contaminated: anomalies among the tenth left out %.3f (least_typical), %.3f "
              "(reconstruction error), %.3f among all rows\n", by_both, by_error, base);
  EXPECT_GT(by_both, by_error);
  EXPECT_GE(by_both, 2 * base);
  // And the neighbour rows are without them: least_typical's picks among all rows (the fit ranked
  // its training part, nine tenths of them) are nearly all absent from the rows kept, the
  // reconstruction error's far fewer.
  const Tensor& kept = detector.model().neighbours();
  const Tensor embedded = detector.model().neighbour_embedding(rows.inputs);  // as the rows are kept
  const int64_t width = kept.dim(1);
  std::set<std::vector<float>> kept_rows;
  for (int64_t i = 0; i < kept.dim(0); ++i) kept_rows.emplace(kept.data() + i * width, kept.data() + (i + 1) * width);
  const auto absent_share = [&](const std::vector<size_t>& picked) {
    double absent = 0;
    for (size_t k : picked)
      absent += kept_rows.count(std::vector<float>(embedded.data() + int64_t(k) * width, embedded.data() + int64_t(k + 1) * width)) == 0;
    return absent / double(std::max<size_t>(picked.size(), 1));
  };
  const double absent_both = absent_share(least_typical(detector.model(), rows, 0.1));
  const double absent_error = absent_share(worst_reconstructed(detector.model(), rows, 0.1));
  std::printf("not among the neighbour rows: %.3f of least_typical's picks, %.3f of the reconstruction error's\n",
              absent_both, absent_error);
  EXPECT_GE(absent_both, 0.85);
  EXPECT_GE(absent_both, absent_error + 0.1);
}

TEST(NoLabels, FlagsCountInTheNeighbourDistanceAsACategoryDoes) {
  // thyroid's 15 0/1 columns (on thyroxine, pregnant, ...; some set in 1 % of the rows) beside
  // its 6 continuous ones. Standardised, a flag set in 1 % of the rows lies 10 sd from the rest,
  // and a row differing from its neighbours in it counted 100 in the squared distance, more than
  // all continuous columns together; it now counts 2, as a row whose category differs. The flags
  // set in 1 to 2 % of the rows also counted in the marginal rarity as continuous columns (more
  // than 1,000 rows: a quantile interpolated between 0 and 1 read as a third value). One-class;
  // the distance does not depend on the training (5 epochs).
  const TableSplit s = split_table("thyroid.csv", "class", "0", false);
  Detector detector(Preset::from_json({{"kind", "tabular"}, {"split", {{"validation", 0.1}, {"test", 0.0}}}}));
  TabularOptions options;
  options.id_columns = {"class"};
  detector.fit(detector.start_fit_table(s.train, options, {}, {{"training", {{"epochs", 5}}}}));
  const TabularPreprocessor& prep = *detector.preprocessing();
  const std::vector<float> spans = prep.two_value_spans();
  // The flags are the numeric columns with two values among the training rows; each one's span is
  // 1 / its standard deviation.
  size_t flags = 0;
  for (size_t c = 0, input = 0; c < prep.columns().size(); ++c, ++input) {
    const ColumnTransform& t = prep.columns()[c];
    ASSERT_EQ(t.kind, ColumnTransform::Kind::numeric) << t.name;
    std::set<std::string> values;
    const size_t column = size_t(s.train.column_index(t.name));
    for (size_t r = 0; r < s.train.row_count(); ++r) values.emplace(s.train.cell(r, column));
    if (values.size() == 2) {
      ++flags;
      EXPECT_EQ(values, (std::set<std::string>{"0", "1"})) << t.name;
      const double high = std::min((1 - t.mean) / t.sd, 20.0), low = std::max(-t.mean / t.sd, -20.0);  // clipped at +-20
      EXPECT_NEAR(spans[input], high - low, 1e-4 * (high - low)) << t.name;
    } else {
      EXPECT_EQ(spans[input], 0.f) << t.name << " (" << values.size() << " values)";
    }
  }
  EXPECT_EQ(flags, 15u);
  // A row with one flag set the other way lies sqrt(2) from itself in what the distance compares.
  E2EConvA3& model = detector.model();
  ASSERT_TRUE(model.neighbour_scaled());
  const Tensor x = detector.prepare_table(s.test);
  const int64_t d = x.dim(1);
  for (int64_t j = 0; j < d; ++j) {
    if (spans[size_t(j)] == 0) continue;
    const ColumnTransform& t = prep.columns()[size_t(j)];
    const bool low = std::fabs(x.at(j) - std::max(-t.mean / t.sd, -20.0)) < 1e-4;  // row 0's value is 0
    Tensor flipped = x.clone();
    flipped.mutable_data()[j] = low ? x.at(j) + spans[size_t(j)] : x.at(j) - spans[size_t(j)];
    const Tensor a = model.neighbour_embedding(x), b = model.neighbour_embedding(flipped);
    double squared = 0;
    for (int64_t c = 0; c < a.dim(1); ++c) squared += double(a.at(c) - b.at(c)) * double(a.at(c) - b.at(c));
    EXPECT_NEAR(squared, 2.0, 1e-3) << "input " << j;
  }
  // The distance alone separates the hypothyroid test rows better than the same distance over the
  // standardised inputs (the kept neighbours unscaled), computed here by hand.
  const Tensor& kept = model.neighbours();
  const std::vector<float> scaled = model.neighbour_distance(x);
  std::vector<float> unscaled(size_t(x.dim(0)));
  for (int64_t i = 0; i < x.dim(0); ++i) {
    std::vector<double> distances;
    for (int64_t m = 0; m < kept.dim(0); ++m) {
      double squared = 0;
      for (int64_t c = 0; c < d; ++c) {
        const double scale = spans[size_t(c)] > 0 ? std::sqrt(2.0) / spans[size_t(c)] : 1.0;
        const double e = x.at(i * d + c) - kept.at(m * d + c) / scale;
        squared += e * e;
      }
      distances.push_back(squared);
    }
    std::partial_sort(distances.begin(), distances.begin() + 5, distances.end());
    unscaled[size_t(i)] = float(distances[0] + distances[1] + distances[2] + distances[3] + distances[4]);
  }
  const double auc_scaled = roc_auc(scaled, s.test_labels), auc_unscaled = roc_auc(unscaled, s.test_labels);
  std::printf("thyroid one-class, the neighbour distance alone: test ROC-AUC %.4f with the flags counted as categories, "
              "%.4f standardised; the score %.4f\n", auc_scaled, auc_unscaled, roc_auc(detector.score_table(s.test), s.test_labels));
  EXPECT_GE(auc_scaled, auc_unscaled + 0.01);  // measured 0.885 against 0.873

  // Saved as format version 8 (the terms' weights; 7: the neighbour distance's offset), which holds version 6's log
  // scales (TSH, Dim_16; a build reading 5 would read it as it is) and version 5's scales (a build
  // reading 4 would score without them); loaded alike; damaged scales, and a log scale in an
  // earlier version, are refused.
  const std::vector<uint8_t> bytes = detector.save();
  EXPECT_EQ(bytes[8], 8);
  EXPECT_GT(detector.preprocessing()->columns()[16].log_scale, 0);
  EXPECT_EQ(load_error_rewritten(bytes, 5, "", [](const std::string&, Tensor&) {}),
            "model file is corrupt: column 'Dim_16' is read on a log scale (logScale), which belongs in a format version 6 file, "
            "this is version 5");
  Detector loaded = Detector::load(bytes.data(), bytes.size());
  const std::vector<float> before = detector.score_table(s.test), after = loaded.score_table(s.test);
  for (size_t i = 0; i < before.size(); ++i) ASSERT_FLOAT_EQ(after[i], before[i]);
  const auto keep = [](const std::string&, Tensor&) {};
  EXPECT_EQ(load_error_rewritten(bytes, 4, "", keep),
            "model file is corrupt: tensor 'neighbour_scales' belongs in a format version 5 file, this is version 4");
  EXPECT_EQ(load_error_rewritten(bytes, 6, "neighbour_scales", keep), "model file is corrupt: tensor 'neighbour_scales' is missing");
  EXPECT_EQ(load_error_rewritten(bytes, 6, "", [](const std::string& name, Tensor& t) {
              if (name == "neighbour_scales") t.mutable_data()[2] = 0.f;
            }),
            "model file is corrupt: tensor 'neighbour_scales' holds 0 for input 2 (a scale is more than 0)");
}

TEST(NoLabels, PimaOneClassNeighbourDistance) {
  // The combined score for rows includes each row's distance to its 5 nearest normal training
  // rows. Measured (seed 0): 0.685, 0.656 without the distance (model.score combined_rarity);
  // IsolationForest 0.66, LOF 0.63 on this split.
  const TableSplit s = split_table("PimaIndiansDiabetes.csv", "diabetes", "neg", false);
  Detector detector(Preset::from_json({{"kind", "tabular"}, {"split", {{"validation", 0.1}, {"test", 0.0}}}}));
  TabularOptions options;
  options.id_columns = {"diabetes"};
  const FitReport report = detector.fit(detector.start_fit_table(s.train, options, {}, {{"training", {{"epochs", 40}}}}));
  const double auc = roc_auc(detector.score_table(s.test), s.test_labels);
  std::printf("Pima one-class: test ROC-AUC %.4f\n", auc);
  EXPECT_EQ(report.setting, "one_class");
  EXPECT_GE(auc, 0.67);

  // The neighbour rows are the normal training rows (the validation tenth is left out), and the
  // distance is the log of the mean squared difference per input to the 5 nearest of them, plus
  // the offset 0.1.
  E2EConvA3& model = detector.model();
  const Tensor& rows = model.neighbours();
  const Tensor test = detector.prepare_table(s.test);
  const int64_t m = rows.dim(0), d = rows.dim(1);
  EXPECT_EQ(report.score, "combined_neighbours");
  EXPECT_EQ(report.neighbours.samples, m);
  EXPECT_EQ(report.neighbours.repeated, 0);  // Pima has no two equal rows
  EXPECT_EQ(m, report.train_rows);
  const std::vector<float> distance = model.neighbour_distance(test);
  for (int64_t i = 0; i < test.dim(0); ++i) {
    std::vector<double> squares(static_cast<size_t>(m));
    for (int64_t j = 0; j < m; ++j)
      for (int64_t c = 0; c < d; ++c) {
        const double e = test.data()[i * d + c] - rows.data()[j * d + c];
        squares[size_t(j)] += e * e;
      }
    std::partial_sort(squares.begin(), squares.begin() + 5, squares.end());
    const double mean = (squares[0] + squares[1] + squares[2] + squares[3] + squares[4]) / (5.0 * double(d));
    ASSERT_NEAR(distance[size_t(i)], std::log(mean + E2EConvA3::kNeighbourDistanceOffset), 1e-4) << "row " << i;
  }

  // Saved and loaded, the model scores the same (the neighbour rows travel with it).
  const std::vector<uint8_t> bytes = detector.save();
  Detector loaded = Detector::load(bytes.data(), bytes.size());
  EXPECT_EQ(loaded.model().neighbours().dim(0), m);
  const std::vector<float> before = detector.score_table(s.test), after = loaded.score_table(s.test);
  for (size_t i = 0; i < before.size(); ++i) ASSERT_FLOAT_EQ(before[i], after[i]);
}

TEST(NoLabels, RepeatedRowsAreNotTakenAsNormal) {
  // An export in which one faulty reading repeats: Ionosphere's rows without labels plus 12
  // copies of one of its "bad" rows. Were every copy a neighbour, each would find 5 copies of
  // itself at distance 0 and score among the most normal rows of the file (measured: 0.058, the
  // file's median 0.473); counted once, the copies score 0.588, above the median.
  const CsvTable table = read_csv_file(testing::data_file("Ionosphere.csv"));
  const size_t label = size_t(table.column_index("Class"));
  size_t bad = 0;
  while (table.cell(bad, label) != "bad") ++bad;
  CsvTable file;
  file.header = table.header;
  std::vector<std::string_view> cells(file.header.size());
  for (size_t r = 0; r < table.row_count() + 12; ++r) {
    const size_t from = r < table.row_count() ? r : bad;
    for (size_t c = 0; c < cells.size(); ++c) cells[c] = table.cell(from, c);
    file.add_row(cells, r + 2);
  }
  Detector detector(Preset::from_json({{"kind", "tabular"}, {"split", {{"validation", 0.1}, {"test", 0.0}}}}));
  TabularOptions options;
  options.id_columns = {"Class"};
  const FitReport report =
      detector.fit(detector.start_fit_table(file, options, {}, {{"training", {{"epochs", 40}, {"contamination", 0.1}}}}));
  EXPECT_EQ(report.setting, "contaminated");
  EXPECT_EQ(report.score, "combined_without_alarm");
  const FitReport::Neighbours& n = report.neighbours;
  EXPECT_EQ(n.samples + n.repeated + n.left_out + n.not_sampled, report.train_rows);
  EXPECT_GE(n.repeated, 8);  // about 11 of the 13 equal rows fall in the training split
  EXPECT_EQ(n.copies, 1);     // (some rows may be anomalies: a distinct row once)

  const std::vector<float> scores = detector.score_table(file);
  std::vector<float> sorted = scores;
  std::sort(sorted.begin(), sorted.end());
  const float median = sorted[sorted.size() / 2];
  std::printf("12 copies of row %zu: score %.4f, the file's median %.4f\n", bad + 2, scores.back(), median);
  for (size_t r = table.row_count(); r < scores.size(); ++r) EXPECT_GT(scores[r], median) << "copy " << r;

  // The report says so after a save and load too.
  const std::vector<uint8_t> bytes = detector.save();
  const Detector loaded = Detector::load(bytes.data(), bytes.size());
  ASSERT_NE(loaded.training_report(), nullptr);
  EXPECT_EQ(loaded.training_report()->score, "combined_without_alarm");
  EXPECT_EQ(loaded.training_report()->neighbours.repeated, n.repeated);
  EXPECT_EQ(loaded.training_report()->neighbours.copies, 1);
}

TEST(NoLabels, UnseenCategoryRaisesTheScore) {
  // Pima's normal rows with a categorical column, as exports have (a clinic: North in 6 of 10
  // rows, South in 3, East in 1). Scored with the clinic set to North, to East, and to a clinic
  // no training row has: a value never seen is the rarest of all. Before the categorical columns
  // counted in the marginal rarity and the neighbour distance, the unseen clinic read as "none
  // of the categories", closer to every row than another category, and scored below the rare
  // one (measured with `ca3` on 100 such rows: mean 0.61 against 0.68; North 0.54).
  const TableSplit s = split_table("PimaIndiansDiabetes.csv", "diabetes", "neg", false);
  auto with_clinic = [](const CsvTable& table, const char* fixed) {
    CsvTable out;
    out.header = table.header;
    out.header.push_back("Clinic");
    std::vector<std::string_view> cells(out.header.size());
    for (size_t r = 0; r < table.row_count(); ++r) {
      for (size_t c = 0; c < table.column_count(); ++c) cells[c] = table.cell(r, c);
      cells.back() = fixed ? fixed : r % 10 < 6 ? "North" : r % 10 < 9 ? "South" : "East";
      out.add_row(cells, table.row_line(r));
    }
    return out;
  };
  Detector detector(Preset::from_json({{"kind", "tabular"}, {"split", {{"validation", 0.1}, {"test", 0.0}}}}));
  TabularOptions options;
  options.id_columns = {"diabetes"};
  const FitReport report = detector.fit(detector.start_fit_table(with_clinic(s.train, nullptr), options, {}, {{"training", {{"epochs", 40}}}}));
  ASSERT_EQ(report.score, "combined_neighbours");
  std::vector<size_t> normal;
  for (size_t r = 0; r < s.test_labels.size(); ++r)
    if (s.test_labels[r] == 0) normal.push_back(r);
  const CsvTable test = s.test.select_rows(normal);
  const CsvTable north = with_clinic(test, "North"), east = with_clinic(test, "East"), unseen = with_clinic(test, "Harbour");
  E2EConvA3& model = detector.model();
  const Tensor x_north = detector.prepare_table(north), x_east = detector.prepare_table(east), x_unseen = detector.prepare_table(unseen);

  // The marginal rarity: Pima's 8 continuous columns and the clinic, whose squared score is 0 for
  // the most frequent value and Phi^-1(1 - t / 2)^2 with t = 0.5 / N for one no training row has.
  EXPECT_EQ(model.rarity_categories(), 1);
  const std::vector<float> r_north = model.marginal_rarity(x_north), r_east = model.marginal_rarity(x_east),
                           r_unseen = model.marginal_rarity(x_unseen);
  const double z = normal_quantile(1 - 0.25 / double(report.train_rows));
  for (size_t i = 0; i < r_north.size(); ++i) {
    EXPECT_LT(r_north[i], r_east[i]) << "row " << i;
    EXPECT_LT(r_east[i], r_unseen[i]) << "row " << i;
    EXPECT_NEAR((std::exp(r_unseen[i]) - std::exp(r_north[i])) * 9.0, z * z, 1e-3 * z * z) << "row " << i;
  }
  // The neighbour distance: an unseen value differs from every training row's.
  const std::vector<float> d_north = model.neighbour_distance(x_north), d_unseen = model.neighbour_distance(x_unseen);
  for (size_t i = 0; i < d_north.size(); ++i) EXPECT_GT(d_unseen[i], d_north[i]) << "row " << i;

  auto mean = [](const std::vector<float>& v) {
    double sum = 0;
    for (float x : v) sum += x;
    return sum / double(v.size());
  };
  const std::vector<float> s_north = detector.score_table(north), s_east = detector.score_table(east),
                           s_unseen = detector.score_table(unseen);
  std::printf("%zu normal test rows, mean score: clinic North %.4f, East %.4f, never seen %.4f\n", s_north.size(),
              mean(s_north), mean(s_east), mean(s_unseen));
  EXPECT_GT(mean(s_east), mean(s_north) + 0.05);
  EXPECT_GT(mean(s_unseen), mean(s_east));
  size_t higher = 0;
  for (size_t i = 0; i < s_north.size(); ++i) higher += s_unseen[i] > s_north[i];
  EXPECT_GE(double(higher), 0.95 * double(s_north.size()));

  // Why: the clinic raises the unseen rows' scores.
  std::vector<int64_t> rows(s_unseen.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = int64_t(i);
  size_t named = 0;
  for (const RowExplanation& e : detector.explain_rows(unseen, rows, 9))
    for (const ColumnContribution& c : e.columns) named += c.column == "Clinic" && c.value == "Harbour" && c.contribution > 0;
  EXPECT_GE(double(named), 0.9 * double(rows.size()));

  // A column of more values than the preprocessing keeps (100 products, 64 kept): a product seen
  // in training beyond the kept ones reads as "(other)", and one never seen stays the rarest.
  {
    auto with_product = [](const CsvTable& table, const char* fixed) {
      CsvTable out;
      out.header = table.header;
      out.header.push_back("Product");
      std::vector<std::string> names(table.row_count());
      std::vector<std::string_view> cells(out.header.size());
      for (size_t r = 0; r < table.row_count(); ++r) {
        names[r] = fixed ? fixed : "P" + std::to_string(100 + r % 100);
        for (size_t c = 0; c < table.column_count(); ++c) cells[c] = table.cell(r, c);
        cells.back() = names[r];
        out.add_row(cells, table.row_line(r));
      }
      return out;
    };
    Detector products(Preset::from_json({{"kind", "tabular"}, {"split", {{"validation", 0.1}, {"test", 0.0}}}}));
    const FitReport r = products.fit(products.start_fit_table(with_product(s.train, nullptr), options, {}, {{"training", {{"epochs", 10}}}}));
    const ColumnTransform& product = products.preprocessing()->columns().back();
    ASSERT_EQ(product.others.size(), 36u);
    const std::string cut = product.others.front();
    const std::vector<float> rare_other = products.model().marginal_rarity(products.prepare_table(with_product(test, cut.c_str())));
    const std::vector<float> rare_unseen = products.model().marginal_rarity(products.prepare_table(with_product(test, "P999")));
    for (size_t i = 0; i < rare_other.size(); ++i) EXPECT_LT(rare_other[i], rare_unseen[i]) << "row " << i;
    const double other_score = mean(products.score_table(with_product(test, cut.c_str())));
    const double unseen_score = mean(products.score_table(with_product(test, "P999")));
    std::printf("100 products, 64 kept: mean score of a product beyond them (%s) %.4f, of one never seen %.4f (%zu epochs)\n",
                cut.c_str(), other_score, unseen_score, r.history.size());
    EXPECT_GT(unseen_score, other_score);
  }

  // Saved and loaded, the model scores the same. The file is format version 8 (the terms'
  // weights; 7: the neighbour distance's offset; insulin is read on a log scale, version 6), which holds version 4's
  // categorical part (a build that reads only 3 would score without it); a damaged categorical
  // part is refused.
  const std::vector<uint8_t> bytes = detector.save();
  EXPECT_EQ(bytes[8], 8);
  Detector loaded = Detector::load(bytes.data(), bytes.size());
  const std::vector<float> again = loaded.score_table(unseen);
  for (size_t i = 0; i < again.size(); ++i) ASSERT_FLOAT_EQ(again[i], s_unseen[i]);
  auto rewritten = [&](uint32_t version, const std::string& without, float category_value) {
    return load_error_rewritten(bytes, version, without, [&](const std::string& name, Tensor& t) {
      if (name == "category_rarity") t.mutable_data()[t.numel() - 2] = category_value;
    });
  };
  EXPECT_EQ(rewritten(3, "", -1.f), "model file is corrupt: tensor 'category_rarity' belongs in a format version 4 file, this is version 3");
  EXPECT_EQ(rewritten(6, "category_rarity", -1.f), "model file is corrupt: tensor 'category_rarity' is missing");
  EXPECT_EQ(rewritten(6, "", -1e30f),
            "model file is corrupt: tensor 'category_rarity' gives input " + std::to_string(x_north.dim(1) - 1) +
                "'s category a negative rarity");
}

TEST(NoLabels, AMachineNamedLikeAnIdentifierIsAGroup) {
  // Pima's normal rows as a log of three machines (machine_id M1, M2, M3 by the row's glucose: a
  // machine runs in its own range), scored with each test row's machine right and with it swapped
  // to another. A column named like an identifier whose few values recur names the group a row
  // belongs to and is read as categories (said); left out as a row identifier, as before (the
  // role ignore below), the swap changes nothing (ROC-AUC 0.5; helper-90's sensor log of 5
  // machines: 0.512, with the machine read 0.999). A row near its range's edge, swapped to the
  // next range, is hardly unusual: 0.68 here (0.71 with the weights before, the marginal rarity,
  // which sees no context, 1 rather than 2 and the distance 3 rather than 5; docs/no-labels.md).
  const TableSplit s = split_table("PimaIndiansDiabetes.csv", "diabetes", "neg", false);
  const int64_t glucose = s.train.column_index("glucose");
  auto with_machine = [&](const CsvTable& table, int shift) {
    CsvTable out;
    out.header = table.header;
    out.header.push_back("machine_id");
    std::vector<std::string_view> cells(out.header.size());
    const char* const names[] = {"M1", "M2", "M3"};
    for (size_t r = 0; r < table.row_count(); ++r) {
      for (size_t c = 0; c < table.column_count(); ++c) cells[c] = table.cell(r, c);
      const double g = std::atof(std::string(table.cell(r, size_t(glucose))).c_str());
      cells.back() = names[((g < 100 ? 0 : g < 125 ? 1 : 2) + shift) % 3];
      out.add_row(cells, table.row_line(r));
    }
    return out;
  };
  Detector detector(Preset::from_json({{"kind", "tabular"}, {"split", {{"validation", 0.1}, {"test", 0.0}}}}));
  TabularOptions options;
  options.id_columns = {"diabetes"};
  detector.fit(detector.start_fit_table(with_machine(s.train, 0), options, {}, {{"training", {{"epochs", 20}}}}));
  const ColumnDecision& machine = detector.preprocessing()->schema().back();
  EXPECT_EQ(machine.role, "categorical");
  EXPECT_EQ(machine.reason.substr(0, 61), "named like an identifier, but its 3 values ('M1', ...) recur,");
  std::vector<size_t> normal;
  for (size_t r = 0; r < s.test_labels.size(); ++r)
    if (s.test_labels[r] == 0) normal.push_back(r);
  const CsvTable test = s.test.select_rows(normal);
  std::vector<float> scores = detector.score_table(with_machine(test, 0));
  const std::vector<float> swapped = detector.score_table(with_machine(test, 1));
  scores.insert(scores.end(), swapped.begin(), swapped.end());
  std::vector<int> labels(scores.size(), 0);
  std::fill(labels.begin() + long(normal.size()), labels.end(), 1);
  const double auc = roc_auc(scores, labels);
  options.roles = {{"machine_id", ColumnRole::ignore}};
  Detector without(Preset::from_json({{"kind", "tabular"}, {"split", {{"validation", 0.1}, {"test", 0.0}}}}));
  without.fit(without.start_fit_table(with_machine(s.train, 0), options, {}, {{"training", {{"epochs", 20}}}}));
  std::vector<float> left_out = without.score_table(with_machine(test, 0));
  const std::vector<float> left_out_swapped = without.score_table(with_machine(test, 1));
  left_out.insert(left_out.end(), left_out_swapped.begin(), left_out_swapped.end());
  const double auc_left_out = roc_auc(left_out, labels);
  std::printf("%zu normal test rows, each with its machine and swapped to the next: ROC-AUC %.4f (machine left out: %.4f)\n",
              normal.size(), auc, auc_left_out);
  EXPECT_EQ(auc_left_out, 0.5);
  EXPECT_GT(auc, 0.66);
}

TEST(NoLabels, BreastCancerFiveLabelledAnomalies) {
  // All training rows, 5 of their malignant rows labelled, the others (malignant too) unlabelled:
  // the 5 join synthetic anomalies (syntheticAnomalies.belowLabelled).
  TableSplit s = split_table("BreastCancer.csv", "Class", "benign", true);
  const size_t label = size_t(s.train.column_index("Class"));
  CsvTable train;
  train.header = s.train.header;
  std::vector<std::string_view> cells(train.header.size());
  int labelled = 0;
  for (size_t r = 0; r < s.train.row_count(); ++r) {
    for (size_t c = 0; c < cells.size(); ++c) cells[c] = s.train.cell(r, c);
    const bool anomaly = cells[label] == "malignant" && labelled < 5;
    labelled += anomaly;
    cells[label] = anomaly ? "anomaly" : "unlabelled";
    train.add_row(cells, s.train.row_line(r));
  }
  Detector detector(Preset::from_json({{"kind", "tabular"}, {"split", {{"validation", 0.1}, {"test", 0.0}}}}));
  TabularOptions options;
  options.label_column = "Class", options.anomaly_values = {"anomaly"};
  const FitReport report = detector.fit(detector.start_fit_table(train, options, {}, {{"training", {{"epochs", 40}}}}));
  const double auc = roc_auc(detector.score_table(s.test), s.test_labels);
  std::printf("Breast Cancer, 5 labelled anomalies: test ROC-AUC %.4f (%lld synthetic anomalies an epoch)\n", auc,
              (long long)report.synthetic_anomalies);
  EXPECT_EQ(report.setting, "few_labels");
  EXPECT_EQ(report.labelled_anomalies, 4);  // one of the 5 went to the validation part
  EXPECT_GT(report.synthetic_anomalies, 0);
  EXPECT_GE(auc, 0.9);
}

// Fashion-MNIST training images: `shirts` T-shirts and `others` images of the other classes (all
// unlabelled) to train on, taken after the first 3,000; images 2,000 to 2,999 to score, labelled
// 1 unless a T-shirt. The small preset with `epochs` and a 10% validation split, no test split.
struct TshirtImages {
  Dataset all;
  std::vector<int64_t> train, test;
  std::vector<int> test_labels;
  nlohmann::json preset;
};
TshirtImages tshirt_images(int64_t shirts, int64_t others, int epochs) {
  const int64_t test_count = 1000, first = 2000, read = first + test_count + 12000;
  TshirtImages t;
  const IdxImages images = read_idx_images(testing::fashion_mnist_file("train-images-idx3-ubyte"), read);
  const std::vector<int> classes = read_idx_labels(testing::fashion_mnist_file("train-labels-idx1-ubyte"), read);
  t.all = Dataset{images.pixels, std::vector<int>(classes.size(), 0)};
  int64_t taken_shirts = 0, taken_others = 0;
  for (int64_t i = first + test_count; i < int64_t(classes.size()) && (taken_shirts < shirts || taken_others < others); ++i) {
    if (classes[size_t(i)] == 0 && taken_shirts < shirts) t.train.push_back(i), ++taken_shirts;
    if (classes[size_t(i)] != 0 && taken_others < others) t.train.push_back(i), ++taken_others;
  }
  EXPECT_EQ(int64_t(t.train.size()), shirts + others);
  for (int64_t i = first; i < first + test_count; ++i) t.test.push_back(i), t.test_labels.push_back(classes[size_t(i)] != 0);
  std::ifstream(testing::source_file("models/presets/fashion-mnist-small.json")) >> t.preset;
  t.preset["training"]["epochs"] = epochs;
  t.preset["split"] = {{"validation", 0.1}, {"test", 0.0}};
  return t;
}

TEST(NoLabels, FashionMnistTshirtsOneClass) {
  // 1,000 T-shirts only (no label, no anomaly), scored on 1,000 other training images, 90% of
  // them other classes. The small preset, 4 epochs. Measured 0.929 with the default score for
  // images (the alarm and the distance to the 5 nearest training images, downscaled to 14 x 14),
  // 0.888 with the alarm alone, 0.853 with the combined score; about 0.6 before this work.
  const TshirtImages t = tshirt_images(1000, 0, 4);
  Detector detector(Preset::from_json(t.preset));
  const FitReport report = detector.fit_images(t.all.subset(t.train));
  const double auc = roc_auc(detector.score_images(t.all.subset(t.test).inputs), t.test_labels);
  std::printf("Fashion-MNIST T-shirts one-class: test ROC-AUC %.4f (%zu epochs)\n", auc, report.history.size());
  EXPECT_EQ(report.setting, "one_class");
  EXPECT_GE(auc, 0.9);
}

TEST(NoLabels, FashionMnistTshirtsContaminated) {
  // 1,000 T-shirts and 53 images of the other classes (5%), unlabelled, training.contamination
  // 0.05; scored on 1,000 other training images. The other classes' few images among the
  // neighbours are what a test anomaly of their kind finds nearest: the distance averages over
  // more of them, ceil(0.05 M / 2), and must rank the anomalies better than over 5.
  TshirtImages t = tshirt_images(1000, 53, 2);
  t.preset["training"]["contamination"] = 0.05;
  Detector detector(Preset::from_json(t.preset));
  const FitReport report = detector.fit_images(t.all.subset(t.train));
  EXPECT_EQ(report.setting, "contaminated");
  EXPECT_EQ(report.score, "alarm_neighbours");
  const int64_t m = detector.model().neighbours().dim(0);
  EXPECT_EQ(report.neighbours.nearest, int64_t(std::ceil(0.05 * double(m) / 2)));
  EXPECT_GT(report.neighbours.nearest, E2EConvA3::kNeighbours);
  const Tensor inputs = t.all.subset(t.test).inputs;
  const double chosen = roc_auc(detector.model().neighbour_distance(inputs), t.test_labels);
  detector.model().set_neighbour_count(E2EConvA3::kNeighbours);
  const double five = roc_auc(detector.model().neighbour_distance(inputs), t.test_labels);
  detector.model().set_neighbour_count(report.neighbours.nearest);
  // Saved and loaded, the model averages over as many. An image's score weighs the distance 3
  // times the alarm, as files before version 8 did: the file is of an earlier version (9 values).
  const std::vector<uint8_t> bytes = detector.save();
  EXPECT_LT(bytes[8], 8);
  EXPECT_EQ(detector.model().neighbour_weight(), E2EConvA3::kNeighbourWeight);
  Detector loaded = Detector::load(bytes.data(), bytes.size());
  EXPECT_EQ(loaded.model().neighbour_count(), report.neighbours.nearest);
  EXPECT_EQ(loaded.score_images(inputs), detector.score_images(inputs));
  std::printf("Fashion-MNIST T-shirts, 5%% other classes: the neighbour distance over the %lld nearest of %lld: "
              "test ROC-AUC %.4f; over 5: %.4f\n", (long long)report.neighbours.nearest, (long long)m, chosen, five);
  EXPECT_GE(chosen, five + 0.005);
}

}  // namespace
}  // namespace ca3
