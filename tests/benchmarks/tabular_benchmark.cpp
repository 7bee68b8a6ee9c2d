// Tabular benchmark, CA3 side: for each data set of data/ and each seed, the paper's protocol
// (8:1:1 stratified split, preprocessing fitted on the training rows), then E2E-ConvA3, A3
// two-stage and reconstruction-only trained on the same split. Writes each split's preprocessed
// rows (for the scikit-learn baselines, tabular_baselines.py) and one JSON line per result.
//
//   tabular_benchmark DATA_DIR OUT_DIR [seeds] [set,set,...] [max epochs]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/data/csv.h"
#include "core/data/tabular.h"
#include "core/metrics.h"
#include "core/models/tabular_model.h"
#include "core/training/trainer.h"

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
};

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: tabular_benchmark DATA_DIR OUT_DIR [seeds] [sets] [max epochs]\n");
    return 2;
  }
  const std::string data_dir = argv[1], out_dir = argv[2];
  const int seeds = argc > 3 ? std::atoi(argv[3]) : 5;
  const std::string only = argc > 4 ? argv[4] : "";
  const int max_epochs = argc > 5 ? std::atoi(argv[5]) : 100;
  std::ofstream results(out_dir + "/ca3-results.jsonl", std::ios::app);
  for (const DataSet& set : kDataSets) {
    if (!only.empty() && ("," + only + ",").find("," + set.name + ",") == std::string::npos) continue;
    CsvTable table = read_csv_file(data_dir + "/" + set.file);
    if (set.drop_duplicates) table = drop_duplicate_rows(table);
    TabularOptions options;
    options.label_column = set.label;
    options.normal_values = set.normal;
    options.anomaly_values = set.anomaly;
    const std::vector<int> labels = tabular_labels(table, options);
    for (int seed = 0; seed < seeds; ++seed) {
      const DatasetSplit rows = stratified_split(Dataset{Tensor({int64_t(labels.size()), 1}), labels}, uint64_t(seed));
      const TabularPreprocessor prep = TabularPreprocessor::fit(table, rows.train_rows, options);
      const Dataset all{prep.transform(table), labels};
      const DatasetSplit split = stratified_split(all, uint64_t(seed));
      {  // the split, preprocessed, for the baselines
        std::ofstream dump(out_dir + "/" + set.name + "-" + std::to_string(seed) + ".csv");
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
      for (Variant variant : {Variant::end_to_end, Variant::two_stage, Variant::reconstruction_only}) {
        TabularModelConfig config;
        config.features = prep.features();
        config.common.variant = variant;
        config.common.seed = uint64_t(seed);
        TrainOptions train;
        train.epochs = max_epochs;
        train.seed = uint64_t(seed);
        if (const char* e = std::getenv("CA3_BENCH_MONITOR_LOSS")) train.monitor = TrainOptions::Monitor::loss;
        if (const char* e = std::getenv("CA3_BENCH_BATCH")) train.batch_size = std::atoi(e);
        if (const char* e = std::getenv("CA3_BENCH_GAMMA")) config.common.gamma = float(std::atof(e));
        if (const char* e = std::getenv("CA3_BENCH_AE")) config.common.variational = false;
        if (const char* e = std::getenv("CA3_BENCH_LR")) train.learning_rate = float(std::atof(e));
        if (const char* e = std::getenv("CA3_BENCH_PATIENCE")) train.patience = std::atoi(e);
        TabularE2EConvA3 model(config);
        const TrainResult r = train_model(model, split.train, split.validation, train);
        const auto scores = model.score(split.test.inputs);
        const double auc = roc_auc(scores, split.test.labels), ap = average_precision(scores, split.test.labels);
        std::ostringstream line;
        line << "{\"set\":\"" << set.name << "\",\"seed\":" << seed << ",\"method\":\"CA3 " << to_string(variant)
             << "\",\"roc_auc\":" << auc << ",\"average_precision\":" << ap << ",\"epochs\":" << r.history.size()
             << ",\"seconds\":" << r.seconds << ",\"samples_per_second\":" << r.samples_per_second << "}";
        results << line.str() << std::endl;
        std::printf("%s\n", line.str().c_str());
        std::fflush(stdout);
      }
    }
  }
  return 0;
}
