// CSV rows -> model inputs: the column schema and preprocessing of a tabular model, fitted on
// training rows only and saved with the model so that scoring applies exactly the same steps.
//
//   TabularOptions options;
//   options.label_column = "Class";
//   options.normal_values = {"good"};
//   CsvTable table = read_csv_file("Ionosphere.csv");
//   std::vector<int> labels = tabular_labels(table, options);   // 0 normal, 1 anomaly
//   TabularPreprocessor prep = TabularPreprocessor::fit(table, training_rows, options);
//   Tensor x = prep.transform(table);                          // [rows, prep.features()]
//
// Columns: the label column and identifier columns (named by the user, or named like "id")
// are not features. A grouped report's leading columns, whose value stands in a group's first row
// only, are filled down (TabularPreprocessor::filled_columns). A column whose non-missing training cells are all numbers is numeric; one
// with at least 75% numbers is rejected naming the first other cell (a typo); otherwise categorical, one-hot encoded over the training categories (unseen categories at
// scoring time encode as all zeros). Missing cells (kMissingMarkers) are imputed with the training median (numeric) or most frequent category. Numeric columns
// are then quantile-transformed to a standard normal (the authors' choice) or standardised
// (clipped to +-20 standard deviations).
//
// The quantile transform follows scikit-learn's QuantileTransformer (up to 1,000 quantiles,
// linear interpolation between them, ranks clipped to [1e-7, 1 - 1e-7], so about +-5.2) with one
// difference: tied values take the middle rank of their tie, and in a column tied at *both* its
// training minimum and maximum (a clipped range, e.g. [-1, 1]) so do the values at the bounds,
// where scikit-learn sends them to +-5.2 however common they are. A column tied at one bound only
// (a floor such as 0 = "none") keeps the far end there, so "none" stays apart from "a little".
// Values outside the training range always go to +-5.2.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/anomaly/data/csv.h"
#include "core/engine/tensor.h"

namespace ca3 {

enum class Scaling { quantile_normal, standard };

// A role a user can give a column, overriding what CA3 would decide.
enum class ColumnRole { numeric, categorical, ignore };

// What the preprocessing decided for one column, and why (shown to the user).
struct ColumnDecision {
  std::string name;
  std::string role;    // numeric, categorical, label, identifier, ignored, empty, free text, dates
  std::string reason;  // empty when there is nothing to say
  int64_t missing = 0;  // missing cells (in every row; the imputed values come from the training rows)
  std::map<std::string, int64_t> placeholders;  // the non-empty missing markers seen, with counts
};

struct TabularOptions {
  std::string label_column;                 // empty: no labels (all rows normal)
  std::vector<std::string> normal_values;   // label values meaning "normal" ...
  std::vector<std::string> anomaly_values;  // ... or those meaning "anomaly" (give one list)
  std::vector<std::string> id_columns;      // columns to leave out (identifiers, leaks)
  std::map<std::string, ColumnRole> roles;  // roles the user gave columns
  Scaling scaling = Scaling::quantile_normal;
  int max_categories = 64;                  // most frequent categories kept per column
  bool log_skewed = true;                   // standard scaling: skewed columns on a log scale (log_input)
};

// 0 normal / 1 anomaly for each row, from the label column. Cells match the given values
// ignoring surrounding spaces, Unicode form and case ("Normal", "NORMAL " are "normal"), and in a
// label column of true and false (every cell and given value; one-letter ones only t/f, y/n, j/n or s/n) as
// the same truth ("0" is "FALSE"); each such merge is described in `notes`. Throws on a missing label column, an empty label cell (with its
// line), or when neither list of values was given.
std::vector<int> tabular_labels(const CsvTable& table, const TabularOptions& options,
                                std::vector<std::string>* notes = nullptr);

// Standard scaling of a column skewed to large values compares values by ratio, as the values of
// sizes, amounts, counts and durations spread: log(1 + v / scale) for v >= 0 (log v - log scale
// where v / scale overflows), and v / scale below 0 (the same slope at 0, so that a value below
// every training value maps below every training value's input). Skewness above kLogSkewness
// chooses it (TabularOptions::log_skewed; the threshold as measured in docs/no-labels.md, "Skewed
// columns on a log scale").
inline constexpr double kLogSkewness = 2.5;
double log_input(double v, double scale);

struct ColumnTransform {
  enum class Kind { numeric, categorical } kind = Kind::numeric;
  std::string name;
  // numeric
  double fill = 0;                    // training median
  double mean = 0, sd = 1;            // standard scaling (of log_input's value where log_scale > 0)
  // A long tail of large values (no training value below 0, skewness above kLogSkewness, more than
  // two values): standard scaling then reads log_input(v, log_scale), log_scale being the median
  // of the positive training values (saved as "logScale"; 0: the value itself).
  double log_scale = 0;
  std::vector<double> quantiles;      // quantile transform (ascending, at evenly spaced ranks)
  // A unit written with the numbers ("$1,304.12", "10,6 %", "21.5 °C"): read without it. At most
  // one of the two; both empty for plain numbers (see number_unit).
  std::string prefix, suffix;
  // Durations ("34:39:00"), read as seconds (saved as "duration"): 'h' when a two-part cell is
  // hours:minutes, 'm' when it is minutes:seconds (race times "1:34:15", "48:08"); 0 otherwise.
  char duration = 0;
  bool minus_after = false;  // NumberUnit::minus_after: "5-" is -5 (saved as "minusAfter")
  bool count_scale = false;  // NumberUnit::count_scale: "2.34M" read in M (saved as "unitScale")
  // +1 when the training values rose in every row of the file (1000, 1007, ...), -1 when they fell,
  // 0 otherwise (saved as "monotone": "rising" / "falling"): scoring says a file beyond them.
  int monotone = 0;
  // Whether the training values are at most two (a 0/1 flag): set by fit, not saved (a column read
  // from a file is judged by its quantiles, see continuous_features).
  std::optional<bool> two_values;
  // categorical
  std::vector<std::string> categories;
  std::string fill_category;          // an empty cell's: the most frequent, or a checkbox's "(empty)"
  // The most frequent training value: fill_category, but in a checkbox column whose value is the
  // more frequent ("X" in 90 % of the rows), that value (saved as "typical" when it differs).
  std::string typical_category;
  // The training values beyond the options' max_categories most frequent, sorted: read as the one
  // category "(other)" (then among `categories`), so that a value never seen stays apart.
  std::vector<std::string> others;
};

// The category of an empty cell in a column of one value (a checkbox column, whose fill_category
// it is): there an empty cell is a value, not missing.
inline constexpr const char* kEmptyCategory = "(empty)";

// How category_index matched a value that is not written as the category is.
enum class CategoryMatch { as_written, by_case, by_number, by_truth };
// The position of a cell's value in t.categories (a categorical column), the fill category's for
// a missing cell; -1 for a value never seen in training. A value matches as written, else in
// another Unicode form, else ignoring letter case ("BLAU" as "Blau"; `how` by_case): in training,
// spellings that differ only in case are one category; else, a whole number, as the one category
// that is the same whole number written otherwise in `format` ("4400.0" where the decimal mark is
// the point, "4400,00" where it is the comma, "4.400" where the point groups thousands, as "4400";
// "1067" as "01067": a code column that a spreadsheet re-wrote; `how` by_number); else, in a
// column whose categories are true or false ("TRUE" and "FALSE", "yes" and "no", or "FALSE"
// alone; one-letter ones only t/f, y/n, j/n or s/n), true or false written another way ("1", "Y", "ja") as
// the one category of that truth, and false as "(empty)" in a checkbox of a true value (`how` by_truth).
// `folded`: folded_categories(t), when many cells are looked up.
int64_t category_index(const ColumnTransform& t, std::string_view cell, const NumberFormat& format, CategoryMatch* how = nullptr,
                       const std::vector<std::string>* folded = nullptr);
std::vector<std::string> folded_categories(const ColumnTransform& t);  // fold_case of each category

// A value of a numeric column (in the column's own units: seconds for durations) as its cells are
// written: a duration as hours:minutes ("8:12", "36:06:30"; m:ss columns as h:mm:ss), a number
// with its unit, decimal mark and thousands separator ("1.214,97 €"). For messages: "typical 8:12", "filled with 0:45".
std::string value_text(const ColumnTransform& t, double value, const NumberFormat& format);
// A log-scaled column's input before standardising, with its c written as value_text does:
// "log(1 + value / 21 k)".
std::string log_scale_text(const ColumnTransform& t, const NumberFormat& format);

// What filling a grouped report's columns down carries from a stream's batch to the next
// (TabularPreprocessor::filled_down's `above`).
struct FillCarry {
  // Which columns are filled, by name: the model's (filled_columns() and the layout they lie in),
  // or, for a model trained on a file that wrote every row's value, those the first batch that
  // lays out any as a grouped report lays out so (`found`; until one does, each batch is looked at).
  bool decided = false, found = false;
  bool started = false;  // a batch was read (the next one's first row is not the file's)
  std::vector<std::string> layout, filled;
  // Per filled column the value last seen, then the cell of the column its groups lie in on the
  // last row.
  std::vector<std::string> cells;
};

struct WordsReadAsMissing;

class CellNotes;

class TabularPreprocessor {
 public:
  static TabularPreprocessor fit(const CsvTable& table, const std::vector<int64_t>& training_rows,
                                 const TabularOptions& options);
  // What transform does with numeric cells that cannot be read ("unknown", "ERR", "<2"): refuse
  // the table, naming them all (training); read a few as missing, refusing more (scoring a file:
  // one, or at most a quarter of a column's values); or read them all as missing (a stream's
  // batches, whose rows before were scored already, and the rows of a file explained). CellNotes
  // says them.
  enum class Unreadable { refuse, few_as_missing, all_as_missing };
  // [rows, features()] in the order of columns(); columns are matched by name, extra columns are
  // ignored, a missing feature column or a bad cell throws naming the column and line (a bad
  // numeric cell: see Unreadable). A table whose number format was guessed (CsvTable::numbers_guessed) is read in the
  // training file's. `fill_down` false: `table` as it is, its grouped columns filled already or
  // nothing to fill in them (a stream's batch, which filled_down with the stream's carry looked at).
  // `missing` (optional) gets [rows, columns()] 1 where a cell was missing or read as missing
  // (filled with the column's training median or most frequent category), else 0.
  Tensor transform(const CsvTable& table, bool fill_down = true, Unreadable unreadable = Unreadable::refuse,
                   std::vector<uint8_t>* missing = nullptr) const;
  // A numeric column's value for the model input `input` (transform's inverse, within the training
  // range's clip): what a filled-in input stands for, in the column's unit.
  double value_of_input(const ColumnTransform& t, double input) const;
  // `table` with each blank cell of a grouped column (filled_columns) given the value above it, as
  // transform reads it; nullopt when no cell is to fill. Only a column laid out in groups in
  // `table` too (no value repeated within its group): in a flat file a blank cell is missing. A
  // model trained on a file that wrote every row's value fills the columns it reads (and the
  // dates and identifiers written beside the scores) that `table` lays out as a grouped report
  // (grouped_columns, as training would have found them: groups' heading lines given to the row
  // below, totals rows left out; also one group alone, as a stream's first batch may hold; a
  // stream's batches until one shows them): there a blank cell is the group's value, not a
  // missing one; not a column whose empty cell is a value of its own ("(empty)") or whose
  // training cells had blank ones (there a blank cell is missing).
  // By filled column (above->filled): `filled`, counts of the cells filled; `broken`, the row where a
  // column's layout is not a grouped report's (-1 when it is, or is not in the table). `above`: a
  // stream's carry from the batch before, updated (see FillCarry).
  // `not_scored`: the rows passed over in telling whether a column is still laid out in groups (a
  // totals label such as "Summe" stands in every group); default not_data_rows of `table`, a
  // stream gives what RowsNotScoredStream found.
  std::optional<CsvTable> filled_down(const CsvTable& table, FillCarry* above = nullptr,
                                      std::vector<int64_t>* filled = nullptr, std::vector<int64_t>* broken = nullptr,
                                      const std::vector<size_t>* not_scored = nullptr) const;
  // How transform reads `table`'s numbers: in its own format, or the training file's when its
  // cells cannot tell (CsvTable::numbers_guessed); where the file's mark was not named and the
  // columns the model reads as numbers tell another than the rest ("10,15" prices beside "10.11"
  // batch codes the model reads as categories), in theirs.
  NumberFormat reading_format(const CsvTable& table) const;
  // How values are written in what is said of `table` (its notes, the "why" column): as it is read,
  // grouping digits as the file does where the two share their decimal mark ("2 476,87" beside a
  // file's "3 364,73", where its model's training file wrote "2.518,26"; "1866" where it groups none).
  NumberFormat writing_format(const CsvTable& table) const;
  // That format of the numeric columns, with the cell that tells it (none: the model's training
  // file's, where they cannot tell); none when it is the file's.
  struct OwnFormat {
    NumberFormat format;
    std::optional<std::pair<size_t, size_t>> told;
  };
  std::optional<OwnFormat> numeric_columns_format(const CsvTable& table) const;
  // Which of `table`'s columns the model reads as numbers.
  std::vector<bool> numeric_columns_in(const CsvTable& table) const;
  int64_t features() const;
  // What reading `table` for scoring decides, in words, one note each (empty when nothing is to
  // say): columns matched ignoring case, spaces or Unicode form; columns the model does not use;
  // with `cells`, also what CellNotes says of its cells.
  // `written`: columns the caller writes beside the scores (not "left out").
  std::vector<std::string> scoring_notes(const CsvTable& table, bool cells = true,
                                         const std::vector<std::string>& written = {}) const;
  // The same with `cells` (a CellNotes of this preprocessing that `table` alone was added to) said.
  std::vector<std::string> scoring_notes(const CsvTable& table, CellNotes& cells, const std::vector<std::string>& written = {}) const;
  const std::vector<ColumnTransform>& columns() const { return columns_; }
  // How the model scoring with this preprocessing fills a row's missing cells: from its k
  // nearest normal training rows (E2EConvA3::fill_from_neighbours; k > 0), or, 0, with each
  // column's training median or most frequent category. Set by the Detector; what scoring_notes
  // and CellNotes say of filled cells, and the columns' decisions (schema) of the training's.
  void set_filled_from_rows(int64_t k);
  // The words with_words_read_as_missing left empty, counted as their columns' missing markers.
  void count_words_as_missing(const std::vector<WordsReadAsMissing>& words);
  int64_t filled_from_rows() const { return filled_from_rows_; }
  // How the training file wrote its numbers (decimal mark, thousands separator), for messages.
  NumberFormat number_format() const { return numbers_.value_or(NumberFormat{}); }
  // A grouped report's columns, whose value is written in a group's first row only and left blank
  // below it ("Nord", "", "", "Süd", ...; saved as "fillDown"): a blank cell takes the value above
  // it (filled_down), in training and in scoring. Columns the model reads and those written beside
  // the scores (dates, identifiers); not the label or a column the user left out (role ignore).
  const std::vector<std::string>& filled_columns() const { return fill_down_; }
  const std::vector<std::string>& dropped_columns() const { return dropped_; }
  // The dropped columns that identify a row: named with TabularOptions::id_columns, named like an
  // identifier (id, *_id, OrderID), or running numbers (5001, 5002, ...). Scores are written beside them
  // (`ca3 score`).
  std::vector<std::string> identifier_columns() const;
  // The dropped columns of dates, time stamps and times of day ("Buchungsdatum", "timestamp"):
  // with the identifiers they say which row a score is of (`ca3 score` writes them beside it).
  const std::vector<std::string>& date_columns() const { return dates_; }
  // Every column of the training table, in order: its role and why (not saved with the model).
  const std::vector<ColumnDecision>& schema() const { return schema_; }
  const TabularOptions& options() const { return options_; }
  // One name per model input ("Bare.nuclei", "colour=red", ...).
  std::vector<std::string> feature_names() const;
  // Per model input: 1 for a numeric column with more than two values in training, 0 for 0/1
  // flags (two values, or one) and one-hot categories. A column read from a file: two values when
  // its quantiles are, but for one interpolated between them when 1,000 quantiles were kept (a
  // third value in fewer than about 1 in 1,000 training rows then goes unseen).
  std::vector<uint8_t> continuous_features() const;
  // Per model input: for a numeric column that takes two values a < b in training
  // (continuous_features' 0/1 flags), how far apart their inputs lie (standardised (b - a) / sd,
  // clipped: 10 for a 0/1 flag set in 1 % of the rows; at least 2, and at least ~1.3 as quantile
  // scores); 0 for every other input, and for a column too narrow to standardise (sd taken as 1,
  // its inputs less than 1 apart).
  std::vector<float> two_value_spans() const;
  // Per categorical column, where its one-hot inputs lie: {first input, number of categories}.
  std::vector<std::pair<int64_t, int64_t>> category_blocks() const;
  // The model inputs of the categories "(other)" (values beyond the most frequent kept), ascending.
  std::vector<int64_t> other_inputs() const;

  nlohmann::json to_json() const;
  static TabularPreprocessor from_json(const nlohmann::json& json);  // throws on a malformed description

 private:
  std::vector<std::string> scoring_notes_of(const CsvTable& table, CellNotes* counted, const std::vector<std::string>& written) const;

  TabularOptions options_;
  std::vector<ColumnTransform> columns_;
  std::vector<std::string> dropped_;
  std::vector<std::string> identifiers_;  // dropped as running numbers or a code of each row's own (saved as runningNumbers)
  std::vector<std::string> dates_;        // dropped as dates or times of day (saved as dates)
  // The training file's columns laid out in groups (grouped_columns), in order, each one's groups
  // inside the one's before it: those filled down and any the user named (saved as groupColumns).
  std::vector<std::string> group_columns_;
  std::vector<std::string> fill_down_;  // filled_columns(), in the order of group_columns_
  int64_t filled_from_rows_ = 0;
  // The training file's columns with a blank cell (saved as blankCells): a model trained on a flat
  // file does not fill them in a grouped report (filled_down), a blank cell there is missing.
  std::vector<std::string> blank_cells_;
  std::vector<ColumnDecision> schema_;
  // How the training file wrote numbers: a table whose own cells cannot tell ("1.013") is read so.
  std::optional<NumberFormat> numbers_;
  // The training file's number format for `table` (reading_format, where `table`'s cells cannot tell).
  NumberFormat training_format_for(const CsvTable& table) const;
  // The model's numeric columns' cells of `table` that read otherwise in the two formats (the
  // first 5,000, in the first 20,000 rows): how many, and how many of them each reading puts within the column's training
  // range; the first such cell, its column and its two values.
  struct RangeVote {
    int64_t cells = 0, first = 0, second = 0;
    std::string example, column;
    double first_value = 0, second_value = 0;
  };
  RangeVote range_vote(const CsvTable& table, const NumberFormat& first, const NumberFormat& second) const;
  // When training_format_for decided `table`'s decimal mark by range_vote: that note.
  std::optional<std::string> range_vote_note(const CsvTable& table) const;
  bool numbers_guessed_ = false;  // the training file's cells could not tell either (saved as decimalMarkGuessed)
  char separator_ = 0;            // the training file's separator (saved; 0: a model saved before it was)
  void check_numbers_read_as_in_training(const CsvTable& table, const NumberFormat& numbers) const;
  static TabularPreprocessor fit_columns(const CsvTable& table, const std::vector<int64_t>& training_rows,
                                         const TabularOptions& options);  // fit, on a table filled down
};

// A file's rows that hold no sample, and what is said of them (rows_not_scored, below).
struct RowsNotScored {
  std::vector<size_t> rows;
  std::vector<std::string> notes;
  size_t headings = 0;  // of `rows`, the groups' heading lines
};

// rows_not_scored of a stream's batches (`ca3 score --data -`, the SDK's scoreStream), each read
// with the last 8192 rows before it, from a group's first row on (after the last totals row or
// heading line found before them, of the outermost level if not more than 8192 rows further
// back): a totals row that sums rows of the batches before is found, and once heading lines were
// found one in a batch is enough. A batch's last row (scored before the next batch arrives) with
// the columns of a heading line found before written, and blank after them, is one. (A totals row
// over more rows than that is scored.)
// Notes of the first batch as rows_not_scored says them; after it, counted (rows_after_first).
class RowsNotScoredStream {
 public:
  RowsNotScored add(const CsvTable& batch);  // rows of `batch`
  int64_t rows_after_first() const { return after_first_; }
  const std::vector<int64_t>& rows_after_first_lines() const { return after_first_lines_; }  // the first ten

 private:
  std::optional<CsvTable> context_;  // the rows before the next batch that it is read with
  int64_t after_first_ = 0;
  std::vector<int64_t> after_first_lines_;
  bool first_ = true, headings_ = false;
  std::set<std::pair<size_t, size_t>> heading_shapes_;  // of the heading lines found: first column written, after the last
};

// What scoring decides about the cells of a table, or of the batches of a stream one after
// another (`ca3 score --data -`): the empty lines skipped, the rows without a value in any column
// the model reads; per column, the missing cells filled in, the numeric cells that cannot be read
// (read as missing: TabularPreprocessor::Unreadable), the values matched ignoring letter case and
// those never seen in training; notes() says them as scoring_notes does.
class CellNotes {
 public:
  explicit CellNotes(const TabularPreprocessor& prep);  // `prep` must outlive this
  // Counts the batch's cells; returns it as scoring reads it: with a grouped column's blank cells
  // filled down from the rows above, also from the batch before (`batch` itself, or a copy valid
  // until the next add).
  const CsvTable& add(const CsvTable& batch);
  std::vector<std::string> notes() const;
  // The rows the notes ask to look at whatever their score: a numeric cell that cannot be read or
  // a spreadsheet formula's error ("#VALUE!"), both read as missing (the score says less); a value
  // far outside the training's range, another than the one value its column had in every
  // training row, or a category never seen in training (the model never saw the like). `row`: the index among the rows added so far (a
  // file's data rows, as Detector::score orders its scores); `line`: the CSV line; `reason`: what,
  // in a few words ("'size' 'ERR' cannot be read, read as missing"), several joined by "; ". In row
  // order, the first kFarLinesKept rows.
  struct RowToCheck {
    int64_t row = 0, line = 0;
    std::string reason;
  };
  std::vector<RowToCheck> rows_to_check() const;
  // A stream's batches after the first (the first is refused as a file is, by transform): throws
  // when more than a quarter of a column's values so far cannot be read (a file of them would be
  // refused: its scores would say little of the column), naming the column, how many, their values
  // and lines.
  void check_readable() const;
  // The last batch's rows holding no sample (rows_not_scored of it as written), not counted.
  RowsNotScored& not_scored() { return not_scored_; }

 private:
  struct GroupCounts {  // of a grouped report's column (filled_columns)
    int64_t filled_down = 0;  // blank cells that took the value above them
    // Not laid out in groups here (a flat file): the first line that says so; the blank cells then.
    int64_t flat_line = 0, flat_blanks = 0;
    std::string flat_value;
    bool flat_repeat = false;  // by a value repeated in its group
    // Blank cells at the start, with no value above them (a file that starts inside a group), and
    // the first and last line of them.
    int64_t leading = 0, leading_first_line = 0, leading_last_line = 0;
  };
  struct Counts {
    int64_t missing = 0, by_case = 0, by_number = 0, by_truth = 0, unseen = 0, minus_after = 0, off_flag = 0, without_unit = 0,
            converted = 0;
    std::vector<int64_t> missing_lines;  // the first three lines of its missing cells (filled from rows: not of rows missing every cell)
    // Cells not missing, and of them numeric cells that cannot be read (read as missing).
    int64_t present = 0, unreadable = 0;
    // Missing cells that are a spreadsheet formula's error ("#VALUE!"), and the first three with their line.
    int64_t error_cells = 0;
    std::vector<std::string> error_examples;
    std::vector<RowToCheck> error_rows;  // the first kFarLinesKept (rows_to_check)
    // Numbers read in a numeric column, how many lie above the training's largest and below its
    // smallest, and the range they span.
    int64_t numbers = 0, above = 0, below = 0;
    double low = 0, high = 0;
    // Numbers below 0 in a column read on a log scale (its training values were all 0 or above).
    int64_t below_zero = 0;
    // Numbers beyond the training's range by more than its width (on the column's log scale where
    // it has one): values the model never saw the like of, whatever their score.
    int64_t far = 0;
    std::vector<std::string> far_examples;
    std::vector<RowToCheck> far_rows;  // the first kFarLinesKept, with the value (rows_to_check)
    // Numbers other than the one value a column had in every training row: the rows, the first
    // kFarLinesKept of them, the first three values.
    int64_t off_constant = 0;
    std::vector<RowToCheck> off_constant_rows;
    std::vector<std::string> off_constant_examples;
    // the first few, each once
    std::vector<std::string> minus_examples, off_flag_examples, without_unit_examples, converted_examples, below_zero_examples;
    // Categories read as another (by letter case, as a number, as a truth value) or as none (never
    // seen in training): the first four values, each with how many rows hold it and their first
    // three lines, so that they can be found ("'Mnuich' on lines 7, 32").
    struct ValueLines {
      std::string shown;
      int64_t rows = 0;
      std::vector<int64_t> lines;
      std::string like;  // a known value one never seen may be misspelt from ("Munich" for "Mnuich")
    };
    std::vector<ValueLines> case_values, number_values, truth_values, unseen_values;
    std::vector<RowToCheck> unseen_rows;  // the first kFarLinesKept rows of a value never seen (rows_to_check)
  };
  const TabularPreprocessor& prep_;
  std::vector<Counts> columns_;  // as prep.columns()
  std::vector<GroupCounts> groups_;  // as above_.filled
  int64_t empty_line_count_ = 0, blank_row_count_ = 0;
  int64_t first_rows_ = -1;  // the first batch's rows (the notes of its rows not scored are rows_not_scored's)
  static constexpr size_t kFarLinesKept = 10000;
  // Numeric cells that cannot be read, read as missing (TabularPreprocessor::Unreadable): how
  // many; the first-lined cell of each reason (the message after the cell; up to three reasons);
  // the cells by column and value (how many, the first three lines; up to kUnreadableGroups, the
  // cells of others counted); their rows are unreadable_rows_.
  struct UnreadableCell {
    int64_t line;
    std::string message;  // "CSV line 9, column 'v': 'ERR' is not a number (...)"
    std::string reason;   // " is not a number (...)"
  };
  struct UnreadableGroup {
    std::string column, value;  // 'v', 'ERR' (shortened)
    int64_t cells = 0;
    std::vector<int64_t> lines;
  };
  static constexpr size_t kUnreadableGroups = 12;
  int64_t unreadable_ = 0, unreadable_ungrouped_ = 0;
  std::vector<UnreadableCell> unreadable_reasons_;
  std::vector<UnreadableGroup> unreadable_groups_;
  std::vector<int64_t> empty_lines_, blank_rows_;  // the first few lines of each
  int64_t rows_added_ = 0;  // the rows of the batches before this one
  // A stream's batches after the first: comment lines among the rows (how many, the first and its
  // line), a last line cut short (its line and fields).
  int64_t later_comments_ = 0, later_comment_line_ = 0, cut_line_ = 0;
  size_t cut_fields_ = 0, header_size_ = 0;
  std::string later_comment_;
  std::vector<RowToCheck> unreadable_rows_;  // unreadable cells (the first kFarLinesKept)
  // Whether the notes say a column's far values, its values other than its one training value
  // (not when every value is beyond the training's range: said as a whole column).
  bool far_said(const Counts& n, const ColumnTransform& t) const;
  bool off_constant_said(const Counts& n) const;
  // A column with no value in any row read (its cells missing or spreadsheet errors, more than
  // one): said as a column, its errors not row by row.
  bool empty_column(const Counts& n, const ColumnTransform& t) const;
  NumberFormat numbers_;  // how values in notes are written (TabularPreprocessor::writing_format)
  FillCarry above_;  // the grouped columns' carry to the batch after (filled_down's `above`)
  std::optional<CsvTable> filled_;  // the last batch, filled down
  RowsNotScored not_scored_;  // the last batch's
  RowsNotScoredStream stream_;
};

// What a cell says when its value is missing, compared ignoring case and surrounding spaces:
// empty, NA, NaN, ?, null, n/a, #N/A, none, -, --, ., an en or em dash; "not determined" / "not
// given" as lab reports and German exports abbreviate it (n.d., n.a., also without the last dot, n.b., k.A.,
// n.v.); German Excel's #NV and
// the error values of spreadsheet formulas as English, German, French, Spanish and Italian Excel
// write them (#DIV/0!, #VALUE! / #WERT! / #VALEUR! / #¡VALOR! / #VALORE!, #REF! / #BEZUG!,
// #NUM! / #ZAHL! / #NOMBRE!, #NAME? / #NOM?, #NULL! / #NUL!, #N/D): what spreadsheets and
// databases write where there is no value. Each is counted and shown.
inline constexpr const char* kMissingMarkers[] = {
    "", "na", "nan", "?", "null", "n/a", "#n/a", "none", "-", "--", ".", "\xE2\x80\x93", "\xE2\x80\x94", "n.d.", "n.a.", "n.d", "n.a", "n.b.", "k.a.", "n.v.", "#nv",
    "#div/0!", "#value!", "#ref!", "#num!", "#name?", "#null!", "#wert!", "#bezug!", "#zahl!", "#valeur!", "#nombre!",
    "#nom?", "#nul!", "#n/d", "#\xC2\xA1valor!", "#\xC2\xA1ref!", "#\xC2\xA1num!", "#\xC2\xBFnombre?",
    "#\xC2\xA1" "div/0!", "#\xC2\xA1nulo!", "#valore!", "#rif!", "#nome?", "#nullo!"};
bool is_missing_cell(std::string_view cell);

// The unit written with every number of a column (a currency before it; %, a currency or a unit
// such as °C, hPa or km/h after it), when its non-missing cells among `rows` are all numbers,
// some of them with that unit and the others bare. Empty when the cells are plain numbers, or not
// all numbers with one such unit.
struct NumberUnit {
  std::string prefix, suffix;
  // Negative numbers written with the minus after them also without a decimal mark ("5-", as SAP
  // writes quantities); "2,50-" reads so in any column.
  bool minus_after = false;
  // `suffix` a count's scale written against the numbers, "M" or "K" ("2.34M", "850K"; alone such
  // a letter could be a code, "12A": a column's unit only when its cells say so, see number_unit):
  // read in it, the other scales converted ("879K" in a column of "M": 0.879).
  bool count_scale = false;
  bool empty() const { return prefix.empty() && suffix.empty() && !minus_after; }
  std::string text() const { return prefix + suffix; }
};
// The unit a numeric column was trained with, the minus after whole numbers as asked (scoring
// reads "5-" so in any column).
inline NumberUnit unit_of(const ColumnTransform& t, bool minus_after) { return {t.prefix, t.suffix, minus_after, t.count_scale}; }
// The unit of a column of numbers written with one ("$1,304.12", "10,6 %"; on either side of the
// number, Excel's Accounting zero "$ -" included), and whether whole numbers are written with
// the minus after them ("5-"; not when a cell ends in "+", as grades "2+" do), when at least three
// cells in four of `rows` read with it or without a unit; empty otherwise. `odd_cells`: how many do not (typos, another
// unit), the first on `first_odd_row`.
NumberUnit number_unit(const CsvTable& table, size_t column, const std::vector<int64_t>& rows, int64_t* odd_cells = nullptr,
                       int64_t* first_odd_row = nullptr);
// What a unit measures and its size in that dimension's base unit ("kg": mass, 1000 g), for a
// column written in more than one size of a unit: mass, time, length, volume, data (bytes, "KB"
// 1000), energy, power, frequency, voltage, pressure, and counts written with a scale ("9.9k",
// "3,2 Mio", "Tsd.", "bn": `scale`, the number itself 1). Not a currency, not °C / °F. None for
// other units. `only_beside`: "M" and "K" are a scale only among cells of one ("1.2M" beside
// "9.9k"); alone they are molar, Kelvin, months or a shoe's width.
struct UnitSize {
  std::string_view dimension;
  double size = 1;
  bool scale = false, only_beside = false;
};
std::optional<UnitSize> unit_size(std::string_view unit);
// The size of the unit a column is read in, when it has sizes and can be a column's unit.
std::optional<UnitSize> column_unit_size(const NumberUnit& unit);
// A cell as a number, with or without `unit`; written in another size of the unit's dimension
// ("1.11 kg" where `unit` is g), converted to `unit` (1110); a bare number where `unit` is a count's
// scale ("449" where it is "k"), the count (0.449).
bool parse_number_with_unit(std::string_view cell, double& value, const NumberFormat& format, const NumberUnit& unit);
// `cell` without surrounding white space (ASCII).
std::string_view trim(std::string_view cell);
// What a user picks a label column from: per column its name, whether it is numeric (every
// non-missing cell a number), the missing-cell count, the number of distinct values and the
// `max_values` most frequent values with their counts (most frequent first).
struct ColumnSummary {
  std::string name;
  bool numeric = false;
  bool quantity = false;  // numbers with a fractional part or written with a unit: never labels
  int64_t missing = 0, distinct = 0;
  std::vector<std::pair<std::string, int64_t>> values;
  std::string role, reason;                      // what a fit would decide, and why (ColumnDecision)
  bool stops_training = false;                   // a fit refuses the column as it is (cells that are no numbers): reason says why
  std::map<std::string, int64_t> placeholders;   // missing markers seen, with counts
};
// Read as training reads the file (read_as_training, with_words_read_as_missing). `notes`, if given,
// gets what training says of its lines and cells before it learns a column, for a preview (the
// page's, describeCsv): lines above the header, heading lines, totals rows and repeated headers
// left out, words read as missing; `rows` the rows it trains on (ca3 train's "read N rows").
std::vector<ColumnSummary> describe_columns(const CsvTable& table, size_t max_values = 20, std::vector<std::string>* notes = nullptr,
                                            size_t* rows = nullptr);

// Why a decimal mark was taken where no cell tells it (CsvTable::numbers_guessed; empty otherwise):
// a column whose whole numbers lie near its numbers that read either way, read so
// (magnitude_votes: "1.020" beside "800" is 1020), else the separator (';' is what spreadsheets
// write where the comma is the decimal mark).
// `skip`: columns not looked at (columns_not_read).
std::string guessed_mark_reason(const CsvTable& table, const std::vector<bool>* skip = nullptr);
// The columns `options` leaves out or calls categories (roles other than numeric, id_columns, the
// label column): their cells tell no decimal mark.
std::vector<bool> columns_not_read(const CsvTable& table, const TabularOptions& options);
// The column most likely to hold labels: one named like class / label / target / anomaly / y /
// outcome (ignoring case) with 2-20 values, else the last column when it has 2-10 values; "" if none.
// Never a column left out anyway (identifiers, dates) nor a quantity (21.5, "12 kg").
// `by_name`: set to whether the column was chosen by its name.
std::string suggest_label_column(const std::vector<ColumnSummary>& columns, bool* by_name = nullptr);
// Standard normal quantile function (inverse CDF), for p in (0, 1).
double normal_quantile(double p);

}  // namespace ca3

namespace ca3 {
// A report's group heading lines ("Nord;;;;" above the group's rows, whose first cells are blank):
// each line's values given to the blank cells of the row below it and the line taken out, so that
// the group's first row carries them (and grouped columns fill them down from there). Heading
// lines: `at_least` of them, or one on the first row when it is the file's (`at_start`); their
// columns blank in three rows of four of the others at least (a flat file's row with its first
// cells only is data); a row number before them, in every row, passed over. Nullopt when there
// is none; `note` says which lines and `what` was done with them ("their values given to the row
// below, the lines left out of training"); `lines_merged`, if given, gets their rows.
std::optional<CsvTable> merge_heading_lines(const CsvTable& table, std::string_view what, std::string* note,
                                           std::vector<size_t>* lines_merged = nullptr, size_t at_least = 2, bool at_start = true);
// The table without rows that repeat an earlier row exactly (the paper's thyroid protocol).
CsvTable drop_duplicate_rows(const CsvTable& table);

// Rows of a spreadsheet export that hold no sample: a totals row ("Summe", "Total", "Subtotal",
// "Gesamt" ...) whose numbers are the sums of the rows above it (since the previous such row, or
// all of them; within 0.1%; after a group of one row, every number that row's), an averages row
// ("Mittelwert", "Average", "Ø" ...) likewise with
// their means (also at the top, of the rows below), and a line that repeats the header (two
// exports appended). A word in many rows is a category, and a column of one value sums to
// nothing. `rows` in file order; the notes, one per kind, name them (line, the word, a column that
// sums) and what was done with them (`what`: e.g. "left out of training").
struct NotDataRows {
  std::vector<size_t> rows;
  std::vector<std::string> notes;  // of totals and averages rows, and of rows only named so
  std::string header_note;         // of repeated headers ("" if none)
};
NotDataRows not_data_rows(const CsvTable& table, std::string_view what);

// The rows of a file to score that hold no sample, so get no score (NaN in Detector::score_table,
// empty cells in a scored CSV): groups' heading lines (merge_heading_lines), then totals and
// averages rows (not_data_rows) of the file with those lines merged, as training finds them.
// `rows` in file order; `notes` say which and that they are not scored.
// `headings_at_least`: heading lines a table needs to be read as a report of groups (2; 1 in a
// stream that has shown some already).
// `at_start`: the table's first row is the file's (a heading line there is one alone too).
RowsNotScored rows_not_scored(const CsvTable& table, size_t headings_at_least = 2, bool at_start = true);
// 0 .. count-1 but the (sorted) rows `left_out`: the rows of a table kept.
std::vector<size_t> rows_but(size_t count, const std::vector<size_t>& left_out);
// `table` as training reads a file (Detector::start_fit_table; the preview, describe_columns; a
// flat file's model deciding what to fill in a report): groups' heading lines given to the rows
// below them (merge_heading_lines), then totals and averages rows and repeated headers left out
// (not_data_rows). Nullopt when it is read as it is. `notes`, if given, gets what training says of
// them: the heading lines, the rows left out, a repeated header last. `at_start`: the table's
// first row is the file's (merge_heading_lines).
std::optional<CsvTable> read_as_training(const CsvTable& table, std::vector<std::string>* notes = nullptr, bool at_start = true);
// The rows of `table` that repeat its header as it is (two exports one below the other): rows
// holding no sample. Throws Error for one that names other columns in part, or the same columns in
// another order (the rows below it laid out otherwise), naming its line and cells; `training`
// words the fix for a file trained on, else for one scored.
std::vector<size_t> repeated_headers(const CsvTable& table, bool training);
// `table` read with the decimal mark that the columns left in tell, where columns the caller
// leaves out or calls categories (TabularOptions::roles, id_columns) told the file's another one
// ("13.15" times in a column "von" beside counts "1.982"): said in `notes`. None when the mark was
// named, or when it is the same.
std::optional<CsvTable> with_mark_of_read_columns(const CsvTable& table, const TabularOptions& options,
                                                  std::vector<std::string>* notes = nullptr);
// Words standing for a missing value in a numeric column ("tbd", "x", "pending" among numbers):
// cells holding no digit, no missing marker (is_missing_cell), truth word, totals label or
// qualitative reading ("high", "trace", "neg"), at most 1 in 20 of the column's values, the others
// numbers of 3 values or more (not a checkbox's or a 0/1 flag's, whose "x" may mean 1), in a column
// not named like an identifier or a code. By column: the words (as written) with their counts, and the first lines.
struct WordsReadAsMissing {
  std::string column;
  std::map<std::string, int64_t> words;
  std::vector<int64_t> lines;  // the first 3
  int64_t cells = 0;
  // Added to a column's missing markers with their counts (ColumnDecision, ColumnSummary).
  void count_in(std::map<std::string, int64_t>& placeholders) const {
    for (const auto& [word, count] : words) placeholders[word] += count;
  }
};
// `table` with such words left empty, read as missing as training reads them (columns the
// caller leaves out or calls categories keep theirs); said in `notes` with the lines; `found`
// gets them by column, for the columns' decisions (TabularPreprocessor::count_words_as_missing).
// Nullopt when there are none. Scoring reads them as missing too, as any cell it cannot read.
std::optional<CsvTable> with_words_read_as_missing(const CsvTable& table, const TabularOptions& options,
                                                   std::vector<std::string>* notes, std::vector<WordsReadAsMissing>* found);
// tabular_labels of a file to score: of its rows but those rows_not_scored finds (a totals row
// has no label), 0 at those (their scores are NaN, which measure leaves out).
std::vector<int> scored_rows_labels(const CsvTable& table, const TabularOptions& options,
                                    std::vector<std::string>* notes = nullptr);
}  // namespace ca3
