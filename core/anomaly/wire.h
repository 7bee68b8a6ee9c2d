// Every JSON value that leaves C++ -- for the SDK and page (through the wasm module), the command
// line's reports and the model file's metadata -- defined here once, with camelCase keys.
// sdk/src/wire.ts mirrors each of these as a TypeScript interface of the same name; the SDK's
// wire test checks real values from the wasm module against those interfaces, both ways.
//
//   TrainProgress   {stage, epoch, epochs, step, steps, epochEnd, loss, reconstruction, kl,
//                    classification, validationAuc?, validationLoss?, samplesPerSecond}
//   Metrics         {normal, anomalies, rocAuc, averagePrecision, threshold, confusion,
//                    truePositiveRate, falsePositiveRate, precision, f1, roc?}
//   Confusion       {truePositives, falsePositives, trueNegatives, falseNegatives}
//   RocCurve        {thresholds, truePositives, falsePositives, anomalies, normal}
//   EpochRecord     {stage, epoch, loss, reconstruction, kl, classification, validationAuc, validationLoss, seconds}
//   FitReport       {cancelled, setting, rows: {train, validation, test}, labelledAnomalies, syntheticAnomalies, epochs, bestEpoch, bestBy,
//                    seconds, samplesPerSecond, validation, test, history, droppedColumns, data?}
//   TableDescription {encoding, separator, decimalMark, thousandsSeparator, rows, emptyRows, columns, notes}
//   ColumnDecision  {name, role, reason, missing, placeholders}
//   DetectorInfo    {kind, preset, trained, threshold, parameters?, inputShape?, features?,
//                    preprocessing?, training?}
//   TableOptions    {labelColumn?, normalValues?, anomalyValues?, idColumns?, roles?, decimalMark?}   (JavaScript -> C++)
//   CsvSummary      {rows, notes, encoding, separator, decimalMark, decimalMarkGuessed, thousandsSeparator, emptyRows,
//                    suggestedLabelColumn, columns: ColumnSummary[]}
//   ColumnSummary   {name, numeric, missing, distinct, values: {value, count}[], role, reason, stopsTraining, placeholders}
//   ErrorInfo       {code, message}
//   RowExplanation  {row, line, score, flagged, likeRows, baselineScore, columns: ColumnContribution[]}
//   ColumnContribution {column, value, missing, baseline, typical, filled, contribution}
//   RowToCheck      {row, line, reason}
//
// Numbers that are "not available" (a ROC-AUC without both classes) are null.
#pragma once

#include <nlohmann/json.hpp>

#include "core/anomaly/data/csv.h"
#include "core/anomaly/data/tabular.h"
#include "core/anomaly/detector.h"
#include "core/anomaly/fit.h"
#include "core/anomaly/metrics.h"
#include "core/engine/error.h"

namespace ca3::wire {

using Json = nlohmann::json;

Json to_json(const TrainProgress& progress);
Json to_json(const Confusion& confusion);
Json to_json(const RocCurve& roc);
Json to_json(const Metrics& metrics);
Json to_json(const EpochRecord& record);
Json to_json(const FitReport& report);
Json to_json(const Error& error);
Json to_json(const RowExplanation& explanation);
Json to_json(const CellNotes::RowToCheck& row);
Json to_json(const std::vector<CellNotes::RowToCheck>& rows);  // RowToCheck[]
Json detector_info(const Detector& detector);
// TableDescription {encoding, separator, decimalMark, thousandsSeparator, rows, emptyRows,
// columns: ColumnDecision[] {name, role, reason, missing, placeholders}, notes}
Json table_description(const CsvTable& table, const std::vector<ColumnDecision>& columns,
                       const std::vector<std::string>& notes);
Json csv_summary(const CsvTable& table, size_t max_values = 20);

// The inverse, for what comes back: table options from the SDK, a report from a model file.
// Throw ca3::Error naming the key that is missing or of the wrong type.
TabularOptions table_options_from_json(const Json& json);
// The number format TableOptions.decimalMark names (',' or '.'), read with the CSV; none when
// absent (decided from the cells).
std::optional<NumberFormat> table_numbers_from_json(const Json& json);
FitReport fit_report_from_json(const Json& json);

// JSON text of `json` (indented by `indent`, -1: one line); text that is not valid UTF-8 is
// written with U+FFFD in its place instead of failing.
std::string dump(const Json& json, int indent = -1);

// Parses JSON text from outside (a preset, options); a syntax error becomes a ca3::Error saying
// where, never the JSON library's own message.
Json parse(const std::string& text, const char* what);

}  // namespace ca3::wire
