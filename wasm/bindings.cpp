// Embind bindings: the core's Detector as the JavaScript class `Detector` of the wasm module,
// with the SDK's method names (sdk/src/index.ts); the SDK's worker calls them by name. Thin by
// design -- every method converts arguments, calls the core and converts the result:
//  - samples cross as typed arrays, copied once: {inputs: Float32Array, labels?: Int32Array};
//    tables as {csv: string, options?: TableOptions};
//  - structured results are the JSON values of core/anomaly/wire.h, handed over as JavaScript
//    objects (the SDK's wire.ts declares them);
//  - a C++ exception becomes a JavaScript Error with `code` (wire ErrorInfo: bad_input,
//    unsupported_file, out_of_memory, cancelled, internal) and the core's message;
//  - a fit runs in slices so the worker can yield and take a cancel:
//      d.fit(data, changesJson, onProgress); while (d.advanceFit(0.05)) {...}; d.finishFit()
//
//   const d = Module.Detector.create('{"kind": "tabular"}');
//   const scores = d.score({csv: text});        // Float32Array
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <new>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/anomaly/data/csv.h"
#include "core/anomaly/data/images.h"
#include "core/anomaly/data/tabular.h"
#include "core/anomaly/detector.h"
#include "core/anomaly/onnx.h"
#include "core/anomaly/wire.h"
#include "core/engine/error.h"
#include "core/engine/kernels/kernels.h"

namespace {

using emscripten::val;
using ca3::wire::Json;

// The error being handled, kept outside any frame that the JavaScript throw below abandons
// (C++ destructors of abandoned frames do not run).
struct PendingError {
  std::string code, message;
};
PendingError& last_error() {
  static PendingError error;
  return error;
}

[[noreturn]] void throw_last_error() {
  val error = val::global("Error").new_(last_error().message);
  error.set("code", last_error().code);
  error.throw_();
}

// Runs `body`; a C++ exception becomes a JavaScript Error carrying its code and message.
template <class Body>
auto guarded(Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const ca3::Error& e) {
    last_error() = {ca3::to_string(e.code()), e.what()};
  } catch (const std::bad_alloc&) {
    last_error() = {"out_of_memory",
                    "out of memory: the data or the model does not fit in WebAssembly's memory (at most 4 GB; a "
                    "browser tab may allow less) -- use fewer rows / images or a smaller preset"};
  } catch (const std::exception& e) {
    last_error() = {"internal", std::string("internal error: ") + e.what()};
  } catch (...) {
    last_error() = {"internal", "internal error: an unknown C++ exception"};
  }
  throw_last_error();
}

// JSON values cross as JavaScript objects (small: reports, options, summaries).
val to_js(const Json& json) { return val::global("JSON").call<val>("parse", ca3::wire::dump(json)); }
Json from_js(const val& value, const char* what) {
  if (value.isUndefined() || value.isNull()) return Json::object();
  return ca3::wire::parse(val::global("JSON").call<std::string>("stringify", value), what);
}

val float32_array(const float* data, size_t count) {
  return val::global("Float32Array").new_(emscripten::typed_memory_view(count, data));
}
val to_js(const std::vector<float>& v) { return float32_array(v.data(), v.size()); }
// TensorData {values: Float32Array, shape: number[]}
val to_js(const ca3::Tensor& t) {
  val o = val::object();
  o.set("values", float32_array(t.data(), size_t(t.numel())));
  o.set("shape", val::array(std::vector<double>(t.shape().begin(), t.shape().end())));
  return o;
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
  CA3_CHECK(!values.isUndefined() && !values.isNull(), "no samples given");
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

// A Uint8Array's bytes, copied once into wasm memory.
std::string bytes_of(const val& array) {
  std::string bytes(size_t(array["length"].as<double>()), '\0');
  val(emscripten::typed_memory_view(bytes.size(), reinterpret_cast<uint8_t*>(bytes.data()))).call<void>("set", array);
  return bytes;
}
// A CSV given as text (a JavaScript string: UTF-8 here) or as the file's bytes (Uint8Array: the
// core decodes them, text.h).
std::string csv_bytes(const val& csv) {
  if (csv.isString()) return csv.as<std::string>();
  CA3_CHECK(csv.instanceof(val::global("Uint8Array")), "a CSV must be given as text or as a Uint8Array of its bytes");
  return bytes_of(csv);
}
// A CSV read with the number format its options name ({decimalMark: ','}), if any.
ca3::CsvOptions csv_options(const val& options) {
  ca3::CsvOptions o;
  o.numbers = ca3::wire::table_numbers_from_json(from_js(options, "the table options"));
  return o;
}
// The last CSV read into a table, kept for the next call on the same bytes read with the same
// decimal mark: the page scores a file, then asks for its rows to check, its labels, its scoring
// notes and the "why" of the rows it shows, and previews a file before training on it: one reading
// each, not five. Known by the bytes' size and 64-bit hash. A fit lets it go (training needs the
// memory); another file replaces it.
struct LastTable {
  size_t size = 0;
  uint64_t hash = 0;
  std::string mark;  // the decimal mark named, "" for none
  std::shared_ptr<const ca3::CsvTable> table;
};
LastTable last_table;
std::shared_ptr<const ca3::CsvTable> read_table(const val& csv, const val& options) {
  const std::string bytes = csv_bytes(csv);
  const Json named = from_js(options, "the table options");
  const std::string mark = named.is_object() && named.contains("decimalMark") ? named["decimalMark"].dump() : "";
  uint64_t hash = 0xcbf29ce484222325u;  // FNV-1a, 8 bytes a step (a file changed, not an adversary)
  for (size_t i = 0; i < bytes.size(); i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, bytes.data() + i, std::min<size_t>(8, bytes.size() - i));
    hash = (hash ^ word) * 0x100000001b3u;
  }
  LastTable& last = last_table;  // (one per module: calls reach it one at a time)
  if (last.table && last.size == bytes.size() && last.hash == hash && last.mark == mark) return last.table;
  last.table.reset();  // (its memory free before the next table is read)
  last.table = std::make_shared<const ca3::CsvTable>(ca3::parse_csv(bytes, csv_options(options)));
  last.size = bytes.size(), last.hash = hash, last.mark = mark;
  return last.table;
}
std::shared_ptr<const ca3::CsvTable> table_of(const val& data) { return read_table(data["csv"], data["options"]); }
bool is_table(const val& data) { return !data["csv"].isUndefined(); }

class WasmDetector {
 public:
  explicit WasmDetector(ca3::Detector detector) : detector_(std::move(detector)) {}

  static WasmDetector create(const std::string& preset_json) {
    return guarded([&] { return WasmDetector(ca3::Detector(ca3::Preset::from_json(ca3::wire::parse(preset_json, "the preset")))); });
  }
  static WasmDetector load(const val& bytes) {
    return guarded([&] {
      const auto data = emscripten::convertJSArrayToNumberVector<uint8_t>(bytes);
      return WasmDetector(ca3::Detector::load(data.data(), data.size()));
    });
  }

  // ---- fitting, in slices ----
  // data: {csv, options?} or {inputs, labels}; changes: a partial preset as JSON text ("" = none).
  void fit(const val& data, const std::string& changes, val on_progress) {
    guarded([&] {
      CA3_CHECK(!fit_, "a fit is already running: finish or cancel it first");
      const Json preset_changes = changes.empty() ? Json() : ca3::wire::parse(changes, "the preset changes");
      if (is_table(data)) {
        const std::shared_ptr<const ca3::CsvTable> table = table_of(data);
        last_table.table.reset();  // (held here until the fit has what it needs)
        forget_prepared();
        const ca3::TabularOptions options = ca3::wire::table_options_from_json(from_js(data["options"], "the table options"));
        fit_.emplace(detector_.start_fit_table(*table, options, callback(on_progress), preset_changes));
      } else {
        CA3_CHECK(detector_.kind() == ca3::ModelKind::image, "this is a tabular detector: give it a CSV table");
        CA3_CHECK(!data["labels"].isUndefined(), "fitting images needs labels (0 = normal, 1 = anomaly), one per image");
        ca3::Dataset images{inputs_from_js(data["inputs"], detector_.model().sample_shape()), labels_from_js(data["labels"])};
        CA3_CHECK(int64_t(images.labels.size()) == images.inputs.dim(0), images.labels.size(), " labels for ",
                  images.inputs.dim(0), " images");
        fit_.emplace(detector_.start_fit_images(images, callback(on_progress), preset_changes));
      }
    });
  }
  bool advanceFit(double seconds) {
    return guarded([&] {
      CA3_CHECK(fit_, "no fit is running");
      try {
        return fit_->advance(seconds);
      } catch (...) {
        fit_.reset();  // a failed fit (e.g. diverged) is over; the detector keeps its model
        throw;
      }
    });
  }
  void cancelFit() {
    guarded([&] {
      if (fit_) fit_->cancel();
    });
  }
  val finishFit() {
    return guarded([&] {
      CA3_CHECK(fit_, "no fit is running");
      ca3::Fit fit = std::move(*fit_);
      fit_.reset();
      forget_prepared();  // (the inputs of the model before)
      return to_js(ca3::wire::to_json(detector_.finish_fit(std::move(fit))));
    });
  }

  // ---- scoring and the views behind a score ----
  val score(const val& data) {
    return guarded([&] {
      if (is_table(data)) {
        const std::shared_ptr<const ca3::CsvTable> table = table_of(data);
        return to_js(detector_.score_table(*table, prepared(table)));
      }
      return to_js(detector_.score_inputs(model_inputs(data["inputs"])));
    });
  }
  // Metrics with the ROC curve, at `threshold` (undefined: the detector's).
  val evaluate(const val& data, const val& threshold) {
    return guarded([&] {
      std::vector<float> scores;
      std::vector<int> labels;
      if (is_table(data)) {
        const std::shared_ptr<const ca3::CsvTable> held = table_of(data);
        const ca3::CsvTable& table = *held;
        scores = detector_.score_table(table, prepared(held)), labels = detector_.table_labels(table);
      } else {
        CA3_CHECK(!data["labels"].isUndefined(), "evaluating images needs labels (0 = normal, 1 = anomaly)");
        scores = data["scores"].isUndefined() ? detector_.score_inputs(model_inputs(data["inputs"]))
                                              : emscripten::convertJSArrayToNumberVector<float>(data["scores"]);
        labels = labels_from_js(data["labels"]);
      }
      std::optional<float> at;
      if (threshold.isNumber()) at = threshold.as<float>();
      return to_js(ca3::wire::to_json(detector_.evaluate(scores, labels, at, true)));
    });
  }
  // data: {csv, options?}: with options naming a label column, the labels under those options (a
  // model trained without labels compared with a file's own label column); else the model's.
  val labels(const val& data) {
    return guarded([&] {
      const std::shared_ptr<const ca3::CsvTable> held = table_of(data);
      const ca3::CsvTable& table = *held;
      const bool given = !data["options"].isUndefined() && data["options"]["labelColumn"].isString() &&
                         !data["options"]["labelColumn"].as<std::string>().empty();
      const std::vector<int> labels =
          given ? ca3::scored_rows_labels(table, ca3::wire::table_options_from_json(from_js(data["options"], "the table options")))
                : detector_.table_labels(table);
      const std::vector<int32_t> values(labels.begin(), labels.end());
      return val::global("Int32Array").new_(emscripten::typed_memory_view(values.size(), values.data()));
    });
  }
  // data: {csv, options?}: what reading it for scoring decides, in words (TabularPreprocessor::scoring_notes);
  // the options' labelColumn (true labels of a model trained without them) and idColumns are
  // used, not columns "the model does not know".
  val scoringNotes(const val& data) {
    return guarded([&] {
      CA3_CHECK(detector_.preprocessing(), "this is an image model: scoring notes are about a CSV table's columns");
      const ca3::TabularOptions options = ca3::wire::table_options_from_json(from_js(data["options"], "the table options"));
      std::vector<std::string> used = options.id_columns;
      if (!options.label_column.empty()) used.push_back(options.label_column);
      const std::shared_ptr<const ca3::CsvTable> held = table_of(data);
      const ca3::CsvTable& table = *held;
      prepared(held);  // a table score() refuses is refused here, in its words, not described
      return to_js(Json(detector_.preprocessing()->scoring_notes(table, counted(held), used)));
    });
  }
  // data: {csv, options?}: the rows the scoring notes ask to look at whatever their score
  // (CellNotes::rows_to_check): RowToCheck[].
  val rowsToCheck(const val& data) {
    return guarded([&] {
      CA3_CHECK(detector_.preprocessing(), "this is an image model: rows to check are a CSV table's rows");
      const std::shared_ptr<const ca3::CsvTable> held = table_of(data);
      prepared(held);  // (as scoringNotes)
      return to_js(ca3::wire::to_json(counted(held).rows_to_check()));
    });
  }
  // What `scored` samples of which `flagged` were flagged tell beyond the counts (Detector::flagged_share_note).
  std::string flaggedNote(double scored, double flagged) {
    return detector_.flagged_share_note(size_t(std::max(scored, 0.0)), size_t(std::max(flagged, 0.0)));
  }
  val prepare(const val& data) {
    return guarded([&] { return to_js(prepared(table_of(data))); });
  }
  std::string scoredCsv(const val& data) {
    return guarded([&] {
      const std::shared_ptr<const ca3::CsvTable> held = table_of(data);
      const ca3::CsvTable& table = *held;
      return ca3::write_csv(ca3::with_score_columns(table, detector_.score_table(table, prepared(held)), detector_.threshold()));
    });
  }
  // The reconstruction with the model inputs it started from: {values, shape, inputs}.
  val reconstruct(const val& data) {
    return guarded([&] {
      const ca3::Tensor inputs = data_inputs(data);
      val o = to_js(detector_.reconstruct(inputs));
      o.set("inputs", float32_array(inputs.data(), size_t(inputs.numel())));
      return o;
    });
  }
  val activations(const val& data) {
    return guarded([&] {
      const ca3::E2EConvA3::AlarmInput a = detector_.alarm_input(data_inputs(data));
      val o = to_js(a.stack);
      o.set("layerChannels", val::array(std::vector<double>(a.layer_channels.begin(), a.layer_channels.end())));
      return o;
    });
  }
  val explain(const val& data) {
    return guarded([&] { return to_js(detector_.explain(data_inputs(data))); });
  }
  // RowExplanation[] (wire.h) of the given 0-based rows of a table.
  val explainRows(const val& data, const val& rows, int top) {
    return guarded([&] {
      const std::vector<double> picked = emscripten::vecFromJSArray<double>(rows);
      Json out = Json::array();
      for (const ca3::RowExplanation& e :
           detector_.explain_rows(*table_of(data), std::vector<int64_t>(picked.begin(), picked.end()), size_t(std::max(top, 1))))
        out.push_back(ca3::wire::to_json(e));
      return to_js(out);
    });
  }

  // ---- streaming: CSV bytes pushed as they arrive, scores of whole batches back ----
  // options: {decimalMark?}, read when the stream opens (its first piece).
  val streamPush(const val& bytes, const val& options) {
    return guarded([&] {
      if (!stream_) stream_.emplace(csv_options(options).numbers), cells_.reset(), stream_notes_.clear();
      stream_->push(csv_bytes(bytes));
      return to_js(drain());
    });
  }
  val streamEnd() {
    return guarded([&] {
      CA3_CHECK(stream_, "no stream is open: push some CSV first");
      stream_->finish();
      std::vector<float> scores;
      try {
        scores = drain();
      } catch (...) {
        stream_.reset();
        throw;
      }
      CA3_CHECK(stream_->rows_read() > 0, "the CSV stream has a header but no data rows");
      stream_.reset();
      // What scoring decided, as scoringNotes says it of a file: the first batch's notes, then
      // the cells' over the whole stream.
      Json check = Json::array();  // the rows those notes ask to look at (RowToCheck[])
      if (cells_) {
        for (std::string& note : cells_->notes()) stream_notes_.push_back(std::move(note));
        check = ca3::wire::to_json(cells_->rows_to_check());
      }
      val end = val::object();
      end.set("scores", to_js(scores));
      end.set("notes", to_js(Json(stream_notes_)));
      end.set("rowsToCheck", to_js(check));
      return end;
    });
  }
  void streamReset() { stream_.reset(); }

  // ---- the model ----
  val info() const {
    return guarded([&] { return to_js(ca3::wire::detector_info(detector_)); });
  }
  void setThreshold(float t) {
    guarded([&] { detector_.set_threshold(t); });
  }
  // The scoring graph as an ONNX file (core/anomaly/onnx.h).
  val exportOnnx() {
    return guarded([&] {
      const std::vector<uint8_t> bytes = ca3::export_onnx(detector_);
      return val::global("Uint8Array").new_(emscripten::typed_memory_view(bytes.size(), bytes.data()));
    });
  }
  val save() const {
    return guarded([&] {
      const std::vector<uint8_t> bytes = detector_.save();
      return val::global("Uint8Array").new_(emscripten::typed_memory_view(bytes.size(), bytes.data()));
    });
  }

 private:
  // The model inputs of the table read last (read_table), and what reading it decides of its
  // cells, while it is the last: a file's scores, rows to check, notes and views work them out once.
  static bool same_table(const std::weak_ptr<const ca3::CsvTable>& kept, const std::shared_ptr<const ca3::CsvTable>& table) {
    return !kept.expired() && !kept.owner_before(table) && !table.owner_before(kept);
  }
  const ca3::Tensor& prepared(const std::shared_ptr<const ca3::CsvTable>& table) {
    if (!prepared_ || !same_table(prepared_for_, table)) {
      prepared_.reset(), prepared_for_.reset();  // (its memory free first)
      prepared_ = detector_.prepare_table(*table);
      prepared_for_ = table;
    }
    return *prepared_;
  }
  ca3::CellNotes& counted(const std::shared_ptr<const ca3::CsvTable>& table) {
    if (!counted_ || !same_table(counted_for_, table)) {
      counted_.reset(), counted_for_.reset();
      counted_.emplace(*detector_.preprocessing());
      counted_->add(*table);
      counted_for_ = table;
    }
    return *counted_;
  }
  // (a new model: the CellNotes read with the one before)
  void forget_prepared() { prepared_.reset(), prepared_for_.reset(), counted_.reset(), counted_for_.reset(); }

  ca3::ProgressCallback callback(val on_progress) {
    if (on_progress.isUndefined() || on_progress.isNull()) return {};
    return [on_progress](const ca3::TrainProgress& p) { on_progress(to_js(ca3::wire::to_json(p))); };
  }
  ca3::Tensor model_inputs(const val& values) { return inputs_from_js(values, detector_.model().sample_shape()); }
  ca3::Tensor data_inputs(const val& data) {
    if (is_table(data)) return prepared(table_of(data));
    return model_inputs(data["inputs"]);
  }

  // The scores of every whole batch the stream holds, read as `ca3 score --data -` reads them
  // (CellNotes: rows holding no sample found in the batch as written, a grouped column's blank
  // cells given the value above them, also from the batch before; a cell that cannot be read as
  // missing, said: the batches before were scored already).
  std::vector<float> drain() {
    std::vector<float> scores;
    while (auto batch = stream_->next(4096)) {
      const ca3::TabularPreprocessor* prep = detector_.preprocessing();
      if (!prep) detector_.prepare_table(*batch);  // says why it cannot (an image model, none trained)
      CA3_CHECK(prep, "the detector is not trained yet");
      const bool first = !cells_;
      if (first) cells_.emplace(*prep), stream_notes_ = prep->scoring_notes(*batch, false);
      const ca3::CsvTable& read = cells_->add(*batch);
      if (!first) cells_->check_readable();  // (the first batch: as a file, by prepare_table below)
      // (the first batch refuses a column mostly unreadable, as a file is refused)
      std::vector<float> part = detector_.score_inputs(detector_.prepare_table(
          read, false, first ? ca3::TabularPreprocessor::Unreadable::few_as_missing : ca3::TabularPreprocessor::Unreadable::all_as_missing));
      for (const size_t r : cells_->not_scored().rows) part[r] = std::numeric_limits<float>::quiet_NaN();
      scores.insert(scores.end(), part.begin(), part.end());
    }
    return scores;
  }

  ca3::Detector detector_;
  std::optional<ca3::Tensor> prepared_;
  std::weak_ptr<const ca3::CsvTable> prepared_for_;
  std::optional<ca3::CellNotes> counted_;
  std::weak_ptr<const ca3::CsvTable> counted_for_;
  std::optional<ca3::Fit> fit_;
  std::optional<ca3::CsvStream> stream_;
  std::optional<ca3::CellNotes> cells_;  // the stream's: what reading its batches decided, their carry
  std::vector<std::string> stream_notes_;
};

// The CSV helpers the SDK offers before any model exists: CsvSummary.
val describeCsv(const val& csv, const val& options) {  // options: {decimalMark?}
  return guarded([&] { return to_js(ca3::wire::csv_summary(*read_table(csv, options))); });
}

// Decoded RGBA pixels (a browser's ImageData.data, width x height) -> one model input [H, W, C]
// by the core's image rule (core/anomaly/data/images.h): {input: Float32Array, grey: boolean}.
val imageToInput(const val& rgba, int width, int height, int H, int W, int C) {
  return guarded([&] {
    CA3_CHECK(width >= 1 && height >= 1, "an image of ", width, "x", height, " pixels");
    const size_t bytes = size_t(width) * size_t(height) * 4;
    CA3_CHECK(size_t(rgba["length"].as<double>()) == bytes, "RGBA pixels of ", width, "x", height, " need ", bytes,
              " bytes, got ", rgba["length"].as<double>());
    std::vector<uint8_t> pixels(bytes);
    val(emscripten::typed_memory_view(bytes, pixels.data())).call<void>("set", rgba);
    std::vector<float> input(size_t(H) * size_t(W) * size_t(C));
    ca3::image_to_input(pixels.data(), height, width, H, W, C, input.data());
    val o = val::object();
    o.set("input", to_js(input));
    o.set("grey", ca3::is_grey(pixels.data(), bytes / 4));
    return o;
  });
}

// Model inputs (Float32Array [n, H, W, C]) and the images' names (n strings) -> which are copies of
// another, in words (ca3::image_copies_note; "" when all differ).
std::string imageCopiesNote(const val& inputs, const val& names, int H, int W, int C) {
  return guarded([&] {
    const std::vector<std::string> named = emscripten::vecFromJSArray<std::string>(names);
    const std::vector<float> pixels = emscripten::convertJSArrayToNumberVector<float>(inputs);
    CA3_CHECK(pixels.size() == named.size() * size_t(H) * size_t(W) * size_t(C), "image inputs of ", pixels.size(), " values are not ",
              named.size(), " images of ", W, "x", H, "x", C);
    return ca3::image_copies_note(pixels.data(), named, H, W, C);
  });
}

// Images as decoded ({width, height}[] sizes, frames[], names[]) -> what fitting them to H x W did,
// in words (ca3::image_fit_decisions): crops, enlargements, animated GIFs.
std::string imageFitNote(const val& sizes, const val& frames, const val& names, int H, int W) {
  return guarded([&] {
    const std::vector<std::string> named = emscripten::vecFromJSArray<std::string>(names);
    const size_t n = named.size();
    CA3_CHECK(size_t(sizes["length"].as<double>()) == n && size_t(frames["length"].as<double>()) == n, "sizes, frames and names of ",
              n, " images differ in length");
    std::vector<ca3::ImageFacts> facts(n);
    for (size_t i = 0; i < n; ++i) {
      facts[i].width = int64_t(sizes[i]["width"].as<double>()), facts[i].height = int64_t(sizes[i]["height"].as<double>());
      facts[i].frames = int64_t(frames[i].as<double>()), facts[i].name = named[i];
    }
    return ca3::image_fit_decisions(facts, H, W);
  });
}

// An image file's bytes (Uint8Array) and name, before a browser decodes them -> {frames: an
// animated GIF's frames (ca3::gif_frames; 1 for other files), problem: what the bytes show wrong
// (ca3::image_bytes_problem: cut short, a PNG's checksum; "" when none)}.
val imageBytes(const val& bytes, const std::string& name) {
  return guarded([&] {
    const std::string copy = bytes_of(bytes);
    val facts = val::object();
    facts.set("frames", double(copy.starts_with("GIF8") ? std::max<int64_t>(1, ca3::gif_frames(copy)) : 1));
    facts.set("problem", ca3::image_bytes_problem(copy, name));
    return facts;
  });
}

#ifdef __EMSCRIPTEN_PTHREADS__
// The pthread workers the module started (its pool: Module.ca3PoolSize, see CMakeLists.txt).
EM_JS(int, pthread_workers, (), { return PThread.unusedWorkers.length + PThread.runningWorkers.length; });
#else
int pthread_workers() { return 0; }
#endif

int threads() { return ca3::num_threads(); }
int pthreadWorkers() { return pthread_workers(); }
// n threads compute: the calling (SDK worker) thread and n - 1 pthread workers of the pool.
void setThreads(int n) {
  guarded([&] {
    CA3_CHECK(n >= 1 && n <= pthread_workers() + 1, "threads must be between 1 and ", pthread_workers() + 1,
              " (the module started ", pthread_workers(), " pthread workers), got ", n);
    ca3::set_num_threads(n);
  });
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
      .function("fit", &WasmDetector::fit)
      .function("advanceFit", &WasmDetector::advanceFit)
      .function("cancelFit", &WasmDetector::cancelFit)
      .function("finishFit", &WasmDetector::finishFit)
      .function("score", &WasmDetector::score)
      .function("evaluate", &WasmDetector::evaluate)
      .function("labels", &WasmDetector::labels)
      .function("prepare", &WasmDetector::prepare)
      .function("scoringNotes", &WasmDetector::scoringNotes)
      .function("rowsToCheck", &WasmDetector::rowsToCheck)
      .function("flaggedNote", &WasmDetector::flaggedNote)
      .function("scoredCsv", &WasmDetector::scoredCsv)
      .function("reconstruct", &WasmDetector::reconstruct)
      .function("activations", &WasmDetector::activations)
      .function("explain", &WasmDetector::explain)
      .function("explainRows", &WasmDetector::explainRows)
      .function("streamPush", &WasmDetector::streamPush)
      .function("streamEnd", &WasmDetector::streamEnd)
      .function("streamReset", &WasmDetector::streamReset)
      .function("info", &WasmDetector::info)
      .function("setThreshold", &WasmDetector::setThreshold)
      .function("exportOnnx", &WasmDetector::exportOnnx)
      .function("save", &WasmDetector::save);
  function("describeCsv", &describeCsv);
  function("imageToInput", &imageToInput);
  function("imageBytes", &imageBytes);
  function("imageCopiesNote", &imageCopiesNote);
  function("imageFitNote", &imageFitNote);
  function("threads", &threads);
  function("setThreads", &setThreads);
  function("pthreadWorkers", &pthreadWorkers);
  function("threaded", &threaded);
}
