// Tabular benchmark, CA3 side: for each data set of data/ and each seed, the paper's protocol
// (8:1:1 stratified split, preprocessing fitted on the training rows), then E2E-ConvA3, A3
// two-stage and reconstruction-only trained on the same split through Detector, as `ca3 train`
// with the default tabular preset does. Writes each split's preprocessed
// rows (for the scikit-learn baselines, tabular_baselines.py) and one JSON line per result.
//
//   tabular_benchmark DATA_DIR OUT_DIR [seeds] [set,set,...] [max epochs] [threads] [preset patch JSON]
// Environment: CA3_VARIANTS (comma-separated subset of e2e,a3,reconstruction; "," writes only the
// splits), CA3_FIRST_SEED (0: seeds run from it), CA3_ENSEMBLE (see below). OUT_DIR is created if missing.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/anomaly/data/csv.h"
#include "core/anomaly/data/tabular.h"
#include "core/anomaly/metrics.h"
#include "core/anomaly/detector.h"
#include "core/engine/kernels/kernels.h"

using namespace ca3;

struct DataSet {
  std::string name, file, label;
  std::vector<std::string> normal, anomaly;
  bool drop_duplicates = false;
};

const std::vector<DataSet> kDataSets = {
    {"Ionosphere", "Ionosphere.csv", "Class", {"good"}, {}},
    {"BreastCancer", "BreastCancer.csv", "Class", {"benign"}, {}},
    {"Glass", "Glass.csv", "Type", {}, {"6"}},
    {"Pima", "PimaIndiansDiabetes.csv", "diabetes", {"neg"}, {}},
    {"thyroid", "thyroid.csv", "class", {"0"}, {}, true},
    {"Shuttle", "Shuttle.csv", "Class", {"Rad.Flow"}, {}},
    // Small sets (scripts/bench-models.sh small-tables writes them from r-cran-mlbench): mines among rocks,
    // republicans among democrats (16 yes/no votes with NA), vans among cars and buses.
    {"Sonar", "Sonar.csv", "Class", {"R"}, {}},
    {"HouseVotes84", "HouseVotes84.csv", "Class", {"democrat"}, {}},
    {"Vehicle", "Vehicle.csv", "Class", {}, {"van"}},
};

int main(int argc, char** argv) {
  ca3::keep_freed_memory_for_reuse();
  if (argc < 3) {
    std::fprintf(stderr, "usage: tabular_benchmark DATA_DIR OUT_DIR [seeds] [sets] [max epochs]\n");
    return 2;
  }
  const std::string data_dir = argv[1], out_dir = argv[2];
  const int seeds = argc > 3 ? std::atoi(argv[3]) : 5;
  const char* first_seed_text = std::getenv("CA3_FIRST_SEED");  // to add seeds to an earlier run
  const int first_seed = first_seed_text ? std::atoi(first_seed_text) : 0;
  const std::string only = argc > 4 ? argv[4] : "";
  const int max_epochs = argc > 5 ? std::atoi(argv[5]) : 0;  // 0: the preset's
  if (argc > 6) set_num_threads(std::atoi(argv[6]));
  std::error_code ignored;  // a failure shows as the file not opening
  std::filesystem::create_directories(out_dir, ignored);
  std::ofstream results(out_dir + "/ca3-results.jsonl", std::ios::app);
  if (!results) {
    std::fprintf(stderr, "tabular_benchmark: cannot write %s/ca3-results.jsonl\n", out_dir.c_str());
    return 1;
  }
  // CA3_VARIANTS=e2e,a3 runs only those (default: all three).
  std::vector<std::string> variants{"e2e", "a3", "reconstruction"};
  if (const char* only_variants = std::getenv("CA3_VARIANTS")) {
    variants.clear();
    std::stringstream list(only_variants);
    for (std::string v; std::getline(list, v, ',');) variants.push_back(v);
  }
  // CA3_ENSEMBLE=K: instead of the variants, K E2E-ConvA3 models trained on the same split and
  // preprocessing (the one above; its seed is the first model's), with seeds seed, seed + 1000, ...
  // (the weights' start, the batches, any synthetic anomalies), their scores averaged: "CA3 e2e xK",
  // and the mean of its models alone. The first model is "CA3 e2e" of the same seed. Like the split
  // dumps, the preprocessing is the default one (quantile scaling): sets with labelled anomalies.
  const int ensemble = std::getenv("CA3_ENSEMBLE") ? std::atoi(std::getenv("CA3_ENSEMBLE")) : 0;
  for (const DataSet& set : kDataSets) {
    if (!only.empty() && ("," + only + ",").find("," + set.name + ",") == std::string::npos) continue;
    CsvTable table = read_csv_file(data_dir + "/" + set.file);
    if (set.drop_duplicates) table = drop_duplicate_rows(table);
    TabularOptions options;
    options.label_column = set.label;
    options.normal_values = set.normal;
    options.anomaly_values = set.anomaly;
    const std::vector<int> labels = tabular_labels(table, options);
    for (int seed = first_seed; seed < first_seed + seeds; ++seed) {
      const DatasetSplit rows = stratified_split(Dataset{Tensor({int64_t(labels.size()), 1}), labels}, uint64_t(seed));
      const TabularPreprocessor prep = TabularPreprocessor::fit(table, rows.rows.train, options);
      const Dataset all{prep.transform(table), labels};
      const DatasetSplit split = stratified_split(all, uint64_t(seed));
      {  // the split, preprocessed, for the baselines
        const std::string path = out_dir + "/" + set.name + "-" + std::to_string(seed) + ".csv";
        std::ofstream dump(path);
        if (!dump) {
          std::fprintf(stderr, "tabular_benchmark: cannot write %s\n", path.c_str());
          return 1;
        }
        const int64_t d = prep.features();
        for (int64_t j = 0; j < d; ++j) dump << "f" << j << ",";
        dump << "label,part\n";
        auto write = [&](const Dataset& part, const char* name) {
          for (int64_t i = 0; i < part.size(); ++i) {
            for (int64_t j = 0; j < d; ++j) dump << part.inputs.at(i * d + j) << ",";
            dump << part.labels[size_t(i)] << "," << name << "\n";
          }
        };
        write(split.train, "train"), write(split.validation, "validation"), write(split.test, "test");
      }
      if (ensemble > 0) {  // K models on this split, seeds seed, seed + 1000, ...: each alone and averaged
        std::vector<double> mean(size_t(split.test.size()), 0.0);
        std::ostringstream line;
        line << "{\"set\":\"" << set.name << "\",\"seed\":" << seed << ",\"method\":\"CA3 e2e x" << ensemble << "\"";
        std::vector<double> single;
        for (int k = 0; k < ensemble; ++k) {
          nlohmann::json patch = {{"kind", "tabular"}, {"seed", seed + 1000 * k}};
          if (max_epochs > 0) patch["training"]["epochs"] = max_epochs;
          if (argc > 7) patch.merge_patch(nlohmann::json::parse(argv[7]));
          const Preset preset = Preset::from_json(patch);
          Fit fit(preset, std::make_unique<E2EConvA3>(preset.model_config(prep.features())), split, prep);
          while (fit.advance(60)) {}
          FitOutcome outcome = fit.conclude();
          const std::vector<float> scores = outcome.model->score(split.test.inputs);
          single.push_back(roc_auc(scores, split.test.labels));
          for (size_t i = 0; i < scores.size(); ++i) mean[i] += double(scores[i]) / ensemble;
        }
        double single_mean = 0;
        for (double a : single) single_mean += a / ensemble;
        line << ",\"roc_auc\":" << roc_auc(std::vector<float>(mean.begin(), mean.end()), split.test.labels)
             << ",\"single_roc_auc\":" << single_mean << "}";
        results << line.str() << std::endl;
        std::printf("%s\n", line.str().c_str());
        std::fflush(stdout);
        continue;
      }
      for (const std::string& variant : variants) {
        if (variant.empty()) continue;
        // Exactly what `ca3 train` does: the default tabular preset, this seed, this variant.
        nlohmann::json preset = {{"kind", "tabular"}, {"model", {{"variant", variant}}}, {"seed", seed}};
        if (max_epochs > 0) preset["training"]["epochs"] = max_epochs;
        if (argc > 7) preset.merge_patch(nlohmann::json::parse(argv[7]));
        Detector detector(Preset::from_json(preset));
        const FitReport r = detector.fit_table(table, options);
        std::ostringstream line;
        line << "{\"set\":\"" << set.name << "\",\"seed\":" << seed << ",\"method\":\"CA3 " << variant
             << "\",\"roc_auc\":" << r.test.roc_auc << ",\"average_precision\":" << r.test.average_precision
             << ",\"epochs\":" << r.history.size() << ",\"seconds\":" << r.seconds
             << ",\"samples_per_second\":" << r.samples_per_second << "}";
        results << line.str() << std::endl;
        std::printf("%s\n", line.str().c_str());
        std::fflush(stdout);
      }
    }
  }
  return 0;
}
