#include "core/anomaly/data/csv.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>
#include <set>

#include "core/anomaly/data/text.h"
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
  out.encoding = encoding;
  out.numbers = numbers;  // how the cells are read: "0,5" stays a number in a decimal-comma file
  out.numbers_guessed = numbers_guessed;
  out.numbers_named = numbers_named;
  out.trailing_separators = trailing_separators;
  out.nameless_columns = nameless_columns;
  out.lines_ending_with_separator = lines_ending_with_separator;
  out.comment_lines = comment_lines;
  out.first_comment = first_comment;
  out.first_comment_line = first_comment_line;
  out.comment_row_lines = comment_row_lines;
  out.comment_row_count = comment_row_count;
  out.cut_last_line = cut_last_line;
  out.cut_last_fields = cut_last_fields;
  out.commented_header = commented_header;
  out.title_lines = title_lines;
  out.first_title = first_title;
  out.first_line_ending_with_separator = first_line_ending_with_separator;
  out.short_lines = short_lines;
  out.first_short_line = first_short_line;
  out.short_line_numbers = short_line_numbers;
  out.filled_down = filled_down;
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
  // The one column whose name differs only in surrounding spaces or Unicode form, else only in case.
  for (auto key : {normalize_text, fold_case}) {
    const std::string wanted = key(name);
    int64_t found = -1, matches = 0;
    for (size_t i = 0; i < header.size(); ++i)
      if (key(header[i]) == wanted) found = int64_t(i), ++matches;
    if (matches == 1) return found;
    if (matches > 1) return -1;
  }
  return -1;
}

int64_t CsvTable::column_index(const std::string& name) const {
  const int64_t i = find_column(name);
  if (i >= 0) return i;
  std::vector<std::string> names;
  for (const std::string& column : header) names.push_back("'" + column + "'");
  throw Error("CSV has no column '" + name + "' (columns: " + list_some(names, 20) + ")");
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view without_text_mark(std::string_view s) {
  size_t mark = 0;
  for (std::string_view m : {"'", "\xE2\x80\x99", "\xE2\x80\x98"})
    if (s.size() > m.size() && s.substr(0, m.size()) == m && s.substr(s.size() - m.size()) != m) mark = m.size();
  // Not a code whose leading zero the mark keeps ("'01067", a postal code): that stays text.
  const bool leading_zero = s.size() >= mark + 2 && s[mark] == '0' && s[mark + 1] >= '0' && s[mark + 1] <= '9';
  if (mark > 0 && s.size() > mark && std::strchr("0123456789+-.,(", s[mark]) && !leading_zero) s.remove_prefix(mark);
  return s;
}

namespace {

std::string_view trim_spaces(std::string_view s) { return trim_invisible(s, true); }

// A file whose only line below the header is cut short (CsvTable::cut_last_line): why it has no row.
std::string only_line_cut(const CsvTable& table) {
  return detail::concat("CSV file has a header and one line below it, line ", table.cut_last_line, ", which holds ", table.cut_last_fields,
                        " of the header's ", table.header.size(), " fields and no line end: it looks cut short (copied, or "
                        "exported while still being written); complete it, or export the file again");
}

// Whether `text` starts with a comment line's mark among the rows: '#' then a space, a tab or the
// line's end ("# shift change, night crew"; not "#ff0000" or "#1023", a row's first cell).
bool comment_mark(std::string_view text) {
  return text.size() >= 1 && text[0] == '#' && (text.size() == 1 || text[1] == ' ' || text[1] == '\t' || text[1] == '\r' || text[1] == '\n');
}

// The length (with its line end) of a first line of `text` that is a comment ('#' first), or blank
// after one (`after_comment`) or before one, as exports write before the header; 0 otherwise.
size_t comment_line_length(std::string_view text, bool after_comment) {
  size_t end = text.find('\n');
  end = end == std::string_view::npos ? text.size() : end + 1;
  if (!text.empty() && text[0] == '#') {
    // A header whose first name starts with '#' ("#,Name,Type 1", "#CHROM\tPOS", numpy's "# a,b"):
    // as many separators as the next line has.
    const std::string_view line = text.substr(0, end), next = text.substr(end, text.find('\n', end) - end);
    for (char sep : {',', ';', '\t', '|'})
      if (const auto n = std::count(line.begin(), line.end(), sep); n > 0 && n == std::count(next.begin(), next.end(), sep)) return 0;
    return end;
  }
  if (trim_spaces(text.substr(0, end)).empty() && end < text.size() &&
      (after_comment || comment_line_length(text.substr(end), false) > 0))
    return end;
  return 0;
}

// Digit groups separated by a space, a no-break space (U+00A0, U+202F, U+2009) or an apostrophe
// (' or U+2019), as in "3 249,7" or "1'234.5": marks that are never a decimal mark, so they need
// no per-file decision. The cell without them when its integer part is grouped so (a first group
// of one to three digits, then groups of three), else the cell as it is.
// Negative numbers as spreadsheets and typesetting write them, with an ASCII minus: "−0,67"
// (U+2212 MINUS SIGN, or a dash standing for it), accounting's "(1,17)" and SAP's "1,17-" become "-0,67", "-1,17" and "-1,17"
// (in `buffer`).
std::string_view ascii_minus(std::string_view s, std::string& buffer) {
  // U+2212 MINUS SIGN, and the dashes word processors make of a typed minus: U+2013 EN DASH,
  // U+2012 FIGURE DASH, U+FE63 SMALL HYPHEN-MINUS, U+FF0D FULLWIDTH HYPHEN-MINUS ("–5,4")
  for (std::string_view minus : {"\xE2\x88\x92", "\xE2\x80\x93", "\xE2\x80\x92", "\xEF\xB9\xA3", "\xEF\xBC\x8D"})
    if (s.size() > minus.size() && s.substr(0, minus.size()) == minus && std::strchr("0123456789.,", s[minus.size()])) {
      buffer = "-";
      buffer.append(s.substr(minus.size()));
      return buffer;
    }
  if (s.size() >= 2 && s.back() == '-' && s[s.size() - 2] >= '0' && s[s.size() - 2] <= '9' && s.front() >= '0' &&
      s.front() <= '9' && s.find_first_of(".,") != std::string_view::npos) {  // SAP's "2.079,78-" (not a grade "2-")
    buffer = "-";
    buffer.append(s.substr(0, s.size() - 1));
    return buffer;
  }
  if (s.size() >= 3 && s.front() == '(' && s.back() == ')') {
    const std::string_view inner = trim_spaces(s.substr(1, s.size() - 2));
    if (inner.empty() || inner[0] < '0' || inner[0] > '9') return s;
    buffer = "-";
    buffer.append(inner);
    return buffer;
  }
  return s;
}

std::string_view without_space_groups(std::string_view s, std::string& buffer) {
  static const std::string_view kMarks[] = {" ", "'", "\xC2\xA0", "\xE2\x80\xAF", "\xE2\x80\x89", "\xE2\x80\x99"};
  size_t i = s.size() > 0 && (s[0] == '-' || s[0] == '+') ? 1 : 0;
  std::string digits(s.substr(0, i));
  size_t group = 0, groups = 0;
  while (i < s.size()) {
    if (s[i] >= '0' && s[i] <= '9') {
      digits += s[i++], ++group;
      continue;
    }
    size_t mark = 0;
    for (std::string_view m : kMarks)
      if (s.substr(i, m.size()) == m) mark = m.size();
    if (mark == 0) break;
    if (group == 0 || group > 3 || (groups > 0 && group != 3)) return s;
    i += mark, group = 0, ++groups;
  }
  if (groups == 0 || group != 3) return s;
  if (i < s.size() && s[i] != '.' && s[i] != ',') return s;
  if (digits[digits.size() > 0 && (digits[0] == '-' || digits[0] == '+') ? 1 : 0] == '0') return s;  // "030 332 479": a phone number
  buffer = digits;
  buffer.append(s.substr(i));
  return buffer;
}

// "1,234,567" (or "12,34,567") with separator ',': digit groups as written in numbers.
bool grouped(std::string_view digits, char separator) {
  if (separator == 0 || digits.find(separator) == std::string_view::npos) return false;
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t end = digits.find(separator, start);
    parts.push_back(digits.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  for (std::string_view part : parts)
    if (part.empty() || !all_digits(part)) return false;
  if (parts.front()[0] == '0') return false;  // "0.125" is no grouped number
  // Thousands: 1-3 digits, then groups of three ("1,234,567"). Lakhs and crores, as in India:
  // 1-2 digits, groups of two, a last group of three ("12,34,567").
  const auto sized = [&](size_t first_max, size_t middle) {
    if (parts.front().size() > first_max || parts.back().size() != 3) return false;
    for (size_t i = 1; i + 1 < parts.size(); ++i)
      if (parts[i].size() != middle) return false;
    return true;
  };
  return sized(3, 3) || (separator == ',' && sized(2, 2));
}

bool strtod_whole(std::string_view s, double& value) {
  // strtod also reads hexadecimal ("0x10" as 16), which no table means
  if (s.empty() || s.find_first_of("xX") != std::string_view::npos) return false;
  char buffer[64];  // strtod wants a terminated string; cells are short
  const std::string long_cell = s.size() < sizeof buffer ? std::string() : std::string(s);
  const char* text = buffer;
  if (long_cell.empty()) {
    std::copy(s.begin(), s.end(), buffer);
    buffer[s.size()] = '\0';
  } else {
    text = long_cell.c_str();
  }
  char* end = nullptr;
  value = std::strtod(text, &end);
  return end == text + s.size();
}

char detect_separator(std::string_view text) {
  size_t counts[4] = {0, 0, 0, 0};
  const char candidates[4] = {',', ';', '\t', '|'};
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    for (int k = 0; k < 4; ++k) counts[k] += c == candidates[k];
  }
  int best = 0;
  for (int k = 1; k < 4; ++k)
    if (counts[k] > counts[best]) best = k;
  if (counts[best] > 0) return candidates[best];
  // A header of one name: one column. When each of the next 20 lines holds at most one comma,
  // between digits ("0,213": a decimal comma), the first other candidate that none holds; else
  // ',' ("1,2,3" under one name is said as a row longer than the header).
  std::string_view rows = text.substr(std::min(text.size(), text.find('\n') + 1));
  size_t end = 0;
  for (int line = 0; line < 20 && end < rows.size(); ++line) end = std::min(rows.find('\n', end) + 1, rows.size());
  rows = rows.substr(0, end);
  for (size_t at = rows.find(','); at != std::string_view::npos; at = rows.find(',', at + 1)) {
    const size_t line_start = rows.rfind('\n', at) == std::string_view::npos ? 0 : rows.rfind('\n', at) + 1;
    const std::string_view line = rows.substr(line_start, rows.find('\n', at) - line_start);
    if (at == 0 || at + 1 >= rows.size() || !std::isdigit((unsigned char)rows[at - 1]) || !std::isdigit((unsigned char)rows[at + 1]) ||
        std::count(line.begin(), line.end(), ',') > 1)
      return ',';
  }
  for (char c : {';', '\t', '|'})
    if (rows.find(c) == std::string_view::npos) return c;
  return ',';
}

// Excel's "sep=;" first line names the separator; returns it and the length of that line, or 0.
char excel_separator_line(std::string_view text, size_t& length) {
  if (text.size() < 5 || (text.substr(0, 4) != "sep=" && text.substr(0, 4) != "SEP=")) return 0;
  const char sep = text[4];
  if (sep != ',' && sep != ';' && sep != '\t' && sep != '|') return 0;
  size_t end = 5;
  if (end < text.size() && text[end] == '\r') ++end;
  if (end < text.size() && text[end] != '\n') return 0;
  length = std::min(end + 1, text.size());
  return sep;
}

// A line's fields by `sep` (quoted separators are none): all, up to the last that holds a value
// (trailing empty fields are no column), and how many hold a value.
struct LineFields {
  size_t all = 1, named = 0, filled = 0;
};
LineFields line_fields(std::string_view line, char sep) {
  LineFields f;
  bool quoted = false, value = false;
  const auto end_field = [&] {
    if (value) ++f.filled, f.named = f.all;
    value = false;
  };
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (quoted || c == '"') {
      value = true;
    } else if (c == sep) {
      end_field();
      ++f.all;
    } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      value = true;
    }
  }
  end_field();
  return f;
}

// A name that reads as a number, with either decimal mark ("9.86", "21,4").
bool number_name(std::string_view name) {
  double v;
  name = trim_spaces(name);
  return !name.empty() && (parse_number(name, v, NumberFormat{'.', 0}) || parse_number(name, v, NumberFormat{',', 0}));
}

// A table whose columns are aligned with spaces (a printed report): whether its header splits
// only at runs of two spaces or more or at tabs ("Response time   Server": a name may hold one
// space), and where each name stands, in characters. No names: not one.
struct AlignedTable {
  bool wide = false;
  std::vector<std::pair<size_t, size_t>> names;  // [begin, end) of each name
  // The header starts with blanks over a column of values (pandas' printed index): named "index".
  bool index = false;
  size_t columns() const { return names.size(); }
};

bool blank_char(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The line of `text` that starts at `start` (without its end: "\n", "\r\n" or a '\r' alone), and
// where the next starts.
std::pair<std::string_view, size_t> line_at(std::string_view text, size_t start) {
  const size_t end = std::min(text.find_first_of("\r\n", start), text.size());
  return {text.substr(start, end - start), text.substr(end, 2) == "\r\n" ? end + 2 : std::min(end + 1, text.size())};
}

// The values of one line split at runs of spaces and tabs (not inside quotes); `wide`: only at
// runs of two or more or with a tab.
std::vector<std::string_view> split_at_spaces(std::string_view line, bool wide) {
  std::vector<std::string_view> values;
  bool quoted = false;
  size_t start = std::string_view::npos, i = 0;
  while (i < line.size()) {
    if (line[i] == '"') quoted = !quoted;
    if (quoted || !blank_char(line[i])) {
      if (start == std::string_view::npos) start = i;
      ++i;
      continue;
    }
    size_t j = i;
    bool tab = false;
    for (; j < line.size() && blank_char(line[j]); ++j) tab = tab || line[j] != ' ';
    if (wide && start != std::string_view::npos && j - i == 1 && !tab && j < line.size()) {  // one space: inside a value
      i = j;
      continue;
    }
    if (start != std::string_view::npos) values.push_back(line.substr(start, i - start)), start = std::string_view::npos;
    i = j;
  }
  if (start != std::string_view::npos) values.push_back(line.substr(start));
  return values;
}

// Where each of `values` (views into `line`) starts and ends, in characters ("Öko" is three),
// counted in one pass.
std::vector<std::pair<size_t, size_t>> character_spans(std::string_view line, const std::vector<std::string_view>& values) {
  std::vector<std::pair<size_t, size_t>> spans;
  size_t byte = 0, characters = 0;
  const auto to = [&](size_t at) {
    for (; byte < at; ++byte) characters += (static_cast<unsigned char>(line[byte]) & 0xC0) != 0x80;
    return characters;
  };
  for (std::string_view v : values) {
    const size_t begin = to(size_t(v.data() - line.data()));
    spans.emplace_back(begin, to(size_t(v.data() - line.data()) + v.size()));
  }
  return spans;
}

// A line of only dashes, underscores or equals signs (and spaces, '+', '|'), three or more of
// them in one run: a report's rule under its header ("-   -   -" is three missing values).
bool rule_line(std::string_view line) {
  if (line.find("---") == std::string_view::npos && line.find("===") == std::string_view::npos &&
      line.find("___") == std::string_view::npos)
    return false;
  return std::all_of(line.begin(), line.end(), [](char c) { return c == '-' || c == '=' || c == '_' || c == '+' || c == '|' || blank_char(c); });
}

// The header of a table aligned with spaces: no ',', ';' or '|', tabs only beside runs of two
// spaces or more (else it is tab-separated), at least two names, each with a letter and none a
// number ("5000 kg", "$1 %" are rows).
AlignedTable aligned_header(std::string_view header) {
  const size_t first = header.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || header.find_first_of(",;|") != std::string_view::npos) return {};
  const std::string_view trimmed = header.substr(first, header.find_last_not_of(" \t\r\n") + 1 - first);
  const bool runs = trimmed.find("  ") != std::string_view::npos, tabs = trimmed.find('\t') != std::string_view::npos;
  if (tabs && !runs) return {};
  const std::vector<std::string_view> names = split_at_spaces(header, runs || tabs);
  const auto name = [](std::string_view n) {
    return !number_name(n) && std::any_of(n.begin(), n.end(), [](char c) { return std::isalpha((unsigned char)c) || (unsigned char)c >= 0x80; });
  };
  if (names.size() < 2 || !std::all_of(names.begin(), names.end(), name)) return {};
  return {runs || tabs, character_spans(header, names)};
}

// `values` (views into `line`, at least two, no more than names) each put under the name it
// overlaps most, else the nearest, the columns under no value empty; nullopt when a value stands
// under two names or a tab makes positions unsure. `overlapping`: each value overlaps its name.
std::optional<std::vector<std::string_view>> placed_under_names(std::string_view line, const std::vector<std::string_view>& values,
                                                                const AlignedTable& table, bool& overlapping) {
  if (values.size() < 2 || values.size() > table.columns() || line.find('\t') != std::string_view::npos) return std::nullopt;
  std::vector<std::string_view> columns(table.columns());
  const std::vector<std::pair<size_t, size_t>> spans = character_spans(line, values);
  size_t next = 0;  // the first column a value may stand under
  overlapping = true;
  for (size_t k = 0; k < values.size(); ++k) {
    const auto [begin, end] = spans[k];
    size_t best = table.columns(), under = 0;
    long most = 0;  // overlap in characters; negative: the gap between them
    for (size_t c = next; c + (values.size() - k) <= table.columns(); ++c) {
      const auto [name_begin, name_end] = table.names[c];
      const long overlap = long(std::min(end, name_end)) - long(std::max(begin, name_begin));
      under += overlap > 0;
      if (best == table.columns() || overlap > most) best = c, most = overlap;
      if (name_begin >= end) break;  // the names further right lie further away
    }
    if (under > 1) return std::nullopt;  // "Los Angeles France" under 'city' and 'country'
    columns[best] = values[k];
    next = best + 1;
    overlapping = overlapping && most > 0;
  }
  return columns;
}

// How a data line was split into the header's columns.
enum class Split { exact, placed, other };

// A data line's values as the header's columns: under a wide header, split at runs of two spaces
// or more when that gives the header's count ("all good   53.4"), or, with fewer, each under the
// one name it overlaps (a blank cell, also beside "United States"); else split at every run when
// that gives the count; else (`place`) each value under the name it stands under or the nearest
// (a totals line's label and sum); else split at every run (and named when read).
std::vector<std::string_view> aligned_fields(std::string_view line, const AlignedTable& table, bool place, Split* how = nullptr) {
  Split ignored;
  Split& split = how ? *how : ignored;
  split = Split::exact;
  std::vector<std::string_view> every = split_at_spaces(line, false);
  std::vector<std::string_view> runs = table.wide ? split_at_spaces(line, true) : every;
  if (table.wide && runs.size() == table.columns()) return runs;
  bool overlapping = false;
  if (table.wide && runs.size() < table.columns())
    if (auto placed = placed_under_names(line, runs, table, overlapping); placed && overlapping) {
      split = Split::placed;
      return *placed;
    }
  if (every.size() == table.columns()) return every;
  split = Split::placed;
  if (place)
    if (auto placed = placed_under_names(line, runs, table, overlapping)) return *placed;
  split = Split::other;
  return every;
}

// The header of `text` (aligned_header), with an unnamed first column when the header starts
// with blanks and the first line of values holds one value more than it has names (pandas'
// print(df) and to_string(): the index).
AlignedTable aligned_layout(std::string_view text) {
  auto [header, start] = line_at(text, 0);
  AlignedTable table = aligned_header(header);
  if (table.columns() == 0 || header.empty() || !blank_char(header[0])) return table;
  while (start < text.size()) {
    const auto [line, next] = line_at(text, start);
    start = next;
    if (rule_line(line)) continue;
    const std::vector<std::string_view> values = split_at_spaces(line, table.wide);
    if (values.empty()) continue;
    if (values.size() == table.columns() + 1 && character_spans(line, values)[0].second <= table.names[0].first)
      table.index = true, table.names.insert(table.names.begin(), {0, 1});
    break;
  }
  return table;
}

// `text` from its header line on as a table aligned with spaces (nearly every one of the next up
// to 20 lines splits into the header's count), or {} when it is not one: see space_aligned.
AlignedTable aligned_table(std::string_view text) {
  size_t start = line_at(text, 0).second;
  const AlignedTable table = aligned_layout(text);
  if (table.columns() == 0) return {};
  size_t lines = 0, matching = 0, placed = 0;
  bool numbers = true;  // every value a number: single spaces between them (numpy's savetxt)
  while (start < text.size() && lines < 20) {
    const auto [line, next] = line_at(text, start);
    start = next;
    if (rule_line(line)) continue;
    // Under a wide header, a line with blank cells counts when each value stands under its name.
    Split how;  // under a wide header, a line with blank cells counts when its values stand under their names
    const std::vector<std::string_view> values = aligned_fields(line, table, false, &how);
    if (values.empty()) continue;  // a blank line
    ++lines, matching += how == Split::exact, placed += how == Split::placed;
    numbers = numbers && std::all_of(values.begin(), values.end(), [](std::string_view v) { return number_name(v); });
  }
  // Names of one word each, split at single spaces: a table when there are three or more, or its
  // values are numbers; two words over two words ("Status message" over "disk full") are one column.
  if (!table.wide && table.columns() < 3 && !numbers) return {};
  // Nearly every line (a blank cell or a totals line placed, each value under its name).
  return lines > 0 && 5 * (matching + placed) >= 4 * lines ? table : AlignedTable{};
}

// `text` (from its header line on) as the tab-separated table it is, line for line: the header
// and each line split as aligned_fields splits them, a rule under the header as a blank line.
std::string spaces_as_tabs(std::string_view text) {
  const AlignedTable table = aligned_layout(text);
  std::string out;
  out.reserve(text.size());
  for (size_t start = 0; start < text.size();) {
    const auto [line, next] = line_at(text, start);
    if (!rule_line(line)) {
      const std::vector<std::string_view> values = start == 0 ? split_at_spaces(line, table.wide) : aligned_fields(line, table, true);
      if (start == 0 && table.index) out += "index\t";
      for (size_t k = 0; k < values.size(); ++k) (out += k ? "\t" : "") += values[k];
    }
    out += text.substr(start + line.size(), next - start - line.size());
    start = next;
  }
  return out;
}

// Lines above the header that are a report's title or notes, skipped: returns their length and
// count (`lines`), 0 when there are none. Two forms, in the first 12 lines:
// - a title: the first line holds at most one value ("Messprotokoll Halle 3", Excel's
//   "Umsatzbericht Q1 2024;;;"); lines of at most one value and blank lines may follow it;
// - notes: lines of values ("Export;12.03.2024", "Mandant;100"), a blank line, then a header
//   of more fields than any of them;
// - a title, then lines of values by any separator ("Plant: Nord-2, period: 2024-01"), then a
//   header of more fields than any line above it.
// Either way the header is a line of two fields or more, each named, none a number, which the
// next line that is not blank matches in number. Blank lines alone are no title (they are
// skipped as empty lines are).
size_t title_lines_length(std::string_view text, char separator, size_t& count) {
  std::vector<std::string_view> lines;  // ending at '\n', "\r\n" or a '\r' alone
  for (size_t at = 0; at < text.size() && lines.size() < 12;) {
    size_t end = text.find_first_of("\r\n", at);
    end = end == std::string_view::npos ? text.size() : end + (text.substr(end, 2) == "\r\n" ? 2 : 1);
    lines.push_back(text.substr(at, end - at));
    at = end;
  }
  count = 0;
  if (lines.empty()) return 0;
  // The most values a line holds by any separator (by the one named, if any).
  const auto most_values = [&](std::string_view line) {
    size_t most = 0;
    for (char c : {',', ';', '\t', '|'})
      if (!separator || c == separator) most = std::max(most, line_fields(line, c).filled);
    return most;
  };
  char sep = separator;
  // Whether a line holds a number among its fields (by `sep`).
  const auto holds_number = [&](std::string_view l) {
    for (size_t at = 0; at <= l.size();) {
      const size_t end = std::min(l.find(sep, at), l.size());
      if (number_name(l.substr(at, end - at))) return true;
      at = end + 1;
    }
    return false;
  };
  // Line h is the header: its fields all named and no number, more than `wider_than`, matched by
  // the next line with a value.
  const auto header_at = [&](size_t h, size_t wider_than) {
    const LineFields header = line_fields(lines[h], sep);
    if (header.named < 2 || header.filled < header.named || header.named <= wider_than) return false;
    size_t next = h + 1;
    while (next < lines.size() && line_fields(lines[next], sep).filled == 0) ++next;
    if (next < lines.size() && line_fields(lines[next], sep).all != header.all) return false;
    return !holds_number(lines[h]);
  };
  // A table aligned with spaces has no title, or the lines above the first line from which it is
  // one, after a blank line (a first line of no separator).
  if (!separator && space_aligned(text)) return 0;
  if (!separator && most_values(lines[0]) <= 1) {
    size_t length = lines[0].size();
    for (size_t k = 1; k < lines.size(); length += lines[k++].size())
      if (split_at_spaces(lines[k - 1], false).empty() && space_aligned(text.substr(length))) {
        count = k;
        return length;
      }
  }
  size_t j = 0, widest = 0;
  if (most_values(lines[0]) <= 1) {  // a title, and more lines of one value or none; the header's separator
    while (j < lines.size() && most_values(lines[j]) <= 1) ++j;
    if (j < lines.size() && !sep) sep = detect_separator(lines[j]);
  } else {  // notes: lines of values up to a blank line, by the first line's separator
    if (!sep) sep = detect_separator(lines[0]);
    for (; j < lines.size() && line_fields(lines[j], sep).filled > 0; ++j) widest = std::max(widest, line_fields(lines[j], sep).named);
    while (j < lines.size() && line_fields(lines[j], sep).filled == 0) ++j;
  }
  // Blank lines alone, by the header's separator (";;;"), are no title.
  const bool value_above =
      std::any_of(lines.begin(), lines.begin() + long(j), [&](std::string_view l) { return sep && line_fields(l, sep).filled > 0; });
  if (j == 0 || j >= lines.size() || !value_above || !header_at(j, widest)) {
    // A title line that holds a separator itself ("Plant: Nord-2, period: 2024-01" under a first
    // line of one value): the header is the first line, by the separator of the last lines, with
    // more values than every line above it.
    if (!separator) sep = detect_separator(lines.back().find_first_not_of("\r\n") == std::string_view::npos ? lines[lines.size() / 2] : lines.back());
    if (!sep || most_values(lines[0]) > 1) return 0;
    size_t above = 0;  // the most values a line above holds
    for (j = 1; j + 1 < lines.size(); ++j) {
      above = std::max(above, line_fields(lines[j - 1], sep).filled);
      if (line_fields(lines[j], sep).filled > above && header_at(j, above)) break;
    }
    // (blank lines alone above it, ";;;", are no title; and a table has a number below its header:
    // a column of text with commas in it, "Pump noisy, checked", has no header there)
    if (j + 1 >= lines.size() ||
        std::none_of(lines.begin(), lines.begin() + long(j), [&](std::string_view l) { return line_fields(l, sep).filled > 0; }) ||
        std::none_of(lines.begin() + long(j) + 1, lines.end(), holds_number))
      return 0;
  }
  count = j;
  size_t length = 0;
  for (size_t i = 0; i < j; ++i) length += lines[i].size();
  return length;
}

}  // namespace

bool space_aligned(std::string_view text) { return aligned_table(text).columns() > 0; }

// A cell's spaces at either end, also the no-break ones French and Swiss formats put before "%".
static std::string_view trim_all_spaces(std::string_view s) {
  static const std::string_view kSpaces[] = {" ", "\t", "\xC2\xA0", "\xE2\x80\xAF", "\xE2\x80\x89"};
  for (bool more = true; more;) {
    more = false;
    for (std::string_view sp : kSpaces) {
      if (s.substr(0, sp.size()) == sp) s.remove_prefix(sp.size()), more = true;
      if (s.size() >= sp.size() && s.substr(s.size() - sp.size()) == sp) s.remove_suffix(sp.size()), more = true;
    }
  }
  return s;
}

Affixed split_affixes(std::string_view cell) {
  std::string_view s = trim_all_spaces(cell);
  Affixed out;
  // A sign or brackets around the whole of it: "-$3.50", "−€ 2", "($3.50)", "(5%)".
  if (s.size() >= 3 && s.front() == '(' && s.back() == ')') {
    s = trim_all_spaces(s.substr(1, s.size() - 2)), out.negative = true;
  } else if (s.size() >= 2 && (s[0] == '-' || s.substr(0, 3) == "\xE2\x88\x92")) {
    const size_t sign = s[0] == '-' ? 1 : 3;
    if (sign < s.size() && !(s[sign] >= '0' && s[sign] <= '9') && s[sign] != '.' && s[sign] != ',')
      s = trim_all_spaces(s.substr(sign)), out.negative = true;
  }
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  // A number starts with a digit, a sign, a bracket, or a mark followed by a digit (".5"; not "Fr.").
  size_t a = 0;
  while (a < s.size() && !digit(s[a]) && s[a] != '-' && s[a] != '+' && s[a] != '(' &&
         !((s[a] == '.' || s[a] == ',') && a + 1 < s.size() && digit(s[a + 1])) && s.substr(a, 3) != "\xE2\x88\x92")
    ++a;
  size_t b = s.size();
  while (b > a && !digit(s[b - 1]) && s[b - 1] != ')') --b;
  out.prefix = trim_all_spaces(s.substr(0, a)), out.number = s.substr(a, b - a), out.suffix = trim_all_spaces(s.substr(b));
  out.attached = b < s.size() && out.suffix.size() == s.size() - b;  // "12A", not "12 A"
  // A minus after the number with its unit, as SAP writes amounts and quantities ("3.543,24- €",
  // "4.275,64 €-", "$189.31-", "16- ST"), when the number has a decimal mark or groups, or a unit
  // (a bare "2-" may be a grade).
  std::string_view& u = out.suffix;
  if (!out.negative && !u.empty() && (u.front() == '-' || u.back() == '-')) {
    const std::string_view rest = trim_all_spaces(u.front() == '-' ? u.substr(1) : u.substr(0, u.size() - 1));
    if (out.number.find_first_of(".,") != std::string_view::npos ? u.size() >= 2 || !out.prefix.empty()
                                                                 : !rest.empty() || !out.prefix.empty()) {
      u = rest;
      out.negative = true, out.attached = false;
    }
  }
  return out;
}

bool plausible_unit(const Affixed& a) {
  static const std::set<std::string_view> kCurrencies = {
      "$", "\xE2\x82\xAC", "\xC2\xA3", "\xC2\xA5", "\xE2\x82\xB9", "US$", "R$", "CHF", "EUR", "USD", "GBP", "JPY",
      "SEK", "NOK", "DKK", "PLN", "CZK", "CAD", "AUD", "Fr.", "kr", "z\xC5\x82", "INR", "Rs", "Rs.", "PKR", "BDT", "Tk",
      "NPR", "LKR", "CNY", "RMB", "HKD", "SGD", "NZD", "ZAR", "BRL", "MXN", "TRY", "RUB", "KRW", "\xE2\x82\xA9"};
  // Written against the number ("12kg", "5%"), only these: "12A" or "7B" are more often codes.
  static const std::set<std::string_view> kAttached = {
      "%", "\xE2\x80\xB0", "\xC2\xB0", "\xC2\xB0" "C", "\xC2\xB0" "F", "kg", "g", "mg", "\xC2\xB5" "g", "t", "km", "m",
      "cm", "mm", "\xC2\xB5" "m", "nm", "s", "ms", "\xC2\xB5" "s", "ns", "min", "h", "Hz", "kHz", "MHz", "GHz", "V", "mV",
      "kV", "W", "kW", "MW", "Wh", "kWh", "MWh", "mA", "Pa", "hPa", "kPa", "MPa", "bar", "mbar", "l", "L", "ml", "mL",
      "J", "kJ", "dB", "px", "kB", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "rpm", "m\xC2\xB2", "m\xC2\xB3", "km/h", "m/s",
      "cl", "sec", "GWh", "k", "bn"};  // (the last two: counts written with a scale, "9.9k")
  const std::string_view prefix = a.prefix, suffix = a.suffix;
  if (prefix.empty() == suffix.empty()) return false;
  if (!prefix.empty()) return kCurrencies.count(prefix) > 0;
  if (kCurrencies.count(suffix)) return true;
  if (a.attached) return kAttached.count(suffix) > 0;
  if (suffix == "%" || suffix == "\xE2\x80\xB0") return true;
  if (suffix.size() > 8) return false;
  static const std::string_view kSigns[] = {"\xC2\xB0", "\xC2\xB5", "\xC2\xB2", "\xC2\xB3", "\xCE\xA9"};  // ° µ ² ³ Ω
  bool letter = false;
  for (size_t i = 0; i < suffix.size();) {
    const char c = suffix[i];
    if (std::isalpha(static_cast<unsigned char>(c))) {
      letter = true, ++i;
      continue;
    }
    if ((c == '/' && i > 0) || (c == '.' && letter && i + 1 == suffix.size())) {  // "l/min"; "Mio.", "Stk."
      ++i;
      continue;
    }
    bool sign = false;
    for (std::string_view k : kSigns)
      if (suffix.substr(i, k.size()) == k) i += k.size(), sign = true;
    if (!sign) return false;
  }
  return letter || suffix == "\xC2\xB0";
}

namespace {
// A cell written as a plain decimal number -- an optional '-', digits, maybe the decimal mark and
// digits ("-0.123", "42", "7,25" where ',' is the mark), at most 15 digits -- read at once, as the
// full reading below would read it: the digits as an integer and a power of ten up to 1e15 are
// exact doubles, so one division gives the correctly rounded value, strtod's (Clinger's fast path).
// False for anything else (spaces, signs written otherwise, groups, exponents): the full reading.
bool plain_decimal(std::string_view s, char decimal, double& value) {
  static constexpr double kPowers[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  if (decimal != '.' && decimal != ',') return false;  // (a caller's format of other marks: the full reading)
  const bool negative = !s.empty() && s[0] == '-';
  uint64_t digits = 0;
  int count = 0, decimals = -1;  // -1: no mark yet
  for (size_t i = negative ? 1 : 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      if (++count > 15) return false;
      digits = digits * 10 + uint64_t(c - '0');
      decimals += decimals >= 0;
    } else if (c == decimal && decimals < 0 && count > 0) {
      decimals = 0;
    } else {
      return false;
    }
  }
  if (count == 0 || decimals == 0) return false;  // ("-", "5.": the full reading)
  value = double(digits) / kPowers[decimals < 0 ? 0 : decimals];
  if (negative) value = -value;
  return true;
}
}  // namespace

bool parse_any_number(std::string_view cell, double& value, const NumberFormat& format) {
  if (plain_decimal(cell, format.decimal, value)) return true;
  std::string signed_buffer, buffer;
  const std::string_view s = without_space_groups(ascii_minus(without_text_mark(trim_spaces(cell)), signed_buffer), buffer);
  if (format.decimal == '.' && strtod_whole(s, value)) return true;
  if (format.decimal == '.' && format.thousands == 0) return false;
  // [sign] integer part (digits, maybe grouped) [decimal mark, digits] [exponent]
  size_t i = 0;
  std::string plain;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) plain += s[i++];
  const size_t e = s.find_first_of("eE", i);  // "6,21E+03", "1E-2": the exponent, checked by strtod
  const std::string_view mantissa = s.substr(i, e == std::string_view::npos ? std::string_view::npos : e - i);
  const std::string_view exponent = e == std::string_view::npos ? std::string_view() : s.substr(e);
  const size_t mark = mantissa.find(format.decimal);
  std::string_view integer = mantissa.substr(0, mark);
  std::string_view fraction = mark == std::string_view::npos ? std::string_view() : mantissa.substr(mark + 1);
  if (!exponent.empty() && mantissa.empty()) return false;
  if (grouped(integer, format.thousands) && exponent.empty()) {  // no "1.234e3": grouped digits take no exponent
    for (char c : integer)
      if (c != format.thousands) plain += c;
  } else if (all_digits(integer) || (integer.empty() && !fraction.empty())) {
    plain += integer;
  } else {
    return false;
  }
  if (mark != std::string_view::npos) {
    if (!fraction.empty() && !all_digits(fraction)) return false;
    plain += '.';
    plain += fraction;
  }
  plain += exponent;
  return strtod_whole(plain, value);
}

bool parse_number(std::string_view cell, double& value, const NumberFormat& format) {
  return parse_any_number(cell, value, format) && std::isfinite(value);
}

namespace {
// What one cell tells of the number format. A mark that can only be a decimal mark ("21,40": a
// comma followed by other than three digits; "2.5"), or only a group separator ("1,234,567";
// "4,597.76": both; "1.234,5"). Cells like "1,234" or "1.234" could be either and decide nothing.
struct MarkEvidence {
  bool comma_decimal = false, dot_decimal = false, comma_groups = false, dot_groups = false;
  bool comma_either = false, dot_either = false;
};

// A number cell as mark_evidence reads it: without a text mark, a unit ("10,6 %"), spaces that
// group digits and the sign; empty unless it then starts with a digit.
std::string_view unsigned_number(std::string_view cell, std::string& signed_buffer, std::string& buffer) {
  cell = without_text_mark(trim_spaces(cell));
  if (const Affixed a = split_affixes(cell); plausible_unit(a)) cell = a.number;
  std::string_view v = without_space_groups(ascii_minus(cell, signed_buffer), buffer);
  if (!v.empty() && (v[0] == '-' || v[0] == '+')) v.remove_prefix(1);
  if (v.empty() || !(v[0] >= '0' && v[0] <= '9')) return {};
  return v;
}

MarkEvidence mark_evidence(std::string_view cell) {
  MarkEvidence e;
  std::string signed_buffer, buffer;
  const std::string_view v = unsigned_number(cell, signed_buffer, buffer);
  if (v.empty()) return e;
  const size_t comma = v.rfind(','), dot = v.rfind('.');
  if (comma == std::string_view::npos && dot == std::string_view::npos) return e;
  if (comma != std::string_view::npos && dot != std::string_view::npos) {
    // Both: the last one is the decimal mark, the other groups.
    if (dot > comma && grouped(v.substr(0, dot), ',') && all_digits(v.substr(dot + 1))) e.comma_groups = e.dot_decimal = true;
    if (comma > dot && grouped(v.substr(0, comma), '.') && all_digits(v.substr(comma + 1))) e.dot_groups = e.comma_decimal = true;
    return e;
  }
  const char mark = comma != std::string_view::npos ? ',' : '.';
  const size_t at = mark == ',' ? comma : dot;
  const std::string_view before = v.substr(0, at), after = v.substr(at + 1);
  const size_t exponent = after.find_first_of("eE");
  const std::string_view fraction = after.substr(0, exponent);
  if (!all_digits(fraction)) return e;
  if (std::count(v.begin(), v.end(), mark) > 1) {
    // "1.234.567"; not an IPv4 address ("192.168.100.200": four groups, none above 255)
    const bool address = mark == '.' && std::count(v.begin(), v.end(), '.') == 3 && [&] {
      for (size_t at = 0; at <= v.size(); at = v.find('.', at) + 1) {
        if (std::atoi(std::string(v.substr(at, v.find('.', at) - at)).c_str()) > 255) return false;
        if (v.find('.', at) == std::string_view::npos) break;
      }
      return true;
    }();
    if (grouped(v, mark) && !address) (mark == ',' ? e.comma_groups : e.dot_groups) = true;
    return e;
  }
  if (!all_digits(before)) return e;
  // A group of three after a first group of 1-3 digits that does not start with 0 ("0,165" is no
  // grouped number).
  const bool could_group = fraction.size() == 3 && before.size() <= 3 && before[0] != '0' && exponent == std::string_view::npos;
  if (!could_group) (mark == ',' ? e.comma_decimal : e.dot_decimal) = true;
  else (mark == ',' ? e.comma_either : e.dot_either) = true;
  return e;
}
}  // namespace

std::vector<std::string> name_words(const std::string& name) {
  std::vector<std::string> words{""};
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    const bool camel = i > 0 && std::isupper(c) && std::islower(static_cast<unsigned char>(name[i - 1]));
    if (c == '#') words.push_back("#"), words.emplace_back();
    else if (std::isalnum(c) || c >= 0x80) {
      if (camel && !words.back().empty()) words.emplace_back();
      words.back() += char(std::tolower(c));
    } else if (!words.back().empty()) {
      words.emplace_back();
    }
  }
  words.erase(std::remove(words.begin(), words.end(), std::string()), words.end());
  return words;
}

bool named_like_a_version(const std::string& name) {
  const std::vector<std::string> words = name_words(name);
  // A measure of versions ("Version_count", "version_age_days", "Firmware_size_mb"): numbers.
  static const char* const kMeasures[] = {"count", "age", "days", "day", "size", "mb", "kb", "gb", "bytes", "len", "length",
                                          "duration", "time", "seconds", "sec", "ms", "mean", "avg", "average", "sum", "total",
                                          "rate", "pct", "percent", "ratio", "score", "anzahl", "alter", "tage", "dauer", "groesse",
                                          "größe"};
  for (const std::string& w : words)
    if (one_of(w, kMeasures)) return false;
  // What has a version: "Softwareversion", "FWVersion" run together; "fw_ver", "SW-Rev" apart.
  static const char* const kVersioned[] = {"software", "firmware", "sw", "fw", "os", "app", "bios", "kernel", "build", "release",
                                           "driver", "treiber", "api", "client", "server", "agent", "system", "product", "produkt",
                                           "program", "programm", "protocol", "protokoll", "schema", "hw", "hardware", "modul", "module"};
  static const char* const kAlone[] = {"sw", "fw", "build", "release", "kernel", "bios", "os", "ios", "android", "software"};
  const auto versioned = [](std::string_view w) { return one_of(w, kVersioned); };
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string_view w = words[i];
    if (w == "version" || w == "versionsnummer" || w == "firmware") return true;
    for (std::string_view end : {"version", "versionsnummer", "ver", "rev", "stand"})  // "Softwarestand"
      if (w.size() > end.size() && w.substr(w.size() - end.size()) == end && versioned(w.substr(0, w.size() - end.size())))
        return true;
    if (i + 1 < words.size() && versioned(w) &&
        (words[i + 1] == "ver" || words[i + 1] == "rev" || words[i + 1] == "vers" || words[i + 1] == "stand"))
      return true;
  }
  // A name that is only the word: "SW", "FW", "Build", "Release", "Kernel", "iOS" (not
  // "release_price", "FW (g)").
  std::string whole;  // the words run together: "iOS" is one
  for (const std::string& w : words) whole += w;
  return one_of(whole, kAlone);
}

bool version_like(std::string_view cell) {
  const size_t point = cell.find('.');
  return point != std::string_view::npos && point >= 1 && point <= 4 && cell.size() - point - 1 >= 1 && cell.size() - point - 1 <= 3 &&
         all_digits(cell.substr(0, point)) && all_digits(cell.substr(point + 1));
}

namespace {
// Named like a time of day: a word of the name is "time", ends in "zeit", or is a word for a time
// of day, a start or an end ("Uhrzeit", "Startzeit", "start_time", "Beginn", "von", "bis",
// "Kommt"); not with a unit of a duration ("Zeit [s]", "time_min": seconds, minutes).
bool named_like_a_time(const std::string& name) {
  static const char* const kWords[] = {"zeit", "uhrzeit", "uhr", "time", "heure", "hora", "ora", "orario", "tijd", "tid", "czas",
                                       "beginn", "begin", "ende", "end", "start", "stop", "von", "bis", "kommt", "geht", "ankunft",
                                       "abfahrt", "anfang", "schluss", "arrival", "departure", "finish", "debut", "fin"};
  static const char* const kUnits[] = {"s", "sec", "secs", "seconds", "sek", "sekunden", "ms", "min", "mins", "minutes", "minuten",
                                       "h", "hrs", "hours", "std", "stunden", "dauer", "duration"};
  const std::vector<std::string> words = name_words(name);
  bool time = false;
  for (const std::string& w : words) {
    if (one_of(w, kUnits)) return false;
    time = time || one_of(w, kWords);
    time = time || (w.size() > 4 && std::string_view(w).substr(w.size() - 4) == "zeit");  // German compounds
  }
  return time;
}
}  // namespace

std::vector<MarkedCodes> marked_code_columns(const CsvTable& table) {
  std::vector<MarkedCodes> kinds(table.column_count(), MarkedCodes::none);
  const auto month_year = [](std::string_view v) {
    if (v.size() != 7 || v[2] != '.' || !all_digits(v.substr(0, 2)) || !all_digits(v.substr(3))) return false;
    const int month = (v[0] - '0') * 10 + (v[1] - '0'), year = std::atoi(std::string(v.substr(3)).c_str());
    return month >= 1 && month <= 12 && year >= 1900 && year <= 2099;
  };
  const auto clock = [](std::string_view v) {  // "7.05", "17.30"
    const size_t point = v.find('.');
    if (point == std::string_view::npos || point < 1 || point > 2 || v.size() != point + 3 || !all_digits(v.substr(0, point)) ||
        !all_digits(v.substr(point + 1)))
      return false;
    return std::atoi(std::string(v.substr(0, point)).c_str()) <= 23 && std::atoi(std::string(v.substr(point + 1)).c_str()) <= 59;
  };
  const auto year_number = [](std::string_view v) {  // "2023.001"
    if (v.size() < 8 || v[4] != '.' || !all_digits(v.substr(0, 4)) || !all_digits(v.substr(5))) return false;
    const int year = std::atoi(std::string(v.substr(0, 4)).c_str());
    return year >= 1900 && year <= 2099;
  };
  for (size_t c = 0; c < table.column_count(); ++c) {
    const std::string& name = table.header[c];
    const bool version = named_like_a_version(name), time = named_like_a_time(name);
    size_t months = 0, clocks = 0, years = 0, versions = 0, cells = 0;
    for (size_t r = 0; r < table.row_count() && r < 20000; ++r) {
      const std::string_view v = trim_spaces(table.cell(r, c));
      if (v.empty()) continue;
      ++cells;
      months += month_year(v), years += year_number(v);
      clocks += time && clock(v);
      versions += version && (all_digits(v) || version_like(v));
      if (months < cells && clocks < cells && years < cells && versions < cells) break;  // none holds for every cell
    }
    if (cells == 0) continue;
    if (months == cells) kinds[c] = MarkedCodes::months;
    else if (clocks == cells && cells >= 8) kinds[c] = MarkedCodes::clock_times;  // (8 seconds "12.45" all below .60: 1 in 60)
    else if (years == cells && cells >= 2) kinds[c] = MarkedCodes::year_numbers;
    else if (versions == cells && cells >= 2) kinds[c] = MarkedCodes::versions;
  }
  // Versions without a name telling so ("2.125.3", "1.10.0"): a cell of digits with two dots or
  // more that no thousands grouping reads, where such cells (read so or not) are 1 in 20 of the
  // column's and, but for a column mostly of them, 2 or more. One among numbers is a typo ("12.3.4",
  // "4..5") that training names, not a reason to read a column of measurements as codes.
  std::vector<size_t> versions(table.column_count(), 0), dotted(table.column_count(), 0), cells(table.column_count(), 0);
  for (size_t r = 0; r < table.row_count() && r < 20000; ++r)
    for (size_t c = 0; c < table.column_count(); ++c) {
      if (kinds[c] != MarkedCodes::none) continue;
      const std::string_view v = trim_spaces(table.cell(r, c));
      cells[c] += !v.empty();
      if (std::count(v.begin(), v.end(), '.') < 2 || !std::all_of(v.begin(), v.end(), [](char x) { return x == '.' || (x >= '0' && x <= '9'); }))
        continue;
      ++dotted[c];
      versions[c] += !grouped(v, '.');
    }
  for (size_t c = 0; c < table.column_count(); ++c)
    if (kinds[c] == MarkedCodes::none && versions[c] >= 1 && dotted[c] * 20 >= cells[c] && (versions[c] >= 2 || dotted[c] * 2 >= cells[c]))
      kinds[c] = MarkedCodes::versions;
  return kinds;
}

namespace {
std::vector<bool> dotted_code_columns(const CsvTable& table, const std::vector<bool>* skip = nullptr) {  // and `skip`'s
  std::vector<bool> dotted;
  for (const MarkedCodes kind : marked_code_columns(table)) dotted.push_back(kind != MarkedCodes::none);
  if (skip)
    for (size_t c = 0; c < dotted.size() && c < skip->size(); ++c) dotted[c] = dotted[c] || (*skip)[c];
  return dotted;
}

// magnitude_votes of the columns `dotted` does not mark.
std::vector<MagnitudeVote> votes_of(const CsvTable& table, const std::vector<bool>& dotted, const NumberFormat* decimals_read_as = nullptr);
}  // namespace

std::vector<MagnitudeVote> magnitude_votes(const CsvTable& table, const std::vector<bool>* skip, const NumberFormat* decimals_read_as) {
  return votes_of(table, dotted_code_columns(table, skip), decimals_read_as);
}

namespace {
std::vector<MagnitudeVote> votes_of(const CsvTable& table, const std::vector<bool>& dotted, const NumberFormat* decimals_read_as) {
  std::vector<MagnitudeVote> votes;
  for (size_t c = 0; c < table.column_count(); ++c) {
    if (dotted[c]) continue;
    // log10 of the open cells read with the mark grouping, of the whole numbers, of the numbers with
    // decimals (decimals_read_as)
    std::vector<double> open, whole, decimals;
    MagnitudeVote vote;
    vote.column = c;
    size_t decimals_row = 0;
    bool both_marks = false, big_whole = false, big_decimal = false, trailing_zero = false;
    for (size_t r = 0; r < table.row_count() && r < 20000; ++r) {
      std::string signed_buffer, buffer;
      const std::string_view v = unsigned_number(table.cell(r, c), signed_buffer, buffer);
      if (v.empty()) continue;
      if (all_digits(v)) {
        const double x = std::strtod(std::string(v).c_str(), nullptr);
        if (x == 0) continue;  // 0 is as small read either way
        if (whole.empty()) vote.whole_row = r;
        whole.push_back(std::log10(x));
        big_whole = big_whole || x >= 1000;
        continue;
      }
      const MarkEvidence e = mark_evidence(table.cell(r, c));
      if (!e.dot_either && !e.comma_either) {
        double x = 0;
        if (decimals_read_as && (e.dot_decimal || e.comma_decimal) && parse_number(v, x, *decimals_read_as) && x > 0) {
          if (decimals.empty()) decimals_row = r;
          decimals.push_back(std::log10(x));
          big_decimal = big_decimal || x >= 1000;  // ("1013.2" beside "1.016": the mark groups nothing there)
        }
        continue;
      }
      const char mark = e.dot_either ? '.' : ',';
      if (vote.mark != 0 && vote.mark != mark) both_marks = true;
      if (open.empty()) vote.open_row = r, vote.mark = mark;
      std::string digits(v);
      if (!trailing_zero && v[v.find(mark) + 3] == '0') trailing_zero = true, vote.zero_row = r;
      digits.erase(std::remove(digits.begin(), digits.end(), mark), digits.end());
      open.push_back(std::log10(std::strtod(digits.c_str(), nullptr)));
    }
    if (whole.empty() && decimals.size() >= 2) {  // (a column of decimals and open cells)
      whole = std::move(decimals);
      vote.whole_row = decimals_row;
      vote.by_decimals = true;
      trailing_zero = false;  // (a writer of decimals may write "1.500": a trailing zero tells nothing then)
      big_whole = big_decimal;
    }
    if (open.empty() || whole.empty() || both_marks) continue;
    vote.open_cells = open.size();
    const auto median = [](std::vector<double>& x) {
      std::nth_element(x.begin(), x.begin() + long(x.size() / 2), x.end());
      return x[x.size() / 2];
    };
    const double gap = median(open) - median(whole);  // in decades: about 0 when the mark groups, 3 when it is a decimal mark
    vote.by_trailing_zero = trailing_zero && gap > 1.25;
    if ((trailing_zero || gap <= 1.25) && !big_whole) vote.groups = true;
    else if (!trailing_zero && gap > 2.5) vote.groups = false;
    else continue;
    votes.push_back(vote);
  }
  return votes;
}
}  // namespace

char magnitude_decision(const std::vector<MagnitudeVote>& votes) {
  int64_t comma_votes = 0, dot_votes = 0;  // columns whose sizes tell a decimal comma, a decimal point
  for (const MagnitudeVote& v : votes) ((v.mark == '.') == v.groups ? comma_votes : dot_votes) += 1;
  return comma_votes > dot_votes ? ',' : dot_votes > comma_votes ? '.' : 0;
}

NumberFormat detect_number_format(const CsvTable& table, bool* guessed, const std::vector<bool>* skip) {
  const std::vector<bool> dotted = dotted_code_columns(table, skip);
  int64_t comma_decimal = 0, dot_decimal = 0, comma_groups = 0, dot_groups = 0, comma_either = 0, dot_either = 0;
  int64_t for_comma = 0, for_dot = 0;  // cells that tell a decimal comma ("21,40", "1.234.567"), a decimal point
  // The first 20,000 rows, and on while no cell has told either mark (a file of "1.016" whose
  // first "1.012,5" is on line 30,000).
  for (size_t r = 0; r < table.row_count() && (r < 20000 || (for_comma + for_dot == 0 && comma_either + dot_either > 0)); ++r)
    for (size_t c = 0; c < table.column_count(); ++c) {
      if (dotted[c]) continue;
      const MarkEvidence e = mark_evidence(table.cell(r, c));
      comma_decimal += e.comma_decimal, dot_decimal += e.dot_decimal, comma_groups += e.comma_groups;
      dot_groups += e.dot_groups, comma_either += e.comma_either, dot_either += e.dot_either;
      for_comma += e.comma_decimal || e.dot_groups, for_dot += e.dot_decimal || e.comma_groups;
    }
  if (guessed)
    *guessed = comma_decimal == 0 && dot_decimal == 0 && comma_groups == 0 && dot_groups == 0 &&
               (comma_either > 0 || dot_either > 0);
  NumberFormat f;
  if (for_comma + for_dot == 0 && (comma_either > 0 || dot_either > 0)) {
    // Only cells that read either way: the sizes of the numbers beside them decide, where a column
    // holds whole numbers too ("1.016" beside "993" hPa: '.' groups thousands).
    if (const char decided = magnitude_decision(votes_of(table, dotted))) {
      if (decided == ',') f.decimal = ',', f.thousands = '.';
      else if (comma_either > 0) f.thousands = ',';
      return f;
    }
  }
  // Only "1,234"- or "1.234"-like cells and no column's sizes tell: in a ';'-separated file (what spreadsheets write where the
  // comma is the decimal mark) the comma is a decimal mark and the dot groups thousands ("1.016"
  // hPa is 1016); elsewhere the comma groups thousands and the dot is a decimal mark.
  const bool either_is_decimal = table.separator == ';' && comma_groups == 0 && dot_decimal == 0;
  // (As many cells telling either mark: the separator decides, as it does for cells that tell none.)
  if (for_comma > for_dot || (for_comma == for_dot && table.separator == ';' && for_comma > 0) ||
      ((comma_either > 0 || dot_either > 0) && for_comma == 0 && either_is_decimal)) {
    f.decimal = ',';
    f.thousands = '.';  // only ever applied to well-formed groups of three
  } else if (comma_groups > 0 || (comma_either > 0 && comma_decimal == 0)) {
    f.thousands = ',';  // "1,234" in a ','-separated file without decimal commas: a group separator
  }
  return f;
}

NumberFormat number_format_named(std::string_view decimal_mark) {
  if (decimal_mark == ",") return NumberFormat{',', '.'};
  if (decimal_mark == ".") return NumberFormat{'.', ','};
  throw Error(detail::concat("the decimal mark is ',' or '.', not '", decimal_mark, "'"));
}

std::optional<std::pair<size_t, size_t>> number_format_evidence(const CsvTable& table) {
  return number_format_evidence(table, table.numbers.decimal);
}

std::optional<std::pair<size_t, size_t>> number_format_evidence(const CsvTable& table, char decimal) {
  std::vector<size_t> columns;  // as detect_number_format looks at them
  const std::vector<bool> dotted = dotted_code_columns(table);
  for (size_t c = 0; c < table.column_count(); ++c)
    if (!dotted[c]) columns.push_back(c);
  return number_format_evidence(table, decimal, columns);
}

std::optional<std::pair<size_t, size_t>> number_format_evidence(const CsvTable& table, char decimal,
                                                                const std::vector<size_t>& columns) {
  const bool comma = decimal == ',';
  for (size_t r = 0; r < table.row_count(); ++r)
    for (size_t c : columns) {
      const MarkEvidence e = mark_evidence(table.cell(r, c));
      if (comma ? e.comma_decimal || e.dot_groups : e.dot_decimal || e.comma_groups) return std::pair{r, c};
    }
  return std::nullopt;
}

namespace {
// What a file that is not text is, by its first bytes, and what to do: the tail of a message after
// "this is not a CSV table (text) but", or "" when unknown. (Images: images.h's image_kind.)
std::string binary_kind_said(std::string_view b) {
  if (b.starts_with("PK\x03\x04"))
    return "a ZIP archive (an Excel .xlsx or OpenDocument .ods workbook is one): open it and save the sheet as CSV";
  if (b.starts_with("\xD0\xCF\x11\xE0")) return "an Excel workbook of the old format (.xls): open it and save the sheet as CSV";
  if (b.starts_with("%PDF")) return "a PDF document: export its table as CSV from the program that made it";
  if (b.starts_with("\x1F\x8B")) return "a gzip-compressed file: decompress it first (gunzip FILE)";
  if (b.starts_with("CA3MODEL")) return "a CA3 model file: give it as the model (--model), and a CSV table as the data";
  if (b.starts_with("SQLite format 3")) return "an SQLite database: export the table as CSV";
  if (b.starts_with("PAR1")) return "a Parquet file: write it as CSV (pandas: pd.read_parquet(f).to_csv('out.csv', index=False))";
  if (b.starts_with("\x89PNG") || b.starts_with("\xFF\xD8\xFF") || b.starts_with("GIF8") ||
      b.starts_with(std::string_view("II*\0", 4)) || b.starts_with(std::string_view("MM\0*", 4)) ||
      (b.starts_with("RIFF") && b.size() >= 12 && b.substr(8, 4) == "WEBP"))
    return "an image: a table model scores CSV tables, an image model images";
  return "";
}
}  // namespace

CsvTable parse_csv(std::string_view bytes, const CsvOptions& options) {
  const DecodedText decoded = options.encoding ? DecodedText{bytes, std::nullopt, *options.encoding} : decode_text(bytes);
  std::string_view text = decoded.text();
  if (const size_t end = text.find_last_not_of("\r\n"); end != std::string_view::npos && text[end] == '\x1A')
    text = text.substr(0, end);  // DOS's end-of-file mark (Ctrl-Z) after the last line
  CA3_CHECK(!text.empty(), "CSV file is empty");
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
    // (a file of a kind known by its first bytes is said as that kind: the line of its first NUL byte means nothing)
    const int64_t line = 1 + std::count(text.begin(), text.begin() + long(nul), '\n');
    const std::string kind = binary_kind_said(bytes.substr(0, 64));
    throw Error(ErrorCode::unsupported_file, kind.empty() ? detail::concat("CSV line ", line, ": contains a NUL byte (this is not a text file)")
                                                          : "this is not a CSV table (text) but " + kind);
  }
  CsvTable table;
  table.encoding = decoded.encoding;
  int64_t skipped_lines = 0;  // comment lines and a "sep=" line before the header
  for (size_t length = comment_line_length(text, false); length > 0; length = comment_line_length(text, table.comment_lines > 0)) {
    if (text[0] == '#' && table.comment_lines++ == 0)
      table.first_comment = std::string(trim_spaces(text.substr(0, text.find_first_of("\r\n"))));
    text.remove_prefix(length);
    ++skipped_lines;
  }
  CA3_CHECK(!text.empty(), "CSV file holds only comment lines ('#' first), no header and no rows");
  char named_separator = options.separator;
  if (size_t length = 0; !options.separator && excel_separator_line(text, length)) {
    named_separator = excel_separator_line(text, length);
    text.remove_prefix(length);
    ++skipped_lines;
  }
  if (size_t titles = 0, length = options.header_first ? 0 : title_lines_length(text, named_separator, titles); length > 0) {
    table.title_lines = titles;
    table.first_title = trim_spaces(text.substr(0, text.find_first_of("\r\n")));
    text.remove_prefix(length);
    skipped_lines += int64_t(titles);
  }
  table.separator = named_separator ? named_separator : space_aligned(text) ? ' ' : detect_separator(text);
  // Columns aligned with spaces: read as the tab-separated table they are (kept alive here); a
  // header of tabs alone is one already (write_csv writes such a table so).
  const bool tabs_only = table.separator == ' ' && aligned_header(text.substr(0, text.find_first_of("\r\n"))).columns() == 0 &&
                         text.substr(0, text.find_first_of("\r\n")).find('\t') != std::string_view::npos;
  const std::string tabbed = table.separator == ' ' && !tabs_only ? spaces_as_tabs(text) : std::string();
  if (table.separator == ' ' && !tabs_only) text = tabbed;
  const char sep = table.separator == ' ' ? '\t' : table.separator;

  std::vector<std::string> header;  // the first record's fields
  std::string field;
  size_t record_fields = 0;         // fields of the current record so far
  size_t record_empty_after = 0;    // of them, empty ones after the last named column (no cells)
  bool record_has_value = false;    // a field of the current record holds more than spaces
  int64_t line = 1, record_line = 1;
  size_t record_start = 0;  // where the record being read starts in `text`
  // The record's first line as read, for a message about its quotes.
  auto record_text = [&]() {
    const std::string_view rest = text.substr(record_start);
    return shortened(rest.substr(0, rest.find_first_of("\r\n")), 60);
  };
  auto file_line = [&](int64_t l) { return skipped_lines + (l == 1 ? l : l - 2 + options.first_data_line); };
  bool in_quotes = false, field_was_quoted = false, record_has_content = false;
  // Lines whose field count differs from the header's: all said at once, the first in full (a file
  // exported with a stray separator usually has many such lines, and one run should find them all).
  std::string first_shape_problem;
  std::vector<std::string> shape_lines;  // the others: "7 (4 fields)", the first 10
  size_t shape_problems = 0;
  auto shape_message = [&]() {
    if (shape_problems <= 1) return first_shape_problem;
    if (shape_problems == 2)
      return detail::concat(first_shape_problem, ". Line ", shape_lines[0], " differs from the header's ", table.header.size(), " fields too");
    return detail::concat(first_shape_problem, ". In all, ", shape_problems, " lines differ from the header's ", table.header.size(),
                          " fields; the others: ", lines_listed(shape_lines, 10, shape_problems - 1));
  };
  // A problem that stops reading: after the lines of the wrong length found before it.
  auto fail = [&](const std::string& problem) {
    if (shape_problems == 0) throw Error(problem);
    throw Error(detail::concat(shape_message(), ". Further on, ", problem));
  };

  // A comment line among the rows: counted, its first said (line and text).
  auto comment = [&](int64_t at, std::string_view whole) {
    if (table.first_comment_line == 0) table.first_comment_line = file_line(at);
    if (table.comment_row_count++ < CsvTable::kCommentLinesKept) table.comment_row_lines.push_back(file_line(at));
    if (table.comment_lines++ == 0) table.first_comment = std::string(trim_spaces(whole));
  };
  auto end_field = [&]() {
    const bool blank = field.find_first_not_of(" \t") == std::string::npos;
    if (!table.header.empty() && record_fields >= table.header.size()) {
      // A field after the line's last named column: empty, it is no cell (the header, or only
      // the lines, end with a separator); with a value, the line has more fields than names.
      if (!blank && table.trailing_separators > 0)
        fail(detail::concat("CSV line ", file_line(record_line), ": '", field,
                            "' stands after the last named column (the header ends with the separator, so the column after it has no "
                            "name): name that column in the header"));
      if (blank) {
        field.clear();
        field_was_quoted = false;
        ++record_fields, ++record_empty_after;
        return;
      }
    }
    if (!blank) record_has_value = true;
    if (table.header.empty()) header.push_back(std::move(field));
    else table.append_cell(field);
    field.clear();
    field_was_quoted = false;
    ++record_fields;
  };
  bool at_end = false;
  bool last_line = false;  // the record ends with the file's last line end (nothing but blanks after it)
  auto end_record = [&]() {
    const bool blank = record_fields == 0 && field.empty() && !record_has_content;
    if (blank && !table.header.empty()) table.empty_row_lines.push_back(file_line(record_line));  // counted
    if (!blank) {
      end_field();
      if (table.header.empty() && !record_has_value) {
        // Only separators before the header (",,,"), as a spreadsheet's empty top rows: skipped.
        header.clear();
      } else if (table.header.empty()) {
        while (header.size() > 1 && header.back().find_first_not_of(" \t") == std::string::npos) {  // "a;b;c;" or "a;b;c;;"
          header.pop_back();
          ++table.trailing_separators;
        }
        // numpy's savetxt (and R's write.table with a comment) writes "# " before the header's
        // first name ("# temp,pressure"): not part of the name ("# of visits" is a name).
        if (const std::string_view first = header[0]; first.size() > 2 && first.substr(0, 2) == "# " &&
                                                       trim_spaces(first.substr(2)).substr(0, 3) != "of ") {
          table.commented_header = header[0];
          header[0] = std::string(trim_spaces(first.substr(2)));
        }
        // A first line of measurements, not names ("9.86,19.65,4.94,A"): numbers with a decimal
        // mark, not in order (column names that are numbers, such as wavelengths, are).
        // Day.month names ("27.02", a timesheet's days) are names.
        std::vector<double> numbered;
        bool fraction = false;
        for (const std::string& name : header) {
          double v;
          if (!number_name(name)) continue;
          if (!parse_number(name, v, NumberFormat{'.', 0})) parse_number(name, v, NumberFormat{',', 0});
          const std::string_view t = trim_spaces(name);
          const size_t mark = t.find_first_of(".,");
          const bool day_month = mark != std::string_view::npos && mark <= 2 && t.size() == mark + 3 && v >= 1 && v < 32 &&
                                 t.substr(mark + 1) >= "01" && t.substr(mark + 1) <= "12";
          numbered.push_back(v), fraction = fraction || (v != std::floor(v) && !day_month);
        }
        const bool ordered = std::is_sorted(numbered.begin(), numbered.end()) || std::is_sorted(numbered.rbegin(), numbered.rend());
        if (numbered.size() >= 3 && fraction && !ordered) {
          std::vector<std::string> shown;
          for (size_t i = 0; i < header.size() && i < 4; ++i) shown.push_back("'" + shortened(header[i]) + "'");
          throw Error(detail::concat("CSV line ", file_line(record_line), " holds numbers where the column names belong (",
                                     list_some(shown, 3), "): the file seems to have no header; add a first line that names the ",
                                     header.size(), " columns (such as 'length", sep, "width", sep, "...')"));
        }
        std::map<std::string, size_t> names;  // normalised name -> its column
        for (size_t i = 0; i < header.size(); ++i) {
          // A nameless column: a spacer when its cells are all empty too (checked once all are read).
          if (trim_spaces(header[i]).empty()) table.nameless_columns.push_back(i), header[i] = detail::concat("(column ", i + 1, ")");
          // Names that differ only in surrounding spaces or Unicode form are one name where columns
          // are matched (find_column): a model could not tell them apart when scoring.
          const auto [seen, first] = names.emplace(normalize_text(header[i]), i);
          if (!first) {
            const std::string& other = header[seen->second];
            CA3_CHECK(other != header[i], "CSV line ", file_line(record_line), ": two columns are named '", header[i],
                      "' (columns ", seen->second + 1, " and ", i + 1, "): rename one, so that each can be told apart");
            throw Error(detail::concat("CSV line ", file_line(record_line), ": two columns are named '", seen->first,
                                       "' ('", other, "' and '", header[i],
                                       "' differ only in spaces or in how their letters are encoded): rename one"));
          }
        }
        table.header = std::move(header);
        // Room for the rest: the cells' text is at most the file's; a cell per column and line,
        // and never more cells than bytes (each ends at a separator or a line end).
        const size_t lines = size_t(std::count(text.begin(), text.end(), '\n')) + 1;
        table.cells_.reserve(text.size());
        table.cell_ends_.reserve(std::min(lines * table.header.size(), text.size() + 1));
        table.row_lines_.reserve(lines);
      } else if (!record_has_value) {
        // Only separators (",,,"): no data. Skipped like a blank line, and counted.
        // every field but those after the last named column (end_field skips them) has a cell
        table.drop_cells(record_fields - record_empty_after);
        table.empty_row_lines.push_back(file_line(record_line));
      } else {
        const size_t first_cell = table.row_count() * table.header.size();
        const auto cell_text = [&](size_t k) {
          const size_t begin = k == 0 ? 0 : table.cell_ends_[k - 1];
          return std::string_view(table.cells_).substr(begin, table.cell_ends_[k] - begin);
        };
        // A comment line among the rows that is not '#' and a space (read whole above): '#' first
        // and not a row's shape ("#Zwischenstand"; a row may start with "#ff0000" or "#1023").
        const std::string_view lead = first_cell < table.cell_ends_.size() ? cell_text(first_cell) : std::string_view();
        if (table.header.size() >= 2 && lead.starts_with('#') && record_fields - record_empty_after != table.header.size()) {
          std::string whole;  // (the whole line, its separators too)
          for (size_t k = first_cell; k < table.cell_ends_.size(); ++k)
            whole += (k == first_cell ? "" : std::string(1, table.separator)) + std::string(cell_text(k));
          comment(record_line, whole);
          table.drop_cells(table.cell_ends_.size() - first_cell);
        } else {
          // A short line of one text in its first field, the others empty or left off
          // ("Quelle: ERP-Export;;;" under 6 columns, a footer; "Nord" alone, a group's heading):
          // its missing cells are empty, as a spreadsheet writes them (a footer is then left out as
          // a line of text alone, a heading read as its group's: tabular.h). Not a number, which may
          // be a line broken in two, nor a whole line quoted as one field, nor in a table of two
          // columns, where a line of text alone reads as a row.
          if (record_fields < table.header.size() && table.header.size() >= 3 && table.separator != ' ') {
            const std::string_view first = trim_spaces(cell_text(first_cell));
            bool rest_blank = true;
            for (size_t k = first_cell + 1; k < table.cell_ends_.size(); ++k) rest_blank = rest_blank && trim_spaces(cell_text(k)).empty();
            double number;
            if (rest_blank && !first.empty() && first.find(table.separator) == std::string_view::npos &&
                !parse_number(first, number, NumberFormat{'.', 0}) && !parse_number(first, number, NumberFormat{',', 0})) {
              while (record_fields < table.header.size()) table.append_cell(""), ++record_fields;
              if (table.short_lines++ == 0) table.first_short_line = file_line(record_line);
              if (table.short_line_numbers.size() < 1000) table.short_line_numbers.push_back(file_line(record_line));
            }
          }
          if (record_fields - record_empty_after != table.header.size()) {
          // The record as read, and what usually makes a row longer or shorter than the header.
          std::string shown;
          const char shown_sep = table.separator;  // spaces as the file has them
          for (size_t k = first_cell; k < table.cell_ends_.size(); ++k)
            shown += (k == first_cell ? "" : std::string(1, shown_sep)) + csv_field(cell_text(k), shown_sep);
          const bool more = record_fields > table.header.size();
          // A name alone on its line ("Nord"): a group's heading, written without the other columns
          // (not a number in either format, the file's being decided after the rows are read; not
          // a whole line quoted as one field).
          double number;
          const std::string_view alone = record_fields == 1 ? trim_spaces(cell_text(first_cell)) : std::string_view();
          const bool heading = !alone.empty() && table.separator != ' ' && alone.find(table.separator) == std::string_view::npos &&
                               !parse_number(alone, number, NumberFormat{'.', 0}) && !parse_number(alone, number, NumberFormat{',', 0});
          const std::string empty_cells = table.separator == '\t' ? detail::concat("' followed by ", table.header.size() - 1, " tabs")
                                                                  : std::string(table.header.size() - 1, table.separator) + "'";
          if (at_end && !more && !heading && table.separator != ' ') {
            // The last line, without a line end, shorter than the header: cut short, left out (said).
            table.cut_last_line = file_line(record_line), table.cut_last_fields = record_fields;
          } else if (shape_problems++ > 0) {
            if (shape_lines.size() < 10) shape_lines.push_back(detail::concat(file_line(record_line), " (", record_fields, record_fields == 1 ? " field)" : " fields)"));
          } else {
          first_shape_problem = detail::concat("CSV line ", file_line(record_line), ": ", record_fields, record_fields == 1 ? " field" : " fields",
                                     ", the header has ", table.header.size(), " ('", shortened(shown, 60), "'): ",
                                     heading ? detail::concat("a line with a name alone, such as a group's heading, needs the other "
                                                              "columns' separators: write it as '", shortened(std::string(alone), 30),
                                                              empty_cells, ", its first column empty in the group's rows "
                                                              "(then it is read as their group), or leave such lines out")
                                     : table.separator == ' '
                                         ? (more ? "the columns are aligned with spaces and split at each run of them: a value "
                                                   "that holds a space needs quotes around it"
                                                 : "the columns are aligned with spaces and split at each run of them: write a "
                                                   "missing value as NA, not as blanks")
                                     : more     ? "a value that holds the separator needs quotes around it"
                                     : last_line ? "the file's last line: if it was cut short (copied, or exported while still being "
                                                   "written), complete it or delete it; a missing value is an empty field, two "
                                                   "separators in a row"
                                                 : "a missing value is an empty field, two separators in a row");
          }
          table.drop_cells(table.cell_ends_.size() - first_cell);  // read on, to say every such line
          } else {
          if (record_empty_after > 0 && table.trailing_separators == 0 && table.lines_ending_with_separator++ == 0)
            table.first_line_ending_with_separator = file_line(record_line);
          table.end_row(file_line(record_line));
          }
        }
      }
    }
    record_fields = record_empty_after = 0;
    record_has_content = false;
    record_has_value = false;
  };

  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // '#' and a space first, after the header: a comment line, read as a whole (its quotes and
    // separators are text: "# the "new" sensor, installed").
    if (!in_quotes && table.header.size() >= 2 && record_fields == 0 && field.empty() && !record_has_content && !field_was_quoted &&
        comment_mark(text.substr(i))) {
      const size_t end = std::min(text.find_first_of("\r\n", i), text.size());
      comment(record_line, text.substr(i, end - i));
      i = end;
      if (i == text.size()) break;
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      record_line = line;
      record_start = i + 1;
      continue;
    }
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
    if (c == '"' && field == "=" && !field_was_quoted) {
      // Excel's ="0100", a formula that keeps a code's leading zero: the text in quotes
      field.clear();
      in_quotes = true, field_was_quoted = true, record_has_content = true;
    } else if (c == '"') {
      if (!field.empty() || field_was_quoted)
        fail(detail::concat("CSV line ", file_line(line), ": a quote inside an unquoted field ('", record_text(),
                            "'): quote the whole field and double the quotes inside it (\"12\"\" screen\")"));
      in_quotes = true, field_was_quoted = true, record_has_content = true;
    } else if (c == sep) {
      end_field();
      record_has_content = true;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      last_line = options.ends_file && text.find_first_not_of(" \t\r\n", i + 1) == std::string_view::npos;
      end_record();
      ++line;
      record_line = line;
      record_start = i + 1;
    } else {
      if (field_was_quoted)
        fail(detail::concat("CSV line ", file_line(line), ": text after a closing quote ('", record_text(),
                            "'): a field that holds a quote is quoted as a whole, its quotes doubled (\"12\"\" screen\")"));
      field += c;
      record_has_content = true;
    }
  }
  // A quoted field still open at the end of a last line with fewer fields than the header: the
  // line cut short, as one without its quote (left out, said).
  if (in_quotes && !table.header.empty() && record_fields + 1 < table.header.size() && table.separator != ' ' &&
      text.find_first_of("\r\n", record_start) == std::string_view::npos) {
    table.drop_cells(table.cell_ends_.size() - table.row_count() * table.header.size());
    table.cut_last_line = file_line(record_line), table.cut_last_fields = record_fields + 1;
    in_quotes = false, field.clear(), record_fields = 0, record_has_content = false, field_was_quoted = false;
  }
  if (in_quotes)
    fail(detail::concat("CSV line ", file_line(record_line), ": a quoted field is not closed before the end of the file ('", record_text(),
                        "'): a quote that opens a field needs one that closes it; a quote inside a field is doubled"));
  at_end = true;  // (a last line without a line end)
  if (!field.empty() || record_fields > 0 || record_has_content) end_record();
  if (shape_problems > 0) throw Error(shape_message());
  for (const size_t c : table.nameless_columns)  // a spacer only when it holds nothing
    for (size_t r = 0; r < table.row_count(); ++r)
      if (const std::string_view cell = table.cell(r, c); !trim_spaces(cell).empty())
        throw Error(detail::concat("CSV line ", table.row_line(r), ": '", shortened(cell), "' stands in column ", c + 1,
                                   ", which has no name in the header: give it one in the first line",
                                   c == 0 ? " (a first column of row numbers, as pandas' to_csv writes without index=False, "
                                            "named id is left out as an identifier)"
                                          : ""));
  CA3_CHECK(!table.header.empty(), "CSV file has no header row");
  if (table.row_count() == 0 && table.cut_last_line > 0 && !options.allow_no_rows) throw Error(only_line_cut(table));
  CA3_CHECK(table.row_count() > 0 || options.allow_no_rows, "CSV file has a header but no data rows",
            table.empty_row_lines.empty() ? "" : " (only empty lines or lines of separators)");
  table.numbers = options.numbers ? *options.numbers : detect_number_format(table, &table.numbers_guessed);
  table.numbers_named = options.numbers.has_value();
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

char digit_group_mark(const CsvTable& table) {
  const char mark = table.numbers.thousands;
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  char other = 0;  // a space or apostrophe group seen
  double value;
  for (size_t r = 0; r < table.row_count(); ++r)
    for (size_t c = 0; c < table.column_count(); ++c) {
      const std::string_view cell = trim_spaces(table.cell(r, c));
      if (cell.empty() || !parse_number(cell, value, table.numbers)) continue;
      if (mark != 0 && cell.find(mark) != std::string_view::npos) return mark;
      if (other != 0) continue;
      for (size_t i = 1; i + 1 < cell.size(); ++i) {
        // ' ', '\'', or a no-break space (U+00A0, U+202F) between two digits
        const size_t width = cell[i] == ' ' || cell[i] == '\'' ? 1
                             : cell.substr(i, 2) == "\xC2\xA0" ? 2
                             : cell.substr(i, 3) == "\xE2\x80\xAF" ? 3 : 0;
        if (width && digit(cell[i - 1]) && i + width < cell.size() && digit(cell[i + width])) {
          other = cell[i] == '\'' ? '\'' : ' ';
          break;
        }
      }
    }
  return other;
}

std::string write_csv(const CsvTable& table) {
  std::string out;
  auto write_row = [&](auto cell) {
    const size_t n = table.header.size();
    if (n == 1 && cell(0).empty()) {  // an empty line would be skipped as blank
      out += "\"\"\n";
      return;
    }
    const char sep = table.separator == ' ' ? '\t' : table.separator;  // columns aligned with spaces: with tabs
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) out += sep;
      out += csv_field(cell(i), sep);
    }
    out += '\n';
  };
  write_row([&](size_t c) { return std::string_view(table.header[c]); });
  for (size_t r = 0; r < table.row_count(); ++r) write_row([&](size_t c) { return table.cell(r, c); });
  return out;
}

// ---- CsvStream ----------------------------------------------------------------------------------

void CsvStream::push(std::string_view bytes) {
  CA3_CHECK(!finished_, "the CSV stream has been finished");
  pending_.append(bytes);
  // The encoding is decided on the first 4 KB (or all there is, at the end), as decode_text does
  // for a whole file.
  if (encoding_.empty() && pending_.size() < 4096) return;
  decode_pending(false);
}

void CsvStream::finish() {
  if (!finished_) decode_pending(true);
  if (const size_t end = text_.find_last_not_of("\r\n"); end != std::string::npos && text_[end] == '\x1A')
    text_.erase(end);  // DOS's end-of-file mark (Ctrl-Z) after the last line
  finished_ = true;
}

void CsvStream::decode_pending(bool last) {
  if (pending_.empty()) return;
  const size_t from = text_.empty() ? 0 : text_.size() - 1;  // a '\r' held back at the end of the last piece
  if (encoding_.empty()) {
    encoding_ = decode_text(std::string_view(pending_).substr(0, 1 << 16)).encoding;
    // The mark is no text (also before lines read as Windows-1252: "(after a UTF-8 byte-order mark)").
    if (encoding_.rfind("UTF-16", 0) != 0 && pending_.substr(0, 3) == "\xEF\xBB\xBF") pending_.erase(0, 3);
    if (encoding_.rfind("UTF-16", 0) == 0 && (pending_.substr(0, 2) == "\xFF\xFE" || pending_.substr(0, 2) == "\xFE\xFF"))
      pending_.erase(0, 2);
    options_.encoding = encoding_;
  }
  size_t usable = pending_.size();
  if (encoding_.rfind("UTF-16", 0) == 0) {
    // Whole code units, and never a high surrogate without its pair.
    const bool little = encoding_ == "UTF-16LE";
    usable &= ~size_t(1);
    if (usable >= 2) {
      const auto hi = uint8_t(pending_[usable - (little ? 1 : 2)]);
      if (hi >= 0xD8 && hi < 0xDC) usable -= 2;
    }
    CA3_CHECK_CODE(!last || usable == pending_.size(), ErrorCode::unsupported_file,
                   "the UTF-16 text ends in the middle of a character");
    const std::string mark = little ? "\xFF\xFE" : "\xFE\xFF";  // decode_text reads the byte order from it
    text_ += std::string(decode_text(mark + pending_.substr(0, usable)).text());
  } else if (encoding_ == "Windows-1252" || encoding_ == "Windows-1252 (after a UTF-8 byte-order mark)") {
    text_ += from_windows_1252(pending_);
  } else {
    // UTF-8: hold back a character cut at the piece's end (until the last piece).
    size_t keep = 0;
    for (size_t k = 1; !last && k <= 3 && k <= pending_.size(); ++k) {
      const auto c = uint8_t(pending_[pending_.size() - k]);
      if ((c & 0xC0) == 0x80) continue;
      const size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      if (length > k) keep = k;
      break;
    }
    usable = pending_.size() - keep;
    // Bytes that are not UTF-8 (a line in Windows-1252): read as Windows-1252, and said.
    bool converted = false;
    text_ += utf8_or_windows_1252(std::string_view(pending_).substr(0, usable), &converted);
    if (converted && encoding_.find("Windows-1252") == std::string::npos)
      encoding_ += ", Windows-1252 on some lines", options_.encoding = encoding_;
  }
  pending_.erase(0, usable);
  // Lines ended by '\r' alone (classic Mac OS) end lines as '\n' does; a '\r' at the piece's end
  // waits for the next piece, which may start with its '\n'.
  for (size_t i = from; i < text_.size(); ++i)
    if (text_[i] == '\r' && (i + 1 < text_.size() ? text_[i + 1] != '\n' : last)) text_[i] = '\n';
}

CsvStream::Records CsvStream::complete_records(size_t rows) const {
  Records r;
  bool quoted = false;
  int64_t lines = 0;
  for (size_t i = 0; i < text_.size() && r.count < rows; ++i) {
    const char c = text_[i];
    if (!quoted && (i == 0 || text_[i - 1] == '\n') && comment_mark(std::string_view(text_).substr(i)))  // (its quotes are text)
      if (const size_t end = text_.find('\n', i); end != std::string::npos) i = end - 1;
    if (c == '"') quoted = !quoted;
    if (c != '\n') continue;
    ++lines;
    if (quoted) continue;
    ++r.count, r.bytes = i + 1, r.lines = lines;
  }
  return r;
}

std::optional<CsvTable> CsvStream::next(size_t rows) {
  if (!started_) {
    const size_t header_end = text_.find('\n');
    if (header_end == std::string::npos && !finished_) return std::nullopt;
    CA3_CHECK(finished_ ? !text_.empty() || started_ : true, "CSV file is empty");
    if (const size_t length = comment_line_length(text_, after_comment_); length > 0) {  // a comment line before the header
      after_comment_ = after_comment_ || text_[0] == '#';
      if (text_[0] == '#' && comment_lines_++ == 0) first_comment_ = trim_spaces(std::string_view(text_).substr(0, text_.find_first_of("\r\n")));
      text_.erase(0, length);
      ++next_line_;
      return next(rows);
    }
    if (size_t length = 0; !options_.separator && excel_separator_line(text_, length)) {
      options_.separator = excel_separator_line(text_, length);  // Excel's "sep=" line
      text_.erase(0, length);
      ++next_line_;
      return next(rows);
    }
    // A title above the header, the separator, a table aligned with spaces: judged on the first
    // lines as a whole file's are (a title in the first 12, then the header and 20 lines more).
    if (!titles_checked_) {
      if (!finished_ && std::count(text_.begin(), text_.end(), '\n') < 40) return std::nullopt;
      titles_checked_ = true;
      if (size_t titles = 0, length = title_lines_length(text_, options_.separator, titles); length > 0) {
        title_lines_ = titles;
        first_title_ = trim_spaces(std::string_view(text_).substr(0, text_.find_first_of("\r\n")));
        text_.erase(0, length);
        next_line_ += int64_t(titles);
        return next(rows);
      }
    }
    started_ = true;
    const size_t end = header_end == std::string::npos ? text_.size() : header_end;
    header_ = text_.substr(0, end) + "\n";
    text_.erase(0, std::min(end + 1, text_.size()));
    if (!options_.separator) {
      const std::string first_lines = header_ + text_;
      options_.separator = space_aligned(first_lines) ? ' ' : detect_separator(first_lines);
    }
  }
  Records records = complete_records(rows);
  if (records.count < rows && !finished_) return std::nullopt;  // wait for more
  if (finished_ && records.count < rows && records.bytes < text_.size() &&
      text_.find_first_not_of(" \t\r\n", records.bytes) != std::string::npos) {
    records.bytes = text_.size();  // the last record, without a line end
    records.lines = std::count(text_.begin(), text_.end(), '\n');
  }
  if (records.bytes == 0) return std::nullopt;
  CsvOptions options = options_;
  options.first_data_line = next_line_;
  options.allow_no_rows = true;
  options.header_first = true;
  options.ends_file = finished_ && text_.find_first_not_of(" \t\r\n", records.bytes) == std::string::npos;
  CsvTable table = parse_csv(header_ + text_.substr(0, records.bytes), options);
  text_.erase(0, records.bytes);
  next_line_ += records.lines;
  // A piece of only comment or empty lines: said with the next batch (a stream's last lines, with
  // no batch after them, are not said).
  if (table.row_count() == 0) {
    if (table.cut_last_line > 0 && rows_read_ == 0) throw Error(only_line_cut(table));
    if (skipped_.comment_lines == 0) skipped_.first_comment = table.first_comment, skipped_.first_comment_line = table.first_comment_line;
    skipped_.comment_lines += table.comment_lines;
    skipped_.comment_row_count += table.comment_row_count;
    for (const int64_t line : table.comment_row_lines)
      if (skipped_.comment_row_lines.size() < CsvTable::kCommentLinesKept) skipped_.comment_row_lines.push_back(line);
    skipped_.empty_row_lines.insert(skipped_.empty_row_lines.end(), table.empty_row_lines.begin(), table.empty_row_lines.end());
    return next(rows);
  }
  if (skipped_.comment_lines > 0) {
    table.comment_lines += skipped_.comment_lines;
    table.first_comment = skipped_.first_comment, table.first_comment_line = skipped_.first_comment_line;
    table.comment_row_lines.insert(table.comment_row_lines.begin(), skipped_.comment_row_lines.begin(), skipped_.comment_row_lines.end());
    table.comment_row_lines.resize(std::min(table.comment_row_lines.size(), CsvTable::kCommentLinesKept));
    table.comment_row_count += skipped_.comment_row_count;
  }
  table.empty_row_lines.insert(table.empty_row_lines.begin(), skipped_.empty_row_lines.begin(), skipped_.empty_row_lines.end());
  skipped_.comment_lines = 0, skipped_.comment_row_count = 0, skipped_.empty_row_lines.clear(), skipped_.comment_row_lines.clear();
  if (!options_.numbers) options_.numbers = table.numbers, numbers_guessed_ = table.numbers_guessed, numbers_named_ = false;  // the first piece decides
  table.numbers_guessed = numbers_guessed_;
  table.numbers_named = numbers_named_;
  if (!lines_above_said_) {
    table.comment_lines += comment_lines_, table.title_lines = title_lines_;
    if (table.first_comment.empty()) table.first_comment = first_comment_;
    table.first_title = first_title_;
    lines_above_said_ = true;
  }
  rows_read_ += int64_t(table.row_count());
  return table;
}

}  // namespace ca3
