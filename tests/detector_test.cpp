// Detector and model file on real data: the paper's protocol on Breast Cancer for all three
// variants; synthetic anomalies when no row is labelled; cancel and errors keep the previous
// model; a saved model scores identically after loading; damaged files are rejected with the
// reason; thresholds and confusion matrices against values counted by hand.
#include <gtest/gtest.h>

#include <atomic>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <sstream>

#include "core/anomaly/data/csv.h"
#include "core/anomaly/detector.h"
#include "core/anomaly/wire.h"
#include "core/anomaly/data/idx.h"
#include "core/engine/error.h"
#include "core/anomaly/model_file.h"
#include "tests/test_support.h"

namespace ca3 {
namespace {

using testing::error_of;

TabularOptions breast_cancer_labels() {
  TabularOptions o;
  o.label_column = "Class";
  o.normal_values = {"benign"};
  return o;
}

Preset quick_tabular(const std::string& variant, int epochs = 15) {
  return Preset::from_json({{"kind", "tabular"},
                            {"model", {{"variant", variant}}},
                            {"training", {{"epochs", epochs}, {"patience", 5}}},
                            {"seed", 1}});
}

const CsvTable& breast_cancer() {
  static const CsvTable table = read_csv_file(testing::data_file("BreastCancer.csv"));
  return table;
}

TEST(Detector, ThreeVariantsOnBreastCancer) {
  // Measured (seed 1, 15 epochs): about 0.99 for e2e and a3, 0.96 for reconstruction only.
  for (const auto& [variant, bound] : std::vector<std::pair<std::string, double>>{
           {"e2e", 0.97}, {"a3", 0.97}, {"reconstruction", 0.9}}) {
    Detector d(quick_tabular(variant));
    const FitReport r = d.fit_table(breast_cancer(), breast_cancer_labels());
    EXPECT_EQ(r.train_rows + r.validation_rows + r.test_rows, 699);
    EXPECT_EQ(r.test.anomalies, 24);  // 241 malignant rows, 10% in test
    std::printf("%s: test ROC-AUC %.4f, AP %.4f, %zu epochs\n", variant.c_str(), r.test.roc_auc,
                r.test.average_precision, r.history.size());
    EXPECT_GE(r.test.roc_auc, bound) << variant;
    // The threshold keeps the validation false-positive rate at or under the preset's 5%.
    EXPECT_LE(r.validation.confusion.false_positive_rate(), 0.05 + 1e-9) << variant;
    // Labelled anomalies in the test split: it measures, and the threshold is set on validation alone.
    EXPECT_GT(r.test.anomalies, 0) << variant;
    EXPECT_EQ(r.threshold_normal, r.validation.normal) << variant;
    EXPECT_EQ(r.dropped_columns, (std::vector<std::string>{"Id"}));
  }
}

TEST(Detector, SyntheticAnomaliesWhenNothingIsLabelled) {
  // Train on benign rows only (no label column at all); then malignant rows must score higher.
  // Measured: E2E with A3's synthetic anomalies 0.79 (the noise has the data's marginals after
  // the quantile transform, so the alarm mostly learns "uncorrelated"), reconstruction only 0.99.
  const int64_t label = breast_cancer().column_index("Class");
  std::vector<size_t> benign_rows, malignant_rows;
  for (size_t i = 0; i < breast_cancer().row_count(); ++i)
    (breast_cancer().cell(i, size_t(label)) == "benign" ? benign_rows : malignant_rows).push_back(i);
  const CsvTable normal_only = breast_cancer().select_rows(benign_rows);
  const CsvTable malignant = breast_cancer().select_rows(malignant_rows);
  for (const auto& [variant, bound] : std::vector<std::pair<std::string, double>>{{"e2e", 0.7}, {"reconstruction", 0.95}}) {
    Detector d(quick_tabular(variant));
    const FitReport r = d.fit_table(normal_only, TabularOptions{});
    EXPECT_EQ(r.synthetic_anomalies, variant == "e2e" ? r.train_rows : 0) << variant;
    EXPECT_EQ(r.test.anomalies, 0);
    // The test split has nothing to measure: its rows join the validation rows the threshold is set
    // on, taken as normal, and of all of them it flags floor(0.05 (n + 1)) - 1 at most.
    const int64_t n = r.validation.normal + r.test_rows;
    EXPECT_EQ(r.threshold_normal, n) << variant;
    EXPECT_EQ(r.validation.normal, r.validation_rows) << variant;  // (the synthetic anomalies are not rows)
    EXPECT_LE(r.validation.confusion.false_positives + r.test.confusion.false_positives, int64_t(0.05 * double(n + 1)) - 1) << variant;
    EXPECT_GT(r.validation.confusion.false_positives + r.test.confusion.false_positives, 0) << variant;  // (ties aside, exactly that many)
    const ShareRange range = flagged_share_range(n, 0.05, FitReport::kShareProbability);
    EXPECT_EQ(r.threshold_share.low, range.low) << variant;
    EXPECT_EQ(r.threshold_share.high, range.high) << variant;
    const std::vector<float> benign_scores = d.score_table(normal_only), malignant_scores = d.score_table(malignant);
    std::vector<float> scores = benign_scores;
    scores.insert(scores.end(), malignant_scores.begin(), malignant_scores.end());
    std::vector<int> labels(benign_scores.size(), 0);
    labels.resize(scores.size(), 1);
    const double auc = roc_auc(scores, labels);
    std::printf("no labels, %s: benign vs malignant ROC-AUC %.4f\n", variant.c_str(), auc);
    EXPECT_GE(auc, bound) << variant;
  }
}

TEST(Detector, CancelAndErrorsKeepThePreviousModel) {
  Detector d(quick_tabular("e2e", 3));
  d.fit_table(breast_cancer(), breast_cancer_labels());
  const std::vector<float> before = d.score_table(breast_cancer());
  const float threshold = d.threshold();
  std::atomic<bool> cancel{false};
  int steps = 0;
  const auto on_progress = [&](const TrainProgress&) {
    if (++steps == 3) cancel = true;  // mid-epoch
  };
  const FitReport r = d.fit_table(breast_cancer(), breast_cancer_labels(), on_progress, &cancel);
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(steps, 3);
  EXPECT_EQ(d.score_table(breast_cancer()), before);
  EXPECT_EQ(d.threshold(), threshold);
  // A failing fit (a label column that does not exist) leaves it alone too.
  TabularOptions wrong = breast_cancer_labels();
  wrong.label_column = "Diagnosis";
  EXPECT_NE(error_of([&] { d.fit_table(breast_cancer(), wrong); }).find("CSV has no column 'Diagnosis'"),
            std::string::npos);
  EXPECT_EQ(d.score_table(breast_cancer()), before);
  // Scoring a table without a trained column names it.
  EXPECT_EQ(error_of([&] { d.score_table(parse_csv("Cl.thickness,Class\n1,benign\n")); }),
            "the CSV has no columns 'Cell.size', 'Cell.shape', 'Marg.adhesion', 'Epith.c.size', 'Bare.nuclei', "
            "'Bl.cromatin', 'Normal.nucleoli', 'Mitoses' (the model was trained with them; the CSV's columns: "
            "'Cl.thickness', 'Class'): add the columns (their cells may be left empty: read as missing, filled in from "
            "the 5 training rows most like each row) or train a model without them");
  // Data of the other kind: what the detector was trained on, and the fix.
  EXPECT_EQ(error_of([&] { d.score_images(Tensor::zeros({2, 28, 28, 1})); }),
            "this detector was trained on a CSV table (9 columns): it cannot score images (give it a CSV table, or score "
            "the images with a detector trained on images)");
  std::ifstream file(testing::source_file("models/demo/fashion-mnist-tshirt.ca3"), std::ios::binary);
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  Detector images = Detector::load(bytes.data(), bytes.size());
  EXPECT_EQ(error_of([&] { images.score_table(breast_cancer()); }),
            "this detector was trained on images (28x28, grey): it cannot score a CSV table (give it images, or score "
            "the table with a detector trained on a table)");
}

// A report whose groups open with a heading line in a column of other values ("7;Region Nord;;"
// over article numbers, with a running number; the model leaves both out): such a line has no value
// in any column the model reads and is trained on as the typical row. Said at training by line, as
// scoring says it.
TEST(Detector, RowsWithNoValueTheModelReadsAreSaidAtTraining) {
  std::string csv = "Nr;Artikel;Gewicht;Lager\n";
  int line = 0;
  for (const char* region : {"Nord", "Sued", "West"}) {
    csv += detail::concat(++line, ";Region ", region, ";;\n");
    for (int i = 0; i < 30; ++i)
      csv += detail::concat(++line, ";A", 1000 + 37 * i + region[0], ";", 10 + i % 7, ",5;", i % 3 ? "A" : "B", "\n");
  }
  Detector d(quick_tabular("e2e", 1));
  const FitReport r = d.fit_table(parse_csv(csv), TabularOptions{});
  EXPECT_EQ(r.train_rows + r.validation_rows + r.test_rows, 93);
  const std::vector<std::string> notes = r.data.at("notes").get<std::vector<std::string>>();
  EXPECT_NE(std::find(notes.begin(), notes.end(),
                      "3 rows have no value in any column the model reads (lines 2, 33, 64; a group's heading line, or "
                      "nothing recorded): each cell filled in with the median or most frequent value, so it is trained on "
                      "as the typical row and says nothing of the data"),
            notes.end()) << wire::dump(r.data.at("notes"), 0);
  // Scoring the same file says the same of those rows.
  std::vector<std::string> scoring = d.preprocessing()->scoring_notes(parse_csv(csv));
  EXPECT_NE(std::find_if(scoring.begin(), scoring.end(), [](const std::string& n) {
              return n.rfind("3 rows have no value in any column the model reads", 0) == 0;
            }), scoring.end());
  // A file without such rows says nothing of them.
  const FitReport plain = d.fit_table(breast_cancer(), breast_cancer_labels());
  for (const std::string& n : plain.data.at("notes").get<std::vector<std::string>>())
    EXPECT_EQ(n.find("no value in any column"), std::string::npos) << n;
  // Without the running number the heading lines hold a text alone: no sample, left out of
  // training and not scored.
  std::string alone;
  std::istringstream lines(csv);
  for (std::string l; std::getline(lines, l);) alone += l.substr(l.find(';') + 1) + "\n";
  const FitReport without = d.fit_table(parse_csv(alone), TabularOptions{});
  EXPECT_EQ(without.train_rows + without.validation_rows + without.test_rows, 90);
  const std::vector<std::string> alone_notes = without.data.at("notes").get<std::vector<std::string>>();
  EXPECT_NE(std::find(alone_notes.begin(), alone_notes.end(),
                      "lines 2 ('Region Nord'), 33 ('Region Sued'), 64 ('Region West') hold a text alone and no number (a "
                      "title, note or footer line, or a row with nothing recorded), not a sample: left out of training"),
            alone_notes.end()) << wire::dump(without.data.at("notes"), 0);
  const std::vector<float> scores = d.score_table(parse_csv(alone));
  ASSERT_EQ(scores.size(), 93u);
  EXPECT_TRUE(std::isnan(scores[0]) && std::isnan(scores[31]) && std::isnan(scores[62]) && !std::isnan(scores[1]));
}

// A label column that marks no row as an anomaly: the fit is one-class, and the notes say why.
TEST(Detector, LabelColumnWithoutAnomaliesIsSaid) {
  std::string csv = "a,b,label\n";
  for (int i = 0; i < 60; ++i) csv += detail::concat(10 + i % 7, ",", 3 + (i * 5) % 11, ",ok\n");
  TabularOptions options;
  options.label_column = "label";
  options.normal_values = {"ok"};
  Detector d(quick_tabular("e2e", 1));
  const FitReport r = d.fit_table(parse_csv(csv), options);
  EXPECT_EQ(r.setting, "one_class");
  const std::vector<std::string> notes = r.data.at("notes").get<std::vector<std::string>>();
  EXPECT_NE(std::find(notes.begin(), notes.end(),
                      "label column 'label' marks no row as an anomaly: the model trains without labelled anomalies "
                      "(one-class), every row taken as normal, and its validation figures are against synthetic anomalies; a "
                      "file where some rows are labelled anomalies gives a labelled model and a real test figure"),
            notes.end()) << wire::dump(r.data.at("notes"), 0);
}

// BreastCancer with a few words typed among a column's numbers ("tbd" three times, "x" once: 4 of
// 699 cells) trains as the file with those cells left empty does, said with the lines; the preview
// says so too. A word that says something of the value ("HI") or more than 1 value in 20 as words
// is refused, naming the cell.
TEST(Detector, AFewWordsAmongNumbersAreReadAsMissing) {
  const CsvTable& plain = breast_cancer();
  const size_t column = size_t(plain.column_index("Cl.thickness"));
  const auto with = [&](const std::map<size_t, std::string_view>& cells) {
    CsvTable out = plain.select_rows({});
    std::vector<std::string_view> row(plain.column_count());
    for (size_t r = 0; r < plain.row_count(); ++r) {
      for (size_t c = 0; c < row.size(); ++c) row[c] = plain.cell(r, c);
      if (const auto at = cells.find(r); at != cells.end()) row[column] = at->second;
      out.add_row(row, plain.row_line(r));
    }
    return out;
  };
  const CsvTable worded = with({{10, "tbd"}, {200, "tbd"}, {300, "x"}, {400, " tbd "}});
  const CsvTable empty = with({{10, ""}, {200, ""}, {300, ""}, {400, ""}});
  Detector d(quick_tabular("e2e", 3)), reference(quick_tabular("e2e", 3));
  const FitReport r = d.fit_table(worded, breast_cancer_labels());
  reference.fit_table(empty, breast_cancer_labels());
  EXPECT_EQ(d.score_table(empty), reference.score_table(empty));
  const std::vector<std::string> notes = r.data.at("notes").get<std::vector<std::string>>();
  EXPECT_NE(std::find(notes.begin(), notes.end(),
                      "words among numbers read as missing (filled in as missing cells are): 'Cl.thickness' 'tbd' x3, 'x' x1 "
                      "(lines 12, 202, 302 and 1 more); if one stands for a value, write the value in its place; if they are "
                      "categories, give the column the role categorical (the role menu on the page, --role "
                      "Cl.thickness=categorical for ca3 train, TableOptions.roles in the SDK)"),
            notes.end()) << wire::dump(r.data.at("notes"), 0);
  const nlohmann::json& decision = r.data.at("columns").at(column);
  EXPECT_EQ(decision.at("role"), "numeric");
  EXPECT_EQ(decision.at("missing"), 4);
  EXPECT_EQ(decision.at("placeholders"), (nlohmann::json{{"tbd", 3}, {"x", 1}}));
  const ColumnSummary preview = describe_columns(worded)[column];
  EXPECT_EQ(preview.role, "numeric");
  EXPECT_EQ(preview.missing, 4);
  EXPECT_EQ(preview.placeholders, (std::map<std::string, int64_t>{{"tbd", 3}, {"x", 1}}));
  // Scoring reads them as missing too (cells it cannot read), said.
  EXPECT_EQ(d.score_table(worded), reference.score_table(empty));
  EXPECT_NE(error_of([&] { Detector(quick_tabular("e2e", 1)).fit_table(with({{10, "tbd"}, {20, "HI"}}), breast_cancer_labels()); })
                .find("CSV line 22, column 'Cl.thickness': 'HI' tells something of the value (a range's end, a qualitative "
                      "result), not that it is missing, and is no number: write a number in its place (the limit itself, or what "
                      "your field's rule puts there), or leave the cell empty for a missing value; 1 more cell of the column is not "
                      "a number either: line 12 'tbd'"),
            std::string::npos);
  std::map<size_t, std::string_view> many;
  for (size_t r = 0; r < 40; ++r) many[r * 17] = "tbd";
  EXPECT_NE(error_of([&] { Detector(quick_tabular("e2e", 1)).fit_table(with(many), breast_cancer_labels()); })
                .find("column 'Cl.thickness': 'tbd' is not a number"),
            std::string::npos);
}

// A spreadsheet export of BreastCancer with a header repeated mid-file (two exports one below the
// other) and a totals row at the end trains exactly as the plain file does: both rows are left out,
// and said; scored, both get no score and the other rows the plain file's; a header repeated in part
// (another column's name in it) is refused, naming the line and the cells.
TEST(Detector, TotalsRowsAndRepeatedHeadersAreLeftOutOfTraining) {
  const CsvTable plain = breast_cancer();
  std::string text = write_csv(plain);
  const size_t middle = text.find('\n', text.size() / 2) + 1;
  const std::string header_line = text.substr(0, text.find('\n') + 1);
  text.insert(middle, header_line);
  double sum = 0;
  for (size_t r = 0; r < plain.row_count(); ++r) sum += std::stod(std::string(plain.cell(r, 1)));
  text += "Total," + std::to_string(int64_t(sum)) + ",,,,,,,,,\n";
  const CsvTable exported = parse_csv(text);
  ASSERT_EQ(exported.row_count(), plain.row_count() + 2);
  Detector d(quick_tabular("e2e", 3));
  Fit fit = d.start_fit_table(exported, breast_cancer_labels(), {});
  EXPECT_EQ(fit.data_description().at("rows").get<size_t>(), plain.row_count());
  const std::vector<std::string> notes = fit.data_description().at("notes").get<std::vector<std::string>>();
  const int64_t repeated = exported.row_line(size_t(std::count(text.begin(), text.begin() + int64_t(middle), '\n') - 1));
  ASSERT_GE(notes.size(), 2u);
  EXPECT_EQ(notes[0], detail::concat("line ", exported.row_line(exported.row_count() - 1),
                                     " ('Total', a sum in 'Cl.thickness') is a totals row (its numbers are the sums of the rows "
                                     "above or below it): left out of training"));
  EXPECT_EQ(notes[1], detail::concat("line ", repeated, " repeats the header (two exports one below the other?): left out of training"));
  d.fit(std::move(fit));
  Detector reference(quick_tabular("e2e", 3));
  reference.fit_table(plain, breast_cancer_labels());
  EXPECT_EQ(d.score_table(plain), reference.score_table(plain));
  const std::vector<float> plain_scores = d.score_table(plain), exported_scores = d.score_table(exported);
  ASSERT_EQ(exported_scores.size(), plain_scores.size() + 2);
  std::vector<float> kept;
  for (size_t r = 0; r < exported_scores.size(); ++r)
    if (exported.row_line(r) == repeated || r + 1 == exported_scores.size()) EXPECT_TRUE(std::isnan(exported_scores[r])) << r;
    else kept.push_back(exported_scores[r]);
  EXPECT_EQ(kept, plain_scores);
  const RowsNotScored not_scored = rows_not_scored(exported);
  EXPECT_NE(std::find(not_scored.notes.begin(), not_scored.notes.end(),
                      detail::concat("line ", repeated, " repeats the header (two exports one below the other?): not scored (no score, no flag)")),
            not_scored.notes.end());
  std::string renamed = text;
  renamed.replace(middle, header_line.find(','), "Sample");  // the second export's first column named otherwise
  const CsvTable other_header = parse_csv(renamed);
  EXPECT_EQ(error_of([&] { d.score_table(other_header); }),
            detail::concat("CSV line ", repeated, " repeats the header in part ('Sample' under '", plain.header[0], "'): the rows "
                           "below it may hold other columns than the model's; score the two parts as separate files"));
  // The second export with its columns in another order (three of them moved): refused, by scoring
  // and by training, not read with its values under the first header's columns.
  std::string reordered = text;
  std::vector<std::string> names = plain.header;
  std::rotate(names.begin() + 1, names.begin() + 2, names.begin() + 4);  // Cl.thickness, Cell.size, Cell.shape moved
  std::string moved_line;
  for (size_t c = 0; c < names.size(); ++c) moved_line += (c ? "," : "") + names[c];
  reordered.replace(middle, header_line.size() - 1, moved_line);
  const std::string in_order = detail::concat(
      "CSV line ", repeated, " repeats the header with its columns in another order ('", names[1], "' under '", plain.header[1],
      "', '", names[2], "' under '", plain.header[2], "', '", names[3], "' under '", plain.header[3],
      "'): the rows below it are laid out otherwise, and read under the first header their values would go to the wrong "
      "columns; ");
  EXPECT_EQ(error_of([&] { d.score_table(parse_csv(reordered)); }), in_order + "score the two parts as separate files, or put the "
                                                                               "columns of the second in the first one's order");
  Detector again(quick_tabular("e2e", 3));
  EXPECT_EQ(error_of([&] { again.fit_table(parse_csv(reordered), breast_cancer_labels()); }),
            in_order + "train on the two parts as separate files, or put the columns of the second in the first one's order");
}

// Fitting in slices (what the wasm worker does) gives exactly the one-call result; a sliced fit
// cancelled mid-epoch keeps the previous model; a fit cannot be concluded twice.
TEST(Detector, SlicedFitMatchesOneCallAndCancels) {
  Detector whole(quick_tabular("e2e", 3));
  const FitReport expected = whole.fit_table(breast_cancer(), breast_cancer_labels());
  Detector sliced(quick_tabular("e2e", 3));
  int progress_calls = 0;
  Fit job = sliced.start_fit_table(breast_cancer(), breast_cancer_labels(), [&](const TrainProgress&) { ++progress_calls; });
  int slices = 0;
  while (job.advance(0)) ++slices;  // one step (or epoch end) per slice
  EXPECT_GT(slices, 3 * 7);         // 3 epochs of 7 batches of 64 (~440 training rows) + epoch ends
  const FitReport report = sliced.finish_fit(std::move(job));
  EXPECT_FALSE(report.cancelled);
  EXPECT_EQ(progress_calls, slices + 1);
  EXPECT_EQ(report.test.roc_auc, expected.test.roc_auc);
  EXPECT_EQ(sliced.score_table(breast_cancer()), whole.score_table(breast_cancer()));

  const std::vector<float> before = sliced.score_table(breast_cancer());
  ProgressCallback none;
  Fit again = sliced.start_fit_table(breast_cancer(), breast_cancer_labels(), none);
  again.advance(0), again.advance(0);
  again.cancel();
  EXPECT_FALSE(again.advance(0));
  EXPECT_TRUE(sliced.finish_fit(std::move(again)).cancelled);
  EXPECT_EQ(sliced.score_table(breast_cancer()), before);
  EXPECT_EQ(error_of([&] { sliced.finish_fit(std::move(again)); }), "this fit has already been concluded");

  // Preset changes apply to one fit and become the detector's preset when it finishes.
  const FitReport one_epoch = sliced.fit(
      sliced.start_fit_table(breast_cancer(), breast_cancer_labels(), none, {{"training", {{"epochs", 1}}}}));
  EXPECT_EQ(one_epoch.history.size(), 1u);
  EXPECT_EQ(sliced.preset().json["training"]["epochs"], 1);
  EXPECT_EQ(sliced.preset().json["seed"], 1);  // the rest is kept
  EXPECT_EQ(error_of([&] { sliced.start_fit_table(breast_cancer(), breast_cancer_labels(), none, {{"kind", "image"}}); }),
            "a fit cannot change the detector's kind");
}

// gradient x input of the score's log-odds against central finite differences of it. The networks
// are piecewise linear (ReLU kinks): a difference across a kink is off, so 1 in 10 may differ
// (a wrong gradient -- the alarm's instead of the combined score's -- differs almost everywhere).
void expect_attribution_matches_differences(Detector& d, const Tensor& rows) {
  const int64_t n = rows.dim(0), features = rows.dim(1);
  const Tensor attribution = d.explain(rows);
  ASSERT_EQ(attribution.shape(), rows.shape());
  auto log_odds = [](double p) { return std::log(p / (1 - p)); };
  // Central difference of the log-odds along feature f of row r, step h, times the input.
  auto difference = [&](int64_t r, int64_t f, float h) {
    Tensor one({1, features});
    std::memcpy(one.mutable_data(), rows.data() + r * features, size_t(features) * sizeof(float));
    const float x = one.data()[f];
    one.mutable_data()[f] = x + h;
    const double up = log_odds(d.score_inputs(one)[0]);
    one.mutable_data()[f] = x - h;
    const double down = log_odds(d.score_inputs(one)[0]);
    return (up - down) / (2 * h) * x;
  };
  int checked = 0, differing = 0;
  for (int64_t r = 0; r < n; ++r)
    for (int64_t f = 0; f < features; ++f) {
      const float x = rows.data()[r * features + f];
      if (std::abs(x) < 0.2f) continue;  // gradient x input is tiny there; compare where it matters
      const double a = attribution.data()[r * features + f];
      auto close = [&](double numeric) { return std::abs(a - numeric) <= 2e-3 + 0.05 * std::abs(numeric); };
      // A step across a ReLU kink gives another slope: a second, smaller step avoids most kinks.
      const double coarse = difference(r, f, 1e-3f);
      if (!close(coarse) && !close(difference(r, f, 1e-4f))) {
        ++differing;
        std::fprintf(stderr, "row %lld feature %lld: attribution %.5f, finite difference %.5f\n", (long long)r,
                     (long long)f, a, coarse);
      }
      ++checked;
    }
  EXPECT_GT(checked, 10);
  EXPECT_LE(differing * 10, checked);
}

// The first `n` columns of an explanation: those that raise the score first, then those that lower
// it, each strongest first.
bool raising_first(const std::vector<ColumnContribution>& columns, size_t n) {
  for (size_t k = 1; k < n && k < columns.size(); ++k) {
    const float a = columns[k - 1].contribution, b = columns[k].contribution;
    if ((a <= 0 && b > 0) || ((a > 0) == (b > 0) && std::abs(a) < std::abs(b))) return false;
  }
  return true;
}

// `d` as it reads back from a model file written before every model of rows kept its normal
// training rows (models/demo/breast-cancer.ca3 is one, trained with labels): it fills a missing
// cell with the column's typical value and explains a row against the typical row.
Detector without_training_rows(Detector& d) {
  d.model().set_neighbours(Tensor({0, d.model().neighbour_embedding_size()}));
  const std::vector<uint8_t> bytes = d.save();
  return Detector::load(bytes.data(), bytes.size());
}

// explain_rows of a model without training rows: per row its line, score and flag, and the
// columns that move its score most -- the cell as written, the typical training value and
// explain()'s attribution summed over the column's inputs (a categorical column's one-hot inputs
// add up).
TEST(Detector, RowExplanationsNameColumnsCellsAndTypicalValues) {
  // Breast Cancer with a categorical column: "site" north / south, "east" on every 7th malignant row.
  std::string text = "Id,Cl.thickness,Cell.size,Cell.shape,Marg.adhesion,Epith.c.size,Bare.nuclei,Bl.cromatin,"
                     "Normal.nucleoli,Mitoses,Class,site\n";
  const CsvTable& bc = breast_cancer();
  for (size_t r = 0, malignant = 0; r < bc.row_count(); ++r) {
    for (size_t c = 0; c < bc.column_count(); ++c) text += std::string(bc.cell(r, c)) + ",";
    const bool bad = bc.cell(r, bc.column_count() - 1) == "malignant";
    text += bad && malignant++ % 7 == 0 ? "east\n" : (r % 2 ? "north\n" : "south\n");
  }
  const CsvTable table = parse_csv(text);
  Detector fitted(quick_tabular("e2e", 6));
  fitted.fit_table(table, breast_cancer_labels());
  Detector d = without_training_rows(fitted);
  const std::vector<float> scores = d.score_table(table);
  const int64_t worst = std::max_element(scores.begin(), scores.end()) - scores.begin();
  const int64_t best = std::min_element(scores.begin(), scores.end()) - scores.begin();

  const std::vector<RowExplanation> why = d.explain_rows(table, {worst, best}, 4);
  EXPECT_EQ(why[0].like_rows, 0);
  ASSERT_EQ(why.size(), 2u);
  EXPECT_EQ(why[0].row, worst);
  EXPECT_EQ(why[0].line, worst + 2);  // after the header, one line a row
  EXPECT_NEAR(why[0].score, scores[size_t(worst)], 1e-6);
  EXPECT_TRUE(why[0].flagged);
  EXPECT_FALSE(why[1].flagged);
  // The typical row: each column at its training median / most frequent category.
  std::string typical_csv;
  for (const ColumnTransform& t : d.preprocessing()->columns()) typical_csv += t.name + ",";
  typical_csv.back() = '\n';
  for (const ColumnTransform& t : d.preprocessing()->columns())
    typical_csv += (t.kind == ColumnTransform::Kind::numeric ? std::to_string(t.fill) : t.fill_category) + ",";
  typical_csv.back() = '\n';
  const float typical_score = d.score_table(parse_csv(typical_csv)).at(0);
  const Tensor typical = d.prepare_table(parse_csv(typical_csv)), inputs = d.prepare_table(table);
  const std::vector<std::string> features = d.preprocessing()->feature_names();
  const int64_t width = inputs.dim(1), steps = Detector::kExplainSteps;
  const auto log_odds = [](double p) { return std::log(p / (1 - p)); };
  for (const RowExplanation& e : why) {
    ASSERT_EQ(e.columns.size(), 4u);
    EXPECT_TRUE(raising_first(e.columns, 4)) << e.row;
    // Integrated gradients, one point of the path at a time: sum over k of gradient(typical +
    // (k + 1/2)/steps (row - typical)) (row - typical) / steps, summed over the column's inputs.
    std::vector<double> attribution(size_t(width), 0.0);
    for (int64_t k = 0; k < steps; ++k) {
      Tensor point({1, width});
      for (int64_t j = 0; j < width; ++j)
        point.mutable_data()[j] = typical.data()[j] + (float(k) + 0.5f) / float(steps) *
                                                          (inputs.data()[e.row * width + j] - typical.data()[j]);
      const Tensor g = d.model().score_gradient(point);
      for (int64_t j = 0; j < width; ++j)
        attribution[size_t(j)] += g.data()[j] * (inputs.data()[e.row * width + j] - typical.data()[j]) / double(steps);
    }
    for (const ColumnContribution& c : e.columns) {
      double sum = 0;
      for (size_t f = 0; f < features.size(); ++f)
        if (features[f] == c.column || features[f].rfind(c.column + "=", 0) == 0) sum += attribution[f];
      EXPECT_NEAR(c.contribution, sum, 1e-4 + 1e-3 * std::abs(sum)) << c.column;
      EXPECT_EQ(c.value, std::string(trim(table.cell(size_t(e.row), size_t(table.column_index(c.column))))));
      for (const ColumnTransform& t : d.preprocessing()->columns())
        if (t.name == c.column && t.kind == ColumnTransform::Kind::categorical) {
          EXPECT_EQ(c.typical, t.fill_category);
        }
    }
  }
  // A value equal to the typical one contributes nothing (the one-hot "site" as much as a number).
  int typical_values = 0;
  for (const RowExplanation& e : d.explain_rows(table, {0, 1, 2, 3, 4, 5, 6, 7}, 100))
    for (const ColumnContribution& c : e.columns)
      if (c.value == c.typical) {
        EXPECT_EQ(c.contribution, 0.f) << c.column;
        ++typical_values;
      }
  EXPECT_GT(typical_values, 10);
  // Summed over every column, the contributions are how far the row's log-odds lie from those of
  // the typical row (integrated gradients' completeness), far above for the most anomalous row and
  // below for the most normal one.
  const std::vector<RowExplanation> whole = d.explain_rows(table, {worst, best}, 100);
  ASSERT_EQ(whole[0].columns.size(), 10u);  // 9 measurements + site (Id and Class are not features)
  double total_worst = 0, total_best = 0;
  for (const ColumnContribution& c : whole[0].columns) total_worst += c.contribution;
  for (const ColumnContribution& c : whole[1].columns) total_best += c.contribution;
  const double apart_worst = log_odds(scores[size_t(worst)]) - log_odds(typical_score);
  const double apart_best = log_odds(scores[size_t(best)]) - log_odds(typical_score);
  std::printf("summed contributions: most anomalous row %+.3f (log-odds from the typical row's %+.3f), most normal "
              "row %+.3f (%+.3f)\n", total_worst, apart_worst, total_best, apart_best);
  EXPECT_NEAR(total_worst, apart_worst, 0.05 * std::abs(apart_worst) + 0.05);
  EXPECT_NEAR(total_best, apart_best, 0.05 * std::abs(apart_best) + 0.05);
  EXPECT_GT(total_worst, 1.0);
  EXPECT_LT(total_best, 0.0);
  EXPECT_NE(why[0].columns[0].value, why[0].columns[0].typical);
  EXPECT_GT(why[0].columns[0].contribution, 0.f);  // the flagged row's first named column raises its score
  std::printf("row %lld (score %.4f):", (long long)why[0].row, why[0].score);
  for (const ColumnContribution& c : why[0].columns)
    std::printf(" %s=%s (typical %s) %+.3f;", c.column.c_str(), c.value.c_str(), c.typical.c_str(), c.contribution);
  std::printf("\n");
  EXPECT_EQ(error_of([&] { d.explain_rows(table, {int64_t(table.row_count())}); }),
            "row 699 is not in the table (699 rows)");
}

// A row's missing cells are named after its strongest columns, however many are asked for: filled
// with the typical value, they move the score by nothing, and the reader must learn the score says
// nothing of them.
// The same cases as the SDK's likeRowsScore (sdk/test/sdk.test.mjs).
TEST(Detector, LikeRowsScoreOverNearOrApart) {
  const auto kind = [](int64_t like_rows, float score, float baseline_score) {
    RowExplanation e;
    e.like_rows = like_rows, e.score = score, e.baseline_score = baseline_score;
    return like_rows_score(e, 0.8f);  // log-odds 1.386
  };
  EXPECT_EQ(kind(5, 0.95f, 0.85f), LikeRowsScore::over);
  EXPECT_EQ(kind(1, 0.95f, 0.8f), LikeRowsScore::over);
  EXPECT_EQ(kind(5, 0.85f, 0.7f), LikeRowsScore::near);    // like rows 0.847 (within 1 below), the row 1.735
  EXPECT_EQ(kind(5, 0.95f, 0.7f), LikeRowsScore::apart);   // the row 2.944: far beyond them
  EXPECT_EQ(kind(5, 0.81f, 0.55f), LikeRowsScore::apart);  // like rows 0.2: more than 1 below
  EXPECT_EQ(kind(5, 0.79f, 0.75f), LikeRowsScore::apart);  // the row not flagged
  EXPECT_EQ(kind(0, 0.95f, 0.9f), LikeRowsScore::apart);   // the typical row
}

TEST(Detector, RowExplanationsNameMissingCellsAfterTheStrongest) {
  const CsvTable& bc = breast_cancer();
  Detector d(quick_tabular("e2e", 6));
  d.fit_table(bc, breast_cancer_labels());
  const std::vector<float> scores = d.score_table(bc);
  const int64_t worst = std::max_element(scores.begin(), scores.end()) - scores.begin();
  const std::vector<RowExplanation> all = d.explain_rows(bc, {worst}, 100);
  ASSERT_EQ(all[0].columns.size(), 9u);
  ASSERT_FALSE(all[0].columns.back().missing);
  // The row with its weakest column's cell blanked.
  const std::string weakest = std::min_element(all[0].columns.begin(), all[0].columns.end(), [](const auto& a, const auto& b) {
                                return std::abs(a.contribution) < std::abs(b.contribution);
                              })->column;
  std::string text;
  for (size_t c = 0; c < bc.column_count(); ++c) text += bc.header[c] + (c + 1 < bc.column_count() ? "," : "\n");
  for (size_t r = 0; r < bc.row_count(); ++r)
    for (size_t c = 0; c < bc.column_count(); ++c)
      text += (int64_t(r) == worst && bc.header[c] == weakest ? std::string() : std::string(bc.cell(r, c))) +
              (c + 1 < bc.column_count() ? "," : "\n");
  const CsvTable blanked = parse_csv(text);
  const std::vector<RowExplanation> why = d.explain_rows(blanked, {worst}, 3);
  ASSERT_EQ(why[0].columns.size(), 4u);
  for (size_t k = 0; k < 3; ++k) {  // (the blank moves the others' contributions a little: their order may change)
    EXPECT_FALSE(why[0].columns[k].missing);
    EXPECT_NE(why[0].columns[k].column, weakest);
  }
  EXPECT_TRUE(raising_first(why[0].columns, 3));
  const ColumnContribution& missing = why[0].columns[3];
  EXPECT_EQ(missing.column, weakest);
  EXPECT_TRUE(missing.missing);
  EXPECT_EQ(missing.value, "");
  EXPECT_EQ(missing.contribution, 0.f);
  for (const ColumnTransform& t : d.preprocessing()->columns())
    if (t.name == weakest) EXPECT_EQ(missing.typical, value_text(t, t.fill, NumberFormat{}));
  // Trained with labels, the model keeps its normal training rows all the same: the cell filled
  // from the 5 most like its row, and the row compared with them (its missing cell with that value).
  EXPECT_EQ(why[0].like_rows, 5);
  EXPECT_NE(missing.filled, "");
  EXPECT_EQ(missing.baseline, missing.filled);
  // A model file without them (written before they were kept): the typical value, the typical row.
  Detector older = without_training_rows(d);
  const std::vector<RowExplanation> typical = older.explain_rows(blanked, {worst}, 3);
  EXPECT_EQ(typical[0].like_rows, 0);
  EXPECT_EQ(typical[0].columns.back().filled, "");
  EXPECT_EQ(typical[0].columns.back().baseline, typical[0].columns.back().typical);
  // Rows without a missing cell: the strongest three alone.
  EXPECT_EQ(d.explain_rows(bc, {worst}, 3)[0].columns.size(), 3u);
}

// A missing cell is filled from the training rows most like its row (E2EConvA3::fill_from_neighbours):
// on Shuttle's normal rows, whose V7 goes with V1, V5 and V8, a third of the scored rows' V7
// left empty. With the training median in those cells the rows score as anomalies; filled from
// their nearest training rows they score as with their own values.
TEST(Detector, MissingCellsAreFilledFromTheMostSimilarTrainingRows) {
  const CsvTable shuttle = read_csv_file(testing::data_file("Shuttle.csv"));
  const int64_t label = shuttle.column_index("Class");
  std::vector<size_t> normal;
  for (size_t r = 0; r < shuttle.row_count() && normal.size() < 2600; ++r)
    if (shuttle.cell(r, size_t(label)) == "Rad.Flow") normal.push_back(r);
  // Rows [first, last) of the normal ones without the label column, V7 empty in every third.
  const auto rows_text = [&](size_t first, size_t last, bool blank) {
    std::string text = "V1,V2,V3,V4,V5,V6,V7,V8,V9\n";
    for (size_t k = first; k < last; ++k)
      for (size_t c = 0; c < 9; ++c)
        text += (blank && c == 6 && (k - first) % 3 == 0 ? std::string() : std::string(shuttle.cell(normal[k], c))) + (c < 8 ? "," : "\n");
    return parse_csv(text);
  };
  Detector d(quick_tabular("e2e", 8));
  d.fit_table(rows_text(0, 2000, false), TabularOptions{});
  ASSERT_EQ(d.preprocessing()->filled_from_rows(), E2EConvA3::kNeighbours);
  const CsvTable full = rows_text(2000, 2600, false), blanked = rows_text(2000, 2600, true);
  const Tensor truth = d.prepare_table(full), filled = d.prepare_table(blanked);
  const Tensor median = d.preprocessing()->transform(blanked);  // each empty cell the training median
  const int64_t width = truth.dim(1), v7 = 6;
  double filled_error = 0, median_error = 0;
  for (int64_t r = 0; r < truth.dim(0); r += 3) {
    filled_error += std::abs(filled.data()[r * width + v7] - truth.data()[r * width + v7]);
    median_error += std::abs(median.data()[r * width + v7] - truth.data()[r * width + v7]);
  }
  std::printf("V7 filled in 200 rows: mean |error| %.3f sd from the neighbours, %.3f from the median\n", filled_error / 200,
              median_error / 200);
  EXPECT_LT(filled_error, 0.2 * median_error);
  // Only the empty cells change.
  for (int64_t e = 0; e < truth.numel(); ++e)
    if (e % width != v7 || (e / width) % 3 != 0) ASSERT_EQ(filled.data()[e], truth.data()[e]) << e;
  const auto flagged_in_blanked_rows = [&](const std::vector<float>& scores) {
    int flagged = 0;
    for (size_t r = 0; r < scores.size(); r += 3) flagged += scores[r] >= d.threshold();
    return flagged;
  };
  const int as_written = flagged_in_blanked_rows(d.score_table(full)), from_rows = flagged_in_blanked_rows(d.score_table(blanked)),
            from_median = flagged_in_blanked_rows(d.model().score(median));
  std::printf("of the 200 rows with V7 empty, flagged: %d with their own V7, %d filled from the nearest rows, %d with the median\n",
              as_written, from_rows, from_median);
  EXPECT_LE(from_rows, as_written + 4);
  EXPECT_GE(from_median, from_rows + 10);
  // Trained on rows with V7 empty in a third of them too: those are filled alike, from the
  // complete training rows (said in the column's decision), and the scored rows as before.
  Detector with_blanks(quick_tabular("e2e", 8));
  with_blanks.fit_table(rows_text(0, 2000, true), TabularOptions{});
  EXPECT_NE(with_blanks.preprocessing()->schema().at(6).reason.find(") filled in from the 5 training rows most like their row"),
            std::string::npos) << with_blanks.preprocessing()->schema().at(6).reason;
  const auto flagged_by = [&](Detector& detector, const CsvTable& table) {
    int flagged = 0;
    const std::vector<float> scores = detector.score_table(table);
    for (size_t r = 0; r < scores.size(); r += 3) flagged += scores[r] >= detector.threshold();
    return flagged;
  };
  const Tensor refilled = with_blanks.prepare_table(blanked), retruth = with_blanks.prepare_table(full),
               remedian = with_blanks.preprocessing()->transform(blanked);
  double refilled_error = 0, remedian_error = 0;
  for (int64_t r = 0; r < truth.dim(0); r += 3) {
    refilled_error += std::abs(refilled.data()[r * width + v7] - retruth.data()[r * width + v7]);
    remedian_error += std::abs(remedian.data()[r * width + v7] - retruth.data()[r * width + v7]);
  }
  std::printf("trained with V7 empty in a third of the rows: mean |error| %.3f sd from the neighbours, %.3f from the median\n",
              refilled_error / 200, remedian_error / 200);
  EXPECT_LT(refilled_error, 0.2 * remedian_error);
  const int trained_as_written = flagged_by(with_blanks, full), trained_from_rows = flagged_by(with_blanks, blanked);
  std::printf("trained with V7 empty in a third of the rows: %d flagged with their own V7, %d filled from the nearest rows\n",
              trained_as_written, trained_from_rows);
  EXPECT_LE(trained_from_rows, trained_as_written + 4);
  // The explanation names the value filled in, in the column's unit, beside the typical one.
  const std::vector<RowExplanation> why = d.explain_rows(blanked, {0}, 9);
  const auto cell = std::find_if(why[0].columns.begin(), why[0].columns.end(), [](const ColumnContribution& c) { return c.column == "V7"; });
  ASSERT_NE(cell, why[0].columns.end());
  EXPECT_TRUE(cell->missing);
  EXPECT_NE(cell->filled, cell->typical);
  EXPECT_NEAR(std::stod(cell->filled), std::stod(std::string(full.cell(0, 6))), 3.0) << cell->filled;
  // A loaded model fills as the fitted one.
  Detector loaded = Detector::load(d.save().data(), d.save().size());
  EXPECT_EQ(loaded.score_table(blanked), d.score_table(blanked));
  const std::vector<std::string> notes = loaded.preprocessing()->scoring_notes(blanked);
  EXPECT_NE(std::find(notes.begin(), notes.end(),
                      "missing cells filled in, each from the 5 training rows most like its row in the other columns (their mean, or "
                      "the category most of them have): 'V7' 200 cells on lines 2, 5, 8 and 197 more"),
            notes.end()) << ::testing::PrintToString(notes);
}

// A categorical cell too: Glass's type, a column of the rows (role categorical), left empty in the
// half of the rows scored; filled from the rows of most like composition, it is right more often
// than the most frequent type.
TEST(Detector, MissingCategoriesAreFilledFromTheMostSimilarTrainingRows) {
  const CsvTable glass = read_csv_file(testing::data_file("Glass.csv"));
  const int64_t type = glass.column_index("Type");
  std::vector<size_t> even, odd;
  for (size_t r = 0; r < glass.row_count(); ++r) (r % 2 ? odd : even).push_back(r);
  CsvTable blanked = glass.select_rows({});
  std::vector<std::string_view> cells(glass.column_count());
  for (const size_t r : odd) {
    for (size_t c = 0; c < cells.size(); ++c) cells[c] = c == size_t(type) ? std::string_view() : glass.cell(r, c);
    blanked.add_row(cells, glass.row_line(r));
  }
  TabularOptions options;
  options.roles["Type"] = ColumnRole::categorical;
  Detector d(quick_tabular("e2e", 8));
  d.fit_table(glass.select_rows(even), options);
  const std::vector<RowExplanation> why = d.explain_rows(blanked, [&] {
    std::vector<int64_t> all(odd.size());
    std::iota(all.begin(), all.end(), 0);
    return all;
  }(), 20);
  int right = 0, typical_right = 0;
  for (size_t i = 0; i < why.size(); ++i)
    for (const ColumnContribution& c : why[i].columns)
      if (c.column == "Type") {
        EXPECT_TRUE(c.missing);
        right += c.filled == glass.cell(odd[i], size_t(type));
        typical_right += c.typical == glass.cell(odd[i], size_t(type));
      }
  std::printf("Glass type filled in %zu rows: right in %d from the nearest rows, %d as the most frequent type\n", odd.size(), right,
              typical_right);
  EXPECT_GE(right, typical_right + 20);
}

// A grouped report (a region and a branch written in their group's first row only, blank below):
// filled down, the model learns each branch's sales; the two months whose sales were cut to a
// third rank first and second of the later report's 132 rows (imputed as missing instead, with
// the roles given by hand: second and fifth), and an explanation shows the branch a blank cell
// stands for.
TEST(Detector, GroupedReportsAreFilledDown) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> regions{
      {"Nord", {"Hamburg", "Kiel", "Bremen"}}, {"Süd", {"München", "Augsburg", "Passau"}}, {"Ost", {"Leipzig", "Dresden"}},
      {"West", {"Köln", "Essen", "Bonn"}}};
  const double level[] = {33, 105, 58, 91, 44, 76, 27, 64, 112, 49, 83};
  uint32_t state = 7;
  const auto noise = [&] {  // 0.9 to 1.1
    state = state * 1664525u + 1013904223u;
    return 0.9 + 0.2 * double(state >> 8) / double(1u << 24);
  };
  // (with `totals`, as a spreadsheet's subtotals: a totals row after each branch and a grand total)
  const auto report = [&](const std::vector<std::string>& months, const std::string& cut_a, const std::string& cut_b,
                          bool totals = false) {
    std::string text = "Region;Filiale;Monat;Umsatz;Kunden\n";
    int branch = 0;
    double all_sales = 0, all_customers = 0;
    for (const auto& [region, branches] : regions)
      for (size_t f = 0; f < branches.size(); ++f, ++branch) {
        double branch_sales = 0, branch_customers = 0;
        for (size_t m = 0; m < months.size(); ++m) {
          double sales = level[branch] * noise();
          const double customers = sales * 10 * noise();
          if (branches[f] + months[m] == cut_a || branches[f] + months[m] == cut_b) sales *= 0.3;
          branch_sales += std::round(sales * 10) / 10, branch_customers += std::round(customers);
          char cells[64];
          std::snprintf(cells, sizeof cells, "%.1f;%.0f", sales, customers);
          std::string row = std::string(f == 0 && m == 0 ? region : "") + ";" + (m == 0 ? branches[f] : "") + ";" + months[m] + ";" + cells;
          std::replace(row.begin(), row.end(), '.', ',');
          text += row + "\n";
        }
        all_sales += branch_sales, all_customers += branch_customers;
        char row[96];
        std::snprintf(row, sizeof row, ";%s Ergebnis;;%.1f;%.0f\n", branches[f].c_str(), branch_sales, branch_customers);
        if (totals) text += row;
      }
    char row[64];
    std::snprintf(row, sizeof row, "Gesamtergebnis;;;%.1f;%.0f\n", all_sales, all_customers);
    if (totals) text += row;
    for (char& c : text) c = c == '.' ? ',' : c;
    return parse_csv(text);
  };
  std::vector<std::string> past, later;
  for (int m = 1; m <= 12; ++m) {
    char month[16];
    for (int year : {2022, 2023}) std::snprintf(month, sizeof month, "%d-%02d", year, m), past.push_back(month);
    std::snprintf(month, sizeof month, "2024-%02d", m), later.push_back(month);
  }
  std::sort(past.begin(), past.end());
  Detector d(Preset::from_json({{"kind", "tabular"}}));
  d.fit_table(report(past, "", ""), TabularOptions{});
  EXPECT_EQ(d.preprocessing()->filled_columns(), (std::vector<std::string>{d.preprocessing()->columns()[0].name, d.preprocessing()->columns()[1].name}));
  const CsvTable scored = report(later, "Kiel2024-03", "Köln2024-07");
  const std::vector<float> scores = d.score_table(scored);
  std::vector<int64_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return scores[size_t(a)] > scores[size_t(b)]; });
  const int64_t kiel = 12 + 2, koeln = 12 * 8 + 6;  // rows: twelve months a branch, Kiel the second, Köln the ninth
  EXPECT_EQ(std::set<int64_t>(order.begin(), order.begin() + 2), (std::set<int64_t>{kiel, koeln}));
  const std::vector<RowExplanation> why = d.explain_rows(scored, {koeln}, 10);
  EXPECT_EQ(scored.cell(size_t(koeln), 1), "");
  for (const ColumnContribution& c : why.at(0).columns)
    if (c.column == "Filiale" || c.column == "Region") {
      EXPECT_EQ(c.value, c.column == "Filiale" ? "Köln" : "West");
      EXPECT_FALSE(c.missing);
    }
  // A model trained on the same months written flat (every row its region and branch) reads the
  // grouped report's blank cells as the group's value too: the two cut months first, flagged, and
  // no more than a few other rows (read as missing cells, most rows had been flagged, the cut
  // months not both first).
  Detector flat(Preset::from_json({{"kind", "tabular"}}));
  const std::optional<CsvTable> past_written = d.preprocessing()->filled_down(report(past, "", ""));
  ASSERT_TRUE(past_written);
  flat.fit_table(parse_csv(write_csv(*past_written)), TabularOptions{});
  EXPECT_TRUE(flat.preprocessing()->filled_columns().empty());
  const std::vector<float> flat_scores = flat.score_table(scored);
  std::vector<int64_t> flat_order(flat_scores.size());
  std::iota(flat_order.begin(), flat_order.end(), 0);
  std::sort(flat_order.begin(), flat_order.end(), [&](int64_t a, int64_t b) { return flat_scores[size_t(a)] > flat_scores[size_t(b)]; });
  EXPECT_EQ(std::set<int64_t>(flat_order.begin(), flat_order.begin() + 2), (std::set<int64_t>{kiel, koeln}));
  EXPECT_GE(flat_scores[size_t(kiel)], flat.threshold());
  EXPECT_GE(flat_scores[size_t(koeln)], flat.threshold());
  EXPECT_LE(std::count_if(flat_scores.begin(), flat_scores.end(), [&](float v) { return v >= flat.threshold(); }), 8);
  // Subtotals after each branch and a grand total (found as in training: their numbers are the
  // sums): no score (NaN), the two cut months still first; in a scored CSV, empty cells.
  const CsvTable with_totals = report(later, "Kiel2024-03", "Köln2024-07", true);
  const std::vector<float> totals_scores = d.score_table(with_totals);
  ASSERT_EQ(totals_scores.size(), 11u * 13 + 1);
  std::vector<int64_t> not_scored, ranked;
  for (size_t r = 0; r < totals_scores.size(); ++r) (std::isnan(totals_scores[r]) ? not_scored : ranked).push_back(int64_t(r));
  std::vector<int64_t> totals_rows;
  for (int64_t b = 0; b < 11; ++b) totals_rows.push_back(13 * b + 12);
  totals_rows.push_back(11 * 13);
  EXPECT_EQ(not_scored, totals_rows);
  std::sort(ranked.begin(), ranked.end(), [&](int64_t a, int64_t b) { return totals_scores[size_t(a)] > totals_scores[size_t(b)]; });
  EXPECT_EQ(std::set<int64_t>(ranked.begin(), ranked.begin() + 2), (std::set<int64_t>{13 + 2, 13 * 8 + 6}));
  const std::vector<std::string> said = d.preprocessing()->scoring_notes(with_totals);
  EXPECT_EQ(said.at(0).substr(0, 49), "lines 14 ('Hamburg Ergebnis', a sum in 'Umsatz'),") << said.at(0);
  EXPECT_NE(said.at(0).find("are totals rows (their numbers are the sums of the rows above or below them): not scored (no score, "
                            "no flag)"), std::string::npos) << said.at(0);
  for (size_t i = 1; i < said.size(); ++i) EXPECT_EQ(said[i].find("Ergebnis"), std::string::npos) << said[i];  // their cells not counted
  const auto filled_note = [](const std::vector<std::string>& notes) {
    for (const std::string& note : notes)
      if (note.rfind("blank cells of a grouped report's column", 0) == 0) return note;
    return std::string();
  };
  EXPECT_NE(filled_note(said), "");  // the region's blank cells in the totals rows not counted either
  EXPECT_EQ(filled_note(said), filled_note(d.preprocessing()->scoring_notes(scored)));
  try {  // nothing to explain either
    d.explain_rows(with_totals, {3, 12}, 3);
    ADD_FAILURE() << "explained a totals row";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "row 12 (line 14) holds no sample (a group's heading line, a totals or averages row): it has no score to explain");
  }
  const CsvTable written = with_score_columns(with_totals, totals_scores, d.threshold());
  EXPECT_EQ(written.cell(12, 5), "");
  EXPECT_EQ(written.cell(12, 6), "");
  EXPECT_NE(written.cell(13, 5), "");
  // Measured against labels, the rows without a score are left out and counted.
  std::vector<int> truth(totals_scores.size(), 0);
  truth[13 + 2] = truth[13 * 8 + 6] = 1;
  const Metrics m = d.evaluate(totals_scores, truth);
  EXPECT_EQ(m.not_scored, 12);
  EXPECT_EQ(m.normal + m.anomalies, 11 * 12);
  EXPECT_EQ(m.roc_auc, 1.0);
  // Groups opened by heading lines ("Nord;;;;"): training takes the lines out, their region given
  // to the group's first row, and says so.
  std::string headed = "Region;Filiale;Monat;Umsatz;Kunden\n";
  for (const char* region : {"Nord", "Süd"}) {
    headed += std::string(region) + ";;;;\n";
    for (int f = 0; f < 2; ++f)
      for (int m = 1; m <= 6; ++m) headed += detail::concat(";", m == 1 ? "F" + std::to_string(f) : "", ";", m, ";", 100 + 10 * f + m, ";", 40 + m, "\n");
  }
  const Fit fit = d.start_fit_table(parse_csv(headed), TabularOptions{});
  EXPECT_EQ(fit.data_description()["rows"], 24);
  EXPECT_EQ(fit.data_description()["notes"].at(0), "lines 2 ('Nord'), 15 ('Süd') are groups' heading lines (values in the first "
                                                    "columns only, above the group's rows): their values given to the row below, the "
                                                    "lines left out of training");
  for (const nlohmann::json& column : fit.data_description()["columns"]) EXPECT_EQ(column["missing"], 0) << column;
  // Scoring a file laid out so gives the heading lines no score, and the rows below them their region.
  const std::vector<float> headed_scores = d.score_table(parse_csv(headed));
  for (size_t r = 0; r < headed_scores.size(); ++r) EXPECT_EQ(std::isnan(headed_scores[r]), r == 0 || r == 13) << r;
}

// A row is compared with the training rows most like it (E2EConvA3::like_rows), not with the
// typical row of all of them: machines idle, running or boosting, each mode with its own rpm,
// temperature and vibration (helper-120's file). The typical row is a running machine's; an idle
// machine as hot as a running one was explained by shares of nothing ("vibration=0.524 (typical
// 1.339) +0.13; temp=61.16 (typical 62.03) -0.07"). Compared with idle machines, its temperature
// is the reason; a running machine's vibration of twice its kind's, which lies nearest a boosting
// machine's, is compared with running machines', not boosting ones'.
TEST(Detector, RowsAreExplainedAgainstTheTrainingRowsMostLikeThem) {
  std::mt19937 random(7);
  struct Mode {
    const char* name;
    double rpm, temp, vibration;
  };
  const Mode modes[] = {{"idle", 800, 40, 0.5}, {"run", 2200, 65, 1.5}, {"boost", 3500, 85, 3.0}};
  std::string text = "mode,rpm,temp,vibration\n";
  std::discrete_distribution<int> pick({0.4, 0.45, 0.15});
  std::normal_distribution<double> unit(0, 1);
  for (int i = 0; i < 1000; ++i) {
    const Mode& m = modes[pick(random)];
    text += detail::concat(m.name, ",", std::round(m.rpm * (1 + 0.04 * unit(random))), ",", std::round((m.temp + 2 * unit(random)) * 10) / 10,
                           ",", std::round(m.vibration * (1 + 0.08 * unit(random)) * 1000) / 1000, "\n");
  }
  Detector d(quick_tabular("e2e", 8));
  d.fit_table(parse_csv(text), TabularOptions{});
  // an idle machine too hot, a running one shaking, an idle one at a boosting rpm; a normal idle one
  const CsvTable scored = parse_csv("mode,rpm,temp,vibration\nidle,790,61.2,0.52\nrun,2250,66.1,4.0\nidle,3460,40.5,0.55\nidle,810,40.3,0.49\n");
  const std::vector<RowExplanation> why = d.explain_rows(scored, {0, 1, 2, 3}, 4);
  struct Planted {
    const char* column;
    double below;  // the like rows' value of its kind lies below it
  };
  const Planted planted[] = {{"temp", 48}, {"vibration", 2.0}, {"rpm", 1000}};
  for (size_t r = 0; r < 3; ++r) {
    const RowExplanation& e = why[r];
    std::printf("line %lld (score %.4f):", (long long)e.line, e.score);
    for (const ColumnContribution& c : e.columns)
      std::printf(" %s=%s (like rows %s, typical %s) %+.3f;", c.column.c_str(), c.value.c_str(), c.baseline.c_str(), c.typical.c_str(),
                  c.contribution);
    std::printf("\n");
    EXPECT_TRUE(e.flagged) << e.line;
    EXPECT_EQ(e.like_rows, 5);
    ASSERT_EQ(e.columns.size(), 4u);
    // the planted column first, by far; the like rows of the row's own mode
    EXPECT_EQ(e.columns[0].column, planted[r].column) << e.line;
    EXPECT_GT(e.columns[0].contribution, 2.f);
    EXPECT_GT(e.columns[0].contribution, 4 * std::abs(e.columns[1].contribution)) << e.line;
    EXPECT_LT(std::stod(e.columns[0].baseline), planted[r].below) << e.line;
    for (const ColumnContribution& c : e.columns)
      if (c.column == "mode") EXPECT_EQ(c.baseline, c.value) << e.line;
  }
  // The typical row is a running machine's, the idle rows' temperature is not.
  for (const ColumnContribution& c : why[0].columns)
    if (c.column == "temp") EXPECT_GT(std::stod(c.typical), 55);
  EXPECT_FALSE(why[3].flagged);
  // Summed over every column, the contributions are about how far the row's log-odds lie from
  // those of its like row (integrated gradients' completeness). The neighbour distance's nearest
  // rows switch along the path (an idle machine heated to a running one's temperature passes from
  // idle rows to running ones), a jump the gradient does not see: the remainder is a few per cent
  // natively, a third for the too-hot idle row in the WebAssembly build (its model trains to other
  // weights), so the sum is held to that.
  const Tensor inputs = d.prepare_table(scored);
  const Tensor like = d.model().like_rows(inputs, std::vector<uint8_t>(size_t(inputs.numel()), 0));
  const std::vector<float> like_scores = d.model().score(like);
  const auto log_odds = [](double p) { return std::log(p / (1 - p)); };
  for (size_t r = 0; r < 4; ++r) {
    double total = 0;
    for (const ColumnContribution& c : why[r].columns) total += c.contribution;
    const double apart = log_odds(why[r].score) - log_odds(like_scores[r]);
    std::printf("line %lld: contributions sum to %+.3f, log-odds from its like row's %+.3f\n", (long long)why[r].line, total, apart);
    EXPECT_NEAR(total, apart, 0.35 * std::abs(apart) + 0.05) << why[r].line;
  }
}

// A checkbox column's empty cell is a value, "(empty)", in an explanation too: not "missing", and
// where it is what the row is compared with it contributes nothing.
TEST(Detector, EmptyCheckboxCellsAreExplainedAsAValue) {
  std::string text = "express;geprueft;gewicht\n";
  for (int i = 0; i < 80; ++i)
    text += std::string(i % 10 == 0 ? "x" : "") + ";" + (i % 10 == 5 ? "" : "X") + ";" + std::to_string(5 + i % 7) + "\n";
  const CsvTable table = parse_csv(text);
  Detector d(quick_tabular("e2e", 1));
  d.fit_table(table, TabularOptions{});
  const std::vector<RowExplanation> why = d.explain_rows(table, {5}, 3);  // express and geprueft both empty
  std::map<std::string, ColumnContribution> by_column;
  for (const ColumnContribution& c : why.at(0).columns) by_column[c.column] = c;
  EXPECT_EQ(by_column.at("express").value, "(empty)");
  EXPECT_FALSE(by_column.at("express").missing);
  EXPECT_EQ(by_column.at("express").typical, "(empty)");
  EXPECT_EQ(by_column.at("express").contribution, 0.f);
  EXPECT_EQ(by_column.at("geprueft").value, "(empty)");
  EXPECT_FALSE(by_column.at("geprueft").missing);
  EXPECT_EQ(by_column.at("geprueft").typical, "X");
  // empty in one row in ten whatever the other columns, so not off what they lead one to expect:
  // compared with training rows like it that have it empty too, not with "X"
  EXPECT_EQ(why.at(0).like_rows, 5);
  EXPECT_EQ(by_column.at("geprueft").baseline, "(empty)");
  EXPECT_EQ(by_column.at("geprueft").contribution, 0.f);
  // Saved with the model: the typical value of a checkbox column whose value is the more frequent.
  const TabularPreprocessor loaded = TabularPreprocessor::from_json(d.preprocessing()->to_json());
  EXPECT_EQ(loaded.columns().at(1).typical_category, "X");
  EXPECT_EQ(loaded.columns().at(1).fill_category, "(empty)");
  EXPECT_EQ(loaded.columns().at(0).typical_category, "(empty)");
}

// A code column empty in most rows (a machine's error code, written when there is one): an empty
// cell says "no error", a value of its own. Imputed with the most frequent code, a machine running
// hot without its overheating code would read as one with it, and score as normal.
TEST(Detector, MostlyEmptyCodeColumnsKeepTheEmptyCellAsAValue) {
  uint32_t state = 11;
  const auto noise = [&] {  // -1 to 1
    state = state * 1664525u + 1013904223u;
    return 2.0 * double(state >> 8) / double(1u << 24) - 1.0;
  };
  std::string text = "temperatur;druck;fehler\n";
  for (int i = 0; i < 600; ++i) {
    const bool hot = i % 16 == 3, low = i % 25 == 7;  // E07 overheating, E12 pressure loss
    char row[96];
    std::snprintf(row, sizeof row, "%.1f;%.2f;%s\n", (hot ? 86 : 60) + 3 * noise(), (low ? 2.1 : 4.0) + 0.2 * noise(),
                  hot ? "E07" : low ? "E12" : "");
    text += row;
  }
  const CsvTable table = parse_csv(text);
  Detector d(quick_tabular("e2e", 1));
  const FitReport report = d.fit_table(table, TabularOptions{});
  const ColumnTransform& code = d.preprocessing()->columns().at(2);
  EXPECT_EQ(code.fill_category, "(empty)");
  EXPECT_EQ(code.typical_category, "(empty)");
  EXPECT_EQ(code.categories, (std::vector<std::string>{"(empty)", "E07", "E12"}));
  EXPECT_EQ(d.preprocessing()->schema().at(2).reason, "2 values, 539 empty cells, more than any value has: read as a value of "
                                                      "their own, '(empty)' (none written), not imputed")
      << d.preprocessing()->schema().at(2).reason;
  EXPECT_NE(describe_columns(table)[2].reason.find("539 empty cells, more than any value has"), std::string::npos);
  // Running hot with its code, and without it: the second is the anomaly.
  const std::vector<float> scores = d.score_table(parse_csv("temperatur;druck;fehler\n86,2;4,01;E07\n86,2;4,01;\n60,3;3,98;\n"));
  EXPECT_GT(scores[1], d.threshold()) << scores[1];
  EXPECT_LT(scores[0], scores[1]);
  EXPECT_LT(scores[2], d.threshold());
  EXPECT_TRUE(d.preprocessing()->scoring_notes(parse_csv("temperatur;druck;fehler\n86.2;4.01;\n")).empty());
  (void)report;
}

// The typical value is written as the column's cells are: a duration as hours:minutes (seconds
// when there are any), an amount with its unit and the file's decimal mark.
TEST(Detector, TypicalValuesAreWrittenAsTheCells) {
  std::string text = "dauer;betrag;menge;status\n";
  for (int i = 0; i < 60; ++i)
    text += std::to_string(30 + i % 9) + ":" + std::to_string(10 + i % 40) + ":00;1." + std::to_string(200 + i) + ",50 \xE2\x82\xAC;" +
            std::to_string(i % 7) + (i % 10 == 9 ? ";bad\n" : ";ok\n");
  const CsvTable table = parse_csv(text);
  TabularOptions options;
  options.label_column = "status";
  options.normal_values = {"ok"};
  Detector d(quick_tabular("e2e", 1));
  d.fit_table(table, options);
  const std::vector<RowExplanation> why = d.explain_rows(table, {0}, 3);
  std::map<std::string, std::string> typical;
  for (const ColumnContribution& c : why[0].columns) typical[c.column] = c.typical;
  const long long median = std::llround(d.preprocessing()->columns().at(0).fill);  // seconds, a whole minute here
  EXPECT_EQ(typical.at("dauer"), std::to_string(median / 3600) + ":" + std::to_string(median / 60 % 60));
  EXPECT_GE(median / 3600, 30);
  EXPECT_EQ(typical.at("betrag").substr(typical.at("betrag").size() - 4), " \xE2\x82\xAC");
  EXPECT_NE(typical.at("betrag").find(','), std::string::npos);
  // A cell in another size of its column's unit is shown also as read, in the typical value's unit
  // (with the thousands separator a decimal comma admits: the file has no number of 1,000 or more to
  // tell whether it groups digits; one that writes "1866" is shown so, see writing_format).
  std::string sized = "gewicht;menge\n";
  for (int i = 0; i < 60; ++i) sized += (i == 7 ? std::string("1,2 kg") : std::to_string(800 + i % 13) + " g") + ";" + std::to_string(i % 5) + "\n";
  const CsvTable weights = parse_csv(sized);
  Detector w(quick_tabular("e2e", 1));
  w.fit_table(weights, TabularOptions{});
  const std::vector<RowExplanation> rows = w.explain_rows(weights, {7, 8}, 2);
  std::map<std::string, std::string> shown, plain;
  for (const ColumnContribution& c : rows.at(0).columns) shown[c.column] = c.value;
  for (const ColumnContribution& c : rows.at(1).columns) plain[c.column] = c.value;
  EXPECT_EQ(shown.at("gewicht"), "1,2 kg = 1.200 g");
  EXPECT_EQ(plain.at("gewicht"), "808 g");
  // A file that writes numbers of 1,000 or more without groups: shown without them.
  std::string large = "gewicht;menge\n";
  for (int i = 0; i < 60; ++i) large += (i == 7 ? std::string("1,9 kg") : std::to_string(1800 + i % 13) + " g") + ";" + std::to_string(i % 5) + "\n";
  const CsvTable heavy = parse_csv(large);
  Detector h(quick_tabular("e2e", 1));
  h.fit_table(heavy, TabularOptions{});
  const std::vector<RowExplanation> heavy_why = h.explain_rows(heavy, {7}, 2);
  for (const ColumnContribution& c : heavy_why.at(0).columns)
    if (c.column == "gewicht") {
      EXPECT_EQ(c.value, "1,9 kg = 1900 g");
      EXPECT_EQ(c.typical.find('.'), std::string::npos) << c.typical;
    }
}

// The views behind "why is this flagged": reconstruction (its error is the reconstruction score),
// the alarm's input stack (shape and layer channels), and gradient x input checked against
// central finite differences of the score.
TEST(Detector, ReconstructionActivationsAndExplanation) {
  Detector d(quick_tabular("e2e", 3));
  d.fit_table(breast_cancer(), breast_cancer_labels());
  const Tensor all = d.prepare_table(breast_cancer());
  const int64_t features = all.dim(1);
  Tensor rows({4, features});
  for (int64_t r = 0; r < 4; ++r)
    for (int64_t f = 0; f < features; ++f) rows.mutable_data()[r * features + f] = all.data()[(r * 97) * features + f];

  const Tensor reconstruction = d.reconstruct(rows);
  ASSERT_EQ(reconstruction.shape(), rows.shape());
  const std::vector<float> errors = d.model().reconstruction_error(rows);
  for (int64_t r = 0; r < 4; ++r) {
    double se = 0;
    for (int64_t f = 0; f < features; ++f) {
      const double diff = reconstruction.data()[r * features + f] - rows.data()[r * features + f];
      se += diff * diff;
    }
    EXPECT_NEAR(se / double(features), errors[size_t(r)], 1e-5);
  }

  const E2EConvA3::AlarmInput stack = d.alarm_input(rows);
  EXPECT_EQ(stack.layer_channels, (std::vector<int64_t>{32, 64}));  // the tabular preset's encoder
  ASSERT_EQ(stack.stack.shape().size(), 3u);
  EXPECT_EQ(stack.stack.dim(0), 4);
  EXPECT_EQ(stack.stack.dim(2), 96);

  expect_attribution_matches_differences(d, rows);
}

// A file of one row repeated, with a few others (a status log: the machine idles most of the
// time). The repeated row is the most normal there is: it scores below every other row (the
// neighbour distance counts a row as often as the training rows repeat it, up to the 5 it
// averages over). With this seed every normal validation row is the repeated one, so each term
// of the score is the same on all of them and has no spread there: it is scaled by its spread over
// the training rows, and the other rows keep their order below 1 (at standardise's floor they
// all scored 1, tied).
TEST(Detector, RowsUnlikeARepeatedRowScoreAboveItInOrder) {
  std::string csv = "line,speed,status\n";
  for (int i = 0; i < 100; ++i)
    csv += i % 12 == 5 ? detail::concat(i % 24 == 5 ? "B" : "A", ",", 110 + 10 * (i % 5), ",", i % 36 == 5 ? "stop" : "ok", "\n")
                       : std::string("A,100,ok\n");
  Detector d(Preset::from_json({{"kind", "tabular"}, {"training", {{"epochs", 5}}}, {"seed", 4}}));
  d.fit_table(parse_csv(csv), TabularOptions{});
  const std::vector<float> scores = d.score_table(parse_csv(csv));
  ASSERT_NEAR(scores[0], 0.5f, 1e-3f) << "every normal validation row is the repeated one (each term at its mean)";
  std::set<float> unusual;
  for (int i = 0; i < 100; ++i) {
    if (i % 12 != 5) {
      EXPECT_EQ(scores[size_t(i)], scores[0]) << "row " << i;
      continue;
    }
    EXPECT_GT(scores[size_t(i)], scores[0] + 0.1f) << "row " << i;
    EXPECT_LT(scores[size_t(i)], 0.9999f) << "row " << i;
    unusual.insert(scores[size_t(i)]);
  }
  EXPECT_GE(unusual.size(), 6u);
}

// A held-out row far beyond every other (the one-class fit takes it as normal) scores 1, the top
// of the combined score's sigmoid: the rate's threshold would lie just above it, above every score
// there is, and flag nothing ever. It is 1, flags that row, and the report counts it.
TEST(Detector, AThresholdAboveEveryScoreIsSetAtTheTop) {
  std::string csv = "temperature,pressure\n";
  for (int i = 0; i < 60; ++i) csv += detail::concat((i * 37) % 11 - 5, ".", i % 10, ",", 1000 + (i * 13) % 17, "\n");
  csv += "-90000,1004\n";
  Detector d(Preset::from_json({{"kind", "tabular"}, {"training", {{"epochs", 3}}}, {"seed", 12}}));
  const FitReport r = d.fit_table(parse_csv(csv), TabularOptions{});
  const std::vector<float> scores = d.score_table(parse_csv(csv));
  ASSERT_EQ(scores.back(), 1.f) << "the far row is held out with this seed";
  EXPECT_EQ(d.threshold(), 1.f);
  EXPECT_EQ(r.threshold_at_top, 1);
  EXPECT_EQ(r.test.confusion.false_positives, 1);  // the far row, in the test split
  // The share flagged on new rows: 1 of the 12 held-out rows flagged (Beta(2, 11)).
  EXPECT_NEAR(r.threshold_share.low, 0.0302, 1e-3);
  EXPECT_GT(r.threshold_share.high, 0.3);
  for (size_t i = 0; i + 1 < scores.size(); ++i) EXPECT_LT(scores[i], 1.f) << "row " << i;
}

// Without labels the score combines the alarm, the reconstruction error and how far out a row lies
// in its columns: the attribution explains that score (its log-odds), not the alarm alone.
TEST(Detector, ExplanationOfTheCombinedOneClassScore) {
  Detector d(quick_tabular("e2e", 3));
  TabularOptions one_class;  // no label column: every row normal, synthetic anomalies
  d.fit_table(breast_cancer(), one_class);
  ASSERT_TRUE(d.model().combined_score());
  const Tensor all = d.prepare_table(breast_cancer());
  const int64_t features = all.dim(1);
  Tensor rows({4, features});
  for (int64_t r = 0; r < 4; ++r)
    for (int64_t f = 0; f < features; ++f) rows.mutable_data()[r * features + f] = all.data()[(r * 89 + 5) * features + f];
  expect_attribution_matches_differences(d, rows);
}

TEST(ModelFile, RoundTripScoresIdentically) {
  Detector d(quick_tabular("e2e", 3));
  d.fit_table(breast_cancer(), breast_cancer_labels());
  const std::vector<uint8_t> bytes = d.save();
  Detector loaded = Detector::load(bytes.data(), bytes.size());
  EXPECT_EQ(loaded.score_table(breast_cancer()), d.score_table(breast_cancer()));
  EXPECT_EQ(loaded.threshold(), d.threshold());
  EXPECT_EQ(loaded.save(), bytes);  // byte for byte
  EXPECT_EQ(bytes[8], 3);  // the format version
  EXPECT_EQ(wire::detector_info(loaded)["features"].size(), 9u);
  // Image detector too (untrained weights, but a full save/load path).
  Detector untrained(Preset::from_json({{"kind", "image"}, {"model", {{"encoderChannels", {4, 8}}}}}));
  EXPECT_EQ(error_of([&] { untrained.save(); }), "nothing to save: the detector is not trained yet");
}

TEST(ModelFile, DamagedFilesAreRejectedWithTheReason) {
  Detector d(quick_tabular("e2e", 1));
  d.fit_table(breast_cancer(), breast_cancer_labels());
  const std::vector<uint8_t> good = d.save();
  auto load = [](std::vector<uint8_t> bytes) { return error_of([&] { Detector::load(bytes.data(), bytes.size()); }); };
  EXPECT_EQ(load({}), "not a CA3 model file (it does not start with the bytes CA3MODEL)");
  EXPECT_EQ(load(std::vector<uint8_t>{'P', 'K', 3, 4, 0, 0, 0, 0, 0}),
            "not a CA3 model file (it does not start with the bytes CA3MODEL)");
  std::vector<uint8_t> truncated(good.begin(), good.begin() + long(good.size() / 2));
  EXPECT_EQ(load(truncated), "model file is truncated: " + std::to_string(truncated.size()) + " of " +
                                 std::to_string(good.size()) + " bytes");
  EXPECT_EQ(load(std::vector<uint8_t>(good.begin(), good.begin() + 12)), "model file is truncated: 12 bytes, not even a header");
  std::vector<uint8_t> flipped = good;
  flipped[good.size() / 2] ^= 0x40;
  EXPECT_EQ(load(flipped), "model file is corrupt: the checksum does not match its contents");
  std::vector<uint8_t> newer = good;
  newer[8] = kModelFileVersion + 1;
  EXPECT_EQ(load(newer), "model file format version " + std::to_string(kModelFileVersion + 1) + " is newer than this CA3 reads (" +
                             std::to_string(kModelFileVersion) + "): update CA3");
  std::vector<uint8_t> longer = good;
  longer.push_back(0);
  EXPECT_EQ(load(longer), "model file is corrupt: 1 unexpected bytes after its end");
  // Valid container, wrong contents: a tensor missing.
  const ModelFileContents contents = read_model_file(good.data(), good.size());
  std::vector<std::pair<std::string, const Tensor*>> fewer;
  for (size_t i = 1; i < contents.tensors.size(); ++i) fewer.emplace_back(contents.tensors[i].first, &contents.tensors[i].second);
  EXPECT_EQ(load(write_model_file(contents.metadata, fewer)),
            "model file is corrupt: tensor '" + contents.tensors[0].first + "' is missing");
}

std::vector<std::pair<std::string, const Tensor*>> contents_tensors(const ModelFileContents& contents) {
  std::vector<std::pair<std::string, const Tensor*>> all;
  for (const auto& [n, t] : contents.tensors) all.emplace_back(n, &t);
  return all;
}

TEST(ModelFile, NeighbourRowsTravelWithAModelOfRows) {
  auto load = [](const std::vector<uint8_t>& bytes) { return error_of([&] { Detector::load(bytes.data(), bytes.size()); }); };
  auto tensor = [](const ModelFileContents& c, const std::string& name) -> const Tensor* {
    for (const auto& [n, t] : c.tensors)
      if (n == name) return &t;
    return nullptr;
  };
  // Labelled: the score is the alarm's, with the reference as before the neighbour distance
  // existed; the normal training rows travel with the model (to fill from and explain against).
  Detector labelled(quick_tabular("e2e", 1));
  const FitReport labelled_report = labelled.fit_table(breast_cancer(), breast_cancer_labels());
  const std::vector<uint8_t> labelled_bytes = labelled.save();
  const ModelFileContents before = read_model_file(labelled_bytes.data(), labelled_bytes.size());
  ASSERT_NE(tensor(before, "neighbours"), nullptr);
  EXPECT_EQ(tensor(before, "neighbours")->shape(), (Shape{labelled_report.neighbours.samples, 9}));
  EXPECT_EQ(labelled_report.neighbours.samples + labelled_report.neighbours.repeated,
            labelled_report.train_rows - labelled_report.labelled_anomalies);  // the normal ones, each distinct row once
  EXPECT_EQ(tensor(before, "score_reference")->shape(), Shape{7});
  EXPECT_EQ(Detector::load(labelled_bytes.data(), labelled_bytes.size()).save(), labelled_bytes);

  // Without labels: the normal training rows travel with the model (a distinct row at most 5 times,
  // the k the distance averages over: Breast Cancer repeats many), and the reference has 12 values,
  // the last three the distance's offset (format version 7) and the rarity's and the distance's
  // weights (8).
  Detector one_class(quick_tabular("e2e", 2));
  TabularOptions no_labels;
  no_labels.id_columns = {"Class"};
  const FitReport report = one_class.fit_table(breast_cancer(), no_labels);
  const std::vector<uint8_t> good = one_class.save();
  const ModelFileContents contents = read_model_file(good.data(), good.size());
  ASSERT_NE(tensor(contents, "neighbours"), nullptr);
  EXPECT_EQ(tensor(contents, "neighbours")->shape(), (Shape{report.neighbours.samples, 9}));
  EXPECT_GT(report.neighbours.repeated, 50);  // (copies beyond the fifth)
  EXPECT_EQ(report.neighbours.samples + report.neighbours.repeated, report.train_rows);
  EXPECT_EQ(tensor(contents, "score_reference")->at(0), 3.f);
  EXPECT_EQ(tensor(contents, "score_reference")->shape(), Shape{12});
  EXPECT_EQ(tensor(contents, "score_reference")->at(9), E2EConvA3::kNeighbourDistanceOffset);
  EXPECT_EQ(tensor(contents, "score_reference")->at(10), E2EConvA3::kRarityWeight);
  EXPECT_EQ(tensor(contents, "score_reference")->at(11), E2EConvA3::kRowsNeighbourWeight);
  EXPECT_EQ(contents.version, 8u);

  // Damaged: the rows missing, the wrong width, or a 7-value reference that claims the distance.
  auto without = [&](const std::string& name, const Tensor* replacement) {
    std::vector<std::pair<std::string, const Tensor*>> kept;
    for (const auto& [n, t] : contents.tensors)
      if (n != name) kept.emplace_back(n, &t);
      else if (replacement) kept.emplace_back(n, replacement);
    return write_model_file(contents.metadata, kept, contents.version);
  };
  EXPECT_EQ(load(without("neighbours", nullptr)), "model file is corrupt: its score uses neighbour rows, and it has none");
  const Tensor narrow({4, 8});
  EXPECT_EQ(load(without("neighbours", &narrow)),
            "model file is corrupt: tensor 'neighbours' has shape [4, 8], the model needs [M, 9]");
  Tensor seven({7});
  for (int64_t i = 0; i < 7; ++i) seven.mutable_data()[i] = tensor(contents, "score_reference")->at(i);
  EXPECT_EQ(load(without("score_reference", &seven)),
            "model file is corrupt: its score uses neighbour rows, and its score reference has no statistics for them");
  seven.mutable_data()[0] = 2.f, seven.mutable_data()[1] = std::nanf("");
  EXPECT_EQ(load(without("score_reference", &seven)), "model file is corrupt: tensor 'score_reference' holds a non-finite value");
  // The neighbour count the report gives (1 to M, at most 256) is checked.
  for (const int64_t k : {int64_t(0), report.neighbours.samples + 1}) {
    ModelFileContents changed = contents;
    changed.metadata["training"]["neighbours"]["nearest"] = k;
    std::vector<std::pair<std::string, const Tensor*>> all;
    for (const auto& [n, t] : changed.tensors) all.emplace_back(n, &t);
    EXPECT_EQ(load(write_model_file(changed.metadata, all, contents.version)),
              "model file is corrupt: its training report's neighbours.nearest is " + std::to_string(k) + " (1 to " +
                  std::to_string(std::min<int64_t>(report.neighbours.samples, 256)) + ")");
  }
  // The score reference's first n values (as an earlier version wrote it); the file with a
  // reference, as `version`.
  const auto first_values = [&](int64_t n) {
    std::vector<float> values = tensor(contents, "score_reference")->to_vector();
    values.resize(size_t(n));
    return Tensor::from_vector({n}, values);
  };
  const auto changed = [&](size_t index, float value) {  // all its values, one changed
    std::vector<float> values = tensor(contents, "score_reference")->to_vector();
    values[index] = value;
    return Tensor::from_vector({int64_t(values.size())}, values);
  };
  const auto as_version = [&](const Tensor& reference, uint32_t version) {
    std::vector<std::pair<std::string, const Tensor*>> kept;
    for (const auto& [n, t] : contents.tensors) kept.emplace_back(n, n == "score_reference" ? &reference : &t);
    return write_model_file(contents.metadata, kept, version);
  };
  // A file of version 6 (9 values: the distance without an offset) loads, scores with none, and is
  // saved again byte for byte; 10 values in a version-6 file, 8 values, or an offset beyond 1, are refused.
  {
    const std::vector<uint8_t> six = as_version(first_values(9), 6);
    Detector older_model = Detector::load(six.data(), six.size());
    EXPECT_EQ(older_model.save(), six);
    const std::vector<float> with = one_class.score_table(breast_cancer()), without_offset = older_model.score_table(breast_cancer());
    EXPECT_NE(with, without_offset);
    EXPECT_EQ(load(as_version(first_values(10), 6)),
              "model file is corrupt: tensor 'score_reference' has 10 values (a neighbour distance's offset), which belong in a "
              "format version 7 file, this is version 6");
    EXPECT_EQ(load(as_version(first_values(8), 7)),
              "model file is corrupt: tensor 'score_reference' has shape [8], a score reference has 7, 9 or 10 values (12 since format "
              "version 8)");
    const Tensor far = changed(9, 2.f);
    EXPECT_EQ(load(without("score_reference", &far)), "model file is corrupt: its neighbour distance's offset is 2 (more than 0, at "
                                                       "most 1, for a score of rows with the distance)");
  }
  // A file of version 7 (10 values: the rarity weighed 1 and the distance 3) loads, scores so, and
  // is saved again byte for byte; 12 values in a version-7 file, or a weight below 1, are refused.
  {
    const std::vector<uint8_t> seven_file = as_version(first_values(10), 7);
    Detector older_model = Detector::load(seven_file.data(), seven_file.size());
    EXPECT_EQ(older_model.model().rarity_weight(), 1.f);
    EXPECT_EQ(older_model.model().neighbour_weight(), E2EConvA3::kNeighbourWeight);
    EXPECT_EQ(older_model.save(), seven_file);
    // The score by its terms, as combined_log_odds weighs them (mode 3: alarm, reconstruction
    // error, rarity, distance), from the model's own terms and reference.
    const Tensor inputs = one_class.prepare_table(breast_cancer());
    const std::vector<float> logits = one_class.model().alarm_logit(inputs), errors = one_class.model().reconstruction_error(inputs),
                             rarity = one_class.model().marginal_rarity(inputs), distance = one_class.model().neighbour_distance(inputs);
    const std::vector<float> r = tensor(contents, "score_reference")->to_vector();
    const std::vector<float> weighted = one_class.score_table(breast_cancer()), unweighted = older_model.score_table(breast_cancer());
    for (size_t i = 0; i < weighted.size(); i += 37) {
      const double a = (logits[i] - r[1]) / r[2], e = (std::log(std::max(errors[i], 1e-12f)) - r[3]) / r[4],
                   q = (rarity[i] - r[5]) / r[6], d = (distance[i] - r[7]) / r[8];
      const auto sigmoid = [](double z) { return 1 / (1 + std::exp(-z)); };
      EXPECT_NEAR(weighted[i], sigmoid((a + e + 2 * q + 5 * d) / 9), 2e-5) << "row " << i;
      EXPECT_NEAR(unweighted[i], sigmoid((a + e + q + 3 * d) / 6), 2e-5) << "row " << i;
    }
    EXPECT_EQ(load(write_model_file(contents.metadata, contents_tensors(contents), 7)),
              "model file is corrupt: tensor 'score_reference' has 12 values (the terms' weights), which belong in a format version 8 "
              "file, this is version 7");
    const Tensor light = changed(10, 0.5f);
    EXPECT_EQ(load(without("score_reference", &light)), "model file is corrupt: its score's weights are 0.5 (the marginal rarity) and 5 "
                                                         "(the neighbour distance), each 1 to 10, for a score of rows with the distance");
  }
  // Rows scored by the alarm and the distance alone (model.score alarm_neighbours, as images are):
  // the distance with its offset, the weights 1 and 3 (a version-7 file), saved and loaded alike.
  {
    Detector pair(quick_tabular("e2e", 2));
    pair.fit(pair.start_fit_table(breast_cancer(), no_labels, {}, {{"model", {{"score", "alarm_neighbours"}}}}));
    const std::vector<uint8_t> bytes = pair.save();
    const ModelFileContents saved = read_model_file(bytes.data(), bytes.size());
    EXPECT_EQ(saved.version, 7u);
    EXPECT_EQ(tensor(saved, "score_reference")->shape(), Shape{10});
    EXPECT_EQ(tensor(saved, "score_reference")->at(0), 4.f);
    EXPECT_EQ(tensor(saved, "score_reference")->at(9), E2EConvA3::kNeighbourDistanceOffset);
    Detector back = Detector::load(bytes.data(), bytes.size());
    EXPECT_EQ(back.model().neighbour_weight(), E2EConvA3::kNeighbourWeight);
    EXPECT_EQ(back.score_table(breast_cancer()), pair.score_table(breast_cancer()));
  }
  // Mode 5 (the same terms without the alarm) loads and says so; there is no mode 6.
  Tensor reference = *tensor(contents, "score_reference");
  reference.mutable_data()[0] = 5.f;
  const std::vector<uint8_t> mode5 = without("score_reference", &reference);
  const Detector loaded = Detector::load(mode5.data(), mode5.size());
  ASSERT_NE(loaded.training_report(), nullptr);
  EXPECT_EQ(loaded.training_report()->score, "combined_without_alarm");
  reference.mutable_data()[0] = 6.f;
  EXPECT_EQ(load(without("score_reference", &reference)), "model file is corrupt: its score mode is 6 (0 to 5)");
  // What the validation figures were against and the threshold's rate survive a save and load;
  // files saved before they were written read as synthetic (a one-class fit) and unknown (-1).
  const Detector again = Detector::load(good.data(), good.size());
  EXPECT_EQ(report.validation_anomalies, "synthetic");
  EXPECT_EQ(report.threshold_rate, 0.05);
  EXPECT_EQ(report.best_by, "loss");  // no labelled anomaly: the lowest validation loss
  EXPECT_EQ(again.training_report()->validation_anomalies, "synthetic");
  EXPECT_EQ(again.training_report()->threshold_rate, 0.05);
  EXPECT_EQ(again.training_report()->best_by, "loss");
  // The held-out samples the threshold was set on: validation and test without labels.
  EXPECT_EQ(report.threshold_normal, report.validation.normal + report.test_rows);
  EXPECT_EQ(again.training_report()->threshold_normal, report.threshold_normal);
  EXPECT_EQ(again.training_report()->threshold_share.high, report.threshold_share.high);
  ModelFileContents older = read_model_file(good.data(), good.size());
  // Files saved before the count was written: set on the validation samples alone, as it was then.
  older.metadata["training"]["thresholdShare"].erase("samples");
  {
    std::vector<std::pair<std::string, const Tensor*>> all;
    for (const auto& [n, t] : older.tensors) all.emplace_back(n, &t);
    const std::vector<uint8_t> bytes = write_model_file(older.metadata, all, older.version);
    EXPECT_EQ(Detector::load(bytes.data(), bytes.size()).training_report()->threshold_normal, report.validation.normal);
  }
  older.metadata["training"].erase("validationAnomalies");
  older.metadata["training"].erase("thresholdRate");
  older.metadata["training"].erase("bestBy");
  std::vector<std::pair<std::string, const Tensor*>> all;
  for (const auto& [n, t] : older.tensors) all.emplace_back(n, &t);
  const std::vector<uint8_t> older_bytes = write_model_file(older.metadata, all, older.version);
  const Detector old = Detector::load(older_bytes.data(), older_bytes.size());
  EXPECT_EQ(old.training_report()->validation_anomalies, "synthetic");
  EXPECT_EQ(old.training_report()->threshold_rate, -1);
  EXPECT_EQ(old.training_report()->best_by, "");
  older.metadata["training"]["validationAnomalies"] = "real";
  const std::vector<uint8_t> bad_bytes = write_model_file(older.metadata, all, older.version);
  EXPECT_NE(load(bad_bytes).find("validationAnomalies must be \"labelled\", \"synthetic\" or \"none\", got \"real\""),
            std::string::npos);
  // A file saved when the page's epochs box took 2.5 (the core trained 2) still loads, as trained;
  // a fraction in a preset given for training is refused (Preset.WholeNumbers).
  older.metadata["training"]["validationAnomalies"] = "synthetic";
  older.metadata["preset"]["training"]["epochs"] = 2.5;
  older.metadata["preset"]["training"]["batchSize"] = 31.9;
  const std::vector<uint8_t> fraction_bytes = write_model_file(older.metadata, all, older.version);
  const Detector fraction = Detector::load(fraction_bytes.data(), fraction_bytes.size());
  EXPECT_EQ(fraction.preset().json["training"]["epochs"], 2);
  EXPECT_EQ(fraction.preset().json["training"]["batchSize"], 31);
  older.metadata["preset"]["training"]["epochs"] = -3.5;
  EXPECT_EQ(load(write_model_file(older.metadata, all, older.version)),
            "model file holds an unusable preset: preset: training.epochs must be 1 or more, got -3");
}

TEST(Preset, TheScoreWithoutTheAlarmIsForTables) {
  const nlohmann::json without_alarm = {{"score", "combined_without_alarm"}};
  EXPECT_EQ(Preset::from_json({{"kind", "tabular"}, {"model", without_alarm}}).model_config(9).score,
            ScoreKind::combined_without_alarm);
  EXPECT_EQ(error_of([&] { Preset::from_json({{"kind", "image"}, {"model", without_alarm}}); }),
            "model.score \"combined_without_alarm\" is for tables (its terms include how rare a row's values are); "
            "for images use \"alarm_neighbours\" or \"auto\"");
}

TEST(Metrics, ThresholdsAndConfusion) {
  const std::vector<float> scores = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 0.95f};
  const std::vector<int> labels = {0, 0, 0, 0, 0, 0, 1, 0, 1, 1};
  // 7 normal scores; at 25% it flags floor(0.25 * 8) - 1 = 1 of them, so that a new normal one
  // lies above it with chance (1 + 1) / 8 = 25%: the highest normal (0.8) is flagged, the next (0.6)
  // not -> threshold just above 0.6.
  const float t = threshold_at_false_positive_rate(scores, labels, 0.25);
  EXPECT_GT(t, 0.6f);
  EXPECT_LE(t, 0.7f);
  const Confusion c = confusion(scores, labels, t);
  EXPECT_EQ(c.true_positives, 3);
  EXPECT_EQ(c.false_positives, 1);
  EXPECT_EQ(c.true_negatives, 6);
  EXPECT_EQ(c.false_negatives, 0);
  EXPECT_DOUBLE_EQ(c.precision(), 0.75);
  // Best F1: flag {0.9, 0.95} -> P 1, R 2/3, F1 0.8; flag from 0.7 -> P 3/4, R 1, F1 6/7 (best).
  EXPECT_EQ(threshold_best_f1(scores, labels), 0.7f);
  EXPECT_EQ(threshold_at_false_positive_rate(scores, labels, 0.0), std::nextafter(0.8f, 1.f));
  // At 20% it flags floor(0.2 * 8) - 1 = 0 of them (one would make it 2 / 8 = 25% on new ones).
  EXPECT_EQ(threshold_at_false_positive_rate(scores, labels, 0.2), std::nextafter(0.8f, 1.f));
  // 5% of n normal scores 1..n: none flagged below 39, 1 from 39 (2 / 40 = 5%), 2 from 59, 10 of 219.
  const auto flagged = [](int n) {
    std::vector<float> s(size_t(n), 0.f);
    std::iota(s.begin(), s.end(), 1.f);
    const float at = threshold_at_false_positive_rate(s, std::vector<int>(size_t(n), 0), 0.05);
    return std::count_if(s.begin(), s.end(), [&](float v) { return v >= at; });
  };
  EXPECT_EQ(flagged(19), 0);
  EXPECT_EQ(flagged(38), 0);
  EXPECT_EQ(flagged(39), 1);
  EXPECT_EQ(flagged(58), 1);
  EXPECT_EQ(flagged(59), 2);
  EXPECT_EQ(flagged(219), 10);
  // How far one threshold's share of new normal samples flagged may lie from 5%, with 90%
  // probability: Beta(k + 1, n - k) quantiles (k = 0 at n = 20: 1 - 0.95^(1/20), 1 - 0.05^(1/20);
  // the others from the binomial sum in Python).
  const auto range = [](int64_t n) { return flagged_share_range(n, 0.05, 0.9); };
  EXPECT_NEAR(range(20).low, 1 - std::pow(0.95, 1.0 / 20), 1e-6);
  EXPECT_NEAR(range(20).high, 1 - std::pow(0.05, 1.0 / 20), 1e-6);
  EXPECT_NEAR(range(80).low, 0.017257, 1e-5);
  EXPECT_NEAR(range(80).high, 0.094075, 1e-5);
  EXPECT_NEAR(range(219).low, 0.028420, 1e-5);
  EXPECT_NEAR(range(219).high, 0.076222, 1e-5);
  EXPECT_NEAR(range(1000).low, 0.039164, 1e-5);
  EXPECT_NEAR(range(1000).high, 0.061759, 1e-5);
  // And as thresholds behave: of 4,000 thresholds, each set on 80 normal scores drawn uniformly
  // from [0, 1), the share of new ones each flags (1 - threshold) lies in the range for ~90%.
  std::mt19937 random(5);
  std::uniform_real_distribution<float> uniform(0.f, 1.f);
  int inside = 0;
  const ShareRange r80 = range(80);
  for (int draw = 0; draw < 4000; ++draw) {
    std::vector<float> s(80);
    for (float& v : s) v = uniform(random);
    const double share = 1.0 - double(threshold_at_false_positive_rate(s, std::vector<int>(80, 0), 0.05));
    inside += share >= r80.low && share <= r80.high;
  }
  EXPECT_NEAR(inside / 4000.0, 0.9, 0.015);
  // As JSON, a rate with nothing to be measured on is null, not 0 (or precision 1).
  const auto json = [&](const std::vector<int>& y, float at) { return wire::to_json(measure(scores, y, at)); };
  const auto all_normal = json(std::vector<int>(10, 0), t);
  EXPECT_TRUE(all_normal["truePositiveRate"].is_null() && all_normal["f1"].is_null() && all_normal["rocAuc"].is_null());
  EXPECT_DOUBLE_EQ(all_normal["falsePositiveRate"].get<double>(), 0.4);
  EXPECT_TRUE(all_normal["precision"].is_null());  // the 4 flagged may be unlabelled anomalies
  const auto none_flagged = json(labels, 2.f);
  EXPECT_TRUE(none_flagged["precision"].is_null());
  EXPECT_EQ(none_flagged["f1"].get<double>(), 0.0);
  EXPECT_EQ(none_flagged["truePositiveRate"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(json(labels, t)["f1"].get<double>(), 6.0 / 7.0);
}

}  // namespace
}  // namespace ca3

namespace ca3 {
namespace {

// Every weight of a trained detector, in parameter order.
std::vector<float> all_weights(Detector& d) {
  std::vector<float> out;
  for (const Var& p : d.model().parameters()) {
    const std::vector<float> v = p.value().to_vector();
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

bool bitwise_equal(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// The first `count` Fashion-MNIST training images, T-shirts (class 0) normal, the rest anomalies.
Dataset tshirts_against_the_rest(int64_t count) {
  Dataset images{read_idx_images(testing::fashion_mnist_file("train-images-idx3-ubyte"), count).pixels, {}};
  for (int c : read_idx_labels(testing::fashion_mnist_file("train-labels-idx1-ubyte"), count))
    images.labels.push_back(c == 0 ? 0 : 1);
  return images;
}

// The fashion-mnist-small preset, trained for one epoch.
nlohmann::json small_image_preset_one_epoch() {
  nlohmann::json small;
  std::ifstream(testing::source_file("models/presets/fashion-mnist-small.json")) >> small;
  small["training"]["epochs"] = 1;
  return small;
}

TEST(Detector, SameSeedGivesBitwiseIdenticalWeightsOnOneThread) {
  testing::KernelsScope one_thread(KernelsKind::xnnpack, 1);
  auto train_table = [](uint64_t seed) {
    Preset p = quick_tabular("e2e", 3);
    Detector d(Preset::from_json([&] {
      nlohmann::json j = p.json;
      j["seed"] = seed;
      return j;
    }()));
    d.fit_table(breast_cancer(), breast_cancer_labels());
    return d;
  };
  Detector a = train_table(1), b = train_table(1), other_seed = train_table(2);
  EXPECT_TRUE(bitwise_equal(all_weights(a), all_weights(b)));
  EXPECT_EQ(a.threshold(), b.threshold());
  EXPECT_FALSE(bitwise_equal(all_weights(a), all_weights(other_seed)));  // the seed is what fixes them

  const Dataset images = tshirts_against_the_rest(400);
  const nlohmann::json small = small_image_preset_one_epoch();
  auto train_images = [&] {
    Detector d(Preset::from_json(small));
    d.fit_images(images);
    return d;
  };
  Detector c = train_images(), d = train_images();
  EXPECT_TRUE(bitwise_equal(all_weights(c), all_weights(d)));
}

// A fit on two threads switches between the pool and one thread as it measures (PoolChooser);
// the weights must be those of a fit on one thread, bit for bit.
TEST(Detector, TwoThreadsGiveTheWeightsOfOneWhileThePoolIsSwitched) {
  const Dataset images = tshirts_against_the_rest(400);
  nlohmann::json small = small_image_preset_one_epoch();
  small["training"]["batchSize"] = 32;  // 10 steps: the chooser's probe pairs and its first choice
  auto train_images = [&](int threads) {
    testing::KernelsScope scope(KernelsKind::xnnpack, threads);
    Detector d(Preset::from_json(small));
    d.fit_images(images);
    return d;
  };
  Detector one = train_images(1), two = train_images(2);
  EXPECT_TRUE(bitwise_equal(all_weights(one), all_weights(two)));
  EXPECT_EQ(one.threshold(), two.threshold());
}

}  // namespace
}  // namespace ca3
