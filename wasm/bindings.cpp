// Embind bindings: the core's Detector as the JavaScript class `Detector` of the wasm module.
// Thin by design -- every method converts arguments, calls the core and converts the result.
// The TypeScript SDK (sdk/) is the public API; this is what its worker calls.
//
// Conventions:
//  - numbers in bulk cross as typed arrays, copied once (no per-element conversion);
//  - structured results cross as JSON text (the SDK parses it);
//  - a ca3::Error (or any C++ exception) becomes a JavaScript Error with the same message;
//  - fitting runs in slices so the worker can yield and cancel:
//      d.startFitTable(csv, optionsJson, onProgress); while (d.advanceFit(0.1)) {...}; d.finishFit()
//
//   const d = Module.Detector.create('{"kind": "tabular"}');
//   const scores = d.scoreTable(csvText);        // Float32Array
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <new>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/data/csv.h"
#include "core/data/tabular.h"
#include "core/detector.h"
#include "core/error.h"
#include "core/kernels/kernels.h"

namespace {

using emscripten::val;

// The message of the exception being handled, kept outside any frame that the JavaScript throw
// below abandons (C++ destructors of abandoned frames do not run).
std::string& last_error() {
  static std::string message;
  return message;
}

[[noreturn]] void throw_last_error() { val::global("Error").new_(last_error()).throw_(); }

// Runs `body`; a C++ exception becomes a JavaScript Error carrying its message.
template <class Body>
auto guarded(Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    last_error() = "out of memory: the data or the model does not fit in WebAssembly's memory (at most 4 GB; "
                   "a browser tab may allow less) -- use fewer rows / images or a smaller preset";
  } catch (const std::exception& e) {
    last_error() = e.what();
  } catch (...) {
    last_error() = "unknown C++ exception";
  }
  throw_last_error();
}

val float32_array(const float* data, size_t count) {
  return val::global("Float32Array").new_(emscripten::typed_memory_view(count, data));
}

// A typed array (or array) of numbers -> a tensor of `shape`, one bulk copy.
ca3::Tensor tensor_from_js(const val& array, ca3::Shape shape, const char* what) {
  ca3::Tensor t(std::move(shape));
  const int64_t length = int64_t(array["length"].as<double>());
  CA3_CHECK(length == t.numel(), what, " holds ", length, " values, expected ", t.numel(), " (",
            ca3::shape_to_string(t.shape()), ")");
  val(emscripten::typed_memory_view(size_t(t.numel()), t.mutable_data())).call<void>("set", array);
  return t;
}

// Model inputs: `values` holds whole samples of the model's sample shape.
ca3::Tensor inputs_from_js(const val& values, const ca3::Shape& sample_shape) {
  int64_t per_sample = 1;
  for (int64_t d : sample_shape) per_sample *= d;
  const int64_t length = int64_t(values["length"].as<double>());
  CA3_CHECK(length > 0, "no samples given");
  CA3_CHECK(length % per_sample == 0, "the data holds ", length, " values, not a whole number of samples of ",
            ca3::shape_to_string(sample_shape), " (", per_sample, " values each)");
  ca3::Shape shape{length / per_sample};
  shape.insert(shape.end(), sample_shape.begin(), sample_shape.end());
  return tensor_from_js(values, shape, "the data");
}

std::vector<int> labels_from_js(const val& labels) {
  const auto values = emscripten::convertJSArrayToNumberVector<int32_t>(labels);
  return std::vector<int>(values.begin(), values.end());
}

val progress_to_js(const ca3::TrainProgress& p) {
  val o = val::object();
  o.set("stage", p.stage);
  o.set("epoch", p.epoch), o.set("epochs", p.epochs);
  o.set("step", double(p.step)), o.set("steps", double(p.steps));
  o.set("epochEnd", p.epoch_end);
  o.set("loss", p.loss), o.set("reconstruction", p.reconstruction), o.set("kl", p.kl);
  o.set("classification", p.classification);
  if (p.epoch_end) {
    o.set("validationAuc", p.validation_auc >= 0 ? val(p.validation_auc) : val::null());
    o.set("validationLoss", p.validation_loss);
  }
  o.set("samplesPerSecond", p.samples_per_second);
  return o;
}

nlohmann::json json_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw ca3::Error(std::string("preset changes are not valid JSON: ") + e.what());
  }
}

ca3::TabularOptions tabular_options_from_json(const std::string& text) {
  const nlohmann::json j = text.empty() ? nlohmann::json::object() : nlohmann::json::parse(text);
  CA3_CHECK(j.is_object(), "table options must be a JSON object");
  ca3::TabularOptions o;
  for (const auto& [key, value] : j.items()) {
    if (key == "labelColumn") o.label_column = value.get<std::string>();
    else if (key == "normalValues") o.normal_values = value.get<std::vector<std::string>>();
    else if (key == "anomalyValues") o.anomaly_values = value.get<std::vector<std::string>>();
    else if (key == "idColumns") o.id_columns = value.get<std::vector<std::string>>();
    else throw ca3::Error("unknown table option '" + key +
                          "' (expected labelColumn, normalValues, anomalyValues, idColumns)");
  }
  return o;
}

class WasmDetector {
 public:
  explicit WasmDetector(ca3::Detector detector) : detector_(std::move(detector)) {}

  static WasmDetector create(const std::string& preset_json) {
    return guarded([&] { return WasmDetector(ca3::Detector(ca3::Preset::parse(preset_json))); });
  }
  static WasmDetector load(const val& bytes) {
    return guarded([&] {
      const auto data = emscripten::convertJSArrayToNumberVector<uint8_t>(bytes);
      return WasmDetector(ca3::Detector::load(data.data(), data.size()));
    });
  }

  // ---- fitting, in slices ----
  // preset_changes: a partial preset as JSON text ("" = none), e.g. {"training": {"epochs": 5}}.
  void startFitTable(const std::string& csv, const std::string& options_json, const std::string& preset_changes,
                     val on_progress) {
    guarded([&] {
      CA3_CHECK(!job_, "a fit is already running: finish or cancel it first");
      const ca3::CsvTable table = ca3::parse_csv(csv);
      job_.emplace(detector_.start_fit_table(table, tabular_options_from_json(options_json), callback(on_progress),
                                             json_or_null(preset_changes)));
    });
  }
  void startFitImages(const val& images, const val& labels, const std::string& preset_changes, val on_progress) {
    guarded([&] {
      CA3_CHECK(!job_, "a fit is already running: finish or cancel it first");
      ca3::Dataset data{inputs_from_js(images, detector_.model().sample_shape()), labels_from_js(labels)};
      CA3_CHECK(int64_t(data.labels.size()) == data.inputs.dim(0), data.labels.size(), " labels for ",
                data.inputs.dim(0), " images");
      job_.emplace(detector_.start_fit_images(data, callback(on_progress), json_or_null(preset_changes)));
    });
  }
  bool advanceFit(double seconds) {
    return guarded([&] {
      CA3_CHECK(job_, "no fit is running");
      try {
        return job_->advance(seconds);
      } catch (...) {
        job_.reset();  // a failed fit (e.g. diverged) is over; the detector keeps its model
        throw;
      }
    });
  }
  void cancelFit() {
    guarded([&] {
      if (job_) job_->cancel();
    });
  }
  std::string finishFit() {
    return guarded([&] {
      CA3_CHECK(job_, "no fit is running");
      ca3::FitJob job = std::move(*job_);
      job_.reset();
      return detector_.finish_fit(std::move(job)).to_json().dump();
    });
  }
  bool fitting() const { return job_.has_value(); }

  // ---- scoring and the views behind a score ----
  val scoreTable(const std::string& csv) {
    return guarded([&] { return to_js(detector_.score_table(ca3::parse_csv(csv))); });
  }
  val scoreInputs(const val& inputs) {
    return guarded([&] { return to_js(detector_.score_inputs(model_inputs(inputs))); });
  }
  val prepareTable(const std::string& csv) {
    return guarded([&] { return to_js(detector_.prepare_table(ca3::parse_csv(csv))); });
  }
  val tableLabels(const std::string& csv) {
    return guarded([&] {
      const std::vector<int> labels = detector_.table_labels(ca3::parse_csv(csv));
      const std::vector<int32_t> values(labels.begin(), labels.end());
      return val::global("Int32Array").new_(emscripten::typed_memory_view(values.size(), values.data()));
    });
  }
  std::string scoredCsv(const std::string& csv) {
    return guarded([&] {
      const ca3::CsvTable table = ca3::parse_csv(csv);
      return ca3::write_csv(ca3::with_score_columns(table, detector_.score_table(table), detector_.threshold()));
    });
  }
  val reconstruct(const val& inputs) {
    return guarded([&] { return to_js(detector_.reconstruct(model_inputs(inputs))); });
  }
  val activations(const val& inputs) {
    return guarded([&] {
      const ca3::E2EConvA3::AlarmInput a = detector_.alarm_input(model_inputs(inputs));
      val o = to_js(a.stack);
      o.set("layerChannels", val::array(std::vector<double>(a.layer_channels.begin(), a.layer_channels.end())));
      return o;
    });
  }
  val explain(const val& inputs) {
    return guarded([&] { return to_js(detector_.explain(model_inputs(inputs))); });
  }
  std::string evaluate(const val& scores, const val& labels) {
    return guarded([&] {
      return detector_
          .evaluate(emscripten::convertJSArrayToNumberVector<float>(scores), labels_from_js(labels))
          .to_json()
          .dump();
    });
  }

  // ---- the model ----
  std::string info() const {
    return guarded([&] { return detector_.info().dump(); });
  }
  float threshold() const { return detector_.threshold(); }
  void setThreshold(float t) {
    guarded([&] { detector_.set_threshold(t); });
  }
  val save() const {
    return guarded([&] {
      const std::vector<uint8_t> bytes = detector_.save();
      return val::global("Uint8Array").new_(emscripten::typed_memory_view(bytes.size(), bytes.data()));
    });
  }

 private:
  ca3::Detector::ProgressCallback callback(val on_progress) {
    if (on_progress.isUndefined() || on_progress.isNull()) return {};
    return [on_progress](const ca3::TrainProgress& p) { on_progress(progress_to_js(p)); };
  }
  ca3::Tensor model_inputs(const val& values) { return inputs_from_js(values, detector_.model().sample_shape()); }
  static val to_js(const std::vector<float>& v) { return float32_array(v.data(), v.size()); }
  // {values: Float32Array, shape: [...]}
  static val to_js(const ca3::Tensor& t) {
    val o = val::object();
    o.set("values", float32_array(t.data(), size_t(t.numel())));
    o.set("shape", val::array(std::vector<double>(t.shape().begin(), t.shape().end())));
    return o;
  }

  ca3::Detector detector_;
  std::optional<ca3::FitJob> job_;
};

// The CSV helpers the SDK offers before any model exists.
std::string describeCsv(const std::string& csv) {
  return guarded([&] { return ca3::describe_columns(ca3::parse_csv(csv)).dump(); });
}

int threads() { return ca3::num_threads(); }
void setThreads(int n) {
  guarded([&] { ca3::set_num_threads(n); });
}
// The thread count to use by default: the machine's cores, capped by the pthread pool.
int defaultThreads() {
#ifdef __EMSCRIPTEN_PTHREADS__
  return std::clamp(int(std::thread::hardware_concurrency()), 1, CA3_PTHREAD_POOL_SIZE);
#else
  return 1;
#endif
}
bool threaded() {
#ifdef __EMSCRIPTEN_PTHREADS__
  return true;
#else
  return false;
#endif
}

}  // namespace

EMSCRIPTEN_BINDINGS(ca3) {
  using namespace emscripten;
  class_<WasmDetector>("Detector")
      .class_function("create", &WasmDetector::create)
      .class_function("load", &WasmDetector::load)
      .function("startFitTable", &WasmDetector::startFitTable)
      .function("startFitImages", &WasmDetector::startFitImages)
      .function("advanceFit", &WasmDetector::advanceFit)
      .function("cancelFit", &WasmDetector::cancelFit)
      .function("finishFit", &WasmDetector::finishFit)
      .function("fitting", &WasmDetector::fitting)
      .function("scoreTable", &WasmDetector::scoreTable)
      .function("scoreInputs", &WasmDetector::scoreInputs)
      .function("prepareTable", &WasmDetector::prepareTable)
      .function("tableLabels", &WasmDetector::tableLabels)
      .function("scoredCsv", &WasmDetector::scoredCsv)
      .function("reconstruct", &WasmDetector::reconstruct)
      .function("activations", &WasmDetector::activations)
      .function("explain", &WasmDetector::explain)
      .function("evaluate", &WasmDetector::evaluate)
      .function("info", &WasmDetector::info)
      .function("threshold", &WasmDetector::threshold)
      .function("setThreshold", &WasmDetector::setThreshold)
      .function("save", &WasmDetector::save);
  function("describeCsv", &describeCsv);
  function("threads", &threads);
  function("setThreads", &setThreads);
  function("defaultThreads", &defaultThreads);
  function("threaded", &threaded);
}
