#include "core/anomaly/wire.h"

#include <cmath>

namespace ca3::wire {
namespace {

Json number_or_null(double value) { return value >= 0 ? Json(value) : Json(nullptr); }

std::string mark_name(char c) {
  switch (c) {
    case 0: return "";
    case '\t': return "tab";
    case ' ': return "spaces";  // columns aligned with spaces
    default: return std::string(1, c);
  }
}

// Reading back: every key named when it is missing or of the wrong type.
const Json& field(const Json& j, const char* key, const char* what) {
  CA3_CHECK(j.is_object() && j.contains(key), what, ": '", key, "' is missing");
  return j.at(key);
}
template <typename T>
T get(const Json& j, const char* key, const char* what) {
  const Json& v = field(j, key, what);
  try {
    return v.get<T>();
  } catch (const nlohmann::json::exception&) {
    throw Error(detail::concat(what, ": '", key, "' has the wrong type"));
  }
}
double number_or_missing(const Json& j, const char* key, const char* what) {
  const Json& v = field(j, key, what);
  return v.is_null() ? -1.0 : get<double>(j, key, what);
}

}  // namespace

Json to_json(const TrainProgress& p) {
  Json j = {{"stage", p.stage},
            {"epoch", p.epoch},
            {"epochs", p.epochs},
            {"step", p.step},
            {"steps", p.steps},
            {"epochEnd", p.epoch_end},
            {"loss", p.loss},
            {"reconstruction", p.reconstruction},
            {"kl", p.kl},
            {"classification", p.classification},
            {"samplesPerSecond", p.samples_per_second}};
  if (p.epoch_end) {
    j["validationAuc"] = number_or_null(p.validation_auc);
    j["validationLoss"] = p.validation_loss;
  }
  return j;
}

Json to_json(const Confusion& c) {
  return {{"truePositives", c.true_positives},
          {"falsePositives", c.false_positives},
          {"trueNegatives", c.true_negatives},
          {"falseNegatives", c.false_negatives}};
}

Json to_json(const RocCurve& roc) {
  Json thresholds = Json::array();
  for (float t : roc.thresholds) thresholds.push_back(std::isfinite(t) ? Json(t) : Json(nullptr));  // +inf: null
  return {{"thresholds", thresholds},
          {"truePositives", roc.true_positives},
          {"falsePositives", roc.false_positives},
          {"anomalies", roc.anomalies},
          {"normal", roc.normal}};
}

Json to_json(const Metrics& m) {
  const Confusion& c = m.confusion;
  const int64_t positives = c.true_positives + c.false_negatives, negatives = c.false_positives + c.true_negatives,
                flagged = c.true_positives + c.false_positives;
  Json j = {{"normal", m.normal},
            {"anomalies", m.anomalies},
            {"rocAuc", number_or_null(m.roc_auc)},
            {"averagePrecision", number_or_null(m.average_precision)},
            {"threshold", m.threshold},
            {"confusion", to_json(m.confusion)},
            // null where a rate has nothing to be measured on (no anomalies, no normal samples,
            // nothing flagged), as rocAuc: a dashboard must not show "F1 0" for a test without
            // anomalies, nor "precision 0" where the flagged samples are unlabelled, not known normal
            {"truePositiveRate", positives > 0 ? Json(c.true_positive_rate()) : Json(nullptr)},
            {"falsePositiveRate", negatives > 0 ? Json(c.false_positive_rate()) : Json(nullptr)},
            {"precision", flagged > 0 && positives > 0 ? Json(c.precision()) : Json(nullptr)},
            {"f1", positives > 0 ? Json(flagged > 0 ? c.f1() : 0.0) : Json(nullptr)}};
  if (m.not_scored > 0) j["notScored"] = m.not_scored;
  if (m.roc) j["roc"] = to_json(*m.roc);
  return j;
}

Json to_json(const EpochRecord& r) {
  return {{"stage", r.stage},
          {"epoch", r.epoch},
          {"loss", r.loss},
          {"reconstruction", r.reconstruction},
          {"kl", r.kl},
          {"classification", r.classification},
          {"validationAuc", number_or_null(r.validation_auc)},
          {"validationLoss", r.validation_loss},
          {"seconds", r.seconds}};
}

Json to_json(const FitReport& r) {
  Json history = Json::array();
  for (const EpochRecord& e : r.history) history.push_back(to_json(e));
  Json j = {{"cancelled", r.cancelled},
          {"setting", r.setting},
          {"rows", {{"train", r.train_rows}, {"validation", r.validation_rows}, {"test", r.test_rows}}},
          {"labelledAnomalies", r.labelled_anomalies},
          {"syntheticAnomalies", r.synthetic_anomalies},
          {"validationAnomalies", r.validation_anomalies},
          {"score", r.score},
          {"epochs", r.history.size()},
          {"bestEpoch", r.best_epoch},
          {"bestBy", r.best_by},
          {"seconds", r.seconds},
          {"samplesPerSecond", r.samples_per_second},
          {"validation", to_json(r.validation)},
          {"thresholdRate", number_or_null(r.threshold_rate)},
          {"thresholdShare", r.threshold_share.low < 0 ? Json(nullptr)
                             : Json{{"low", r.threshold_share.low}, {"high", r.threshold_share.high},
                                    {"probability", FitReport::kShareProbability}, {"samples", r.threshold_normal}}},
          {"thresholdAtTop", r.threshold_at_top},
          {"test", to_json(r.test)},
          {"history", history},
          {"droppedColumns", r.dropped_columns}};
  if (r.neighbours.samples > 0)
    j["neighbours"] = {{"samples", r.neighbours.samples},
                       {"repeated", r.neighbours.repeated},
                       {"leftOut", r.neighbours.left_out},
                       {"notSampled", r.neighbours.not_sampled},
                       {"nearest", r.neighbours.nearest},
                       {"copies", r.neighbours.copies}};
  if (!r.data.is_null()) j["data"] = r.data;
  return j;
}

Json table_description(const CsvTable& table, const std::vector<ColumnDecision>& columns,
                       const std::vector<std::string>& notes) {
  Json list = Json::array();
  for (const ColumnDecision& c : columns) {
    Json placeholders = Json::object();
    for (const auto& [marker, count] : c.placeholders) placeholders[marker] = count;
    list.push_back({{"name", c.name}, {"role", c.role}, {"reason", c.reason}, {"missing", c.missing},
                    {"placeholders", placeholders}});
  }
  return {{"encoding", table.encoding},
          {"separator", mark_name(table.separator)},
          {"decimalMark", mark_name(table.numbers.decimal)},
          {"thousandsSeparator", mark_name(digit_group_mark(table))},
          {"rows", table.row_count()},
          {"emptyRows", table.empty_row_lines.size()},
          {"columns", list},
          {"notes", notes}};
}

Json to_json(const Error& e) { return {{"code", to_string(e.code())}, {"message", e.what()}}; }

Json to_json(const RowExplanation& e) {
  Json columns = Json::array();
  for (const ColumnContribution& c : e.columns)
    columns.push_back({{"column", c.column}, {"value", c.value}, {"missing", c.missing}, {"baseline", c.baseline},
                       {"typical", c.typical}, {"filled", c.filled}, {"contribution", c.contribution}});
  return {{"row", e.row},           {"line", e.line},
          {"score", e.score},       {"flagged", e.flagged},
          {"likeRows", e.like_rows}, {"baselineScore", e.baseline_score},
          {"columns", columns}};
}

Json to_json(const CellNotes::RowToCheck& c) { return {{"row", c.row}, {"line", c.line}, {"reason", c.reason}}; }
Json to_json(const std::vector<CellNotes::RowToCheck>& rows) {
  Json out = Json::array();
  for (const CellNotes::RowToCheck& row : rows) out.push_back(to_json(row));
  return out;
}

Json detector_info(const Detector& d) {
  Json j;
  j["kind"] = d.kind() == ModelKind::image ? "image" : "tabular";
  j["preset"] = d.preset().json;
  j["trained"] = d.trained();
  j["threshold"] = d.threshold();
  if (d.trained() || d.kind() == ModelKind::image) {
    E2EConvA3& model = const_cast<Detector&>(d).model();
    int64_t count = 0;
    for (const Var& p : model.parameters()) count += p.value().numel();
    j["parameters"] = count;
    j["inputShape"] = model.sample_shape();
  }
  if (const TabularPreprocessor* prep = d.preprocessing()) {
    j["features"] = prep->feature_names();
    j["preprocessing"] = prep->to_json();
  }
  if (const FitReport* report = d.training_report()) j["training"] = to_json(*report);
  return j;
}

Json csv_summary(const CsvTable& table, size_t max_values) {
  Json columns = Json::array();
  std::vector<std::string> notes;
  size_t rows = 0;
  const std::vector<ColumnSummary> summaries = describe_columns(table, max_values, &notes, &rows);
  for (const ColumnSummary& c : summaries) {
    Json values = Json::array();
    for (const auto& [value, count] : c.values) values.push_back({{"value", value}, {"count", count}});
    Json placeholders = Json::object();
    for (const auto& [marker, count] : c.placeholders) placeholders[marker] = count;
    columns.push_back({{"name", c.name},
                       {"numeric", c.numeric},
                       {"missing", c.missing},
                       {"distinct", c.distinct},
                       {"values", values},
                       {"role", c.role},
                       {"reason", c.reason},
                       {"stopsTraining", c.stops_training},
                       {"placeholders", placeholders}});
  }
  bool by_name = false;
  const std::string label = suggest_label_column(summaries, &by_name);
  return {{"rows", rows},
          {"notes", notes},
          {"encoding", table.encoding},
          {"separator", mark_name(table.separator)},
          {"decimalMark", mark_name(table.numbers.decimal)},
          {"decimalMarkGuessed", table.numbers_guessed},
          {"decimalMarkReason", guessed_mark_reason(table)},
          {"thousandsSeparator", mark_name(digit_group_mark(table))},
          {"emptyRows", table.empty_row_lines.size()},
          {"suggestedLabelColumn", label.empty() ? Json(nullptr) : Json(label)},
          {"suggestedLabelByName", !label.empty() && by_name},
          {"columns", columns}};
}

TabularOptions table_options_from_json(const Json& j) {
  CA3_CHECK(j.is_object(), "table options must be a JSON object");
  TabularOptions o;
  const char* what = "table options";
  for (const auto& [key, value] : j.items()) {
    if (key == "labelColumn") o.label_column = get<std::string>(j, "labelColumn", what);
    else if (key == "normalValues") o.normal_values = get<std::vector<std::string>>(j, "normalValues", what);
    else if (key == "anomalyValues") o.anomaly_values = get<std::vector<std::string>>(j, "anomalyValues", what);
    else if (key == "idColumns") o.id_columns = get<std::vector<std::string>>(j, "idColumns", what);
    else if (key == "roles") {
      for (const auto& [column, role] : get<std::map<std::string, std::string>>(j, "roles", what)) {
        if (role == "numeric") o.roles[column] = ColumnRole::numeric;
        else if (role == "categorical") o.roles[column] = ColumnRole::categorical;
        else if (role == "ignore") o.roles[column] = ColumnRole::ignore;
        else throw Error("table options: the role of column '" + column + "' is '" + role +
                         "' (expected numeric, categorical or ignore)");
      }
    } else if (key == "decimalMark") {
      table_numbers_from_json(j);  // checked here, read with the CSV
    } else
      throw Error("unknown table option '" + key +
                  "' (expected labelColumn, normalValues, anomalyValues, idColumns, roles, decimalMark)");
  }
  return o;
}

std::optional<NumberFormat> table_numbers_from_json(const Json& j) {
  if (!j.is_object() || !j.contains("decimalMark")) return std::nullopt;
  const std::string mark = get<std::string>(j, "decimalMark", "table options");
  if (mark != "," && mark != ".") throw Error("table options: decimalMark is ',' or '.', not '" + mark + "'");
  return number_format_named(mark);
}

namespace {
Metrics metrics_from_json(const Json& j) {
  const char* what = "metrics";
  Metrics m;
  m.normal = get<int64_t>(j, "normal", what);
  m.anomalies = get<int64_t>(j, "anomalies", what);
  m.roc_auc = number_or_missing(j, "rocAuc", what);
  m.average_precision = number_or_missing(j, "averagePrecision", what);
  m.threshold = get<float>(j, "threshold", what);
  const Json& c = field(j, "confusion", what);
  m.confusion.true_positives = get<int64_t>(c, "truePositives", what);
  m.confusion.false_positives = get<int64_t>(c, "falsePositives", what);
  m.confusion.true_negatives = get<int64_t>(c, "trueNegatives", what);
  m.confusion.false_negatives = get<int64_t>(c, "falseNegatives", what);
  return m;
}
}  // namespace

FitReport fit_report_from_json(const Json& j) {
  const char* what = "training report";
  FitReport r;
  r.cancelled = get<bool>(j, "cancelled", what);
  r.setting = get<std::string>(j, "setting", what);
  r.labelled_anomalies = get<int64_t>(j, "labelledAnomalies", what);
  const Json& rows = field(j, "rows", what);
  r.train_rows = get<int64_t>(rows, "train", what);
  r.validation_rows = get<int64_t>(rows, "validation", what);
  r.test_rows = get<int64_t>(rows, "test", what);
  r.synthetic_anomalies = get<int64_t>(j, "syntheticAnomalies", what);
  // Reports saved before these were written: the detector fills the score from the model.
  if (j.contains("score")) r.score = get<std::string>(j, "score", what);
  if (j.contains("neighbours")) {
    const Json& n = field(j, "neighbours", what);
    r.neighbours = {get<int64_t>(n, "samples", what), get<int64_t>(n, "repeated", what),
                    get<int64_t>(n, "leftOut", what), get<int64_t>(n, "notSampled", what),
                    // reports saved before it was written: always 5
                    n.contains("nearest") ? get<int64_t>(n, "nearest", what) : E2EConvA3::kNeighbours,
                    // reports saved before it was written: each distinct sample once
                    n.contains("copies") ? get<int64_t>(n, "copies", what) : 1};
    CA3_CHECK(r.neighbours.copies >= 1, what, ": neighbours.copies must be 1 or more, got ", r.neighbours.copies);
  }
  r.best_epoch = get<int>(j, "bestEpoch", what);
  if (j.contains("bestBy")) r.best_by = get<std::string>(j, "bestBy", what);  // (reports saved before it was written: "")
  r.seconds = get<double>(j, "seconds", what);
  r.samples_per_second = get<double>(j, "samplesPerSecond", what);
  r.validation = metrics_from_json(field(j, "validation", what));
  r.test = metrics_from_json(field(j, "test", what));
  // Reports saved before it was written: none without validation anomalies, else synthetic when
  // the fit used synthetic anomalies and no labelled one (a few-labels fit's is unknown: labelled).
  r.validation_anomalies = j.contains("validationAnomalies") ? get<std::string>(j, "validationAnomalies", what)
                           : r.validation.anomalies == 0                              ? "none"
                           : r.synthetic_anomalies > 0 && r.labelled_anomalies == 0 ? "synthetic"
                                                                                    : "labelled";
  CA3_CHECK(r.validation_anomalies == "labelled" || r.validation_anomalies == "synthetic" || r.validation_anomalies == "none",
            what, ": validationAnomalies must be \"labelled\", \"synthetic\" or \"none\", got \"", r.validation_anomalies, "\"");
  // Reports saved before it was written: unknown (-1), as for a best-F1 threshold.
  if (j.contains("thresholdRate")) r.threshold_rate = number_or_missing(j, "thresholdRate", what);
  if (j.contains("thresholdShare") && !j["thresholdShare"].is_null()) {
    const Json& share = field(j, "thresholdShare", what);
    r.threshold_share = {get<double>(share, "low", what), get<double>(share, "high", what)};
    // (reports saved before the count was written: set on the normal validation samples alone)
    r.threshold_normal = share.contains("samples") ? get<int64_t>(share, "samples", what) : r.validation.normal;
  } else if (!j.contains("thresholdShare") && r.threshold_rate >= 0 && r.validation.normal >= 2) {
    // Reports saved before it was written: from the normal validation samples, as the fit set it then.
    r.threshold_normal = r.validation.normal;
    r.threshold_share = flagged_share_range(r.threshold_normal, r.threshold_rate, FitReport::kShareProbability);
  }
  if (j.contains("thresholdAtTop")) r.threshold_at_top = get<int64_t>(j, "thresholdAtTop", what);
  for (const Json& e : field(j, "history", what)) {
    EpochRecord record;
    record.stage = get<std::string>(e, "stage", what);
    record.epoch = get<int>(e, "epoch", what);
    record.loss = get<double>(e, "loss", what);
    record.reconstruction = get<double>(e, "reconstruction", what);
    record.kl = get<double>(e, "kl", what);
    record.classification = get<double>(e, "classification", what);
    record.validation_auc = number_or_missing(e, "validationAuc", what);
    record.validation_loss = get<double>(e, "validationLoss", what);
    record.seconds = get<double>(e, "seconds", what);
    r.history.push_back(std::move(record));
  }
  r.dropped_columns = get<std::vector<std::string>>(j, "droppedColumns", what);
  if (j.contains("data")) r.data = j["data"];
  return r;
}

std::string dump(const Json& json, int indent) {
  return json.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

Json parse(const std::string& text, const char* what) {
  try {
    return Json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(detail::concat(what, " is not valid JSON (at byte ", e.byte, ")"));
  }
}

}  // namespace ca3::wire
