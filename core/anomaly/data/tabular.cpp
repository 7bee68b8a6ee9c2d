#include "core/anomaly/data/tabular.h"

#include <algorithm>
#include <cstring>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>

#include "core/anomaly/data/text.h"
#include "core/engine/error.h"

namespace ca3 {

double log_input(double v, double scale) {
  const double ratio = v / scale;
  if (v < 0) return ratio;
  return std::isfinite(ratio) ? std::log1p(ratio) : std::log(v) - std::log(scale);
}

std::string_view trim(std::string_view s) { return trim_invisible(s, true); }

namespace {

std::string lower(std::string_view view) {
  std::string s(view);
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// id, uid, uuid, *_id, *.id, *-id, "* id", and in camel case *ID or *Id after a small letter
// ("OrderID", "customerId"; not "VALID" or "Paid").
bool looks_like_identifier(const std::string& name) {
  const std::string_view t = trim(name);
  const std::string n = lower(t);
  if (n == "id" || n == "uid" || n == "uuid" || n == "guid") return true;
  for (const char* suffix : {"_id", ".id", "-id", " id"})
    if (n.size() > 3 && n.compare(n.size() - 3, 3, suffix) == 0) return true;
  // Written as one lower-case word ("userid", "customerid"): a thing's name before "id" (not
  // "paid", "valid", "humid", "fluid").
  static const char* const kThings[] = {"user", "customer", "cust", "client", "order", "product", "item", "session", "device",
                                        "account", "patient", "employee", "emp", "transaction", "txn", "invoice", "machine",
                                        "sensor", "host", "store", "member", "vendor", "supplier", "article", "ticket",
                                        "record", "event", "person", "visitor", "contract", "shipment", "asset", "job",
                                        "task", "message", "msg", "request", "case", "doc", "document", "line", "row"};
  for (std::string_view thing : kThings)
    if (n.size() == thing.size() + 2 && n.starts_with(thing) && n.ends_with("id")) return true;
  return t.size() > 2 && t[t.size() - 2] == 'I' && (t.back() == 'D' || t.back() == 'd') &&
         std::islower(static_cast<unsigned char>(t[t.size() - 3]));
}

// Label cells match a value as text (ignoring surrounding spaces, Unicode form and case: see
// text.h), or as numbers ("1" matches "1.0").
bool same_value(std::string_view cell, std::string_view value) {
  // (a zero-width space or a byte-order mark at either end is no part of a value: trim)
  if (cell == value || fold_case(trim(cell)) == fold_case(trim(value))) return true;
  double x, y;
  return parse_number(trim(cell), x) && parse_number(trim(value), y) && x == y;
}

bool matches_any(std::string_view cell, const std::vector<std::string>& values) {
  return std::any_of(values.begin(), values.end(), [&](const std::string& v) { return same_value(cell, v); });
}

// Percentile with linear interpolation (numpy's default) of sorted values.
double percentile(const std::vector<double>& sorted, double fraction) {
  const double position = fraction * double(sorted.size() - 1);
  const size_t lo = size_t(std::floor(position));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (position - double(lo)) * (sorted[hi] - sorted[lo]);
}

// Rank in [0, 1] of x among the quantiles (see tabular.h): ties take the middle of the tied
// references; values tied at the training minimum or maximum too when `middle_at_bounds`, else
// rank 0 / 1. Values outside the training range get 0 or 1.
double quantile_rank(const std::vector<double>& q, double x, bool middle_at_bounds) {
  const size_t n = q.size();
  if (!middle_at_bounds) {
    if (n == 1 || x <= q.front()) return 0.0;
    if (x >= q.back()) return 1.0;
  }
  if (x < q.front()) return 0.0;
  if (x > q.back()) return 1.0;
  if (n == 1) return 0.5;
  const double step = 1.0 / double(n - 1);
  const auto first = std::lower_bound(q.begin(), q.end(), x);
  const auto last = std::upper_bound(q.begin(), q.end(), x);
  if (first != last) return 0.5 * (double(first - q.begin()) + double(last - q.begin() - 1)) * step;
  const size_t hi = size_t(first - q.begin()), lo = hi - 1;  // q[lo] < x < q[hi]
  return (double(lo) + (x - q[lo]) / (q[hi] - q[lo])) * step;
}

// Standardised values are clipped to this many standard deviations.
constexpr double kStandardLimit = 20;

// A column tied at both its training bounds: a clipped range.
bool tied_at_both_bounds(const std::vector<double>& q) {
  return q.size() > 2 && q[0] == q[1] && q[q.size() - 1] == q[q.size() - 2];
}

// A date, a time or both, as spreadsheets and loggers write them: 2024-03-01, 01.03.2024,
// 3/1/24, 2024/03/01, with or without a time (14:05, 14:05:09.120, 2024-03-01T14:05:09Z,
// +01:00, AM/PM); a time alone; or a month, quarter or week of a year.
bool looks_like_date(std::string_view cell) {
  const std::string_view s = trim(cell);
  // hh:mm[:ss[.fff]] [AM|PM] [Z|+hh:mm|-hhmm]
  const auto time = [&](std::string_view t) {
    // a zone's abbreviation: "20:00 CET", "10:00:00 GMT", "9:30 AM EST" (not "7:05 OK")
    if (const size_t space = t.rfind(' '); space != std::string_view::npos)
      for (std::string_view zone : {"UTC", "GMT", "CET", "CEST", "MEZ", "MESZ", "WET", "WEST", "EET", "EEST", "BST", "IST", "MSK", "EST",
                                    "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AKST", "HST", "JST", "KST", "HKT", "SGT", "AEST",
                                    "AEDT", "NZST", "NZDT"})
        if (t.substr(space + 1) == zone) {
          t = t.substr(0, space);
          break;
        }
    for (std::string_view end : {" AM", " PM", " am", " pm", "AM", "PM", "Z"})
      if (t.size() > end.size() && t.substr(t.size() - end.size()) == end) t.remove_suffix(end.size());
    bool zoned = false;
    if (const size_t zone = t.find_last_of("+-"); zone != std::string_view::npos && zone >= 4) t = trim(t.substr(0, zone)), zoned = true;
    const size_t a = t.find(':');
    if (a == std::string_view::npos || a == 0 || a > 2 || !all_digits(t.substr(0, a)) || std::atoi(std::string(t.substr(0, a)).c_str()) > 23)
      return false;
    const std::string_view rest = t.substr(a + 1);
    const size_t b = rest.find(':');
    const auto sixty = [&](std::string_view two) { return two.size() == 2 && all_digits(two) && two[0] <= '5'; };
    if (b == std::string_view::npos) return !zoned && sixty(rest);  // hh:mm (a zone only after seconds: "06:00-14:00" is a range)
    if (b != 2 || !sixty(rest.substr(0, 2))) return false;
    const std::string_view seconds = rest.substr(3);
    const size_t dot = seconds.find_first_of(".,");
    return seconds.size() >= 2 && sixty(seconds.substr(0, 2)) &&
           (seconds.size() == 2 || (dot == 2 && all_digits(seconds.substr(3))));
  };
  // three fields of digits with one separator: a 4-digit year first or last, else d.m.yy / m/d/yy
  const auto date = [&](std::string_view d) {
    for (char sep : {'-', '/', '.'}) {
      const size_t a = d.find(sep), b = a == std::string_view::npos ? a : d.find(sep, a + 1);
      if (b == std::string_view::npos || d.find(sep, b + 1) != std::string_view::npos) continue;
      const std::string_view x = d.substr(0, a), y = d.substr(a + 1, b - a - 1), z = d.substr(b + 1);
      if (!all_digits(x) || !all_digits(y) || !all_digits(z) || y.size() > 2) continue;
      const int xi = std::atoi(std::string(x).c_str()), yi = std::atoi(std::string(y).c_str()), zi = std::atoi(std::string(z).c_str());
      const auto day_month = [](int d, int m) { return d >= 1 && d <= 31 && m >= 1 && m <= 12; };
      const auto either = [&](int p, int q) { return day_month(p, q) || day_month(q, p); };  // d.m or m/d
      if (x.size() == 4 && z.size() <= 2) return day_month(zi, yi);
      if (z.size() == 4 && x.size() <= 2) return either(xi, yi);
      // A two-digit year: 01.03.24 or 3/1/24 ("1.2.10" is more often a version)
      if (z.size() == 2 && x.size() <= 2 && (sep == '/' || (sep == '.' && x.size() == 2 && y.size() == 2))) return either(xi, yi);
    }
    return false;
  };
  // A month, quarter or week of a year: 2024-07, 07/2024, 2024/7, 07.2024, Jul 2024, Jan-24, März
  // 2024, 2024-Q3, Q3 2024, 2024-W05 (not 2024.07, a number)
  const auto year = [&](std::string_view y) {
    const int yi = all_digits(y) ? std::atoi(std::string(y).c_str()) : 0;
    return (y.size() == 4 && yi >= 1900 && yi <= 2099) || (y.size() == 2 && all_digits(y));
  };
  const auto in = [&](std::string_view t, int high) {
    const int n = all_digits(t) && t.size() <= 2 ? std::atoi(std::string(t).c_str()) : 0;
    return n >= 1 && n <= high;
  };
  const auto month_name = [](std::string_view t) {
    std::string w = lower(t);
    if (!w.empty() && w.back() == '.') w.pop_back();
    // English, German, French, Spanish, Italian, Dutch; full and abbreviated
    for (const char* m : {"jan", "january", "januar", "feb", "february", "februar", "mar", "march", "m\xC3\xA4r", "m\xC3\xA4rz", "mrz",
                          "apr", "april", "may", "mai", "jun", "june", "juni", "jul", "july", "juli", "aug", "august", "sep", "sept",
                          "september", "oct", "october", "okt", "oktober", "nov", "november", "dec", "december", "dez", "dezember",
                          "janv", "janvier", "f\xC3\xA9v", "f\xC3\xA9vr", "f\xC3\xA9vrier", "fevr", "mars", "avr", "avril", "juin",
                          "juil", "juillet", "ao\xC3\xBBt", "aout", "septembre", "octobre", "novembre", "d\xC3\xA9" "c",
                          "d\xC3\xA9" "cembre", "ene", "enero", "febrero", "marzo", "abr", "abril", "mayo", "junio", "julio", "ago",
                          "agosto", "septiembre", "set", "octubre", "noviembre", "dic", "diciembre", "gen", "gennaio", "febbraio",
                          "aprile", "mag", "maggio", "giu", "giugno", "lug", "luglio", "settembre", "ott", "ottobre", "dicembre",
                          "mrt", "maart", "mei", "januari", "februari", "augustus"})
      if (w == m) return true;
    return false;
  };
  const auto weekday = [](std::string_view t) {
    std::string w = lower(t);
    if (!w.empty() && w.back() == '.') w.pop_back();
    for (const char* d : {"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "monday", "tuesday", "wednesday",
                          "thursday", "friday", "saturday", "sunday", "mo", "di", "mi", "do", "fr", "sa", "so", "montag", "dienstag",
                          "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "lun", "mer", "jeu", "ven", "sam", "dim", "lundi",
                          "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "mi\xC3\xA9", "jue", "vie", "s\xC3\xA1" "b",
                          "dom", "lunes", "martes", "mi\xC3\xA9rcoles", "jueves", "viernes", "s\xC3\xA1" "bado", "domingo"})
      if (w == d) return true;
    return false;
  };
  // A date with the month's name ("1-Jan-19", "01 Jan 2019", "Jan 1, 2019", "1. Juli 2024",
  // "janv. 2024", "ene-24", "Tue, 01 Jan 2019 10:00:00 +0100"), a week ("KW 01/2015", "KW01 2015")
  // or a quarter ("1. Quartal 2015", "Q1/2015") of a year.
  const auto named_date = [&](std::string_view p) {
    std::vector<std::string_view> t;  // the words and numbers, apart from ' ' ',' '-' '/' '.'
    for (size_t i = 0; i < p.size();) {
      while (i < p.size() && std::strchr(" ,-/.", p[i])) ++i;
      size_t j = i;
      while (j < p.size() && !std::strchr(" ,-/.", p[j])) ++j;
      if (j == i) break;
      if (p.substr(i, j - i).find(':') != std::string_view::npos) {  // a time of day after the date
        if (!time(trim(p.substr(i)))) return false;
        break;
      }
      t.push_back(p.substr(i, j - i));
      i = j;
    }
    const auto year4 = [&](std::string_view y) { return y.size() == 4 && year(y); };
    const auto prefixed = [&](std::string_view w, std::string_view prefix, int high) {
      return w.size() > prefix.size() && lower(w.substr(0, prefix.size())) == prefix && in(w.substr(prefix.size()), high);
    };
    // a two-digit year only in "Jan-24", "1-Jan-19" ("Set 01" may be a set, "Mag 12" a magazine)
    const auto year_here = [&](std::string_view y) { return year4(y) || (year(y) && p.find(' ') == std::string_view::npos); };
    if (t.size() == 2)
      return (month_name(t[0]) && year_here(t[1])) || (year4(t[1]) && (prefixed(t[0], "kw", 53) || prefixed(t[0], "wk", 53) ||
                                                                   prefixed(t[0], "w", 53) || prefixed(t[0], "q", 4)));
    if (t.size() != 3) return false;
    const std::string middle = lower(t[1]);
    return (in(t[0], 31) && month_name(t[1]) && year_here(t[2])) || (month_name(t[0]) && in(t[1], 31) && year_here(t[2])) ||
           (year4(t[2]) && in(t[1], 53) && (lower(t[0]) == "kw" || lower(t[0]) == "wk" || lower(t[0]) == "week")) ||
           (year4(t[2]) && in(t[0], 4) && (middle == "quartal" || middle == "quarter" || middle == "trimestre" || middle == "qtr"));
  };
  const auto period = [&](std::string_view p) {
    // month.year with a two-digit month, as German exports write months ("01.2023"; "2024.07"
    // and "1.2023" stay numbers)
    if (p.size() == 7 && p[2] == '.' && in(p.substr(0, 2), 12) && p[0] <= '1' && year(p.substr(3))) return true;
    const size_t sep = p.find_first_of("-/ ");
    if (sep == std::string_view::npos || p.find_first_of("-/ ", sep + 1) != std::string_view::npos) return false;
    const std::string_view a = p.substr(0, sep), b = p.substr(sep + 1);
    const auto marked = [&](std::string_view t, char letter, int high) {
      return t.size() >= 2 && (t[0] == letter || t[0] == letter + 32) && in(t.substr(1), high);
    };
    if (a.size() == 4 && year(a) && (marked(b, 'Q', 4) || marked(b, 'W', 53))) return true;
    if (b.size() == 4 && year(b) && marked(a, 'Q', 4)) return true;
    if (month_name(a)) return year(b) && (b.size() == 4 || p[sep] == '-') && p[sep] != '/';  // "Jan-24", not "Set 01"
    if (p[sep] == ' ') return false;
    return (a.size() == 4 && year(a) && in(b, 12)) || (b.size() == 4 && year(b) && in(a, 12));
  };
  if (time(s) || period(s) || named_date(s)) return true;
  // a weekday before a date: "Mo, 01.07.2024", "Tue 2024-07-01"
  if (const size_t cut = s.find_first_of(", "); cut != std::string_view::npos && cut > 0 && weekday(s.substr(0, cut)))
    return looks_like_date(s.substr(s.find_first_not_of(", ", cut) == std::string_view::npos ? s.size() : s.find_first_not_of(", ", cut)));
  const size_t split = s.find_first_of(" T");
  if (split == std::string_view::npos) return date(s);
  return date(s.substr(0, split)) && time(trim(s.substr(split + 1)));
}

// Every non-missing cell of `column` among `rows` a date or time (at least one).
bool date_column(const CsvTable& table, size_t column, const std::vector<int64_t>& rows) {
  bool any = false;
  for (int64_t row : rows) {
    const std::string_view cell = table.cell(size_t(row), column);
    if (is_missing_cell(cell)) continue;
    if (!looks_like_date(cell)) return false;
    any = true;
  }
  return any;
}
// Named like a date: a word of the name is "date" or "fecha", or ends in "datum" ("Buchungsdatum",
// "InvoiceDate", "order_date"; not "Candidate"), or the name is "Day", "Tag", "Jour", "Giorno",
// "Día"; not a rate ("Umsatz pro Tag", "visits per day").
bool named_like_a_date(const std::string& name) {
  const std::vector<std::string> words = name_words(name);
  bool date = false;
  for (const std::string& w : words) {
    if (w == "per" || w == "pro" || w == "je" || w == "par") return false;
    date = date || w == "date" || w == "dates" || w == "fecha" || (w.size() >= 5 && w.compare(w.size() - 5, 5, "datum") == 0);
  }
  if (words.size() == 1)
    for (const char* day : {"day", "tag", "jour", "giorno", "dia", "d\xC3\xAD" "a"}) date = date || words[0] == day;
  return date;
}

// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
std::string iso_date(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097, doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  char text[64];
  std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld", (long long)(yoe + era * 400 + (m <= 2)), (long long)m, (long long)d);
  return text;
}

// Dates written as numbers, in a column named like a date (and only there: elsewhere such
// numbers are amounts): Excel's date serial numbers (days since 1899-12-30, 1950-2099), yyyymmdd,
// or day.month ("02.06", the month in two digits). Read as numbers they would make every row
// after the training dates an anomaly. The reason, or "".
// Named like a point in time: a date's name, or a word for a time stamp ("timestamp", "ts",
// "epoch", "unix", "created_at", "updated", "time", "Zeitstempel").
bool named_like_a_time_stamp(const std::string& name) {
  if (named_like_a_date(name)) return true;
  const std::vector<std::string> words = name_words(name);
  for (const std::string& w : words)
    for (const char* stamp : {"timestamp", "ts", "epoch", "unix", "created", "updated", "modified", "datetime", "zeitstempel"})
      if (w == stamp) return true;
  return words.size() == 1 && (words[0] == "time" || words[0] == "zeit");
}

// Named as the year a row was recorded in ("Year", "Jahr", "Geschäftsjahr", "fiscal year", "FY"),
// not a property of a thing ("year built", "Baujahr", "model year" are amounts).
bool named_like_a_year(const std::string& name) {
  const std::vector<std::string> words = name_words(name);
  if (words.size() == 2 && words[0] == "fiscal" && words[1] == "year") return true;
  if (words.size() != 1) return false;
  for (const char* year : {"year", "jahr", "fy", "yr", "a\xC3\xB1o", "ann\xC3\xA9" "e", "annee", "anno", "jaar", "gesch\xC3\xA4" "ftsjahr",
                           "berichtsjahr", "wirtschaftsjahr", "kalenderjahr"})
    if (words[0] == year) return true;
  return false;
}

std::string numeric_date_reason(const CsvTable& table, size_t column, const std::vector<int64_t>& rows) {
  const std::string& name = table.header[column];
  const std::string tail = ": left out of training as dates are; give the column the role numeric to read them as numbers";
  if (named_like_a_year(name) || named_like_a_time_stamp(name)) {
    // Unix time (seconds or milliseconds since 1970, 2000-2099) or years (1900-2099): every row
    // after the training ones would stand outside the training range.
    bool seconds = named_like_a_time_stamp(name), millis = seconds, years = named_like_a_year(name);
    std::string_view first;
    double v, previous_year = 0;
    for (int64_t row : rows) {
      const std::string_view cell = trim(table.cell(size_t(row), column));
      if (is_missing_cell(cell)) continue;
      if (first.empty()) first = cell;
      if (!parse_number(cell, v, table.numbers)) v = 0;
      seconds = seconds && v >= 946684800 && v < 4102444800;
      millis = millis && v >= 946684800e3 && v < 4102444800e3;
      // in the file's order (a sales report's years; a model year in a list of cars is in none)
      years = years && v == std::floor(v) && v >= 1900 && v < 2100 && cell.size() == 4 && (previous_year == 0 || v >= previous_year);
      previous_year = v;
      if (!seconds && !millis && !years) break;
    }
    if (!first.empty() && (seconds || millis)) {
      parse_number(first, v, table.numbers);
      return detail::concat("times written as numbers, ", seconds ? "seconds" : "milliseconds", " since 1970 (Unix time: '", first,
                            "' is ", iso_date(int64_t(std::floor(seconds ? v / 86400 : v / 86400e3))), ")", tail);
    }
    if (!first.empty() && years)
      return detail::concat("years ('", first, "'): the time a row was recorded, each later year one never seen in training", tail);
  }
  if (!named_like_a_date(name)) return "";
  bool serial = true, compact = true, day_month = true;
  std::string_view first;
  double v;
  for (int64_t row : rows) {
    const std::string_view cell = trim(table.cell(size_t(row), column));
    if (is_missing_cell(cell)) continue;
    if (first.empty()) first = cell;
    const bool whole = parse_number(cell, v, NumberFormat{}) && v == std::floor(v) && cell.find_first_of(".,") == std::string_view::npos;
    double day = 0;  // a serial with the time of day as its fraction: "45523,75"
    serial = serial && parse_number(cell, day, table.numbers) && day >= 18264 && day < 73051;
    const int64_t n = whole ? int64_t(v) : 0;
    compact = compact && whole && cell.size() == 8 && n / 10000 >= 1950 && n / 10000 <= 2099 && n / 100 % 100 >= 1 &&
              n / 100 % 100 <= 12 && n % 100 >= 1 && n % 100 <= 31;
    const size_t mark = cell.find_first_of(".,");
    if (day_month && mark >= 1 && mark <= 2 && cell.size() == mark + 3) {
      const std::string_view d = cell.substr(0, mark), m = cell.substr(mark + 1);
      const int di = std::atoi(std::string(d).c_str()), mi = std::atoi(std::string(m).c_str());
      day_month = std::all_of(d.begin(), d.end(), ::isdigit) && std::all_of(m.begin(), m.end(), ::isdigit) && di >= 1 && di <= 31 &&
                  mi >= 1 && mi <= 12;
    } else {
      day_month = false;
    }
    if (!serial && !compact && !day_month) return "";
  }
  if (first.empty()) return "";
  if (compact)
    return detail::concat("dates written as numbers, yyyymmdd ('", first, "' is ", first.substr(0, 4), "-", first.substr(4, 2), "-",
                          first.substr(6, 2), ")", tail);
  if (serial) {
    parse_number(first, v, table.numbers);
    return detail::concat("dates written as numbers, as Excel keeps them (days since 1899-12-30: '", first, "' is ",
                          iso_date(int64_t(v) - 25569), ")", tail);
  }
  return detail::concat("dates written as day and month ('", first, "' is day ", std::atoi(std::string(first.substr(0, first.find_first_of(".,"))).c_str()),
                        " of month ", std::atoi(std::string(first.substr(first.find_first_of(".,") + 1)).c_str()), ")", tail);
}

// Named like a code, whose whole numbers name things rather than measure them: the name's last
// word (after a trailing "Nr", "No", "number", "#") is a code's -- accounts ("Konto", "Sachkonto",
// "GL Account", "Kto.-Nr.", "N° de compte", "Debitor"), postal codes ("ZIP", "PLZ", "Code
// postal"), codes ("Error code", "Ländercode", "Steuerschlüssel", "SKU", "EAN"), cost centres
// ("Kostenstelle", "cost centre", "centre de coût"), articles ("Art.-Nr.", "Artikelnummer"),
// network ports ("dst_port").
// Not when another word ends the name ("Account balance", "Zip length", "Opcode count", "Code
// coverage %") or "of" precedes ("Lines of code").
bool named_like_a_code(const std::string& name) {
  std::vector<std::string> words = name_words(name);
  if (std::find(words.begin(), words.end(), "of") != words.end()) return false;
  bool numbered = false;  // a trailing number word: "Konto Nr", "Art.-Nr."
  while (words.size() > 1) {
    const std::string& w = words.back();
    if (w != "nr" && w != "no" && w != "num" && w != "number" && w != "nummer" && w != "#" && w != "n") break;
    words.pop_back(), numbered = true;
  }
  if (words.empty()) return false;
  const std::string& head = words.back();
  static const char* const kHeads[] = {
      "account", "accounts", "acct", "konto", "kto", "compte", "cuenta", "conto", "debitor", "kreditor", "mandant",
      "zip", "zipcode", "plz", "postleitzahl", "postcode", "postal", "vorwahl", "bankleitzahl", "blz", "sku", "ean",
      "gtin", "kostenstelle", "kostenstellen", "kst", "costcenter", "costcentre", "kostentr\xC3\xA4ger", "kostentraeger",
      "buchungskreis", "werk", "bewegungsart", "profitcenter", "innenauftrag", "steuerkennzeichen", "vendor", "plant",
      "filiale", "status", "icd", "nuts", "material", "port", "srcport", "dstport", "sport", "dport", "dsport",
      "destport", "portno"};
  for (std::string_view k : kHeads)
    if (head == k) return true;
  const auto ends_with = [](std::string_view w, std::string_view end) {
    return w.size() >= end.size() && w.substr(w.size() - end.size()) == end;
  };
  for (std::string_view end : {"code", "codes", "konto", "schl\xC3\xBCssel", "schluessel"})
    if (ends_with(head, end)) return true;
  if (head.rfind("postleitzahl", 0) == 0) return true;  // "Postleitzahlbereich"
  // Numbered things: "Artikelnummer", "Fehlernummer", "Kostenstellennummer"; with a number word
  // of their own: "Art.-Nr.", "Artikel Nr", "Error no".
  static const char* const kNumbered[] = {"konto", "sachkonto", "artikel", "art", "fehler", "error", "kunden", "kunde",
                                          "lieferant", "lieferanten", "kostenstellen", "kostenstelle", "material", "customer",
                                          "part", "item", "supplier", "product", "produkt", "store", "branch"};
  for (std::string_view k : kNumbered) {
    if (numbered && head == k) return true;
    for (std::string_view n : {"nummer", "nr"})
      if (head.size() == k.size() + n.size() && head.rfind(k, 0) == 0 && ends_with(head, n)) return true;
  }
  // "cost centre", "centre de coût(s)"
  if (words.size() >= 2 && words[words.size() - 2] == "cost" && (head == "centre" || head == "center")) return true;
  if (words.size() >= 3 && (words[words.size() - 3] == "centre" || words[words.size() - 3] == "center") &&
      words[words.size() - 2] == "de" && head.rfind("co", 0) == 0 && head.size() <= 7)
    return true;
  return false;
}
// Whole numbers written with leading zeros, every one as long (3 digits or more) and starting with
// 0 ("0000012345", "000038", "0692221854"): codes, as a supplier, article or phone number; an
// amount is not padded (a logger's "%04d", 0900 to 1011, is not all zeros first). The reason, or "".
std::string zero_padded_reason(const CsvTable& table, size_t column, const std::vector<int64_t>& rows) {
  size_t width = 0;
  std::string_view padded;
  for (int64_t row : rows) {
    const std::string_view cell = trim(table.cell(size_t(row), column));
    if (is_missing_cell(cell)) continue;
    if (width == 0) width = cell.size();
    if (cell.size() != width || width < 3 || cell[0] != '0' || !all_digits(cell)) return "";
    if (padded.empty()) padded = cell;
  }
  if (padded.empty()) return "";
  return detail::concat("whole numbers written with leading zeros, all ", width, " digits ('", padded,
                        "'): codes, not amounts; give it the role numeric if they are amounts");
}

constexpr const char* kCodeReason =
    "whole numbers in a column named like a code (account, postal code, port, code): categories, not amounts; give it the "
    "role numeric if they are amounts";

// A column whose numbers are codes, not amounts: whole numbers, not negative, in a column named
// like a code (kCodeReason); whole numbers padded with zeros (zero_padded_reason); numbers with a
// fractional part in a column named like a version ("10.10", "10.2": read as amounts, 10.10 would
// be 10.1 and lie below 10.2). The cells that are not numbers are not looked at (at least one is).
// The reason, or "".
std::string number_code_reason(const CsvTable& table, size_t column, const std::vector<int64_t>& rows) {
  bool whole = true, versions = true;
  size_t numbers = 0;
  // The first number with a fractional part; one that reads otherwise as an amount ("10.10", a
  // fraction ending in 0), when there is one.
  std::string_view fraction;
  std::set<std::string_view> distinct;
  for (int64_t row : rows) {
    const std::string_view cell = trim(table.cell(size_t(row), column));
    double v;
    if (is_missing_cell(cell) || !parse_number(cell, v, table.numbers)) continue;
    ++numbers;
    whole = whole && v >= 0 && v == std::floor(v);
    if (v != std::floor(v) && (fraction.empty() || (fraction.back() != '0' && cell.back() == '0' && version_like(cell)))) fraction = cell;
    versions = versions && (all_digits(cell) || version_like(cell));
    if (versions && distinct.size() <= 20) distinct.insert(cell);
  }
  if (numbers == 0) return "";
  const std::string& name = table.header[column];
  if (whole && named_like_a_code(name)) return kCodeReason;
  if (whole) return zero_padded_reason(table, column, rows);
  // Versions: each written as one ("10.10", "11.0", "11"), and few of them, each on two rows or
  // more on average (else measures).
  if (named_like_a_version(name) && !fraction.empty() && versions && distinct.size() <= 20 && 2 * distinct.size() <= numbers)
    return detail::concat("numbers in a column named like a version ('", fraction,
                          "'): versions, not amounts (10.10 follows 10.9, 10.2 is not 10.20); give it the role numeric if "
                          "they are amounts");
  return "";
}

// Named like the number of a document: a word for one (invoice, order, Beleg, Rechnung, ...)
// followed by nr / no / num / number / nummer / # as the last word ("Invoice No", "Order #",
// "order_number", "InvoiceNr"), or run together ("Belegnr", "Rechnungsnummer"). Not a count
// ("Number of items", "num_rooms", "# of visits") nor a measure ("Reynolds number", "NO").
bool named_like_a_document_number(const std::string& name) {
  const std::vector<std::string> words = name_words(name);
  static const char* const kDocuments[] = {"invoice", "inv", "order", "beleg", "rechnung", "auftrag", "bestell", "document",
                                           "doc", "ticket", "receipt", "transaction", "booking", "buchung", "vorgang",
                                           "voucher", "bill", "delivery", "liefer", "shipment", "sendung", "line", "zeile",
                                           "position", "posten", "record", "entry", "job", "batch", "lot", "charge", "serial",
                                           "case", "fall", "po", "so", "ref", "reference"};
  const auto document = [](std::string_view w) {  // the word, maybe with a German ending ("Rechnungs", "Bestellungs")
    for (std::string_view d : kDocuments)
      if (w.substr(0, d.size()) == d)
        for (std::string_view ending : {"", "s", "es", "ung", "ungs", "schein", "scheins"})
          if (w.substr(d.size()) == ending) return true;
    return false;
  };
  if (words.empty()) return false;
  const std::string& last = words.back();
  if (words.size() == 1)  // a document's word alone names its number in many exports ("Beleg", "Invoice")
    for (const char* alone : {"beleg", "invoice", "rechnung", "receipt", "voucher", "buchung", "document", "auftrag", "bestellung", "order",
                              "lieferschein"})
      if (last == alone) return true;
  static const char* const kNumber[] = {"nr", "no", "num", "number", "nummer", "#"};
  for (const char* n : kNumber)
    if (last == n) return words.size() >= 2 && document(words[words.size() - 2]);
  for (const char* n : {"nr", "nummer", "number"}) {  // run together: "belegnr", "rechnungsnummer"
    const std::string_view w = last, end = n;
    if (w.size() > end.size() + 2 && w.substr(w.size() - end.size()) == end) return document(w.substr(0, w.size() - end.size()));
  }
  return false;
}

// A code of its own in (nearly) every row, with digits and no spaces (a document or order number,
// "RE-2024-1000"; a UUID): it names the row, so it is written beside the scores. `counts`: the
// values of the column's `present` cells among `rows` rows. The reason, or "" when it is not so.
std::string row_code_reason(const std::map<std::string, int64_t>& counts, int64_t present, size_t rows, const char* rows_word) {
  if (counts.size() <= 20 || int64_t(counts.size()) != present || double(present) < 0.95 * double(rows)) return "";
  for (const auto& [v, n] : counts)
    if (v.size() > 40 || std::none_of(v.begin(), v.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) ||
        std::any_of(v.begin(), v.end(), [](char ch) { return ch == ' ' || ch == '\t'; }))
      return "";
  return detail::concat(counts.size(), " distinct values in ", present, rows_word, ", codes such as '", shortened(counts.begin()->first),
                        "': an identifier of each row (a document or order number), left out of training and written beside "
                        "the scores");
}

// A column named like an identifier: the group it names when its few values each recur (machine_id
// M1 to M5 over 2,850 rows; at most `most` values, each in 10 of `rows` on average): a group the
// row belongs to (a machine, a site), read as categories (`group` true). Else the reason it is
// left out, saying how near it came to a group when its values recur.
struct IdentifierName {
  bool group = false;
  std::string reason;
};
IdentifierName identifier_name(const CsvTable& table, size_t column, const std::vector<int64_t>& rows, int most, const char* rows_word) {
  std::set<std::string, std::less<>> values;
  int64_t present = 0;
  std::string_view first;
  bool many = false;
  for (int64_t row : rows) {
    const std::string_view cell = trim(table.cell(size_t(row), column));
    if (is_missing_cell(cell)) continue;
    ++present;
    if (first.empty()) first = cell;
    if (!many && values.find(cell) == values.end()) {
      values.emplace(cell);
      many = int64_t(values.size()) > most;
    }
  }
  const std::string plain = "named like an identifier (id, *_id, *ID): left out of training";
  if (values.size() < 2) return {false, plain};
  char each[32];
  std::snprintf(each, sizeof each, "%.1f", double(present) / double(values.size()));
  if (!many && present >= 10 * int64_t(values.size()))
    return {true, detail::concat("named like an identifier, but its ", values.size(), " values ('", shortened(first),
                                 "', ...) recur, ", each, " times each on average in ", present, rows_word, ": a group or kind the row "
                                 "belongs to (a machine, a site), read as categories")};
  if (!many && present >= 2 * int64_t(values.size()))
    return {false, detail::concat(plain, " (its ", values.size(), " values recur ", each, " times each on average in ", present, rows_word,
                                  "; read as a group, as categories, from 10: give it the role categorical if it names one)")};
  if (many && present >= 10 * most)
    return {false, detail::concat(plain, " (more than ", most, " values: too many to read as a group)")};
  return {false, plain};
}

// More than 20 values, and more than half of the `present` cells distinct: text, codes or names
// of things, not categories.
bool nearly_all_distinct(const std::map<std::string, int64_t>& counts, int64_t present) {
  return counts.size() > 20 && double(counts.size()) > 0.5 * double(present);
}

// Nearly every value distinct, in (nearly) every one of `rows` rows, each one word of at most 64
// characters (e-mail or IP addresses, user names, serial numbers): names of things, written beside
// the scores rather than dropped as text. The reason, or "".
std::string names_of_things_reason(const std::map<std::string, int64_t>& counts, int64_t present, size_t rows, const char* rows_word) {
  if (double(present) < 0.95 * double(rows)) return "";  // not a name for every row (as row_code_reason)
  for (const auto& [value, n] : counts)
    if (value.empty() || value.size() > 64 || value.find_first_of(" \t") != std::string::npos) return "";
  return detail::concat(counts.size(), " distinct values in ", present, rows_word, ", such as '", shortened(counts.begin()->first),
                        "': names of things (e-mail or IP addresses, user names, serial numbers), not categories; left out of "
                        "training and written beside the scores");
}

// Categories so many (customers, hosts) that the `most` most frequent hold less than half of the
// `present` cells: the rest would be one value, "(other)", in most rows, and the column says
// little but which thing each row is about. Left out of training, written beside the scores. The
// reason, or "".
std::string many_things_reason(const std::map<std::string, int64_t>& counts, int64_t present, int most, const char* rows_word) {
  if (int64_t(counts.size()) <= most) return "";
  std::vector<int64_t> sizes;
  for (const auto& [value, n] : counts) sizes.push_back(n);
  std::sort(sizes.rbegin(), sizes.rend());
  const int64_t kept = std::accumulate(sizes.begin(), sizes.begin() + most, int64_t(0));
  if (2 * kept >= present) return "";
  return detail::concat(counts.size(), " distinct values in ", present, rows_word, ", the ", most, " most frequent in only ", kept,
                        " of them: names of many things (customers, hosts, articles), too many to learn as categories; left "
                        "out of training and written beside the scores (the role categorical keeps the ", most,
                        " most frequent, the others as one value)");
}

// A running number: at least 20 cells, all whole numbers, rising (or falling) row by row through
// the file with few gaps (nine steps in ten by exactly 1, the largest minus the smallest below
// twice the distinct values):
// invoice, order or line numbers. Without a repeat; or, in a column named like a document's
// number, with any gaps and repeated on consecutive rows at most 50 times each (the lines of one
// invoice: 4001, 4002, 4002, 4003) with at least 20 distinct values. The reason says the first two. Empty when it
// is not one.
std::string running_number_reason(const CsvTable& table, size_t column) {
  std::vector<double> values;
  for (size_t row = 0; row < table.row_count(); ++row) {
    const std::string_view cell = table.cell(row, column);
    double v;
    if (is_missing_cell(cell)) continue;
    if (!parse_number(cell, v, table.numbers) || v != std::floor(v)) return "";
    values.push_back(v);
  }
  if (values.size() < 20) return "";
  const bool repeats_allowed = named_like_a_document_number(table.header[column]);
  size_t at = 1;
  while (repeats_allowed && at < values.size() && values[at] == values[0]) ++at;
  if (at == values.size()) return "";
  const bool up = values[at] > values[0];
  size_t distinct = 1, run = 1, by_one = 0;
  for (size_t i = 1; i < values.size(); ++i) {
    if (values[i] == values[i - 1] && repeats_allowed && ++run <= 50) continue;
    if (up ? !(values[i] > values[i - 1]) : !(values[i] < values[i - 1])) return "";
    ++distinct, run = 1;
    by_one += std::abs(values[i] - values[i - 1]) == 1;
  }
  // Counting, with few gaps: nearly every step is 1 (a table sorted by age steps by 1 to 3); in a
  // column named like a document's number, with any gaps (documents of other departments,
  // cancelled ones: 4900000000, 4900000007, ...).
  if (distinct < 20 || (!repeats_allowed && (double(by_one) < 0.9 * double(distinct - 1) ||
                                             std::abs(values.back() - values.front()) >= 2.0 * double(distinct))))
    return "";
  char first[32], second[32];
  std::snprintf(first, sizeof first, "%.15g", values[0]);
  std::snprintf(second, sizeof second, "%.15g", values[at]);
  return detail::concat("whole numbers counting ", up ? "up" : "down", " row by row (", first, ", ", second,
                        ", ...", distinct < values.size() ? detail::concat("; ", distinct, " numbers on ", values.size(), " rows") : "",
                        "): a running number, which says where a row is in the file, not what it is; left out "
                        "of training like an identifier (call it numeric to keep it)");
}

// The direction a numeric column's values take through `rows` in file order, read as `t` reads
// them: +1 when they never fall and rise at least 20 times, at least as often as they stay level
// (1000, 1007, 1014, ...; a meter reading that stands still at night), -1 when they never rise
// so; 0 otherwise (missing cells passed over). `level`: whether any stays level; `first`,
// `second`: the first two different values. A number that counts on (a parcel or serial number,
// a meter reading, seconds since a date) does so; so does a measure in a file sorted by it, which
// is why it is said, not decided.
double numeric_cell(const CsvTable& table, const NumberFormat& numbers, size_t row, size_t column, const ColumnTransform& t);

int monotone_direction(const CsvTable& table, size_t column, std::vector<int64_t> rows, const ColumnTransform& t,
                       bool* level = nullptr, double* first = nullptr, double* second = nullptr) {
  std::sort(rows.begin(), rows.end());
  std::vector<double> values;
  size_t up = 0, down = 0, same = 0;
  for (int64_t row : rows) {
    if (is_missing_cell(table.cell(size_t(row), column))) continue;
    try {
      values.push_back(numeric_cell(table, table.numbers, size_t(row), column, t));
    } catch (const Error&) {
      return 0;
    }
    if (values.size() < 2) continue;
    const double step = values.back() - values[values.size() - 2];
    up += step > 0, down += step < 0, same += step == 0;
    if (up > 0 && down > 0) return 0;
  }
  const size_t moves = up + down;
  if (moves < 20 || same > moves) return 0;
  const auto differs = std::find_if(values.begin(), values.end(), [&](double v) { return v != values[0]; });
  if (level) *level = same > 0;
  if (first) *first = values[0];
  if (second) *second = *differs;
  return up > 0 ? 1 : -1;
}

// Said of a numeric column that rises (or falls) through the file: see monotone_direction.
std::string monotone_reason(const CsvTable& table, size_t column, const std::vector<int64_t>& rows, const ColumnTransform& t,
                            int* found = nullptr) {
  bool level = false;
  double first = 0, second = 0;
  const int direction = monotone_direction(table, column, rows, t, &level, &first, &second);
  if (found) *found = direction;
  if (direction == 0) return "";
  return detail::concat(direction > 0 ? "rises" : "falls",
                        level ? direction > 0 ? " through the file, never falling" : " through the file, never rising" : " in every row",
                        " (", value_text(t, first, table.numbers), ", ", value_text(t, second, table.numbers),
                        ", ...): if it counts on (a parcel or serial number, a meter reading), a later file's rows lie "
                        "beyond training and score high for that alone; then give it the role ignore");
}

// The category of the values beyond a column's most frequent (ColumnTransform::others).
constexpr const char* kOtherCategory = "(other)";
std::string checkbox_reason(const std::string& value, int64_t empty) {
  return detail::concat("one value, '", value, "', and ", empty, empty == 1 ? " empty cell" : " empty cells",
                        ": read as two values, '", value, "' and '", kEmptyCategory, "', as a checkbox (an empty cell is "
                        "not imputed here: the column would say nothing)");
}

// A column with one value in every training row (a firmware version, a site): it tells no row from
// another, and a row with another value there (a new version) is unlike every training row.
std::string constant_reason(const std::string& value) {
  return "one value, " + value + ", in every training row: it tells no row from another, and a row with another value "
         "there is unlike every training row";
}

// A categorical column empty in more rows than its most frequent value fills: the empty cells a
// value of their own (TabularPreprocessor::fit_columns).
std::string sparse_reason(int64_t empty) {
  return detail::concat(empty, " empty cells, more than any value has: read as a value of their own, '", kEmptyCategory,
                        "' (none written), not imputed");
}

// Spellings of one value, as `key` tells them (values with an empty key are left alone): merged
// in `counts` into the most frequent spelling (on a tie, the first in sort order). Returns each
// merged group in words ("'x' (12) and 'X' (3) as 'x'"); empty when every value is spelled one way.
template <typename Key>
std::vector<std::string> merge_spellings(std::map<std::string, int64_t>& counts, Key key) {
  std::map<std::string, std::vector<std::pair<std::string, int64_t>>> groups;
  for (const auto& [value, count] : counts)
    if (std::string k = key(value); !k.empty()) groups[k].emplace_back(value, count);
  std::vector<std::string> merged;
  for (auto& [k, spellings] : groups) {
    if (spellings.size() < 2) continue;
    std::stable_sort(spellings.begin(), spellings.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<std::string> written;
    for (const auto& [value, count] : spellings) {
      written.push_back(detail::concat("'", value, "' (", count, ")"));
      if (value == spellings.front().first) continue;
      counts[spellings.front().first] += count;
      counts.erase(value);
    }
    merged.push_back(list_some(std::vector<std::string>(written.begin(), written.end() - 1), written.size()) + " and " +
                     written.back() + " as '" + spellings.front().first + "'");
  }
  return merged;
}

// Spellings that differ only in letter case ("x" and "X", "Yes" and "YES"), as exports typed by
// hand write them.
std::vector<std::string> merge_case_variants(std::map<std::string, int64_t>& counts) {
  return merge_spellings(counts, [](const std::string& value) { return fold_case(value); });
}

// Two reasons as one ("a; b"), either possibly empty.
std::string joined(const std::string& a, const std::string& b) { return a.empty() || b.empty() ? a + b : a + "; " + b; }

// A whole number without sign as its digits without leading zeros, read in `format`: "04400",
// "4400.0" where the decimal mark is the point, "4400,00" where it is the comma, "4.400" where the
// point groups thousands -> "4400"; "" for anything else ("1.000" where the decimal mark is the
// comma is a thousand, not a one; "1,000" where the comma is neither is nothing).
std::string whole_number_digits(std::string_view v, const NumberFormat& format) {
  std::string digits;
  size_t i = 0, group = 0;
  bool grouped = false;
  for (; i < v.size(); ++i) {
    if (v[i] >= '0' && v[i] <= '9') {
      digits += v[i], ++group;
    } else if (format.thousands != 0 && v[i] == format.thousands && group >= 1 && (grouped ? group == 3 : group <= 3) &&
               i + 1 < v.size()) {
      grouped = true, group = 0;
    } else {
      break;
    }
  }
  if (digits.empty() || (grouped && group != 3)) return "";
  if (i < v.size()) {
    if (v[i] != format.decimal || i + 1 == v.size()) return "";
    for (size_t j = i + 1; j < v.size(); ++j)
      if (v[j] != '0') return "";
  }
  const size_t first = std::min(digits.find_first_not_of('0'), digits.size() - 1);
  return digits.substr(first);
}

// Whole numbers written in more than one way ("4400" and "4400.0", "01067" and "1067"), as a
// spreadsheet re-writes a code column.
std::vector<std::string> merge_number_variants(std::map<std::string, int64_t>& counts, const NumberFormat& format) {
  return merge_spellings(counts, [&](const std::string& value) { return whole_number_digits(value, format); });
}

// A numeric column's training values are at most two (TabularPreprocessor::continuous_features).
bool at_most_two_values(const ColumnTransform& c) {
  if (c.two_values) return *c.two_values;
  if (c.quantiles.empty()) return true;
  const double low = c.quantiles.front(), high = c.quantiles.back(), near = 1e-9 * (high - low);
  const auto inside = std::count_if(c.quantiles.begin(), c.quantiles.end(),
                                    [&](double q) { return q > low + near && q < high - near; });
  return inside <= (c.quantiles.size() >= 1000 ? 1 : 0);
}

// A value's truth when it is written as one, ignoring letter case: 1 for true, t, yes, y, j, s, on, 1
// ("1.0" where the decimal mark is the point) and the German, French, Spanish, Italian, Portuguese
// and Dutch words for true, yes and on; 0 for false, f, no, n, off, 0 and those words for false, no
// and off (and the Scandinavian nej);
// -1 for anything else.
int truth_value(std::string_view value, const NumberFormat& format) {
  static const std::map<std::string, int, std::less<>> words = {
      // English, one-letter pairs (t/f, y/n, j/n, s/n: letters_of_one_pair), on/off
      {"true", 1}, {"false", 0}, {"t", 1}, {"f", 0}, {"yes", 1}, {"no", 0}, {"y", 1}, {"n", 0}, {"j", 1}, {"s", 1},
      {"on", 1}, {"off", 0},
      // German, French, Spanish, Italian, Portuguese, Dutch, Scandinavian
      {"wahr", 1}, {"falsch", 0}, {"ja", 1}, {"nein", 0}, {"ein", 1}, {"an", 1}, {"aus", 0},
      {"vrai", 1}, {"faux", 0}, {"oui", 1}, {"non", 0},
      {"verdadero", 1}, {"falso", 0}, {"s\xC3\xAD", 1}, {"si", 1},
      {"vero", 1}, {"s\xC3\xAC", 1},
      {"verdadeiro", 1}, {"sim", 1}, {"n\xC3\xA3o", 0}, {"nao", 0},
      {"waar", 1}, {"onwaar", 0}, {"nee", 0}, {"nej", 0}};
  if (const auto it = words.find(fold_case(trim(value))); it != words.end()) return it->second;
  const std::string digits = whole_number_digits(trim(value), format);
  return digits == "1" ? 1 : digits == "0" ? 0 : -1;
}

// Whether the one-letter values among `values` (letters, not digits) are of one pair, t/f, y/n, j/n
// (ja/nein) or s/n (si/no, sim/nao):
// else they are codes, not true and false (shifts T and N, day and night; status N and F, normal
// and fault).
template <typename Values, typename Value>
bool letters_of_one_pair(const Values& values, Value value_of) {
  std::string letters;
  for (const auto& v : values)
    if (const std::string_view text = trim(value_of(v)); text.size() == 1 && !(text[0] >= '0' && text[0] <= '9'))
      letters += char(std::tolower(static_cast<unsigned char>(text[0])));
  for (const char* pair : {"tf", "yn", "jn", "sn"})
    if (letters.find_first_not_of(pair) == std::string::npos) return true;
  return false;
}

// What a column's values (counted) say of true and false, in one pass.
struct TruthSpellings {
  bool all = false;        // every value is true or false (truth_value)
  int seen = 0;            // bit 0: false is among them, bit 1: true
  bool mixed = false;      // all, written in more than one way -- as words and as numbers ("TRUE" and
                           // "0"), or one truth in two words ("yes" and "Y") -- one-letter ones of one
                           // pair (letters_of_one_pair)
  int64_t as_numbers = 0;  // the cells written as numbers
  // Mixed, both truths there and half or more of the `present` cells numbers: a 0/1 flag whose
  // words read as 1 and 0 (else, mixed, categories: merge_truth_variants).
  bool flag(int64_t present) const { return mixed && seen == 3 && 2 * as_numbers >= present; }
};
TruthSpellings truth_spellings(const std::map<std::string, int64_t>& counts, const NumberFormat& format) {
  TruthSpellings s;
  size_t written[2] = {0, 0}, number_values = 0;
  for (const auto& [value, count] : counts) {
    const int truth = truth_value(value, format);
    if (truth < 0) return {};
    ++written[truth], s.seen |= 1 << truth;
    if (!whole_number_digits(value, format).empty()) ++number_values, s.as_numbers += count;
  }
  s.all = !counts.empty();
  s.mixed = s.all && (written[0] > 1 || written[1] > 1 || (number_values > 0 && number_values < counts.size())) &&
            letters_of_one_pair(counts, [](const auto& c) -> const std::string& { return c.first; });
  return s;
}

// A 0/1 flag's words, in words: "true and false also written as words, read as 1 and 0: 'TRUE' (3), 'no' (1)"
std::string truth_flag_reason(const std::map<std::string, int64_t>& counts, const NumberFormat& format) {
  std::vector<std::string> written;
  for (const auto& [value, count] : counts)
    if (whole_number_digits(value, format).empty()) written.push_back(detail::concat("'", value, "' (", count, ")"));
  return "true and false also written as words, read as 1 and 0: " + list_some(written, 4);
}

// Spellings of true and false in a column of mixed truth spellings (TruthSpellings::mixed),
// merged into each truth's most frequent (merge_spellings): the column's categories.
std::vector<std::string> merge_truth_variants(std::map<std::string, int64_t>& counts, const NumberFormat& format) {
  return merge_spellings(counts, [&](const std::string& value) { return std::string(truth_value(value, format) ? "true" : "false"); });
}

// A numeric column whose training values are 0 and 1, or one of them: a flag, whose cells written
// as true or false (truth_value) read as 1 and 0.
bool zero_one_flag(const ColumnTransform& c) {
  return c.kind == ColumnTransform::Kind::numeric && !c.quantiles.empty() && (c.quantiles.front() == 0 || c.quantiles.front() == 1) &&
         (c.quantiles.back() == 0 || c.quantiles.back() == 1) && at_most_two_values(c);
}

// In a categorical column whose categories are all true or false (truth_value), the one category
// of `value`'s `truth` (-1 when two are); in a checkbox of a true value (the value and "(empty)"),
// "(empty)" for false. -1 otherwise, also when the one-letter categories and `value` are not of
// one pair (letters_of_one_pair: "F" is not "N" in a column of Y and N).
int64_t truth_category(const ColumnTransform& c, std::string_view value, int truth, const NumberFormat& format) {
  int64_t found = -1, empty = -1, values = 0;
  int ticked = -1;
  for (size_t k = 0; k < c.categories.size(); ++k) {
    const std::string& category = c.categories[k];
    if (category == kEmptyCategory) {
      empty = int64_t(k);
      continue;
    }
    const int t = truth_value(category, format);
    if (t < 0) return -1;
    ++values, ticked = t;
    if (t == truth) {
      if (found >= 0) return -1;
      found = int64_t(k);
    }
  }
  std::vector<std::string_view> written(c.categories.begin(), c.categories.end());
  written.push_back(value);
  if (!letters_of_one_pair(written, [](std::string_view v) { return v; })) return -1;
  if (found < 0 && empty >= 0 && values == 1 && ticked == 1 && truth == 0) return empty;
  return found;
}

// The merged spellings in words: by letter case (merge_case_variants), by number
// (merge_number_variants), by truth value (merge_truth_variants).
std::string case_reason(const std::vector<std::string>& by_case, const std::vector<std::string>& by_number = {},
                        const std::vector<std::string>& by_truth = {}) {
  const auto groups = [](const std::vector<std::string>& merged) {
    std::string text;
    for (size_t i = 0; i < merged.size() && i < 3; ++i) text += (text.empty() ? "" : "; ") + merged[i];
    if (merged.size() > 3) text += detail::concat("; and ", merged.size() - 3, " more");
    return text;
  };
  return joined(joined(by_case.empty() ? "" : "read as one value whatever the letter case: " + groups(by_case),
                       by_number.empty() ? "" : "read as one value however the number is written: " + groups(by_number)),
                by_truth.empty() ? "" : "read as one value however true or false is written: " + groups(by_truth));
}

// A cell written like a duration: [-]H:MM or [-]H:MM:SS, seconds maybe with a fraction
// ("41:36:29.033"); its two or three numbers. False when it is not one.
bool duration_parts(std::string_view cell, int& count, double parts[3], bool& negative) {
  std::string_view s = trim(cell);
  negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  count = 0;
  for (;;) {
    const size_t colon = s.find(':');
    std::string_view part = s.substr(0, colon);
    const bool last = colon == std::string_view::npos;
    std::string_view fraction;
    // seconds with a fraction: "08:15:30.5"; "1:23,75" or "1:23.75" (a lap time: minutes:seconds)
    if (last && count >= 1 && part.size() > 3 && (part[2] == '.' || (part[2] == ',' && count == 1)))
      fraction = part.substr(3), part = part.substr(0, 2);
    const auto digits = [](std::string_view d) { return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; }); };
    if (count == 3 || part.empty() || part.size() > (count == 0 ? 6 : 2) || !digits(part) || !digits(fraction)) return false;
    if (count > 0 && (part.size() != 2 || part[0] > '5')) return false;  // minutes, seconds: 00-59
    parts[count++] = std::atof(std::string(part).c_str()) +
                     (fraction.empty() ? 0.0 : std::atof(("0." + std::string(fraction)).c_str()));
    if (last) break;
    s.remove_prefix(colon + 1);
  }
  return count >= 2;
}

// A duration cell in seconds; `minutes` says a two-part cell is minutes:seconds, not hours:minutes.
bool duration_seconds(std::string_view cell, bool minutes, double& seconds) {
  int count;
  double p[3];
  bool negative;
  if (!duration_parts(cell, count, p, negative)) return false;
  seconds = count == 3 ? p[0] * 3600 + p[1] * 60 + p[2] : minutes ? p[0] * 60 + p[1] : p[0] * 3600 + p[1] * 60;
  if (negative) seconds = -seconds;
  return true;
}

// A column of durations: every non-missing cell among `rows` written like one, and not all of
// them clock times -- some past 24:00 or negative ("34:39:00", "120:00"), or cells of three parts
// beside cells of two, as race times are written ("1:34:15", "48:08": then two parts are
// minutes:seconds). "08:15", "24:00" alone are dates or times, unless `clock_too` (the column was
// asked to be numeric): then hours:minutes[:seconds] too. Sets `minutes`; the reason, or "".
std::string duration_reason(const CsvTable& table, size_t column, const std::vector<int64_t>& rows, bool& minutes,
                            bool clock_too = false) {
  bool two = false, three = false, past_a_day = false, split_seconds = false;
  int count;
  double p[3];
  bool negative;
  for (int64_t row : rows) {
    const std::string_view cell = table.cell(size_t(row), column);
    if (is_missing_cell(cell)) continue;
    if (!duration_parts(cell, count, p, negative)) return "";
    (count == 2 ? two : three) = true;
    split_seconds = split_seconds || (count == 2 && p[1] != std::floor(p[1]));  // "1:23,75": seconds
    const double as_hours = p[0] * 3600 + p[1] * 60 + (count == 3 ? p[2] : 0);
    past_a_day = past_a_day || negative || as_hours > 24 * 3600;
  }
  minutes = (two && three) || split_seconds;
  if (!minutes && !past_a_day && !(clock_too && (two || three))) return "";
  const bool clock = !minutes && !past_a_day;  // every cell a clock time: the first shown
  std::string examples;
  double v;
  bool shown_two = false, shown_three = false;
  for (int64_t row : rows) {
    const std::string_view cell = trim(table.cell(size_t(row), column));
    if (is_missing_cell(cell) || !duration_parts(cell, count, p, negative)) continue;
    bool& shown = count == 2 ? shown_two : shown_three;
    if (shown || (!minutes && !clock && p[0] * 3600 + p[1] * 60 + (count == 3 ? p[2] : 0) <= 24 * 3600 && !negative)) continue;
    shown = true;
    duration_seconds(cell, minutes, v);
    char value[32];
    std::snprintf(value, sizeof value, "%.15g", v);
    examples += detail::concat(examples.empty() ? "" : ", ", "'", cell, "' is ", value);
    if (!minutes) break;
  }
  if (clock)
    return detail::concat("hours:minutes[:seconds] under a day (durations, or times of day as seconds after 0:00), read as "
                          "seconds, as the role numeric asks (", examples, ")");
  return detail::concat("durations (", minutes ? "h:mm:ss, and m:ss where a cell has two parts" : "hours:minutes[:seconds]",
                        "), read as seconds (", examples, ")");
}

// A column of durations ("3:15") and plain numbers ("3.75") side by side: decimal hours, or
// minutes? The cells cannot tell. The first cell of each kind (rows), and how many of each, when
// every non-missing cell among `rows` is one or the other and at least 2 are durations.
struct MixedDurations {
  int64_t durations = 0, numbers = 0, first_duration = -1, first_number = -1;
};
MixedDurations mixed_durations(const CsvTable& table, size_t column, const std::vector<int64_t>& rows) {
  MixedDurations m;
  int count;
  double p[3], v;
  bool negative;
  for (int64_t row : rows) {
    const std::string_view cell = table.cell(size_t(row), column);
    if (is_missing_cell(cell)) continue;
    if (duration_parts(cell, count, p, negative)) {
      if (m.durations++ == 0) m.first_duration = row;
    } else if (parse_number(cell, v, table.numbers)) {
      if (m.numbers++ == 0) m.first_number = row;
    } else {
      return {};
    }
  }
  return m.durations >= 2 && m.numbers > 0 ? m : MixedDurations{};
}

std::string mixed_durations_said(const CsvTable& table, size_t column, const MixedDurations& m) {
  return detail::concat("mixes durations written hours:minutes (line ", table.row_line(size_t(m.first_duration)), ": '",
                        shortened(trim(table.cell(size_t(m.first_duration), column))), "', ", m.durations, " cells) and plain numbers (line ",
                        table.row_line(size_t(m.first_number)), ": '", shortened(trim(table.cell(size_t(m.first_number), column))), "', ",
                        m.numbers, m.numbers == 1 ? " cell" : " cells",
                        "), which could be decimal hours or minutes: write every cell one way (3", table.numbers.decimal,
                        "75 hours as 3:45; 59", table.numbers.decimal, "98 seconds as 0:59", table.numbers.decimal,
                        "98), or call the column categorical");
}

// Every non-missing cell of `column` among `rows` a clock time ("7:17", "08:15:30"; at least
// one): times of day, or durations under a day -- the cells cannot tell.
bool clock_column(const CsvTable& table, size_t column, const std::vector<int64_t>& rows) {
  bool minutes = false;
  return !duration_reason(table, column, rows, minutes, true).empty() && duration_reason(table, column, rows, minutes).empty();
}

// A number written as a word, one to twelve ("four", "vier", "quatre", "cuatro", "quattro").
bool number_word(std::string_view cell) {
  static const std::set<std::string, std::less<>> kWords = {
      "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
      "eins", "zwei", "drei", "vier", "f\xC3\xBCnf", "fuenf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zw\xC3\xB6lf", "zwoelf",
      "un", "deux", "trois", "quatre", "cinq", "sept", "huit", "neuf", "dix", "onze", "douze",
      "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "due", "tre", "quattro", "cinque"};
  return kWords.count(fold_case(trim(cell))) > 0;
}

// A word that says something of a value, not that it is missing: an instrument's range ("HI",
// "over", a multimeter's "OL", "sat"), a lab's qualitative result ("trace", "neg", "positive",
// "BLQ": below the limit of quantification), a count's "zero"; a number written as a word.
bool tells_of_value(std::string_view cell) {
  static const std::set<std::string, std::less<>> kSayValue = {
      "hi",    "high",      "lo",       "low",       "over",     "under",     "above",    "below",  "ovf",  "overflow",
      "underflow", "oor",   "out of range", "overrange", "underrange", "max",  "min",      "trace",  "tr",   "neg",
      "pos",   "negative",  "positive", "zero",      "nil",      "inf",       "infinity", "-inf",   "+inf", "detected",
      "not detected", "bdl", "bql",     "blq",       "bloq",     "lod",       "loq",      "full",   "empty", "all", "some",
      "ol",    "+ol",       "-ol",      "ovl",       "sat",      "saturated", "over range", "under range",
      "many",  "few",       "hoch",     "niedrig",   "spur",     "spuren",    "positiv",  "negativ", "null", "keine"};
  return kSayValue.count(fold_case(trim(cell))) > 0 || number_word(cell);
}

// What a cell that labels a totals or averages row says: 's' sum, 'm' mean, 0 neither. A word
// first or last: "Summe", "Total:", "Grand total", "Summe 2024", "Einkauf Ergebnis", "Purchasing
// Total" (Excel's subtotals), "2022 Ergebnis" (a year's, in a pivot table).
char summary_word(std::string_view cell) {
  static const std::vector<std::pair<std::string_view, char>> kWords = {
      {"grand total", 's'}, {"total", 's'},  {"totals", 's'},   {"sum", 's'},         {"summe", 's'},       {"summen", 's'},
      {"gesamt", 's'},      {"gesamtsumme", 's'}, {"insgesamt", 's'}, {"zwischensumme", 's'}, {"subtotal", 's'}, {"sub-total", 's'},
      {"sub total", 's'},   {"totaal", 's'}, {"somme", 's'},    {"totale", 's'},      {"suma", 's'},        {"summa", 's'},
      {"ergebnis", 's'},    {"gesamtergebnis", 's'}, {"\xCE\xA3", 's'}, {"\xE2\x88\x91", 's'},
      {"average", 'm'},     {"mean", 'm'},   {"avg", 'm'},      {"mittelwert", 'm'},  {"durchschnitt", 'm'}, {"moyenne", 'm'},
      {"media", 'm'},       {"promedio", 'm'}, {"gemiddelde", 'm'}, {"\xC3\xB8", 'm'}, {"\xC3\x98", 'm'}};
  const std::string_view trimmed = trim(cell);
  if (trimmed.empty() || trimmed.size() > 60) return 0;
  const auto digit = [](std::string_view s) { return !s.empty() && s[0] >= '0' && s[0] <= '9'; };
  // Every word holds a letter or a multi-byte character: a number ("-3.5", ".5") names nothing.
  if (std::none_of(trimmed.begin(), trimmed.end(), [](char ch) {
        const unsigned char u = static_cast<unsigned char>(ch);
        return u >= 0x80 || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z');
      }))
    return 0;
  // A number's group total ("2022 Ergebnis", "2023 Total": a year's): the word after it; no numbers.
  if (digit(trimmed)) {
    const size_t space = trimmed.find(' ');
    const std::string_view rest = space == std::string_view::npos ? std::string_view() : trim(trimmed.substr(space + 1));
    return !rest.empty() && !digit(rest) && summary_word(rest) == 's' ? 's' : 0;
  }
  std::string t = lower(trimmed);
  while (!t.empty() && (t.back() == ':' || t.back() == '.')) t.pop_back();
  const auto ends_word = [&](size_t at) { return at == t.size() || t[at] == ' ' || t[at] == ':'; };
  for (const auto& [word, kind] : kWords) {
    if (t.compare(0, word.size(), word) == 0 && ends_word(word.size())) return kind;
    if (t.size() > word.size() && t.compare(t.size() - word.size(), word.size(), word) == 0 && t[t.size() - word.size() - 1] == ' ')
      return kind;
  }
  return 0;
}

// A cell that may stand for a missing value among numbers: no digit, no missing marker, truth
// word, totals label or word telling of the value (with_words_read_as_missing).
bool placeholder_word(std::string_view cell, const NumberFormat& numbers) {
  const std::string_view t = trim(cell);
  return !t.empty() && t.size() <= 20 && std::none_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) &&
         !is_missing_cell(t) && truth_value(t, numbers) < 0 && summary_word(t) == 0 && !tells_of_value(t);
}

// The words among a column's numbers that training reads as missing, and the share at most.
constexpr int64_t kWordsAmongNumbers = 20;  // 1 value in 20

// The rows of a column's cells that are neither missing nor numbers, in the order a message names
// them: a word telling of the value ("HI") first, as a few others would be read as missing without
// it; in a column of 0 and 1, true and false written as words (which would read as 1 and 0) last.
std::vector<int64_t> rows_not_numbers(const CsvTable& table, size_t column) {
  std::vector<int64_t> rows;
  bool flag = true;  // the numbers all 0 or 1
  double v;
  for (size_t r = 0; r < table.row_count(); ++r) {
    const std::string_view cell = table.cell(r, column);
    if (is_missing_cell(cell)) continue;
    if (parse_number(cell, v, table.numbers))
      flag = flag && (v == 0 || v == 1);
    else
      rows.push_back(int64_t(r));
  }
  if (flag) std::stable_partition(rows.begin(), rows.end(), [&](int64_t r) { return truth_value(table.cell(size_t(r), column), table.numbers) < 0; });
  std::stable_partition(rows.begin(), rows.end(), [&](int64_t r) { return tells_of_value(table.cell(size_t(r), column)); });
  return rows;
}

// The cells of `rows` after the first that a message names, at most three: "line 14 'tbd', line 23
// 'n/v', line 32 'tbd', ..." (the dots where more follow).
std::string next_cells_said(const CsvTable& table, size_t column, const std::vector<int64_t>& rows) {
  std::vector<std::string> shown;
  for (size_t i = 1; i < rows.size() && i < 4; ++i)
    shown.push_back(detail::concat("line ", table.row_line(size_t(rows[i])), " '", shortened(table.cell(size_t(rows[i]), column)), "'"));
  return list_some(shown, 3) + (rows.size() > 4 ? ", ..." : "");
}

// Where a column's cells that are not numbers are words alone (placeholder_word), but more than
// with_words_read_as_missing reads as missing: the rule and the column's count; else "".
std::string words_beyond_share_said(const CsvTable& table, size_t column, const std::vector<int64_t>& not_numbers) {
  int64_t values = 0;
  for (size_t r = 0; r < table.row_count(); ++r) values += !is_missing_cell(table.cell(r, column));
  const int64_t words = int64_t(not_numbers.size());
  if (words == 0 || words * kWordsAmongNumbers <= values || values < kWordsAmongNumbers ||
      !std::all_of(not_numbers.begin(), not_numbers.end(), [&](int64_t r) { return placeholder_word(table.cell(size_t(r), column), table.numbers); }))
    return "";
  return detail::concat("training reads a few words among a column's numbers as missing, 1 value in ", kWordsAmongNumbers,
                        " at most; this column has ", words, " of its ", values, " values so");
}

bool number_in_cell(std::string_view cell, const NumberFormat& format, double& value) {
  if (parse_number(cell, value, format)) return true;
  const Affixed a = split_affixes(trim(cell));
  return plausible_unit(a) && parse_number(a.number, value, format);
}

// Row `r` repeats the header: at least 2 cells, and half the non-empty ones, are a column's name
// (`header`: the names trimmed, in lower case), in its place or another (a second export with its
// columns in another order: transform refuses it).
bool repeats_header(const CsvTable& table, size_t r, const std::vector<std::string>& header) {
  size_t named = 0, present = 0;
  for (size_t c = 0; c < table.column_count(); ++c)
    if (const std::string_view cell = trim(table.cell(r, c)); !cell.empty()) {
      ++present;
      named += std::any_of(header.begin(), header.end(), [&](const std::string& name) {  // (as lower(cell) == name, unallocated)
        return name.size() == cell.size() && std::equal(cell.begin(), cell.end(), name.begin(), [](char a, char b) {
                 return char(std::tolower(static_cast<unsigned char>(a))) == b;
               });
      });
    }
  return named >= 2 && 2 * named >= present;
}

std::vector<std::string> lower_header(const CsvTable& table) {
  std::vector<std::string> header;
  for (const std::string& name : table.header) header.push_back(lower(trim(name)));
  return header;
}

// A second header line, such as the columns' units ("°C;hPa;l/min"), read as the first row: it
// holds no number, where a column below holds only numbers. Refused, naming it.
void check_units_line(const CsvTable& table) {
  if (table.row_count() < 3) return;
  const size_t below = std::min<size_t>(table.row_count(), 200);
  std::string shown, first_column;
  int shown_cells = 0, numeric_below = 0;  // cells of this line over columns of numbers
  double v;
  for (size_t c = 0; c < table.column_count(); ++c) {
    const std::string_view cell = table.cell(0, c);
    if (parse_any_number(cell, v, table.numbers)) return;
    if (is_missing_cell(cell)) continue;
    if (shown_cells++ < 4) shown += (shown.empty() ? "'" : ", '") + std::string(trim(cell)) + "'";
    int64_t numbers = 0;
    bool all = true;
    for (size_t r = 1; r < below && all; ++r) {
      const std::string_view other = table.cell(r, c);
      if (is_missing_cell(other)) continue;
      all = parse_any_number(other, v, table.numbers);
      ++numbers;
    }
    if (all && numbers >= 2 && ++numeric_below == 1) first_column = table.header[c];
  }
  if (numeric_below < 2) return;  // one such cell is a typo in a row, said by the column's check
  throw Error(detail::concat("CSV line ", table.row_line(0), ": holds no number (", shown, ") where column '", first_column,
                             "' below holds only numbers: if it is a second header line, such as the columns' units, "
                             "delete it"));
}

constexpr const char* kClockReason =
    "times of day, or durations under a day (hours:minutes): left out of training as dates are; give the column the "
    "role numeric to read them as hours and minutes, in seconds";
constexpr const char* kDateReason =
    "dates or times: left out of training (when a row was written says little about what it is, and new rows "
    "lie after every training date); a part that matters, such as the hour or the weekday, can be a column of its own";

// A category as a value: its surrounding spaces removed and its letters in one Unicode form, so that
// "Café" typed with a combining accent is the same category (text.h's normalize_text).
std::string category_of(std::string_view cell) {
  const std::string_view t = trim(cell);
  if (std::all_of(t.begin(), t.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) return std::string(t);
  return normalize_text(t);
}

namespace {
// How often each of a column's values (category_of) occurs: counted in a hash table (a column of
// measurements has about as many values as rows), ordered once at the end, as a std::map.
class ValueTally {
 public:
  void add(std::string_view cell) { ++counts_[category_of(cell)]; }
  std::map<std::string, int64_t> ordered() const {
    std::vector<std::pair<std::string, int64_t>> sorted(counts_.begin(), counts_.end());
    std::sort(sorted.begin(), sorted.end());
    std::map<std::string, int64_t> out;
    for (auto& value : sorted) out.emplace_hint(out.end(), std::move(value));
    return out;
  }

 private:
  std::unordered_map<std::string, int64_t> counts_;
};
}  // namespace

// Where a user names the decimal mark, for messages.
std::string decimal_mark_option(char mark) {
  return detail::concat("the decimal mark menu on the page, --decimal-mark ", mark, " for ca3, TableOptions.decimalMark in the SDK");
}

// A number written with the other decimal mark than `format`'s, where that is the only reading
// ("2.532,68" or "12,5" where the decimal mark is the point, "1,234.5" or "0.5" where it is the
// comma; also with the column's unit, "$2.532,68"): a file put together from two sources. Then
// the rest of an error message about the cell (after its quoted text), else "". Not "1,234" or
// "$1.500": the mark there may as well group thousands. `named`: the user named `format`'s mark.
std::string other_mark_said(std::string_view cell, const NumberFormat& format, const NumberUnit& unit = {}, bool named = false) {
  const char mark = format.decimal == ',' ? '.' : ',', groups = mark == ',' ? '.' : ',';
  const NumberFormat other{mark, groups};
  double value;
  const Affixed a = split_affixes(cell);
  const std::string_view t = trim(cell);
  // "5.730.383" where the decimal mark is the point: its digits grouped with the file's decimal mark.
  const bool grouped_by_decimal = std::count(t.begin(), t.end(), format.decimal) > 1 && t.find(mark) == std::string_view::npos;
  if ((t.find(mark) == std::string_view::npos && !grouped_by_decimal) ||
      !(parse_number_with_unit(cell, value, other, unit) || (plausible_unit(a) && parse_number(a.number, value, other))))
    return "";
  if (parse_number(a.number, value, NumberFormat{format.decimal, mark})) return "";  // the mark groups thousands as well
  if (named)  // (the file's other numbers may all be written so: the name is what to doubt)
    return detail::concat(grouped_by_decimal ? detail::concat("' groups its digits with '", format.decimal, "'")
                                             : detail::concat("' is written with '", mark, "' as the decimal mark"),
                          ", and the decimal mark named for this file is '", format.decimal, "': if the file writes its numbers "
                          "so, name '", mark, "' (", decimal_mark_option(mark), "), or name none and let the file's numbers tell it");
  if (grouped_by_decimal)
    return detail::concat("' groups its digits with '", format.decimal, "', which this file's other numbers use as the decimal mark "
                          "(a file put together from two sources?): write every number of the file one way");
  return detail::concat("' is written with '", mark, "' as the decimal mark, and this file's other numbers with '", format.decimal,
                        "' (a file put together from two sources?): write every number of the file one way");
}

// "<0,5 mmol/L", "> 1000", "≤ 5": a limit (what a lab writes below its detection limit), not a
// measured value: said, with what to write instead; empty for any other cell.
std::string limit_said(std::string_view cell, const NumberFormat& format, const NumberUnit& unit = {}) {
  const std::string_view t = trim(cell);
  size_t sign = 0;
  for (std::string_view s : {"<=", ">=", "\xE2\x89\xA4", "\xE2\x89\xA5", "<", ">"})
    if (t.substr(0, s.size()) == s) {
      sign = s.size();
      break;
    }
  if (sign == 0) return "";
  const std::string_view rest = trim(t.substr(sign));
  const Affixed a = split_affixes(rest);
  double v;
  if (!parse_number_with_unit(rest, v, format, unit) && !(plausible_unit(a) && parse_number(a.number, v, format))) return "";
  const bool below = t[0] == '<' || t.substr(0, 3) == "\xE2\x89\xA4";
  return detail::concat("' is a limit (a value ", below ? "below" : "above", " what could be measured), not a value: "
                        "write a number in its place (the limit itself, or what your field's rule puts there) or leave the "
                        "cell empty for a missing value");
}

// Why a cell that is no number in `format` is none, when a kind of writing tells (a limit, the
// other decimal mark): the message's tail after the cell, or empty.
std::string not_a_number_said(std::string_view cell, const NumberFormat& format, const NumberUnit& unit = {}, bool named = false) {
  const std::string limit = limit_said(cell, format, unit);
  return limit.empty() ? other_mark_said(cell, format, unit, named) : limit;
}

// The cells of `column` in `rows` that are numbers written otherwise (not_a_number_said: the other
// decimal mark, a limit): how many, and the first.
struct OtherMarkCells {
  int64_t count = 0, first_row = -1;
};
OtherMarkCells other_mark_cells(const CsvTable& table, size_t column, const std::vector<int64_t>& rows, const NumberUnit& unit) {
  OtherMarkCells found;
  double v;
  for (int64_t row : rows) {
    const std::string_view cell = table.cell(size_t(row), column);
    if (is_missing_cell(cell) || parse_number_with_unit(cell, v, table.numbers, unit) || not_a_number_said(cell, table.numbers, unit, table.numbers_named).empty())
      continue;
    if (found.count++ == 0) found.first_row = row;
  }
  return found;
}

double numeric_cell(const CsvTable& table, const NumberFormat& numbers, size_t row, size_t column, const ColumnTransform& t) {
  const std::string_view cell = table.cell(row, column);
  if (is_missing_cell(cell)) return t.fill;
  double v;
  if (t.duration) {
    CA3_CHECK(duration_seconds(cell, t.duration == 'm', v), "CSV line ", table.row_line(row), ", column '", t.name, "': '",
              shortened(cell), "' is not a duration written ", t.duration == 'm' ? "h:mm:ss or m:ss" : "hours:minutes[:seconds]",
              " (minutes and seconds from 00 to 59), as the column's training values were");
    return v;
  }
  // A whole number with the minus after it ("5-") reads so when scoring in any numeric column (the
  // training rows of a column may have had no negative number; CellNotes says so).
  if (parse_number_with_unit(cell, v, numbers, unit_of(t, true))) return v;
  if (const int truth = truth_value(cell, numbers); truth >= 0 && zero_one_flag(t)) return truth;  // "TRUE" as 1
  if (const std::string limit = limit_said(cell, numbers, unit_of(t, t.minus_after)); !limit.empty())
    throw Error(detail::concat("CSV line ", table.row_line(row), ", column '", t.name, "': '", shortened(cell), limit));
  if (!t.prefix.empty() || !t.suffix.empty())
    if (const Affixed a = split_affixes(cell); parse_number(a.number, v, numbers))
      throw Error(detail::concat("CSV line ", table.row_line(row), ", column '", t.name, "': '", shortened(cell), "' is not in '",
                                 t.prefix + t.suffix, "', the unit the model learned the column in (write it in '",
                                 t.prefix + t.suffix, "')"));
  if (t.prefix.empty() && t.suffix.empty())  // (not a count's scale: "9.9k" is no 9.9)
    if (const Affixed a = split_affixes(cell); plausible_unit(a) && parse_number(a.number, v, numbers) &&
                                               !(a.prefix.empty() && unit_size(a.suffix) && unit_size(a.suffix)->scale)) {
      // A percentage where training's values all lay between 0 and 1: those were fractions.
      const bool fractions = a.prefix.empty() && a.suffix == "%" && !t.quantiles.empty() && t.quantiles.front() >= 0 &&
                             t.quantiles.back() <= 1;
      throw Error(detail::concat("CSV line ", table.row_line(row), ", column '", t.name, "': '", shortened(cell),
                                 "' is a number written with '", a.prefix, a.suffix,
                                 "', and the model learned the column as plain numbers: write it as they were (",
                                 fractions ? value_text(t, (a.negative ? -v : v) / 100, numbers) +
                                                 ", a fraction: the column's training values all lie between 0 and 1"
                                           : detail::concat(a.negative ? "-" : "", a.number),
                                 "), or train on a file that writes the column with '", a.prefix, a.suffix, "'"));
    }
  if (parse_any_number(cell, v, numbers))  // inf, 1e999
    throw Error(detail::concat("CSV line ", table.row_line(row), ", column '", t.name, "': '", shortened(cell),
                               "' is not a finite number (leave the cell empty or write NA for a missing value)"));
  if (const std::string other = other_mark_said(cell, numbers, unit_of(t, t.minus_after), table.numbers_named); !other.empty())
    throw Error(detail::concat("CSV line ", table.row_line(row), ", column '", t.name, "': '", shortened(cell), other));
  throw Error(detail::concat("CSV line ", table.row_line(row), ", column '", t.name, "': '", shortened(cell),
                             "' is not a number (the column is numeric; leave the cell empty or write NA for a missing value)"));
}

}  // namespace

// The rows that repeat the header as it is (two exports one below the other): rows holding no
// sample. One that names other columns in part ("temp,rpm,pressure" under "temp,rpm,vib"), or the
// same columns in another order, heads rows laid out otherwise: refused, naming its cells.
// `training`: the words for a file trained on, else for one scored.
std::vector<size_t> repeated_headers(const CsvTable& table, bool training) {
  const std::vector<std::string> header = lower_header(table);
  std::vector<size_t> repeated;
  for (size_t r = 0; r < table.row_count(); ++r) {
    if (!repeats_header(table, r, header)) continue;
    std::vector<std::string> other;
    bool moved = true;  // every name in it is one of the header's, in another place
    for (size_t c = 0; c < table.column_count(); ++c)
      if (const std::string_view cell = trim(table.cell(r, c)); !cell.empty() && lower(cell) != header[c]) {
        other.push_back(detail::concat("'", shortened(cell), "' under '", table.header[c], "'"));
        moved = moved && std::find(header.begin(), header.end(), lower(cell)) != header.end();
      }
    CA3_CHECK(other.empty() || !moved, "CSV line ", table.row_line(r), " repeats the header with its columns in another order (",
              list_some(other, 3), "): the rows below it are laid out otherwise, and read under the first header their values "
              "would go to the wrong columns; ", training ? "train on" : "score", " the two parts as separate files, or put the "
              "columns of the second in the first one's order");
    CA3_CHECK(other.empty(), "CSV line ", table.row_line(r), " repeats the header in part (", list_some(other, 3),
              training ? "): the rows below it may hold other columns than those above; train on the two parts as separate files"
                       : "): the rows below it may hold other columns than the model's; score the two parts as separate files");
    repeated.push_back(r);
  }
  return repeated;
}

namespace {
// Excel's Accounting format writes a zero as a dash beside the currency: "$ -", "- €", "€-".
bool accounting_zero(std::string_view cell, std::string_view unit) {
  std::string_view s = trim(cell);
  if (unit.empty() || s.size() <= unit.size()) return false;
  if (s.substr(0, unit.size()) == unit) s.remove_prefix(unit.size());
  else if (s.substr(s.size() - unit.size()) == unit) s.remove_suffix(unit.size());
  else return false;
  s = trim(s);
  return s == "-" || s == "\xE2\x80\x93" || s == "\xE2\x80\x94" || s == "\xE2\x88\x92";  // - – — −
}
}  // namespace

namespace {
// "5-" as -5: a number without a sign, then a minus.
bool minus_after_number(std::string_view cell, double& value, const NumberFormat& format) {
  const std::string_view s = trim(cell);
  if (s.size() < 2 || s.back() != '-' || !(s[s.size() - 2] >= '0' && s[s.size() - 2] <= '9') || !(s[0] >= '0' && s[0] <= '9'))
    return false;
  if (!parse_number(s.substr(0, s.size() - 1), value, format)) return false;
  value = -value;
  return true;
}
// A grade's "2+": a digit, then a plus.
bool plus_after_number(std::string_view cell) {
  const std::string_view s = trim(cell);
  return s.size() >= 2 && s.back() == '+' && s[s.size() - 2] >= '0' && s[s.size() - 2] <= '9';
}
}  // namespace

namespace {
// One name for a unit written two ways: a currency's sign and its ISO code ("€" and "EUR"), "l" and "L".
std::string_view unit_name(std::string_view unit) {
  static const std::map<std::string_view, std::string_view> kSame = {
      {"\xE2\x82\xAC", "EUR"}, {"$", "USD"}, {"US$", "USD"}, {"\xC2\xA3", "GBP"}, {"\xE2\x82\xB9", "INR"}, {"\xE2\x82\xA9", "KRW"},
      {"Fr.", "CHF"}, {"z\xC5\x82", "PLN"}, {"R$", "BRL"}, {"RMB", "CNY"}, {"l", "L"}, {"ml", "mL"}};
  const auto it = kSame.find(unit);
  return it == kSame.end() ? unit : it->second;
}
}  // namespace

std::optional<UnitSize> unit_size(std::string_view unit) {
  static const std::map<std::string_view, UnitSize> kSizes = {
      {"\xC2\xB5" "g", {"mass", 1e-6}}, {"mg", {"mass", 1e-3}}, {"g", {"mass", 1}}, {"kg", {"mass", 1e3}}, {"t", {"mass", 1e6}},
      {"\xC2\xB5" "s", {"time", 1e-6}}, {"ms", {"time", 1e-3}}, {"s", {"time", 1}}, {"sec", {"time", 1}},
      {"min", {"time", 60}}, {"h", {"time", 3600}},
      {"nm", {"length", 1e-9}}, {"\xC2\xB5" "m", {"length", 1e-6}}, {"mm", {"length", 1e-3}}, {"cm", {"length", 1e-2}},
      {"m", {"length", 1}}, {"km", {"length", 1e3}},
      {"ml", {"volume", 1e-3}}, {"mL", {"volume", 1e-3}}, {"cl", {"volume", 1e-2}}, {"l", {"volume", 1}}, {"L", {"volume", 1}},
      {"B", {"data", 1}}, {"kB", {"data", 1e3}}, {"KB", {"data", 1e3}}, {"MB", {"data", 1e6}}, {"GB", {"data", 1e9}},
      {"TB", {"data", 1e12}}, {"KiB", {"data", 1024.0}}, {"MiB", {"data", 1048576.0}}, {"GiB", {"data", 1073741824.0}},
      {"Wh", {"energy", 1}}, {"kWh", {"energy", 1e3}}, {"MWh", {"energy", 1e6}}, {"GWh", {"energy", 1e9}},
      {"W", {"power", 1}}, {"kW", {"power", 1e3}}, {"MW", {"power", 1e6}},
      {"Hz", {"frequency", 1}}, {"kHz", {"frequency", 1e3}}, {"MHz", {"frequency", 1e6}}, {"GHz", {"frequency", 1e9}},
      {"mV", {"voltage", 1e-3}}, {"V", {"voltage", 1}}, {"kV", {"voltage", 1e3}},
      {"Pa", {"pressure", 1}}, {"hPa", {"pressure", 1e2}}, {"kPa", {"pressure", 1e3}}, {"MPa", {"pressure", 1e6}},
      {"mbar", {"pressure", 1e2}}, {"bar", {"pressure", 1e5}},
      {"k", {"count", 1e3, true}}, {"Tsd", {"count", 1e3, true}}, {"Tsd.", {"count", 1e3, true}},
      {"Mio", {"count", 1e6, true}}, {"Mio.", {"count", 1e6, true}}, {"Mrd", {"count", 1e9, true}},
      {"Mrd.", {"count", 1e9, true}}, {"bn", {"count", 1e9, true}},
      {"K", {"count", 1e3, true, true}}, {"M", {"count", 1e6, true, true}}};
  const auto it = kSizes.find(unit);
  if (it == kSizes.end()) return std::nullopt;
  return it->second;
}

std::optional<UnitSize> column_unit_size(const NumberUnit& unit) {
  if (!unit.prefix.empty()) return std::nullopt;
  const std::optional<UnitSize> size = unit_size(unit.suffix);
  if (!size || (size->only_beside && !unit.count_scale)) return std::nullopt;
  return size;
}

bool parse_number_with_unit(std::string_view cell, double& value, const NumberFormat& format, const NumberUnit& unit) {
  const std::optional<UnitSize> column_size = column_unit_size(unit);
  if (parse_number(cell, value, format)) {
    // A count written without a scale among counts written with one ("449" among "9.9k") is one.
    if (column_size && column_size->scale) value /= column_size->size;
    return true;
  }
  if (unit.minus_after && minus_after_number(cell, value, format)) return true;
  if (unit.prefix.empty() && unit.suffix.empty()) return false;
  if (accounting_zero(cell, unit.text())) return value = 0, true;
  const Affixed a = split_affixes(cell);
  // The unit on either side: "$100.00" or "100.00 $", "€ 2.405,19" or "2.405,19 €", "2.405,19 EUR".
  const bool same = (a.prefix == unit.prefix && a.suffix == unit.suffix) || (a.prefix == unit.suffix && a.suffix == unit.prefix) ||
                    (a.prefix.empty() != a.suffix.empty() && unit.prefix.empty() != unit.suffix.empty() &&
                     unit_name(a.prefix.empty() ? a.suffix : a.prefix) == unit_name(unit.text()));
  // Or another size of the column's unit ("1.11 kg" among "857 g", "1.0 h" among "47 min"):
  // converted to the column's unit.
  // ("1.2M" among "9.9k": "M" is no unit alone, but a scale beside one)
  const std::optional<UnitSize> size = !same && column_size && a.prefix.empty() ? unit_size(a.suffix) : std::nullopt;
  if (!same && !(size && size->dimension == column_size->dimension && (size->only_beside || plausible_unit(a)))) return false;
  if (!parse_number(a.number, value, format)) return false;
  if (size) value *= size->size / column_size->size;
  if (a.negative) value = -value;
  return true;
}

NumberUnit number_unit(const CsvTable& table, size_t column, const std::vector<int64_t>& rows, int64_t* odd_cells,
                       int64_t* first_odd_row) {
  // Each unit's cells, by its text (either side of the number), with the form first seen.
  std::map<std::string, std::pair<int64_t, NumberUnit>> units;
  std::map<std::string, std::pair<int64_t, bool>> scaled;  // "M": cells, and whether one has a fraction
  int64_t present = 0, plain = 0, minus_after = 0, plus_after = 0;
  bool grades = true;  // every value a whole number 0 to 6, as school grades ("2-" a grade, not -2)
  for (int64_t row : rows) {
    const std::string_view cell = table.cell(size_t(row), column);
    double v;
    if (is_missing_cell(cell)) continue;
    ++present;
    if (parse_number(cell, v, table.numbers)) {
      ++plain, grades = grades && v == std::floor(v) && std::fabs(v) <= 6;
      continue;
    }
    if (minus_after_number(cell, v, table.numbers)) {
      ++minus_after, grades = grades && v == std::floor(v) && std::fabs(v) <= 6;
      continue;
    }
    plus_after += plus_after_number(cell);
    const Affixed a = split_affixes(cell);
    // "2.34M", "850K": a count's scale against the number, which could be a code too ("12M" a
    // child's size, as "12A"): counted apart.
    if (const std::optional<UnitSize> size = unit_size(a.suffix);
        size && size->only_beside && a.attached && a.prefix.empty() && parse_number(a.number, v, table.numbers)) {
      auto& [count, fraction] = scaled[std::string(a.suffix)];
      ++count, fraction = fraction || v != std::floor(v);
      continue;
    }
    if (!plausible_unit(a) || !parse_number(a.number, v, table.numbers)) continue;
    auto& [count, form] = units[std::string(unit_name(std::string(a.prefix) + std::string(a.suffix)))];
    if (count++ == 0) form = {std::string(a.prefix), std::string(a.suffix)};
  }
  // Beside another scale ("850K" and "2.34M", "879k") or plain numbers ("1200000", "2.5M"): counts,
  // each read in the column's scale. Alone, with a fraction somewhere ("2.34M", or a molar
  // "0.5M"): a unit, read without it. Codes otherwise ("6M", "12M", "18M": a child's sizes).
  const bool other_scale = std::any_of(units.begin(), units.end(), [](const auto& u) {
    const std::optional<UnitSize> size = unit_size(u.second.second.suffix);
    return u.second.second.prefix.empty() && size && size->scale;
  });
  const bool counts = scaled.size() > 1 || other_scale || plain > 0;
  for (const auto& [suffix, seen] : scaled)
    if (scaled.size() > 1 || other_scale || seen.second) {
      auto& [count, form] = units[suffix];
      if (count == 0) form = {"", suffix, false, counts};
      count += seen.first;
    }
  if (units.empty() && (minus_after == 0 || plus_after > 0 || grades)) return {};
  NumberUnit unit;
  if (!units.empty()) {
    auto most = units.begin();
    for (auto it = units.begin(); it != units.end(); ++it)
      if (it->second.first > most->second.first) most = it;
    unit = most->second.second;
  }
  unit.minus_after = minus_after > 0 && plus_after == 0 && !(units.empty() && grades);
  // The cells it reads (with Excel's "$ -" zeros); the rest are typos or another unit. Three in
  // four, as a column of plain numbers with a typo.
  int64_t odd = 0, first = -1;
  for (int64_t row : rows) {
    const std::string_view cell = table.cell(size_t(row), column);
    double v;
    if (is_missing_cell(cell) || parse_number_with_unit(cell, v, table.numbers, unit)) continue;
    if (odd++ == 0) first = row;
  }
  if (double(present - odd) < 0.75 * double(present) || present - odd == plain) return {};
  if (odd_cells) *odd_cells = odd;
  if (first_odd_row) *first_odd_row = first;
  return unit;
}

namespace {

// Of a column whose unit has sizes (unit_size): the first cell of another size, or bare where the
// unit is a count's scale, and what it was read as ("; '1.11 kg' read as 1110 g"), or "".
std::string other_sizes_said(const CsvTable& table, size_t column, const std::vector<int64_t>& rows, const NumberUnit& unit) {
  const std::optional<UnitSize> column_size = column_unit_size(unit);
  if (!column_size) return "";
  const bool count = column_size->scale;
  for (int64_t row : rows) {
    const std::string_view cell = trim(table.cell(size_t(row), column));
    double v;
    if (is_missing_cell(cell)) continue;
    const bool bare = parse_number(cell, v, table.numbers);
    if ((bare && !count) || (!bare && split_affixes(cell).suffix == unit.suffix) || !parse_number_with_unit(cell, v, table.numbers, unit))
      continue;
    char value[32];
    std::snprintf(value, sizeof value, "%.6g", v);
    return detail::concat("; other sizes converted: '", cell, "' read as ", value, " ", unit.suffix);
  }
  return "";
}

std::string unit_reason(const CsvTable& table, size_t column, const std::vector<int64_t>& rows, const NumberUnit& unit) {
  if (unit.text().empty()) return "";  // only the minus after the number: sign_reason says it
  // The example: the first cell in the column's unit ("850 g", not "1.11 kg"), else the first with one.
  const auto in_unit = [&](std::string_view cell) {
    const Affixed a = split_affixes(cell);
    return unit_name(std::string(a.prefix) + std::string(a.suffix)) == unit_name(unit.text());
  };
  std::vector<int64_t> order;
  for (int64_t row : rows)
    if (in_unit(table.cell(size_t(row), column))) order.push_back(row);
  order.insert(order.end(), rows.begin(), rows.end());
  for (int64_t row : order) {
    const std::string_view cell = table.cell(size_t(row), column);
    double v;
    if (is_missing_cell(cell) || parse_number(cell, v, table.numbers) || accounting_zero(cell, unit.text())) continue;
    parse_number_with_unit(cell, v, table.numbers, unit);
    char value[32];
    std::snprintf(value, sizeof value, "%.15g", v);
    std::string zero;  // Excel's Accounting zero, if any
    for (int64_t r : rows)
      if (accounting_zero(table.cell(size_t(r), column), unit.text())) {
        zero = detail::concat("; '", trim(table.cell(size_t(r), column)), "' is 0, as Excel's Accounting format writes a zero");
        break;
      }
    const std::optional<UnitSize> size = column_unit_size(unit);
    char scale[48] = "";  // a count's scale: what one of it is
    if (size && size->scale) std::snprintf(scale, sizeof scale, " (1 %s = %.15g)", unit.suffix.c_str(), size->size);
    return detail::concat("numbers written with '", unit.text(), "'", scale, *scale ? ", read in " + unit.suffix : ", read without it",
                          " ('", trim(cell), "' is ", value, ")", zero,
                          other_sizes_said(table, column, rows, unit));
  }
  return "";
}


// Said of a numeric column with negative amounts written in accounting brackets ("(3.50)") or
// with a trailing minus ("3,50-"), and of numbers with Excel's text mark before them ("'10,78"),
// from the first of each.
std::string sign_reason(const CsvTable& table, size_t column, const std::vector<int64_t>& rows, const NumberUnit& unit) {
  std::string brackets, trailing, text_mark;
  for (int64_t row : rows) {
    const std::string_view cell = trim(table.cell(size_t(row), column));
    double v;
    if (text_mark.empty() && cell.size() > 1 && without_text_mark(cell).size() < cell.size() &&
        parse_number_with_unit(cell, v, table.numbers, unit)) {
      char value[32];
      std::snprintf(value, sizeof value, "%.15g", v);
      text_mark = detail::concat("'", cell, "' is ", value);
    }
    const size_t first_digit = cell.find_first_of("0123456789"), last_minus = cell.rfind('-');
    // "(3.50)", "$(2,467.88)", "(12,50) €": the brackets around the number, a unit inside or out.
    const size_t open = cell.find('('), close = cell.rfind(')');
    const bool bracketed = first_digit != std::string_view::npos && open < first_digit && close != std::string_view::npos &&
                           close > cell.find_last_of("0123456789");
    // "3,50-", not an exponent's ("6,80E-02").
    const bool minus_after = first_digit != std::string_view::npos && last_minus != std::string_view::npos &&
                             last_minus > cell.find_last_of("0123456789");
    if ((bracketed ? !brackets.empty() : !minus_after || !trailing.empty()) ||
        !parse_number_with_unit(cell, v, table.numbers, unit))
      continue;
    char value[32];
    std::snprintf(value, sizeof value, "%.15g", v);
    (bracketed ? brackets : trailing) = detail::concat("'", cell, "' is ", value);
    if (!brackets.empty() && !trailing.empty()) break;
  }
  return joined(joined(brackets.empty() ? "" : "negative numbers written in brackets, as in accounts (" + brackets + ")",
                       trailing.empty() ? "" : "negative numbers written with the minus after them (" + trailing + ")"),
                text_mark.empty() ? "" : "numbers written with ' before them, Excel's mark for a number kept as text, read without it (" +
                                         text_mark + ")");
}


// Said of a numeric column where 0 stands far below every other value ("insulin": 0 in 374 rows,
// else 14 to 846), as exports write a measurement not taken: at least 5 zeros, every other value
// positive, and the smallest more than 3 times the median step between the column's values.
// Said of a column of plain numbers named like a code whose numbers are whole and not negative
// but for a few (at most 3, or 1 %): why it is not read as codes, so that one typo ("4400,5")
// does not turn codes into amounts unnoticed.
std::string not_a_code_reason(const CsvTable& table, size_t column, const std::vector<int64_t>& rows) {
  if (!named_like_a_code(table.header[column])) return "";
  int64_t odd = 0, present = 0, first = -1;
  for (int64_t row : rows) {
    const std::string_view cell = table.cell(size_t(row), column);
    if (is_missing_cell(cell)) continue;
    ++present;
    double v;
    if (!parse_number(cell, v, table.numbers)) return "";
    if ((v < 0 || v != std::floor(v)) && odd++ == 0) first = row;
  }
  if (odd == 0 || double(odd) > std::max(3.0, 0.01 * double(present))) return "";
  return detail::concat("named like a code, but ", odd == 1 ? "1 value is" : std::to_string(odd) + " values are",
                        " not a whole number of 0 or more (line ", table.row_line(size_t(first)), ": '",
                        shortened(table.cell(size_t(first), column)), "'): read as amounts; if the column holds codes, fix ",
                        odd == 1 ? "that cell" : "those cells", " or give it the role categorical");
}

std::string zero_reason(const CsvTable& table, size_t column, const std::vector<int64_t>& rows, const NumberUnit& unit) {
  int64_t zeros = 0, present = 0;
  std::vector<double> others;
  for (int64_t row : rows) {
    const std::string_view cell = table.cell(size_t(row), column);
    double v;
    if (is_missing_cell(cell) || !parse_number_with_unit(cell, v, table.numbers, unit)) continue;
    ++present;
    if (v == 0) ++zeros;
    else if (v < 0) return "";
    else others.push_back(v);
  }
  if (zeros < 5 || others.size() < 10) return "";
  std::sort(others.begin(), others.end());
  others.erase(std::unique(others.begin(), others.end()), others.end());
  if (others.size() < 5) return "";
  std::vector<double> steps;
  for (size_t i = 1; i < others.size(); ++i) steps.push_back(others[i] - others[i - 1]);
  std::nth_element(steps.begin(), steps.begin() + std::ptrdiff_t(steps.size() / 2), steps.end());
  if (!(others.front() > 3 * steps[steps.size() / 2])) return "";
  char low[32], high[32];
  std::snprintf(low, sizeof low, "%.6g", others.front());
  std::snprintf(high, sizeof high, "%.6g", others.back());
  return detail::concat("0 in ", zeros, " of ", present, " rows, far below the other values (", low, " to ", high,
                        "): if 0 means not measured, leave those cells empty or write NA");
}

}  // namespace

namespace {

// A column of numbers with a few kinds of text without digits among them ('ERR', 'n/a x': at most
// three values), in half of its 20 or more present cells or more among `rows`: a numeric column
// whose other cells a device or an export wrote instead of a value, not categories nor identifiers
// (helper-117: at 26% it was left out as an identifier, silently). Not grades ("2-", "1+"), nor
// limits ("<0,01"), which have digits. `numbers` of `present` cells read as numbers.
bool numbers_with_few_texts(const CsvTable& table, size_t column, const std::vector<int64_t>& rows, int64_t numbers, int64_t present) {
  if (present < 20 || double(numbers) < 0.5 * double(present) || numbers == present) return false;
  std::set<std::string_view> texts;
  double v;
  for (const int64_t r : rows) {
    const std::string_view cell = table.cell(size_t(r), column);
    if (is_missing_cell(cell) || parse_number(cell, v, table.numbers)) continue;
    const std::string_view text = trim(cell);
    if (std::any_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
    if (texts.insert(text).second && texts.size() > 3) return false;
  }
  return true;
}

// How to give column `name` a role, on the page, with ca3 and in the SDK.
std::string role_option(const std::string& name, const char* role) {
  const std::string arg = name + "=" + role;
  const bool plain = std::all_of(arg.begin(), arg.end(), [](char c) { return std::isalnum((unsigned char)c) || c == '_' || c == '-' || c == '=' || c == '.'; });
  return detail::concat("the role menu on the page, --role ", plain ? arg : "'" + arg + "'", " for ca3 train, TableOptions.roles in the SDK");
}

bool blank_cell(std::string_view cell) { return trim(cell).empty(); }

// Named like remarks ("Bemerkung", "Kommentar", "Notes", "comment_text"): a column of free text
// written on a few rows, never a group's name even when each remark stands once above blank cells.
bool named_like_remarks(const std::string& name) {
  static constexpr const char* kRemarks[] = {
      "bemerkung", "bemerkungen", "kommentar", "kommentare", "anmerkung", "anmerkungen", "notiz", "notizen", "hinweis",
      "hinweise", "note", "notes", "comment", "comments", "remark", "remarks", "annotation", "annotations", "memo",
      "remarque", "remarques", "commentaire", "commentaires", "nota", "notas", "commento", "commenti", "opmerking", "opmerkingen"};
  const std::vector<std::string> words = name_words(name);
  return std::any_of(words.begin(), words.end(), [](const std::string& w) { return one_of(w, kRemarks); });
}

// Whether a cell can name a group: not a measurement (a fractional number), not a sentence.
bool group_name(std::string_view cell, const NumberFormat& numbers) {
  double v;
  return !(parse_number(cell, v, numbers) && v != std::floor(v)) && cell.size() <= 40 && std::count(cell.begin(), cell.end(), ' ') < 4;
}

// Whether a new group of column `outer` (-1: none) starts in row `r` of `table`: a value there
// other than the one above it (a grouped column's value below blank cells, or where a column
// written in every row changes: "2024-01", ..., "2024-02").
// A cell that says "no value" (NA, -) in a grouped column stands for itself only: no group starts
// there, and the cells below it take the group's value.
// `before`: the outer column's cell above the first row (a stream's batch before; "": none).
bool group_starts(const CsvTable& table, int64_t outer, size_t r, std::string_view before = {}) {
  if (outer < 0) return false;
  const std::string_view cell = trim(table.cell(r, size_t(outer)));
  return !cell.empty() && !is_missing_cell(cell) && cell != (r == 0 ? before : trim(table.cell(r - 1, size_t(outer))));
}

// Whether column `c` of `table` numbers its rows: a value in every row, named like an identifier
// (or among `id_columns`) or running numbers (running_number_reason).
bool numbers_rows(const CsvTable& table, size_t c, const std::vector<std::string>& id_columns = {}) {
  for (size_t r = 0; r < table.row_count(); ++r)
    if (blank_cell(table.cell(r, c))) return false;
  return table.row_count() > 0 &&
         (matches_any(table.header[c], id_columns) || looks_like_identifier(table.header[c]) || !running_number_reason(table, c).empty());
}
// Whether row `r` of `table` is a group's heading line: blank from column `c` on ("Nord;;;").
bool heading_line(const CsvTable& table, size_t r, size_t c) {
  for (size_t k = c; k < table.column_count(); ++k)
    if (!blank_cell(table.cell(r, k))) return false;
  return true;
}

// Whether column `c` of `table` is laid out as a grouped report writes a group's value: in the
// group's first row only, blank below ("Nord;F1;...", ";F2;...", "Süd;F3;..."). Within each group
// of column `outer` (group_starts) a value is written once (a repeat, "Nord" below "Nord", says
// the cells are a flat file's), and is a name (group_name). `strict`: a new group of `outer`
// starts one here too, or is a group's heading line ("Nord;;;", nothing from this column on)
// (training; in a scored file a totals row, "Nord Ergebnis;;1490", may leave it blank).
// `broken`: the row where the layout breaks (-1 when grouped). Rows in `skipped` (sorted: a scored
// file's totals rows, whose "Summe" may stand in every group) are passed over.
// A column with a value in every row is grouped when its values come in runs, each value in one
// run within its group of `outer` ("2024-01" in 11 rows, then "2024-02" in 11, ...; `runs`): the
// outer level of a report whose groups inside it are written in their first row only.
// `inner`: the column inside this one (-1: none). A report may write a group's value again in the
// first row of each group inside it ("Nord;Kiel", ";;", "Nord;Hamburg", ";;", "Süd;München"):
// the same value as the last one, where `inner` has a value, goes on with the group (`repeats`;
// such a column is grouped only when `inner` is too, see grouped_columns).
struct GroupLayout {
  bool grouped = false, runs = false;
  int64_t values = 0, blanks = 0, broken = -1, repeats = 0;
};
GroupLayout group_layout(const CsvTable& table, size_t c, int64_t outer, bool strict, const std::vector<size_t>& skipped = {},
                         int64_t inner = -1) {
  GroupLayout g;
  const size_t rows = table.row_count();
  bool full = rows > 0;
  for (size_t r = 0; r < rows && full; ++r) full = !blank_cell(table.cell(r, c));
  std::set<std::string_view> seen;  // in the current group of `outer`
  std::string_view last;            // the last value written in it
  std::string_view previous;        // the last value written in any group
  std::vector<int64_t> starts;      // the rows a value is written in
  int64_t again = 0, first_again = -1;  // values written again for a later group; the first's row
  std::string_view inner_last;      // the last value written in `inner` above the row
  for (size_t r = 0; r < rows; ++r) {
    if (std::binary_search(skipped.begin(), skipped.end(), r)) continue;
    const std::string_view cell = trim(table.cell(r, c));
    const std::string_view inner_cell = inner >= 0 ? trim(table.cell(r, size_t(inner))) : std::string_view();
    const std::string_view inner_before = inner_last;
    if (!inner_cell.empty()) inner_last = inner_cell;
    g.broken = int64_t(r);
    if (group_starts(table, outer, r)) {
      if (cell.empty() && strict && !heading_line(table, r, c)) return g;
      seen.clear(), last = {};
    }
    if (cell.empty()) {
      ++g.blanks;
      continue;
    }
    if (is_missing_cell(cell)) continue;  // written as no value: that cell alone
    if (full && r > 0 && !group_starts(table, outer, r) && cell == trim(table.cell(r - 1, c))) continue;  // a run goes on
    if (!full && cell == last && !inner_cell.empty() && !inner_before.empty() && inner_cell != inner_before) {  // a new inner group
      ++g.repeats;
      continue;
    }
    if (!group_name(cell, table.numbers)) return g;
    // A value written again for a later group ("M1", "M2", "M3", "M1", ...): a report's only
    // where there are six groups or more in training, as long as each other (within a factor 2),
    // not a sparse column's values at random rows ("scratch", ..., "dent", ..., "scratch"); never
    // the group just before's.
    if (!seen.insert(cell).second) {
      if (full || cell == previous) return g;
      if (again++ == 0) first_again = int64_t(r);
    }
    if (!full) starts.push_back(int64_t(r));
    last = previous = cell;
    ++g.values;
  }
  if (again > 0) {
    // (scoring, not `strict`: a file, or a stream's piece, may hold a few groups and end inside
    // one; the others of two rows or more)
    starts.push_back(int64_t(rows));
    int64_t shortest = int64_t(rows), longest = 0;
    for (size_t k = 1; k + (strict ? 0 : 1) < starts.size(); ++k)
      shortest = std::min(shortest, starts[k] - starts[k - 1]), longest = std::max(longest, starts[k] - starts[k - 1]);
    if (strict ? g.values < 6 || shortest < 2 || longest > 2 * shortest : shortest < 2) {
      g.broken = first_again;
      return g;
    }
  }
  g.runs = full;
  g.grouped = !full || !strict || 2 * g.values <= int64_t(rows);  // runs of two rows or more, on average (training)
  if (g.grouped) g.broken = -1;
  return g;
}

// A grouped report's leading columns, as a spreadsheet's "subtotals" layout, a pivot table or a
// report writer prints them (group_layout), from column 0 on while each is one: its first row has
// a value, it has at least as many blank cells as values and at least two groups (or one, when a
// column inside it is grouped too: a report of one region). The first may be written in every row,
// its values in runs (group_layout). A row number before them (an identifier without blank
// cells), or one or two columns without blank cells (a date or a code of each row), is passed
// over. Never every column. Column indices of `table`:
// `layout` all of them, in order (each one's groups inside the one's before it); `filled` those
// filled down: not the label or a column the user left out (a role given by hand says how the
// values are read, not where they stand).
struct GroupedColumns {
  std::vector<int64_t> layout, filled;
  std::vector<int64_t> outers() const {  // per column of `filled`, the one of `layout` before it (-1: none)
    std::vector<int64_t> out;
    for (const int64_t c : filled) {
      const auto at = std::find(layout.begin(), layout.end(), c);
      out.push_back(at == layout.begin() ? -1 : *(at - 1));
    }
    return out;
  }
};
GroupedColumns grouped_columns(const CsvTable& table, const TabularOptions& options, bool one_group_alone = false) {
  GroupedColumns grouped;
  const size_t rows = table.row_count();
  int64_t outer = -1;  // the last column laid out in groups
  int64_t repeated = -1;  // the last one whose value is written again at its inner groups' first rows
  bool one_group = false;  // the first of them has one value
  // whether a column after `c` may be grouped: a value in the first row, the second's cell blank
  const auto group_below = [&](size_t c) {
    for (size_t k = c + 1; k + 1 < table.column_count(); ++k)
      if (!blank_cell(table.cell(0, k)) && blank_cell(table.cell(1, k))) return true;
    return false;
  };
  bool passed_by_shape = false;  // a column passed over for the shape of those after it (not as a row number)
  std::vector<int64_t> values;  // per column of the layout
  for (size_t c = 0; c + 1 < table.column_count() && rows >= 4; ++c) {
    const std::string& name = table.header[c];
    const bool named = same_value(name, options.label_column) ||
                       std::any_of(options.roles.begin(), options.roles.end(),
                                   [&](const auto& role) { return same_value(name, role.first) && role.second == ColumnRole::ignore; });
    const bool first = !blank_cell(table.cell(0, c)) || (outer >= 0 && heading_line(table, 0, c));
    const GroupLayout g = first && !named_like_remarks(name) ? group_layout(table, c, outer, true, {}, int64_t(c + 1)) : GroupLayout{};
    if (g.grouped && g.repeats > 0) repeated = int64_t(c);
    if (g.grouped && g.runs && outer < 0) {  // the outer level, written in every row: nothing to fill
      one_group = g.values == 1;
      grouped.layout.push_back(int64_t(c)), values.push_back(g.values);
      outer = int64_t(c);
      continue;
    }
    if (!g.grouped || g.runs || g.blanks < g.values || (g.values == 1 && outer >= 0 && !one_group_alone)) {
      bool full = true;
      for (size_t r = 0; r < rows && full; ++r) full = !blank_cell(table.cell(r, c));
      if (outer < 0 && full && numbers_rows(table, c, options.id_columns)) continue;  // a row number before the groups
      if (outer < 0 && full && c < 2 && group_below(c)) {
        passed_by_shape = true;
        continue;  // a date or a code of each row before the groups
      }
      break;
    }
    one_group = one_group || (grouped.layout.empty() && g.values == 1);
    grouped.layout.push_back(int64_t(c)), values.push_back(g.values);
    if (!named) grouped.filled.push_back(int64_t(c));
    outer = int64_t(c);
  }
  // A value written again at each inner group's first row: a grouped report's only when that
  // inner column is laid out in groups too (else a flat file's column with blank cells).
  if (repeated >= 0 && (grouped.layout.empty() || grouped.layout.back() == repeated)) {
    const auto at = std::find(grouped.layout.begin(), grouped.layout.end(), repeated);
    grouped.layout.erase(at, grouped.layout.end());
    grouped.filled.erase(std::find_if(grouped.filled.begin(), grouped.filled.end(), [&](int64_t c) { return c >= repeated; }),
                         grouped.filled.end());
  }
  // One group alone (a value, then blank cells): a checkbox's layout as much as a report's; with a
  // grouped column inside it, a report of one region (or `one_group_alone`: the caller knows the
  // column is no checkbox; so too a column inside another of one group). A column written in every
  // row is a level only with a grouped column inside it.
  if ((one_group && grouped.layout.size() == 1 && !one_group_alone) || grouped.filled.empty()) grouped = {};
  // After a date or a code of each row, a sparse column alone (a holiday's name on its day, blank
  // on the others; an event and its place written on the same rows) is a flat file's: a report
  // there has groups inside groups (more branches than regions).
  if (passed_by_shape && (grouped.layout.size() < 2 || values[grouped.layout.size() - 1] <= values[0])) grouped = {};
  return grouped;
}

// `table` with each blank cell of `columns` given the value above it, within a group of the
// entry's column in `outers` (-1: none; a blank cell where one starts stays blank). Nullopt when
// none is to fill; -1 entries of `columns` are not filled. `above`: per entry, the value before
// the first row ("": none), then per entry the cell of its outer column there (a stream's batch
// before), updated to the last row's; `filled`: the cells filled, added up per entry, but those of the
// rows in `uncounted` (sorted: a scored file's rows holding no sample).
std::optional<CsvTable> fill_columns_down(const CsvTable& table, const std::vector<int64_t>& columns, const std::vector<int64_t>& outers,
                                          std::vector<std::string>& above, std::vector<int64_t>* filled,
                                          const std::vector<size_t>& uncounted = {}) {
  const size_t n = columns.size();
  above.resize(2 * n);
  CsvTable out = table.select_rows({});
  out.empty_row_lines = table.empty_row_lines;
  out.filled_down = true;
  std::vector<std::string_view> last(above.begin(), above.begin() + std::ptrdiff_t(n));  // (views into `above` until the end)
  std::vector<std::string_view> cells(table.column_count());
  bool any = false;
  for (size_t r = 0; r < table.row_count(); ++r) {
    for (size_t c = 0; c < cells.size(); ++c) cells[c] = table.cell(r, c);
    for (size_t k = 0; k < columns.size(); ++k) {
      if (columns[k] < 0) continue;
      std::string_view& cell = cells[size_t(columns[k])];
      if (group_starts(table, outers[k], r, above[n + k])) last[k] = {};
      if (!blank_cell(cell)) {
        if (!is_missing_cell(cell)) last[k] = cell;  // (an NA is that cell's, the group's value goes on below it)
      } else if (!last[k].empty()) {
        cell = last[k], any = true;
        if (filled && !std::binary_search(uncounted.begin(), uncounted.end(), r)) ++(*filled)[k];
      }
    }
    out.add_row(cells, table.row_line(r));
  }
  for (size_t k = 0; k < n; ++k) {
    if (columns[k] >= 0) above[k] = std::string(last[k]);
    above[n + k] = columns[k] >= 0 && outers[k] >= 0 && table.row_count() > 0
                       ? std::string(trim(table.cell(table.row_count() - 1, size_t(outers[k])))) : std::string();
  }
  if (!any) return std::nullopt;
  return out;
}

std::string count_text(int64_t n, const char* one, const char* many) { return detail::concat(n, " ", n == 1 ? one : many); }

// "51 missing cells (lines 4, 9, 17 and 48 more)": a column's missing cells, where to find them.
std::string missing_said(int64_t n, const std::vector<std::string>& lines) {
  return detail::concat(count_text(n, "missing cell", "missing cells"), " (", lines_listed(lines, 3, size_t(n)), ")");
}

// A measurement in fewer than 1 row in 20 (8 torque values in 400 rows): too few values to learn
// the column from, and the model would learn the values filled into the others. Left out, said;
// a role given keeps it.
bool too_sparse(int64_t present, size_t rows) { return present > 0 && present * 20 < int64_t(rows); }
std::string too_sparse_reason(const std::string& name, int64_t present, size_t rows, bool training) {
  return detail::concat(count_text(present, "value", "values"), " in ", rows, training ? " training rows (" : " rows (", std::max<int64_t>(1, present * 100 / int64_t(rows)),
                        "%): too few to learn the column from, left out of training (if a blank cell there means 0 or none, "
                        "write that in it; to use the column as it is: ", role_option(name, "numeric"), ")");
}

// Whether a grouped column (grouped_columns) of this role is filled down: one the model reads, or
// one written beside the scores (dates, identifiers); not one left out for another reason.
bool filled_role(const std::string& role) {
  return role == "numeric" || role == "categorical" || role == "dates" || role == "identifier";
}

// A grouped report's columns (grouped_columns) filled down.
struct FilledGroups {
  GroupedColumns columns;
  CsvTable table;               // filled
  std::vector<int64_t> filled, values;  // per column of columns.filled, the cells filled and those with a value
  // What is said of column k of columns.filled read with role `role` ("" when that role is not
  // filled, see filled_role).
  std::string reason(size_t k, const std::string& role) const {
    if (!filled_role(role)) return "";
    const std::string groups = detail::concat("a grouped report's column: its value stands in the first row of each group (",
                                              count_text(values[k], "group", "groups"), ") and fills the ",
                                              count_text(filled[k], "blank cell", "blank cells"), " below it");
    if (role != "numeric" && role != "categorical") return groups + ", also beside the scores";
    return groups + ", in training and in scoring; if a blank cell there means no value, write NA in it";
  }
};
// Nullopt when `table` is no grouped report or is filled already.
std::optional<FilledGroups> filled_groups(const CsvTable& table, const TabularOptions& options) {
  if (table.filled_down) return std::nullopt;
  FilledGroups g{grouped_columns(table, options), {}, {}, {}};
  if (g.columns.filled.empty()) return std::nullopt;
  for (const int64_t c : g.columns.filled) {
    int64_t values = 0;
    for (size_t r = 0; r < table.row_count(); ++r) values += !is_missing_cell(table.cell(r, size_t(c)));  // (not NA)
    g.values.push_back(values);
  }
  std::vector<std::string> above;
  g.filled.resize(g.columns.filled.size());
  std::optional<CsvTable> full = fill_columns_down(table, g.columns.filled, g.columns.outers(), above, &g.filled);
  if (!full) return std::nullopt;
  g.table = std::move(*full);
  return g;
}

}  // namespace

// Why a column whose marks told no decimal mark (marked_code_columns) is no column of numbers: times
// of day written hours.minutes ("17.30"), or versions and a year's document numbers ("2.10",
// "2023.001") that the file's decimal mark does not read. "" for other columns.
std::string marked_codes_reason(const CsvTable& table, size_t column, MarkedCodes kind) {
  std::string_view first;
  for (size_t r = 0; r < table.row_count() && first.empty(); ++r) first = trim(table.cell(r, column));
  if (kind == MarkedCodes::clock_times)
    return detail::concat("times of day written hours.minutes ('", shortened(first), "'), in a column named like a time: left out of "
                          "training as dates are");
  // Four numbers 0 to 255 ("10.0.3.105"): IP addresses, not versions.
  const auto ip_address = [](std::string_view cell) {
    int parts = 0;
    for (size_t at = 0; at <= cell.size();) {
      const size_t end = std::min(cell.find('.', at), cell.size());
      const std::string_view part = cell.substr(at, end - at);
      if (part.empty() || part.size() > 3 || !all_digits(part) || std::stoi(std::string(part)) > 255) return false;
      ++parts, at = end + 1;
    }
    return parts == 4;
  };
  if (kind == MarkedCodes::versions || kind == MarkedCodes::year_numbers)
    return detail::concat(kind == MarkedCodes::year_numbers ? "numbers of a year's documents" : ip_address(first) ? "IP addresses" : "versions",
                          " ('", shortened(first), "'): codes, not amounts, their '.' no decimal mark");
  return "";
}

namespace {
std::vector<ColumnSummary> describe_read_columns(const CsvTable& table, size_t max_values);
std::vector<std::string> lines_above_notes(const CsvTable& table);
std::vector<std::string> magnitude_conflicts(const CsvTable& table, const NumberFormat& numbers, const std::vector<bool>* numeric,
                                             const std::string& how);
}  // namespace

std::vector<ColumnSummary> describe_columns(const CsvTable& table, size_t max_values, std::vector<std::string>* notes, size_t* rows) {
  // As training reads the file (read_as_training), and what it says of it.
  if (notes) *notes = lines_above_notes(table);
  const std::optional<CsvTable> read = read_as_training(table, notes);
  const CsvTable& as_read = read ? *read : table;
  if (rows) *rows = as_read.row_count();
  // Words among a column's numbers, as training reads them: missing markers.
  std::vector<WordsReadAsMissing> words;
  const std::optional<CsvTable> worded = with_words_read_as_missing(as_read, TabularOptions{}, notes, &words);
  std::vector<ColumnSummary> columns = describe_read_columns(worded ? *worded : as_read, max_values);
  for (const WordsReadAsMissing& w : words) w.count_in(columns[size_t(as_read.column_index(w.column))].placeholders);
  if (notes) {  // a column of numbers whose sizes tell the other reading of a mark, as training says it
    std::vector<bool> numeric(columns.size());
    for (size_t c = 0; c < columns.size(); ++c) numeric[c] = columns[c].role == "numeric";
    for (std::string& note : magnitude_conflicts(as_read, as_read.numbers, &numeric, "")) notes->push_back(std::move(note));
  }
  return columns;
}

namespace {
// describe_columns of a table read as training reads it.
std::vector<ColumnSummary> describe_read_columns(const CsvTable& table, size_t max_values) {
  // A grouped report's columns, filled down, as training reads them.
  if (const std::optional<FilledGroups> g = filled_groups(table, TabularOptions{})) {
    std::vector<ColumnSummary> columns = describe_read_columns(g->table, max_values);
    for (size_t k = 0; k < g->filled.size(); ++k) {
      ColumnSummary& c = columns[size_t(g->columns.filled[k])];
      c.reason = joined(c.reason, g->reason(k, c.role));
    }
    return columns;
  }
  std::vector<ColumnSummary> columns;
  const std::vector<MarkedCodes> marked = marked_code_columns(table);  // columns whose marks told no decimal mark
  std::vector<int64_t> all_rows(table.row_count());
  for (size_t r = 0; r < all_rows.size(); ++r) all_rows[r] = int64_t(r);
  for (size_t c = 0; c < table.header.size(); ++c) {
    ValueTally tally;
    ColumnSummary summary;
    summary.name = table.header[c];
    int64_t numbers = 0, present = 0, first_text_row = -1;
    for (size_t r = 0; r < table.row_count(); ++r) {
      const std::string_view cell = table.cell(r, c);
      if (is_missing_cell(cell)) {
        ++summary.missing;
        if (!trim(cell).empty()) ++summary.placeholders[std::string(trim(cell))];
        continue;
      }
      ++present;
      double v;
      if (parse_number(cell, v, table.numbers))
        ++numbers, summary.quantity = summary.quantity || v != std::floor(v);
      else if (first_text_row < 0) first_text_row = int64_t(r);
      tally.add(cell);
    }
    std::map<std::string, int64_t> counts = tally.ordered();
    const std::vector<std::string> case_variants = merge_case_variants(counts), number_variants = merge_number_variants(counts, table.numbers);
    // True and false written in more than one way: as TabularPreprocessor::fit decides.
    const TruthSpellings truth = truth_spellings(counts, table.numbers);
    const bool truth_flag = truth.flag(present);
    const std::string truth_words = truth_flag ? truth_flag_reason(counts, table.numbers) : "";
    const std::vector<std::string> truth_variants = truth.mixed && !truth_flag ? merge_truth_variants(counts, table.numbers)
                                                                               : std::vector<std::string>{};
    if (truth_flag) numbers = present;
    summary.values.assign(counts.begin(), counts.end());
    std::stable_sort(summary.values.begin(), summary.values.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (summary.values.size() > max_values) summary.values.resize(max_values);
    NumberUnit unit;
    bool durations = false, minutes = false;
    if (present > 0 && numbers < present) {
      const std::string duration = duration_reason(table, c, all_rows, minutes);
      if (!duration.empty()) numbers = present, summary.quantity = true, summary.reason = duration, durations = true;
      int64_t odd = 0, odd_row = -1;
      if (duration.empty()) unit = number_unit(table, c, all_rows, &odd, &odd_row);
      if (!unit.empty()) {
        numbers = present - odd, summary.quantity = true, summary.reason = unit_reason(table, c, all_rows, unit);
        if (odd > 0) first_text_row = odd_row;  // a typo among amounts: said below, as among plain numbers
      }
    }
    summary.numeric = present > 0 && numbers == present;
    summary.quantity = summary.quantity && summary.numeric;
    if (summary.numeric && !durations)
      summary.reason = joined(joined(joined(summary.reason, sign_reason(table, c, all_rows, unit)), zero_reason(table, c, all_rows, unit)),
                              truth_words);
    summary.distinct = int64_t(counts.size());
    // The role a fit would give it (as TabularPreprocessor::fit decides, here on every row).
    std::string running;
    const IdentifierName named = looks_like_identifier(summary.name)
                                     ? identifier_name(table, c, all_rows, TabularOptions{}.max_categories, " rows")
                                     : IdentifierName{};
    if (!named.reason.empty() && !named.group) {
      summary.role = "identifier", summary.reason = named.reason;
    } else if (named.group) {
      summary.role = "categorical", summary.reason = joined(named.reason, case_reason(case_variants, number_variants, truth_variants));
    } else if (const std::string dates = numeric_date_reason(table, c, all_rows); !dates.empty()) {
      summary.role = "dates", summary.reason = dates;
    } else if (summary.numeric && !(running = running_number_reason(table, c)).empty()) {
      summary.role = "identifier", summary.reason = running;
    } else if (present == 0) {
      summary.role = "empty", summary.reason = "no values";
    } else if (!summary.numeric && date_column(table, c, all_rows)) {
      summary.role = "dates", summary.reason = clock_column(table, c, all_rows) ? kClockReason : kDateReason;
    } else if (marked[c] == MarkedCodes::clock_times) {
      summary.role = "dates", summary.reason = marked_codes_reason(table, c, marked[c]);
    } else if (summary.distinct == 1 && summary.missing > 0) {
      summary.role = "categorical";
      summary.reason = joined(checkbox_reason(summary.values[0].first, summary.missing),
                              case_reason(case_variants, number_variants, truth_variants));
    } else if (const std::string codes = numbers > 0 && unit.empty() && !durations ? number_code_reason(table, c, all_rows)
                                         : !summary.numeric                         ? marked_codes_reason(table, c, marked[c])
                                                                                    : "";
               !codes.empty()) {
      const bool free_text = nearly_all_distinct(counts, present);
      const std::string many = !free_text                        ? many_things_reason(counts, present, TabularOptions{}.max_categories, " rows")
                               : marked[c] != MarkedCodes::none ? names_of_things_reason(counts, present, table.row_count(), " rows")
                                                                : "";
      summary.role = !many.empty() ? "identifier" : free_text ? "free text" : "categorical";
      summary.reason = !many.empty() ? many
                       : free_text   ? "codes (account, postal code, version) nearly all different: left out of training"
                                     : joined(codes, case_reason(case_variants, number_variants, truth_variants));
    } else if (summary.numeric && !truth_flag && too_sparse(present, all_rows.size())) {  // (as the fit: numbers, no checkbox, no code)
      summary.role = "empty", summary.reason = too_sparse_reason(table.header[c], present, all_rows.size(), false);
    } else if (summary.numeric) {
      summary.role = "numeric";
      if (unit.empty() && !durations) summary.reason = joined(summary.reason, not_a_code_reason(table, c, all_rows));
      ColumnTransform read;  // as the fit reads the column
      read.prefix = unit.prefix, read.suffix = unit.suffix, read.minus_after = unit.minus_after, read.count_scale = unit.count_scale;
      read.duration = durations ? (minutes ? 'm' : 'h') : 0;
      summary.reason = joined(summary.reason, monotone_reason(table, c, all_rows, read));
    } else if (const MixedDurations mixed = unit.empty() && numbers < present ? mixed_durations(table, c, all_rows) : MixedDurations{};
               mixed.durations > 0) {
      summary.role = "numeric", summary.reason = mixed_durations_said(table, c, mixed), summary.stops_training = true;
    } else if (truth_variants.empty() && (double(numbers) >= 0.75 * double(present) || numbers_with_few_texts(table, c, all_rows, numbers, present))) {
      summary.role = "numeric";
      // As training names them (rows_not_numbers; a typo among amounts with a unit, found above);
      // words alone that are more than training reads as missing, said.
      const std::vector<int64_t> odd = unit.empty() ? rows_not_numbers(table, c) : std::vector<int64_t>{};
      const int64_t shown = odd.empty() ? first_text_row : odd.front();
      const bool told = tells_of_value(table.cell(size_t(shown), c));
      const std::string too_many = words_beyond_share_said(table, c, odd);
      const std::string_view cell = table.cell(size_t(shown), c);
      const bool other_mark = !other_mark_said(cell, table.numbers, unit, table.numbers_named).empty();
      const bool limit = !limit_said(cell, table.numbers, unit).empty();
      double v;
      const Affixed a = split_affixes(cell);  // another unit than the column's ("69.2 lb" among "kg"), as the fit says it
      const std::string other_unit = !unit.text().empty() && !other_mark && plausible_unit(a) && parse_number(a.number, v, table.numbers)
                                         ? detail::concat("', written in '", a.prefix, a.suffix, "', the column's other values in '", unit.text(), "'")
                                         : "";
      const bool one = present - numbers == 1;
      summary.reason = detail::concat(present - numbers, one ? " cell is not a number (line " : " cells are not numbers (line ",
                                      table.row_line(size_t(shown)), ": '", shortened(cell),
                                      parse_any_number(cell, v, table.numbers) ? "', not a finite number"
                                      : limit          ? "', a limit, not a value"
                                      : other_mark     ? "', written with the other decimal mark than the file's other numbers"
                                      : !other_unit.empty() ? other_unit
                                      : number_word(cell) ? "', a number written as a word"
                                      : told           ? "', which tells something of the value: write a number in its place"
                                                       : "'",
                                      odd.size() > 1 ? "; then " : "", odd.size() > 1 ? next_cells_said(table, c, odd) : "",
                                      too_many.empty() ? "" : "; ", too_many,
                                      !other_unit.empty() ? detail::concat("): convert ", one ? "it" : "them", " to '", unit.text(),
                                                                           "' (CA3 converts only sizes of one unit, as g and kg, min and h)")
                                      : one ? "): fix it, leave it empty or write NA for a missing value, or, if it holds codes rather than amounts, call the column categorical"
                                            : "): fix them, leave them empty or write NA for missing values, or, if it holds codes rather than amounts, call the column categorical");
      summary.stops_training = true;
    } else if (const OtherMarkCells other = truth_variants.empty() ? other_mark_cells(table, c, all_rows, unit) : OtherMarkCells{};
               other.count > 0 && double(numbers + other.count) >= 0.75 * double(present)) {
      summary.role = "numeric";
      const std::string_view first = table.cell(size_t(other.first_row), c);
      summary.reason = limit_said(first, table.numbers, unit).empty()
                           ? detail::concat(other.count, other.count == 1 ? " cell is" : " cells are", " written with the other decimal "
                                            "mark than the file's other numbers (line ", table.row_line(size_t(other.first_row)), ": '",
                                            shortened(first), "'): write every number of the file one way")
                           : detail::concat(other.count, other.count == 1 ? " cell is a limit" : " cells are limits", " (line ",
                                            table.row_line(size_t(other.first_row)), ": '", shortened(first),
                                            "'), not values: write numbers in their place");
      summary.stops_training = true;
    } else if (std::string names_rows = row_code_reason(counts, present, table.row_count(), " rows"); !names_rows.empty()) {
      summary.role = "identifier", summary.reason = std::move(names_rows);
    } else if (std::string things = nearly_all_distinct(counts, present)
                                         ? names_of_things_reason(counts, present, table.row_count(), " rows") : "";
               !things.empty()) {
      summary.role = "identifier", summary.reason = std::move(things);
    } else if (nearly_all_distinct(counts, present)) {
      summary.role = "free text", summary.reason = "nearly every value differs: left out of training";
    } else if (std::string many = many_things_reason(counts, present, TabularOptions{}.max_categories, " rows"); !many.empty()) {
      summary.role = "identifier", summary.reason = std::move(many);
    } else {
      summary.role = "categorical", summary.reason = case_reason(case_variants, number_variants, truth_variants);
    }
    if (summary.role == "categorical" && summary.distinct >= 2 && summary.missing > 0 && !summary.values.empty() &&
        summary.missing > summary.values.front().second)
      summary.reason = joined(summary.reason, sparse_reason(summary.missing));
    if ((summary.role == "numeric" || summary.role == "categorical") && summary.distinct == 1 && summary.missing == 0 &&
        !summary.values.empty())
      summary.reason = joined(summary.reason, constant_reason(summary.numeric ? summary.values[0].first : "'" + summary.values[0].first + "'"));
    columns.push_back(std::move(summary));
  }
  return columns;
}
}  // namespace

std::string suggest_label_column(const std::vector<ColumnSummary>& columns, bool* by_name) {
  if (by_name) *by_name = true;
  // By name first, then the last column when it has a few distinct values.
  static const char* const kNames[] = {"label", "class", "target", "anomaly", "y", "outcome", "status", "diagnosis",
                                       "type", "is_anomaly", "outlier", "fraud", "fault"};
  // Not a column that is left out anyway (dates, identifiers), nor a measured quantity.
  const auto usable = [](const ColumnSummary& c) { return c.role != "identifier" && c.role != "dates" && !c.quantity; };
  // A column of one value and empty cells ("yes" or nothing) has two.
  const auto values = [](const ColumnSummary& c) { return c.distinct + (c.distinct == 1 && c.missing > 0 ? 1 : 0); };
  for (const char* name : kNames)
    for (const ColumnSummary& c : columns)
      if (fold_case(c.name) == name && values(c) >= 2 && c.distinct <= 20 && usable(c)) return c.name;
  if (by_name) *by_name = false;
  if (!columns.empty() && columns.back().distinct >= 2 && columns.back().distinct <= 10 && usable(columns.back()))
    return columns.back().name;
  return "";
}

bool is_missing_cell(std::string_view cell) {
  const std::string_view t = trim(cell);
  // (no marker is longer than "#¿nombre?", 10 bytes, or has a digit in its first two: not "-0.5", ".5")
  const auto digit = [&](size_t i) { return t.size() > i && t[i] >= '0' && t[i] <= '9'; };
  if (t.size() > 10 || digit(0) || digit(1)) return false;
  static const std::set<std::string_view> kMarkers(std::begin(kMissingMarkers), std::end(kMissingMarkers));
  std::string s = lower(t);
  if (s.find('.') != std::string::npos) s.erase(std::remove(s.begin(), s.end(), ' '), s.end());  // "n. b." as "n.b."
  return kMarkers.count(s) > 0;
}

double normal_quantile(double p) {
  CA3_ASSERT(p > 0 && p < 1);
  // Acklam's rational approximation, then one Halley step on erfc for full double precision.
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  double x;
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - 0.02425) {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

namespace {
// Whether a column's values are those of a label: a word for normal or anomalous among them
// ("normal", "anomaly", "ok", "defect", "fraud"); or true and false alone (0 and 1, -1 and 1,
// yes and no) in a column named for what is wrong ("defect", "is_fraud"; not "is_weekend").
bool label_like_values(const ColumnSummary& c) {
  static const char* const kWords[] = {"normal", "anomaly", "anomalous", "anomal", "abnormal", "outlier", "inlier", "ok", "nok",
                                       "not ok", "io", "nio", "good", "bad", "pass", "passed", "fail", "failed", "failure",
                                       "defect", "defective", "fault", "faulty", "fraud", "legit", "genuine", "attack",
                                       "benign", "malignant", "gut", "schlecht", "fehler", "fehlerhaft", "i.o.", "n.i.o.",
                                       "anomalie", "ausschuss", "reject", "rejected", "pos", "neg", "healthy", "sick", "gesund",
                                       "krank", "tested_positive", "tested_negative"};
  // the start of a word of the name ("is_fraud", "DefectFlag"; not "SeniorCitizen")
  static const char* const kWrong[] = {"defect", "fault", "fail", "fraud", "anomal", "outlier", "error", "bad", "reject",
                                       "ausschuss", "fehler", "abnormal", "attack", "alarm", "alert", "scrap", "nio", "nok"};
  std::set<std::string> values;
  for (const auto& [value, count] : c.values) values.insert(fold_case(value));
  if (std::any_of(values.begin(), values.end(), [](const std::string& v) { return one_of(v, kWords); })) return true;
  const bool truth = values == std::set<std::string>{"0", "1"} || values == std::set<std::string>{"-1", "1"} ||
                     values == std::set<std::string>{"yes", "no"} || values == std::set<std::string>{"true", "false"} ||
                     values == std::set<std::string>{"ja", "nein"};
  const std::vector<std::string> words = name_words(c.name);
  return truth && std::any_of(words.begin(), words.end(), [](const std::string& w) {
           return std::any_of(std::begin(kWrong), std::end(kWrong), [&](const char* stem) { return w.rfind(stem, 0) == 0; });
         });
}

// The first cell of `table` with a mark that reads either way ("1.581"), without its unit.
// Whether `value` is likely `known` misspelt: a letter or two apart, letter case aside (one for
// words under 6 letters, none under 4), and not the one word with a prefix ("abnormal", "anormal"
// for "normal": a negation), nor values with digits.
bool looks_misspelt(const std::string& value, const std::string& known) {
  const std::string a = fold_case(value), b = fold_case(known);
  const size_t shorter = std::min(a.size(), b.size());
  // (codes and numbers a digit apart are other codes: "M041", "M042"; "10.1", "10.10")
  const auto digits = [](const std::string& s) { return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }); };
  if (shorter < 4 || a.ends_with(b) || b.ends_with(a) || digits(a) || digits(b)) return false;
  const size_t edits = edit_distance(a, b);
  return edits > 0 && edits <= (shorter >= 6 ? 2u : 1u);
}

std::string ambiguous_number(const CsvTable& table) {
  for (size_t r = 0; r < table.row_count(); ++r)
    for (size_t c = 0; c < table.column_count(); ++c) {
      std::string_view cell = trim(table.cell(r, c));
      if (const Affixed a = split_affixes(cell); plausible_unit(a)) cell = a.number;  // "1.250 €"
      double v;
      if (cell.find_first_of(".,") != std::string_view::npos && parse_number(cell, v, table.numbers)) return std::string(cell);
    }
  return "";
}

std::string number_text(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", v);
  return text;
}
}  // namespace

namespace {
// What a column's vote (magnitude_votes) rests on, in words: "its whole numbers, such as '993'
// (line 4), lie near its '1.016' read as 1016", or the trailing zero that decided it.
std::string vote_evidence(const CsvTable& table, const MagnitudeVote& v) {
  const NumberFormat as_voted = v.groups ? NumberFormat{v.mark == '.' ? ',' : '.', v.mark} : NumberFormat{v.mark, 0};
  const std::string_view open = trim(table.cell(v.open_row, v.column)), whole = trim(table.cell(v.whole_row, v.column));
  double read = 0;
  number_in_cell(open, as_voted, read);
  if (v.by_trailing_zero)
    return detail::concat("column '", table.header[v.column], "' writes whole numbers bare, such as '", shortened(whole), "' (line ",
                          table.row_line(v.whole_row), "), and '", shortened(trim(table.cell(v.zero_row, v.column))), "' (line ",
                          table.row_line(v.zero_row), ") with a trailing zero, as only a thousands separator gives it");
  return detail::concat("the ", v.by_decimals ? "other numbers" : "whole numbers", " of column '", table.header[v.column], "', such as '",
                        shortened(whole), "' (line ", table.row_line(v.whole_row), "), lie near its '", shortened(open), "' read as ",
                        number_text(read));
}
}  // namespace

std::vector<bool> columns_not_read(const CsvTable& table, const TabularOptions& options) {
  std::vector<bool> out(table.column_count(), false);
  for (const auto& [name, role] : options.roles)
    if (const int64_t c = table.find_column(name); c >= 0 && role != ColumnRole::numeric) out[size_t(c)] = true;
  for (const std::string& name : options.id_columns)
    if (const int64_t c = table.find_column(name); c >= 0) out[size_t(c)] = true;
  if (const int64_t c = options.label_column.empty() ? -1 : table.find_column(options.label_column); c >= 0) out[size_t(c)] = true;
  return out;
}

std::string guessed_mark_reason(const CsvTable& table, const std::vector<bool>* skip) {
  if (!table.numbers_guessed) return "";
  const NumberFormat& numbers = table.numbers;
  const std::vector<MagnitudeVote> votes = magnitude_votes(table, skip);
  if (magnitude_decision(votes) == numbers.decimal)  // (a tie decides nothing: the separator did)
    for (const MagnitudeVote& v : votes)
      if (v.groups ? v.mark == numbers.thousands : v.mark == numbers.decimal) return vote_evidence(table, v);
  if (table.separator == ';' && numbers.decimal == ',')
    return "the file is separated by ';', as spreadsheets write it where the comma is the decimal mark";
  return detail::concat("the file is separated by ", table.separator == '\t' ? std::string("tabs") : detail::concat("'", table.separator, "'"),
                        ", not by ';', which is what spreadsheets write where the comma is the decimal mark");
}

namespace {
// A note for each column whose sizes tell the other reading of a mark than `numbers` gives it
// (magnitude_votes): a German "1.005" hPa beside "993" in a file whose "17.30" told the decimal
// point is read as 1.005, and no single mark for the file mends it.
std::vector<std::string> magnitude_conflicts(const CsvTable& table, const NumberFormat& numbers,
                                             const std::vector<bool>* numeric,  // only these columns (null: all)
                                             const std::string& how) {  // how `numbers` was decided, when not from `table` ("")
  std::vector<std::string> notes;
  std::vector<bool> skip;
  if (numeric)
    for (const bool read : *numeric) skip.push_back(!read);
  for (const MagnitudeVote& v : magnitude_votes(table, numeric ? &skip : nullptr, &numbers)) {
    const bool read_as_decimal = v.mark == numbers.decimal;
    if (!(read_as_decimal ? v.groups : !v.groups && v.mark == numbers.thousands)) continue;
    const std::string_view open = trim(table.cell(v.open_row, v.column));
    double read = 0, other = 0;
    number_in_cell(open, numbers, read);
    number_in_cell(open, NumberFormat{read_as_decimal ? (v.mark == '.' ? ',' : '.') : v.mark, read_as_decimal ? v.mark : '\0'}, other);
    std::string told = how.empty() ? " (named)" : how;
    if (!how.empty()) {
    } else if (table.numbers_guessed)
      told = numbers.decimal == table.numbers.decimal ? " (taken: no cell of the file tells it)" : " (the model's training file's)";
    else if (const auto at = number_format_evidence(table, numbers.decimal))
      told = detail::concat(" (told by line ", table.row_line(at->first), ", column '", table.header[at->second], "': '",
                            shortened(table.cell(at->first, at->second)), "')");
    notes.push_back(detail::concat(
        "column '", table.header[v.column], "': '", shortened(open), "' (line ", table.row_line(v.open_row), ") is read as ",
        number_text(read),
        v.open_cells > 1 ? detail::concat(" (and ", table.row_count() > 20000 ? "at least " : "", v.open_cells - 1, " more cells written so)")
                         : std::string(), ", with the file's decimal mark '", numbers.decimal, "'", told, ", but ", vote_evidence(table, v),
        ": if '", v.mark, "' ", read_as_decimal ? "groups thousands" : "is the decimal mark", " in this column (", number_text(other),
        "), write its numbers ",
        read_as_decimal ? "without the thousands separator" : detail::concat("with the file's decimal mark '", numbers.decimal, "'"),
        " (one decimal mark holds for every column of a file)"));
  }
  return notes;
}

std::string cut_last_line_note(int64_t line, size_t fields, size_t columns) {
  return detail::concat("line ", line, ", the last, holds ", fields, " of the header's ", columns,
                        " fields and no line end: it looks cut short (copied, or exported while still being written), so it "
                        "was left out; if it is a whole row, complete it and read the file again");
}

// What reading `table` left out above its rows, or changed in its header, one note each: comment
// lines, a title, the "# " numpy's savetxt writes before a header, nameless spacer columns.
std::vector<std::string> lines_above_notes(const CsvTable& table) {
  std::vector<std::string> notes;
  if (table.comment_lines > 0) {
    // Those among the rows by line (the first kCommentLinesKept); those above the header counted.
    std::vector<std::string> lines;
    for (const int64_t line : table.comment_row_lines) lines.push_back(std::to_string(line));
    const size_t above = table.comment_lines - std::min(table.comment_lines, table.comment_row_count);
    notes.push_back(detail::concat(table.comment_lines == 1 ? "a comment line" : std::to_string(table.comment_lines) + " comment lines",
                                   " ('#' first) skipped ('", shortened(table.first_comment), "'", table.comment_lines > 1 ? ", ..." : "",
                                   lines.empty() ? ""
                                   : above > 0 ? detail::concat(": ", above, " above the header, the other", table.comment_row_count == 1 ? "" : "s",
                                                                " on ", lines_listed(lines, CsvTable::kCommentLinesKept, table.comment_row_count))
                                               : " on " + lines_listed(lines, CsvTable::kCommentLinesKept, table.comment_row_count),
                                   ")"));
  }
  if (table.cut_last_line > 0) notes.push_back(cut_last_line_note(table.cut_last_line, table.cut_last_fields, table.header.size()));
  if (table.title_lines > 0)
    notes.push_back(detail::concat(table.title_lines == 1 ? "the line" : std::to_string(table.title_lines) + " lines",
                                   " above the header skipped as the file's title or notes ('", shortened(table.first_title), "'",
                                   table.title_lines > 1 ? ", ..." : "", ")"));
  if (!table.commented_header.empty())
    notes.push_back(detail::concat("the header's first name '", table.commented_header, "' is read as '", table.header[0],
                                   "' (numpy's savetxt writes '# ' before a header)"));
  if (!table.nameless_columns.empty()) {  // (not lines, but said wherever those are)
    std::vector<std::string> names;
    for (const size_t c : table.nameless_columns) names.push_back(std::to_string(c + 1));
    const bool one = names.size() == 1;
    notes.push_back(detail::concat(one ? "column " : "columns ", list_some(names, 4), one ? " has" : " have", " no name and no value (", one ? "a spacer column" : "spacer columns",
                                   ", as spreadsheets leave between blocks): left out"));
  }
  return notes;
}

std::string trailing_fields_note(const CsvTable& table) {
  const size_t n = table.lines_ending_with_separator;
  return detail::concat(n, n == 1 ? " line ends" : " lines end", " with a separator the header does not have (the first on line ",
                        table.first_line_ending_with_separator, "): the empty field after the last named column is left out");
}
std::string short_lines_note(const CsvTable& table) {
  const size_t n = table.short_lines;
  return detail::concat(n, n == 1 ? " line holds" : " lines hold", " fewer fields than the header and one text alone, in the first "
                        "(line ", table.first_short_line, "): the fields left off read as empty cells");
}
}  // namespace

std::vector<int> tabular_labels(const CsvTable& table, const TabularOptions& options, std::vector<std::string>* notes) {
  std::vector<int> labels(table.row_count(), 0);
  if (notes && table.trailing_separators == 1)
    notes->push_back("the header ends with the separator (as some spreadsheets write every line): the nameless, "
                     "empty last column it makes is left out");
  if (notes && table.lines_ending_with_separator > 0)
    notes->push_back(trailing_fields_note(table));
  // (not when training left each of them out as no sample, said: a title or note line mid-file)
  if (notes && table.short_lines > 0) {
    bool kept = table.short_lines > table.short_line_numbers.size();
    for (size_t r = 0, k = 0; r < table.row_count() && !kept; ++r) {
      while (k < table.short_line_numbers.size() && table.short_line_numbers[k] < table.row_line(r)) ++k;
      kept = k < table.short_line_numbers.size() && table.short_line_numbers[k] == table.row_line(r);
    }
    if (kept) notes->push_back(short_lines_note(table));
  }
  if (notes)
    for (std::string& note : lines_above_notes(table)) notes->push_back(std::move(note));
  if (notes && table.trailing_separators > 1)
    notes->push_back(detail::concat("the header ends with ", table.trailing_separators, " separators (as some spreadsheets "
                                    "write every line): the ", table.trailing_separators,
                                    " nameless, empty last columns they make are left out"));
  const std::vector<bool> not_read = columns_not_read(table, options);  // left out or called categories: they tell no mark
  if (notes && table.numbers_guessed) {  // "1.581" and nothing else to tell which mark it is: said, with the choice
    const std::string example = ambiguous_number(table);
    const char mark = example.find('.') != std::string::npos ? '.' : ',';
    double parsed = 0;
    parse_number(example, parsed, table.numbers);
    notes->push_back(detail::concat("numbers such as '", example, "' read either way ('", mark, "' as a decimal mark or ",
                                    "as a thousands separator) and no cell of the file tells which: read as ",
                                    number_text(parsed), "; so read because ", guessed_mark_reason(table, &not_read),
                                    mark == table.numbers.decimal
                                        ? detail::concat("; if '", mark, "' groups thousands here, name the decimal mark '",
                                                         mark == '.' ? ',' : '.', "' (", decimal_mark_option(mark == '.' ? ',' : '.'), ")")
                                        : detail::concat("; if '", mark, "' is the decimal mark here, name it (",
                                                         decimal_mark_option(mark), ")")));
  }
  if (notes) {
    std::vector<bool> read(not_read.size());
    for (size_t c = 0; c < read.size(); ++c) read[c] = !not_read[c];
    for (std::string& note : magnitude_conflicts(table, table.numbers, &read, "")) notes->push_back(std::move(note));
  }
  if (options.label_column.empty()) {
    // Without a label column every column is a feature: the one suggest_label_column would pick
    // (the page's guess), unless the caller gave it a role or named it an identifier, is said.
    if (notes) {
      const std::vector<ColumnSummary> summaries = describe_columns(table, 10);
      bool by_name = false;
      const std::string guess = suggest_label_column(summaries, &by_name);
      auto guessed = std::find_if(summaries.begin(), summaries.end(), [&](const ColumnSummary& s) { return s.name == guess; });
      // The last column, not named like a label: only when its values are a label's ("normal" and
      // "anomaly", 0 and 1 in a column named "defect"), not a platform's or a version's. Else a
      // column named like a check's result ("result", "Prüfergebnis") whose values are a label's.
      bool said = !guess.empty() && (by_name || label_like_values(*guessed));
      if (!said)
        for (auto c = summaries.begin(); c != summaries.end() && !said; ++c) {
          const std::string name = fold_case(c->name);
          static const char* const kResults[] = {"result", "ergebnis", "befund", "verdict", "outcome"};
          const bool result = std::any_of(std::begin(kResults), std::end(kResults),
                                          [&](const char* w) { return name.find(w) != std::string::npos; });
          if (result && c->distinct >= 2 && c->distinct <= 10 && label_like_values(*c)) guessed = c, said = true;
        }
      const bool decided = said && std::any_of(options.roles.begin(), options.roles.end(),
                                               [&](const auto& role) { return same_value(guessed->name, role.first); });
      if (said && !decided && !matches_any(guessed->name, options.id_columns)) {
        const ColumnSummary& c = *guessed;
        const std::string& guess = c.name;
        std::vector<std::string> values;
        for (const auto& [value, count] : c.values) values.push_back(value);
        std::sort(values.begin(), values.end());
        std::string list;
        for (const std::string& v : values) list += (list.empty() ? "" : ", ") + v;
        if (c.distinct > int64_t(values.size())) list += ", …";
        notes->push_back(detail::concat("column '", guess, "' (values ", list, ") looks like a label, but no label "
                                        "column is named, so it is read as a feature like the others: name it as the "
                                        "label column if it marks the anomalies, or give it the role ignore to leave it out (",
                                        role_option(guess, "ignore"), ")"));
      }
    }
    return labels;
  }
  const int64_t column = table.column_index(options.label_column);
  if (notes && table.header[size_t(column)] != options.label_column)
    notes->push_back(detail::concat("label column '", options.label_column, "' is the file's '",
                                    table.header[size_t(column)],
                                    "' (the names differ only in spaces, case or Unicode form)"));
  // "1, 2, 3, 5, 6, 7": the column's values, for a message that asks for some of them
  const auto values_written = [&] {
    std::set<std::string> seen;
    for (size_t i = 0; i < table.row_count(); ++i) seen.emplace(trim(table.cell(i, size_t(column))));
    std::string values;
    int shown = 0;
    for (const auto& v : seen) values += (shown++ ? ", " : "") + v;
    return shown > 12 ? values.substr(0, 200) + "..." : values;
  };
  CA3_CHECK(options.normal_values.empty() != options.anomaly_values.empty(),
            "say which values of label column '", options.label_column,
            "' mean normal (or which mean anomaly), and give only one of the two lists (its values: ", values_written(),
            "; --normal V or --anomaly V for ca3, normalValues or anomalyValues in the SDK's table options)");
  // In a label column of true and false, the same truth written another way ("0" for "FALSE").
  const auto& listed = options.normal_values.empty() ? options.anomaly_values : options.normal_values;
  std::set<std::string> written(listed.begin(), listed.end());
  for (size_t i = 0; i < table.row_count(); ++i)
    if (const std::string_view cell = table.cell(i, size_t(column)); !is_missing_cell(cell)) written.insert(std::string(trim(cell)));
  const bool truths = std::all_of(written.begin(), written.end(), [&](const std::string& v) { return truth_value(v, table.numbers) >= 0; }) &&
                      letters_of_one_pair(written, [](const std::string& v) -> const std::string& { return v; });
  const auto same_truth = [&](std::string_view cell, const std::string& value) {
    return truths && !is_missing_cell(cell) && truth_value(cell, table.numbers) == truth_value(value, table.numbers);
  };
  const auto matches = [&](std::string_view cell) {
    return std::any_of(listed.begin(), listed.end(), [&](const std::string& v) { return same_value(cell, v) || same_truth(cell, v); });
  };
  int64_t unmarked = 0;  // empty label cells where the anomalies are named: normal
  std::vector<int64_t> unlabelled;  // the lines of empty label cells where the normal values are named
  for (size_t i = 0; i < table.row_count(); ++i) {
    const std::string_view cell = table.cell(i, size_t(column));
    if (!options.anomaly_values.empty() && is_missing_cell(cell)) {  // not marked as an anomaly ("", "NA")
      ++unmarked;
      continue;
    }
    if (is_missing_cell(cell)) {
      unlabelled.push_back(table.row_line(i));
      continue;
    }
    labels[i] = options.normal_values.empty() ? int(matches(cell)) : int(!matches(cell));
  }
  if (!unlabelled.empty()) {  // all of them at once: one pass over the file fixes them
    std::vector<std::string> lines;
    for (int64_t line : unlabelled) lines.push_back(std::to_string(line));
    throw Error(detail::concat("CSV ", lines_listed(lines, 5), ": the label column '", options.label_column,
                               "' is empty", unlabelled.size() == 1 ? "" : detail::concat(" (", unlabelled.size(), " rows)"),
                               ": give every row its label (or name the anomalies' values instead of the normal ones: then an "
                               "empty cell means normal)"));
  }
  if (notes && unmarked > 0)
    notes->push_back(detail::concat(unmarked, unmarked == 1 ? " row has" : " rows have", " an empty label cell (or NA), taken as "
                                    "normal (the anomalies are the rows marked with the values given)"));
  // Cells that match a given value only once spaces, Unicode form or case are set aside: say which.
  if (notes) {
    for (const std::string& value : listed)
      for (const bool by_truth : {false, true}) {
        std::map<std::string, int64_t> variants;
        for (size_t i = 0; i < table.row_count(); ++i) {
          const std::string_view cell = table.cell(i, size_t(column));
          if (cell != value && (by_truth ? !same_value(cell, value) && same_truth(cell, value) : same_value(cell, value)))
            ++variants[std::string(cell)];
        }
        if (variants.empty()) continue;
        std::string list;
        double number;
        bool numbers = parse_number(value, number, table.numbers);  // "0.0" for "0": a number written otherwise
        for (const auto& [text, count] : variants) {
          list += detail::concat(list.empty() ? "" : ", ", "'", visible(text), "' (", count, count == 1 ? " row)" : " rows)");
          numbers = numbers && parse_number(text, number, table.numbers);
        }
        notes->push_back(detail::concat("label column '", options.label_column, "': ", list, " taken as '", value,
                                        by_truth  ? "' (the same truth value written another way)"
                                        : numbers ? "' (the same number written another way)"
                                                  : "' (they differ from it only in spaces, case or Unicode form)"));
      }
  }
  // The side not listed takes every other value: when that is several values, say which.
  const bool by_normal = !options.normal_values.empty();
  if (notes) {
    std::map<std::string, int64_t> others;
    for (size_t i = 0; i < table.row_count(); ++i)
      if (labels[i] == (by_normal ? 1 : 0) && !is_missing_cell(table.cell(i, size_t(column))))  // said above
        ++others[category_of(table.cell(i, size_t(column)))];
    if (others.size() >= 2) {
      std::string list, given;
      size_t shown = 0;
      for (const auto& [value, count] : others)
        if (shown++ < 6) list += detail::concat(list.empty() ? "" : ", ", "'", value, "' (", count, count == 1 ? " row)" : " rows)");
      if (others.size() > 6) list += detail::concat(" and ", others.size() - 6, " more");
      for (const auto& v : by_normal ? options.normal_values : options.anomaly_values) given += (given.empty() ? "'" : "', '") + v;
      // A value a letter or two from a given one ("nromal" for "normal"): likely a typo, said.
      // Not the word with a prefix ("abnormal", "anormal" for "normal": a negation), nor a value as
      // frequent as it.
      std::vector<std::string> typos;
      const int64_t named_rows = std::count(labels.begin(), labels.end(), by_normal ? 0 : 1);
      for (const auto& [value, count] : others)
        for (const auto& v : by_normal ? options.normal_values : options.anomaly_values) {
          if (looks_misspelt(value, v) && count * 2 <= named_rows) {
            typos.push_back(detail::concat("'", value, "' like '", v, "'"));
            break;
          }
        }
      notes->push_back(detail::concat("label column '", options.label_column, "': ", list, " taken as ",
                                      by_normal ? "anomalies" : "normal", " (every value but ", given, "')",
                                      typos.empty() ? std::string()
                                                    : detail::concat("; ", list_some(typos, 4), typos.size() == 1 ? " looks" : " look",
                                                                     " misspelt: correct the file if so")));
    }
  }
  // A value that matches no row is almost certainly a typo: say so, with the values there are.
  if (std::count(labels.begin(), labels.end(), by_normal ? 0 : 1) == 0) {
    std::string given;
    for (const auto& v : by_normal ? options.normal_values : options.anomaly_values) given += (given.empty() ? "" : ", ") + v;
    throw Error(detail::concat("no row of label column '", options.label_column, "' has the ",
                               by_normal ? "normal" : "anomaly", " value ", given, " (its values: ", values_written(), ")"));
  }
  return labels;
}

namespace {

// A numeric column's model input for the value v: standardised (on a log scale where the column
// has one: log_input) and clipped (a value far out, a heavy tail or 1e308, stays an extreme,
// finite input), or its quantile rank's normal score.
double numeric_input(const ColumnTransform& t, double v, Scaling scaling, std::optional<bool> middle = std::nullopt) {
  if (scaling == Scaling::standard) {
    const double u = t.log_scale > 0 ? log_input(v, t.log_scale) : v;
    return std::clamp((u - t.mean) / t.sd, -kStandardLimit, kStandardLimit);
  }
  const bool at_bounds = middle ? *middle : tied_at_both_bounds(t.quantiles);
  return normal_quantile(std::clamp(quantile_rank(t.quantiles, v, at_bounds), 1e-7, 1 - 1e-7));
}

// The skewness (third standardised moment) of values whose mean and (non-zero) sd are given; each
// |z| is at most sqrt(n), so its cube stays finite for values near the largest double too.
double skewness_of(const std::vector<double>& values, double mean, double sd) {
  double sum = 0;
  for (double v : values) {
    const double z = (v - mean) / sd;
    sum += z * z * z;
  }
  return sum / double(values.size());
}

// Mean and (population) standard deviation without overflow: values near the largest double
// (1.7e308) sum to infinity, so they are scaled by the largest magnitude first.
void moments(const std::vector<double>& values, double& mean, double& sd) {
  double largest = 0;
  for (double v : values) largest = std::max(largest, std::fabs(v));
  const double scale = largest > 1e150 ? largest : 1.0;
  double sum = 0;
  for (double v : values) sum += v / scale;
  const double m = sum / double(values.size());
  double squares = 0;
  for (double v : values) squares += (v / scale - m) * (v / scale - m);
  mean = m * scale;
  sd = std::sqrt(squares / double(values.size())) * scale;
  if (!std::isfinite(sd)) sd = std::numeric_limits<double>::max();
}


}  // namespace

std::optional<CsvTable> TabularPreprocessor::filled_down(const CsvTable& table, FillCarry* above, std::vector<int64_t>* filled,
                                                         std::vector<int64_t>* broken, const std::vector<size_t>* not_scored) const {
  FillCarry none;
  FillCarry& carry = above ? *above : none;
  // (training had none: left out; heading lines too, where a report writes the group's value again below them)
  const auto totals = [&] { return not_scored ? *not_scored : rows_not_scored(table).rows; };
  if (!carry.decided) {
    carry.layout = group_columns_, carry.filled = fill_down_;
    carry.decided = !fill_down_.empty() || table.filled_down;
    // A column laid out in groups is blank below its values (grouped_columns, which reads every
    // column but the last): in a file without such blank cells, none is (read_as_training only
    // leaves rows out or gives a heading's values to the row below).
    bool blanks = false;
    for (size_t r = 0; r < table.row_count() && !blanks && !carry.decided; ++r)
      for (size_t c = 0; c + 1 < table.column_count() && !blanks; ++c) blanks = blank_cell(table.cell(r, c));
    if (!carry.decided && blanks) {  // a model trained on a flat file: a grouped report's columns, read as training reads a file
      const std::optional<CsvTable> read = read_as_training(table, nullptr, !carry.started);
      // (one group alone too, as a stream's first batch may hold: a checkbox is not filled, below)
      const GroupedColumns g = grouped_columns(read ? *read : table, options_, true);
      const auto named = [&](const std::vector<std::string>& names, int64_t c) {
        return std::any_of(names.begin(), names.end(), [&](const std::string& name) { return table.find_column(name) == c; });
      };
      const std::vector<std::string> identifiers = identifier_columns();
      for (const int64_t c : g.filled) {
        const auto used = std::find_if(columns_.begin(), columns_.end(), [&](const ColumnTransform& t) { return table.find_column(t.name) == c; });
        const bool written = named(dates_, c) || named(identifiers, c);  // beside the scores
        const bool empty_is_value = named(blank_cells_, c) || (used != columns_.end() && used->kind == ColumnTransform::Kind::categorical &&
                                                               used->fill_category == kEmptyCategory);
        if ((used != columns_.end() || written) && !empty_is_value) carry.filled.push_back(table.header[size_t(c)]);
      }
      carry.layout.clear();  // (the training file's groups, if any, held no column to fill)
      if (!carry.filled.empty())
        for (const int64_t c : g.layout) carry.layout.push_back(table.header[size_t(c)]);
      carry.found = carry.decided = !carry.filled.empty();
    } else if (!carry.decided) {
      carry.layout.clear();
    }
  }
  carry.started = true;
  const size_t n = carry.filled.size();
  if (broken) broken->assign(n, -1);
  if (n == 0 || table.filled_down) return std::nullopt;
  carry.cells.resize(2 * n);
  // Only a column laid out in groups here too (a flat file's blank cells are missing cells), its
  // groups inside those of the column laid out in groups before it in training.
  std::vector<int64_t> columns(n, -1), outers(n, -1);
  int64_t outer = -1;
  const std::vector<size_t> skipped = totals();
  for (size_t i = 0; i < carry.layout.size(); ++i) {
    const std::string& name = carry.layout[i];
    const int64_t c = table.find_column(name);
    // the value written again where an inner group starts, when the inner column is laid out in
    // groups here too (blank below its values): in a flat file it is written in every row
    int64_t inner = i + 1 < carry.layout.size() ? table.find_column(carry.layout[i + 1]) : -1;
    if (inner >= 0 && c >= 0) {
      const GroupLayout below = group_layout(table, size_t(inner), c, false, skipped);
      if (!below.grouped || below.blanks == 0) inner = -1;
    }
    const size_t j = size_t(std::find(carry.filled.begin(), carry.filled.end(), name) - carry.filled.begin());
    const GroupLayout g = c < 0 ? GroupLayout{} : group_layout(table, size_t(c), outer, false, skipped, inner);
    if (j < n) {  // (else laid out in groups, not filled: the label, given a role)
      if (g.grouped) columns[j] = c, outers[j] = outer;
      else carry.cells[j].clear(), carry.cells[n + j].clear();  // a value above a flat stretch fills nothing after it
      if (broken && c >= 0 && !g.grouped) (*broken)[j] = g.broken;
    }
    if (g.grouped) outer = c;
  }
  if (filled) filled->resize(n);
  return fill_columns_down(table, columns, outers, carry.cells, filled, skipped);  // (rows not scored: their cells not counted)
}

TabularPreprocessor TabularPreprocessor::fit(const CsvTable& table, const std::vector<int64_t>& training_rows,
                                             const TabularOptions& options) {
  const std::optional<FilledGroups> g = filled_groups(table, options);
  if (!g) return fit_columns(table, training_rows, options);
  TabularPreprocessor prep = fit_columns(g->table, training_rows, options);
  for (const int64_t c : g->columns.layout) prep.group_columns_.push_back(table.header[size_t(c)]);
  for (size_t k = 0; k < g->filled.size(); ++k) {
    const std::string& name = table.header[size_t(g->columns.filled[k])];
    for (ColumnDecision& d : prep.schema_)
      if (d.name == name && filled_role(d.role)) {
        d.reason = joined(d.reason, g->reason(k, d.role));
        prep.fill_down_.push_back(name);
      }
  }
  return prep;
}

TabularPreprocessor TabularPreprocessor::fit_columns(const CsvTable& table, const std::vector<int64_t>& training_rows,
                                                     const TabularOptions& options) {
  CA3_CHECK(!training_rows.empty(), "no training rows to fit the preprocessing on");
  CA3_CHECK(options.max_categories >= 1, "max_categories must be >= 1");
  std::vector<int64_t> id_indices;
  for (const std::string& id : options.id_columns) id_indices.push_back(table.column_index(id));  // throws if absent
  const int64_t label_index = options.label_column.empty() ? -1 : table.column_index(options.label_column);
  std::map<int64_t, ColumnRole> roles;
  for (const auto& [name, role] : options.roles) roles[table.column_index(name)] = role;
  check_units_line(table);
  TabularPreprocessor prep;
  prep.options_ = options;
  prep.numbers_ = table.numbers;
  // The columns that may tell the file's decimal mark: not those the caller calls categories or
  // leaves out ("12.34" batch codes in a German file), nor codes such as versions.
  std::vector<bool> skip = columns_not_read(table, options);
  const std::vector<MarkedCodes> marked = marked_code_columns(table);  // columns whose marks told no decimal mark
  std::vector<size_t> looked_at;
  for (size_t c = 0; c < table.column_count(); ++c)
    if (!skip[c] && marked[c] == MarkedCodes::none) looked_at.push_back(c);
  {  // whether the cells told the mark (also when it was named: then a file that tells is checked as well)
    bool cells_guessed = false;
    const NumberFormat told = detect_number_format(table, &cells_guessed, &skip);
    prep.numbers_guessed_ = cells_guessed;
    if (!cells_guessed && told.decimal != table.numbers.decimal)
      if (const auto at = number_format_evidence(table, told.decimal, looked_at))
        throw Error(detail::concat("CSV line ", table.row_line(at->first), ", column '", table.header[at->second], "': '",
                                   shortened(table.cell(at->first, at->second)), "' tells the decimal mark '", told.decimal,
                                   "', and the decimal mark '", table.numbers.decimal, "' was named for the file: name '",
                                   told.decimal, "', or none (the file's cells tell it)"));
  }
  prep.separator_ = table.separator;
  std::vector<std::string> problems;  // of columns that cannot be read
  for (size_t column = 0; column < table.header.size(); ++column) {
    try {
      const std::string& name = table.header[column];
      ColumnDecision decision;
      decision.name = name;
      std::string group;  // (below) why a column named like an identifier is read as categories
      auto decide = [&](const char* role, std::string reason) {
        decision.role = role, decision.reason = group.empty() ? std::move(reason) : joined(group, reason);
        prep.schema_.push_back(decision);
      };
      // A name like an identifier over a few recurring values: categories, said.
      IdentifierName named;
      if (roles.find(int64_t(column)) == roles.end() && int64_t(column) != label_index && looks_like_identifier(name) &&
          std::find(id_indices.begin(), id_indices.end(), int64_t(column)) == id_indices.end() &&
          (named = identifier_name(table, column, training_rows, options.max_categories, " training rows")).group) {
        roles[int64_t(column)] = ColumnRole::categorical;
        group = named.reason;
      }
      const auto forced = roles.find(int64_t(column));
      if (int64_t(column) == label_index) {
        decide("label", "the label column");
        continue;
      }
      if (forced != roles.end() && forced->second == ColumnRole::ignore) {
        prep.dropped_.push_back(name);
        decide("ignored", "left out of training, as asked");
        continue;
      }
      if (std::find(id_indices.begin(), id_indices.end(), int64_t(column)) != id_indices.end()) {
        prep.dropped_.push_back(name);
        decide("identifier", "named as an identifier column: left out of training");
        continue;
      }
      if (forced == roles.end() && looks_like_identifier(name)) {
        prep.dropped_.push_back(name);
        decide("identifier", named.reason);
        continue;
      }
      if (const std::string dates = forced == roles.end() ? numeric_date_reason(table, column, training_rows) : "";
          !dates.empty()) {
        prep.dropped_.push_back(name);
        prep.dates_.push_back(name);
        decide("dates", dates);
        continue;
      }
      if (forced == roles.end() && marked[column] == MarkedCodes::clock_times) {
        prep.dropped_.push_back(name);
        prep.dates_.push_back(name);
        decide("dates", marked_codes_reason(table, column, marked[column]));
        continue;
      }
      if (forced == roles.end()) {
        if (std::string running = running_number_reason(table, column); !running.empty()) {
          prep.dropped_.push_back(name);
          prep.identifiers_.push_back(name);
          decide("identifier", std::move(running));
          continue;
        }
      }
      ColumnTransform t;
      t.name = name;
      std::vector<double> numbers;
      ValueTally tally;
      int64_t present = 0, first_text_row = -1;
      std::vector<std::string> missing_lines;  // the first 3
      for (size_t row = 0; row < table.row_count(); ++row) {  // what the user sees: every row
        const std::string_view cell = table.cell(row, column);
        if (!is_missing_cell(cell)) continue;
        if (decision.missing++ < 3) missing_lines.push_back(std::to_string(table.row_line(row)));
        const std::string_view marker = trim(cell);
        if (!marker.empty()) ++decision.placeholders[std::string(marker)];
      }
      for (int64_t row : training_rows) {
        const std::string_view cell = table.cell(size_t(row), column);
        if (is_missing_cell(cell)) continue;
        ++present;
        double v;
        if (parse_number(cell, v, table.numbers)) numbers.push_back(v);
        else if (first_text_row < 0) first_text_row = row;
        tally.add(cell);
      }
      std::map<std::string, int64_t> counts = tally.ordered();
      const std::vector<std::string> case_variants = merge_case_variants(counts), number_variants = merge_number_variants(counts, table.numbers);
      // True and false written in more than one way ("TRUE" and "0", "yes" and "Y"): mostly as
      // numbers (or asked to be numeric), a 0/1 flag whose words read as 1 and 0; else categories,
      // one for each truth.
      const TruthSpellings truth = truth_spellings(counts, table.numbers);
      const bool truth_flag = forced != roles.end()
                                  ? forced->second == ColumnRole::numeric && truth.all && int64_t(numbers.size()) < present
                                  : truth.flag(present);
      std::string truth_words;
      std::vector<std::string> truth_variants;
      if (truth_flag) {
        truth_words = truth_flag_reason(counts, table.numbers);
        numbers.clear();
        for (int64_t row : training_rows)
          if (const std::string_view cell = table.cell(size_t(row), column); !is_missing_cell(cell))
            numbers.push_back(truth_value(cell, table.numbers));
      } else if (truth.mixed && (forced == roles.end() || forced->second == ColumnRole::categorical)) {
        truth_variants = merge_truth_variants(counts, table.numbers);
      }
      if (present == 0) {  // nothing to learn from
        prep.dropped_.push_back(name);
        decide("empty", "no value in the training rows");
        continue;
      }
      if (forced == roles.end() && int64_t(numbers.size()) < present && date_column(table, column, training_rows)) {
        prep.dropped_.push_back(name);
        prep.dates_.push_back(name);
        decide("dates", clock_column(table, column, training_rows) ? kClockReason : kDateReason);
        continue;
      }
      // Durations ("34:39:00"): seconds. Numbers written with a unit ("10,6 %", "$1,304.12"):
      // numbers, read without it.
      NumberUnit unit;
      std::string duration;
      bool minutes = false;
      if (int64_t(numbers.size()) < present && (forced == roles.end() || forced->second == ColumnRole::numeric) &&
          !(duration = duration_reason(table, column, training_rows, minutes, forced != roles.end())).empty()) {
        t.duration = minutes ? 'm' : 'h';
      } else if (int64_t odd = 0, odd_row = -1;
                 int64_t(numbers.size()) < present && (unit = number_unit(table, column, training_rows, &odd, &odd_row), !unit.empty())) {
        const bool categorical = forced != roles.end() && forced->second != ColumnRole::numeric;
        if (odd > 0 && !categorical) {
          // Counted and named in the whole file, as the preview does and as typos among plain numbers are.
          odd = 0;
          for (size_t row = 0; row < table.row_count(); ++row) {
            const std::string_view cell = table.cell(row, column);
            double v;
            if (!is_missing_cell(cell) && !parse_number_with_unit(cell, v, table.numbers, unit) && odd++ == 0) odd_row = int64_t(row);
          }
          const std::string_view cell = table.cell(size_t(odd_row), column);
          std::string other = not_a_number_said(cell, table.numbers, unit, table.numbers_named);
          // Another unit ("70.1 °F" among "21.5 °C"): convert it; CA3 converts only sizes of one unit.
          double v;
          if (const Affixed a = split_affixes(cell); other.empty() && !unit.text().empty() && plausible_unit(a) &&
                                                     parse_number(a.number, v, table.numbers))
            other = detail::concat("' is written in '", a.prefix, a.suffix, "', and the column's other values in '", unit.text(),
                                   "': convert it to '", unit.text(), "' (CA3 converts only sizes of one unit, as g and kg, min and h)");
          throw Error(detail::concat("CSV line ", table.row_line(size_t(odd_row)), ", column '", name, "': '", shortened(cell),
                                     !other.empty()           ? other
                                     : unit.text().empty() ? std::string("' is not a number as the column's other values are")
                                                           : "' is not a number written with '" + unit.text() + "' as the column's other values are",
                                     " (", odd, odd == 1 ? " cell" : " cells",
                                     other.empty() ? "; leave the cell empty or write NA for a missing value, or, if it holds codes rather than amounts, call the column categorical)"
                                     : odd == 1    ? " of the column does not read)"
                                                   : " of the column do not read)"));
        }
        if (odd > 0) unit = {};
        t.prefix = unit.prefix, t.suffix = unit.suffix, t.minus_after = unit.minus_after, t.count_scale = unit.count_scale;
      }
      if (!t.duration && unit.empty() && int64_t(numbers.size()) < present && (forced == roles.end() || forced->second == ColumnRole::numeric)) {
        // Said of the whole file, as the preview says it.
        std::vector<int64_t> all_rows(table.row_count());
        std::iota(all_rows.begin(), all_rows.end(), int64_t(0));
        if (const MixedDurations m = mixed_durations(table, column, all_rows); m.durations > 0)
          throw Error(detail::concat("CSV line ", table.row_line(size_t(m.first_duration)), ", column '", name, "' ", mixed_durations_said(table, column, m)));
      }
      if (t.duration || !unit.empty()) {  // every cell reads so (checked above): read as scoring will read them
        numbers.clear();
        for (int64_t row : training_rows)
          if (!is_missing_cell(table.cell(size_t(row), column))) numbers.push_back(numeric_cell(table, table.numbers, size_t(row), column, t));
      }
      const bool all_numbers = int64_t(numbers.size()) == present;
      // One value, and empty elsewhere: a checkbox ("✓" or nothing, "1" or nothing). Imputed, it
      // would be that value everywhere; the empty cells are a value of their own.
      const bool checkbox = forced == roles.end() && counts.size() == 1 && present < int64_t(training_rows.size());
      // Whole numbers, not negative, named like a code (account numbers, postal codes): categories,
      // also beside codes written with letters ("E17").
      std::string codes = forced == roles.end() && !checkbox && !t.duration && unit.empty() && !numbers.empty()
                              ? number_code_reason(table, column, training_rows)
                              : "";
      // Versions or a year's document numbers that the file's decimal mark does not read ("2.10",
      // "2023.001" in a file of "19,15"): categories.
      if (forced == roles.end() && codes.empty() && !all_numbers && !checkbox)
        codes = marked_codes_reason(table, column, marked[column]);
      const bool code = !codes.empty();
      const bool as_numeric =
          forced != roles.end() ? forced->second == ColumnRole::numeric : all_numbers && !checkbox && !code;
      if (as_numeric && !all_numbers && !t.duration) {
        // Mostly hours:minutes: the cell that is not ("0:60") is the one to name, counted in the
        // whole file as typos are.
        int64_t clocks = 0, others = 0, first_other = -1;
        for (int64_t row = 0; row < int64_t(table.row_count()); ++row) {
          const std::string_view cell = table.cell(size_t(row), column);
          int count;
          double p[3];
          bool negative;
          if (is_missing_cell(cell)) continue;
          if (duration_parts(cell, count, p, negative)) ++clocks;
          else if (++others == 1) first_other = row;
        }
        if (clocks > 0 && clocks >= 3 * others) {
          const std::string_view cell = table.cell(size_t(first_other), column);
          throw Error(detail::concat("CSV line ", table.row_line(size_t(first_other)), ", column '", name, "': '", shortened(cell),
                                     "' is not hours:minutes[:seconds] as the column's other cells are (minutes and seconds run "
                                     "from 00 to 59; ", count_text(others, "cell", "cells"),
                                     " of the column so): fix it, or leave the cell empty for a missing value"));
        }
      }
      if (as_numeric && !all_numbers) {
        const std::string_view cell = table.cell(size_t(first_text_row), column);
        const std::string why = not_a_number_said(cell, table.numbers, unit, table.numbers_named);
        throw Error(detail::concat("CSV line ", table.row_line(size_t(first_text_row)), ", column '", name, "': '", shortened(cell),
                                   why.empty() ? "' is not a number, and the column was asked to be numeric" : why));
      }
      if (as_numeric && forced == roles.end() && !truth_flag && too_sparse(present, training_rows.size())) {
        prep.dropped_.push_back(name);
        decide("empty", too_sparse_reason(name, present, training_rows.size(), true));
        continue;
      }
      if (as_numeric) {
        std::sort(numbers.begin(), numbers.end());
        t.kind = ColumnTransform::Kind::numeric;
        t.two_values = std::all_of(numbers.begin(), numbers.end(), [&](double v) { return v == numbers.front() || v == numbers.back(); });
        t.fill = percentile(numbers, 0.5);
        moments(numbers, t.mean, t.sd);
        std::string skewed;
        if (options.scaling == Scaling::standard && !*t.two_values && numbers.front() >= 0 && t.sd > 1e-12) {
          const double skewness = skewness_of(numbers, t.mean, t.sd);
          const auto positive = std::upper_bound(numbers.begin(), numbers.end(), 0.0);
          // One decimal, two where one would not show it above the threshold (2.52, not 2.5).
          char tail[96];
          std::snprintf(tail, sizeof tail, "a long tail of large values (skewness %.*f in the training rows)",
                        std::round(skewness * 10) / 10 > kLogSkewness ? 1 : 2, skewness);
          if (skewness > kLogSkewness && !options.log_skewed)
            skewed = std::string(tail) + ": kept on its own scale (preprocessing.logSkewed is false)";
          if (skewness > kLogSkewness && options.log_skewed) {
            const double scale = percentile(std::vector<double>(positive, numbers.end()), 0.5);
            std::vector<double> logs(numbers.size());
            for (size_t k = 0; k < numbers.size(); ++k) logs[k] = log_input(numbers[k], scale);
            double mean, sd;
            moments(logs, mean, sd);
            // Values far from 0 and close together (1e15 + a few hundred) have no spread left on
            // the log scale: they keep the scale they have.
            if (std::isfinite(mean) && std::isfinite(sd) && sd > 1e-12) t.log_scale = scale, t.mean = mean, t.sd = sd;
          }
          if (t.log_scale > 0) {
            skewed = std::string(tail) + ": read on a log scale, " + log_scale_text(t, table.numbers);
          }
        }
        if (!(t.sd > 1e-12)) t.sd = 1;
        // SAP's "1.234,56-" among the training values: scoring reads a whole "5-" so too.
        for (size_t k = 0; k < training_rows.size() && !t.minus_after && !t.duration; ++k) {
          const std::string_view cell = trim(table.cell(size_t(training_rows[k]), column));
          double v;
          t.minus_after = cell.size() >= 2 && cell.back() == '-' && cell[0] >= '0' && cell[0] <= '9' &&
                          parse_number_with_unit(cell, v, table.numbers, unit) && v < 0;
        }
        const size_t n_quantiles = std::min<size_t>(1000, numbers.size());
        for (size_t i = 0; i < n_quantiles; ++i)
          t.quantiles.push_back(percentile(numbers, n_quantiles == 1 ? 0.0 : double(i) / double(n_quantiles - 1)));
        std::string reason = t.duration ? duration
                                        : joined(joined(unit.empty() ? "" : unit_reason(table, column, training_rows, unit),
                                                        sign_reason(table, column, training_rows, unit)),
                                                 zero_reason(table, column, training_rows, unit));
        if (forced == roles.end() && unit.empty() && !t.duration) reason = joined(reason, not_a_code_reason(table, column, training_rows));
        reason = joined(reason, truth_words);
        if (!truth_flag) {
          reason = joined(reason, monotone_reason(table, column, training_rows, t, &t.monotone));
        }
        if (*t.two_values && numbers.front() < numbers.back()) {
          char flag[96];
          std::snprintf(flag, sizeof flag, "two values, %.6g and %.6g: a flag", numbers.front(), numbers.back());
          reason = joined(reason, flag);
        }
        reason = joined(reason, skewed);
        if (!numbers.empty() && numbers.front() == numbers.back())
          reason = joined(reason, constant_reason(value_text(t, numbers.front(), table.numbers)));
        if (decision.missing > 0)
          reason += detail::concat(reason.empty() ? "" : "; ", missing_said(decision.missing, missing_lines), " imputed with the median");
        decide("numeric", reason);
      } else if (forced == roles.end() && !checkbox && !code && truth_variants.empty() &&
                 (double(numbers.size()) >= 0.75 * double(present) ||
                  numbers_with_few_texts(table, column, training_rows, int64_t(numbers.size()), present))) {  // a typo in a numeric column
        // Every such cell of the whole file (not only the training rows), by line: the first in full,
        // then the count and the next three, so that one look at the file finds them all.
        const std::vector<int64_t> odd_rows = rows_not_numbers(table, column);
        double v;
        const int64_t first = odd_rows.empty() ? first_text_row : odd_rows.front();
        const std::string_view cell = table.cell(size_t(first), column);
        const std::string other_mark = other_mark_said(cell, table.numbers, {}, table.numbers_named), limit = limit_said(cell, table.numbers);
        std::string others;
        if (odd_rows.size() > 1) {
          const size_t more = odd_rows.size() - 1;
          others = detail::concat("; ", more, more == 1 ? " more cell of the column is not a number either: "
                                                        : " more cells of the column are not numbers either: ",
                                  next_cells_said(table, column, odd_rows));
        }
        // Written with the other decimal mark: the cells that read either way ("4.625" as 4625 where
        // '.' groups thousands) may be written so too, and would be misread once the others are fixed.
        if (!other_mark.empty() && table.numbers.thousands != 0) {
          int64_t either = 0, first_either = -1;
          double read_as = 0, as_written;
          for (size_t row = 0; row < table.row_count(); ++row) {
            const std::string_view c = table.cell(row, column);
            if (!is_missing_cell(c) && c.find(table.numbers.thousands) != std::string_view::npos && parse_number(c, v, table.numbers) &&
                parse_number(c, as_written, NumberFormat{table.numbers.thousands, table.numbers.decimal}) && either++ == 0)
              first_either = int64_t(row), read_as = v;
          }
          if (either > 0)
            others += detail::concat("; ", count_text(either, "cell", "cells"), " of the column read either way and may be written so too: line ",
                                     table.row_line(size_t(first_either)), " '", shortened(table.cell(size_t(first_either), column)),
                                     "' reads as ", read_as, " in this file");
        }
        // Words alone, but too many to be read as missing (with_words_read_as_missing): said.
        if (const std::string too_many = words_beyond_share_said(table, column, odd_rows); !too_many.empty()) others += " (" + too_many + ")";
        // Else the message ends with "if they are categories, give the column the role categorical".
        const bool mostly_numbers = double(numbers.size()) >= 0.75 * double(present);
        throw Error(detail::concat("CSV line ", table.row_line(size_t(first)), ", column '", name, "': '", shortened(cell),
                                   parse_any_number(cell, v, table.numbers)
                                       ? "' is not a finite number (leave the cell empty or write NA for a missing value)"
                                   : !limit.empty()      ? limit
                                   : !other_mark.empty() ? other_mark
                                   // (a totals row whose numbers sum is left out before: not this one)
                                   : number_word(cell) ? "' is a number written as a word: write it in digits"
                                   : tells_of_value(cell)
                                       ? "' tells something of the value (a range's end, a qualitative result), not that it is missing, and is no "
                                         "number: write a number in its place (the limit itself, or what your field's rule puts there), or "
                                         "leave the cell empty for a missing value"
                                   : summary_word(cell) != 0
                                       ? detail::concat("' names a", summary_word(cell) == 's' ? " totals" : "n averages",
                                                        " row, but its numbers were not found to be the ",
                                                        summary_word(cell) == 's' ? "sums" : "means",
                                                        " of the rows above or below it, so it is not left out as one: delete the line if "
                                                        "it is not a sample (or correct its numbers)")
                                   : mostly_numbers ? "' is not a number (the column's other values are numbers; leave the cell "
                                                      "empty or write NA for a missing value, or, if it holds codes rather than amounts, call the column categorical)"
                                                    : "' is not a number (the column's other values are numbers; leave the cell "
                                                      "empty or write NA for a missing value)",
                                   others,
                                   mostly_numbers
                                       ? ""
                                       : detail::concat(". ", numbers.size(), " of the column's ", present, " values in the training rows are numbers, the others ",
                                                        "a few kinds of text: if they are categories, give the column the role categorical (",
                                                        role_option(name, "categorical"), ")")));
      } else if (const OtherMarkCells other = forced == roles.end() && !checkbox && !code && truth_variants.empty()
                                                  ? other_mark_cells(table, column, training_rows, unit)
                                                  : OtherMarkCells{};
                 other.count > 0 && double(int64_t(numbers.size()) + other.count) >= 0.75 * double(present)) {
        // Numbers, but (some of them) written with the other decimal mark, or limits ("<0,01"): not
        // text, not categories.
        std::vector<int64_t> all_rows(table.row_count());  // counted in the whole file, as typos are
        std::iota(all_rows.begin(), all_rows.end(), int64_t(0));
        const std::string_view cell = table.cell(size_t(other.first_row), column);
        const bool limit = !limit_said(cell, table.numbers, unit).empty();
        // The file's mark told by another column ("12.34" batch codes in a German file): that
        // column may be the one that is not numbers.
        std::string told_by;
        if (const auto at = limit ? std::nullopt : number_format_evidence(table, table.numbers.decimal, looked_at); at && at->second != column) {
          const char other_mark = table.numbers.decimal == '.' ? ',' : '.';
          told_by = detail::concat("; the file's decimal mark '", table.numbers.decimal, "' is told by column '", table.header[at->second],
                                   "' (line ", table.row_line(at->first), ": '", shortened(table.cell(at->first, at->second)),
                                   "'): if that column holds codes, not numbers, give it the role categorical and name the decimal mark '",
                                   other_mark, "' (", decimal_mark_option(other_mark), ")");
        }
        throw Error(detail::concat("CSV line ", table.row_line(size_t(other.first_row)), ", column '", name, "': '", shortened(cell),
                                   not_a_number_said(cell, table.numbers, unit, table.numbers_named), " (",
                                   count_text(other_mark_cells(table, column, all_rows, unit).count, "cell", "cells"),
                                   limit ? " of the column written so, limits or the other decimal mark)"
                                         : " of the column written so; if they are codes such as versions, not numbers, call the column categorical)",
                                   told_by));
      } else {
        // Free text or identifiers (nearly every value distinct) would only add noise.
        if (forced == roles.end() && nearly_all_distinct(counts, present)) {
          prep.dropped_.push_back(name);
          if (std::string names_rows = code ? "" : row_code_reason(counts, present, training_rows.size(), " training rows"); !names_rows.empty()) {
            prep.identifiers_.push_back(name);
            decide("identifier", std::move(names_rows));
            continue;
          }
          // (not whole numbers named like a code: a customer's postal code is no name of a thing)
          if (std::string things = code && marked[column] == MarkedCodes::none
                                       ? "" : names_of_things_reason(counts, present, training_rows.size(), " training rows");
              !things.empty()) {
            prep.identifiers_.push_back(name);
            decide("identifier", std::move(things));
            continue;
          }
          decide("free text", detail::concat(counts.size(), " distinct values in ", present,
                                             code ? " training rows: codes (account, postal code, version) nearly all different, "
                                                    "not categories; left out of training"
                                                  : " training rows: text or identifiers, not categories; left out of training"));
          continue;
        }
        t.kind = ColumnTransform::Kind::categorical;
        if (checkbox) {
          t.categories = {counts.begin()->first, kEmptyCategory};
          std::sort(t.categories.begin(), t.categories.end());
          t.fill_category = kEmptyCategory;
          // the more frequent among the training rows, as `counts` counts them
          t.typical_category = counts.begin()->second > int64_t(training_rows.size()) - present ? counts.begin()->first : kEmptyCategory;
          // counted as the preview counts
          decide("categorical", joined(checkbox_reason(counts.begin()->first, decision.missing),
                                       case_reason(case_variants, number_variants, truth_variants)));
          prep.columns_.push_back(std::move(t));
          continue;
        }
        if (std::string many = forced == roles.end() ? many_things_reason(counts, present, options.max_categories, " training rows") : "";
            !many.empty()) {
          prep.dropped_.push_back(name);
          prep.identifiers_.push_back(name);
          decide("identifier", std::move(many));
          continue;
        }
        std::vector<std::pair<int64_t, std::string>> by_count;
        for (auto& [value, count] : counts) by_count.emplace_back(-count, value);
        std::sort(by_count.begin(), by_count.end());
        // Empty in more rows than any value fills (an error code, a reason written when there is
        // one): an empty cell says "none" there, a value of its own, not a value to impute.
        const int64_t empty = int64_t(training_rows.size()) - present;
        const bool sparse = empty > -by_count.front().first;
        if (sparse) by_count.insert(by_count.begin(), {-empty, kEmptyCategory});
        t.fill_category = t.typical_category = by_count.front().second;
        for (size_t i = 0; i < by_count.size(); ++i)
          (int(i) < options.max_categories ? t.categories : t.others).push_back(by_count[i].second);
        if (!t.others.empty()) t.categories.push_back(kOtherCategory);
        std::sort(t.categories.begin(), t.categories.end());
        std::sort(t.others.begin(), t.others.end());
        std::string reason = count_text(int64_t(counts.size()), "value", "values");
        if (counts.size() == 1 && !sparse) reason = constant_reason("'" + counts.begin()->first + "'");
        if (code) reason = codes + "; " + reason;
        if (!case_variants.empty() || !number_variants.empty() || !truth_variants.empty())
          reason += " (" + case_reason(case_variants, number_variants, truth_variants) + ")";
        if (!t.others.empty())
          reason += detail::concat(" (the ", t.categories.size() - 1, " most frequent kept, the other ", t.others.size(),
                                   " as one value, '", kOtherCategory, "')");
        if (sparse) reason += ", " + sparse_reason(decision.missing);
        else if (decision.missing > 0)
          reason += detail::concat(", ", missing_said(decision.missing, missing_lines), " imputed with the most frequent value");
        decide("categorical", reason);
      }
      prep.columns_.push_back(std::move(t));
    } catch (const Error& e) {  // every column that cannot be read, said at once
      if (e.code() != ErrorCode::bad_input) throw;
      problems.push_back(e.what());
    }
  }
  if (!problems.empty()) {
    std::string message = problems[0];
    for (size_t i = 1; i < problems.size() && i < 4; ++i) message += "; also " + problems[i];
    if (problems.size() > 4) message += detail::concat("; and ", problems.size() - 4, " more columns");
    if (problems.size() > 1) message += detail::concat(" (", problems.size(), " columns cannot be read)");
    throw Error(message);
  }
  if (prep.columns_.empty()) {  // what became of each column, so that the user can give one a role
    std::string decided;
    for (const ColumnDecision& d : prep.schema_) decided += (decided.empty() ? "" : ", ") + ("'" + d.name + "' " + d.role);
    throw Error("the CSV has no feature columns to train on (" + decided +
                "): add columns of measurements, or give one of these the role numeric or categorical (the role menu on the "
                "page, ca3 train --role COL=numeric, TableOptions.roles in the SDK)");
  }
  for (size_t column = 0; column < table.header.size(); ++column)
    for (size_t row = 0; row < table.row_count(); ++row)
      if (blank_cell(table.cell(row, column))) {
        prep.blank_cells_.push_back(table.header[column]);
        break;
      }
  return prep;
}

int64_t TabularPreprocessor::features() const {
  int64_t n = 0;
  for (const auto& c : columns_) n += c.kind == ColumnTransform::Kind::numeric ? 1 : int64_t(c.categories.size());
  return n;
}


std::vector<uint8_t> TabularPreprocessor::continuous_features() const {
  std::vector<uint8_t> out;
  for (const auto& c : columns_) {
    if (c.kind == ColumnTransform::Kind::numeric) out.push_back(!at_most_two_values(c));
    else out.insert(out.end(), c.categories.size(), 0);
  }
  return out;
}

std::vector<float> TabularPreprocessor::two_value_spans() const {
  std::vector<float> spans;
  for (const auto& c : columns_) {
    if (c.kind == ColumnTransform::Kind::categorical) {
      spans.insert(spans.end(), c.categories.size(), 0.f);
      continue;
    }
    double span = 0;
    if (!c.quantiles.empty() && at_most_two_values(c))
      span = numeric_input(c, c.quantiles.back(), options_.scaling) - numeric_input(c, c.quantiles.front(), options_.scaling);
    spans.push_back(span >= 1 ? float(span) : 0.f);
  }
  return spans;
}

std::vector<std::pair<int64_t, int64_t>> TabularPreprocessor::category_blocks() const {
  std::vector<std::pair<int64_t, int64_t>> blocks;
  int64_t offset = 0;
  for (const auto& c : columns_) {
    const int64_t width = c.kind == ColumnTransform::Kind::numeric ? 1 : int64_t(c.categories.size());
    if (c.kind == ColumnTransform::Kind::categorical) blocks.emplace_back(offset, width);
    offset += width;
  }
  return blocks;
}

std::vector<int64_t> TabularPreprocessor::other_inputs() const {
  std::vector<int64_t> inputs;
  int64_t offset = 0;
  for (const auto& c : columns_) {
    if (c.kind == ColumnTransform::Kind::numeric) {
      ++offset;
      continue;
    }
    if (!c.others.empty())
      inputs.push_back(offset + (std::lower_bound(c.categories.begin(), c.categories.end(), kOtherCategory) - c.categories.begin()));
    offset += int64_t(c.categories.size());
  }
  return inputs;
}

std::vector<std::string> TabularPreprocessor::identifier_columns() const {
  std::vector<std::string> names;
  for (const std::string& name : dropped_) {
    bool named = looks_like_identifier(name) || std::find(identifiers_.begin(), identifiers_.end(), name) != identifiers_.end();
    for (const std::string& id : options_.id_columns) named = named || fold_case(id) == fold_case(name);
    if (named) names.push_back(name);
  }
  return names;
}

std::vector<std::string> TabularPreprocessor::feature_names() const {
  std::vector<std::string> names;
  for (const auto& c : columns_) {
    if (c.kind == ColumnTransform::Kind::numeric) names.push_back(c.name);
    else for (const auto& value : c.categories) names.push_back(c.name + "=" + value);
  }
  return names;
}

namespace {
// The indices of the true entries of `columns`.
std::vector<size_t> numeric_indices(const std::vector<bool>& columns) {
  std::vector<size_t> out;
  for (size_t c = 0; c < columns.size(); ++c)
    if (columns[c]) out.push_back(c);
  return out;
}
}  // namespace

std::vector<std::string> TabularPreprocessor::scoring_notes(const CsvTable& table, bool cells,
                                                            const std::vector<std::string>& written) const {
  if (!cells) return scoring_notes_of(table, nullptr, written);
  CellNotes counted(*this);
  counted.add(table);  // (finds the rows not scored too)
  return scoring_notes_of(table, &counted, written);
}
std::vector<std::string> TabularPreprocessor::scoring_notes(const CsvTable& table, CellNotes& cells,
                                                            const std::vector<std::string>& written) const {
  return scoring_notes_of(table, &cells, written);
}
std::vector<std::string> TabularPreprocessor::scoring_notes_of(const CsvTable& table, CellNotes* counted,
                                                               const std::vector<std::string>& written) const {
  // Totals rows, heading lines and repeated headers are not scored, said.
  std::vector<std::string> notes = lines_above_notes(table);
  RowsNotScored found;
  RowsNotScored& skipped = counted ? counted->not_scored() : (found = rows_not_scored(table));
  for (const std::string& note : skipped.notes) notes.push_back(note);
  std::vector<bool> used(table.column_count(), false);
  const auto mark = [&](const std::string& name) {
    const int64_t c = table.find_column(name);
    if (c >= 0) used[size_t(c)] = true;
    return c;
  };
  std::vector<std::string> renamed;
  for (const ColumnTransform& t : columns_) {
    const int64_t c = mark(t.name);
    if (c >= 0 && table.header[size_t(c)] != t.name) renamed.push_back("'" + table.header[size_t(c)] + "' as '" + t.name + "'");
  }
  if (!options_.label_column.empty()) mark(options_.label_column);
  for (const std::string& name : dropped_) mark(name);
  for (const std::string& name : written) mark(name);
  for (const size_t c : table.nameless_columns) used[c] = true;  // a spacer: said by lines_above_notes
  std::vector<std::string> unused;
  for (size_t c = 0; c < table.column_count(); ++c)
    if (!used[c]) unused.push_back("'" + table.header[c] + "'");
  if (table.lines_ending_with_separator > 0) notes.push_back(trailing_fields_note(table));
  // (not when each of them is a row not scored, said above: a title or note line mid-file)
  std::set<int64_t> skipped_lines;
  for (const size_t r : skipped.rows) skipped_lines.insert(table.row_line(r));
  if (table.short_lines > 0 && (table.short_lines > table.short_line_numbers.size() ||
                                !std::all_of(table.short_line_numbers.begin(), table.short_line_numbers.end(),
                                             [&](int64_t line) { return skipped_lines.count(line) > 0; })))
    notes.push_back(short_lines_note(table));
  const std::vector<bool> numeric = numeric_columns_in(table);  // the columns the model reads as numbers
  const std::optional<OwnFormat> own = numeric_columns_format(table);
  // (the numeric columns' cells cannot tell the mark, and the model's training file was of another separator)
  const std::optional<std::string> voted = table.numbers_guessed || (own && !own->told) ? range_vote_note(table) : std::nullopt;
  if (voted) {
    notes.push_back(*voted);
  } else if (own) {
    std::vector<size_t> others;  // the columns the model does not read as numbers
    for (size_t c = 0; c < numeric.size(); ++c)
      if (!numeric[c]) others.push_back(c);
    const std::optional<std::pair<size_t, size_t>> other = number_format_evidence(table, table.numbers.decimal, others);
    notes.push_back(detail::concat(
        "read with the decimal mark '", own->format.decimal, "' ",
        own->told ? detail::concat("that the columns the model reads as numbers tell (line ", table.row_line(own->told->first), ", column '",
                                   table.header[own->told->second], "': '", shortened(table.cell(own->told->first, own->told->second)), "')")
                  : std::string("of the model's training file (the columns the model reads as numbers cannot tell it)"),
        ", not with the '", table.numbers.decimal, "' ",
        other ? detail::concat("of column '", table.header[other->second], "' ('", shortened(table.cell(other->first, other->second)), "')")
              : std::string("of the file's other columns"),
        ", which the model leaves out or reads as categories"));
  } else if (const NumberFormat used = reading_format(table); used.decimal != table.numbers.decimal) {
    const std::string example = ambiguous_number(table);
    double v = 0;
    parse_number(example, v, used);
    char value[32];
    std::snprintf(value, sizeof value, "%.15g", v);
    notes.push_back(detail::concat("numbers such as '", example, "' read either way and no cell of the file tells which: read "
                                   "as the model's training file wrote them, with the decimal mark '", used.decimal, "' ('",
                                   example, "' is ", value, ")"));
  } else if (const auto told = !table.numbers_guessed && numbers_ && used.decimal != numbers_->decimal
                                   ? number_format_evidence(table, used.decimal, numeric_indices(numeric))
                                   : std::nullopt) {
    // Told by the file's cells, not the training file's mark: said (the numbers are read right).
    notes.push_back(detail::concat("read with the decimal mark '", used.decimal, "' that the file's numbers tell (line ",
                                   table.row_line(told->first), ", column '", table.header[told->second], "': '",
                                   shortened(table.cell(told->first, told->second)), "'), where the model's training file wrote '",
                                   numbers_->decimal, "'"));
  } else if (table.numbers_guessed && numbers_ && used.decimal != numbers_->decimal) {
    const std::string example = ambiguous_number(table);
    double here = 0, there = 0;
    parse_number(example, here, used);
    parse_number(example, there, *numbers_);
    char value_here[32], value_there[32];
    std::snprintf(value_here, sizeof value_here, "%.15g", here);
    std::snprintf(value_there, sizeof value_there, "%.15g", there);
    notes.push_back(detail::concat("numbers such as '", example, "' read either way and no cell of the file tells which: read "
                                   "with the decimal mark '", used.decimal, "', as a comma-separated file writes them ('",
                                   example, "' is ", value_here, "), not as the model's training file did (", value_there,
                                   "); if they are written as there, name the decimal mark '", numbers_->decimal, "' (",
                                   decimal_mark_option(numbers_->decimal), ")"));
  }
  const std::string how = !own ? "" : own->told ? " (that of the columns the model reads as numbers)" : " (the model's training file's)";
  for (std::string& note : magnitude_conflicts(table, reading_format(table), &numeric, how)) notes.push_back(std::move(note));
  if (!renamed.empty()) notes.push_back("columns matched ignoring case, spaces or Unicode form: " + list_some(renamed, 8));
  if (!unused.empty())
    notes.push_back(std::string(unused.size() == 1 ? "a column the model does not know, left out: "
                                                   : "columns the model does not know, left out: ") + list_some(unused, 8));
  if (counted)
    for (std::string& note : counted->notes()) notes.push_back(std::move(note));
  return notes;
}

CellNotes::CellNotes(const TabularPreprocessor& prep)
    : prep_(prep), columns_(prep.columns().size()) {}

const CsvTable& CellNotes::add(const CsvTable& given) {
  std::vector<int64_t> filled, broken;
  const std::vector<std::string> before = above_.cells;
  not_scored_ = stream_.add(given);
  if (first_rows_ >= 0) {  // a stream's later batch: its comment lines and a cut last line (the first's are scoring_notes')
    if (given.comment_lines > 0 && later_comments_ == 0) later_comment_ = given.first_comment, later_comment_line_ = given.first_comment_line;
    later_comments_ += int64_t(given.comment_lines);
    if (given.cut_last_line > 0) cut_line_ = given.cut_last_line, cut_fields_ = given.cut_last_fields, header_size_ = given.header.size();
  }
  if (first_rows_ < 0) first_rows_ = int64_t(given.row_count());
  filled_ = prep_.filled_down(given, &above_, &filled, &broken, &not_scored_.rows);
  groups_.resize(above_.filled.size());  // (decided on the first batch)
  for (size_t j = 0; j < groups_.size(); ++j) {
    const int64_t c = given.find_column(above_.filled[j]);
    if (c < 0) continue;
    GroupCounts& n = groups_[j];
    if (j < filled.size()) n.filled_down += filled[j];
    if (broken[j] >= 0) {
      if (n.flat_line == 0) {
        n.flat_line = given.row_line(size_t(broken[j]));
        n.flat_value = trim(given.cell(size_t(broken[j]), size_t(c)));
        n.flat_repeat = group_name(n.flat_value, given.numbers);  // else a measurement or a sentence
      }
      for (size_t r = 0; r < given.row_count(); ++r) n.flat_blanks += blank_cell(given.cell(r, size_t(c)));
    }
    // blank cells with nothing above them: the file starts inside a group
    if (broken[j] < 0 && n.flat_line == 0 && (j >= before.size() || before[j].empty()))  // (a group's heading line starts one)
      for (size_t r = 0; r < given.row_count() && blank_cell(given.cell(r, size_t(c))) && !heading_line(given, r, size_t(c)); ++r) {
        if (n.leading++ == 0) n.leading_first_line = given.row_line(r);
        n.leading_last_line = given.row_line(r);
      }
  }
  const CsvTable& batch = filled_ ? *filled_ : given;
  // rows holding no sample are not scored: their cells not counted
  const std::vector<size_t>& skipped = not_scored_.rows;
  const auto scored = [&](size_t r) { return !std::binary_search(skipped.begin(), skipped.end(), r); };
  for (int64_t line : batch.empty_row_lines)
    if (empty_lines_.size() < 4) empty_lines_.push_back(line);
  empty_line_count_ += int64_t(batch.empty_row_lines.size());
  // Rows with no value in any of the model's columns: the model sees the typical row.
  std::vector<int64_t> present;
  for (const ColumnTransform& t : prep_.columns())
    if (const int64_t c = batch.find_column(t.name); c >= 0) present.push_back(c);
  std::vector<uint8_t> blank(batch.row_count(), 0);
  for (size_t r = 0; r < batch.row_count() && !present.empty(); ++r)
    if (scored(r) && std::all_of(present.begin(), present.end(), [&](int64_t c) { return is_missing_cell(batch.cell(r, size_t(c))); })) {
      if (blank_rows_.size() < 4) blank_rows_.push_back(batch.row_line(r));
      ++blank_row_count_;
      blank[r] = 1;
    }
  const NumberFormat format = prep_.reading_format(batch);  // as transform reads the batch
  numbers_ = prep_.writing_format(batch);
  for (size_t j = 0; j < columns_.size(); ++j) {
    const ColumnTransform& t = prep_.columns()[j];
    const int64_t c = batch.find_column(t.name);
    if (c < 0) continue;
    Counts& n = columns_[j];
    const std::vector<std::string> folded = folded_categories(t);
    const bool flag = t.kind == ColumnTransform::Kind::numeric && !t.quantiles.empty() &&
                      t.quantiles.front() < t.quantiles.back() && at_most_two_values(t);  // once per column, not per cell
    const bool zero_one = zero_one_flag(t);
    // (a count written with a scale, "9.9k": a bare count is one, "449")
    const std::optional<UnitSize> size = column_unit_size(unit_of(t, false));
    const bool count_scale = size && size->scale;
    for (size_t r = 0; r < batch.row_count(); ++r) {
      if (!scored(r)) continue;
      const std::string_view cell = batch.cell(r, size_t(c));
      if (is_missing_cell(cell)) {
        ++n.missing;
        // (a row missing every cell is said on its own when filled from rows, and not counted here)
        if ((!blank[r] || prep_.filled_from_rows() == 0) && n.missing_lines.size() < 3) n.missing_lines.push_back(batch.row_line(r));
        // A spreadsheet formula's error ("#VALUE!", "#DIV/0!"): missing too, but a fault to find.
        if (const std::string_view marker = trim(cell); marker.starts_with('#')) {
          if (n.error_cells++ < 3) n.error_examples.push_back(detail::concat("'", marker, "' on line ", batch.row_line(r)));
          if (n.error_rows.size() < kFarLinesKept && t.fill_category != kEmptyCategory)  // (a checkbox's: its empty value)
            n.error_rows.push_back({rows_added_ + int64_t(r), batch.row_line(r),
                                        detail::concat("'", t.name, "' '", shortened(trim(cell)), "', a spreadsheet formula's error, read as missing")});
        }
        continue;
      }
      ++n.present;
      double v = 0;
      if (t.kind == ColumnTransform::Kind::numeric) {
        try {
          v = numeric_cell(batch, format, r, size_t(c), t);
        } catch (const Error& e) {  // read as missing (transform's Unreadable), said
          ++n.unreadable;
          ++unreadable_;
          const int64_t line = batch.row_line(r);
          const std::string message = e.what(), shown = shortened(cell);
          const std::string prefix = detail::concat("CSV line ", line, ", column '", t.name, "': '", shown, "'");
          const std::string reason = message.starts_with(prefix) ? message.substr(prefix.size()) : message;
          auto said = std::find_if(unreadable_reasons_.begin(), unreadable_reasons_.end(), [&](const UnreadableCell& u) { return u.reason == reason; });
          if (said == unreadable_reasons_.end() && unreadable_reasons_.size() < 3) unreadable_reasons_.push_back({line, message, reason});
          else if (said != unreadable_reasons_.end() && line < said->line) *said = {line, message, reason};  // (a column before, later lines)
          auto group = std::find_if(unreadable_groups_.begin(), unreadable_groups_.end(),
                                    [&](const UnreadableGroup& g) { return g.column == t.name && g.value == shown; });
          if (group == unreadable_groups_.end() && unreadable_groups_.size() < kUnreadableGroups)
            group = unreadable_groups_.insert(group, {t.name, shown});
          if (group == unreadable_groups_.end()) ++unreadable_ungrouped_;
          else if (++group->cells <= 3) group->lines.push_back(line);
          if (unreadable_rows_.size() < kFarLinesKept)
            unreadable_rows_.push_back({rows_added_ + int64_t(r), batch.row_line(r),
                                        detail::concat("'", t.name, "' '", shortened(trim(cell)), "' cannot be read, read as missing")});
          continue;
        }
      }
      if (t.kind == ColumnTransform::Kind::numeric && !flag && !t.quantiles.empty()) {
        n.low = n.numbers == 0 ? v : std::min(n.low, v), n.high = n.numbers == 0 ? v : std::max(n.high, v);
        ++n.numbers, n.above += v > t.quantiles.back(), n.below += v < t.quantiles.front();
        const auto scaled = [&](double x) { return t.log_scale > 0 ? log_input(x, t.log_scale) : x; };
        const double low = scaled(t.quantiles.front()), high = scaled(t.quantiles.back()), u = scaled(v);
        if (high > low && (u > high + (high - low) || u < low - (high - low) || !std::isfinite(u))) {
          if (n.far++ < int64_t(kFarLinesKept))
            n.far_rows.push_back({rows_added_ + int64_t(r), batch.row_line(r),
                                  detail::concat("'", t.name, "' ", shortened(trim(cell)), " far outside the training's range")});
          if (n.far_examples.size() < 3) n.far_examples.push_back(detail::concat("line ", batch.row_line(r), ": '", trim(cell), "'"));
        }
        if (t.log_scale > 0 && v < 0 && n.below_zero++ < 4)  // (a fourth: "...")
          n.below_zero_examples.push_back(detail::concat("line ", batch.row_line(r), ": '", trim(cell), "'"));
        // A column of one value in training (a setpoint, a firmware number) that has another: no
        // range to be far from, and its input moves by the value's difference alone.
        if (t.quantiles.front() == t.quantiles.back() && v != t.quantiles.front()) {
          if (n.off_constant++ < int64_t(kFarLinesKept))
            n.off_constant_rows.push_back({rows_added_ + int64_t(r), batch.row_line(r),
                                           detail::concat("'", t.name, "' ", shortened(trim(cell)), ", where every training row had ",
                                                          value_text(t, t.quantiles.front(), numbers_))});
          const std::string seen = "'" + std::string(trim(cell)) + "'";
          if (n.off_constant_examples.size() < 3 &&
              std::find(n.off_constant_examples.begin(), n.off_constant_examples.end(), seen) == n.off_constant_examples.end())
            n.off_constant_examples.push_back(seen);
        }
      }
      if (t.kind == ColumnTransform::Kind::numeric && !t.minus_after && !t.duration && !parse_number(cell, v, format) &&
          minus_after_number(cell, v, format)) {
        ++n.minus_after;
        if (n.minus_examples.size() < 3) n.minus_examples.push_back(detail::concat("'", trim(cell), "' as ", v));
      }
      // A plain number in a column the model learned with a unit ("0.048" where training wrote
      // "4.7%"): read in that unit, and said (it may be written in another: a fraction).
      if (t.kind == ColumnTransform::Kind::numeric && (!t.prefix.empty() || !t.suffix.empty()) && parse_number(cell, v, format) &&
          !count_scale && n.without_unit++ < 3)
        n.without_unit_examples.push_back(detail::concat("'", trim(cell), "' as ", value_text(t, v, numbers_)));
      // Another size of the column's unit ("0.7 kg" where training wrote "850 g"): converted, said.
      if (size && !parse_number(cell, v, format) && split_affixes(cell).suffix != t.suffix &&
          parse_number_with_unit(cell, v, format, unit_of(t, false)) && n.converted++ < 3)
        n.converted_examples.push_back(detail::concat("'", trim(cell), "' as ", value_text(t, v, numbers_)));
      // A flag's value other than its two (2 in a column of 0 and 1): scored as the number it is.
      if (flag && parse_number(cell, v, format) && v != t.quantiles.front() && v != t.quantiles.back()) {
        ++n.off_flag;
        const std::string seen = "'" + std::string(trim(cell)) + "'";
        if (n.off_flag_examples.size() < 3 && std::find(n.off_flag_examples.begin(), n.off_flag_examples.end(), seen) == n.off_flag_examples.end())
          n.off_flag_examples.push_back(seen);
      }
      // A value read as another (or as none): counted, the first four values each with their first
      // three lines.
      const auto note = [&](int64_t& count, std::vector<Counts::ValueLines>& values, const std::string& seen) -> Counts::ValueLines* {
        ++count;
        auto at = std::find_if(values.begin(), values.end(), [&](const Counts::ValueLines& v) { return v.shown == seen; });
        if (at == values.end() && values.size() < 4) at = values.insert(at, {seen});
        if (at == values.end()) return nullptr;
        if (at->rows++ < 3) at->lines.push_back(batch.row_line(r));
        return &*at;
      };
      if (zero_one && !parse_number(cell, v, format))
        if (const int truth = truth_value(cell, format); truth >= 0)
          note(n.by_truth, n.truth_values, detail::concat("'", category_of(cell), "' as ", truth));
      if (t.kind != ColumnTransform::Kind::categorical) continue;
      CategoryMatch how = CategoryMatch::as_written;
      const int64_t k = category_index(t, cell, format, &how, &folded);
      if (k >= 0 && how == CategoryMatch::as_written) continue;
      const std::string written = shortened(category_of(cell));  // (a newline in a quoted cell shown as \x0A)
      const std::string seen = k >= 0 ? "'" + written + "' as '" + shortened(t.categories[size_t(k)]) + "'" : "'" + written + "'";
      if (k < 0) {
        Counts::ValueLines* value = note(n.unseen, n.unseen_values, seen);
        if (value && value->rows == 1)
          for (const std::string& known : t.categories)  // (the first that looks like it: "Mnuich" like "Munich")
            if (looks_misspelt(category_of(cell), known)) {
              value->like = known;
              break;
            }
        if (n.unseen_rows.size() < kFarLinesKept)
          n.unseen_rows.push_back({rows_added_ + int64_t(r), batch.row_line(r),
                                   detail::concat("'", t.name, "' ", seen, " never seen in training",
                                                  value && !value->like.empty() ? " (like '" + value->like + "')" : "")});
      } else if (how == CategoryMatch::by_case) note(n.by_case, n.case_values, seen);
      else if (how == CategoryMatch::by_number) note(n.by_number, n.number_values, seen);
      else note(n.by_truth, n.truth_values, seen);
    }
  }
  rows_added_ += int64_t(batch.row_count());
  return batch;
}

bool CellNotes::far_said(const Counts& n, const ColumnTransform& t) const {
  // (a column all beyond training is said above; a log-scaled column's values below 0, below)
  // (nor a column that counted on through training: its later values lie beyond it by nature)
  return n.far > 0 && !(n.numbers >= 10 && (n.above == n.numbers || n.below == n.numbers)) && n.below_zero == 0 && t.monotone == 0;
}
bool CellNotes::empty_column(const Counts& n, const ColumnTransform& t) const {
  return n.missing > 1 && n.present == 0 && t.fill_category != kEmptyCategory;
}
bool CellNotes::off_constant_said(const Counts& n) const {
  return n.off_constant > 0 && !(n.numbers >= 10 && (n.above == n.numbers || n.below == n.numbers));
}

void CellNotes::check_readable() const {
  for (size_t j = 0; j < columns_.size(); ++j) {
    const Counts& n = columns_[j];
    if (n.unreadable <= 1 || 4 * n.unreadable <= n.present) continue;
    const std::string& name = prep_.columns()[j].name;
    std::string cells;
    for (const UnreadableGroup& g : unreadable_groups_) {
      if (g.column != name) continue;
      std::vector<std::string> at;
      for (const int64_t line : g.lines) at.push_back(std::to_string(line));
      cells += detail::concat(cells.empty() ? "" : ", ", "'", g.value, "' on ", lines_listed(at, 3, size_t(g.cells)));
    }
    throw Error(detail::concat("column '", name, "': ", n.unreadable, " of its ", n.present, " values so far cannot be read (", cells,
                               "), more than a quarter, so the scores would say little of it (a file of them is refused): the "
                               "file likely writes the column otherwise from there on (another unit, another layout); fix that and "
                               "score it again"));
  }
}

std::vector<CellNotes::RowToCheck> CellNotes::rows_to_check() const {
  std::map<int64_t, RowToCheck> rows;
  const auto add = [&](const std::vector<RowToCheck>& found) {
    for (const RowToCheck& c : found) {
      auto [at, inserted] = rows.try_emplace(c.row, c);
      if (!inserted) at->second.reason += "; " + c.reason;
    }
  };
  add(unreadable_rows_);
  for (size_t j = 0; j < columns_.size(); ++j)  // (cells read as missing first, as before the values)
    if (!empty_column(columns_[j], prep_.columns()[j])) add(columns_[j].error_rows);
  for (size_t j = 0; j < columns_.size(); ++j) {
    if (far_said(columns_[j], prep_.columns()[j])) add(columns_[j].far_rows);
    if (off_constant_said(columns_[j])) add(columns_[j].off_constant_rows);
    add(columns_[j].unseen_rows);
  }
  std::vector<RowToCheck> out;
  for (auto& [row, c] : rows) {
    if (out.size() == kFarLinesKept) break;
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<std::string> CellNotes::notes() const {
  std::vector<std::string> grouped, flat, leading, filled, all_empty, by_case, by_number, by_truth, flag_words, unseen, minus_after, off_flag, without_unit, converted,
      beyond, below_zero, far, off_constant;
  std::set<int64_t> off_constant_rows;  // the lines of the rows `off_constant` names
  bool percent = false, counts_on = false;
  std::set<int64_t> far_rows;      // the lines of the rows `far` names
  bool far_beyond_kept = false;    // more of them than the lines kept (Counts::far_rows)
  std::string beyond_name;  // the column the advice names: the first that counted on in training, else the first
  const auto rows = [](int64_t n) { return detail::concat(n, n == 1 ? " row (" : " rows ("); };
  for (size_t j = 0; j < columns_.size(); ++j) {
    const ColumnTransform& t = prep_.columns()[j];
    const Counts& n = columns_[j];
    // A column empty in every row (not exported, a sensor off): every row scored with its typical value.
    if (empty_column(n, t))
      all_empty.push_back(detail::concat("'", t.name, "' (", t.kind == ColumnTransform::Kind::numeric ? value_text(t, t.fill, numbers_)
                                                                                                   : "'" + t.fill_category + "'",
                                         n.error_cells == 0 ? ""
                                         : n.error_cells == n.missing
                                             ? detail::concat("; every cell a spreadsheet formula's error, such as ", n.error_examples.front())
                                             : detail::concat("; ", n.error_cells, " of its cells spreadsheet formulas' errors, such as ",
                                                              n.error_examples.front()),
                                         ")"));
    else if (const bool from_rows = prep_.filled_from_rows() > 0;  // (a row with no value: the typical row, said below)
             n.missing - (from_rows ? blank_row_count_ : 0) > 0 && t.fill_category != kEmptyCategory) {  // a checkbox's empty cells are a value, not missing
      const int64_t cells = n.missing - (from_rows ? blank_row_count_ : 0), errors = std::min(n.error_cells, cells);
      // (filled from rows: each its own value, none to name; a typical value named would read as the one used)
      const std::string errors_said = errors == 0       ? ""
                                      : cells == 1      ? "a spreadsheet error, said below"
                                      : errors == cells ? "all of them spreadsheet errors, said below"
                                                        : detail::concat(errors, " of them spreadsheet errors, said below");
      // (on their lines, so that their rows can be found: "'temp' 2 cells on lines 112, 140")
      std::vector<std::string> lines;
      for (const int64_t line : n.missing_lines) lines.push_back(std::to_string(line));
      const std::string where = lines.empty() ? "" : " on " + lines_listed(lines, 3, size_t(cells));
      filled.push_back(from_rows ? detail::concat("'", t.name, "' ", cells, cells == 1 ? " cell" : " cells", where,
                                                  errors_said.empty() ? "" : " (" + errors_said + ")")
                                 : detail::concat("'", t.name, "' ", cells, cells == 1 ? " cell" : " cells", where, " (with ",
                                                  t.kind == ColumnTransform::Kind::numeric ? value_text(t, t.fill, numbers_) + ", the training median"
                                                                                           : "'" + t.fill_category + "', the most frequent",
                                                  errors_said.empty() ? "" : "; " + errors_said, ")"));
    }
    // "'colour' 3 rows ('green' on lines 2, 6; 'teal' on line 3, like 'tea'; ...)"
    const auto with_lines = [&](int64_t count, const std::vector<Counts::ValueLines>& values) {
      std::string text;
      for (size_t i = 0; i < values.size() && i < 3; ++i) {
        std::vector<std::string> lines;
        for (const int64_t line : values[i].lines) lines.push_back(std::to_string(line));
        text += (i ? "; " : "") + values[i].shown + " on " + lines_listed(lines, 3, size_t(values[i].rows)) +
                (values[i].like.empty() ? "" : ", like '" + shortened(values[i].like) + "'");
      }
      return "'" + t.name + "' " + rows(count) + text + (values.size() > 3 ? "; ...)" : ")");
    };
    if (n.by_case > 0) by_case.push_back(with_lines(n.by_case, n.case_values));
    if (n.minus_after > 0) minus_after.push_back("'" + t.name + "' " + rows(n.minus_after) + list_some(n.minus_examples, 3) + ")");
    if (n.by_number > 0) by_number.push_back(with_lines(n.by_number, n.number_values));
    if (n.by_truth > 0) (t.kind == ColumnTransform::Kind::numeric ? flag_words : by_truth).push_back(with_lines(n.by_truth, n.truth_values));
    if (n.unseen > 0) unseen.push_back(with_lines(n.unseen, n.unseen_values));
    if (n.without_unit > 0) {
      without_unit.push_back("'" + t.name + "' " + rows(n.without_unit) + list_some(n.without_unit_examples, 3) + ")");
      percent = percent || t.suffix == "%" || t.prefix == "%";
    }
    // Every value beyond training on one side, in ten rows or more: no single row stands out, the
    // file does (a number that counts on, another unit, another machine).
    // (values all below 0 in a log-scaled column are said as such, below)
    if (n.numbers >= 10 && (n.above == n.numbers || n.below == n.numbers) && n.below_zero < n.numbers) {
      const bool above = n.above == n.numbers;
      beyond.push_back(detail::concat("'", t.name, "' ", n.numbers, " rows, ", value_text(t, n.low, numbers_), " to ",
                                      value_text(t, n.high, numbers_), ", all ", above ? "above" : "below", " training's ",
                                      value_text(t, above ? t.quantiles.back() : t.quantiles.front(), numbers_),
                                      t.monotone == 0 ? ""
                                      : t.monotone > 0 ? "; it only rose through the training rows"
                                                       : "; it only fell through the training rows"));
      if (beyond_name.empty() || (!counts_on && t.monotone != 0)) beyond_name = t.name;
      counts_on = counts_on || t.monotone != 0;
    }
    if (far_said(n, t)) {
      for (const RowToCheck& c : n.far_rows) far_rows.insert(c.line);
      far_beyond_kept = far_beyond_kept || n.far > int64_t(n.far_rows.size());
      far.push_back(detail::concat("'", t.name, "' ", rows(n.far), list_some(n.far_examples, 3), n.far > 3 ? ", ..." : "",
                                   "; training ", value_text(t, t.quantiles.front(), numbers_), " to ",
                                   value_text(t, t.quantiles.back(), numbers_), ")"));
    }
    if (off_constant_said(n)) {
      for (const RowToCheck& c : n.off_constant_rows) off_constant_rows.insert(c.line);
      off_constant.push_back(detail::concat("'", t.name, "' ", rows(n.off_constant), list_some(n.off_constant_examples, 3),
                                            "; training always ", value_text(t, t.quantiles.front(), numbers_), ")"));
    }
    if (n.below_zero > 0)
      below_zero.push_back("'" + t.name + "' " + rows(n.below_zero) + list_some(n.below_zero_examples, 3) + "; c = " +
                           value_text(t, t.log_scale, numbers_) + ")");
    if (n.converted > 0) converted.push_back("'" + t.name + "' " + rows(n.converted) + list_some(n.converted_examples, 3) + ")");
    if (n.off_flag > 0) {
      char two[64];
      std::snprintf(two, sizeof two, "%.6g and %.6g", t.quantiles.front(), t.quantiles.back());
      off_flag.push_back("'" + t.name + "' " + rows(n.off_flag) + list_some(n.off_flag_examples, 3) + "; training had " + two + ")");
    }
  }
  for (size_t j = 0; j < groups_.size(); ++j) {
    const std::string& name = above_.filled[j];
    const GroupCounts& n = groups_[j];
    if (n.filled_down > 0) grouped.push_back(detail::concat("'", name, "' ", n.filled_down));
    if (n.flat_line > 0 && n.flat_blanks > 0)
      flat.push_back(detail::concat("'", name, "' (line ", n.flat_line, ": '", n.flat_value, "', ",
                                    n.flat_repeat ? "again in its group" : "not a group's name", ")"));
    if (n.leading > 0)
      leading.push_back(detail::concat("'", name, "' ", n.leading, n.leading == 1 ? " row (line " : " rows (lines ",
                                       n.leading_first_line, n.leading == 1 ? "" : " to " + std::to_string(n.leading_last_line), ")"));
  }
  std::vector<std::string> notes;
  // (those of a stream's first batch are said as scoring_notes says a file's)
  if (const int64_t later = stream_.rows_after_first(); later > 0) {
    std::vector<std::string> lines;
    for (const int64_t line : stream_.rows_after_first_lines()) lines.push_back(std::to_string(line));
    notes.push_back(detail::concat(later, later == 1 ? " row" : " rows", " after the first ", first_rows_, " not data (a totals or "
                                   "averages row, a group's heading line, a repeated header): ", lines_listed(lines, 10, size_t(later)),
                                   ", not scored (no score, no flag)"));
  }
  if (later_comments_ > 0)
    notes.push_back(detail::concat(later_comments_ == 1 ? "a comment line" : std::to_string(later_comments_) + " comment lines",
                                   " ('#' first) after the first ", first_rows_, " rows skipped ('", shortened(later_comment_), "'",
                                   later_comments_ == 1 ? " on line " : "; the first on line ", later_comment_line_, ")"));
  if (cut_line_ > 0) notes.push_back(cut_last_line_note(cut_line_, cut_fields_, header_size_));
  if (empty_line_count_ > 0) {
    std::vector<std::string> lines;
    for (int64_t line : empty_lines_) lines.push_back(std::to_string(line));
    notes.push_back(detail::concat(empty_line_count_, empty_line_count_ == 1 ? " empty line" : " empty lines",
                                   " (blank or only separators) skipped, not scored: line", empty_lines_.size() == 1 ? " " : "s ",
                                   list_some(lines, 3)));
  }
  if (blank_row_count_ > 0) {
    std::vector<std::string> lines;
    for (int64_t line : blank_rows_) lines.push_back(std::to_string(line));
    notes.push_back(detail::concat(blank_row_count_, blank_row_count_ == 1 ? " row has" : " rows have",
                                   " no value in any column the model reads: each cell filled in with training's median or most "
                                   "frequent value, so its score says nothing of the row (line",
                                   blank_rows_.size() == 1 ? " " : "s ", list_some(lines, 3), ")"));
  }
  if (!beyond.empty())
    notes.push_back("every value of a column beyond all of training's, so that each row scores high for it alone: " +
                    list_some(beyond, 8) +
                    (counts_on ? ". A column that counts on (a parcel or serial number, a meter reading) says when a row was written, "
                                 "not what it is: train again with it given the role ignore (" + role_option(beyond_name, "ignore") + ")"
                               : ". If the column is written in another unit or scale than in training, fix the file; if it counts "
                                 "on (a running number, a meter reading), train again with it given the role ignore (" +
                                     role_option(beyond_name, "ignore") + "); if neither, these rows do lie beyond anything in training"));
  if (!below_zero.empty())
    notes.push_back("numbers below 0 in a column read on a log scale, whose training rows' values were all 0 or above: each is "
                    "read as value / c (c as in log(1 + value / c) above 0), below every training value; the further below "
                    "0, the lower the row's input for the column (down to 20 sd below its mean) and the higher its score: " +
                    list_some(below_zero, 8) +
                    (below_zero.size() > 8 ? detail::concat(" (", below_zero.size(), " columns)") : std::string()) +
                    ". If the column can be negative (a refund, a correction), train on a file with more such rows (how a column is read "
                    "is decided on the training rows alone, not on those held out to validate and test), or set "
                    "preprocessing.logSkewed to false (a preset file: --preset FILE.json for ca3 train, presetChanges in "
                    "the SDK)");
  if (!grouped.empty() && above_.found)
    notes.push_back("laid out as a grouped report (a group's value stands in its first row only, blank cells below it), which "
                    "the model's training file was not: the blank cells of its columns given the value above them, as the file "
                    "means them: " + list_some(grouped, 8) + ". If a blank cell there means no value, write NA in it");
  else if (!grouped.empty())
    notes.push_back("blank cells of a grouped report's column given the value above them, as in training (a group's value "
                    "stands in its first row only): " + list_some(grouped, 8));
  if (!flat.empty())
    notes.push_back("a grouped report's column in training not laid out in groups here, so its blank cells are missing cells, "
                    "not the value above them: " + list_some(flat, 8));
  if (!leading.empty())
    notes.push_back("the file starts inside a group: its first rows have no value above them in a grouped report's column, "
                    "so they are read as missing cells (start the file at a group's first row, or write the group's value "
                    "there): " + list_some(leading, 8));
  if (!filled.empty())
    notes.push_back(prep_.filled_from_rows() > 0
                        ? detail::concat("missing cells filled in, each from the ", prep_.filled_from_rows(),
                                         " training rows most like its row in the other columns (their mean, or the category most of "
                                         "them have): ", list_some(filled, 8))
                        : "missing cells filled in as in training: " + list_some(filled, 8));
  if (!all_empty.empty()) {
    bool errors = false;  // (its cells spreadsheet errors: no value, not empty)
    for (size_t j = 0; j < columns_.size(); ++j) errors = errors || (empty_column(columns_[j], prep_.columns()[j]) && columns_[j].error_cells > 0);
    const char* const which = errors ? "with no value in any row" : "empty in every row";
    const std::string how = prep_.filled_from_rows() > 0
                                ? detail::concat(", so each row was scored with the value", all_empty.size() == 1 ? "" : "s", " the ",
                                                 prep_.filled_from_rows(), " training rows most like it in its other columns have there (",
                                                 all_empty.size() == 1 ? "the typical value" : "the typical values", " in brackets): ")
                            : all_empty.size() == 1 ? ", so every row was scored with its typical value (in brackets): "
                                                    : ", so every row was scored with their typical values (in brackets): ";
    notes.push_back(detail::concat(all_empty.size() == 1 ? "a column " : "columns ", which, how,
                                   list_some(all_empty, 8), all_empty.size() == 1 ? ". The scores say nothing of it" : ". The scores say nothing of them",
                                   errors ? "; if the file should hold values there, fix the formulas where it was exported (or export the values) "
                                            "and score it again"
                                          : "; if the file should hold values there, export them and score it again"));
  }
  if (!minus_after.empty())
    notes.push_back("whole numbers with the minus after them read as negative, as SAP writes them (the column's training "
                    "values had none so): " + list_some(minus_after, 8));
  if (!by_case.empty()) notes.push_back("values read ignoring letter case: " + list_some(by_case, 8));
  if (!by_number.empty())
    notes.push_back("numbers read as the category that is the same whole number written otherwise: " + list_some(by_number, 8));
  if (!by_truth.empty())
    notes.push_back("true and false written another way, read as training wrote them: " + list_some(by_truth, 8));
  if (!flag_words.empty())
    notes.push_back("true and false written as words in a column of 0 and 1 (a flag), read as 1 and 0: " + list_some(flag_words, 8));
  if (!unseen.empty())
    notes.push_back("values never seen in training, read as none of the column's known values: " + list_some(unseen, 8) +
                    ". If one is misspelt, correct it and score the file again; a new value is one the model knows nothing of: "
                    "train again on a file that has it");
  if (!off_flag.empty())
    notes.push_back("values a column of two values (a flag) never took in training, scored as the numbers they are: " +
                    list_some(off_flag, 8));
  if (!without_unit.empty())
    notes.push_back("numbers written without the unit their column had in training, read in that unit: " + list_some(without_unit, 8) +
                    (percent ? "; if they are fractions (0.05 for 5 %), write them as percentages, as in training" : ""));
  if (!converted.empty())
    notes.push_back("numbers written in another size of their column's unit, converted to the unit of training: " + list_some(converted, 8));
  if (unreadable_ > 0) {
    const bool one = unreadable_ == 1;
    std::vector<std::string> lines;
    std::set<int64_t> unreadable_lines;
    for (const RowToCheck& c : unreadable_rows_) unreadable_lines.insert(c.line);
    for (const int64_t line : unreadable_lines) lines.push_back(std::to_string(line));
    // The first cell of each reason in full, by line; then, of more than one cell, every cell by
    // column and value (by their first lines), each with how many and its lines.
    std::vector<UnreadableCell> reasons = unreadable_reasons_;
    std::stable_sort(reasons.begin(), reasons.end(), [](const UnreadableCell& a, const UnreadableCell& b) { return a.line < b.line; });
    std::string examples;
    for (const UnreadableCell& c : reasons) examples += (examples.empty() ? "" : "; ") + c.message;
    if (!one) {
      std::vector<UnreadableGroup> groups = unreadable_groups_;
      std::stable_sort(groups.begin(), groups.end(), [](const UnreadableGroup& a, const UnreadableGroup& b) { return a.lines[0] < b.lines[0]; });
      for (size_t i = 0; i < groups.size(); ++i) {
        std::vector<std::string> at;
        for (const int64_t line : groups[i].lines) at.push_back(std::to_string(line));
        examples += detail::concat(i == 0 ? "; by column and value: " : ", ", "'", groups[i].column, "' '", groups[i].value, "' ",
                                   groups[i].cells, groups[i].cells == 1 ? " cell (" : " cells (", lines_listed(at, 3, size_t(groups[i].cells)), ")");
      }
      if (unreadable_ungrouped_ > 0) examples += detail::concat(", and ", unreadable_ungrouped_, " cells of other columns and values");
    }
    // A column with more than a quarter of its values unreadable (a stream reads them all as
    // missing; a file is refused): written otherwise than in training, most likely.
    std::vector<std::string> most;
    for (size_t j = 0; j < columns_.size(); ++j)
      if (const Counts& n = columns_[j]; n.unreadable > 1 && 4 * n.unreadable > n.present)
        most.push_back(detail::concat("'", prep_.columns()[j].name, "' ", n.unreadable, " of its ", n.present, " values"));
    const bool from_rows = prep_.filled_from_rows() > 0;
    notes.push_back(detail::concat(unreadable_, one ? " cell cannot be read, so it was read as missing (filled in " : " cells cannot be read, so "
                                                                                                                   "they were read as missing (each filled in ",
                                   from_rows ? detail::concat("from the ", prep_.filled_from_rows(), " training rows most like its row")
                                             : one ? "with the column's training median" : "with its column's training median",
                                   one ? ") to score its row: " : ") to score their rows: ",
                                   examples,
                                   lines.size() == 1 ? ". Its row's score says less: look at it whatever its score ("
                                                     : ". Their rows' scores say less: look at them whatever their score (",
                                   lines_listed(lines, 10), ")",
                                   most.empty() ? ""
                                   : ". More than a quarter of a column cannot be read (" + list_some(most, 8) +
                                         "): the file likely writes it otherwise than the training file did (another unit, "
                                         "another layout); fix that and score it again"));
  }
  // Spreadsheet formulas' errors ("#VALUE!"): missing cells, but faults in the export to find.
  int64_t errors = 0;
  std::vector<std::string> error_columns;
  std::set<int64_t> error_lines;
  for (size_t j = 0; j < columns_.size(); ++j)
    if (const Counts& n = columns_[j]; n.error_cells > 0 && prep_.columns()[j].fill_category != kEmptyCategory &&
                                       !empty_column(n, prep_.columns()[j])) {
      for (const RowToCheck& c : n.error_rows) error_lines.insert(c.line);
      errors += n.error_cells;
      error_columns.push_back(detail::concat("'", prep_.columns()[j].name, "' ", list_some(n.error_examples, 3),
                                             n.error_cells > 3 ? detail::concat(" and ", n.error_cells - 3, " more") : ""));
    }
  if (errors > 0) {
    std::vector<std::string> lines;
    for (const int64_t line : error_lines) lines.push_back(std::to_string(line));
    notes.push_back(detail::concat(errors, errors == 1 ? " cell holds a spreadsheet formula's error, read as missing (filled in as "
                                                         "the column's missing cells are) to score its row: "
                                                       : " cells hold a spreadsheet formula's error, read as missing (filled in as "
                                                         "their column's missing cells are) to score their rows: ",
                                   list_some(error_columns, 8),
                                   lines.size() == 1 ? ". Its row's score says less: look at it whatever its score ("
                                                     : ". Their rows' scores say less: look at them whatever their score (",
                                   lines_listed(lines, 10), "); fix the formulas where the file was exported"));
  }
  if (!off_constant.empty()) {
    std::vector<std::string> lines;
    for (const int64_t line : off_constant_rows) lines.push_back(std::to_string(line));
    const bool one = lines.size() == 1;
    notes.push_back(detail::concat("values other than the one value their column had in every training row: ", list_some(off_constant, 8),
                                   one ? ". This row is unlike every training row there, whatever its score: look at it ("
                                       : ". These rows are unlike every training row there, whatever their score: look at them (",
                                   lines_listed(lines, 10), ")"));
  }
  // (last: the notes above may say why, as a unit left out or another decimal mark)
  if (!far.empty()) {
    const bool one = far_rows.size() == 1 && !far_beyond_kept;
    std::vector<std::string> lines;
    for (const int64_t line : far_rows) lines.push_back(std::to_string(line));
    notes.push_back(detail::concat(far_beyond_kept ? "at least " : "", far_rows.size(), one ? " row holds a value" : " rows hold values",
                                   " far outside the training's range (beyond it by more than its width): ", list_some(far, 8),
                                   ". The model never saw the like, so its score cannot say how far out ", one ? "this row lies" : "these rows lie",
                                   // (a classifier learns on which side of the normal rows its anomalies lay, and
                                   // extends that past them: a value beyond both may score as normal)
                                   prep_.options().label_column.empty() ? ""
                                   : one ? " (if it was trained with labelled anomalies, it may even score it as normal)"
                                         : " (if it was trained with labelled anomalies, it may even score them as normal)",
                                   one ? ": look at it whatever its score (" : ": look at them whatever their score (", lines_listed(lines, 10), ")"));
  }
  return notes;
}

std::vector<std::string> folded_categories(const ColumnTransform& t) {
  std::vector<std::string> folded;
  for (const std::string& c : t.categories) folded.push_back(fold_case(c));
  return folded;
}

int64_t category_index(const ColumnTransform& t, std::string_view cell, const NumberFormat& format, CategoryMatch* how,
                       const std::vector<std::string>* folded) {
  const std::string_view value = is_missing_cell(cell) ? std::string_view(t.fill_category) : trim(cell);
  const auto at = [&](std::string_view v) -> int64_t {
    const auto it = std::lower_bound(t.categories.begin(), t.categories.end(), v);
    return it != t.categories.end() && *it == v ? int64_t(it - t.categories.begin()) : -1;
  };
  if (int64_t k = at(value); k >= 0) return k;
  if (int64_t k = at(category_of(value)); k >= 0) return k;  // as written in another Unicode form (models keep one form)
  if (!t.others.empty() && (std::binary_search(t.others.begin(), t.others.end(), value) ||
                            std::binary_search(t.others.begin(), t.others.end(), category_of(value))))
    return at(kOtherCategory);
  const std::string value_folded = fold_case(value);
  for (size_t k = 0; k < t.categories.size(); ++k)
    if ((folded ? (*folded)[k] : fold_case(t.categories[k])) == value_folded) {
      if (how) *how = CategoryMatch::by_case;
      return int64_t(k);
    }
  if (const std::string digits = whole_number_digits(value, format); !digits.empty()) {
    int64_t found = -1;
    for (size_t k = 0; k < t.categories.size(); ++k)
      if (whole_number_digits(t.categories[k], format) == digits) {
        if (found >= 0) return -1;  // two categories are that number: neither is taken
        found = int64_t(k);
      }
    if (found >= 0) {
      if (how) *how = CategoryMatch::by_number;
      return found;
    }
  }
  if (const int truth = truth_value(value, format); truth >= 0)
    if (const int64_t k = truth_category(t, value, truth, format); k >= 0) {
      if (how) *how = CategoryMatch::by_truth;
      return k;
    }
  return -1;
}

std::string log_scale_text(const ColumnTransform& t, const NumberFormat& format) {
  return "log(1 + value / " + value_text(t, t.log_scale, format) + ")";
}

std::string value_text(const ColumnTransform& t, double value, const NumberFormat& format) {
  char text[48];
  if (t.duration) {
    const long long total = std::llround(std::abs(value));
    const char* sign = value < 0 ? "-" : "";
    if (t.duration == 'h' && total % 60 == 0) std::snprintf(text, sizeof text, "%s%lld:%02lld", sign, total / 3600, total / 60 % 60);
    else std::snprintf(text, sizeof text, "%s%lld:%02lld:%02lld", sign, total / 3600, total / 60 % 60, total % 60);
    return text;
  }
  // six significant digits; whole units from 100,000 on (an amount, not "1.55109e+06")
  std::snprintf(text, sizeof text, std::abs(value) >= 1e5 && std::abs(value) < 1e15 ? "%.0f" : "%.6g", value);
  std::string number = text;
  const size_t point = std::min(number.find('.'), number.size());
  if (point < number.size()) number[point] = format.decimal;
  if (format.thousands && number.find('e') == std::string::npos)  // groups of three digits, as the file writes them
    for (size_t at = point, first = number[0] == '-' ? 1 : 0; at > first + 3;) number.insert(at -= 3, 1, format.thousands);
  // the sign before a currency prefix ("-$1,234", not "$-1,234")
  const bool negative = !t.prefix.empty() && number[0] == '-';
  return (negative ? "-" : "") + t.prefix + number.substr(negative ? 1 : 0) + (t.suffix.empty() ? "" : " " + t.suffix);
}

std::vector<bool> TabularPreprocessor::numeric_columns_in(const CsvTable& table) const {
  std::vector<bool> numeric(table.column_count(), false);
  for (const ColumnTransform& t : columns_)
    if (const int64_t c = table.find_column(t.name); c >= 0 && t.kind == ColumnTransform::Kind::numeric && !t.duration)
      numeric[size_t(c)] = true;
  return numeric;
}

std::optional<TabularPreprocessor::OwnFormat> TabularPreprocessor::numeric_columns_format(const CsvTable& table) const {
  if (table.numbers_named || table.numbers_guessed || !numbers_ || table.numbers.decimal == numbers_->decimal) return std::nullopt;
  const std::vector<bool> numeric = numeric_columns_in(table);
  std::vector<bool> skip(numeric.size());
  std::vector<size_t> read;
  for (size_t c = 0; c < numeric.size(); ++c) {
    skip[c] = !numeric[c];
    if (numeric[c]) read.push_back(c);
  }
  bool guessed = false;
  NumberFormat told = detect_number_format(table, &guessed, &skip);
  if (guessed) told = training_format_for(table);  // they cannot tell: as the model's training file was read
  if (told.decimal == table.numbers.decimal) return std::nullopt;
  return OwnFormat{told, guessed ? std::nullopt : number_format_evidence(table, told.decimal, read)};
}

std::optional<CsvTable> with_mark_of_read_columns(const CsvTable& table, const TabularOptions& options, std::vector<std::string>* notes) {
  if (table.numbers_named) return std::nullopt;
  const std::vector<bool> skip = columns_not_read(table, options);
  std::vector<size_t> skipped;
  for (size_t c = 0; c < skip.size(); ++c)
    if (skip[c]) skipped.push_back(c);
  if (skipped.empty()) return std::nullopt;
  bool guessed = false;
  const NumberFormat read = detect_number_format(table, &guessed, &skip);
  if (read.decimal == table.numbers.decimal) return std::nullopt;
  CsvTable reread = table;
  reread.numbers = read, reread.numbers_guessed = guessed;
  if (notes) {
    const auto told = number_format_evidence(table, table.numbers.decimal, skipped);
    notes->push_back(detail::concat(
        "read with the decimal mark '", read.decimal, "' of the columns read as numbers, not the '", table.numbers.decimal, "' ",
        told ? detail::concat("that column '", table.header[told->second], "' tells (line ", table.row_line(told->first), ": '",
                              shortened(table.cell(told->first, told->second)), "'), a column left out or called categories")
             : std::string("that the columns left out or called categories gave the file")));
  }
  return reread;
}

std::optional<CsvTable> with_words_read_as_missing(const CsvTable& table, const TabularOptions& options,
                                                   std::vector<std::string>* notes, std::vector<WordsReadAsMissing>* found) {
  const std::vector<bool> not_read = columns_not_read(table, options);
  const auto digit = [](std::string_view s) { return std::any_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; }); };
  std::vector<int64_t> all_rows(table.row_count());
  std::iota(all_rows.begin(), all_rows.end(), int64_t(0));
  std::vector<WordsReadAsMissing> columns;
  std::vector<std::vector<uint8_t>> blank;  // per column kept: the rows left empty
  std::vector<size_t> blanked;              // and its index
  for (size_t c = 0; c < table.column_count(); ++c) {
    // (not an identifier's, nor codes': "X" may be a product code)
    if (not_read[c] || looks_like_identifier(table.header[c])) continue;
    WordsReadAsMissing w{table.header[c], {}, {}, 0};
    int64_t present = 0, numbers = 0;
    bool other_text = false;
    double v;
    std::set<double> values;  // (up to 3: a checkbox's "1", a 0/1 flag, whose "x" may mean 1)
    std::vector<uint8_t> rows(table.row_count(), 0);
    std::unordered_map<std::string_view, bool> word_seen;  // placeholder_word of each word, once
    for (size_t r = 0; r < table.row_count() && !other_text; ++r) {
      const std::string_view cell = table.cell(r, c);
      if (is_missing_cell(cell)) continue;
      ++present;
      const std::string_view t = trim(cell);
      if (digit(t)) {
        // (a cell with a digit that is no number: the column is not numbers with a few words)
        if (number_in_cell(cell, table.numbers, v))
          ++numbers, values.size() < 3 && values.insert(v).second;
        else
          other_text = true;
        continue;
      }
      const auto [seen, first] = word_seen.try_emplace(t, false);
      if (first) seen->second = placeholder_word(t, table.numbers);
      // (more words than 1 in 20 of the rows: too many, whatever the other cells)
      if (!seen->second || kWordsAmongNumbers * (w.cells + 1) > int64_t(table.row_count())) {
        other_text = true;
        continue;
      }
      ++w.words[std::string(t)], ++w.cells, rows[r] = 1;
      if (w.lines.size() < 3) w.lines.push_back(table.row_line(r));
    }
    // Numbers with a few words among them: 1 in 20 of the values at most, the other cells numbers.
    if (other_text || w.cells == 0 || kWordsAmongNumbers * w.cells > present || numbers < 10 || numbers + w.cells < present ||
        values.size() < 3 || !number_code_reason(table, c, all_rows).empty())
      continue;
    columns.push_back(std::move(w));
    blank.push_back(std::move(rows));
    blanked.push_back(c);
  }
  if (columns.empty()) return std::nullopt;
  CsvTable out = table.select_rows({});
  out.empty_row_lines = table.empty_row_lines;
  std::vector<std::string_view> cells(table.column_count());
  for (size_t r = 0; r < table.row_count(); ++r) {
    for (size_t c = 0; c < cells.size(); ++c) cells[c] = table.cell(r, c);
    for (size_t k = 0; k < columns.size(); ++k)
      if (blank[k][r]) cells[blanked[k]] = "";
    out.add_row(cells, table.row_line(r));
  }
  if (notes) {
    std::vector<std::string> said;
    for (const WordsReadAsMissing& w : columns) {
      std::vector<std::string> words, lines;
      for (const auto& [word, count] : w.words) words.push_back(detail::concat("'", shortened(word), "' x", count));
      for (const int64_t line : w.lines) lines.push_back(std::to_string(line));
      said.push_back(detail::concat("'", w.column, "' ", list_some(words, 5), " (",
                                    lines_listed(lines, 3, size_t(w.cells)), ")"));
    }
    notes->push_back(detail::concat("words among numbers read as missing (filled in as missing cells are): ", list_some(said, 8),
                                    "; if one stands for a value, write the value in its place; if they are categories, give the "
                                    "column the role categorical (", role_option(columns[0].column, "categorical"), ")"));
  }
  if (found) *found = std::move(columns);
  return out;
}

void TabularPreprocessor::count_words_as_missing(const std::vector<WordsReadAsMissing>& words) {
  for (const WordsReadAsMissing& w : words)
    for (ColumnDecision& d : schema_)
      if (d.name == w.column) w.count_in(d.placeholders);
}

NumberFormat TabularPreprocessor::training_format_for(const CsvTable& table) const {
  // Not a decimal comma in a comma-separated file beside a model from a file of another separator
  // (an English export scored with a model of a German ';' one: its "27.000" is 27); a training
  // file that was comma-separated too, and read with the decimal comma (named so), is read so.
  if (numbers_->decimal == table.separator && separator_ != table.separator) return table.numbers;
  // The training file's decimal mark; its other mark groups digits even where the training file
  // grouped none ("12,500" beside a model of "100.5" is 12500)
  // (Only in a file of the training file's separator: in a ';' file beside a model of a ','
  // one, "1,250" may as well be 1.25.)
  NumberFormat numbers = *numbers_;
  const char other = numbers.decimal == '.' ? ',' : '.';
  if (!numbers.thousands && table.separator == separator_) numbers.thousands = other;
  // In a file of another separator, "1,011" beside a model of "1.008" may be 1.011 or 1011: read
  // as puts more of those cells within their column's training range.
  if (table.separator != separator_ && !numbers.thousands) {
    const RangeVote vote = range_vote(table, NumberFormat{other, numbers.decimal}, NumberFormat{numbers.decimal, other});
    if (vote.first > vote.second) return NumberFormat{other, numbers.decimal};
    if (vote.second > vote.first) return NumberFormat{numbers.decimal, other};
  }
  return numbers;
}

std::optional<std::string> TabularPreprocessor::range_vote_note(const CsvTable& table) const {
  if (table.numbers_named || !numbers_ || numbers_->thousands || table.separator == separator_ ||
      numbers_->decimal == table.separator)
    return std::nullopt;
  const char mark = numbers_->decimal, other = mark == '.' ? ',' : '.';
  const RangeVote vote = range_vote(table, NumberFormat{other, mark}, NumberFormat{mark, other});
  if (vote.first == vote.second) return std::nullopt;
  const bool theirs = vote.first > vote.second;  // the other mark than the training file's
  const char used = theirs ? other : mark, unused = theirs ? mark : other;
  return detail::concat("numbers such as '", vote.example, "' read either way and no cell of the file tells which: read with the "
                        "decimal mark '", used, theirs ? "' ('" : "' of the model's training file ('", vote.example, "' is ",
                        number_text(theirs ? vote.first_value : vote.second_value), "), which puts ", std::max(vote.first, vote.second),
                        " of the ", vote.cells, " such cells of the columns the model reads as numbers within their column's training "
                        "range (with '", unused, theirs ? "' of the model's training file, " : "', ", std::min(vote.first, vote.second),
                        ": '", vote.example, "' in column '", vote.column, "' would be ",
                        number_text(theirs ? vote.second_value : vote.first_value), "); if they are written with the decimal mark '",
                        unused, "', name it (", decimal_mark_option(unused), ")");
}

TabularPreprocessor::RangeVote TabularPreprocessor::range_vote(const CsvTable& table, const NumberFormat& first,
                                                                const NumberFormat& second) const {
  RangeVote vote;
  for (const ColumnTransform& t : columns_) {
    const int64_t c = table.find_column(t.name);
    if (c < 0 || t.kind != ColumnTransform::Kind::numeric || t.duration || t.quantiles.empty()) continue;
    for (size_t r = 0; r < table.row_count() && r < 20000 && vote.cells < 5000; ++r) {  // (as the file's format is told)
      const std::string_view cell = table.cell(r, size_t(c));
      double a = 0, b = 0;
      const bool read_a = parse_number_with_unit(cell, a, first, unit_of(t, true)),
                 read_b = parse_number_with_unit(cell, b, second, unit_of(t, true));
      if (is_missing_cell(cell) || (read_a && read_b && a == b) || (!read_a && !read_b)) continue;
      const auto within = [&](bool read, double v) { return read && v >= t.quantiles.front() && v <= t.quantiles.back(); };
      ++vote.cells, vote.first += within(read_a, a), vote.second += within(read_b, b);
      if (vote.example.empty()) vote.example = trim(cell), vote.column = t.name, vote.first_value = a, vote.second_value = b;
    }
  }
  return vote;
}

NumberFormat TabularPreprocessor::reading_format(const CsvTable& table) const {
  if (const auto own = numeric_columns_format(table)) return own->format;
  if (!table.numbers_guessed || !numbers_) return table.numbers;
  return training_format_for(table);
}

NumberFormat TabularPreprocessor::writing_format(const CsvTable& table) const {
  NumberFormat written = reading_format(table);
  if (table.numbers.decimal != written.decimal) return written;
  if (const char group = digit_group_mark(table); group && group != written.decimal) {
    written.thousands = group;
  } else if (written.thousands) {
    // A ',' decimal mark admits '.' groups ("1.866,5"): a file that writes a number of 1,000 or
    // more without them ("1866") is shown so; one without such numbers cannot tell.
    double v;
    for (size_t r = 0; r < table.row_count() && written.thousands; ++r)
      for (size_t c = 0; c < table.column_count(); ++c)
        if (const std::string_view number = split_affixes(trim(table.cell(r, c))).number;  // (also "1866 g", "€ 2450")
            parse_number(number, v, table.numbers) && std::abs(v) >= 1000) {
          written.thousands = 0;
          break;
        }
  }
  return written;
}

void TabularPreprocessor::check_numbers_read_as_in_training(const CsvTable& table, const NumberFormat& numbers) const {
  // The training file's cells could not tell its decimal mark ("1.016" only: a mark was taken and
  // said), this file's tell the other: a cell that reads otherwise in the two formats would be
  // scored as a number the model never meant (every "1.016" as 1016 where training read 1.016;
  // "96,928" as 96.928 where it read 96928). A cell that only this file reads is at stake when it
  // holds the mark training took as its decimal mark ("1.012,5"; not "24,5" beside "1.016").
  if (!numbers_guessed_ || !numbers_ || table.numbers_guessed || numbers.decimal == numbers_->decimal) return;
  for (const ColumnTransform& t : columns_) {
    const int64_t column = table.find_column(t.name);
    if (t.kind != ColumnTransform::Kind::numeric || t.duration || column < 0) continue;
    for (size_t r = 0; r < table.row_count(); ++r) {
      const std::string_view cell = table.cell(r, size_t(column));
      double here = 0, there = 0;
      if (is_missing_cell(cell) || !parse_number_with_unit(cell, here, numbers, unit_of(t, true))) continue;
      const bool read_there = parse_number_with_unit(cell, there, *numbers_, unit_of(t, true));
      if (read_there ? here == there : cell.find(numbers_->decimal) == std::string_view::npos) continue;
      char value_here[32], value_there[32];
      std::snprintf(value_here, sizeof value_here, "%.15g", here);
      std::snprintf(value_there, sizeof value_there, "%.15g", there);
      std::string evidence;
      if (const auto at = number_format_evidence(table))
        evidence = detail::concat(" (line ", table.row_line(at->first), ", column '", table.header[at->second], "': '",
                                  shortened(table.cell(at->first, at->second)), "')");
      throw Error(detail::concat(
          "CSV line ", table.row_line(r), ", column '", t.name, "': '", shortened(cell), "' reads as ", value_here,
          " in this file, whose decimal mark is '", numbers.decimal, "'", evidence, ", and ",
          read_there ? detail::concat("as ", value_there) : std::string("not as a number"),
          " in the model's training file, whose numbers all read either way and were read with the decimal mark '",
          numbers_->decimal, "': scores would compare numbers read in two ways. If the training file's numbers are written as this file's, "
          "train again with the decimal mark '", numbers.decimal, "' named (", decimal_mark_option(numbers.decimal),
          "); if this file is written otherwise than the training file, write its numbers with the decimal mark '",
          numbers_->decimal, "'"));
    }
  }
}

namespace {
// A piece of a stream whose first piece's numbers all read either way ("1.016"), so that a mark was
// taken for them (CsvTable::numbers_guessed), with a cell that tells the other mark ("1.012,5"):
// the rows before were read with the wrong one. (A whole file is read with the mark its cells
// tell, wherever they are.)
void check_guessed_mark_holds(const CsvTable& table, const NumberFormat& numbers, const std::vector<bool>& numeric) {
  if (!table.numbers_guessed) return;
  // the model's numeric columns: a text column's "192.168.1.100" tells nothing
  const std::vector<size_t> read = numeric_indices(numeric);
  const char other = numbers.decimal == ',' ? '.' : ',';
  const auto at = number_format_evidence(table, other, read);
  if (!at) return;
  const std::string example = ambiguous_number(table);
  throw Error(detail::concat("CSV line ", table.row_line(at->first), ", column '", table.header[at->second], "': '",
                             shortened(table.cell(at->first, at->second)), "' tells '", other,
                             "' as the decimal mark, but no number before it told the file's mark",
                             example.empty() ? std::string() : " (numbers such as '" + example + "' read either way)",
                             " and they were read with '", numbers.decimal, "': name the decimal mark '", other, "' (",
                             decimal_mark_option(other), ") and score the file again"));
}
}  // namespace

Tensor TabularPreprocessor::transform(const CsvTable& table, bool fill_down, Unreadable unreadable,
                                     std::vector<uint8_t>* missing) const {
  if (fill_down)
    if (const std::optional<CsvTable> filled = filled_down(table)) return transform(*filled, false, unreadable, missing);
  check_units_line(table);
  const int64_t rows = int64_t(table.row_count()), width = features();
  const NumberFormat numbers = reading_format(table);
  check_guessed_mark_holds(table, numbers, numeric_columns_in(table));
  check_numbers_read_as_in_training(table, numbers);
  // A line that repeats the header (two exports one below the other) holds no sample: read as a
  // row of missing cells here, it gets no score (rows_not_scored, as a totals row), as training
  // leaves it out. One that names other columns in part ("temp,rpm,pressure" under
  // "temp,rpm,vib") heads rows that may not be in the model's columns: refused, naming them.
  if (table.column_count() >= 2) {
    const std::vector<size_t> repeated = repeated_headers(table, false);
    if (!repeated.empty()) {
      CsvTable blanked = table.select_rows({});
      std::vector<std::string_view> cells(table.column_count()), blank(table.column_count());
      for (size_t r = 0, k = 0; r < table.row_count(); ++r) {
        const bool skip = k < repeated.size() && repeated[k] == r;
        k += skip;
        for (size_t c = 0; c < cells.size(); ++c) cells[c] = table.cell(r, c);
        blanked.add_row(skip ? blank : cells, table.row_line(r));
      }
      return transform(blanked, false, unreadable, missing);
    }
  }
  {  // every feature column the table lacks, at once, with the columns it has
    std::vector<std::string> absent;
    for (const ColumnTransform& t : columns_)
      if (table.find_column(t.name) < 0) absent.push_back("'" + t.name + "'");
    if (!absent.empty()) {
      std::vector<std::string> columns;
      for (const std::string& name : table.header) columns.push_back("'" + name + "'");
      const std::string names = list_some(absent, absent.size()), have = list_some(columns, 20);
      const bool none = absent.size() == columns_.size();  // another kind of file altogether
      const std::string filled = filled_from_rows_ > 0 ? detail::concat("filled in from the ", filled_from_rows_, " training rows most like each row")
                                 : absent.size() == 1  ? "filled with the training's typical value"
                                                       : "filled with the training's typical values";
      throw Error(detail::concat("the CSV has no column", absent.size() == 1 ? " " : "s ", names, " (the model was trained with ",
                                 absent.size() == 1 ? "it" : "them", "; the CSV's columns: ", have, ")",
                                 none ? ": not the kind of file the model was trained on; score it with a model trained on such files"
                                 : absent.size() == 1
                                     ? ": add the column (its cells may be left empty: read as missing, " + filled + ") or train a model without it"
                                     : ": add the columns (their cells may be left empty: read as missing, " + filled +
                                           ") or train a model without them"));
    }
  }
  Tensor out({rows, width});
  float* x = out.mutable_data();
  int64_t offset = 0;
  if (missing) missing->assign(size_t(rows) * columns_.size(), 0);
  const auto mark_missing = [&](int64_t r, size_t j) {
    if (missing) (*missing)[size_t(r) * columns_.size() + j] = 1;
  };
  // Every cell that cannot be read is said at once -- the first in full, then the count (by
  // column when several) and the next three by line -- not one per run: a file with a typo in
  // thirty rows needs one fix, not thirty attempts.
  struct Bad {
    int64_t line;
    std::string column, cell, message;
  };
  std::vector<Bad> bad;
  std::map<std::string, int64_t> bad_by_column;
  int64_t bad_count = 0;
  std::string too_many;  // a column with more unreadable cells than are read as missing
  for (size_t j = 0; j < columns_.size(); ++j) {
    const ColumnTransform& t = columns_[j];
    const int64_t column = table.find_column(t.name);
    if (t.kind == ColumnTransform::Kind::numeric) {
      const bool middle = tied_at_both_bounds(t.quantiles);  // decided once per column
      int64_t present = 0, unread = 0;
      for (int64_t r = 0; r < rows; ++r) {
        double v = 0;
        const bool empty = is_missing_cell(table.cell(size_t(r), size_t(column)));
        present += !empty;
        if (empty) mark_missing(r, j);
        try {
          v = numeric_cell(table, numbers, size_t(r), size_t(column), t);
        } catch (const Error& e) {
          ++bad_by_column[t.name], ++unread;
          if (++bad_count <= 1000)
            bad.push_back({table.row_line(size_t(r)), t.name, shortened(table.cell(size_t(r), size_t(column))), e.what()});
          v = t.fill;  // as a missing cell (Unreadable), else refused below
          mark_missing(r, j);
        }
        x[r * width + offset] = float(numeric_input(t, v, options_.scaling, middle));
      }
      if (unread > 1 && 4 * unread > present && too_many.empty())
        too_many = detail::concat("'", t.name, "' has ", unread, " unreadable of its ", present, " values");
      offset += 1;
    } else {
      const std::vector<std::string> folded = folded_categories(t);
      for (int64_t r = 0; r < rows; ++r) {
        const std::string_view cell = table.cell(size_t(r), size_t(column));
        const int64_t k = category_index(t, cell, numbers, nullptr, &folded);
        if (k >= 0) x[r * width + offset + k] = 1.f;
        if (is_missing_cell(cell) && t.fill_category != kEmptyCategory) mark_missing(r, j);  // (a checkbox's empty cell is its value)
      }
      offset += int64_t(t.categories.size());
    }
  }
  // Scoring, a few cells that cannot be read (a sensor's "ERR", a typed-in "unknown") are read as
  // missing, said by CellNotes; more, in a column, are the file writing it otherwise: refused.
  if (bad_count > 0 && unreadable != Unreadable::all_as_missing && !(unreadable == Unreadable::few_as_missing && too_many.empty())) {
    std::stable_sort(bad.begin(), bad.end(), [](const Bad& a, const Bad& b) { return a.line < b.line; });
    std::string message = bad[0].message;
    if (bad_count > 1) {
      message += detail::concat("; ", bad_count - 1, bad_count == 2 ? " more cell" : " more cells", " cannot be read either");
      if (bad_by_column.size() > 1) {
        std::vector<std::string> per_column;
        for (const auto& [column, count] : bad_by_column) per_column.push_back(detail::concat("'", column, "' ", count));
        message += " (all such cells, by column: " + list_some(per_column, 5) + ")";
      }
      for (size_t i = 1; i < bad.size() && i < 4; ++i)
        message += detail::concat(i == 1 ? ": " : "; ", "line ", bad[i].line, ", column '", bad[i].column, "': '", bad[i].cell, "'");
      if (bad_count > 4) message += "; ...";
    }
    if (unreadable == Unreadable::few_as_missing)
      message += detail::concat(" (scoring reads a few such cells as missing and says so, at most a quarter of a column's values; ",
                                too_many, ")");
    throw Error(message);
  }
  return out;
}

void TabularPreprocessor::set_filled_from_rows(int64_t k) {
  filled_from_rows_ = k;
  if (k <= 0) return;
  for (ColumnDecision& d : schema_)
    for (const std::string_view how : {" imputed with the median", " imputed with the most frequent value"})
      if (const size_t at = d.reason.find(how); at != std::string::npos) {
        d.reason.replace(at, how.size(), detail::concat(" filled in from the ", k, " training rows most like ", d.missing == 1 ? "its" : "their", " row"));
      }
}

double TabularPreprocessor::value_of_input(const ColumnTransform& t, double input) const {
  CA3_CHECK(t.kind == ColumnTransform::Kind::numeric, "column '", t.name, "' is not numeric");
  if (options_.scaling == Scaling::standard) {
    const double u = t.mean + std::clamp(input, -kStandardLimit, kStandardLimit) * t.sd;
    if (t.log_scale <= 0) return u;
    return u < 0 ? u * t.log_scale : t.log_scale * std::expm1(u);  // log_input's inverse
  }
  // The quantile rank's normal score: the rank back, then the value between the quantiles.
  const std::vector<double>& q = t.quantiles;
  if (q.size() < 2) return q.empty() ? t.fill : q.front();
  const double rank = std::clamp(0.5 * std::erfc(-input / std::sqrt(2.0)), 0.0, 1.0) * double(q.size() - 1);
  const size_t lo = std::min(size_t(rank), q.size() - 2);
  return q[lo] + (rank - double(lo)) * (q[lo + 1] - q[lo]);
}

nlohmann::json TabularPreprocessor::to_json() const {
  nlohmann::json j;
  j["labelColumn"] = options_.label_column;
  j["normalValues"] = options_.normal_values;
  j["anomalyValues"] = options_.anomaly_values;
  j["idColumns"] = options_.id_columns;
  j["scaling"] = options_.scaling == Scaling::standard ? "standard" : "quantile_normal";
  j["maxCategories"] = options_.max_categories;
  j["droppedColumns"] = dropped_;
  if (!identifiers_.empty()) j["runningNumbers"] = identifiers_;
  if (!dates_.empty()) j["dates"] = dates_;
  if (!group_columns_.empty()) j["groupColumns"] = group_columns_;
  if (!fill_down_.empty()) j["fillDown"] = fill_down_;
  if (!blank_cells_.empty()) j["blankCells"] = blank_cells_;
  if (numbers_) {
    j["decimalMark"] = std::string(1, numbers_->decimal);
    j["thousandsSeparator"] = numbers_->thousands ? std::string(1, numbers_->thousands) : std::string();
    if (numbers_guessed_) j["decimalMarkGuessed"] = true;
    if (separator_) j["separator"] = std::string(1, separator_);
  }
  nlohmann::json columns = nlohmann::json::array();
  for (const auto& c : columns_) {
    nlohmann::json cj;
    cj["name"] = c.name;
    if (c.kind == ColumnTransform::Kind::numeric) {
      cj["kind"] = "numeric";
      cj["fill"] = c.fill, cj["mean"] = c.mean, cj["sd"] = c.sd, cj["quantiles"] = c.quantiles;
      if (!c.prefix.empty()) cj["unitBefore"] = c.prefix;
      if (!c.suffix.empty()) cj["unitAfter"] = c.suffix;
      if (c.minus_after) cj["minusAfter"] = true;
      if (c.count_scale) cj["unitScale"] = true;
      if (c.log_scale > 0) cj["logScale"] = c.log_scale;
      if (c.duration) cj["duration"] = c.duration == 'm' ? "m:ss" : "h:mm";
      if (c.monotone) cj["monotone"] = c.monotone > 0 ? "rising" : "falling";
    } else {
      cj["kind"] = "categorical";
    }
    if (c.kind == ColumnTransform::Kind::categorical) {
      cj["categories"] = c.categories, cj["fill"] = c.fill_category;
      if (c.typical_category != c.fill_category) cj["typical"] = c.typical_category;
      if (!c.others.empty()) cj["otherValues"] = c.others;
    }
    columns.push_back(cj);
  }
  j["columns"] = columns;
  return j;
}

TabularPreprocessor TabularPreprocessor::from_json(const nlohmann::json& j) {
  TabularPreprocessor prep;
  try {
    prep.options_.label_column = j.at("labelColumn").get<std::string>();
    prep.options_.normal_values = j.at("normalValues").get<std::vector<std::string>>();
    prep.options_.anomaly_values = j.at("anomalyValues").get<std::vector<std::string>>();
    prep.options_.id_columns = j.at("idColumns").get<std::vector<std::string>>();
    const std::string scaling = j.at("scaling").get<std::string>();
    CA3_CHECK(scaling == "standard" || scaling == "quantile_normal", "unknown scaling '", scaling, "'");
    prep.options_.scaling = scaling == "standard" ? Scaling::standard : Scaling::quantile_normal;
    prep.options_.max_categories = j.at("maxCategories").get<int>();
    prep.dropped_ = j.at("droppedColumns").get<std::vector<std::string>>();
    if (j.contains("runningNumbers")) prep.identifiers_ = j.at("runningNumbers").get<std::vector<std::string>>();
    if (j.contains("dates")) prep.dates_ = j.at("dates").get<std::vector<std::string>>();  // (models saved before: none said)
    if (j.contains("groupColumns")) prep.group_columns_ = j.at("groupColumns").get<std::vector<std::string>>();
    if (j.contains("fillDown")) prep.fill_down_ = j.at("fillDown").get<std::vector<std::string>>();
    if (j.contains("blankCells")) prep.blank_cells_ = j.at("blankCells").get<std::vector<std::string>>();  // (models saved before: none said)
    if (j.contains("decimalMark")) {  // models saved before it was kept read tables in their own format
      const std::string decimal = j.at("decimalMark").get<std::string>(), thousands = j.at("thousandsSeparator").get<std::string>();
      CA3_CHECK((decimal == "." || decimal == ",") && thousands.size() <= 1, "unknown number format '", decimal, "' / '",
                thousands, "'");
      prep.numbers_ = NumberFormat{decimal[0], thousands.empty() ? char(0) : thousands[0]};
      prep.numbers_guessed_ = j.value("decimalMarkGuessed", false);
      const std::string separator = j.value("separator", "");
      CA3_CHECK(separator.size() <= 1, "unknown separator '", separator, "'");
      prep.separator_ = separator.empty() ? char(0) : separator[0];
    }
    for (const auto& cj : j.at("columns")) {
      ColumnTransform c;
      c.name = cj.at("name").get<std::string>();
      const std::string kind = cj.at("kind").get<std::string>();
      if (kind == "numeric") {
        c.kind = ColumnTransform::Kind::numeric;
        c.fill = cj.at("fill").get<double>(), c.mean = cj.at("mean").get<double>(), c.sd = cj.at("sd").get<double>();
        if (cj.contains("logScale")) {
          CA3_CHECK(cj.at("logScale").is_number(), "column '", c.name, "': logScale must be a number > 0");
          c.log_scale = cj.at("logScale").get<double>();
          CA3_CHECK(c.log_scale > 0 && std::isfinite(c.log_scale), "column '", c.name, "': logScale must be a number > 0");
        }
        c.quantiles = cj.at("quantiles").get<std::vector<double>>();
        c.two_values = at_most_two_values(c);  // judged once from the quantiles: scoring asks per cell
        c.prefix = cj.value("unitBefore", ""), c.suffix = cj.value("unitAfter", ""), c.minus_after = cj.value("minusAfter", false);
        c.count_scale = cj.value("unitScale", false);
        if (cj.contains("monotone")) {
          const std::string m = cj.at("monotone").get<std::string>();
          CA3_CHECK(m == "rising" || m == "falling", "unknown order '", m, "' of column '", c.name, "'");
          c.monotone = m == "rising" ? 1 : -1;
        }
        if (cj.contains("duration")) {
          const std::string d = cj.at("duration").get<std::string>();
          CA3_CHECK(d == "m:ss" || d == "h:mm", "unknown duration format '", d, "'");
          c.duration = d == "m:ss" ? 'm' : 'h';
        }
        CA3_CHECK(!c.quantiles.empty() && std::is_sorted(c.quantiles.begin(), c.quantiles.end()) && c.sd > 0,
                  "column '", c.name, "' has invalid statistics");
      } else if (kind == "categorical") {
        c.kind = ColumnTransform::Kind::categorical;
        c.categories = cj.at("categories").get<std::vector<std::string>>();
        c.fill_category = cj.at("fill").get<std::string>();
        c.typical_category = cj.contains("typical") ? cj.at("typical").get<std::string>() : c.fill_category;
        CA3_CHECK(std::is_sorted(c.categories.begin(), c.categories.end()), "column '", c.name,
                  "' has unsorted categories");
        if (cj.contains("otherValues")) c.others = cj.at("otherValues").get<std::vector<std::string>>();
        CA3_CHECK(std::is_sorted(c.others.begin(), c.others.end()) &&
                      (c.others.empty() || std::binary_search(c.categories.begin(), c.categories.end(), kOtherCategory)),
                  "column '", c.name, "' has unsorted other values, or other values without the category '", kOtherCategory, "'");
      } else {
        throw Error("column '" + c.name + "' has unknown kind '" + kind + "'");
      }
      if (cj.value("fillDown", false)) prep.fill_down_.push_back(c.name);  // (how models of 2026-12-03 said it)
      prep.columns_.push_back(std::move(c));
    }
  } catch (const nlohmann::json::exception&) {
    throw Error(ErrorCode::unsupported_file, "malformed preprocessing description: a key is missing or has the wrong type");
  }
  CA3_CHECK(!prep.columns_.empty(), "malformed preprocessing description: no columns");
  return prep;
}

namespace {

// A totals row's label column when it has none.
constexpr size_t kUnnamed = SIZE_MAX;

// not_data_rows of `table` given its rows named like totals or averages (the word's kind, 's' or
// 'm', and its column) and its repeated headers; totals rows without a name too. `matched`: the
// named rows found to sum.
NotDataRows not_data_rows_named(const CsvTable& table, std::string_view what, std::map<size_t, std::pair<char, size_t>>& named,
                                const std::set<size_t>& headers_at, size_t* matched) {
  NotDataRows found;
  const size_t columns = table.column_count();
  // Per column, of the data rows since the last totals row (block) and of all of them: the sum,
  // count and range (a column of one value, all 0 say, sums and averages to anything).
  struct Running {
    double sum = 0, low = HUGE_VAL, high = -HUGE_VAL;
    int64_t count = 0;
    void add(double v) { sum += v, ++count, low = std::min(low, v), high = std::max(high, v); }
    bool matches(double v, char kind) const {
      if (count < 2 || low == high) return false;
      const double expected = kind == 's' ? sum : sum / double(count);
      return expected != 0 && std::abs(v - expected) <= 1e-3 * std::abs(expected);
    }
  };
  std::vector<Running> block(columns), all(columns);
  // Where each totals or averages row found so far stands in `all` (the file's start first): a
  // group's total sums the rows since the total before the group, which may be one a level up (a
  // region's total after its branches' subtotals, "Nord Ergebnis" after "Bremen Ergebnis").
  struct Mark {
    std::vector<double> sum;
    std::vector<int64_t> count;
  };
  std::vector<Mark> marks{{std::vector<double>(columns), std::vector<int64_t>(columns)}};
  const auto mark = [&] {
    Mark m{std::vector<double>(columns), std::vector<int64_t>(columns)};
    for (size_t c = 0; c < columns; ++c) m.sum[c] = all[c].sum, m.count[c] = all[c].count;
    marks.push_back(std::move(m));
  };
  const auto nested = [&](size_t c, double v, char kind) {  // the rows since one of the last 256 marks
    if (all[c].low == all[c].high) return false;
    for (size_t k = marks.size(); k-- > 0 && marks.size() - k <= 256;) {
      const int64_t count = all[c].count - marks[k].count[c];
      if (count < 2) continue;
      const double sum = all[c].sum - marks[k].sum[c], expected = kind == 's' ? sum : sum / double(count);
      if (expected != 0 && std::abs(v - expected) <= 1e-3 * std::abs(expected)) return true;
    }
    return false;
  };
  std::vector<std::string> totals, means, headers, named_only;  // as shown in the notes (the first 3 of each)
  size_t n_totals = 0, n_means = 0, n_named_only = 0, n_unnamed = 0;
  std::vector<size_t> unmatched;  // named rows no sum above matched: maybe one of the rows below
  // Totals rows found by the rows above them, and per column whether its number is their sum (1),
  // is not (0), or is no number (-1).
  std::vector<std::pair<size_t, std::vector<int8_t>>> summed;
  double v;
  // `matches(c, v)`: whether value v of column c is a sum (or mean) of rows around it.
  const auto summed_column = [&](size_t r, size_t word_column, const auto& matches) -> std::string {
    // One column that sums, or two where the row has three numbers or more (a coincidence in one
    // column of a data row is not enough).
    std::string first;
    int numbers = 0, matched = 0;
    for (size_t c = 0; c < columns; ++c)
      if (c != word_column && number_in_cell(table.cell(r, c), table.numbers, v)) {
        ++numbers;
        if (matches(c, v))
          if (matched++ == 0) first = table.header[c];
      }
    // A word after numbers ("...,Total" in a last column) may be a data row's category ("3,90,Total"
    // loss, its id 3 the sum of ids 1 and 2): most of its numbers sum, two at least.
    bool after_numbers = false;
    for (size_t c = 0; c < word_column && c < columns && !after_numbers; ++c) after_numbers = !blank_cell(table.cell(r, c));
    if (after_numbers) return matched >= 2 && 2 * matched >= numbers ? first : "";
    return matched >= (numbers >= 3 ? 2 : 1) ? first : "";
  };
  const auto take = [&](size_t r, char kind, size_t word_column, const std::string& column) {
    std::vector<std::string>& list = kind == 's' ? totals : means;
    if ((kind == 's' ? n_totals++ : n_means++) < 3)
      // (the row's name, and the first column that sums: "8 ('Total', a sum in 'Amount')")
      list.push_back(detail::concat(table.row_line(r), " (",
                                    word_column == kUnnamed ? std::string("no name") : "'" + shortened(trim(table.cell(r, word_column))) + "'",
                                    kind == 's' ? ", a sum in '" : ", a mean in '", column, "')"));
    found.rows.push_back(r);
  };
  for (size_t r = 0; r < table.row_count(); ++r) {
    if (headers_at.count(r)) {
      if (headers.size() < 3) headers.push_back(detail::concat(table.row_line(r)));
      found.rows.push_back(r);
      continue;
    }
    if (const auto it = named.find(r); it != named.end()) {
      const char kind = it->second.first;
      const size_t word_column = it->second.second;
      // A group of one row: its total is that row again, every number of it (two at least).
      int numbers = 0;
      bool one_row = true;
      for (size_t c = 0; c < columns && one_row; ++c)
        if (c != word_column && number_in_cell(table.cell(r, c), table.numbers, v))
          ++numbers, one_row = block[c].count == 1 && v == block[c].sum;
      one_row = one_row && numbers >= 2;
      const auto above = [&](size_t c, double value) {
        return block[c].matches(value, kind) || all[c].matches(value, kind) || nested(c, value, kind) ||
               (one_row && block[c].count == 1 && value == block[c].sum);
      };
      if (const std::string column = summed_column(r, word_column, above); !column.empty()) {
        take(r, kind, word_column, column);
        if (kind == 's') {  // which of its numbers sum (for totals that disagree with the rows, below)
          std::vector<int8_t> sums(columns, -1);
          for (size_t c = 0; c < columns; ++c)
            if (c != word_column && number_in_cell(table.cell(r, c), table.numbers, v)) sums[c] = above(c, v) ? 1 : 0;
          summed.emplace_back(r, std::move(sums));
        }
        block.assign(columns, Running{});
        mark();
        continue;
      }
      unmatched.push_back(r);  // not in the sums either way: a total at the top would spoil every one below
      continue;
    }
    // A totals row without a name (",3970.59,475" below the items): every cell a number or blank;
    // the last row, or the last before a named one, a repeated header or a row without numbers; two
    // numbers or more, each the sum of 3 rows or more above it and over twice their largest (in a
    // column of no negative number), which a row of data, even of small counts or of a rising series
    // (0, 2, 4, then 6), is not.
    const auto ends_rows = [&] {
      if (r + 1 >= table.row_count() || named.count(r + 1) || headers_at.count(r + 1)) return true;
      for (size_t c = 0; c < columns; ++c)
        if (number_in_cell(table.cell(r + 1, c), table.numbers, v)) return false;
      return true;
    };
    if (ends_rows()) {
      int numbers = 0;
      bool sums = true;
      std::string column;
      for (size_t c = 0; c < columns && sums; ++c) {
        if (!number_in_cell(table.cell(r, c), table.numbers, v)) {
          sums = blank_cell(table.cell(r, c));  // a name: a row of its own ("k,3,3")
          continue;
        }
        ++numbers;
        const auto sum_of = [&](const Running& rows) {
          return rows.count >= 3 && rows.matches(v, 's') && (rows.low < 0 || v > 2 * rows.high);
        };
        sums = sum_of(block[c]) || sum_of(all[c]);
        if (sums && column.empty()) column = table.header[c];
      }
      if (numbers >= 2 && sums) {
        ++n_unnamed;
        take(r, 's', kUnnamed, column);
        block.assign(columns, Running{});
        mark();
        continue;
      }
    }
    for (size_t c = 0; c < columns; ++c)
      if (number_in_cell(table.cell(r, c), table.numbers, v)) block[c].add(v), all[c].add(v);
  }
  // A totals row at the top: the sums of the rows below it.
  for (size_t k = 0; k < unmatched.size() && k < 5; ++k) {
    const size_t r = unmatched[k];
    const char kind = named[r].first;
    const size_t word_column = named[r].second;
    std::vector<Running> below(columns);
    for (size_t q = r + 1; q < table.row_count(); ++q)
      if (!headers_at.count(q) && !named.count(q))
        for (size_t c = 0; c < columns; ++c)
          if (number_in_cell(table.cell(q, c), table.numbers, v)) below[c].add(v);
    if (const std::string column = summed_column(r, word_column, [&](size_t c, double value) { return below[c].matches(value, kind); });
        !column.empty()) {
      take(r, kind, word_column, column);
      unmatched[k] = SIZE_MAX;
    }
  }
  std::sort(found.rows.begin(), found.rows.end());
  for (size_t r : unmatched)
    if (r != SIZE_MAX && n_named_only++ < 3)
      named_only.push_back(detail::concat(table.row_line(r), " ('", shortened(trim(table.cell(r, named[r].second))), "')"));
  auto note = [&](const std::vector<std::string>& lines, size_t count, std::string_view one, std::string_view many,
                  std::string_view done) {
    if (count == 0) return;
    found.notes.push_back(detail::concat(lines_listed(lines, lines.size(), count), count == 1 ? one : many, done.empty() ? "" : ": ", done));
  };
  note(totals, n_totals, " is a totals row (its numbers are the sums of the rows above or below it)",
       " are totals rows (their numbers are the sums of the rows above or below them)", what);
  // A total that disagrees with its rows: a column that is the sum of the rows above in the file's
  // other totals rows (two or more, and most of those with a number there) but not in this one
  // (a total edited by hand, or a row of the group changed after the total was written).
  {
    std::vector<std::string> wrong;
    size_t n_wrong = 0;
    for (size_t c = 0; c < columns; ++c) {
      size_t sums = 0, numbers = 0;
      for (const auto& row : summed) sums += row.second[c] == 1, numbers += row.second[c] >= 0;
      if (sums < 2 || 2 * sums <= numbers) continue;
      for (const auto& [r, flags] : summed)
        if (flags[c] == 0 && n_wrong++ < 3)
          wrong.push_back(detail::concat("line ", table.row_line(r), " ('", shortened(trim(table.cell(r, named[r].second))), "'), column '",
                                         table.header[c], "': ", shortened(trim(table.cell(r, c))), " (", sums,
                                         " other totals rows sum in that column)"));
    }
    if (n_wrong > 0) {
      std::string shown = wrong[0];
      for (size_t i = 1; i < wrong.size(); ++i) shown += "; " + wrong[i];
      found.notes.push_back(detail::concat(n_wrong == 1 ? "a total that is not the sum of the rows above it, where the file's other totals are: "
                                                        : "totals that are not the sums of the rows above them, where the file's other totals are: ",
                                           shown, n_wrong > wrong.size() ? detail::concat(" and ", n_wrong - wrong.size(), " more") : "",
                                           ". A total edited by hand, or a row of its group changed after the total was written? "
                                           "Check the total and its group's rows"));
    }
  }
  note(means, n_means, " is an averages row (its numbers are the means of the rows above it)",
       " are averages rows (their numbers are the means of the rows above them)", what);
  note(headers, headers_at.size(), " repeats the header (two exports one below the other?)",
       " repeat the header (exports one below the other?)", what);
  if (!headers_at.empty()) found.header_note = found.notes.back(), found.notes.pop_back();
  // A few rows named so (not a category "Total" of many rows): kept, but said.
  if (n_named_only > 0 && n_named_only <= std::max<size_t>(3, table.row_count() / 20))
    note(named_only, n_named_only,
         " is named like a totals or averages row, but none of its numbers is the sum or mean of the rows above or below it: read "
         "as data; delete it from the file if it is not a sample",
         " are named like totals or averages rows, but none of their numbers is the sum or mean of the rows above or below them: "
         "read as data; delete them from the file if they are not samples", "");
  *matched = n_totals - n_unnamed + n_means;
  return found;
}

}  // namespace

NotDataRows not_data_rows(const CsvTable& table, std::string_view what) {
  const std::vector<std::string> header = lower_header(table);
  // Lines of one text alone, where a table has 3 columns or more: a title, a note or a footer
  // ("Source: ERP export;;;", "Grand total;;;" with no number), no sample. Their text stands
  // nowhere else in its column (a survey's sparse row "red;;" is a sample), and they are few.
  std::vector<size_t> alone;
  if (table.column_count() >= 3) {
    std::map<size_t, std::map<std::string, int64_t>> seen;  // per column of a candidate: its values' counts
    for (size_t r = 0; r < table.row_count(); ++r) {
      size_t present = 0, at = 0;
      for (size_t c = 0; c < table.column_count() && present < 2; ++c)
        if (!blank_cell(table.cell(r, c))) ++present, at = c;
      double v;
      if (const std::string_view cell = table.cell(r, at);
          present == 1 && !is_missing_cell(cell) && !number_in_cell(cell, table.numbers, v) && !repeats_header(table, r, header))
        alone.push_back(r), seen[at];
    }
    for (auto& [c, counts] : seen)
      for (size_t r = 0; r < table.row_count(); ++r) ++counts[fold_case(trim(table.cell(r, c)))];
    std::erase_if(alone, [&](size_t r) {
      for (auto& [c, counts] : seen)
        if (!blank_cell(table.cell(r, c))) return counts[fold_case(trim(table.cell(r, c)))] > 1;
      return true;
    });
    if (alone.size() > std::max<size_t>(3, table.row_count() / 20)) alone.clear();
  }
  // Rows named like totals or averages (the word and its column), and repeated headers.
  std::map<size_t, std::pair<char, size_t>> named;
  std::set<size_t> headers_at;
  for (size_t r = 0; r < table.row_count(); ++r) {
    if (repeats_header(table, r, header)) {
      headers_at.insert(r);
      continue;
    }
    if (std::binary_search(alone.begin(), alone.end(), r)) continue;
    // The row's label: its first cell that is neither empty nor a number (in the first column or
    // the last: "Total" after the sums). The word is looked for first: most rows have none, and
    // then their cells need not be read as numbers.
    for (size_t c = 0; c < table.column_count(); ++c) {
      const char kind = summary_word(table.cell(r, c));
      if (kind == 0) continue;
      double v;
      bool numbers_before = true;
      for (size_t b = 0; b < c && numbers_before; ++b)
        numbers_before = trim(table.cell(r, b)).empty() || number_in_cell(table.cell(r, b), table.numbers, v);
      if (numbers_before) named[r] = {kind, c};
      break;
    }
  }
  // Without rows so named and repeated headers, a totals row without a name is looked for only
  // where one may stand (the last row, or the last before lines of text alone) and only when its
  // numbers all lie beyond twice every value above them: no pass over a large file's cells else.
  const auto may_total = [&](size_t r) {
    int numbers = 0;
    double v, w;
    for (size_t c = 0; c < table.column_count(); ++c) {
      if (blank_cell(table.cell(r, c))) continue;
      if (!number_in_cell(table.cell(r, c), table.numbers, v) || !(v > 0)) return false;
      ++numbers;
      for (size_t q = 0; q < r; ++q)
        if (number_in_cell(table.cell(q, c), table.numbers, w) && 2 * w >= v) return false;
    }
    return numbers >= 2;
  };
  bool candidate = false;
  if (named.empty() && headers_at.empty() && table.row_count() >= 4) {
    for (size_t r = table.row_count(); r-- > 0 && !candidate;) {
      const bool before_alone = r + 1 == table.row_count() || std::binary_search(alone.begin(), alone.end(), r + 1);
      if (before_alone && !std::binary_search(alone.begin(), alone.end(), r)) candidate = may_total(r);
    }
  }
  size_t matched = 0;
  NotDataRows found = named.empty() && headers_at.empty() && !candidate
                          ? NotDataRows{}
                          : not_data_rows_named(table, what, named, headers_at, &matched);
  // A word in many rows is a category ("Total" loss, "Media" priority), not a row's label, unless
  // most of those rows sum (a report's subtotals: "Kiel Ergebnis", "Nord Ergebnis", ...).
  if (named.size() > std::max<size_t>(5, table.row_count() / 20) && 2 * matched < named.size()) {
    // ... whose word a grand total in the last row may still carry ("Total" loss in the rows,
    // "Total" below them), kept when its numbers sum
    std::map<size_t, std::pair<char, size_t>> ends;
    if (const auto at = named.find(table.row_count() - 1); at != named.end()) ends.insert(*at);
    named.clear();
    const NotDataRows headers = headers_at.empty() ? NotDataRows{} : not_data_rows_named(table, what, named, headers_at, &matched);
    matched = 0;
    found = ends.empty() ? headers : not_data_rows_named(table, what, ends, headers_at, &matched);
    if (matched == 0) found = headers;
  }
  if (!alone.empty()) {
    std::vector<std::string> shown;
    for (size_t i = 0; i < alone.size() && i < 3; ++i) {
      size_t at = 0;
      while (blank_cell(table.cell(alone[i], at))) ++at;
      shown.push_back(detail::concat(table.row_line(alone[i]), " ('", shortened(trim(table.cell(alone[i], at))), "')"));
    }
    found.notes.push_back(detail::concat(alone.size() == 1 ? "line " : "lines ", list_some(shown, 3),
                                         alone.size() > 3 ? detail::concat(" and ", alone.size() - 3, " more") : "",
                                         alone.size() == 1 ? " holds a text alone and no number" : " hold a text alone and no number",
                                         " (a title, note or footer line, or a row with nothing recorded), not a sample: ", what));
    found.rows.insert(found.rows.end(), alone.begin(), alone.end());
    std::sort(found.rows.begin(), found.rows.end());
  }
  return found;
}

namespace {

// Whether a heading line's cell `heading`, in column `header`, names the value `below` of the row
// under it: the same value (same_value), or the column's name before it ("Region Nord",
// "Region: Nord").
bool heads_value(std::string_view header, std::string_view heading, std::string_view below) {
  if (same_value(heading, below)) return true;
  const std::string h = fold_case(heading), name = fold_case(trim(header)), value = fold_case(below);
  if (name.empty() || value.empty() || h.size() <= name.size() + value.size() || h.compare(0, name.size(), name) != 0 ||
      h.compare(h.size() - value.size(), value.size(), value) != 0)
    return false;
  const std::string_view between = trim(std::string_view(h).substr(name.size(), h.size() - name.size() - value.size()));
  return between.empty() || between == ":" || between == "=" || between == "-";
}
// Whether `cells` (a row) is a group's heading line above row `next` of `table`: values only in
// its first columns, names (group_name), not a totals row's label, at least two blank columns
// after them (heading_shape: the column after the last value, 0 when not of that shape); the row
// below blank where it has values, or writing the same value again (a report that repeats the
// region in its first row: "Nord;;;;" over "Nord;Hamburg;2024-01;…"; "NORD" or "Region: Nord"
// over "Nord" too: heads_value), and with a value after them. Columns before `from` (a row number
// in every row) are passed over.
size_t heading_shape(const CsvTable& table, const std::vector<std::string_view>& cells, size_t from) {
  const size_t columns = table.column_count();
  if (columns < 3 + from || !blank_cell(cells[columns - 1]) || !blank_cell(cells[columns - 2])) return 0;  // (soon said of most rows)
  size_t end = from;  // after the last cell with a value
  for (size_t c = from; c < columns; ++c)
    if (!blank_cell(cells[c])) end = c + 1;
  if (end == from || end + 2 > columns) return 0;
  for (size_t c = from; c < end; ++c)
    if (const std::string_view here = trim(cells[c]);
        !here.empty() && (is_missing_cell(here) || !group_name(here, table.numbers) || summary_word(here)))
      return 0;
  return end;
}
bool heading_above(const CsvTable& table, const std::vector<std::string_view>& cells, size_t next, size_t from) {
  const size_t end = next < table.row_count() ? heading_shape(table, cells, from) : 0;
  if (end == 0) return false;
  bool below = false;
  for (size_t c = from; c < table.column_count(); ++c) {
    const std::string_view here = trim(cells[c]);
    const bool there = !blank_cell(table.cell(next, c));
    if (!here.empty() && there && !heads_value(table.header[c], here, trim(table.cell(next, c)))) return false;
    below = below || (c >= end && there);
  }
  return below;
}

}  // namespace

std::optional<CsvTable> merge_heading_lines(const CsvTable& table, std::string_view what, std::string* note,
                                           std::vector<size_t>* lines_merged, size_t at_least, bool at_start) {
  if (table.column_count() < 3) return std::nullopt;
  // Two at least (a report of groups; one such line in a flat file is a row of missing cells),
  // or one opening the file (a report of one group, or a stream's first piece of a long one).
  // A row number before them, in every row (heading lines too), is passed over.
  const size_t from = numbers_rows(table, 0) ? 1 : 0;
  std::vector<std::string_view> row(table.column_count());
  size_t headings = 0;
  bool opens = false;
  for (size_t r = 0; r + 1 < table.row_count() && headings < at_least; ++r) {
    for (size_t c = 0; c < row.size(); ++c) row[c] = table.cell(r, c);
    const bool heading = heading_above(table, row, r + 1, from);
    headings += heading, opens = opens || (heading && r == 0 && at_start);
  }
  if (headings < at_least && !opens) return std::nullopt;
  CsvTable out = table.select_rows({});
  out.empty_row_lines = table.empty_row_lines;
  std::vector<std::string> pending(table.column_count());  // the heading lines' values above this row
  std::vector<std::string_view> cells(table.column_count());
  std::vector<std::string> lines;
  size_t merged = 0;
  const size_t lines_before = lines_merged ? lines_merged->size() : 0;
  // Per column: written in a heading line; the other rows' values in it (not a totals label)
  std::vector<char> headed(table.column_count(), 0);
  std::vector<size_t> values(table.column_count(), 0);
  std::vector<size_t> heads;  // the heading lines' rows
  for (size_t r = 0; r < table.row_count(); ++r) {
    for (size_t c = 0; c < cells.size(); ++c) cells[c] = blank_cell(table.cell(r, c)) ? std::string_view(pending[c]) : table.cell(r, c);
    if (heading_above(table, cells, r + 1, from)) {
      heads.push_back(r);
      for (size_t c = from; c < cells.size(); ++c) pending[c] = std::string(cells[c]), headed[c] |= !blank_cell(table.cell(r, c));
      size_t first = from;  // the line's own first value (a value it took from a heading above it is that one's)
      while (first + 1 < cells.size() && blank_cell(table.cell(r, first))) ++first;
      if (merged++ < 3) lines.push_back(detail::concat(table.row_line(r), " ('", shortened(trim(table.cell(r, first))), "')"));
      if (lines_merged) lines_merged->push_back(r);
      continue;
    }
    out.add_row(cells, table.row_line(r));
    for (std::string& cell : pending) cell.clear();
    for (size_t c = 0; c < cells.size(); ++c) values[c] += !blank_cell(table.cell(r, c)) && !summary_word(table.cell(r, c));
  }
  if (merged == 0) return std::nullopt;
  // A report's heading columns are blank in its other rows (the group's value stands above them),
  // or written in every row where each new value comes right below a heading line ("Nord;;;;" over
  // "Nord;Hamburg;…", "Nord;Bremen;…", then "Süd;;;;" over "Süd;München;…"); a flat file's rows
  // with some cells blank ("West;Bonn;;;;" over ";;2021-03;;;", "Nord;;;;" among "Nord;…" rows,
  // "DE;;;" over "DE;a;20;50" where no value changes) are no headings.
  // The new values of column c right below a heading line; -1: one elsewhere.
  const auto new_values_below_headings = [&](size_t c) {
    std::string_view last;
    int64_t below = 0;
    for (size_t r = 0, h = 0; r < table.row_count(); ++r) {
      if (h < heads.size() && heads[h] == r) {
        ++h;
        continue;
      }
      const std::string_view cell = trim(table.cell(r, c));
      if (cell.empty() || is_missing_cell(cell) || summary_word(cell)) continue;
      const bool below_heading = r > 0 && h > 0 && heads[h - 1] == r - 1;
      if (!last.empty() && !same_value(cell, last)) {
        if (!below_heading) return int64_t(-1);
        ++below;
      }
      last = cell;
    }
    return below;
  };
  bool in_every_row = false;  // a heading column written in most rows: then new values right below
  for (size_t c = 0; c < cells.size(); ++c) in_every_row = in_every_row || (headed[c] && 4 * values[c] > out.row_count());
  bool refused = in_every_row && merged < 2;
  int64_t new_below = 0;  // (in any heading column: a report of one region has new branches)
  for (size_t c = 0; c < cells.size() && in_every_row && !refused; ++c) {
    if (!headed[c]) continue;
    const int64_t below = new_values_below_headings(c);
    refused = below < 0 && 4 * values[c] > out.row_count();
    new_below += std::max<int64_t>(below, 0);
  }
  if (refused || (in_every_row && new_below == 0)) {
    if (lines_merged) lines_merged->resize(lines_before);
    return std::nullopt;
  }
  if (note) {
    *note = detail::concat(lines_listed(lines, lines.size(), size_t(merged)),
                           merged == 1 ? " is a group's heading line" : " are groups' heading lines",
                           " (values in the first columns only, above the group's rows): ", what);
  }
  return out;
}

RowsNotScored rows_not_scored(const CsvTable& table, size_t headings_at_least, bool at_start) {
  RowsNotScored out;
  std::string headings;
  std::vector<size_t> heading_rows;
  const std::optional<CsvTable> merged =
      merge_heading_lines(table, "not scored (no score, no flag)", &headings, &heading_rows, headings_at_least, at_start);
  if (merged) out.notes.push_back(headings);
  out.headings = heading_rows.size();
  NotDataRows not_data = not_data_rows(merged ? *merged : table, "not scored (no score, no flag)");
  for (std::string& note : not_data.notes) out.notes.push_back(std::move(note));
  if (!not_data.header_note.empty()) out.notes.push_back(std::move(not_data.header_note));
  // the merged file's rows are the file's rows but the heading lines
  size_t h = 0, k = 0;
  for (size_t r = 0, m = 0; r < table.row_count(); ++r) {
    if (h < heading_rows.size() && heading_rows[h] == r) {
      out.rows.push_back(r), ++h;
      continue;
    }
    if (k < not_data.rows.size() && not_data.rows[k] == m) out.rows.push_back(r), ++k;
    ++m;
  }
  return out;
}

RowsNotScored RowsNotScoredStream::add(const CsvTable& batch) {
  // the rows before the batch that its totals rows may sum (a region's total, over its branches'
  // rows and totals, or the file's total): the last kContext, from a group's first row on (a
  // total over part of a group's rows is no sum, nor then are the totals after it)
  constexpr size_t kContext = 8192;
  CsvTable both = context_ ? context_->select_rows({}) : batch.select_rows({});
  std::vector<std::string_view> cells(batch.column_count());
  const CsvTable* parts[] = {context_ ? &*context_ : nullptr, &batch};
  for (const CsvTable* part : parts)
    for (size_t r = 0; part && r < part->row_count(); ++r) {
      for (size_t c = 0; c < cells.size(); ++c) cells[c] = part->cell(r, c);
      both.add_row(cells, part->row_line(r));
    }
  const size_t before = context_ ? context_->row_count() : 0;
  RowsNotScored found = rows_not_scored(both, headings_ ? 1 : 2, !context_);
  RowsNotScored out;
  for (const size_t r : found.rows)
    if (r >= before) out.rows.push_back(r - before);
  // The batch's last row has no row below it here: in a report of heading lines, one with the
  // same columns written as one of them is one (the whole file reads it with the row below).
  if (found.headings > 0 || !heading_shapes_.empty()) {
    const size_t from = numbers_rows(both, 0) ? 1 : 0;
    std::vector<std::string_view> row(batch.column_count());
    const auto shape = [&](const CsvTable& table, size_t r) {  // (first column written, after the last), or (0, 0)
      for (size_t c = 0; c < row.size(); ++c) row[c] = table.cell(r, c);
      const size_t end = heading_shape(table, row, from);
      size_t first = from;
      while (end > 0 && blank_cell(row[first])) ++first;
      return end > 0 ? std::pair(first, end) : std::pair<size_t, size_t>(0, 0);
    };
    for (const size_t r : found.rows)
      if (r >= before)
        if (const auto s = shape(both, r); s.second > 0) heading_shapes_.insert(s);
    const size_t last = batch.row_count() - 1;
    if (batch.row_count() > 0 && (out.rows.empty() || out.rows.back() != last) && heading_shapes_.count(shape(batch, last)) > 0)
      out.rows.push_back(last), ++found.headings;
  }
  if (first_) out.notes = std::move(found.notes);
  else after_first_ += int64_t(out.rows.size());
  if (!first_)
    for (const size_t r : out.rows)
      if (after_first_lines_.size() < 10) after_first_lines_.push_back(batch.row_line(r));
  first_ = false;
  headings_ = headings_ || found.headings > 0;
  size_t cut = both.row_count() - std::min(both.row_count(), kContext);
  if (cut > 0) {  // after the last row found before the window: of its outermost level's, if not far before
    const auto label_column = [&](size_t r) {  // as not_data_rows finds a row's label: its first cell with a value
      size_t c = 0;
      while (c + 1 < both.column_count() && trim(both.cell(r, c)).empty()) ++c;
      return c;
    };
    size_t outer = both.column_count(), last = SIZE_MAX, last_outer = SIZE_MAX;
    for (const size_t r : found.rows)
      if (r < cut) outer = std::min(outer, label_column(r));
    for (const size_t r : found.rows)
      if (r < cut) last = r, last_outer = label_column(r) == outer ? r : last_outer;
    if (last_outer != SIZE_MAX && cut - last_outer <= kContext) cut = last_outer + 1;
    else if (last != SIZE_MAX && cut - last <= kContext) cut = last + 1;
  }
  std::vector<size_t> kept(both.row_count() - cut);
  std::iota(kept.begin(), kept.end(), cut);
  context_ = both.select_rows(kept);
  return out;
}

std::optional<CsvTable> read_as_training(const CsvTable& table, std::vector<std::string>* notes, bool at_start) {
  std::string headings;
  const std::optional<CsvTable> merged = merge_heading_lines(table, "their values given to the row below, the lines left out of training",
                                                             notes ? &headings : nullptr, nullptr, 2, at_start);
  const CsvTable& file = merged ? *merged : table;
  NotDataRows not_data = not_data_rows(file, "left out of training");
  if (notes) {
    if (!headings.empty()) notes->push_back(std::move(headings));
    for (std::string& note : not_data.notes) notes->push_back(std::move(note));
    if (!not_data.header_note.empty()) notes->push_back(std::move(not_data.header_note));
  }
  if (not_data.rows.empty()) return merged;
  CsvTable kept = file.select_rows(rows_but(file.row_count(), not_data.rows));
  kept.empty_row_lines = file.empty_row_lines;
  return kept;
}

std::vector<size_t> rows_but(size_t count, const std::vector<size_t>& left_out) {
  std::vector<size_t> kept;
  for (size_t r = 0, k = 0; r < count; ++r)
    if (k < left_out.size() && left_out[k] == r) ++k;
    else kept.push_back(r);
  return kept;
}

std::vector<int> scored_rows_labels(const CsvTable& table, const TabularOptions& options, std::vector<std::string>* notes) {
  const std::vector<size_t> skipped = rows_not_scored(table).rows;
  if (skipped.empty()) return tabular_labels(table, options, notes);
  const std::vector<size_t> kept = rows_but(table.row_count(), skipped);
  const std::vector<int> labels = tabular_labels(table.select_rows(kept), options, notes);
  std::vector<int> out(table.row_count(), 0);
  for (size_t i = 0; i < kept.size(); ++i) out[kept[i]] = labels[i];
  return out;
}

CsvTable drop_duplicate_rows(const CsvTable& table) {
  std::set<std::vector<std::string>> seen;
  std::vector<size_t> kept;
  for (size_t i = 0; i < table.row_count(); ++i)
    if (seen.insert(table.row(i)).second) kept.push_back(i);
  return table.select_rows(kept);
}

}  // namespace ca3
