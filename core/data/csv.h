// CSV text -> a table of strings (RFC 4180 plus what real files carry): a header row, quoted
// fields with "" escapes and embedded separators / line breaks, LF or CRLF line ends, a UTF-8
// byte-order mark, ',' ';' or tab separators (detected from the header), blank lines skipped.
// Every malformed input is rejected with the line number and the problem:
//
//   CsvTable table = parse_csv(text);          // throws ca3::Error("CSV line 7: 4 fields, the header has 5")
//   table.column_index("Class");               // throws when there is no such column
//   table.rows[i][j], table.row_lines[i]        // cell text and the line the row starts on
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ca3 {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // every row has header.size() fields
  std::vector<int64_t> row_lines;              // 1-based line number where each row starts
  char separator = ',';

  int64_t column_index(const std::string& name) const;      // throws naming the available columns
  int64_t find_column(const std::string& name) const;       // -1 when absent
};

struct CsvOptions {
  char separator = 0;  // 0 = detect from the header line (',', ';' or tab)
};

CsvTable parse_csv(std::string_view text, const CsvOptions& options = {});
CsvTable read_csv_file(const std::string& path, const CsvOptions& options = {});

// Writes one field, quoted when it contains the separator, a quote or a line break.
std::string csv_field(const std::string& text, char separator = ',');
// The whole table as CSV text (header first, LF line ends, the table's separator).
std::string write_csv(const CsvTable& table);

}  // namespace ca3
