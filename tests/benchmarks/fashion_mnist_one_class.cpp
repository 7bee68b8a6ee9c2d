// Fashion-MNIST one-class, CA3 side: for each class, a detector trained on that class's 6,000
// training images only (no labels, no anomalies: the one-class protocol of Golan & El-Yaniv 2018
// and the paper's Table 1), scored on all 10,000 test images, the other nine classes anomalous.
// Prints one JSON line per class: test ROC-AUC, epochs, seconds.
//
//   fashion_mnist_one_class IDX_DIR PRESET.json [classes] [threads] [preset patch JSON] [limit] [contamination]
// classes: comma-separated (default 0..9); limit: training images per class (default all);
// contamination c (default 0): the contaminated setting, images of the other nine classes drawn at
// random (seeded) join the class's images unlabelled, a share c of the training images, and the
// fit is told training.contamination c.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/anomaly/data/idx.h"
#include "core/anomaly/detector.h"
#include "core/anomaly/metrics.h"
#include "core/anomaly/wire.h"
#include "core/engine/kernels/kernels.h"

using namespace ca3;

int main(int argc, char** argv) {
  ca3::keep_freed_memory_for_reuse();
  if (argc < 3) {
    std::fprintf(stderr, "usage: fashion_mnist_one_class IDX_DIR PRESET.json [classes] [threads] [patch] [limit]\n");
    return 2;
  }
  const std::string dir = argv[1];
  std::ifstream preset_file(argv[2]);
  std::stringstream preset_text;
  preset_text << preset_file.rdbuf();
  nlohmann::json preset = wire::parse(preset_text.str(), argv[2]);
  std::vector<int> classes;
  {
    std::stringstream list(argc > 3 ? argv[3] : "0,1,2,3,4,5,6,7,8,9");
    for (std::string c; std::getline(list, c, ',');) classes.push_back(std::atoi(c.c_str()));
  }
  set_num_threads(argc > 4 ? std::atoi(argv[4]) : 1);
  if (argc > 5) preset.merge_patch(wire::parse(argv[5], "the preset patch"));
  const int64_t limit = argc > 6 ? std::atoll(argv[6]) : 0;
  const double contamination = argc > 7 ? std::atof(argv[7]) : 0.0;
  if (contamination > 0) preset["training"]["contamination"] = contamination;
  const std::string suffix = std::ifstream(dir + "/train-images-idx3-ubyte").good() ? "" : ".gz";
  const IdxImages train = read_idx_images(dir + "/train-images-idx3-ubyte" + suffix);
  const std::vector<int> train_classes = read_idx_labels(dir + "/train-labels-idx1-ubyte" + suffix);
  const IdxImages test = read_idx_images(dir + "/t10k-images-idx3-ubyte" + suffix);
  const std::vector<int> test_classes = read_idx_labels(dir + "/t10k-labels-idx1-ubyte" + suffix);
  for (int k : classes) {
    std::vector<int64_t> rows;
    for (size_t i = 0; i < train_classes.size(); ++i)
      if (train_classes[i] == k && (limit == 0 || int64_t(rows.size()) < limit)) rows.push_back(int64_t(i));
    int64_t mixed_in = 0;
    if (contamination > 0) {
      std::vector<int64_t> others;
      for (size_t i = 0; i < train_classes.size(); ++i)
        if (train_classes[i] != k) others.push_back(int64_t(i));
      Rng rng(uint64_t(100 + k));
      for (size_t i = others.size(); i > 1; --i) std::swap(others[i - 1], others[rng.below(i)]);
      mixed_in = std::llround(contamination / (1 - contamination) * double(rows.size()));
      rows.insert(rows.end(), others.begin(), others.begin() + mixed_in);
      std::sort(rows.begin(), rows.end());
    }
    const Dataset all{train.pixels, std::vector<int>(train_classes.size(), 0)};
    const Dataset one_class = all.subset(rows);
    std::vector<int> test_labels;
    for (int c : test_classes) test_labels.push_back(c == k ? 0 : 1);
    nlohmann::json p = preset;
    p["split"] = {{"validation", 0.1}, {"test", 0.0}};
    Detector detector(Preset::from_json(p));
    const auto start = std::chrono::steady_clock::now();
    const FitReport report = detector.fit_images(one_class);
    const double train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::vector<float> scores = detector.score_images(test.pixels);
    std::vector<float> alarm = detector.model().alarm_probability(test.pixels);
    std::vector<float> reconstruction = detector.model().reconstruction_error(test.pixels);
    const bool neighbours = detector.model().neighbours().dim(0) > 0;
    const double neighbour_auc = neighbours ? roc_auc(detector.model().neighbour_distance(test.pixels), test_labels) : 0.0;
    std::printf("{\"class\":%d,\"roc_auc\":%.4f,\"alarm_auc\":%.4f,\"reconstruction_auc\":%.4f,\"epochs\":%zu,"
                "\"best_epoch\":%d,\"train_seconds\":%.0f,\"images\":%lld,\"neighbour_auc\":%.4f,\"neighbours\":%lld,"
                "\"mixed_in\":%lld,\"setting\":\"%s\"}\n",
                k, roc_auc(scores, test_labels), roc_auc(alarm, test_labels), roc_auc(reconstruction, test_labels),
                report.history.size(), report.best_epoch, train_seconds, (long long)one_class.size(), neighbour_auc,
                (long long)detector.model().neighbours().dim(0), (long long)mixed_in, report.setting.c_str());
    if (mixed_in > 0) {  // which images were mixed in, for the baselines (one more line)
      nlohmann::json line = {{"class", k}, {"mixed_rows", nlohmann::json::array()}, {"nearest", report.neighbours.nearest}};
      for (int64_t r : rows)
        if (train_classes[size_t(r)] != k) line["mixed_rows"].push_back(r);
      std::printf("%s\n", line.dump().c_str());
    }
    std::fflush(stdout);
  }
  return 0;
}
