// ca3: train, score, evaluate and inspect E2E-ConvA3 detectors from the command line.
//
//   ca3 train --data Ionosphere.csv --label-column Class --normal good --out iono.ca3
//   ca3 score --model iono.ca3 --data new.csv --out scores.csv
//   ca3 eval  --model iono.ca3 --data Ionosphere.csv
//   ca3 info  iono.ca3
//
// Errors: one line "ca3: error: ..." on stderr and exit status 1 (2 for bad usage, 130 when
// training is interrupted with Ctrl-C; then no model file is written).
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <algorithm>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include <unistd.h>

#include "core/anomaly/data/csv.h"
#include "core/anomaly/data/idx.h"
#include "core/anomaly/data/images.h"
#include "core/anomaly/detector.h"
#include "core/engine/error.h"
#include "core/engine/kernels/kernels.h"
#include "core/anomaly/model_file.h"
#include "core/anomaly/onnx.h"
#include "core/anomaly/wire.h"
#include "core/anomaly/data/text.h"

namespace fs = std::filesystem;
using namespace ca3;

const char* ca3_presets_dir();  // presets_dir.cpp

namespace {

const char* kUsage = R"(usage:
  ca3 train --data FILE [--label-column COL (--normal V[,V...] | --anomaly V[,V...])] --out MODEL
            [--preset NAME|FILE.json] [--epochs N] [--gamma G] [--variant e2e|a3|reconstruction]
            [--batch-size N] [--patience N] [--seed S] [--id-column COL]... [--role COL=ROLE]...
            [--decimal-mark ,|.] [--labels CSV] [--limit N]
            [--contamination F] [--image-size N] [--channels 1|3]
            [--drop-duplicates] [--report FILE.json] [--threads N] [--quiet]
  ca3 score --model MODEL --data FILE|- --out SCORES.csv|- [--labels CSV] [--limit N] [--why N]
            [--id-column COL]... [--decimal-mark ,|.] [--threads N] [--quiet]
  ca3 eval  --model MODEL --data FILE [--label-column COL (--normal V[,V...] | --anomaly V[,V...])]
            [--labels CSV] [--limit N] [--decimal-mark ,|.] [--threads N] [--quiet]
  ca3 info  MODEL
  ca3 export --model MODEL --onnx OUT.onnx [--preprocessing OUT.json] [--quiet]
)";

// What the options mean, a paragraph each (wrapped when printed), with the commands it is about:
// `ca3 --help` prints them all, `ca3 score --help` score's.
struct HelpParagraph {
  const char* commands;
  const char* text;
};
const HelpParagraph kHelp[] = {
    {"train", "--out is where train writes the model (e.g. --out model.ca3)."},
    {"score", "--out is where score writes the scores, a CSV (--out - for standard output)."},
    {"score eval export", "--model is a model file that ca3 train wrote."},
    {"train eval",
     "--data is a CSV file (or a text table whose columns are aligned with spaces); an IDX image file "
     "(e.g. train-images-idx3-ubyte.gz, its labels from the matching labels-idx1 file; --normal lists "
     "the normal classes); or a folder of PNG/JPEG/BMP/GIF images, with --labels CSV naming each image's "
     "label (a \"file\" column and the label column; train without --labels takes every image in the "
     "folder as normal). "
     "Images of any size are centre-cropped to the model's shape and resized. --limit N uses only the "
     "first N rows (a CSV file) or images (an IDX file; for a folder, list the images in --labels)."},
    {"score",
     "--data is the data to score, of the kind the model was trained on: a CSV file (or a text table whose "
     "columns are aligned with spaces) for a table model; for an image model an IDX image file (e.g. "
     "t10k-images-idx3-ubyte.gz; its labels are not read), a folder of PNG/JPEG/BMP/GIF images (every "
     "image in it, or with --labels CSV the images its \"file\" column lists, no label column needed) or "
     "one image file. Images of any size are centre-cropped to the model's shape and resized; a file that "
     "cannot be read is written without a score and said. --limit N scores only the "
     "first N rows (a CSV file) or images (an IDX file; for a folder, list the images in --labels)."},
    {"train",
     "The label: --label-column COL with --normal V (the values that are normal; every other value is an "
     "anomaly) or --anomaly V (the reverse). Without it every row or image is taken as normal "
     "(\"one-class\": a folder's images all, or those --labels lists) and the alarm learns from "
     "synthetic anomalies. --contamination F says that about F of them may be anomalies "
     "(\"contaminated\": the worst-reconstructed share sits out each epoch, the least typical share is "
     "left out of the samples the score compares with, a table's score leaves the alarm out, an image's "
     "distance averages over more of its nearest training images, and the threshold, set on the "
     "held-out rows (validation and test), flags at most F of new rows when F is above the preset's "
     "false-positive rate, 5%; "
     "with labelled anomalies it stays at that rate of new normal rows)."},
    {"train",
     "An image model is colour when any training image has colour (--channels 1|3); its size is the "
     "images' own up to 64x64, else 32x32 (--image-size N)."},
    {"train",
     "Each column's role (numeric, categorical, ignore) is decided from its cells and printed with the "
     "reason; --role COL=numeric|categorical|ignore overrides it. --id-column COL marks an identifier: "
     "not learnt from, written beside the scores (columns named like id / *_id and running numbers "
     "such as invoice numbers are found without it). --drop-duplicates trains on each distinct row once."},
    {"train score eval",
     "--decimal-mark , (or .) names a CSV's decimal mark where its cells cannot tell (\"1.016\" only: a "
     "decimal mark, or a thousands separator?); the other mark then groups thousands. A cell that tells "
     "the other mark (\"24.5\" named ',') is refused, and so is a scored file whose numbers read "
     "otherwise than the training file's where that file's mark was named or could not be told."},
    {"train",
     "--preset NAME (models/presets/NAME.json) or FILE.json gives the model and its training; --epochs, "
     "--batch-size, --patience (epochs without improvement before stopping), --seed, --gamma (the weight "
     "of the alarm's classification loss beside the reconstruction loss) and --variant (e2e: trained "
     "end to end; a3: the target first, then the alarm; reconstruction: the target alone) override "
     "its keys. train prints its report (JSON: the setting, validation and test figures, the epochs) on "
     "standard output (also --report -), or writes it to --report FILE; progress and a summary in "
     "words go to standard error."},
    {"score",
     "score writes one line per row (a table) or image: \"row\" (1 for the first data row of the file, "
     "heading and totals lines counted, empty and comment lines not; the notes name file lines: row N is "
     "line N + 1 when the header is the first line and no line is empty, a comment ('#' first) or continues "
     "a quoted cell) or \"file\" (a "
     "folder's images); a "
     "table's identifier columns (the model's, and any --id-column given here) and the columns the "
     "model left out as dates; then \"score\" (higher: less like the training data) and \"flag\" (1 = at "
     "or above the model's threshold). A row that holds no sample (a group's heading line, a totals "
     "row) has no score and no flag. A missing cell is filled in from the 5 training rows most like "
     "its row in its other columns (their mean, or the category most of them have), so that a value that "
     "goes with other columns (a machine's vibration with its mode) is filled with what such rows have "
     "(a model file saved before every model of rows kept its training rows fills it with the column's typical "
     "value). So is a numeric cell that cannot be read, when it is one or at most a quarter of "
     "its column's values (more refuse the file; all said in the notes). The scores file is a plain CSV (',' between cells, '.' in "
     "numbers) whatever the input's format; the cells in \"why\" are written as the input writes them."},
    {"score",
     "--data - reads a CSV from standard input and writes the scores as it goes, 4,096 rows at a time "
     "(--out - for standard output): constant memory, any size. --limit is for files."},
    {"score",
     "--why N (a table) adds a \"why\" column to each flagged row: the N columns that move its score most, "
     "those that raise it first (the first always, the others by 0.005 or more), as column=value, what the "
     "value is compared with, and the contribution in log-odds (+ raises the score), then each missing cell "
     "(\"column missing (filled with 0.05 as in like rows) 0.00\": the value filled in, as above; a cell "
     "that cannot be read, \"column 'ERR' read as missing\"). A row is compared with the 5 training rows "
     "most like it (\"temp=61.2 (like rows: 40.1) +2.31\": their mean, or the category most of them have), "
     "found by its columns whose values lie near what its other columns lead one to expect, so that a "
     "value is weighed against what rows of its kind have (an idle machine's temperature against idle "
     "machines'); \"like row: 4\": the nearest of them alone, where their mean would score as flagged. When "
     "those rows score high too, the why says so first (\"rows like it score 0.84, flagged too\": over the threshold; "
     "\"rows like it score 0.80, near the threshold 0.82\": just below it, within 1 in log-odds, and the row within 1 above "
     "them): the row's kind scores high, its shares say how far beyond it the row lies. A model file saved before every model of rows kept its training rows compares a row with "
     "the typical row (\"temp=61.2 (typical: 62.0)\": the column's median, or most frequent category, "
     "over the training rows)."},
    {"eval",
     "eval scores labelled data and prints ROC-AUC, average precision and the confusion at the model's "
     "threshold as JSON; the labels as at training (--label-column with --normal or --anomaly, with "
     "--labels CSV for a folder of images; a table model trained with a label column reads the same "
     "column without them)."},
    {"info", "info prints everything the model file holds as JSON (preset, preprocessing, training report)\nand a summary in words on standard error."},
    {"export",
     "export writes the scoring graph as ONNX (--onnx); a table model's graph takes preprocessed rows, "
     "so its preprocessing (each column's statistics) goes beside it as JSON (--preprocessing, else "
     "OUT.preprocessing.json beside OUT.onnx)."},
    {"train", "--threads N trains on N threads (default 1)."},
    {"score eval", "--threads N scores on N threads (default 1)."},
    {"train score eval export", "--quiet leaves out progress, notes and the summary on standard error."},
};

// `text` in lines of at most `width` characters, broken at spaces.
std::string wrapped(const std::string& text, size_t width) {
  std::istringstream words(text);
  std::string out, line;
  for (std::string word; words >> word;) {
    if (!line.empty() && line.size() + 1 + word.size() > width) out += line + "\n", line.clear();
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line + "\n";
}

// The usage lines and paragraphs of `command` ("": every command's).
std::string help_text(const std::string& command) {
  std::istringstream usage(kUsage);
  std::string out;
  bool mine = true;
  for (std::string line; std::getline(usage, line);) {
    if (line.rfind("  ca3 ", 0) == 0) mine = command.empty() || line.rfind("  ca3 " + command + " ", 0) == 0;
    if (mine || line == "usage:") out += line + "\n";
  }
  for (const HelpParagraph& p : kHelp) {
    std::istringstream commands(p.commands);
    bool about = command.empty();
    for (std::string c; !about && commands >> c;) about = c == command;
    if (about) out += "\n" + wrapped(p.text, 100);
  }
  return out;
}

struct UsageError : Error {
  using Error::Error;
};

struct Args {
  std::string command;
  std::map<std::string, std::string> values;
  std::vector<std::string> id_columns, roles, positional;
  bool quiet = false, drop_duplicates = false;
  bool has(const std::string& k) const { return values.count(k) > 0; }
  std::string get(const std::string& k, const std::string& fallback = "") const {
    auto it = values.find(k);
    return it == values.end() ? fallback : it->second;
  }
  std::string need(const std::string& k) const {
    CA3_CHECK(has(k), "missing --", k, ": ", what_is(k));
    return get(k);
  }
  // What option `k` names, and how to give it (for "missing --k").
  std::string what_is(const std::string& k) const {
    const bool scores = command == "score";
    if (k == "out") return scores ? "where to write the scores (--out scores.csv, or --out - for standard output)" : "where to write the model (--out model.ca3)";
    if (k == "data")
      return scores ? "the data to score (--data FILE: a CSV table, an IDX image file, a folder of images or one image; --data - for a CSV on standard input)"
                    : "the data (--data FILE: a CSV table, an IDX image file or a folder of images)";
    if (k == "model") return "the model file ca3 train wrote (--model model.ca3)";
    if (k == "onnx") return "where to write the ONNX graph (--onnx model.onnx)";
    if (k == "labels") return "the CSV naming each image's label (--labels labels.csv: a \"file\" column and the label column)";
    return "see ca3 " + command + " --help";
  }
};

// The options each command takes (without the leading --); "quiet" and "drop-duplicates" are
// switches, the rest take a value.
const std::map<std::string, std::vector<std::string>> kOptions = {
    {"train", {"data", "label-column", "normal", "anomaly", "out", "preset", "epochs", "gamma", "variant", "batch-size",
               "patience", "seed", "id-column", "role", "labels", "limit", "contamination", "image-size", "channels",
               "drop-duplicates", "report", "threads", "quiet", "decimal-mark"}},
    {"score", {"model", "data", "out", "labels", "limit", "why", "id-column", "threads", "quiet", "decimal-mark"}},
    {"eval", {"model", "data", "label-column", "normal", "anomaly", "labels", "limit", "threads", "quiet", "decimal-mark"}},
    {"info", {}},
    {"export", {"model", "onnx", "preprocessing", "quiet"}},
};

// Of `candidates`, the one nearest `word` within 2 edits ("" if none): for "did you mean".
std::string closest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = 3;
  for (const std::string& candidate : candidates)
    if (const size_t d = edit_distance(word, candidate); d < best_distance) best = candidate, best_distance = d;
  return best;
}

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& [command, options] : kOptions) names.push_back(command);
  return names;
}

Args parse_args(int argc, char** argv) {
  if (argc < 2) throw UsageError("no command given: ca3 train, score, eval, info or export");
  Args a;
  a.command = argv[1];
  if (a.command == "--help" || a.command == "-h" || a.command == "help") {
    a.command = "help";
    if (argc > 2) {  // ca3 help score
      const std::string near = kOptions.count(argv[2]) ? "" : closest(argv[2], command_names());
      if (!kOptions.count(argv[2]))
        throw UsageError("no command '" + std::string(argv[2]) + "'" + (near.empty() ? "" : " (did you mean " + near + "?)") +
                         ": ca3 help train, score, eval, info or export");
      a.positional = {argv[2]};
    }
    return a;
  }
  const auto options = kOptions.find(a.command);
  if (options == kOptions.end()) {
    const std::string near = closest(a.command, command_names());
    throw UsageError("unknown command '" + a.command + "'" + (near.empty() ? "" : " (did you mean " + near + "?)") +
                     ": ca3 train, score, eval, info or export");
  }
  const std::vector<std::string>& allowed = options->second;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      a.positional = {a.command};  // the command's usage first
      a.command = "help";
      return a;
    }
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      if (a.command == "info" && a.positional.empty()) {
        a.positional.push_back(arg);
        continue;
      }
      throw UsageError("unexpected '" + arg + "': every value follows its option (--name value)");
    }
    std::string key = arg.substr(2), value;
    const size_t eq = key.find('=');
    if (eq != std::string::npos) value = key.substr(eq + 1), key = key.substr(0, eq);
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      bool elsewhere = false;
      for (const auto& [command, list] : kOptions) elsewhere = elsewhere || std::find(list.begin(), list.end(), key) != list.end();
      if (elsewhere && a.command == "export" && key == "out")
        throw UsageError("ca3 export does not take --out: it writes the graph to --onnx FILE.onnx");
      if (elsewhere) throw UsageError("ca3 " + a.command + " does not take --" + key);
      const std::string near = closest(key, allowed);
      throw UsageError("unknown option --" + key + (near.empty() ? "" : " (did you mean --" + near + "?)"));
    }
    if (key == "quiet" || key == "drop-duplicates") {
      if (eq != std::string::npos) throw UsageError("--" + key + " takes no value");
      bool& on = key == "quiet" ? a.quiet : a.drop_duplicates;
      if (on) throw UsageError("--" + key + " is given twice: give it once");
      on = true;
      continue;
    }
    if (eq == std::string::npos) {
      if (i + 1 >= argc) throw UsageError("--" + key + " needs a value");
      value = argv[++i];
    }
    if (key == "id-column") {
      a.id_columns.push_back(value);
    } else if (key == "role") {
      a.roles.push_back(value);
    } else if (!a.values.emplace(key, value).second) {
      throw UsageError("--" + key + " is given twice ('" + a.values[key] + "' and '" + value + "'): give it once");
    }
  }
  return a;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) out.push_back(item);
  return out;
}

int64_t to_int(const std::string& s, const char* what) {
  try {
    size_t used = 0;
    const long long v = std::stoll(s, &used);
    if (used == s.size()) return v;
  } catch (const std::out_of_range&) {
    throw Error(std::string(what) + " is out of range: '" + s + "'");
  } catch (...) {
  }
  throw Error(std::string(what) + " must be a whole number, got '" + s + "'");
}

double to_double(const std::string& s, const char* what) {
  try {
    size_t used = 0;
    const double v = std::stod(s, &used);
    if (used == s.size()) return v;
  } catch (const std::out_of_range&) {
    throw Error(std::string(what) + " is out of range: '" + s + "'");
  } catch (...) {
  }
  throw Error(std::string(what) + " must be a number, got '" + s + "'" +
              (s.find(',') != std::string::npos ? " (write the decimal mark as '.', e.g. 0.1)" : ""));
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  CA3_CHECK(in, "cannot open '", path, "'");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A model file's bytes; a path that is not one says what it is instead.
std::vector<uint8_t> read_model_file(const std::string& path) {
  std::error_code e;
  CA3_CHECK(fs::exists(path, e), "no such file: '", path, "' (the model file ca3 train wrote with --out)");
  CA3_CHECK(!fs::is_directory(path, e), "'", path, "' is a folder, not a model file (the file ca3 train wrote with --out)");
  return read_binary_file(path);
}

// The detector a model file holds (`size`: the file's bytes); its problems name the file.
Detector load_model(const std::string& path, size_t* size = nullptr) {
  const std::vector<uint8_t> bytes = read_model_file(path);
  if (size) *size = bytes.size();
  try {
    return Detector::load(bytes.data(), bytes.size());
  } catch (const Error& e) {
    throw Error(e.code(), "'" + path + "': " + e.what());
  }
}

enum class DataKind { csv, idx, folder, image_file };

DataKind data_kind(const std::string& path) {
  std::error_code error;
  const bool exists = fs::exists(path, error);
  CA3_CHECK(!error, "cannot read '", path, "': ", error.message());
  CA3_CHECK(exists, "no such file or folder: '", path, "'");
  if (fs::is_directory(path, error)) return DataKind::folder;
  // A file the system writes into folders, given alone (a folder's hidden files are left out).
  const std::string name = fs::path(path).filename().string(), folded = fold_case(name);
  const std::string system = folded == ".ds_store"                      ? "macOS's folder settings (.DS_Store)"
                             : name.size() > 2 && name.starts_with("._") ? "macOS's metadata of '" + name.substr(2) + "' (._NAME)"
                             : folded == "thumbs.db"                    ? "Windows' thumbnail cache (Thumbs.db)"
                             : folded == "desktop.ini"                  ? "Windows' folder settings (desktop.ini)"
                                                                        : "";
  CA3_CHECK(system.empty(), "'", path, "' is ", system, ", not data: give the CSV file, or the folder of images (--data FOLDER: ",
            "files like this one in it are left out)");
  if (path.find("idx3-ubyte") != std::string::npos) return DataKind::idx;
  return looks_like_image_file(path) ? DataKind::image_file : DataKind::csv;
}

TabularOptions label_options(const Args& a) {
  TabularOptions o;
  o.label_column = a.get("label-column");
  if (a.has("normal")) o.normal_values = split_list(a.get("normal"));
  if (a.has("anomaly")) o.anomaly_values = split_list(a.get("anomaly"));
  o.id_columns = a.id_columns;
  for (const std::string& given : a.roles) {
    const size_t eq = given.rfind('=');
    const std::string column = eq == std::string::npos ? "" : given.substr(0, eq), role = eq == std::string::npos ? "" : given.substr(eq + 1);
    if (column.empty() || (role != "numeric" && role != "categorical" && role != "ignore"))
      throw UsageError("--role takes COLUMN=ROLE, the role numeric, categorical or ignore; got '" + given + "'");
    if (!o.roles.emplace(column, role == "numeric" ? ColumnRole::numeric : role == "categorical" ? ColumnRole::categorical
                                                                                                 : ColumnRole::ignore).second)
      throw UsageError("--role names column '" + column + "' twice: give it one role");
  }
  return o;
}

// --limit N: read only the first N rows or images (0 without it).
int64_t limit_of(const Args& a) {
  if (!a.has("limit")) return 0;
  const int64_t limit = to_int(a.get("limit"), "--limit");
  CA3_CHECK(limit >= 1, "--limit must be 1 or more (the rows or images to read), got ", limit);
  return limit;
}

// IDX image/label pair -> data set; classes in `normal` are normal (0), the rest anomalies.
// `shape`: the model's {height, width, channels}; IDX images are taken at their own size.
Dataset read_idx(const Args& a, const TabularOptions& o, const Shape& shape) {
  const std::string images_path = a.need("data");
  std::string labels_path = a.get("labels");
  if (labels_path.empty()) {
    labels_path = images_path;
    const auto p = labels_path.find("images-idx3");
    CA3_CHECK(p != std::string::npos, "give the IDX labels file with --labels");
    labels_path.replace(p, 11, "labels-idx1");
  }
  const int64_t limit = limit_of(a);
  IdxImages images = read_idx_images(images_path, limit);
  CA3_CHECK(shape[0] == images.height && shape[1] == images.width && shape[2] == 1, "'", images_path, "' holds ",
            images.width, "x", images.height, " grey images; the model takes ", shape[1], "x", shape[0],
            shape[2] == 1 ? " grey" : " colour", " ones (IDX images are used at their own size: train without "
            "--image-size and --channels, with a preset for ", images.width, "x", images.height, " grey images)");
  const std::vector<int> classes = read_idx_labels(labels_path, limit);
  CA3_CHECK(int64_t(classes.size()) == images.count, labels_path, " has ", classes.size(), " labels for ",
            images.count, " images");
  Dataset d{images.pixels, {}};
  CA3_CHECK(o.anomaly_values.empty() || o.normal_values.empty(), "give --normal or --anomaly, not both");
  for (int c : classes) {
    const std::string value = std::to_string(c);
    int label = 0;
    if (!o.normal_values.empty()) label = std::find(o.normal_values.begin(), o.normal_values.end(), value) == o.normal_values.end();
    else if (!o.anomaly_values.empty()) label = std::find(o.anomaly_values.begin(), o.anomaly_values.end(), value) != o.anomaly_values.end();
    d.labels.push_back(label);
  }
  return d;
}

// The preset: a name in models/presets, a JSON file, or the defaults for the data; then the
// command-line overrides.
Preset make_preset(const Args& a, ModelKind kind, int64_t height, int64_t width, int64_t channels) {
  nlohmann::json j;
  const std::string preset = a.get("preset");
  if (!preset.empty()) {
    std::string path = preset;
    if (!fs::exists(path)) path = std::string(ca3_presets_dir()) + "/" + preset + ".json";
    if (!fs::exists(path)) {
      std::vector<std::string> names;
      std::error_code e;
      for (const auto& entry : fs::directory_iterator(ca3_presets_dir(), e))
        if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
      std::sort(names.begin(), names.end());
      std::string list;
      for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
      throw Error("no preset '" + preset + "': neither a file nor a preset name (" + (list.empty() ? "none found" : list) +
                  "; or a preset file, --preset my.json)");
    }
    j = wire::parse(read_text(path), path.c_str());
  }
  // A preset file needs only the keys it changes: without "kind", the data's, as with no preset.
  if (j.is_null() || (j.is_object() && !j.contains("kind"))) {
    j["kind"] = kind == ModelKind::image ? "image" : "tabular";
    if (kind == ModelKind::image && !j.contains("image"))
      j["image"] = {{"height", height}, {"width", width}, {"channels", channels}};
  }
  // Each flag overrides one preset key; a preset error that names the key names the flag too.
  enum class Type { whole, number, text };
  struct Override {
    const char* flag;
    std::vector<const char*> keys;  // JSON path
    Type type;
  };
  std::vector<Override> overrides = {{"epochs", {"training", "epochs"}, Type::whole},
                                     {"batch-size", {"training", "batchSize"}, Type::whole},
                                     {"patience", {"training", "patience"}, Type::whole},
                                     {"contamination", {"training", "contamination"}, Type::number},
                                     {"gamma", {"model", "gamma"}, Type::number},
                                     {"variant", {"model", "variant"}, Type::text},
                                     {"seed", {"seed"}, Type::whole}};
  if (kind == ModelKind::image) {
    overrides.push_back({"image-size", {"image", "height"}, Type::whole});
    overrides.push_back({"image-size", {"image", "width"}, Type::whole});
    overrides.push_back({"channels", {"image", "channels"}, Type::whole});
  }
  std::vector<std::pair<std::string, std::string>> named;  // "training.epochs" -> "--epochs"
  for (const Override& o : overrides) {
    if (!a.has(o.flag)) continue;
    const std::string flag = std::string("--") + o.flag, value = a.get(o.flag);
    nlohmann::json* at = &j;
    std::string key;
    for (const char* k : o.keys) {
      CA3_CHECK(at->is_null() || at->is_object(), "preset: '", key.empty() ? "the preset" : key, "' must be a JSON object");
      at = &(*at)[k];
      if (!key.empty()) key += '.';
      key += k;
    }
    *at = o.type == Type::whole ? nlohmann::json(to_int(value, flag.c_str()))
          : o.type == Type::number ? nlohmann::json(to_double(value, flag.c_str()))
                                   : nlohmann::json(value);
    named.emplace_back(key, flag);
  }
  const auto build = [&]() -> Preset {
    try {
      return Preset::from_json(j);
    } catch (const Error& e) {
      std::string message = e.what();
      for (const auto& [key, flag] : named)
        if (const size_t at = message.find("preset: " + key); at != std::string::npos)
          throw Error(e.code(), message.replace(at, 8 + key.size(), flag) + " (" + flag + " sets the preset's " + key + ")");
      throw;
    }
  };
  Preset p = build();
  CA3_CHECK(p.kind() == kind, "preset '", p.name(), "' is for ", p.kind() == ModelKind::image ? "images" : "tables",
            ", the data is ", kind == ModelKind::image ? "images" : "a table");
  return p;
}

// `text` followed by spaces to `width` columns of a terminal (display_width).
std::string padded(const std::string& text, size_t width) {
  const size_t columns = display_width(text);
  return columns >= width ? text : text + std::string(width - columns, ' ');
}


std::atomic<bool> g_cancel{false};
void on_interrupt(int) { g_cancel = true; }

// A one-line progress bar on a terminal; one line per epoch otherwise.
struct ProgressPrinter {
  bool quiet, terminal = isatty(2);
  void operator()(const TrainProgress& p) const {
    if (quiet) return;
    if (!p.epoch_end) {
      if (!terminal) return;
      const int width = 30, done = int(width * p.step / std::max<int64_t>(p.steps, 1));
      std::fprintf(stderr, "\r%-6s epoch %3d/%d [%s%s] loss %.4f  %6.0f samples/s", p.stage.c_str(), p.epoch, p.epochs,
                   std::string(size_t(done), '#').c_str(), std::string(size_t(width - done), '.').c_str(), p.loss,
                   p.samples_per_second);
      return;
    }
    // The epoch's validation AUC is of the alarm alone (of the reconstruction error while the
    // target trains alone): the final score, which may add other terms, is measured after training.
    char auc[32] = "n/a";
    if (p.validation_auc >= 0) std::snprintf(auc, sizeof auc, "%.4f", p.validation_auc);
    // The loss terms the stage trains: the target's (reconstruction, kl), the alarm's (classification), or both.
    char terms[96];
    if (p.stage == "target")
      std::snprintf(terms, sizeof terms, "reconstruction %.4f, kl %.4f", p.reconstruction, p.kl);
    else if (p.stage == "alarm")
      std::snprintf(terms, sizeof terms, "classification %.4f", p.classification);
    else
      std::snprintf(terms, sizeof terms, "reconstruction %.4f, kl %.4f, classification %.4f", p.reconstruction, p.kl,
                    p.classification);
    std::fprintf(stderr, "%s%-6s epoch %3d/%d  loss %.4f (%s)  validation AUC (%s) %s  loss %.4f  %.0f samples/s\n",
                 terminal ? "\r" : "", p.stage.c_str(), p.epoch, p.epochs, p.loss, terms,
                 p.stage == "target" ? "reconstruction error" : "alarm", auc, p.validation_loss, p.samples_per_second);
  }
};

// What was read from a table and decided about each column, a line each (stderr).
void print_data_description(const nlohmann::json& d) {
  if (!d.is_object()) return;
  std::string numbers = "decimal mark '" + d.value("decimalMark", ".") + "'";
  if (!d.value("thousandsSeparator", std::string()).empty())
    numbers += ", thousands separator '" + d.value("thousandsSeparator", std::string()) + "'";
  const long long rows = d.value("rows", 0), empty = d.value("emptyRows", 0);
  const std::string separator = d.value("separator", "");
  std::fprintf(stderr, "read %lld row%s: %s, %s, %s", rows, rows == 1 ? "" : "s", d.value("encoding", "").c_str(),
               separator == "spaces" ? "columns aligned with spaces" : ("separator '" + separator + "'").c_str(), numbers.c_str());
  if (empty > 0) std::fprintf(stderr, "; %lld empty row%s skipped", empty, empty == 1 ? "" : "s");
  std::fprintf(stderr, "\n");
  // A wide file (a gene panel, a sensor array): the columns with nothing to say beyond their role
  // in one line per role, not a line each; the report on stdout has them all.
  const nlohmann::json columns = d.value("columns", nlohmann::json::array());
  std::map<std::string, std::vector<std::string>> plain;
  const auto is_plain = [&](const nlohmann::json& c) {
    return columns.size() > 30 && c.value("reason", "").empty() && c.value("placeholders", nlohmann::json::object()).empty() &&
           c.value("missing", 0LL) == 0;
  };
  for (const auto& c : columns) {
    if (is_plain(c)) {
      plain[c.value("role", "")].push_back("'" + c.value("name", "") + "'");
      continue;
    }
    std::string placeholders;
    const nlohmann::json markers = c.value("placeholders", nlohmann::json::object());
    long long empty_cells = c.value("missing", 0LL);  // what no marker accounts for: left empty
    for (const auto& [marker, count] : markers.items()) {
      placeholders += (placeholders.empty() ? " (missing written as " : ", ") + ("'" + marker + "' x" + count.dump());
      empty_cells -= count.get<long long>();
    }
    if (!placeholders.empty()) placeholders += empty_cells > 0 ? ", empty x" + std::to_string(empty_cells) + ")" : ")";
    const std::string reason = c.value("reason", "");
    std::fprintf(stderr, "  %s %-11s %s%s\n", padded("'" + c.value("name", "") + "'", 24).c_str(), c.value("role", "").c_str(),
                 reason.c_str(), placeholders.c_str());
  }
  size_t plain_count = 0;
  for (const auto& [role, names] : plain) plain_count += names.size();
  for (const auto& [role, names] : plain)
    std::fprintf(stderr, "  %zu %s%s columns, nothing more to say: %s%s\n", names.size(), plain_count < columns.size() ? "other " : "",
                 role.c_str(), names_listed(names, 10).c_str(), names.size() > 10 ? " (the JSON report lists every column)" : "");
  for (const auto& note : d.value("notes", nlohmann::json::array())) std::fprintf(stderr, "note: %s\n", note.get<std::string>().c_str());
}

// What the fit learned from, in words.
std::string setting_text(const FitReport& r, const std::string& unit) {
  if (r.setting == "labelled") return std::to_string(r.labelled_anomalies) + " labelled anomalies in training";
  const std::string synthetic = std::to_string(r.synthetic_anomalies) + " synthetic anomalies per epoch";
  if (r.setting == "few_labels")
    return "few labels: " + std::to_string(r.labelled_anomalies) + (r.labelled_anomalies == 1 ? " labelled anomaly and " : " labelled anomalies and ") + synthetic;
  if (r.setting == "contaminated") return "no labels, some " + unit + "s may be anomalies: " + synthetic;
  return "no labels (one-class): " + synthetic;
}

// What the validation figures (report.validation) were measured against, in words; unit: "row"
// or "image". Empty without validation anomalies.
// Fewer labelled anomalies than this in the validation split choose the epoch kept by chance as
// much as by merit (one more ranked right moves the ROC-AUC by 1/anomalies of the pairs).
constexpr int64_t kFewValidationAnomalies = 10;

// A threshold written with as few digits as tell it from the scores beside it (written %.9g):
// 0.50000006 is not written 0.5 beside rows scored 0.5, unflagged.
std::string threshold_text(float threshold) {
  char out[32];
  for (int digits = 6; digits <= 9; ++digits) {
    std::snprintf(out, sizeof out, "%.*g", digits, double(threshold));
    if (std::strtof(out, nullptr) == threshold) break;
  }
  return out;
}

std::string validation_text(const FitReport& r, const std::string& unit) {
  const Metrics& v = r.validation;
  if (r.validation_anomalies == "none" || v.roc_auc < 0) return "";
  const auto count = [](int64_t n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  char auc[32];
  std::snprintf(auc, sizeof auc, "%.4f", v.roc_auc);
  const bool synthetic = r.validation_anomalies == "synthetic";
  std::string text = "validation: ROC-AUC " + std::string(auc) + " on " +
                     count(v.anomalies, synthetic ? "synthetic anomaly" : "labelled anomaly",
                           synthetic ? "synthetic anomalies" : "labelled anomalies") + " and " +
                     count(v.normal, unit, unit + "s") + (synthetic ? " taken as normal" : " labelled normal") +
                     "; the threshold flags " + std::to_string(v.confusion.true_positives) + " of the anomalies and " +
                     std::to_string(v.confusion.false_positives) + " of the normal " + unit + "s";
  // A test split without labelled anomalies joins the validation one there (FitReport::threshold_normal).
  const int64_t test_joined = r.threshold_rate >= 0 ? r.threshold_normal - v.normal : 0;
  if (test_joined > 0)
    text += ", and " + std::to_string(r.test.confusion.false_positives) + " of the " +
            count(test_joined, "test " + unit, "test " + unit + "s");
  if (r.threshold_rate >= 0) {
    char rate[32];
    std::snprintf(rate, sizeof rate, "%g%%", 100 * r.threshold_rate);
    text += std::string(" (set to flag at most ") + rate +
            (r.setting == "contaminated" ? ", the larger of threshold.value and training.contamination," : "") +
            (test_joined > 0 ? " of the " + std::to_string(r.threshold_normal) + (synthetic ? " held-out " + unit + "s taken as normal" : " normal held-out " + unit + "s") +
                                   ", validation and test together"
                             : std::string(" of them"));
    if (r.threshold_at_top > 0)
      text += ", but " + count(r.threshold_at_top, "of them scores", "of them score") +
              " 1, the highest score there is: a threshold above that would never flag, so it is 1 and flags " +
              (r.threshold_at_top == 1 ? "that one" : "them") + " too";
    if (r.threshold_share.low >= 0) {
      char range[96];
      const auto percent = [](double share) {  // two digits: 0.26, 1.7, 14, 100
        char out[16];
        std::snprintf(out, sizeof out, share >= 0.1 ? "%.0f" : "%.2g", 100 * share);
        return std::string(out);
      };
      std::snprintf(range, sizeof range, "%s%% to %s%%, %.0f times in 10", percent(r.threshold_share.low).c_str(),
                    percent(r.threshold_share.high).c_str(), 10 * FitReport::kShareProbability);
      text += std::string("; on new normal ") + unit + "s it will flag " + range + ": these " +
              std::to_string(r.threshold_normal > 0 ? r.threshold_normal : v.normal) +
              " are a sample, and more " + unit + "s narrow the range";
    }
    text += ")";
  }
  if (!synthetic && v.anomalies < kFewValidationAnomalies)
    return text + ". Only " + count(v.anomalies, "labelled anomaly validates", "labelled anomalies validate") + ": the epoch kept and "
           "these figures rest on so few that they say little. With few labelled anomalies, a model trained on the normal " +
           unit + "s alone, without labels (one-class: " + (unit == "row" ? "a file of them" : "a folder or labels CSV of them") +
           " without --label-column), often finds more; more labelled anomalies make a figure to trust";
  if (!synthetic) return text;
  if (v.roc_auc < 0.5)
    text += ". Below chance (0.5): the score ranks these synthetic anomalies below the normal " + unit +
            "s, so it has not learned to tell them apart; more epochs or more " + unit + "s may help";
  return text + ". The synthetic anomalies are drawn like those the alarm trained on, not real ones: these figures say "
         "how well the score separates them, not how well it finds real anomalies" +
         (r.setting == "contaminated" ? "; and the " + unit + "s taken as normal may hold anomalies too" : std::string()) +
         " (labelled anomalies give a real figure: " +
         (unit == "row" ? "--label-column" : "--labels with a labels file, or --normal for an IDX file") + ")";
}

// Where the threshold rests on too few normal held-out samples to meet its rate: empty otherwise.
std::string threshold_caveat(const FitReport& r, const std::string& unit, const Preset& preset) {
  if (r.threshold_rate <= 0) return "";
  // The fewest normal held-out samples n on which the threshold keeps its rate: above all n of
  // them, a new normal sample lies above it with chance 1 / (n + 1) (split conformal; fewer
  // flag none and exceed the rate).
  const int64_t enough = int64_t(std::ceil(1 / r.threshold_rate - 1 - 1e-9));
  const int64_t normal = r.threshold_normal > 0 ? r.threshold_normal : r.validation_rows > 0 ? r.validation.normal : 0;
  if (normal >= enough) return "";
  char rate[32];
  std::snprintf(rate, sizeof rate, "%g%%", 100 * r.threshold_rate);
  const auto share = [](double fraction) { return fraction == 0.1 ? std::string("a tenth") : "a share of " + detail::concat(fraction); };
  // (a test split without labelled anomalies joins the validation one: FitReport::threshold_normal)
  const bool with_test = r.threshold_normal > r.validation.normal;
  const bool labelled = r.setting == "labelled" || r.setting == "few_labels";
  const std::string needs = " (it needs at least " + std::to_string(enough) +
                            (with_test ? (labelled ? " normal held-out " : " held-out ") + unit + "s; " + share(preset.validation_fraction()) +
                                             " of the " + unit + "s validates and " + share(preset.test_fraction()) + " tests)"
                                       : " normal validation " + unit + "s; " + share(preset.validation_fraction()) + " of the " +
                                             unit + "s validates)");
  if (normal < 2)
    return "threshold: set on the training " + unit + "s, too few being held out to set it on: the share flagged on new " +
           unit + "s can be far from " + rate + needs;
  return "threshold: set on only " + std::to_string(normal) +
         (with_test  ? (labelled ? " normal held-out " + unit + "s" : " held-out " + unit + "s taken as normal") + " (validation and test): "
          : labelled ? " normal validation " + unit + "s: "
                     : " validation " + unit + "s taken as normal: ") +
         rate + " of " + std::to_string(normal) + " is none, so it lies above the highest of them" +
         (r.threshold_at_top > 0 ? " (here at 1, the top: it flags the " + std::to_string(r.threshold_at_top) +
                                      (r.threshold_at_top == 1 ? " that scores 1)" : " that score 1)") : "") +
         ", and the share flagged on new " + unit + "s can be far above " + rate + needs;
}

// What the score is made of, in words (FitReport::score and ::neighbours); unit: "row" or "image".
std::string score_text(const FitReport& r, const std::string& unit) {
  const int64_t k = r.neighbours.nearest > 0 ? r.neighbours.nearest : E2EConvA3::kNeighbours;
  const std::string nearest = k == 1 ? "the distance to the nearest normal training " + unit
                                     : "the distance to the " + std::to_string(k) + " nearest normal training " + unit + "s";
  // (a weighted mean: E2EConvA3::rarity_weight and neighbour_weight, the README says them)
  const std::string weighted = " with the distance weighing most";
  const std::string terms =
      r.score == "reconstruction"        ? "the reconstruction error"
      : r.score == "combined"            ? "the alarm and the reconstruction error, averaged"
      : r.score == "combined_rarity"     ? "the alarm, the reconstruction error and how rare the " + unit + "'s values are, averaged"
      : r.score == "combined_neighbours" ? "the alarm, the reconstruction error, how rare the " + unit + "'s values are and " + nearest + ", averaged" + weighted
      : r.score == "alarm_neighbours"    ? "the alarm and " + nearest + ", averaged" + weighted
      : r.score == "combined_without_alarm"
          ? "the reconstruction error, how rare the " + unit + "'s values are and " + nearest +
                ", averaged" + weighted + "; not the alarm, which learned the unlabelled anomalies among the training " + unit + "s as normal"
                                         : "the alarm's probability";
  std::string text = "score: " + terms;
  const FitReport::Neighbours& n = r.neighbours;
  if (n.samples == 0) return text;
  const bool distance = r.score == "combined_neighbours" || r.score == "alarm_neighbours" || r.score == "combined_without_alarm";
  text += " (" + std::to_string(n.samples) + " " + unit + (n.samples == 1 ? "" : "s") +
          (distance ? " kept to compare with" : " kept to fill a row's missing cells from and explain it against, not in the score");
  if (n.repeated > 0)
    text += "; " + std::to_string(n.repeated) + (n.repeated == 1 ? " exact repeat" : " exact repeats") +
            (n.copies > 1 ? " left out: " + std::string(unit == "image" ? "an " : "a ") + unit + " is kept at most " + std::to_string(n.copies) +
                                " times, as many as the distance averages over"
                          : " of kept " + unit + "s left out");
  if (n.left_out > 0)
    text += "; " + std::to_string(n.left_out) +
            (unit == "image" ? " reconstructed worst" : " least typical by reconstruction error and rare values") +
            " left out as likely anomalies";
  if (n.not_sampled > 0) text += "; " + std::to_string(n.not_sampled) + " more left out: at most " + std::to_string(n.samples) + " are kept";
  return text + ")";
}

// Every image file in `folder`; what is left out (macOS's "._x.png", sub-folders, files of other
// kinds) is said once.
std::vector<std::string> images_in_folder(const Args& a, const std::string& folder) {
  static bool said = false;
  FolderLeftOut left_out;
  std::vector<std::string> files = image_files_in(folder, &left_out);
  if (!said && !a.quiet) {
    const std::vector<std::string>& hidden = left_out.hidden;
    if (!hidden.empty())
      std::fprintf(stderr, "%zu hidden file%s left out (%s): a name starting with '.' is not an image of the folder "
                   "(macOS writes ._NAME beside NAME, and .DS_Store)\n", hidden.size(), hidden.size() == 1 ? "" : "s",
                   list_some(hidden, 3).c_str());
    // (a list that ends in "..." ends the sentence)
    const auto ended = [](const std::string& text) { return text.ends_with("...") ? text : text + "."; };
    if (const size_t n = left_out.by_content.size(); n > 0) {
      std::vector<std::string> named;
      for (const auto& [name, kind] : left_out.by_content) named.push_back(name + " (" + kind + ")");
      const std::string& kind = left_out.by_content[0].second;
      const std::string extension = kind == "JPEG" ? ".jpg" : "." + fold_case(kind);
      if (n == 1)
        std::fprintf(stderr, "1 file read as an image by its bytes, not its name: %s Rename it to %s, so that other tools "
                     "read it too\n", ended(named[0]).c_str(), extension.c_str());
      else
        std::fprintf(stderr, "%zu files read as images by their bytes, not their names: %s Rename each to its kind (.png, "
                     ".jpg, .gif, .bmp), so that other tools read them too\n", n, ended(list_some(named, 8)).c_str());
    }
    if (const std::string other = left_out.text(); !other.empty())
      std::fprintf(stderr, "not read from the folder %s: %s Only PNG, JPEG, BMP and GIF files directly in the folder are read; "
                   "images in sub-folders are read when a labels CSV lists them (--labels, a \"file\" column with "
                   "paths such as sub/a.png)\n", folder.c_str(), ended(other).c_str());
    said = true;
  }
  return files;
}

// Images of `folder` that its labels CSV does not list are not used: said, with a few names.
void note_unlisted(const Args& a, const std::string& folder, const std::vector<std::string>& listed) {
  if (a.quiet) return;
  std::set<std::string> used;  // as paths: ./a.png is a.png
  for (const std::string& name : listed) used.insert(fs::path(name).lexically_normal().string());
  std::vector<std::string> unlisted;
  for (const std::string& f : image_files_in(folder, nullptr, /*required=*/false))
    if (!used.count(f)) unlisted.push_back(f);
  if (unlisted.empty()) return;
  std::fprintf(stderr, "%zu image%s in %s %s not listed in %s and left out (%s)\n", unlisted.size(),
               unlisted.size() == 1 ? "" : "s", folder.c_str(), unlisted.size() == 1 ? "is" : "are", a.get("labels").c_str(),
               list_some(unlisted, 3).c_str());
}

// The image files a folder run uses: those the labels CSV lists (read once: it may be a pipe),
// else every image in the folder.
struct FolderFiles {
  std::vector<std::string> files;       // paths in the folder
  std::optional<ImageListing> listing;  // with --labels
};
FolderFiles folder_files(const Args& a, const TabularOptions& labels) {
  if (!a.has("labels")) return {images_in_folder(a, a.need("data")), std::nullopt};
  ImageListing listing = list_images(a.need("data"), a.get("labels"), &labels);
  std::vector<std::string> files = listing.files;
  return {std::move(files), std::move(listing)};
}

// The files of `facts` that can be read (their indices); those that cannot are said in `note`
// ("" when none), and none readable is an error naming them.
std::vector<size_t> readable_images(const std::vector<ImageFacts>& facts, std::string& note) {
  std::vector<size_t> readable;
  for (size_t i = 0; i < facts.size(); ++i)
    if (facts[i].problem.empty()) readable.push_back(i);
  note = unreadable_images(facts);
  CA3_CHECK(!readable.empty(), note, facts.size() > 1 ? "; no image is left to read" : "");
  return readable;
}

// "12 images, taken as 32x32 colour: ..." (image_decisions), of the `read` images as a model of
// `shape` {height, width, channels} takes them; `fixed` after the shape.
std::string images_taken(const std::vector<ImageFacts>& read, const Shape& shape, const std::string& fixed = "") {
  return detail::concat(read.size(), read.size() == 1 ? " image, taken as " : " images, taken as ", shape[1], "x", shape[0],
                        shape[2] == 1 ? " grey" : " colour", fixed, ": ", image_decisions(read, shape[0], shape[1], shape[2]));
}

template <class T>
std::vector<T> pick(const std::vector<T>& items, const std::vector<size_t>& at) {
  std::vector<T> out;
  out.reserve(at.size());
  for (size_t i : at) out.push_back(items[i]);
  return out;
}

// Whether two paths name the same file: the same file on disk when both exist, else the same
// absolute path once "." and ".." and existing symbolic links are resolved. A path that cannot be
// resolved is taken as not the same.
bool same_file(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty() || a == "-" || b == "-") return false;
  std::error_code e;
  if (fs::exists(a, e) && fs::exists(b, e)) return fs::equivalent(a, b, e) && !e;
  const fs::path x = fs::weakly_canonical(fs::absolute(a, e), e);
  if (e) return false;
  const fs::path y = fs::weakly_canonical(fs::absolute(b, e), e);
  return !e && x == y;
}

// Before a long run: a file to be written (`flag` names it; `example` is a file name for the
// hint) must have a folder to go in that can be written, not be a folder, and not be one of the
// files read or another output.
void check_output(const Args& a, const char* flag, const std::string& path, const char* example) {
  CA3_CHECK(!path.empty(), flag, " needs a file name");
  std::error_code error;
  CA3_CHECK(!fs::is_directory(path, error), flag, " ", path, " is a folder: give a file name in it (e.g. ",
            (fs::path(path) / example).string(), ")");
  const fs::path folder = fs::path(path).parent_path();
  CA3_CHECK(folder.empty() || fs::is_directory(folder, error), flag, " ", path, ": there is no folder '", folder.string(),
            "' to write it in (create it first)");
  CA3_CHECK(access(folder.empty() ? "." : folder.c_str(), W_OK) == 0, flag, " ", path, ": the folder '",
            folder.empty() ? "." : folder.string(), "' cannot be written to (choose another folder)");
  for (const char* input : {"data", "labels", "model", "preset"}) {
    std::error_code e;
    const std::string given = a.get(input);  // an existing file (a preset may be a name instead)
    CA3_CHECK(!(fs::is_regular_file(given, e) && same_file(path, given)), flag, " ", path, " is the file given to --",
              input, ": writing it would destroy it; give another file name");
  }
  for (const char* output : {"out", "report", "onnx", "preprocessing"})
    CA3_CHECK(std::string("--") + output == flag || !same_file(path, a.get(output)), flag, " ", path,
              " is also given to --", output, ": give each output its own file");
}

// The options that make no sense for this kind of data are refused (a usage error), not ignored.
void check_options_fit(const Args& a, DataKind kind) {
  const auto refuse = [&](const char* option, const std::string& why) {
    if (a.has(option)) throw UsageError(std::string("--") + option + " " + why);
  };
  if (a.get("data") == "-") refuse("labels", "names the labels file of images; standard input is read as a CSV table");
  if (kind == DataKind::csv) {
    for (const char* option : {"image-size", "channels"}) refuse(option, "is for images; '" + a.get("data") + "' is a CSV table");
    refuse("labels", "names the labels file of images; for a CSV table name its label column with --label-column");
    if (!a.has("label-column"))
      for (const char* option : {"normal", "anomaly"})
        refuse(option, "needs --label-column: the column whose values it names");
  } else {
    if (!a.id_columns.empty() || !a.roles.empty() || a.drop_duplicates || a.has("decimal-mark"))
      throw UsageError("--id-column, --role, --decimal-mark and --drop-duplicates are for CSV tables; '" + a.get("data") +
                       "' holds images");
    if (kind == DataKind::idx) {
      refuse("label-column", "is for CSV tables and labels files of image folders; an IDX file's classes come from its "
             "labels file: give the normal ones with --normal (e.g. --normal 0)");
    } else {
      refuse("limit", "applies to CSV tables and IDX files; for a folder, list the images to use in --labels");
      // A folder's labels come from its labels CSV: without one, every image is normal.
      if (!a.has("labels"))
        for (const char* option : {"label-column", "normal", "anomaly"})
          refuse(option, "names labels of a labels CSV, and no --labels is given: give --labels FILE.csv (a 'file' column "
                         "naming each image, and the label column), or leave it out to take every image of '" + a.get("data") +
                         "' as normal (one-class)");
      if (!a.has("label-column"))
        for (const char* option : {"normal", "anomaly"})
          refuse(option, "needs --label-column: the column of " + a.get("labels") + " whose values it names");
    }
  }
}

// The number format --decimal-mark names, if given.
std::optional<NumberFormat> numbers_named(const Args& a) {
  if (!a.has("decimal-mark")) return std::nullopt;
  const std::string mark = a.get("decimal-mark");
  if (mark != "," && mark != ".") throw UsageError("--decimal-mark is ',' or '.', not '" + mark + "'");
  return number_format_named(mark);
}

// A CSV file; with --limit N its first N rows.
CsvTable read_table(const Args& a, const std::string& path) {
  CsvOptions options;
  options.numbers = numbers_named(a);
  CsvTable table = read_csv_file(path, options);
  const int64_t limit = limit_of(a);
  if (limit == 0 || size_t(limit) >= table.row_count()) return table;
  if (!a.quiet)
    std::fprintf(stderr, "--limit %lld: the first %lld of %zu rows\n", (long long)limit, (long long)limit, table.row_count());
  std::vector<size_t> rows(static_cast<size_t>(limit));
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  CsvTable first = table.select_rows(rows);
  // The empty lines skipped among the rows kept (those after the last one kept are not counted).
  const int64_t last = table.row_line(rows.back());
  for (int64_t line : table.empty_row_lines)
    if (line < last) first.empty_row_lines.push_back(line);
  return first;
}

// The training's label column in a file to score: not read (a score does not look at the label),
// said with the command that measures the model against it; "" when the file has none.
std::string label_column_note(Detector& detector, const CsvTable& table, const std::string& model, const std::string& data) {
  const std::string& label = detector.preprocessing()->options().label_column;
  const int64_t c = label.empty() ? -1 : table.find_column(label);
  if (c < 0) return "";
  return detail::concat("column '", table.header[size_t(c)], "' is the model's label column: not read to score; ca3 eval "
                        "measures the model against it (ca3 eval --model '", model, "' --data ", data, ")");
}

int command_train(const Args& a) {
  const std::string data = a.need("data"), out = a.need("out");
  if (data == "-") throw UsageError("--data -: train reads a file, not standard input (save the CSV to a file and give its name)");
  if (out == "-") throw UsageError("--out -: the model is a binary file; give it a file name (--out model.ca3)");
  const DataKind kind = data_kind(data);
  CA3_CHECK(kind != DataKind::image_file, "'", data, "' is one image: training reads a folder of images (--data FOLDER: each "
            "image in it taken as normal, or labelled by a labels CSV given with --labels)");
  check_options_fit(a, kind);
  check_output(a, "--out", out, "model.ca3");
  if (a.has("report") && a.get("report") != "-") check_output(a, "--report", a.get("report"), "report.json");
  const TabularOptions options = label_options(a);
  FolderFiles folder;  // a folder's image files (those its labels CSV lists), what each holds, those readable
  std::vector<ImageFacts> facts;
  std::vector<size_t> readable;
  Detector detector = [&] {
    if (kind == DataKind::csv) return Detector(make_preset(a, ModelKind::tabular, 0, 0, 0));
    if (kind == DataKind::idx) return Detector(make_preset(a, ModelKind::image, 28, 28, 1));
    // Folder: the model's size from --image-size, else the preset's, else the images' own when
    // they all share one of at most 64x64, else 32x32; colour when any image has colour.
    folder = folder_files(a, options);
    facts = survey_images(data, folder.files);
    std::string unreadable;
    readable = readable_images(facts, unreadable);
    if (!unreadable.empty() && !a.quiet) std::fprintf(stderr, "note: %s; left out of training\n", unreadable.c_str());
    const ImageFacts& first = facts[readable.front()];
    bool same_size = true, colour = false;
    for (size_t i : readable) {
      same_size = same_size && facts[i].height == first.height && facts[i].width == first.width;
      colour = colour || !facts[i].grey;
    }
    int64_t side_h = same_size && first.height <= 64 && first.width <= 64 ? first.height : 32;
    int64_t side_w = same_size && first.height <= 64 && first.width <= 64 ? first.width : 32;
    if (a.has("image-size")) side_h = side_w = to_int(a.get("image-size"), "--image-size");
    const int64_t channels = a.has("channels") ? to_int(a.get("channels"), "--channels") : colour ? 3 : 1;
    Detector d(make_preset(a, ModelKind::image, side_h, side_w, channels));
    if (!a.quiet) {
      const Shape shape = d.model().sample_shape();
      std::string fixed;  // a preset's size or colour, not the images': said, with the flags that choose
      if (a.has("preset") && ((shape[2] == 1 && colour && !a.has("channels")) || (!a.has("image-size") && (shape[0] != side_h || shape[1] != side_w))))
        fixed = " (the preset's size and colour: --image-size N and --channels 1|3 choose others)";
      std::fprintf(stderr, "images: %s\n", images_taken(pick(facts, readable), shape, fixed).c_str());
    }
    return d;
  }();
  const ProgressCallback on_progress = ProgressPrinter{a.quiet};
  std::signal(SIGINT, on_interrupt);
  FitReport report;
  if (kind == DataKind::csv) {
    CsvTable table = read_table(a, data);
    if (a.drop_duplicates) {
      const size_t before = table.row_count();
      table = drop_duplicate_rows(table);
      if (!a.quiet) std::fprintf(stderr, "dropped %zu duplicate rows\n", before - table.row_count());
    }
    Fit fit = detector.start_fit_table(table, options, on_progress);
    if (!a.quiet) print_data_description(fit.data_description());  // before training: what was read and decided
    report = detector.fit(std::move(fit), &g_cancel);
  } else {
    Dataset images;
    if (kind == DataKind::idx) {
      images = read_idx(a, options, detector.model().sample_shape());
    } else {
      const Shape shape = detector.model().sample_shape();  // {height, width, channels}
      if (folder.listing) {
        const ImageListing& listing = *folder.listing;
        // (what reading the labels decided, as for a table: values taken as one given, in another case)
        std::vector<std::string> label_notes;
        const std::vector<int> all = tabular_labels(listing.table, options, &label_notes);
        if (!a.quiet)
          for (const std::string& note : label_notes) std::fprintf(stderr, "note: %s: %s\n", a.get("labels").c_str(), note.c_str());
        images.labels = pick(all, readable);
        // Labels given, but none of the images read is an anomaly (those that were are unreadable).
        if (!options.label_column.empty() && !a.quiet && std::count(images.labels.begin(), images.labels.end(), 1) == 0) {
          const auto lost = std::count(all.begin(), all.end(), 1);
          std::fprintf(stderr, "note: no image read is labelled an anomaly%s: the model trains without labelled anomalies "
                       "(one-class), every image taken as normal, and its validation figures are against synthetic anomalies\n",
                       lost > 0 ? detail::concat(lost == 1 ? " (the 1 image labelled an anomaly could not be read: see above)"
                                                           : detail::concat(" (the ", lost, " images labelled anomalies could not be read: see above)")).c_str()
                                : "");
        }
        if (options.label_column.empty() && !a.quiet) {  // the labels' columns, unused: said
          std::string unused;
          size_t count = 0;
          for (const std::string& column : listing.table.header)
            if (fold_case(column) != "file") unused += (count++ ? ", '" : "'") + column + "'";
          if (count > 0)
            std::fprintf(stderr, "note: no --label-column: every image %s lists is taken as normal (one-class); its column%s %s %s "
                         "not used (--label-column COL with --normal V learns from one)\n", a.get("labels").c_str(),
                         count == 1 ? "" : "s", unused.c_str(), count == 1 ? "is" : "are");
        }
        note_unlisted(a, data, folder.files);
      } else {  // every image in the folder, all normal
        images.labels.assign(readable.size(), 0);
      }
      const std::vector<std::string> names = pick(folder.files, readable);
      images.inputs = read_images(data, names, shape[0], shape[1], shape[2]);
      if (const std::string copies = image_copies_note(images.inputs.data(), names, shape[0], shape[1], shape[2]); !copies.empty() && !a.quiet)
        std::fprintf(stderr, "note: %s\n", copies.c_str());
    }
    report = detector.fit(detector.start_fit_images(images, on_progress), &g_cancel);
  }
  if (report.cancelled) {
    std::fprintf(stderr, "ca3: training interrupted; no model written\n");
    return 130;
  }
  write_binary_file(out, detector.save());
  const nlohmann::json summary = wire::to_json(report);
  if (a.has("report") && a.get("report") != "-") {  // (--report - : standard output, as without it)
    std::ofstream r(a.get("report"));
    r << wire::dump(summary, 2) << "\n";
    CA3_CHECK(r.good(), "could not write the report to '", a.get("report"), "' (the model was written to '", out, "')");
  } else {
    std::printf("%s\n", wire::dump(summary, 2).c_str());
  }
  if (!a.quiet) {
    char auc[32];
    std::snprintf(auc, sizeof auc, "%.4f", report.test.roc_auc);
    std::fprintf(stderr, "wrote %s (%s; test ROC-AUC %s)\n", out.c_str(), setting_text(report, kind == DataKind::csv ? "row" : "image").c_str(),
                 report.test.roc_auc >= 0 ? auc : "n/a: the test split has no labelled anomaly");
    std::fprintf(stderr, "%s\n", score_text(report, kind == DataKind::csv ? "row" : "image").c_str());
    const double contamination = detector.preset().json["training"].value("contamination", 0.0);
    if (contamination > 0 && report.labelled_anomalies > 0) {  // the labels set the threshold, not the share
      const std::string unit = kind == DataKind::csv ? "row" : "image";
      std::fprintf(stderr, "contamination %g: the %g%% of the %ss labelled normal that the target reconstructed worst sat out "
                   "of each epoch after the first%s; with labelled anomalies the threshold is set on the labelled normal "
                   "validation %ss, not at this share\n", contamination, 100 * contamination, unit.c_str(),
                   report.history.size() < 2 ? " (one epoch ran: none sat out)" : "", unit.c_str());
    }
    if (!report.history.empty()) {  // best_epoch counts in the last stage (A3 trains the target, then the alarm)
      const std::string& stage = report.history.back().stage;
      const auto in_stage = std::count_if(report.history.begin(), report.history.end(),
                                          [&](const EpochRecord& e) { return e.stage == stage; });
      std::fprintf(stderr, "epochs: %lld run%s, the weights of epoch %d kept%s\n", (long long)in_stage,
                   stage == "e2e" ? "" : (" in the " + stage + " stage").c_str(), report.best_epoch,
                   report.best_by == "auc"    ? " (the best validation ROC-AUC)"
                   : report.best_by == "loss" ? " (the lowest validation loss)"
                   : report.validation_rows > 0 ? " (the best on validation)"
                                                : " (the last: no validation split)");
    }
    const std::string validation = validation_text(report, kind == DataKind::csv ? "row" : "image");
    if (!validation.empty()) std::fprintf(stderr, "%s\n", validation.c_str());
    const std::string caveat = threshold_caveat(report, kind == DataKind::csv ? "row" : "image", detector.preset());
    if (!caveat.empty()) std::fprintf(stderr, "%s\n", caveat.c_str());
  }
  return 0;
}

struct Scored {
  std::vector<float> scores;
  std::vector<int> labels;           // empty when the data has none
  std::vector<std::string> names;    // row numbers or file names
  std::vector<std::string> why;      // with --why N: per flagged row its N strongest columns
  std::string id_header;             // ",order_id": the identifier columns written beside the scores
  std::vector<std::string> ids;      // per row its identifier cells, as CSV fields (",A-17")
  std::vector<std::string> notes;    // what reading a table decided, said after scoring
};

// The columns of `table` (read from `source`) written beside its scores: the model's identifier
// columns, --id-column, then the columns the model left out as dates (when `table` has them). A
// model identifier that `table` lacks is a note; an --id-column it lacks is an error naming the
// columns there are.
std::vector<int64_t> id_columns_of(const Detector& detector, const Args& a, const CsvTable& table,
                                   const std::string& source, std::vector<std::string>& notes) {
  std::vector<int64_t> columns;
  auto add = [&](int64_t c) {
    if (std::find(columns.begin(), columns.end(), c) == columns.end()) columns.push_back(c);
  };
  for (const std::string& name : detector.preprocessing()->identifier_columns()) {
    const int64_t c = table.find_column(name);
    if (c >= 0) add(c);
    else notes.push_back(source + " has no column '" + name + "', the model's identifier column: the scores are written "
                         "without it, by row number (--id-column COL writes another column beside them)");
  }
  for (const std::string& name : a.id_columns) {
    const int64_t c = table.find_column(name);
    if (c < 0) table.column_index(name);  // throws, naming the columns there are
    add(c);
  }
  for (const std::string& name : detector.preprocessing()->date_columns()) {
    const int64_t c = table.find_column(name);
    if (c >= 0) add(c);
    else notes.push_back(source + " has no column '" + name + "', the model's date column: the scores are written without it");
  }
  return columns;
}

// ", 3 rows not scored (headings, totals or repeated headers, not data: see the notes)", or "".
std::string not_scored_text(size_t rows, bool images = false) {
  if (rows == 0) return "";
  if (images) return ", " + std::to_string(rows) + (rows == 1 ? " file" : " files") + " not scored (cannot be read: see the notes)";
  return ", " + std::to_string(rows) + (rows == 1 ? " row" : " rows") + " not scored (headings, totals or repeated headers, not data: see the notes)";
}

// Notes on standard error, unless --quiet.
void print_notes(const Args& a, const std::vector<std::string>& notes) {
  if (!a.quiet)
    for (const std::string& note : notes) std::fprintf(stderr, "note: %s\n", note.c_str());
}

// The identifier columns' names in the scores' header; one named like a column of the scores
// themselves ("row", "score", ...) is written "row (input)", so that each name is one column.
std::string id_header_of(const CsvTable& table, const std::vector<int64_t>& columns) {
  std::string text;
  for (int64_t c : columns) {
    const std::string& name = table.header[size_t(c)];
    const std::string folded = fold_case(name);
    const bool taken = folded == "row" || folded == "file" || folded == "score" || folded == "flag" || folded == "why";
    text += "," + csv_field(taken ? name + " (input)" : name);
  }
  return text;
}

std::string id_cells_of(const CsvTable& table, size_t row, const std::vector<int64_t>& columns) {
  std::string text;
  for (int64_t c : columns) text += "," + csv_field(table.cell(row, size_t(c)));
  return text;
}

// "temp=61.16 (like rows: 40.1) +2.31; vib=0.52 (like rows: 0.503) +0.02": of the row's columns
// (e.columns, strongest first) the `top` first that move the score by 0.005 or more (a value at its
// baseline moves it by nothing), each with the value it is compared with (its like rows' value,
// or the typical one for a model that keeps no training rows: "Bare.nuclei=10 (typical: 1) +2.10"),
// then any missing cell, with the value filled in from the like rows ("vib missing (filled with
// 0.05 as in like rows) 0.00"). When the row's like rows score over `threshold` or near it
// (like_rows_score), that first ("rows like it score 0.841, flagged too; ...", "rows like it score
// 0.803, near the threshold 0.820; ..."): its kind scores high, the shares say only how far the row
// lies beyond it.
std::string why_text(const RowExplanation& e, size_t top, float threshold) {
  std::string out;
  char amount[32];
  const LikeRowsScore kind = like_rows_score(e, threshold);
  const bool kind_flagged = kind == LikeRowsScore::over, kind_near = kind == LikeRowsScore::near;
  if (kind_flagged || kind_near) {
    std::snprintf(amount, sizeof amount, "%.3f", double(e.baseline_score));
    out = "rows like it score " + std::string(amount);
    std::snprintf(amount, sizeof amount, "%.3f", double(threshold));
    out += kind_flagged ? ", flagged too" : ", near the threshold " + std::string(amount);
  }
  size_t shown = 0;
  const std::string compared = e.like_rows > 1 ? "like rows: " : e.like_rows == 1 ? "like row: " : "typical: ";
  for (const ColumnContribution& c : e.columns) {
    // (the first always, but beside the note above, which says why its shares are small)
    const bool strong = shown < top && (std::fabs(c.contribution) >= 0.005f || (&c == &e.columns.front() && !kind_flagged && !kind_near));
    if (!strong && !c.missing) continue;
    shown += strong;
    // (a share that rounds to 0.00 neither raises nor lowers the score: no sign)
    if (std::fabs(c.contribution) < 0.005f) std::snprintf(amount, sizeof amount, "0.00");
    else std::snprintf(amount, sizeof amount, "%+.2f", double(c.contribution));
    if (!out.empty()) out += "; ";
    out += c.column + (!c.missing ? "=" + c.value : c.value.empty() ? " missing" : " '" + c.value + "' read as missing") + " (" +
           (!c.missing ? compared + c.baseline : c.filled.empty() ? "typical " + c.typical : "filled with " + c.filled + " as in like rows") +
           ") " + amount;
  }
  return out;
}

// --why N: N, the columns to name per flagged row (0 without --why).
size_t why_top(const Args& a) {
  if (!a.has("why")) return 0;
  const int64_t top = to_int(a.get("why"), "--why");
  CA3_CHECK(top >= 1, "--why must be 1 or more (the columns to name per flagged row), got ", top);
  return size_t(top);
}

// The "why" column: each flagged row's why_text, "" for the others. `not_scored`: the rows holding
// no sample as the caller found them (a stream's batch, read with the rows before it), else
// explain_rows finds them in `table`.
std::vector<std::string> why_column(Detector& detector, const CsvTable& table, const std::vector<float>& scores, size_t top,
                                    const std::vector<size_t>* not_scored = nullptr) {
  std::vector<int64_t> flagged;
  for (size_t i = 0; i < scores.size(); ++i)
    if (scores[i] >= detector.threshold()) flagged.push_back(int64_t(i));
  std::vector<std::string> why(scores.size());
  for (const RowExplanation& e : detector.explain_rows(table, flagged, top, not_scored)) why[size_t(e.row)] = why_text(e, top, detector.threshold());
  return why;
}

// Whether a file's first 512 bytes are text: no NUL byte and few control characters, or NULs in
// every other byte, a third of them at least (UTF-16).
bool text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(512, '\0');
  in.read(head.data(), std::streamsize(head.size()));
  head.resize(size_t(std::max<std::streamsize>(in.gcount(), 0)));
  size_t even = 0, odd = 0, control = 0;
  for (size_t i = 0; i < head.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(head[i]);
    if (c == 0) ++(i % 2 ? odd : even);
    else control += c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1A;
  }
  if (even + odd == 0) return 100 * control <= head.size();
  return (even == 0 || odd == 0) && 6 * (even + odd) >= head.size();
}

// When the data is not of the kind `detector` was trained on: what the model reads, and the fix.
std::string other_kind_text(const Detector& detector, const std::string& data_text, const std::string& path = "") {
  std::error_code e;
  if (detector.kind() == ModelKind::image && !path.empty() && fs::is_regular_file(path, e) && fs::file_size(path, e) == 0)
    return data_text + " is empty (0 bytes): give it images (--data FOLDER, one image file or an IDX file)";
  if (detector.kind() == ModelKind::image && !path.empty() && !text_file(path))
    return data_text + " is neither an image CA3 reads (PNG, JPEG, GIF, BMP) nor a CSV table (it is not text): give it images "
           "(--data FOLDER, one image file or an IDX file)";
  if (detector.kind() == ModelKind::image)
    return data_text + " is a CSV table, and this model was trained on " + detector.trained_on() + ": give it images "
           "(--data FOLDER, one image file or an IDX file), or score the table with a model trained on a table (ca3 train --data TABLE.csv "
           "--out table.ca3)";
  return data_text + " holds images, and this model was trained on " + detector.trained_on() + ": give it a CSV table, or "
         "score the images with a model trained on images (ca3 train --data FOLDER --out images.ca3)";
}

Scored score_data(Detector& detector, const Args& a, bool want_labels, const TabularOptions& given) {
  const std::string data = a.need("data");
  const DataKind kind = data_kind(data);
  Scored s;
  check_options_fit(a, kind);
  if (kind == DataKind::csv) {
    CA3_CHECK(detector.kind() == ModelKind::tabular, other_kind_text(detector, "'" + data + "'", data));
    const CsvTable table = read_table(a, data);
    if (!want_labels) {
      // beside the scores as scoring reads them: a grouped report's dates and identifiers filled down
      const std::optional<CsvTable> filled = detector.preprocessing()->filled_down(table);
      const CsvTable& written = filled ? *filled : table;
      const std::vector<int64_t> ids = id_columns_of(detector, a, written, "'" + data + "'", s.notes);
      s.id_header = id_header_of(written, ids);
      if (!ids.empty())
        for (size_t i = 0; i < written.row_count(); ++i) s.ids.push_back(id_cells_of(written, i, ids));
    }
    s.scores = detector.score_table(table);
    std::vector<std::string> used = a.id_columns;  // not "left out": written beside the scores, or eval's labels
    if (want_labels && !given.label_column.empty()) used.push_back(given.label_column);
    for (std::string& note : detector.preprocessing()->scoring_notes(table, true, used)) s.notes.push_back(std::move(note));
    if (!want_labels)
      if (std::string note = label_column_note(detector, table, a.get("model"), "'" + data + "'"); !note.empty()) s.notes.push_back(std::move(note));
    for (size_t i = 0; i < table.row_count(); ++i) s.names.push_back(std::to_string(i + 1));
    if (const size_t top = why_top(a)) s.why = why_column(detector, table, s.scores, top);
    if (want_labels) {
      // The core's message, with the options that give the labels here.
      if (given.label_column.empty() && detector.preprocessing()->options().label_column.empty())
        throw UsageError("the model was trained without a label column, so eval needs the true labels: "
                         "--label-column COL with --normal V or --anomaly V");
      if (!given.label_column.empty()) {
        TabularOptions o = given;
        s.labels = scored_rows_labels(table, o, &s.notes);
      } else {
        s.labels = detector.table_labels(table, &s.notes);
      }
    }
    return s;
  }
  CA3_CHECK(detector.kind() == ModelKind::image, other_kind_text(detector, "'" + data + "'"));
  CA3_CHECK(!a.has("why"), "--why names the columns behind a table row's score: for tables only (leave it out for images; what "
            "raises an image's score, pixel by pixel, is shown by CA3's page and given by the SDK's explain())");
  if (kind == DataKind::idx) {
    Dataset images;
    TabularOptions o = given;
    CA3_CHECK(!want_labels || !o.normal_values.empty() || !o.anomaly_values.empty(), "'", data, "' holds classes, not "
              "anomaly labels: give the normal classes with --normal (e.g. --normal 0) or the anomalous ones with --anomaly");
    if (o.normal_values.empty() && o.anomaly_values.empty()) o.normal_values = {"0"};  // labels unused
    images = read_idx(a, o, detector.model().sample_shape());
    for (int64_t i = 0; i < images.size(); ++i) s.names.push_back(std::to_string(i + 1));
    s.scores = detector.score_images(images.inputs);
    if (want_labels) s.labels = images.labels;
    return s;
  }
  // A folder (the images its labels CSV lists, else all), or one image file.
  const Shape shape = detector.model().sample_shape();  // {height, width, channels}
  const std::string folder = kind == DataKind::image_file ? fs::path(data).parent_path().string() : data;
  std::vector<std::string> files;  // paths in `folder`
  if (kind == DataKind::image_file) {
    CA3_CHECK(!a.has("labels"), "--labels lists the images of a folder; '", data, "' is one image (give its folder as --data)");
    CA3_CHECK(!want_labels, "eval needs labelled images: a folder (--data) with its labels CSV (--labels); '", data, "' is one image");
    files = {fs::path(data).filename().string()};
    s.names = {data};
  } else if (a.has("labels") || want_labels) {
    if (want_labels && given.label_column.empty())
      throw UsageError("eval of images needs their labels: --labels CSV with --label-column COL and --normal V (or "
                       "--anomaly V); an image model does not keep the labels it was trained with");
    const ImageListing listing = list_images(data, a.need("labels"), want_labels ? &given : nullptr);
    files = listing.files;
    // As the labels CSV writes them (a Windows path keeps its backslashes), to join the scores back to it.
    for (size_t i = 0; i < listing.table.row_count(); ++i) s.names.emplace_back(trim(listing.table.cell(i, size_t(listing.table.column_index("file")))));
    if (want_labels) s.labels = tabular_labels(listing.table, given);
    note_unlisted(a, data, files);
  } else {  // every image in the folder
    files = images_in_folder(a, data);
    s.names = files;
  }
  std::vector<ImageFacts> facts;
  const Tensor inputs = read_images(folder.empty() ? "." : folder, files, shape[0], shape[1], shape[2], facts);
  std::string unreadable;
  const std::vector<size_t> readable = readable_images(facts, unreadable);
  if (!unreadable.empty()) s.notes.push_back(unreadable + (want_labels ? "; left out of the figures" : "; not scored (no score, no flag)"));
  const std::vector<ImageFacts> read = pick(facts, readable);
  s.notes.push_back(images_taken(read, shape, " as the model takes them"));
  if (shape[2] == 3 && std::all_of(read.begin(), read.end(), [](const ImageFacts& f) { return f.grey; }))
    s.notes.push_back(detail::concat(read.size() == 1 ? "the image is grey" : "every image is grey", " and the model takes colour "
                                     "images (it was trained on some): a grey image may score high for its missing colour alone; "
                                     "score images in colour, as those it was trained on"));
  const std::vector<float> scores = detector.score_images(inputs);
  s.scores.assign(files.size(), std::numeric_limits<float>::quiet_NaN());
  for (size_t k = 0; k < readable.size(); ++k) s.scores[readable[k]] = scores[k];
  return s;
}

// `ca3 score --data -`: CSV rows from standard input, scored a batch at a time and written as
// they go (constant memory, whatever the size), to --out or, with --out -, to standard output.
int score_stream(Detector& detector, const Args& a) {
  CA3_CHECK(detector.kind() == ModelKind::tabular, other_kind_text(detector, "standard input (--data -)"));
  const size_t top = why_top(a);
  CA3_CHECK(!a.has("labels"), "--labels is for a folder of images; standard input is read as a CSV table (leave --labels out)");
  CA3_CHECK(!a.has("limit"), "--limit needs a file, not standard input (every row that arrives is scored; stop "
            "the input to stop)");
  const std::string out = a.need("out");
  std::ofstream file;
  if (out != "-") {
    file.open(out, std::ios::binary | std::ios::trunc);
    CA3_CHECK(file, "cannot write '", out, "'");
  }
  std::ostream& sink = out == "-" ? std::cout : file;
  CsvStream stream(numbers_named(a));
  size_t rows = 0, flagged = 0, not_scored = 0;
  char number[32];
  std::string text;
  std::vector<int64_t> ids;
  std::vector<std::string> notes;
  CellNotes cells(*detector.preprocessing());
  auto write = [&](const CsvTable& given) {
    const CsvTable& batch = cells.add(given);  // a grouped column filled down, also from the batch before
    if (rows > 0) cells.check_readable();       // (the first batch: as a file, by prepare_table below)
    if (rows == 0) {
      ids = id_columns_of(detector, a, batch, "standard input", notes);
      // (of the batch as written: a totals row is found by its label, which a filled group cell would hide)
      for (std::string& note : detector.preprocessing()->scoring_notes(given, false, a.id_columns)) notes.push_back(std::move(note));
      if (std::string note = label_column_note(detector, given, a.get("model"), "-"); !note.empty()) notes.push_back(std::move(note));
    }
    // (scored as prepared: score_table would look for rows not scored again, in the filled batch)
    // (a cell that cannot be read as missing, said: the rows before were written already; the first
    // batch refuses a column mostly unreadable, as a file is refused)
    std::vector<float> scores = detector.score_inputs(detector.prepare_table(
        batch, false, rows == 0 ? TabularPreprocessor::Unreadable::few_as_missing : TabularPreprocessor::Unreadable::all_as_missing));
    // rows holding no sample, found in the batch as written (a filled cell hides a heading line)
    for (const size_t r : cells.not_scored().rows) scores[r] = std::numeric_limits<float>::quiet_NaN();
    // --why: the flagged rows of the batch as filled (as a file's in the whole file filled), the rows
    // holding no sample as the stream found them
    std::vector<std::string> why;
    if (top > 0) {
      std::vector<size_t> not_scored_here = cells.not_scored().rows;
      std::sort(not_scored_here.begin(), not_scored_here.end());
      why = why_column(detector, batch, scores, top, &not_scored_here);
    }
    if (rows == 0) {
      text = "row" + id_header_of(batch, ids) + ",score,flag" + (top > 0 ? ",why\n" : "\n");
    } else {
      text.clear();
    }
    for (size_t i = 0; i < scores.size(); ++i) {
      std::snprintf(number, sizeof number, "%.9g", double(scores[i]));
      const bool flag = scores[i] >= detector.threshold();
      flagged += flag;
      not_scored += std::isnan(scores[i]);
      text += std::to_string(++rows) + id_cells_of(batch, i, ids) + (std::isnan(scores[i]) ? ",," : "," + std::string(number)) +
              (std::isnan(scores[i]) ? "" : flag ? ",1" : ",0") + (top > 0 ? "," + csv_field(why[i]) + "\n" : "\n");
    }
    sink << text;
    sink.flush();
  };
  std::vector<char> block(1 << 20);
  try {
    // read(), not fread(): what has arrived, without waiting for a full block (a live feed's rows
    // are scored as soon as a batch of them is in)
    for (;;) {
      const ssize_t n = ::read(STDIN_FILENO, block.data(), block.size());
      if (n < 0 && errno == EINTR) continue;
      CA3_CHECK(n >= 0, "reading it failed (", std::strerror(errno), ")");
      if (n == 0) break;
      stream.push({block.data(), size_t(n)});
      while (auto batch = stream.next(4096)) write(*batch);
    }
    stream.finish();
    while (auto batch = stream.next(4096)) write(*batch);
  } catch (const Error& e) {  // what was written before it stays: say how far it goes
    if (rows == 0 && out != "-") {  // nothing scored: no empty file left behind
      file.close();
      std::remove(out.c_str());
    }
    if (rows == 0) throw Error(e.code(), detail::concat("standard input: ", e.what()));  // as a file's name is said
    throw Error(e.code(), detail::concat(e.what(), " (rows 1 to ", rows, " were scored and written", out == "-" ? "" : " to " + out,
                                         "; no row after them was: fix what is said and score the file again)"));
  }
  if (rows == 0 && out != "-") {
    file.close();
    std::remove(out.c_str());
  }
  CA3_CHECK(rows > 0, "standard input: the CSV has a header but no data rows");
  for (std::string& note : cells.notes()) notes.push_back(std::move(note));
  if (std::string most = detector.flagged_share_note(rows - not_scored, flagged); !most.empty()) notes.push_back(std::move(most));
  print_notes(a, notes);
  if (!a.quiet)
    std::fprintf(stderr, "scored %zu row%s from standard input (%s)%s, %zu flagged (threshold %s)\n", rows - not_scored,
                 rows - not_scored == 1 ? "" : "s", stream.encoding().c_str(), not_scored_text(not_scored).c_str(), flagged,
                 threshold_text(detector.threshold()).c_str());
  return 0;
}

int command_score(const Args& a) {
  Detector detector = load_model(a.need("model"));
  const std::string out = a.need("out");
  if (out != "-") check_output(a, "--out", out, "scores.csv");
  if (a.get("data") == "-") return score_stream(detector, a);
  const Scored s = score_data(detector, a, false, TabularOptions{});
  std::ostringstream csv;
  const DataKind kind = data_kind(a.get("data"));
  csv << (detector.kind() == ModelKind::image && (kind == DataKind::folder || kind == DataKind::image_file) ? "file" : "row")
      << s.id_header << ",score,flag" << (s.why.empty() ? "" : ",why") << "\n";
  char number[32];
  for (size_t i = 0; i < s.scores.size(); ++i) {
    std::snprintf(number, sizeof number, "%.9g", double(s.scores[i]));
    csv << csv_field(s.names[i]) << (s.ids.empty() ? "" : s.ids[i]);
    if (std::isnan(s.scores[i])) csv << ",,";  // a row holding no sample (said in the notes)
    else csv << "," << number << "," << (s.scores[i] >= detector.threshold() ? 1 : 0);
    if (!s.why.empty()) csv << "," << csv_field(s.why[i]);
    csv << "\n";
  }
  if (out == "-") {
    std::cout << csv.str() << std::flush;
  } else {
    std::ofstream f(out, std::ios::binary | std::ios::trunc);
    CA3_CHECK(f, "cannot write '", out, "'");
    f << csv.str();
    CA3_CHECK(f.good(), "could not write all of '", out, "' (is the disk full?)");
  }
  size_t flagged = 0, not_scored = 0;
  for (float v : s.scores) flagged += v >= detector.threshold(), not_scored += std::isnan(v);
  const size_t scored = s.scores.size() - not_scored;
  std::vector<std::string> notes = s.notes;
  if (std::string most = detector.flagged_share_note(scored, flagged); !most.empty()) notes.push_back(std::move(most));
  print_notes(a, notes);
  if (!a.quiet) {
    std::fprintf(stderr, "scored %zu %s%s%s, %zu flagged (threshold %s); wrote %s\n", scored,
                 detector.kind() == ModelKind::image ? "image" : "row", scored == 1 ? "" : "s", not_scored_text(not_scored, detector.kind() == ModelKind::image).c_str(),
                 flagged, threshold_text(detector.threshold()).c_str(), out == "-" ? "standard output" : out.c_str());
  }
  return 0;
}

int command_eval(const Args& a) {
  if (a.get("data") == "-") throw UsageError("--data -: eval reads a file, not standard input (save the CSV to a file and give its name)");
  Detector detector = load_model(a.need("model"));
  const Scored s = score_data(detector, a, true, label_options(a));
  const Metrics m = detector.evaluate(s.scores, s.labels);
  print_notes(a, s.notes);
  if (!a.quiet && (m.normal == 0 || m.anomalies == 0))
    std::fprintf(stderr, "note: the labels give %lld normal and %lld anomalous %s: ROC-AUC and average precision "
                 "need both (check --normal / --anomaly)\n", (long long)m.normal, (long long)m.anomalies,
                 detector.kind() == ModelKind::image ? "images" : "rows");
  std::printf("%s\n", wire::dump(wire::to_json(m), 2).c_str());
  return 0;
}

// The scoring graph as ONNX; for a table model its preprocessing statistics beside it (the graph
// takes the preprocessed rows: see core/anomaly/onnx.h).
int command_export(const Args& a) {
  Detector detector = load_model(a.need("model"));
  const std::string onnx = a.need("onnx");
  check_output(a, "--onnx", onnx, "model.onnx");
  CA3_CHECK(detector.preprocessing() || !a.has("preprocessing"), "--preprocessing is for table models (their input "
            "preprocessing); an image model's graph takes the pixels as they are");
  // A table model's preprocessing: --preprocessing, or beside the graph (model.onnx -> model.preprocessing.json).
  const std::string preprocessing =
      !detector.preprocessing() ? ""
      : a.has("preprocessing")  ? a.get("preprocessing")
                                : fs::path(onnx).replace_extension(".preprocessing.json").string();
  if (!preprocessing.empty()) check_output(a, "--preprocessing", preprocessing, "preprocessing.json");
  CA3_CHECK(!same_file(onnx, preprocessing), "--onnx ", onnx, " is also where the preprocessing would go: give "
            "--preprocessing another file name");
  write_binary_file(onnx, export_onnx(detector));
  if (!preprocessing.empty()) {
    const std::string text = wire::dump(detector.preprocessing()->to_json(), 2) + "\n";
    write_binary_file(preprocessing, std::vector<uint8_t>(text.begin(), text.end()));
  }
  if (!a.quiet)
    std::fprintf(stderr, "wrote %s%s\n", onnx.c_str(),
                 preprocessing.empty() ? "" : (" and its input preprocessing " + preprocessing).c_str());
  return 0;
}

int command_info(const Args& a) {
  CA3_CHECK(a.positional.size() == 1, "ca3 info takes one model file");
  size_t file_bytes = 0;
  const Detector detector = load_model(a.positional[0], &file_bytes);
  nlohmann::json j = wire::detector_info(detector);
  j["fileBytes"] = file_bytes;
  std::printf("%s\n", wire::dump(j, 2).c_str());
  // The same in words (stderr): what the model takes, how it was trained, how it scores.
  const nlohmann::json& preset = detector.preset().json;
  const nlohmann::json& training = preset["training"];
  const bool image = detector.kind() == ModelKind::image;
  const std::string unit = image ? "image" : "row";
  std::string input;
  if (image) {
    const nlohmann::json& size = preset["image"];
    input = std::to_string(size["height"].get<int>()) + "x" + std::to_string(size["width"].get<int>()) +
            (size["channels"].get<int>() == 3 ? " colour" : " grey") + " images";
  } else if (j.contains("features")) {
    const nlohmann::json& features = j["features"];
    std::string names;
    for (size_t k = 0; k < features.size() && k < 8; ++k) names += (k ? ", " : "") + features[k].get<std::string>();
    if (features.size() > 8) names += ", ... (" + std::to_string(features.size() - 8) + " more)";
    input = "rows of " + std::to_string(features.size()) + " model inputs (" + names + ")";
  }
  std::fprintf(stderr, "%s model (%s) for %s, %lld parameters, %s\n", image ? "image" : "table",
               preset["model"].value("variant", "e2e").c_str(), input.c_str(), (long long)j.value("parameters", 0),
               detector.trained() ? "trained" : "not trained");
  if (const TabularPreprocessor* prep = detector.preprocessing()) {
    std::vector<std::string> logged;
    for (const ColumnTransform& t : prep->columns())
      if (t.log_scale > 0) logged.push_back("'" + t.name + "' " + log_scale_text(t, prep->number_format()));
    if (!logged.empty())
      std::fprintf(stderr, "read on a log scale (skewed to large values in training; mean and sd in the preprocessing are "
                   "of these logs): %s\n", list_some(logged, logged.size()).c_str());
  }
  std::fprintf(stderr, "preset: seed %s, at most %d epochs (patience %d), batch %d, learning rate %g, gamma %g, contamination %g\n",
               preset["seed"].dump().c_str(), training["epochs"].get<int>(), training["patience"].get<int>(),
               training["batchSize"].get<int>(), training["learningRate"].get<double>(), preset["model"]["gamma"].get<double>(),
               training["contamination"].get<double>());
  if (const FitReport* report = detector.training_report()) {
    char auc[32];
    std::snprintf(auc, sizeof auc, "%.4f", report->test.roc_auc);
    std::fprintf(stderr, "trained on %lld %ss (%s; test ROC-AUC %s)\n", (long long)report->train_rows, unit.c_str(),
                 setting_text(*report, unit).c_str(), report->test.roc_auc >= 0 ? auc : "n/a: the test split had no labelled anomaly");
    std::fprintf(stderr, "%s\n", score_text(*report, unit).c_str());
    const std::string validation = validation_text(*report, unit);
    if (!validation.empty()) std::fprintf(stderr, "%s\n", validation.c_str());
    const std::string caveat = threshold_caveat(*report, unit, detector.preset());
    if (!caveat.empty()) std::fprintf(stderr, "%s\n", caveat.c_str());
  }
  std::fprintf(stderr, "threshold %s: a score at or above it is flagged\n", threshold_text(detector.threshold()).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ca3::keep_freed_memory_for_reuse();
  std::string table_file;  // the CSV that messages starting "CSV line" are about
  try {
    const Args a = parse_args(argc, argv);
    table_file = a.has("labels") ? a.get("labels") : a.get("data") == "-" ? "standard input" : a.get("data");
    if (a.has("threads")) {
      const int64_t threads = to_int(a.get("threads"), "--threads");
      CA3_CHECK(threads >= 1 && threads <= 256, "--threads must be from 1 to 256, got ", threads);
      set_num_threads(int(threads));
    }
    if (a.command == "train") return command_train(a);
    if (a.command == "score") return command_score(a);
    if (a.command == "eval") return command_eval(a);
    if (a.command == "info") return command_info(a);
    if (a.command == "export") return command_export(a);
    // "help": all of it, or one command's usage lines and then what its options mean
    std::fputs(help_text(a.positional.empty() ? "" : a.positional[0]).c_str(), stdout);
    return 0;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "ca3: error: %s (ca3 --help lists the commands and their options)\n", e.what());
    return 2;
  } catch (const Error& e) {
    // A value found wrong after the file was read ("CSV line 7, column 'x': ...") names the file.
    const std::string message = e.what();
    const bool unnamed = (message.rfind("CSV line", 0) == 0 || message.rfind("the CSV has", 0) == 0 ||
                          message.rfind("CSV has no column", 0) == 0 || message.rfind("no row of label column", 0) == 0) &&
                         !table_file.empty();
    std::fprintf(stderr, "ca3: error: %s%s\n", unnamed ? (table_file + ": ").c_str() : "", message.c_str());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "ca3: error: out of memory: the data or the model does not fit in this machine's memory "
                 "(use fewer rows / images or a smaller preset)\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ca3: error: internal error (%s); please report it\n", e.what());
    return 1;
  }
}
