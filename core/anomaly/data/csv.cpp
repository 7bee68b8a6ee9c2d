#include "core/anomaly/data/csv.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>

#include "core/engine/error.h"

namespace ca3 {

std::string_view CsvTable::cell(size_t row, size_t column) const {
  const size_t index = row * header.size() + column;
  const size_t begin = index == 0 ? 0 : cell_ends_[index - 1];
  return std::string_view(cells_).substr(begin, cell_ends_[index] - begin);
}

std::vector<std::string> CsvTable::row(size_t r) const {
  std::vector<std::string> out;
  for (size_t c = 0; c < header.size(); ++c) out.emplace_back(cell(r, c));
  return out;
}

void CsvTable::append_cell(std::string_view text) {
  CA3_CHECK(cells_.size() + text.size() <= std::numeric_limits<uint32_t>::max(),
            "CSV is too large: more than 4 GB of cell text");
  cells_.append(text);
  cell_ends_.push_back(uint32_t(cells_.size()));
}

void CsvTable::add_row(const std::vector<std::string_view>& cells, int64_t line) {
  CA3_CHECK(cells.size() == header.size(), "a row of ", cells.size(), " cells for a header of ", header.size());
  for (std::string_view c : cells) append_cell(c);
  end_row(line);
}

CsvTable CsvTable::select_rows(const std::vector<size_t>& rows) const {
  CsvTable out;
  out.header = header;
  out.separator = separator;
  std::vector<std::string_view> cells(header.size());
  for (size_t r : rows) {
    for (size_t c = 0; c < header.size(); ++c) cells[c] = cell(r, c);
    out.add_row(cells, row_lines_.at(r));
  }
  return out;
}

bool CsvTable::operator==(const CsvTable& other) const {
  return header == other.header && cells_ == other.cells_ && cell_ends_ == other.cell_ends_;
}

int64_t CsvTable::find_column(const std::string& name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return int64_t(i);
  return -1;
}

int64_t CsvTable::column_index(const std::string& name) const {
  const int64_t i = find_column(name);
  if (i >= 0) return i;
  std::string names;
  for (size_t j = 0; j < header.size() && j < 20; ++j) names += (j ? ", " : "") + header[j];
  if (header.size() > 20) names += ", ...";
  throw Error("CSV has no column '" + name + "' (columns: " + names + ")");
}

namespace {

char detect_separator(std::string_view text) {
  size_t counts[3] = {0, 0, 0};
  const char candidates[3] = {',', ';', '\t'};
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    for (int k = 0; k < 3; ++k) counts[k] += c == candidates[k];
  }
  int best = 0;
  for (int k = 1; k < 3; ++k)
    if (counts[k] > counts[best]) best = k;
  return candidates[best];
}

}  // namespace

CsvTable parse_csv(std::string_view text, const CsvOptions& options) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  CA3_CHECK(!text.empty(), "CSV file is empty");
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
    const int64_t line = 1 + std::count(text.begin(), text.begin() + long(nul), '\n');
    throw Error(ErrorCode::unsupported_file, detail::concat("CSV line ", line, ": contains a NUL byte (this is not a text file)"));
  }
  CsvTable table;
  table.separator = options.separator ? options.separator : detect_separator(text);
  const char sep = table.separator;

  std::vector<std::string> header;  // the first record's fields
  std::string field;
  size_t record_fields = 0;         // fields of the current record so far
  int64_t line = 1, record_line = 1;
  bool in_quotes = false, field_was_quoted = false, record_has_content = false;

  auto end_field = [&]() {
    if (table.header.empty()) header.push_back(std::move(field));
    else table.append_cell(field);
    field.clear();
    field_was_quoted = false;
    ++record_fields;
  };
  auto end_record = [&]() {
    const bool blank = record_fields == 0 && field.empty() && !record_has_content;
    if (!blank) {
      end_field();
      if (table.header.empty()) {
        for (size_t i = 0; i < header.size(); ++i) {
          CA3_CHECK(!header[i].empty(), "CSV line ", record_line, ": header column ", i + 1, " has no name");
          for (size_t j = 0; j < i; ++j)
            CA3_CHECK(header[j] != header[i], "CSV line ", record_line, ": two columns are named '", header[i], "'");
        }
        table.header = std::move(header);
        // Room for the rest: the cells' text is at most the file's; a cell per column and line,
        // and never more cells than bytes (each ends at a separator or a line end).
        const size_t lines = size_t(std::count(text.begin(), text.end(), '\n')) + 1;
        table.cells_.reserve(text.size());
        table.cell_ends_.reserve(std::min(lines * table.header.size(), text.size() + 1));
        table.row_lines_.reserve(lines);
      } else {
        CA3_CHECK(record_fields == table.header.size(), "CSV line ", record_line, ": ", record_fields,
                  record_fields == 1 ? " field" : " fields", ", the header has ", table.header.size());
        table.end_row(record_line);
      }
    }
    record_fields = 0;
    record_has_content = false;
  };

  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
        else in_quotes = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      CA3_CHECK(field.empty() && !field_was_quoted, "CSV line ", line,
                ": a quote inside an unquoted field (quote the whole field and double inner quotes)");
      in_quotes = true, field_was_quoted = true, record_has_content = true;
    } else if (c == sep) {
      end_field();
      record_has_content = true;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_record();
      ++line;
      record_line = line;
    } else {
      CA3_CHECK(!field_was_quoted, "CSV line ", line, ": text after a closing quote");
      field += c;
      record_has_content = true;
    }
  }
  CA3_CHECK(!in_quotes, "CSV line ", record_line, ": a quoted field is not closed before the end of the file");
  if (!field.empty() || record_fields > 0 || record_has_content) end_record();
  CA3_CHECK(!table.header.empty(), "CSV file has no header row");
  CA3_CHECK(table.row_count() > 0, "CSV file has a header but no data rows");
  table.cells_.shrink_to_fit();
  table.cell_ends_.shrink_to_fit();
  table.row_lines_.shrink_to_fit();
  return table;
}

CsvTable read_csv_file(const std::string& path, const CsvOptions& options) {
  std::ifstream in(path, std::ios::binary);
  CA3_CHECK(in, "cannot open CSV file '", path, "'");
  std::string text;  // read in blocks: a pipe has no size to ask for
  std::error_code error;
  if (const auto size = std::filesystem::file_size(path, error); !error) text.reserve(size_t(size));
  char block[1 << 16];
  while (in.read(block, sizeof block) || in.gcount() > 0) text.append(block, size_t(in.gcount()));
  CA3_CHECK(in.eof(), "cannot read CSV file '", path, "'");
  try {
    return parse_csv(text, options);
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
}

std::string csv_field(std::string_view text, char separator) {
  // A field starting with a byte-order mark is quoted too: unquoted at the start of a file, the
  // parser would take the mark for the file's own.
  const bool starts_with_bom = text.substr(0, 3) == "\xEF\xBB\xBF";
  if (!starts_with_bom && text.find_first_of(std::string("\"\r\n") + separator) == std::string_view::npos)
    return std::string(text);
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string write_csv(const CsvTable& table) {
  std::string out;
  auto write_row = [&](auto cell) {
    const size_t n = table.header.size();
    if (n == 1 && cell(0).empty()) {  // an empty line would be skipped as blank
      out += "\"\"\n";
      return;
    }
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) out += table.separator;
      out += csv_field(cell(i), table.separator);
    }
    out += '\n';
  };
  write_row([&](size_t c) { return std::string_view(table.header[c]); });
  for (size_t r = 0; r < table.row_count(); ++r) write_row([&](size_t c) { return table.cell(r, c); });
  return out;
}

}  // namespace ca3
