// Detection without labelled anomalies, CA3 side. For each CSV of data/ (the label column only
// scores the result): a stratified 80/20 split (split seed 7), then per seed and setting
//   one_class     trained on the normal rows of the 80% part, without their labels;
//   contaminated  trained on all rows of the 80% part, without labels (training.contamination
//                 as the preset says);
//   few_labels    all rows of the 80% part, 5 of its anomalies labelled, the rest unlabelled;
// scored on the 20% part: test ROC-AUC against the true labels. Writes the split (and the labelled
// rows) for the classical detectors (no_labels_baselines.py) and one JSON line per result.
//
//   no_labels_benchmark DATA_DIR OUT_DIR [seeds] [sets] [settings] [threads] [preset patch JSON]
// sets: comma-separated names (Ionosphere, BreastCancer, Glass, Pima, thyroid, Shuttle);
// settings: comma-separated (one_class, contaminated, few_labels).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/anomaly/data/csv.h"
#include "core/anomaly/data/tabular.h"
#include "core/anomaly/detector.h"
#include "core/anomaly/metrics.h"
#include "core/anomaly/wire.h"
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
};

bool listed(const std::string& list, const std::string& name) {
  return list.empty() || ("," + list + ",").find("," + name + ",") != std::string::npos;
}

// `table` with its label column rewritten: "anomaly" for the rows in `labelled`, "unlabelled" otherwise.
CsvTable with_labels(const CsvTable& table, size_t label_column, const std::vector<size_t>& labelled) {
  CsvTable out;
  out.header = table.header;
  out.separator = table.separator;
  std::vector<uint8_t> is_labelled(table.row_count(), 0);
  for (size_t r : labelled) is_labelled[r] = 1;
  std::vector<std::string_view> cells(table.column_count());
  for (size_t r = 0; r < table.row_count(); ++r) {
    for (size_t c = 0; c < cells.size(); ++c) cells[c] = table.cell(r, c);
    cells[label_column] = is_labelled[r] ? "anomaly" : "unlabelled";
    out.add_row(cells, table.row_line(r));
  }
  return out;
}

int main(int argc, char** argv) {
  ca3::keep_freed_memory_for_reuse();
  if (argc < 3) {
    std::fprintf(stderr, "usage: no_labels_benchmark DATA_DIR OUT_DIR [seeds] [sets] [settings] [threads] [preset patch]\n");
    return 2;
  }
  const std::string data_dir = argv[1], out_dir = argv[2];
  const int seeds = argc > 3 ? std::atoi(argv[3]) : 3;
  const std::string only_sets = argc > 4 ? argv[4] : "";
  const std::string only_settings = argc > 5 ? argv[5] : "";
  set_num_threads(argc > 6 ? std::atoi(argv[6]) : 1);
  const nlohmann::json patch = argc > 7 ? wire::parse(argv[7], "the preset patch") : nlohmann::json::object();
  std::error_code ignored;
  std::filesystem::create_directories(out_dir, ignored);
  std::ofstream results(out_dir + "/ca3-results.jsonl", std::ios::app);
  if (!results) {
    std::fprintf(stderr, "no_labels_benchmark: cannot write %s/ca3-results.jsonl\n", out_dir.c_str());
    return 1;
  }
  for (const DataSet& set : kDataSets) {
    if (!listed(only_sets, set.name)) continue;
    CsvTable table = read_csv_file(data_dir + "/" + set.file);
    if (set.drop_duplicates) table = drop_duplicate_rows(table);
    TabularOptions truth;
    truth.label_column = set.label, truth.normal_values = set.normal, truth.anomaly_values = set.anomaly;
    const std::vector<int> labels = tabular_labels(table, truth);
    const SplitRows split = stratified_split_rows(labels, 7, 0.2, 0.0);  // validation = the 20% test part
    const std::vector<int64_t>& train = split.train;
    const std::vector<int64_t>& test = split.validation;
    std::vector<size_t> train_rows(train.begin(), train.end()), test_rows(test.begin(), test.end());
    std::vector<size_t> train_normal;
    std::vector<int64_t> train_anomalies;
    for (int64_t r : train) {
      if (labels[size_t(r)] == 0) train_normal.push_back(size_t(r));
      else train_anomalies.push_back(r);
    }
    const CsvTable test_table = table.select_rows(test_rows);
    std::vector<int> test_labels;
    for (int64_t r : test) test_labels.push_back(labels[size_t(r)]);
    {  // the split and the labelled rows, for the baselines
      std::ofstream f(out_dir + "/" + set.name + "-split.json");
      nlohmann::json j = {{"file", set.file}, {"label", set.label}, {"labels", labels}, {"train", train}, {"test", test},
                          {"drop_duplicates", set.drop_duplicates}, {"few_labels", nlohmann::json::object()}};
      for (int seed = 0; seed < seeds; ++seed) {
        Rng rng(uint64_t(1000 + seed));
        std::vector<int64_t> chosen = train_anomalies;
        for (size_t i = chosen.size(); i > 1; --i) std::swap(chosen[i - 1], chosen[rng.below(i)]);
        chosen.resize(std::min<size_t>(5, chosen.size()));
        j["few_labels"][std::to_string(seed)] = chosen;
      }
      f << j.dump() << "\n";
    }
    const nlohmann::json split_file = [&] {
      std::ifstream f(out_dir + "/" + set.name + "-split.json");
      nlohmann::json j;
      f >> j;
      return j;
    }();
    for (const std::string setting : {"one_class", "contaminated", "few_labels"}) {
      if (!listed(only_settings, setting)) continue;
      for (int seed = 0; seed < seeds; ++seed) {
        nlohmann::json preset = {{"kind", "tabular"}, {"seed", seed}, {"split", {{"validation", 0.1}, {"test", 0.0}}}};
        preset.merge_patch(patch);
        TabularOptions options;
        options.id_columns = {set.label};
        CsvTable train_table;
        if (setting == std::string("one_class")) {
          train_table = table.select_rows(train_normal);
        } else if (setting == std::string("contaminated")) {
          train_table = table.select_rows(train_rows);
          if (!preset["training"].contains("contamination")) preset["training"]["contamination"] = 0.1;
        } else {
          std::vector<size_t> labelled;
          for (int64_t r : split_file["few_labels"][std::to_string(seed)]) labelled.push_back(size_t(r));
          // Positions of the labelled rows within train_rows.
          std::vector<size_t> positions;
          for (size_t k = 0; k < train_rows.size(); ++k)
            if (std::find(labelled.begin(), labelled.end(), train_rows[k]) != labelled.end()) positions.push_back(k);
          train_table = with_labels(table.select_rows(train_rows), size_t(table.column_index(set.label)), positions);
          options.id_columns.clear();
          options.label_column = set.label;
          options.anomaly_values = {"anomaly"};
          if (!preset["training"].contains("contamination")) preset["training"]["contamination"] = 0.1;
        }
        const auto start = std::chrono::steady_clock::now();
        Detector detector(Preset::from_json(preset));
        const FitReport report = detector.fit_table(train_table, options);
        const double auc = roc_auc(detector.score_table(test_table), test_labels);
        const Tensor test_inputs = detector.prepare_table(test_table);
        const double alarm_auc = roc_auc(detector.model().alarm_probability(test_inputs), test_labels);
        const double reconstruction_auc = roc_auc(detector.model().reconstruction_error(test_inputs), test_labels);
        const double rarity_auc = roc_auc(detector.model().marginal_rarity(test_inputs), test_labels);
        const double neighbour_auc = detector.model().neighbours().dim(0) > 0
                                         ? roc_auc(detector.model().neighbour_distance(test_inputs), test_labels)
                                         : 0.0;
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (std::getenv("CA3_NO_LABELS_DUMP")) {  // the test rows' terms, for probing other scores offline
          E2EConvA3& m = detector.model();
          std::vector<float> errors = m.reconstruction_error(test_inputs);
          for (float& e : errors) e = std::log(std::max(e, 1e-12f));
          const Tensor embedded = m.neighbour_embedding(test_inputs);
          std::vector<float> reference;
          for (auto& [name, t] : m.named_buffers())
            if (name.ends_with("score_reference")) reference = t->to_vector();
          const auto rows_of = [](const Tensor& t) {
            nlohmann::json rows = nlohmann::json::array();
            for (int64_t i = 0; i < t.dim(0); ++i)
              rows.push_back(std::vector<float>(t.data() + i * t.dim(1), t.data() + (i + 1) * t.dim(1)));
            return rows;
          };
          nlohmann::json dump = {{"set", set.name}, {"setting", setting}, {"seed", seed}, {"labels", test_labels},
                                 {"alarm", m.alarm_logit(test_inputs)}, {"reconstruction", errors},
                                 {"rarity", m.marginal_rarity(test_inputs)}, {"distance", m.neighbour_distance(test_inputs)},
                                 {"score", detector.score_table(test_table)},
                                 {"reference", reference},
                                 {"embedded", rows_of(embedded)}, {"neighbours", rows_of(m.neighbours())}};
          std::ofstream(out_dir + "/dump-" + set.name + "-" + setting + "-" + std::to_string(seed) + ".json") << dump.dump();
        }
        std::ostringstream line;
        line << "{\"set\":\"" << set.name << "\",\"seed\":" << seed << ",\"setting\":\"" << setting
             << "\",\"method\":\"CA3\",\"roc_auc\":" << auc << ",\"alarm_auc\":" << alarm_auc
             << ",\"reconstruction_auc\":" << reconstruction_auc << ",\"rarity_auc\":" << rarity_auc
             << ",\"neighbour_auc\":" << neighbour_auc << ",\"epochs\":" << report.history.size()
             << ",\"synthetic\":" << report.synthetic_anomalies << ",\"seconds\":" << seconds << "}";
        results << line.str() << std::endl;
        std::printf("%s\n", line.str().c_str());
        std::fflush(stdout);
      }
    }
  }
  return 0;
}
