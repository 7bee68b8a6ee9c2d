// Peak memory of training an image preset on one full Fashion-MNIST class (6,000 images, all
// normal: the alarm learns from synthetic anomalies), through Detector::fit_images as the
// command line and the page do. Prints the tensors' peak (activations, gradients, data), the
// memory after the first training step, and the process's peak (native: peak resident set;
// wasm: the module's heap, which never shrinks). Built natively and for wasm.
//
//   memory_benchmark PRESET.json [class] [epochs] [threads]     -> RESULT {json}
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/anomaly/data/idx.h"
#include "core/anomaly/detector.h"
#include "core/engine/kernels/kernels.h"
#include "core/anomaly/preset.h"

#if defined(__EMSCRIPTEN__)
#include <emscripten/heap.h>
#else
#include <sys/resource.h>
#endif

using namespace ca3;

namespace {
double process_peak_mb() {
#if defined(__EMSCRIPTEN__)
  return double(emscripten_get_heap_size()) / 1048576.0;
#else
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_maxrss) / 1024.0;  // KB on Linux
#endif
}
double mb(int64_t bytes) { return double(bytes) / 1048576.0; }
}  // namespace

int main(int argc, char** argv) {
  ca3::keep_freed_memory_for_reuse();
  if (argc < 2) {
    std::fprintf(stderr, "usage: memory_benchmark PRESET.json [class] [epochs] [threads]\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json preset_json = nlohmann::json::parse(text.str());
  const int normal_class = argc > 2 ? std::atoi(argv[2]) : 0;
  preset_json["training"]["epochs"] = argc > 3 ? std::atoi(argv[3]) : 1;
  set_num_threads(argc > 4 ? std::atoi(argv[4]) : 2);

  const char* dir = std::getenv("CA3_FASHION_MNIST_DIR");
  const std::string base = dir ? std::string(dir) + "/" : "/usr/share/datasets/fashion-mnist/";
  const std::string suffix = dir ? "" : ".gz";
  Dataset one_class;
  {
    // The class's images straight from the file's bytes (not all 60,000 as floats first, which
    // would make the process's peak that of loading, not of training).
    const std::vector<int> classes = read_idx_labels(base + "train-labels-idx1-ubyte" + suffix);
    const std::vector<uint8_t> bytes = read_file_bytes(base + "train-images-idx3-ubyte" + suffix);
    const int64_t count = std::count(classes.begin(), classes.end(), normal_class), pixels = 28 * 28;
    one_class = Dataset{Tensor({count, 28, 28, 1}), std::vector<int>(size_t(count), 0)};
    float* out = one_class.inputs.mutable_data();
    for (size_t i = 0; i < classes.size(); ++i)
      if (classes[i] == normal_class)
        for (int64_t p = 0; p < pixels; ++p) *out++ = float(bytes[16 + i * size_t(pixels) + size_t(p)]) / 255.f;
  }
  const double data_mb = mb(tensor_memory().live_bytes);
  reset_tensor_memory_peak();

  Detector detector(Preset::from_json(preset_json));
  double first_step_peak = -1;
  const auto start = std::chrono::steady_clock::now();
  const FitReport report = detector.fit_images(one_class, [&](const TrainProgress& p) {
    if (first_step_peak < 0 && p.step >= 1) first_step_peak = mb(tensor_memory().peak_bytes);
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  nlohmann::json result = {
      {"preset", detector.preset().name()},
      {"images", one_class.size()},
      {"synthetic_anomalies", report.synthetic_anomalies},
      {"batch_size", detector.preset().training().batch_size},
      {"epochs", preset_json["training"]["epochs"]},
      {"seconds", seconds},
      {"data_mb", data_mb},
      {"tensor_peak_first_step_mb", first_step_peak},
      {"tensor_peak_mb", mb(tensor_memory().peak_bytes)},
#if defined(__EMSCRIPTEN__)
      {"wasm_heap_mb", process_peak_mb()},
#else
      {"peak_rss_mb", process_peak_mb()},
#endif
  };
  std::printf("RESULT %s\n", result.dump().c_str());
  return 0;
}
