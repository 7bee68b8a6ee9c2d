#include "core/data/csv.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace ca3 {

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
    throw Error(detail::concat("CSV line ", line, ": contains a NUL byte (this is not a text file)"));
  }
  CsvTable table;
  table.separator = options.separator ? options.separator : detect_separator(text);
  const char sep = table.separator;

  std::vector<std::string> fields;
  std::string field;
  int64_t line = 1, record_line = 1;
  bool in_quotes = false, field_was_quoted = false, record_has_content = false;

  auto end_record = [&]() {
    fields.push_back(std::move(field));
    field.clear();
    field_was_quoted = false;
    const bool blank = fields.size() == 1 && fields[0].empty() && !record_has_content;
    if (!blank) {
      if (table.header.empty()) {
        for (size_t i = 0; i < fields.size(); ++i) {
          CA3_CHECK(!fields[i].empty(), "CSV line ", record_line, ": header column ", i + 1, " has no name");
          for (size_t j = 0; j < i; ++j)
            CA3_CHECK(fields[j] != fields[i], "CSV line ", record_line, ": two columns are named '", fields[i], "'");
        }
        table.header = std::move(fields);
      } else {
        CA3_CHECK(fields.size() == table.header.size(), "CSV line ", record_line, ": ", fields.size(),
                  fields.size() == 1 ? " field" : " fields", ", the header has ", table.header.size());
        table.rows.push_back(std::move(fields));
        table.row_lines.push_back(record_line);
      }
    }
    fields.clear();
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
      fields.push_back(std::move(field));
      field.clear();
      field_was_quoted = false;
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
  if (!field.empty() || !fields.empty() || record_has_content) end_record();
  CA3_CHECK(!table.header.empty(), "CSV file has no header row");
  CA3_CHECK(!table.rows.empty(), "CSV file has a header but no data rows");
  return table;
}

CsvTable read_csv_file(const std::string& path, const CsvOptions& options) {
  std::ifstream in(path, std::ios::binary);
  CA3_CHECK(in, "cannot open CSV file '", path, "'");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  try {
    return parse_csv(buffer.str(), options);
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
}

std::string csv_field(const std::string& text, char separator) {
  // A field starting with a byte-order mark is quoted too: unquoted at the start of a file, the
  // parser would take the mark for the file's own.
  const bool starts_with_bom = text.rfind("\xEF\xBB\xBF", 0) == 0;
  if (!starts_with_bom && text.find_first_of(std::string("\"\r\n") + separator) == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string write_csv(const CsvTable& table) {
  std::string out;
  auto write_row = [&](const std::vector<std::string>& fields) {
    if (fields.size() == 1 && fields[0].empty()) {  // an empty line would be skipped as blank
      out += "\"\"\n";
      return;
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += table.separator;
      out += csv_field(fields[i], table.separator);
    }
    out += '\n';
  };
  write_row(table.header);
  for (const auto& row : table.rows) write_row(row);
  return out;
}

}  // namespace ca3
