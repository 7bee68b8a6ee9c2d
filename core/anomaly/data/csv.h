// CSV text -> a table of strings (RFC 4180 plus what real files carry): a header row, quoted
// fields with "" escapes and embedded separators / line breaks, LF or CRLF line ends, a UTF-8
// byte-order mark, ',' ';' or tab separators (detected from the header), blank lines skipped.
// Every malformed input is rejected with the line number and the problem:
//
//   CsvTable table = parse_csv(text);          // throws ca3::Error("CSV line 7: 4 fields, the header has 5")
//   table.column_index("Class");               // throws when there is no such column
//   table.cell(i, j), table.row_line(i)        // cell text and the line row i starts on
//
// The cells are stored one after another in one buffer (plus a 4-byte end offset each), so a
// table takes little more memory than its text: a 100 MB file is ~200 MB parsed, not 2 GB.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ca3 {

class CsvTable {
 public:
  std::vector<std::string> header;
  char separator = ',';

  size_t row_count() const { return row_lines_.size(); }
  size_t column_count() const { return header.size(); }
  std::string_view cell(size_t row, size_t column) const;
  int64_t row_line(size_t row) const { return row_lines_[row]; }  // 1-based line the row starts on
  std::vector<std::string> row(size_t row) const;                  // a copy of one row's cells

  // Appends a row of header.size() cells (throws otherwise) starting on line `line`.
  void add_row(const std::vector<std::string_view>& cells, int64_t line);
  // The table with only the given rows, in that order.
  CsvTable select_rows(const std::vector<size_t>& rows) const;

  int64_t column_index(const std::string& name) const;      // throws naming the available columns
  int64_t find_column(const std::string& name) const;       // -1 when absent

  bool operator==(const CsvTable& other) const;  // same header and cells (lines, separator ignored)

 private:
  friend CsvTable parse_csv(std::string_view text, const struct CsvOptions& options);
  void append_cell(std::string_view text);
  void end_row(int64_t line) { row_lines_.push_back(line); }

  std::string cells_;               // every cell's text, row by row
  std::vector<uint32_t> cell_ends_; // where each cell ends in cells_
  std::vector<int64_t> row_lines_;
};

struct CsvOptions {
  char separator = 0;  // 0 = detect from the header line (',', ';' or tab)
};

CsvTable parse_csv(std::string_view text, const CsvOptions& options = {});
CsvTable read_csv_file(const std::string& path, const CsvOptions& options = {});

// Writes one field, quoted when it contains the separator, a quote or a line break.
std::string csv_field(std::string_view text, char separator = ',');
// The whole table as CSV text (header first, LF line ends, the table's separator).
std::string write_csv(const CsvTable& table);

}  // namespace ca3
