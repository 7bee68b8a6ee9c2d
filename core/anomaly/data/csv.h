// CSV files -> a table of strings (RFC 4180 plus what real files carry): a header row, quoted
// fields with "" escapes and embedded separators / line breaks, LF or CRLF line ends, ',' ';' or
// tab separators (detected from the header), blank lines and lines of only separators (",,,")
// skipped and counted. The bytes are decoded first (text.h: UTF-8, UTF-16 with its byte-order
// mark, else Windows-1252), and the way the file writes numbers is decided once for the whole
// file (NumberFormat: "21,40" in a ';' file is 21.4, "4,597.76" is 4597.76, "1.234,5" is 1234.5).
// What was decided is kept in the table. Every malformed input is rejected with the line number
// and the problem:
//
//   CsvTable table = parse_csv(text);          // throws ca3::Error("CSV line 7: 4 fields, the header has 5")
//   table.column_index("Class");               // throws when there is no such column
//   table.cell(i, j), table.row_line(i)        // cell text and the line row i starts on
//
// The cells are stored one after another in one buffer (plus a 4-byte end offset each), so a
// table takes little more memory than its text: a 100 MB file is ~200 MB parsed, not 2 GB.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ca3 {

// How a file writes numbers: the decimal mark and the digit-group (thousands) separator.
struct NumberFormat {
  char decimal = '.';
  char thousands = 0;  // 0: none seen; ',' '.' ' ' or '\'' (groups of three digits)
  bool operator==(const NumberFormat&) const = default;
};

// Parses a whole cell (surrounding spaces allowed) as a finite number written in `format`
// ("1,234.5" with thousands ',', "21,4" with decimal ','); false if it is not one.
bool parse_number(std::string_view cell, double& value, const NumberFormat& format = {});
// The same, but infinities ("inf", "1e999") and "nan" count as numbers too.
bool parse_any_number(std::string_view cell, double& value, const NumberFormat& format = {});
// `cell` without Excel's mark for a number kept as text ("'10,78", also with U+2019 or U+2018 for
// the apostrophe), which parse_number reads past; a code the mark keeps its leading zero
// ("'01067") and quoted text ("'abc'") are returned as they are.
std::string_view without_text_mark(std::string_view cell);
// Not empty, and only the ASCII digits 0-9.
bool all_digits(std::string_view s);

// Numbers written with a unit: "$1,304.12" -> prefix "$", number "1,304.12"; "10,6 %" -> suffix
// "%": what comes before the first character a number can start with and after the last one it
// can end with, spaces (also no-break ones) trimmed. A sign or brackets around the whole
// ("-$3.50", "($3.50)", "(5%)") make it `negative`; `attached`: no space before the suffix.
struct Affixed {
  std::string_view prefix, number, suffix;
  bool negative = false, attached = false;
};
Affixed split_affixes(std::string_view cell);
// A unit, not a code: a currency before the number; after it %, per mille, a currency, a short
// unit of letters after a space ("12 pcs", "21.5 °C"), or a known unit against it ("12kg", not "12A").
bool plausible_unit(const Affixed& a);

// Whether `word` is one of the words of a list.
template <size_t N>
bool one_of(std::string_view word, const char* const (&words)[N]) {
  return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

// A column name's words, in lower case: split at anything but letters and digits and where
// camel case starts a word ("InvoiceNr" -> invoice, nr); '#' is a word of its own.
std::vector<std::string> name_words(const std::string& name);
// Named like a version ("Version", "fw_version", "appVersion", "Firmware", "Softwareversion",
// "fw_ver", "SW-Rev"; "SW", "FW", "Build" or "Release" as the whole name; not "fw", "ver" or "rev"
// in a longer name, which name measures too: fresh weight, forward packets, "FW (g)",
// "release_price"): its numbers are names of releases, where 10.10 follows 10.9 and 10.2 is not 10.20.
bool named_like_a_version(const std::string& name);
// Written as a release's number: 1 to 4 digits, a point, 1 to 3 digits ("10.10", "2.5").
bool version_like(std::string_view cell);

class CsvTable {
 public:
  std::vector<std::string> header;
  // ',', ';', tab or '|'; ' ' for columns aligned with spaces (a text table: "temp    speed"),
  // split at runs of spaces and tabs, and written out with tabs.
  char separator = ',';
  std::string encoding = "UTF-8";        // how the bytes were read (text.h)
  NumberFormat numbers;                  // decided from the whole file
  // No cell decided it: only cells like "1.013" or "1,250" that read either way (a decimal mark or
  // a thousands separator); a model reads such a table in the format it was trained on.
  bool numbers_guessed = false;
  bool numbers_named = false;  // the caller named it (CsvOptions::numbers), for every piece of a stream
  // How many separators the header ended with ("a;b;c;" 1, "a;b;c;;" 2), as some spreadsheets
  // write every line: the nameless, empty last columns this makes are not columns of the table
  // (said in the notes); a line may end with up to as many.
  size_t trailing_separators = 0;
  // Columns whose header field is empty and every cell too ("Datum;Umsatz;;Kosten", a spreadsheet's
  // blank spacer column between blocks), 0-based: named "(column N)" (N from 1), said in the notes,
  // left out as empty columns are. A nameless column with a value is refused, naming the line.
  std::vector<size_t> nameless_columns;
  // Data lines that end with separators the header does not have ("a,b" then "3,0.5,"): the
  // empty fields after the last named column are no cells (said in the notes).
  size_t lines_ending_with_separator = 0;
  int64_t first_line_ending_with_separator = 0;
  // Lines shorter than the header that hold one text alone, in their first field ("Quelle: ERP;;"
  // under more columns, "Nord"): their missing fields read as empty cells (said in the notes).
  size_t short_lines = 0;
  int64_t first_short_line = 0;
  std::vector<int64_t> short_line_numbers;  // the first 1,000 of them
  std::vector<int64_t> empty_row_lines;  // blank lines and lines of only separators, skipped
  // A grouped report's blank cells were given the value above them (TabularPreprocessor::
  // filled_down): not to be filled again.
  bool filled_down = false;
  // Comment lines, skipped: before the header, lines that start with '#' ("# Export aus SAP
  // 2024-03-01"; blank lines among them too); among the rows, a line of one field that starts
  // with '#' ("# Zwischenstand"). How many, and the first.
  size_t comment_lines = 0;
  std::string first_comment;
  int64_t first_comment_line = 0;  // of the first among the rows (0: none there)
  size_t comment_row_count = 0;  // of the comment lines, those among the rows
  std::vector<int64_t> comment_row_lines;  // their lines, the first kCommentLinesKept
  static constexpr size_t kCommentLinesKept = 10;
  // The last line, without a line end, holding fewer fields than the header and not a text alone:
  // cut short (copied, or exported while still being written), left out. Its line and fields.
  int64_t cut_last_line = 0;
  size_t cut_last_fields = 0;
  // The header's first name as written when it began with "# ", as numpy's savetxt writes a
  // header ("# temp"); header[0] is the name without it ("temp"). Empty otherwise.
  std::string commented_header;
  // Lines above the header that are a title or notes, skipped (blank lines among them), and the
  // first, as written ("Messprotokoll Halle 3", "Umsatzbericht Q1 2024;;;").
  size_t title_lines = 0;
  std::string first_title;

  size_t row_count() const { return row_lines_.size(); }
  size_t column_count() const { return header.size(); }
  std::string_view cell(size_t row, size_t column) const;
  int64_t row_line(size_t row) const { return row_lines_[row]; }  // 1-based line the row starts on
  std::vector<std::string> row(size_t row) const;                  // a copy of one row's cells

  // Appends a row of header.size() cells (throws otherwise) starting on line `line`.
  void add_row(const std::vector<std::string_view>& cells, int64_t line);
  // The table with only the given rows, in that order (its encoding and number format kept).
  CsvTable select_rows(const std::vector<size_t>& rows) const;

  int64_t column_index(const std::string& name) const;      // throws naming the available columns
  int64_t find_column(const std::string& name) const;       // -1 when absent

  bool operator==(const CsvTable& other) const;  // same header and cells (lines, separator ignored)

 private:
  friend CsvTable parse_csv(std::string_view text, const struct CsvOptions& options);
  void append_cell(std::string_view text);
  void end_row(int64_t line) { row_lines_.push_back(line); }
  void drop_cells(size_t n) {  // the last n cells appended
    cell_ends_.resize(cell_ends_.size() - n);
    cells_.resize(cell_ends_.empty() ? 0 : cell_ends_.back());
  }
  friend NumberFormat detect_number_format(const CsvTable& table, bool* guessed, const std::vector<bool>* skip);

  std::string cells_;               // every cell's text, row by row
  std::vector<uint32_t> cell_ends_; // where each cell ends in cells_
  std::vector<int64_t> row_lines_;
};

struct CsvOptions {
  char separator = 0;  // 0 = detect from the header line (',', ';', tab, '|'; ' ': see space_aligned)
  // The number format, when the user names it (number_format_named) or a file is read in pieces
  // (CsvStream: what the first piece decided); else decided from the cells.
  std::optional<NumberFormat> numbers;
  std::optional<std::string> encoding;  // the text is UTF-8 already; this names what it was
  int64_t first_data_line = 2;          // where in the file this piece's first data line is (CsvStream)
  bool allow_no_rows = false;  // a piece of only empty rows is no error
  bool header_first = false;   // the first line is the header (CsvStream's pieces): no title is looked for
  bool ends_file = true;       // the text ends where the file does (not a CsvStream's piece before its last)
};

// The number format a user names by its decimal mark: "," (the other mark, '.', groups thousands,
// "1.234,5") or "." ("1,234.5"). Throws bad_input for anything else.
NumberFormat number_format_named(std::string_view decimal_mark);

// How the table writes its numbers, decided from the cells of its first 20,000 rows, and of the
// rows after them while none has told a mark (see parse_csv).
// `guessed`: set when only cells that read either way were seen (CsvTable::numbers_guessed).
// `skip`: columns whose cells are not looked at (those a user calls categories or leaves out).
NumberFormat detect_number_format(const CsvTable& table, bool* guessed = nullptr, const std::vector<bool>* skip = nullptr);
// Columns whose marks are no decimal marks, so that their cells tell the file's none (in the first
// 20,000 rows): version numbers ("2.125.3", "1.10.0"; "2.10" in a column named like a version);
// months written month.year ("01.2023"); times of day written hours.minutes in a column named
// like a time (8 cells or more: "17.30", a German "17.30 Uhr"); numbers of a year's documents
// ("2023.001").
enum class MarkedCodes { none, versions, months, clock_times, year_numbers };
std::vector<MarkedCodes> marked_code_columns(const CsvTable& table);

// What a column tells of a mark its cells leave open ("1.016": 1016, or 1.016), where it holds
// such cells and whole numbers ("993") too. A writer that leaves whole numbers without decimals
// writes no trailing zeros either ("1.6", not "1.600"): an open cell ending in 0 says the mark
// groups thousands (1.600 beside counts of 19). Else the sizes: the median of the whole numbers
// (0 left out) within 1.25 decades of the median of the open cells read with the mark grouping:
// the mark groups (1016 beside 993); more than 2.5 decades below (so near them read as decimals):
// a decimal mark (22.345 beside 22). A whole number of four digits or more ("1016" beside
// "1.016") says the mark groups nothing in that column (a column that groups thousands groups
// every number). Columns in between, or without both kinds of cell, give no vote; the first
// 20,000 rows. With `decimals_read_as`, a column without whole numbers compares its open cells with
// its numbers that have decimals, read in that format ("1,016" beside "1.5" and "1.2" in a file of
// decimal points: ',' there is a decimal mark too, 1.016, not 1016).
struct MagnitudeVote {
  size_t column = 0;
  char mark = 0;       // '.' or ','
  bool groups = false;  // the mark groups thousands here (else it is the decimal mark)
  size_t open_row = 0, whole_row = 0;  // the column's first open cell and first whole number (row indices)
  bool by_trailing_zero = false;        // decided by an open cell ending in 0 (the sizes alone would not)
  size_t zero_row = 0;                  // the first such cell
  bool by_decimals = false;             // whole_row is the first number with decimals (decimals_read_as)
  size_t open_cells = 0;                // the column's open cells (in the rows looked at)
};
// `skip`: columns not looked at (as detect_number_format's).
std::vector<MagnitudeVote> magnitude_votes(const CsvTable& table, const std::vector<bool>* skip = nullptr,
                                           const NumberFormat* decimals_read_as = nullptr);
// Whether the votes decide a mark, and which: ',' or '.' as the decimal mark, 0 when they do not.
char magnitude_decision(const std::vector<MagnitudeVote>& votes);
// The first cell (row, column) that tells `table.numbers`' decimal mark ("2,5" or "1.234,5" for
// the comma), for messages; none when the format was guessed or taken by default.
std::optional<std::pair<size_t, size_t>> number_format_evidence(const CsvTable& table);
std::optional<std::pair<size_t, size_t>> number_format_evidence(const CsvTable& table, char decimal);  // of that mark
std::optional<std::pair<size_t, size_t>> number_format_evidence(const CsvTable& table, char decimal,
                                                                const std::vector<size_t>& columns);  // in these columns

// `bytes`: the file's bytes in any encoding decode_text reads.
CsvTable parse_csv(std::string_view bytes, const CsvOptions& options = {});
CsvTable read_csv_file(const std::string& path, const CsvOptions& options = {});

// A CSV read in pieces, for data larger than memory (`ca3 score --data -`, the SDK's
// scoreStream): bytes go in as they arrive, batches of whole records (each a CsvTable with the
// header) come out. The encoding, separator and number format are decided on the first piece
// and kept; line numbers in messages are the file's.
//
//   CsvStream stream;
//   while (size_t n = fread(block, 1, sizeof block, stdin)) {
//     stream.push({block, n});
//     while (auto batch = stream.next(4096)) score(*batch);
//   }
//   stream.finish();
//   while (auto batch = stream.next(4096)) score(*batch);
class CsvStream {
 public:
  CsvStream() = default;
  explicit CsvStream(std::optional<NumberFormat> numbers) { options_.numbers = numbers; }  // named by the user
  void push(std::string_view bytes);
  void finish();  // no more bytes: next() gives what is left, even a shorter batch
  // `rows` whole records, or fewer after finish(); nothing while more bytes are needed.
  std::optional<CsvTable> next(size_t rows);
  int64_t rows_read() const { return rows_read_; }
  const std::string& encoding() const { return encoding_; }

 private:
  struct Records {
    size_t bytes = 0, count = 0;
    int64_t lines = 0;
  };
  Records complete_records(size_t rows) const;  // the first up to `rows` whole records of text_
  void decode_pending(bool last);                 // pending_ -> text_ as far as whole characters go

  std::string text_;     // decoded, not yet parsed (after the header)
  std::string header_;   // the header record, with its line end
  std::string pending_;  // bytes not yet decoded (a character cut in two)
  std::string encoding_;
  bool finished_ = false, started_ = false, after_comment_ = false;
  CsvOptions options_;
  bool numbers_guessed_ = false;  // the first piece's CsvTable::numbers_guessed
  bool numbers_named_ = true;     // false once the first piece decided it
  // Lines above the header left out (comment lines, a title), said in the first batch.
  size_t comment_lines_ = 0, title_lines_ = 0;
  std::string first_comment_, first_title_;
  bool titles_checked_ = false, lines_above_said_ = false;
  int64_t next_line_ = 2, rows_read_ = 0;
  // A piece of no rows (only comment or empty lines): what it skipped, said with the next batch.
  CsvTable skipped_;
};

// The digit-group separator the numbers of `table` are written with: table.numbers.thousands
// when some number uses it (the format admits one; this says whether the file does), else a
// space (also a no-break one) or an apostrophe between digits of a number ("3 249,7", "1'234.5",
// always read as groups); 0 when no number groups its digits.
char digit_group_mark(const CsvTable& table);

// Whether `text` (from its header line on) is a table whose columns are aligned with spaces: no
// ',', ';', tab or '|' in the header, which splits at runs of spaces into at least two names, and
// nearly each of the next lines (four in five, up to 20, at least one) into as many values. A
// one-column file whose name has a space ("Response time") is not.
bool space_aligned(std::string_view text);

// Writes one field, quoted when it contains the separator, a quote or a line break.
std::string csv_field(std::string_view text, char separator = ',');
// The whole table as CSV text (header first, LF line ends, the table's separator; tabs for a
// table aligned with spaces).
std::string write_csv(const CsvTable& table);

}  // namespace ca3
