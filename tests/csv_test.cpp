// CSV parsing and tabular preprocessing: every malformed input is rejected with its line
// number; the quantile transform matches scikit-learn's QuantileTransformer (values computed
// with Debian's python3-sklearn 1.2); categorical, missing and unseen values; the real files.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <numeric>
#include <random>
#include <cstring>
#include <tuple>

#include "core/anomaly/data/csv.h"
#include "core/anomaly/data/text.h"
#include "core/anomaly/data/tabular.h"
#include "core/anomaly/detector.h"
#include "core/engine/error.h"
#include "tests/test_support.h"

namespace ca3 {
namespace {

using testing::error_of;

// Labels from `column`, its `normal` value(s) normal, every other value an anomaly.
// The rows 0 to n - 1 of a table: all of them.
std::vector<int64_t> first_rows(int64_t n) {
  std::vector<int64_t> rows(size_t(n), 0);
  std::iota(rows.begin(), rows.end(), int64_t(0));
  return rows;
}

TabularOptions labelled(const std::string& column, std::vector<std::string> normal) {
  TabularOptions options;
  options.label_column = column;
  options.normal_values = std::move(normal);
  return options;
}

TEST(Csv, QuotesSeparatorsLineEndsAndBom) {
  const CsvTable t = parse_csv("\xEF\xBB\xBF" "a;\"b;c\";d\r\n1;\"x\"\"y\";\"multi\nline\"\r\n\r\n2;;3\n");
  EXPECT_EQ(t.separator, ';');
  EXPECT_EQ(t.header, (std::vector<std::string>{"a", "b;c", "d"}));
  ASSERT_EQ(t.row_count(), 2u);
  EXPECT_EQ(t.row(0), (std::vector<std::string>{"1", "x\"y", "multi\nline"}));
  EXPECT_EQ(t.row(1), (std::vector<std::string>{"2", "", "3"}));
  EXPECT_EQ(t.row_line(0), 2);
  EXPECT_EQ(t.row_line(1), 5);
  const CsvTable tabs = parse_csv("a\tb\n1\t2");  // no final line break
  EXPECT_EQ(tabs.separator, '\t');
  EXPECT_EQ(tabs.row(0), (std::vector<std::string>{"1", "2"}));
  // Excel's ="0100" (a formula keeping a code's leading zeros) is the text in its quotes.
  EXPECT_EQ(parse_csv("plz;n\n=\"01067\";1\n=\"a;\"\"b\"\"\";2\n").row(0), (std::vector<std::string>{"01067", "1"}));
  EXPECT_EQ(parse_csv("plz;n\n=\"01067\";1\n=\"a;\"\"b\"\"\";2\n").row(1), (std::vector<std::string>{"a;\"b\"", "2"}));
  const CsvTable pipes = parse_csv("kunde|umsatz|marge\nK1|1.5|0,2\n");  // as database shells and SAP write
  EXPECT_EQ(pipes.separator, '|');
  EXPECT_EQ(pipes.row(0), (std::vector<std::string>{"K1", "1.5", "0,2"}));
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
}

// The number format is decided per file; each file's first data cell must read as the value.
TEST(Csv, NumberFormatDecidedPerFileReadsTheRightValue) {
  struct Case {
    const char* text;
    char decimal, thousands;
    double first;
  };
  const std::vector<Case> cases = {
      {"x;y\n21,40;3\n22,10;4\n", ',', '.', 21.4},                 // decimal comma
      {"x;y\n0,165;0,690\n0,712;0,334\n", ',', '.', 0.165},        // "0,165" cannot be grouped
      {"x,y\n\"0,165\",1\n\"0,712\",2\n", ',', '.', 0.165},        // quoted, in a ',' file too
      {"x;y\n1,234;2,500\n3,125;4,750\n", ',', '.', 1.234},        // ambiguous, ';' file: decimal
      {"x,y\n\"1,234\",2\n\"3,125\",4\n", '.', ',', 1234},         // ambiguous, ',' file: groups
      {"x,y\n\"4,597.76\",1\n\"1,234\",2\n", '.', ',', 4597.76},   // both marks
      {"x;y\n1.234,5;1\n2.345,25;2\n", ',', '.', 1234.5},          // dot groups, decimal comma
      {"x;y\n1,234;2\n0.5;1\n", '.', ',', 1234},                    // a dot decimal elsewhere: groups
      {"x,y\n1.234,2\n2.5,3\n", '.', 0, 1.234},
      {"x;y\n6,21E+03;1\n1,5;2\n", ',', '.', 6210},
      {"x;y\n3 249,7;1\n12 345,25;2\n", ',', '.', 3249.7},                  // space groups
      {"x;y\n-3\xC2\xA0" "249,7;1\n1\xE2\x80\xAF" "234;2\n", ',', '.', -3249.7},  // no-break spaces
      {"x,y\n1'234.5,1\n12'345'678,2\n", '.', 0, 1234.5},                 // apostrophes
      {"x;y\n\xE2\x88\x92" "0,67;1\n7,74;2\n", ',', '.', -0.67},           // U+2212 MINUS SIGN
      {"x;y\n\xE2\x80\x93" "5,4;1\n7,74;2\n", ',', '.', -5.4},             // an en dash for the minus (U+2013)
      {"x,y\n\xEF\xBC\x8D" "2.5,1\n7.74,2\n", '.', 0, -2.5},              // U+FF0D FULLWIDTH HYPHEN-MINUS
      {"x;y\n(1.304,12);1\n2,5;2\n", ',', '.', -1304.12},                  // accounting brackets
      {"x,y\n\"(1,304.12)\",1\n( 2.5 ),2\n", '.', ',', -1304.12},
      {"x,y\n\"12,34,567.89\",1\n\"1,25,000.00\",2\n", '.', ',', 1234567.89},  // lakhs and crores (India)
      {"x,y\n\"1,25,000\",1\n\"12,34,567\",2\n", '.', ',', 125000},
      {"x;y\n2.079,78-;1\n12,5;2\n", ',', '.', -2079.78},                 // a trailing minus (SAP)
      {"x;y\n1E-2;1\n6,64;2\n", ',', '.', 0.01},                          // an exponent without a mark
      {"x;y\n'10,78;1\n'12,5;2\n", ',', '.', 10.78},                     // Excel's mark for a number kept as text
      {"x;y\n\xE2\x80\x99" "10,78;1\n\xE2\x80\x98" "12,5;2\n", ',', '.', 10.78},  // the mark made typographic (U+2019, U+2018)
      {"x;y\n-5e+3;1\n6,64;2\n", ',', '.', -5000},
      // Dots that group ("1.234.567") tell a decimal comma even where no cell has one; then "2.000"
      // groups too. Commas that group ("1,234,567") tell a decimal point.
      {"x,y\n\"1.234.567\",1\n\"2.000\",2\n", ',', '.', 1234567},
      {"x,y\n\"2.000\",1\n\"1.234.567\",2\n", ',', '.', 2000},
      {"x;y\n2.000;1\n-12.345.678;2\n", ',', '.', 2000},
      {"x,y\n\"2,000\",1\n\"1,234,567\",2\n", '.', ',', 2000},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const CsvTable t = parse_csv(c.text);
    EXPECT_EQ(t.numbers.decimal, c.decimal);
    EXPECT_EQ(t.numbers.thousands, c.thousands);
    double value = 0;
    ASSERT_TRUE(parse_number(t.cell(0, 0), value, t.numbers)) << t.cell(0, 0);
    EXPECT_DOUBLE_EQ(value, c.first);
  }
  // Spaces that are not digit groups keep a cell text.
  double value = 0;
  for (const char* text : {"1 2", "12 3456", "1 234 5", "abc 123", "1 234x", "()", "(abc)", "(-3)", "(1", "\xE2\x88\x92", "\xE2\x80\x93",
                           "10\xE2\x80\x93" "20", "\xE2\x80\x93" "abc",
                           "-", "5--", "-5-", "1,2,345", "1,23,45,678", "123,45,678", "2-", "030 332 479", "0 123", "-012 345.5"})
    EXPECT_FALSE(parse_number(text, value, NumberFormat{})) << text;
  EXPECT_FALSE(parse_number("2.72.880", value, NumberFormat{',', '.'}));  // lakhs are grouped with commas only
  EXPECT_FALSE(parse_number("4-", value, NumberFormat{',', '.'}));        // a grade, not SAP's "4,00-"
  ASSERT_TRUE(parse_number("( 2.5 )", value, NumberFormat{}));
  EXPECT_DOUBLE_EQ(value, -2.5);
}

// Plain decimal numbers ("-0.123", "7,25"), read by a shortcut, give strtod's value to the bit,
// with either decimal mark; what the shortcut leaves ("5.", "-", 16 digits, "1e3") is read as before.
TEST(Csv, PlainNumbersReadExactlyAsStrtod) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200000; ++i) {
    const int digits = 1 + int(rng() % 18), point = int(rng() % (digits + 1));
    std::string text = rng() % 3 == 0 ? "-" : "";
    for (int d = 0; d < digits; ++d) {
      if (d == point && d > 0) text += '.';
      text += char('0' + rng() % 10);
    }
    const double expected = std::strtod(text.c_str(), nullptr);
    double read = 0, read_comma = 0;
    std::string comma = text;
    std::replace(comma.begin(), comma.end(), '.', ',');
    ASSERT_TRUE(parse_number(text, read, NumberFormat{'.', 0})) << text;
    ASSERT_TRUE(parse_number(comma, read_comma, NumberFormat{',', 0})) << comma;
    ASSERT_EQ(std::memcmp(&read, &expected, sizeof read), 0) << text << ": " << read << " vs " << expected;
    ASSERT_EQ(std::memcmp(&read_comma, &expected, sizeof read), 0) << comma;
    // In the formats with digit groups too, as the full reading (a leading space takes that) reads it.
    for (const NumberFormat format : {NumberFormat{'.', ','}, NumberFormat{',', '.'}}) {
      const std::string& cell = format.decimal == '.' ? text : comma;
      double fast = 0, full = 0;
      const bool fast_read = parse_number(cell, fast, format), full_read = parse_number(" " + cell, full, format);
      ASSERT_EQ(fast_read, full_read) << cell;
      if (fast_read) ASSERT_EQ(std::memcmp(&fast, &full, sizeof fast), 0) << cell;
    }
  }
  double v = 0;
  EXPECT_TRUE(parse_number("5.", v, NumberFormat{'.', 0}) && v == 5);
  EXPECT_TRUE(parse_number("1e3", v, NumberFormat{'.', 0}) && v == 1000);
  EXPECT_TRUE(parse_number("-0", v, NumberFormat{'.', 0}) && v == 0 && std::signbit(v));
  EXPECT_FALSE(parse_number("-", v, NumberFormat{'.', 0}));
  EXPECT_FALSE(parse_number("1.2.3", v, NumberFormat{'.', 0}));
  EXPECT_TRUE(parse_number("1,234", v, NumberFormat{'.', ','}) && v == 1234);  // (grouped: the full reading)
}

// Excel's "sep=;" first line names the separator (whole file and stream); blank lines and lines
// of separators are skipped and counted; line numbers stay the file's.
// A part of a table (select_rows, drop_duplicate_rows, the rows explain_rows looks at) reads its
// cells as the whole file does: "0,5" in a decimal-comma file stays a number.
// A decimal-comma file admits '.' digit groups; a description names them only when the file has
// one, and names space and apostrophe groups too.
// Months written month.year ("01.2023", a German export's "Monat") tell no decimal mark: the
// amounts' "184,44" does, and the column is dates (it had read as numbers with a decimal point,
// and training refused the file for its comma amounts).
TEST(Csv, MonthsWrittenMonthDotYearAreDatesNotNumbers) {
  std::string text = "Monat;Betrag;Stueck\n";
  for (int year : {2023, 2024})
    for (int month = 1; month <= 12; ++month) text += detail::concat(month < 10 ? "0" : "", month, ".", year, ";1", month, "4,", 40 + month, ";", 20 + month, "\n");
  const CsvTable table = parse_csv(text);
  EXPECT_EQ(table.numbers.decimal, ',');
  EXPECT_EQ(describe_columns(table)[0].role, "dates");
  std::vector<int64_t> rows(24);
  std::iota(rows.begin(), rows.end(), 0);
  const TabularPreprocessor prep = TabularPreprocessor::fit(table, rows, TabularOptions{});
  EXPECT_EQ(prep.schema()[0].role, "dates");
  EXPECT_EQ(prep.columns().at(0).name, "Betrag");
  // A column of numbers that only look so in part ("01.2023" beside "3.5") still tells the mark.
  EXPECT_EQ(parse_csv("a;b\n01.2023;3.5\n1.5;2.25\n").numbers.decimal, '.');
}

TEST(Csv, DigitGroupsReportedOnlyWhereTheFileUsesThem) {
  EXPECT_EQ(digit_group_mark(parse_csv("x;y\n21,40;3\n22,10;4\n")), 0);
  EXPECT_EQ(digit_group_mark(parse_csv("x;y\n1.234,5;1\n2.345,25;2\n")), '.');
  EXPECT_EQ(digit_group_mark(parse_csv("x,y\n\"1,234\",2\n\"3,125\",4\n")), ',');
  EXPECT_EQ(digit_group_mark(parse_csv("x;y\n3 249,7;1\n12 345,25;2\n")), ' ');
  EXPECT_EQ(digit_group_mark(parse_csv("x;y\n-3\xC2\xA0" "249,7;1\n1,5;2\n")), ' ');
  EXPECT_EQ(digit_group_mark(parse_csv("x,y\n1'234.5,1\n12'345'678,2\n")), '\'');
  EXPECT_EQ(digit_group_mark(parse_csv("x,y\nab cd,1\n12 x,2\n")), 0);  // text with spaces: no numbers
}

// The scored file writes its scores as the file writes its numbers: a spreadsheet set to decimal
// commas reads "0,25" as a number and "0.25" as text.
TEST(Csv, ScoresAreWrittenWithTheFilesDecimalMark) {
  EXPECT_EQ(write_csv(with_score_columns(parse_csv("x;y\n21,40;3\n22,10;4\n"), {0.25f, 0.75f}, 0.5f)),
            "x;y;score;flag\n21,40;3;0,25;0\n22,10;4;0,75;1\n");
  EXPECT_EQ(write_csv(with_score_columns(parse_csv("x,y\n\"0,165\",1\n"), {0.25f}, 0.5f)),
            "x,y,score,flag\n\"0,165\",1,\"0,25\",0\n");
  EXPECT_EQ(write_csv(with_score_columns(parse_csv("x,y\n1.5,2\n"), {0.25f}, 0.5f)), "x,y,score,flag\n1.5,2,0.25,0\n");
}

TEST(Csv, SelectedRowsKeepTheNumberFormat) {
  const CsvTable table = parse_csv("a;b;c\n0,5;1.234,5;x\n1,5;2.000,25;y\n0,5;1.234,5;x\n");
  ASSERT_EQ(table.numbers.decimal, ',');
  for (const CsvTable& part : {table.select_rows({1}), drop_duplicate_rows(table)}) {
    EXPECT_EQ(part.numbers, table.numbers);
    EXPECT_EQ(part.encoding, table.encoding);
    double value = 0;
    ASSERT_TRUE(parse_number(part.cell(part.row_count() - 1, 1), value, part.numbers));
    EXPECT_EQ(value, 2000.25);
  }
  EXPECT_EQ(drop_duplicate_rows(table).row_count(), 2u);
}

TEST(Csv, ExcelSeparatorLineAndEmptyRowsCounted) {
  const CsvTable t = parse_csv("sep=;\r\nx;y\r\n1,5;2\r\n\r\n;\r\n3,5;4\r\n");
  EXPECT_EQ(t.separator, ';');
  EXPECT_EQ(t.header, (std::vector<std::string>{"x", "y"}));
  ASSERT_EQ(t.row_count(), 2u);
  EXPECT_EQ(t.row_line(1), 6);
  EXPECT_EQ(t.empty_row_lines, (std::vector<int64_t>{4, 5}));
  double v = 0;
  ASSERT_TRUE(parse_number(t.cell(0, 0), v, t.numbers));
  EXPECT_DOUBLE_EQ(v, 1.5);
  EXPECT_EQ(error_of([] { parse_csv("sep=;\nx;y\n1;2;3\n"); }),
            "CSV line 3: 3 fields, the header has 2 ('1;2;3'): a value that holds the separator needs quotes around it");
  CsvStream stream;
  stream.push("sep=;\nx;y\n1,5;2\n2,5;3\n");
  stream.finish();
  const std::optional<CsvTable> piece = stream.next(10);
  ASSERT_TRUE(piece.has_value());
  EXPECT_EQ(piece->header, (std::vector<std::string>{"x", "y"}));
  ASSERT_EQ(piece->row_count(), 2u);
  EXPECT_EQ(piece->row_line(0), 3);
  ASSERT_TRUE(parse_number(piece->cell(1, 0), v, piece->numbers));
  EXPECT_DOUBLE_EQ(v, 2.5);
}

TEST(Csv, MalformedInputsNameTheLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "CSV file is empty"},
      {"\xEF\xBB\xBF", "CSV file is empty"},
      {"a,b\n", "CSV file has a header but no data rows"},
      {"\n\n", "CSV file has no header row"},
      {"a,b\n1,2\n3\n4,5\n", "CSV line 3: 1 field, the header has 2 ('3'): a missing value is an empty field, two separators in a row"},
      {"a,b\n1,2\n3\n\n", "CSV line 3: 1 field, the header has 2 ('3'): the file's last line: if it was cut short (copied, or exported "
                          "while still being written), complete it or delete it; a missing value is an empty field, two separators in a row"},
      // (a text alone, without the other columns' separators: read, below; not in a table of two
      // columns, where it would read as a row)
      {"name,value\nx,1\nSource: ERP\n", "CSV line 3: 1 field, the header has 2 ('Source: ERP'): a line with a name alone, such "
                                         "as a group's heading, needs the other columns' separators: write it as 'Source: ERP,', its "
                                         "first column empty in the group's rows (then it is read as their group), or leave such "
                                         "lines out"},
      // a number (either format) or a whole line quoted as one field is no heading
      {"a;b\n1;2\n3,5\n1;2\n", "CSV line 3: 1 field, the header has 2 ('3,5'): a missing value is an empty field, two separators in a row"},
      {"a;b\n1;2\n\"3;4\"\n1;2\n", "CSV line 3: 1 field, the header has 2 ('\"3;4\"'): a missing value is an empty field, two separators in a row"},
      {"a,b\n1,2,3\n", "CSV line 2: 3 fields, the header has 2 ('1,2,3'): a value that holds the separator needs quotes around it"},
      // every line of the wrong length at once, the first in full; then what stopped the reading
      {"a,b\n1,2,3\n4,5\n6\n7,8\n", "CSV line 2: 3 fields, the header has 2 ('1,2,3'): a value that holds the separator needs quotes "
                                   "around it. Line 4 (1 field) differs from the header's 2 fields too"},
      {"a,b\n1,2,3\n4,5,6\n7\n8,9\n1,2,3\n", "CSV line 2: 3 fields, the header has 2 ('1,2,3'): a value that holds the separator "
                                            "needs quotes around it. In all, 4 lines differ from the header's 2 fields; the "
                                            "others: lines 3 (3 fields), 4 (1 field), 6 (3 fields)"},
      {"a,b\n1,2,3\n4,\"5\n", "CSV line 2: 3 fields, the header has 2 ('1,2,3'): a value that holds the separator needs quotes "
                             "around it. Further on, CSV line 3: a quoted field is not closed before the end of the file "
                             "('4,\"5'): a quote that opens a field needs one that closes it; a quote inside a field is doubled"},
      {"a,b\n1,\"2\n3,4\n", "CSV line 2: a quoted field is not closed before the end of the file ('1,\"2'): a quote that opens a "
                          "field needs one that closes it; a quote inside a field is doubled"},
      {"a,b\n1,2\n3,x\"y\n", "CSV line 3: a quote inside an unquoted field ('3,x\"y'): quote the whole field and double the quotes "
                             "inside it (\"12\"\" screen\")"},
      {"a,b\r\n1,2\r\n\"Monitor 27\" matt\",2\r\n", "CSV line 3: text after a closing quote ('\"Monitor 27\" matt\",2'): a field "
                                                 "that holds a quote is quoted as a whole, its quotes doubled (\"12\"\" screen\")"},
      {"a,a\n1,2\n", "CSV line 1: two columns are named 'a' (columns 1 and 2): rename one, so that each can be told apart"},
      {"x, value,value ,y\n1,2,3,4\n", "CSV line 1: two columns are named 'value' (' value' and 'value ' differ only in "
                                        "spaces or in how their letters are encoded): rename one"},
      {"a,,c\n1,2,3\n", "CSV line 2: '2' stands in column 2, which has no name in the header: give it one in the first line"},
      {"9.86,19.65,4.94,A\n10.7,18.12,4.05,A\n", "CSV line 1 holds numbers where the column names belong ('9.86', '19.65', "
                                                "'4.94', ...): the file seems to have no header; add a first line that "
                                                "names the 4 columns (such as 'length,width,...')"},
      {std::string("a,b\n1,2\n\x01\x02\0\x03", 13), "CSV line 3: contains a NUL byte (this is not a text file)"},
      // A file of a known kind that is not text: named, with what to do.
      {std::string("PK\x03\x04\x14\0\x06\0", 8), "this is not a CSV table (text) but a ZIP archive (an "
                                                    "Excel .xlsx or OpenDocument .ods workbook is one): open it and save the sheet as CSV"},
      {std::string("CA3MODEL\x01\0\0\0", 12), "this is not a CSV table (text) but a CA3 model file: "
                                                "give it as the model (--model), and a CSV table as the data"},
      {std::string("\x89PNG\r\n\x1A\n\0\0\0\x0D", 12), "this is not a CSV table (text) but an image: a table model scores CSV "
                                                      "tables, an image model images"},
      {std::string("\x1F\x8B\x08\0\0\0", 6), "this is not a CSV table (text) but a gzip-compressed "
                                              "file: decompress it first (gunzip FILE)"},
  };
  for (const auto& c : cases) EXPECT_EQ(error_of([&] { parse_csv(c.first); }), c.second) << c.first;
  EXPECT_EQ(error_of([] { parse_csv("a,b\n1,2\n").column_index("Class"); }), "CSV has no column 'Class' (columns: 'a', 'b')");
  // A line of one text alone, without all the separators (a group's heading "Nord", a footer
  // "Quelle: ERP-Export;;;" under 6 columns): its missing fields are empty cells, said.
  for (const char* text : {"Region;Stadt;Umsatz\n Nord \n;Kiel;3,5\n", "a\tb\tc\n1\t2\t3\nNord\n", "a;b;c;d;e;f\n1;2;3;4;5;6\nQuelle: ERP;;;\n"}) {
    const CsvTable t = parse_csv(text);
    ASSERT_EQ(t.row_count(), 2u) << text;
    EXPECT_EQ(t.short_lines, 1u);
    for (size_t c = 1; c < t.column_count(); ++c) EXPECT_EQ(t.cell(t.row_count() - (t.cell(0, 0) == " Nord " ? 2 : 1), c), "") << text;
  }
  EXPECT_EQ(parse_csv("a;b;c;d;e;f\n1;2;3;4;5;6\nQuelle: ERP;;;\n").first_short_line, 3);
  {  // such a line mid-file (a title): not scored, said once, not also as fields read as empty
    const TabularPreprocessor prep =
        TabularPreprocessor::fit(parse_csv("a,b,c\n1,2,3\n2,3,4\n3,4,5\n4,5,6\n"), {0, 1, 2, 3}, TabularOptions{});
    std::string text = "a,b,c\n";
    for (int i = 0; i < 12; ++i) text += (i == 6 ? "Report for March\n" : "") + std::to_string(1 + i % 4) + ",3,4\n";
    const std::vector<std::string> notes = prep.scoring_notes(parse_csv(text));
    ASSERT_EQ(notes.size(), 1u) << notes.back();
    EXPECT_TRUE(notes[0].starts_with("line 8 ('Report for March') holds a text alone and no number")) << notes[0];
    // A short line that is a row scored (its first cell a value the model reads) is said.
    const std::vector<std::string> said = prep.scoring_notes(parse_csv("a,b,c\n1,2,3\nNA\n2,3,4\n"));
    EXPECT_NE(std::find(said.begin(), said.end(), "1 line holds fewer fields than the header and one text alone, in the first (line 3): "
                                                  "the fields left off read as empty cells"),
              said.end());
  }
}

TEST(Tabular, QuantileTransformMatchesScikitLearn) {
  // QuantileTransformer(output_distribution='normal', n_quantiles=7).fit([1,2,2,3,10,4,7])
  //   .transform([0, 1, 1.5, 2.5, 5, 10, 11])
  // (Not at the repeated quantile 2: there scikit-learn's percentiles carry a rounding error,
  // 1.9999999999999998 next to 2, which moves its result; we take the middle of the tie.)
  const CsvTable train = parse_csv("x\n1\n2\n2\n3\n10\n4\n7\n");
  const TabularPreprocessor prep = TabularPreprocessor::fit(train, {0, 1, 2, 3, 4, 5, 6}, {});
  const CsvTable query = parse_csv("x\n0\n1\n1.5\n2.5\n5\n10\n11\n2\n");
  const std::vector<double> expected = {-5.19933758, -5.19933758, -1.38299413, -0.21042839,
                                        0.5894558,   5.19933758,  5.19933758};
  const Tensor y = prep.transform(query);
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(y.at(int64_t(i)), expected[i], 1e-5) << i;
  EXPECT_NEAR(y.at(7), normal_quantile(1.5 / 6), 1e-6);  // 2 = quantiles 1 and 2 of 0..6
  // scipy.stats.norm.ppf
  EXPECT_NEAR(normal_quantile(0.001), -3.09023231, 1e-8);
  EXPECT_NEAR(normal_quantile(0.3), -0.52440051, 1e-8);
  EXPECT_NEAR(normal_quantile(0.975), 1.95996398, 1e-8);
  EXPECT_NEAR(normal_quantile(0.99999), 4.26489079, 1e-7);
}

TEST(Tabular, QuantileTransformGivesTiesAtBothTrainingBoundsTheirMiddleRank) {
  // Four of ten training values are the minimum 0 and three the maximum 4 (as in Ionosphere,
  // where 10-31% of each column is exactly 1 or -1). scikit-learn sends every one of them to
  // -5.2 / +5.2 ([-5.19933758 -5.19933758 0.1397103 5.19933758 5.19933758] for -1, 0, 2, 4, 5);
  // a column tied at both bounds gives them the middle of their tied quantiles, as ties inside
  // the range: 0 = quantiles 0..3 of 0..9 -> rank 1.5/9, 4 = quantiles 7..9 -> rank 8/9. Values
  // outside the training range still go to the ends. Expected: scipy.stats.norm.ppf of those ranks.
  const CsvTable train = parse_csv("x\n0\n0\n0\n0\n1\n2\n3\n4\n4\n4\n");
  const TabularPreprocessor prep = TabularPreprocessor::fit(train, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {});
  const Tensor y = prep.transform(parse_csv("x\n-1\n0\n2\n4\n5\n"));
  const std::vector<double> expected = {-5.19933758, -0.96742157, 0.1397103, 1.22064035, 5.19933758};
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(y.at(int64_t(i)), expected[i], 1e-5) << i;
  // Saved and loaded, the same values.
  const Tensor reloaded = TabularPreprocessor::from_json(prep.to_json()).transform(parse_csv("x\n0\n4\n"));
  EXPECT_NEAR(reloaded.at(0), expected[1], 1e-5);
  EXPECT_NEAR(reloaded.at(1), expected[3], 1e-5);
  // Tied at one bound only (a floor, like Glass's Ba = 0 for "none"): scikit-learn's end, so
  // "none" stays far from "a little". scikit-learn gives [-5.19933758 0.4307273 5.19933758].
  const TabularPreprocessor floor = TabularPreprocessor::fit(parse_csv("x\n0\n0\n0\n0\n1\n2\n3\n4\n5\n6\n"),
                                                             {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {});
  const std::vector<float> floored = floor.transform(parse_csv("x\n0\n3\n6\n")).to_vector();
  EXPECT_NEAR(floored[0], -5.19933758, 1e-5);
  EXPECT_NEAR(floored[1], 0.4307273, 1e-5);
  EXPECT_NEAR(floored[2], 5.19933758, 1e-5);
  // A column constant in training: its value is the median (0), anything else an end.
  const TabularPreprocessor constant = TabularPreprocessor::fit(parse_csv("x\n3\n3\n3\n"), {0, 1, 2}, {});
  const Tensor c = constant.transform(parse_csv("x\n3\n2\n4\n"));
  EXPECT_NEAR(c.at(0), 0.0, 1e-9);
  EXPECT_NEAR(c.at(1), -5.19933758, 1e-5);
  EXPECT_NEAR(c.at(2), 5.19933758, 1e-5);
}

// A label column asked for by a name that differs from the file's in spaces or case is used, and
// noted; so are label values that differ from the given one so.
TEST(Tabular, LooseLabelMatchesAreNoted) {
  const CsvTable t = parse_csv("x, Status \n1,ok\n2,OK \n3,bad\n");
  TabularOptions options = labelled("status", {"ok"});
  std::vector<std::string> notes;
  EXPECT_EQ(tabular_labels(t, options, &notes), (std::vector<int>{0, 0, 1}));
  EXPECT_EQ(notes, (std::vector<std::string>{
                       "label column 'status' is the file's ' Status ' (the names differ only in spaces, case or Unicode form)",
                       "label column 'status': 'OK ' (1 row) taken as 'ok' (they differ from it only in spaces, case or "
                       "Unicode form)"}));
  // A zero-width space or a byte-order mark at a value's end, as web copies leave (helper-117: taken
  // as anomalies, said as 'normal'): the same value, shown escaped.
  notes.clear();
  EXPECT_EQ(tabular_labels(parse_csv("x,label\n1,normal\n2,normal\xE2\x80\x8B\n3,bad\n4,\xEF\xBB\xBFnormal\n"),
                           labelled("label", {"normal"}), &notes),
            (std::vector<int>{0, 0, 1, 0}));
  EXPECT_EQ(notes.at(0), "label column 'label': 'normal\\u200B' (1 row), '\\uFEFFnormal' (1 row) taken as 'normal' (they differ from "
                         "it only in spaces, case or Unicode form)");
}

// Without a label column, the column suggest_label_column picks (named like labels, with few
// values) is read as a feature, and said; not when the caller gave it a role or named it an
// identifier, nor a column of many values.
TEST(Tabular, LabelLikeColumnReadAsFeatureIsNoted) {
  const CsvTable t = parse_csv("x,Is_Anomaly,size\n1,no,1.5\n2,yes,2.5\n3,no,3.5\n4,,4.5\n5,no,5.5\n6,no,6.5\n"
                               "7,no,7.5\n8,no,8.5\n9,no,9.5\n10,no,10.5\n11,no,11.5\n");
  TabularOptions options;
  std::vector<std::string> notes;
  EXPECT_EQ(tabular_labels(t, options, &notes), std::vector<int>(11, 0));
  EXPECT_EQ(notes, (std::vector<std::string>{
                       "column 'Is_Anomaly' (values no, yes) looks like a label, but no label column is named, so it is "
                       "read as a feature like the others: name it as the label column if it marks the anomalies, or give "
                       "it the role ignore to leave it out (the role menu on the page, --role Is_Anomaly=ignore for ca3 "
                       "train, TableOptions.roles in the SDK)"}));
  notes.clear();
  options.id_columns = {"is_anomaly"};
  tabular_labels(t, options, &notes);
  EXPECT_TRUE(notes.empty());
  options.id_columns.clear();
  options.roles["Is_Anomaly"] = ColumnRole::categorical;
  tabular_labels(t, options, &notes);
  EXPECT_TRUE(notes.empty());
  // Many values: not a label.
  std::string many = "x,target\n";
  for (int i = 0; i < 30; ++i) many += std::to_string(i) + "," + std::to_string(i * 7) + "\n";
  notes.clear();
  tabular_labels(parse_csv(many), TabularOptions{}, &notes);
  EXPECT_TRUE(notes.empty());
  // A last column of a few measured values (fractions, or numbers with a unit) is not a label; a
  // last column of a few whole-number codes may be.
  for (const char* last : {"21.5,22.0,21.5,23.5", "21 °C,22 °C,21 °C,23 °C"}) {
    std::string rows = "x,temp\n", cells = last;
    for (int i = 0; i < 4; ++i) {
      const size_t comma = cells.find(',');
      rows += std::to_string(i) + "," + cells.substr(0, comma) + "\n";
      cells = comma == std::string::npos ? "" : cells.substr(comma + 1);
    }
    notes.clear();
    tabular_labels(parse_csv(rows), TabularOptions{}, &notes);
    EXPECT_TRUE(notes.empty()) << last << ": " << (notes.empty() ? "" : notes[0]);
    EXPECT_EQ(suggest_label_column(describe_columns(parse_csv(rows))), "") << last;
  }
  EXPECT_EQ(suggest_label_column(describe_columns(parse_csv("x,type\n1,1\n2,3\n3,1\n4,7\n"))), "type");
  // The last column, not named like a label: said when its values are a label's ("ok" and "defect",
  // 0 and 1), not a platform's or a version's; the advice quotes a name with a space.
  for (const auto& [values, said] : std::vector<std::pair<std::vector<std::string>, bool>>{
           {{"ok", "defect"}, true}, {{"0", "1"}, false}, {{"Normal", "Anomalie"}, true}, {{"true", "false"}, false},
           {{"android", "ios", "web"}, false}, {{"3.1", "3.2"}, false}, {{"rot", "blau"}, false}}) {
    std::string rows = "x,Prüf ergebnis\n";
    for (int i = 0; i < 12; ++i) rows += std::to_string(i) + "," + values[size_t(i) % values.size()] + "\n";
    notes.clear();
    tabular_labels(parse_csv(rows), TabularOptions{}, &notes);
    EXPECT_EQ(notes.size(), said ? 1u : 0u) << values[0];
    if (said) EXPECT_NE(notes.at(0).find("(the role menu on the page, --role 'Prüf ergebnis=ignore' for ca3 train"), std::string::npos);
  }
  // True and false alone, last: a label when the name says what is wrong ("defect"), not a flag of
  // the row ("is_weekend"); a check's result in the middle, with a label's values: said too.
  for (const auto& [name, said] : std::vector<std::pair<std::string, bool>>{{"is_weekend", false}, {"has_coupon", false},
                                                                            {"SeniorCitizen", false}, {"defect", true},
                                                                            {"is_fraud", true}, {"DefectFlag", true}}) {
    std::string rows = "x," + name + "\n";
    for (int i = 0; i < 12; ++i) rows += std::to_string(i) + "," + std::to_string(i % 3 == 0) + "\n";
    notes.clear();
    tabular_labels(parse_csv(rows), TabularOptions{}, &notes);
    EXPECT_EQ(notes.size(), said ? 1u : 0u) << name;
  }
  std::string middle = "x,Prüfergebnis,temp\n";
  for (int i = 0; i < 12; ++i) middle += std::to_string(i) + "," + (i % 4 ? "i.O." : "n.i.O.") + "," + std::to_string(20 + i) + ".5\n";
  notes.clear();
  tabular_labels(parse_csv(middle), TabularOptions{}, &notes);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].substr(0, 55), "column 'Prüfergebnis' (values i.O., n.i.O.) looks like");
  // A label column that marks the anomalies and leaves the rest empty.
  EXPECT_EQ(suggest_label_column(describe_columns(parse_csv("x,is_anomaly,v\n1,,2\n2,yes,3\n3,,4\n"))), "is_anomaly");
}

TEST(Tabular, CategoricalMissingUnseenAndIdentifiers) {
  const CsvTable train = parse_csv(
      "Id,size,colour,label\n"
      "1,1.0,red,ok\n2,NA,blue,ok\n3,3.0,red,ok\n4,5.0,,bad\n5,2.0,red,ok\n");
  TabularOptions options = labelled("label", {"ok"});
  options.scaling = Scaling::standard;
  EXPECT_EQ(tabular_labels(train, options), (std::vector<int>{0, 0, 0, 1, 0}));
  const TabularPreprocessor prep = TabularPreprocessor::fit(train, {0, 1, 2, 3, 4}, options);
  EXPECT_EQ(prep.dropped_columns(), (std::vector<std::string>{"Id"}));
  EXPECT_EQ(prep.feature_names(), (std::vector<std::string>{"size", "colour=blue", "colour=red"}));
  const CsvTable query = parse_csv("colour,size\ngreen,2.5\n,NA\n");  // other column order, no label
  const Tensor x = prep.transform(query);
  // size: training values 1,3,5,2 -> mean 2.75, population sd 1.4790; NA -> median 2.5
  const double sd = std::sqrt((1.75 * 1.75 + 0.25 * 0.25 + 2.25 * 2.25 + 0.75 * 0.75) / 4);
  EXPECT_NEAR(x.at(0), (2.5 - 2.75) / sd, 1e-6);
  EXPECT_EQ(x.at(1), 0.f);  // unseen "green": all zeros
  EXPECT_EQ(x.at(2), 0.f);
  EXPECT_NEAR(x.at(3), (2.5 - 2.75) / sd, 1e-6);
  EXPECT_EQ(x.at(4), 0.f);  // missing: the most frequent category, red
  EXPECT_EQ(x.at(5), 1.f);
  // The description survives a JSON round trip.
  const TabularPreprocessor copy = TabularPreprocessor::from_json(prep.to_json());
  EXPECT_EQ(copy.transform(query).to_vector(), x.to_vector());
  EXPECT_EQ(copy.identifier_columns(), (std::vector<std::string>{"Id"}));
}

// A 0 far below every other value of a column (a measurement not taken, as Pima's insulin) is
// pointed out; zeros among counts (pregnancies 0, 1, 2, ...) are not.
TEST(Tabular, ZerosFarBelowTheOtherValuesAreSaid) {
  std::string text = "insulin,pregnant\n";
  for (int i = 0; i < 40; ++i) text += (i % 4 == 0 ? std::string("0") : std::to_string(14 + 3 * i)) + "," + std::to_string(i % 6) + "\n";
  const std::vector<ColumnSummary> read = describe_columns(parse_csv(text));
  EXPECT_EQ(read[0].reason, "0 in 10 of 40 rows, far below the other values (17 to 131): if 0 means not measured, leave those "
                            "cells empty or write NA");
  EXPECT_EQ(read[1].reason, "");
  const std::vector<int64_t> rows = first_rows(40);
  EXPECT_EQ(TabularPreprocessor::fit(parse_csv(text), rows, TabularOptions{}).schema()[0].reason, read[0].reason);
}

// Identifiers by name, also in camel case ("OrderID", "customerId"); not words that end so.
TEST(Tabular, IdentifierNamesInCamelCase) {
  std::string text = "OrderID,customerId,Patient ID,VALID,Paid,humid\n";
  for (int i = 0; i < 12; ++i)
    text += std::to_string(10248 + (i * 7) % 12) + "," + std::to_string(900 - i * 3) + "," + std::to_string(i * 31 % 17) +
            "," + std::to_string(i % 2) + "," + std::to_string(i * 5 % 7) + "," + std::to_string(40 + i % 5) + "\n";
  std::vector<std::string> roles;
  for (const ColumnSummary& c : describe_columns(parse_csv(text))) roles.push_back(c.role);
  EXPECT_EQ(roles, (std::vector<std::string>{"identifier", "identifier", "identifier", "numeric", "numeric", "numeric"}));
  EXPECT_EQ(describe_columns(parse_csv(text))[0].reason, "named like an identifier (id, *_id, *ID): left out of training");
}

// Named like an identifier, a few values that each recur name a group (a machine, a site):
// categories. Categories so many that the 64 most frequent hold less than half of the rows name
// things (customers, hosts): left out and written beside the scores. IP addresses and network
// ports are codes. The preview says what the fit decides (helper-90's exports).
TEST(Tabular, GroupsAndManyThingsAreToldFromIdentifiers) {
  std::string text = "machine_id,order_id,customer,src_ip,host,dst_port,rpm\n";
  for (int i = 0; i < 600; ++i)
    text += "M" + std::to_string(1 + i % 5) + ",A" + std::to_string(100 + i % 290) + ",C" + std::to_string(100000 + (i * 7919) % 250) +
            ",10.0." + std::to_string(i % 2) + "." + std::to_string(i % 150) + ",192.168.1." + std::to_string(i % 10) + "," +
            (i % 3 == 0 ? "443" : i % 3 == 1 ? "22" : "53") + "," + std::to_string(1500 + (i % 5) * 100 + i % 7) + "\n";
  const CsvTable table = parse_csv(text);
  const TabularPreprocessor prep = TabularPreprocessor::fit(table, first_rows(600), TabularOptions{});
  const std::vector<ColumnSummary> preview = describe_columns(table);
  std::vector<std::string> roles, previewed;
  for (const ColumnDecision& d : prep.schema()) roles.push_back(d.role);
  for (const ColumnSummary& c : preview) previewed.push_back(c.role);
  EXPECT_EQ(roles, (std::vector<std::string>{"categorical", "identifier", "identifier", "identifier", "categorical", "categorical", "numeric"}));
  EXPECT_EQ(previewed, roles);
  EXPECT_EQ(prep.schema()[0].reason, "named like an identifier, but its 5 values ('M1', ...) recur, 120.0 times each on average in 600 "
                                     "training rows: a group or kind the row belongs to (a machine, a site), read as categories; 5 values");
  EXPECT_EQ(prep.schema()[1].reason, "named like an identifier (id, *_id, *ID): left out of training");  // 290 values: each row's
  // Values that recur, but not often enough to be a group (50 stores, 8 rows each): said, with the way to read them so.
  std::string stores = "store_id,sales\n";
  for (int i = 0; i < 400; ++i) stores += "S" + std::to_string(i % 50) + "," + std::to_string(100 + i % 37) + "\n";
  EXPECT_EQ(TabularPreprocessor::fit(parse_csv(stores), first_rows(400), TabularOptions{}).schema()[0].reason,
            "named like an identifier (id, *_id, *ID): left out of training (its 50 values recur 8.0 times each on average in 400 training "
            "rows; read as a group, as categories, from 10: give it the role categorical if it names one)");
  EXPECT_EQ(describe_columns(parse_csv(stores))[0].role, "identifier");
  // Written as one lower-case word: a thing's name before "id"; not "paid" or "valid".
  std::string words = "userid,customerid,guid,paid,humid,acid\n";
  for (int i = 0; i < 30; ++i) words += detail::concat(5000 + i * 7, ",", 900 - i * 3, ",", i * 31 % 97, ",", i * 5 % 7, ",", 40 + i % 5, ",", i % 3, "\n");
  std::vector<std::string> word_roles;
  for (const ColumnSummary& c : describe_columns(parse_csv(words))) word_roles.push_back(c.role);
  EXPECT_EQ(word_roles, (std::vector<std::string>{"identifier", "identifier", "identifier", "numeric", "numeric", "numeric"}));
  EXPECT_EQ(prep.schema()[2].reason, "250 distinct values in 600 training rows, the 64 most frequent in only 192 of them: names of many "
                                     "things (customers, hosts, articles), too many to learn as categories; left out of training "
                                     "and written beside the scores (the role categorical keeps the 64 most frequent, the others as "
                                     "one value)");
  EXPECT_EQ(prep.schema()[3].reason.substr(0, 62), "150 distinct values in 600 training rows, the 64 most frequent");
  EXPECT_EQ(prep.schema()[4].reason, "IP addresses ('192.168.1.0'): codes, not amounts, their '.' no decimal mark; 10 values");
  EXPECT_EQ(prep.schema()[5].reason.substr(0, 49), "whole numbers in a column named like a code (acco");
  EXPECT_EQ(prep.identifier_columns(), (std::vector<std::string>{"order_id", "customer", "src_ip"}));
  // Asked to, the columns are read as categories after all.
  TabularOptions asked;
  asked.roles = {{"customer", ColumnRole::categorical}};
  EXPECT_EQ(TabularPreprocessor::fit(table, first_rows(600), asked).schema()[2].role, "categorical");
}

// A running number (invoice, order, line numbers) is left out like an identifier, said, and
// written beside the scores; numbers that only look ordered, or a column given a role, are not.
TEST(Tabular, RunningNumbersAreIdentifiers) {
  const auto table = [](const std::function<std::string(int)>& cell, const std::string& name = "Belegnr", int rows = 30) {
    std::string text = name + ";Menge\n";
    for (int i = 0; i < rows; ++i) text += cell(i) + ";" + std::to_string(3 + i % 4) + "\n";
    return parse_csv(text);
  };
  const CsvTable invoices = table([](int i) { return i == 7 ? std::string("NA") : std::to_string(5001 + i + (i > 20)); });
  const std::string reason = "whole numbers counting up row by row (5001, 5002, ...): a running number, which says where "
                             "a row is in the file, not what it is; left out of training like an identifier (call it "
                             "numeric to keep it)";
  EXPECT_EQ(describe_columns(invoices)[0].role, "identifier");
  EXPECT_EQ(describe_columns(invoices)[0].reason, reason);
  const std::vector<int64_t> rows = first_rows(30);
  TabularOptions options;
  const TabularPreprocessor prep = TabularPreprocessor::fit(invoices, rows, options);
  EXPECT_EQ(prep.schema()[0].role, "identifier");
  EXPECT_EQ(prep.schema()[0].reason, reason);
  EXPECT_EQ(prep.feature_names(), (std::vector<std::string>{"Menge"}));
  EXPECT_EQ(TabularPreprocessor::from_json(prep.to_json()).identifier_columns(), (std::vector<std::string>{"Belegnr"}));
  EXPECT_EQ(describe_columns(table([](int i) { return std::to_string(900 - i - (i > 3)); }))[0].reason.substr(0, 36),
            "whole numbers counting down row by r");
  // The lines of an invoice repeat its number, in a column named like a document's number.
  const auto line_items = [](int i) { return std::to_string(4001 + i / 3 + (i % 7 == 0)); };  // 4002 4001 4001 4002 ...
  const auto line_items_sorted = [](int i) { return std::to_string(4001 + (i * 2) / 3); };      // 4001 4001 4002 4003 4003
  for (const char* name : {"Belegnr", "Invoice No", "Order #", "Rechnungsnummer", "order_number", "InvoiceNr", "Bestellnummer",
                           "Lieferscheinnr", "PO Number"})
    EXPECT_EQ(describe_columns(table(line_items_sorted, name, 60))[0].reason,
              "whole numbers counting up row by row (4001, 4002, ...; 40 numbers on 60 rows): a running number, which "
              "says where a row is in the file, not what it is; left out of training like an identifier (call it "
              "numeric to keep it)") << name;
  // Not running numbers: a repeat in a column not named so (a file sorted by age), numbers that
  // go back, wide gaps, fractions, too few distinct numbers, a column given a role.
  EXPECT_EQ(describe_columns(table(line_items_sorted, "Alter", 60))[0].role, "numeric");
  EXPECT_EQ(describe_columns(table([](int i) { return std::to_string(21 + i + i / 2); }, "age", 40))[0].role, "numeric");
  for (const char* name : {"Casino", "Number of items", "num_rooms", "# of visits", "No. of defects", "Reynolds number", "NO", "nr"})
    EXPECT_EQ(describe_columns(table(line_items_sorted, name, 60))[0].role, "numeric") << name;
  // Named so, with any gaps (documents numbered across departments, cancelled ones), also a
  // document's word alone ("Beleg"): running numbers; going back, or with fractions: not.
  for (const char* name : {"Belegnr", "Beleg", "Invoice"}) {
    EXPECT_EQ(describe_columns(table([](int i) { return std::to_string(4001 + 5 * (i / 2)); }, name, 60))[0].role, "identifier") << name;
    EXPECT_EQ(describe_columns(table([](int i) { return std::to_string(4900000000LL + 7 * i + i % 3); }, name, 60))[0].role,
              "identifier") << name;
  }
  for (const auto& cell : std::vector<std::function<std::string(int)>>{line_items, [](int i) { return std::to_string(4001 + i / 2) + ".5"; }})
    EXPECT_EQ(describe_columns(table(cell, "Belegnr", 60))[0].role, "numeric") << cell(0) << ", " << cell(1);
  EXPECT_EQ(describe_columns(table([](int i) { return std::to_string(4001 + 5 * i); }, "Betrag", 60))[0].role, "numeric");
  EXPECT_EQ(describe_columns(table(line_items, "Belegnr", 60))[0].role, "numeric");
  EXPECT_EQ(describe_columns(table([](int i) { return std::to_string(100 + i / 4); }, "Belegnr", 60))[0].role, "numeric");
  for (const auto& cell : std::vector<std::function<std::string(int)>>{
           [](int i) { return std::to_string(100 + i - (i == 9)); }, [](int i) { return std::to_string(100 + 5 * i); },
           [](int i) { return std::to_string(100 + i) + ".5"; }})
    EXPECT_EQ(describe_columns(table(cell, "Menge2"))[0].role, "numeric") << cell(0) << ", " << cell(1);
  options.roles["Belegnr"] = ColumnRole::numeric;
  EXPECT_EQ(TabularPreprocessor::fit(invoices, rows, options).feature_names(), (std::vector<std::string>{"Belegnr", "Menge"}));
}

// A number that rises in every row with gaps (a parcel number, a meter reading) is kept as a
// number, but said: a later file lies beyond it. Scoring says a column whose every value lies
// beyond training's, in a file or in a stream's pieces, with what to do.
TEST(Tabular, NumbersThatCountOnAreSaid) {
  const auto table = [](const std::function<std::string(int)>& first, int rows, int from = 0) {
    std::string text = "Paket;Gewicht\n";
    for (int i = from; i < from + rows; ++i) text += first(i) + ";" + std::to_string(700 + (i * 37) % 200) + " g\n";
    return parse_csv(text);
  };
  const auto parcel = [](int i) { return std::to_string(1000 + 7 * i + i % 3); };  // 1000, 1008, 1016, 1021, ...
  const CsvTable train = table(parcel, 60);
  const std::string reason = "rises in every row (1000, 1008, ...): if it counts on (a parcel or serial number, a meter "
                             "reading), a later file's rows lie beyond training and score high for that alone; then give "
                             "it the role ignore";
  EXPECT_EQ(describe_columns(train)[0].role, "numeric");
  EXPECT_EQ(describe_columns(train)[0].reason, reason);
  TabularOptions options;
  const TabularPreprocessor prep = TabularPreprocessor::fit(train, {40, 3, 7, 12, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
                                                                    32, 33, 34, 35, 36, 37, 50}, options);
  EXPECT_EQ(prep.schema()[0].role, "numeric");
  EXPECT_EQ(prep.schema()[0].reason, "rises in every row (1021, 1050, ...): if it counts on (a parcel or serial number, a meter "
                                     "reading), a later file's rows lie beyond training and score high for that alone; then "
                                     "give it the role ignore");
  EXPECT_EQ(prep.columns()[0].monotone, 1);
  EXPECT_EQ(prep.columns()[1].monotone, 0);
  const TabularPreprocessor saved = TabularPreprocessor::from_json(prep.to_json());
  EXPECT_EQ(saved.columns()[0].monotone, 1);
  // Falling ("Restmenge" counting down), in a unit: said so.
  const CsvTable stock = parse_csv([] {
    std::string text = "Rest\n";
    for (int i = 0; i < 25; ++i) text += std::to_string(5000 - 13 * i - i % 2) + " kg\n";
    return text;
  }());
  EXPECT_EQ(describe_columns(stock)[0].reason.substr(describe_columns(stock)[0].reason.find(';') + 2, 40),
            "falls in every row (5000 kg, 4986 kg, ..");
  // A meter reading that stands still now and then: said so.
  EXPECT_EQ(describe_columns(table([&](int i) { return parcel(i - i / 3); }, 60))[0].reason.substr(0, 60),
            "rises through the file, never falling (1000, 1008, ...): if ");
  // Not said: one step back, level more often than rising, fewer than 20 values; a running
  // number is an identifier.
  for (const auto& cell : std::vector<std::function<std::string(int)>>{
           [&](int i) { return i == 30 ? std::string("1100") : parcel(i); }, [&](int i) { return parcel(i / 3); }})
    EXPECT_EQ(describe_columns(table(cell, 60))[0].reason, "") << cell(30);
  EXPECT_EQ(describe_columns(table(parcel, 19))[0].reason, "");
  EXPECT_EQ(describe_columns(table([](int i) { return std::to_string(1000 + i); }, 30))[0].role, "identifier");
  // Scored: a later file, every parcel number above training's; in a stream's two pieces as in one file.
  const CsvTable later = table(parcel, 12, 600);
  const std::string beyond = "every value of a column beyond all of training's, so that each row scores high for it alone: "
                             "'Paket' 12 rows, 5200 to 5279, all above training's 1352; it only rose through the training rows. A "
                             "column that counts on (a parcel or serial number, a meter reading) says when a row was written, "
                             "not what it is: train again with it given the role ignore (the role menu on the page, --role "
                             "Paket=ignore for ca3 train, TableOptions.roles in the SDK)";
  EXPECT_EQ(saved.scoring_notes(later), (std::vector<std::string>{beyond}));
  CellNotes pieces(saved);
  pieces.add(table(parcel, 5, 600));
  pieces.add(table(parcel, 7, 605));
  EXPECT_EQ(pieces.notes(), (std::vector<std::string>{beyond}));
  // Nine rows, or one of them within training: not said.
  EXPECT_TRUE(saved.scoring_notes(table(parcel, 9, 600)).empty());
  EXPECT_TRUE(saved.scoring_notes(table([&](int i) { return parcel(i == 600 ? 30 : i); }, 12, 600)).empty());
  // A column that did not count on, all below training's: said, with what else it may be.
  const std::string text = [] {
    std::string t = "Paket;Gewicht\n";
    for (int i = 0; i < 12; ++i) t += std::to_string(1200 + i) + ";" + std::to_string(20 + i) + " g\n";
    return t;
  }();
  EXPECT_EQ(saved.scoring_notes(parse_csv(text)),
            (std::vector<std::string>{"every value of a column beyond all of training's, so that each row scores high for it "
                                      "alone: 'Gewicht' 12 rows, 20 g to 31 g, all below training's 714 g. If the column is "
                                      "written in another unit or scale than in training, fix the file; if it counts on (a running "
                                      "number, a meter reading), train again with it given the role ignore (the role menu on "
                                      "the page, --role Gewicht=ignore for ca3 train, TableOptions.roles in the SDK); if "
                                      "neither, these rows do lie beyond anything in training"}));
}

// A column of one value in every row is said so, in the preview and by the fit.
TEST(Tabular, ColumnsOfOneValueAreSaid) {
  std::string text = "temp,site,version\n";
  for (int i = 0; i < 30; ++i) text += std::to_string(20 + i % 7) + ",A,3\n";
  const CsvTable table = parse_csv(text);
  const std::vector<ColumnSummary> preview = describe_columns(table);
  EXPECT_EQ(preview[0].reason, "");
  EXPECT_EQ(preview[1].reason, "one value, 'A', in every training row: it tells no row from another, and a row with another "
                               "value there is unlike every training row");
  EXPECT_EQ(preview[2].reason, "one value, 3, in every training row: it tells no row from another, and a row with another "
                               "value there is unlike every training row");
  std::vector<int64_t> rows(30);
  std::iota(rows.begin(), rows.end(), 0);
  const TabularPreprocessor prep = TabularPreprocessor::fit(table, rows, TabularOptions{});
  ASSERT_EQ(prep.schema().size(), 3u);
  EXPECT_EQ(prep.schema()[1].reason, preview[1].reason);
  EXPECT_EQ(prep.schema()[2].reason, preview[2].reason);
  // Scoring: another value there is said by row, however close (3.1 moves the input by 0.1 alone).
  EXPECT_EQ(prep.scoring_notes(parse_csv("temp,site,version\n21,A,3\n22,A,3.1\n23,A,3\n24,A,4\n")),
            (std::vector<std::string>{"values other than the one value their column had in every training row: 'version' 2 rows "
                                      "('3.1', '4'; training always 3). These rows are unlike every training row there, whatever "
                                      "their score: look at them (lines 3, 5)"}));
}

// Values in notes are written as the scored file groups its digits ("2 476,87" beside its
// "9 364,33"), where the model's training file grouped them otherwise ("2.518,26").
TEST(Tabular, NotesWriteNumbersAsTheScoredFileGroupsThem) {
  std::string text = "Betrag;Menge\n";
  for (int i = 0; i < 40; ++i) text += "\"" + std::to_string(2 + i % 3) + "." + std::to_string(100 + i * 7) + ",25\";" + std::to_string(1 + i % 9) + "\n";
  std::vector<int64_t> rows(40);
  std::iota(rows.begin(), rows.end(), 0);
  const TabularPreprocessor prep = TabularPreprocessor::fit(parse_csv(text), rows, TabularOptions{});
  const std::vector<std::string> spaced = prep.scoring_notes(parse_csv("Betrag;Menge\n\"9 364,33\";5\n\"2 500,00\";3\n\"3 100,10\";4\n"));
  ASSERT_EQ(spaced.size(), 1u);
  const size_t at = spaced[0].find("training ");
  ASSERT_NE(at, std::string::npos) << spaced[0];
  const std::string range = spaced[0].substr(at, spaced[0].find(')', at) - at);
  EXPECT_TRUE(range.starts_with("training 2 ") && range.find('.') == std::string::npos && range.find(',') != std::string::npos) << range;
  // The training file's own way, where the scored file groups as it did.
  const std::vector<std::string> dotted = prep.scoring_notes(parse_csv("Betrag;Menge\n\"9.364,33\";5\n\"2.500,00\";3\n\"3.100,10\";4\n"));
  ASSERT_EQ(dotted.size(), 1u);
  EXPECT_NE(dotted[0].find("training 2."), std::string::npos) << dotted[0];
}

// A value beyond the training's range by more than its width (on a log-scaled column's scale) is
// said with its line, whatever the row's score: the model never saw the like. Within that, or a
// column all beyond training (said otherwise), not.
TEST(Tabular, ValuesFarOutsideTrainingAreSaid) {
  std::string text = "x,size\n";
  for (int i = 0; i < 40; ++i) text += std::to_string(10 + i % 11) + "," + std::to_string(i < 39 ? 1 + i % 5 : 3900) + "\n";
  std::vector<int64_t> rows(40);
  std::iota(rows.begin(), rows.end(), 0);
  TabularOptions options;
  options.scaling = Scaling::standard;  // (the tabular preset's)
  const TabularPreprocessor prep = TabularPreprocessor::fit(parse_csv(text), rows, options);
  ASSERT_GT(prep.columns()[1].log_scale, 0);  // sizes: a long tail, read on a log scale
  const std::string note =
      "2 rows hold values far outside the training's range (beyond it by more than its width): 'x' 2 rows (line 3: '45', "
      "line 5: '-1e300'; training 10 to 20). The model never saw the like, so its score cannot say how far out these rows lie: look at "
      "them whatever their score (lines 3, 5)";
  EXPECT_EQ(prep.scoring_notes(parse_csv("x,size\n15,3\n45,2\n29,4\n-1e300,1\n12,3900\n")), (std::vector<std::string>{note}));
  // Beside a column whose every value lies beyond training (said otherwise, 10 rows or more), the
  // rows counted are the far column's alone.
  std::string beyond = "x,size\n";
  for (int i = 0; i < 12; ++i) beyond += std::string(i == 4 ? "99" : "15") + ",5000000\n";
  const std::vector<std::string> both = prep.scoring_notes(parse_csv(beyond));
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].substr(0, 52), "every value of a column beyond all of training's, so");
  EXPECT_EQ(both[1].rfind("1 row holds a value far outside the training's range (beyond it by more than its width): 'x' 1 row "
                          "(line 6: '99'; training 10 to 20).", 0), 0u) << both[1];
  // On the log-scaled column's scale (training 1 to 3900), 20000 is near (5 times its largest), 10^7 far.
  EXPECT_TRUE(prep.scoring_notes(parse_csv("x,size\n15,20000\n29,3\n1,50\n")).empty());
  const std::vector<std::string> sizes = prep.scoring_notes(parse_csv("x,size\n15,10000000\n"));
  ASSERT_EQ(sizes.size(), 1u);
  EXPECT_EQ(sizes[0].substr(0, 122), "1 row holds a value far outside the training's range (beyond it by more than its width): 'size' 1 row "
                                     "(line 2: '10000000';");
}

// The columns describe_columns says are a grouped report's.
std::vector<std::string> grouped_columns_of(const CsvTable& table) {
  std::vector<std::string> said;
  for (const ColumnSummary& c : describe_columns(table))
    if (c.reason.find("a grouped report's column") != std::string::npos) said.push_back(c.name);
  return said;
}

// A grouped report writes a group's value in its first row only ("Nord", then blank cells below):
// those cells take the value above them, in the preview, in training and in scoring (across a
// stream's pieces too), and it is said. A column whose blank cells may mean "none" is left alone.
TEST(Tabular, GroupedReportColumnsAreFilledDown) {
  // Regions of two branches each, five months a branch; sales by branch.
  const auto report = [](int months, int first_month = 0) {
    std::string text = "Region;Filiale;Umsatz\n";
    const char* regions[] = {"Nord", "Süd", "Ost"};
    for (int r = 0; r < 3; ++r)
      for (int f = 0; f < 2; ++f)
        for (int m = 0; m < months; ++m)
          text += detail::concat(f == 0 && m == 0 ? regions[r] : "", ";", m == 0 ? "F" + std::to_string(2 * r + f) : "", ";",
                                 100 * (6 - 2 * r - f) + m * 3 % 5 + first_month, "\n");
    return parse_csv(text);
  };
  const CsvTable table = report(5);
  const std::string region = "a grouped report's column: its value stands in the first row of each group (3 groups) and fills the "
                             "27 blank cells below it, in training and in scoring; if a blank cell there means no value, write NA "
                             "in it";
  const std::vector<ColumnSummary> preview = describe_columns(table);
  EXPECT_EQ(preview[0].role, "categorical");
  EXPECT_EQ(preview[0].reason, region);
  EXPECT_EQ(preview[0].missing, 0);
  EXPECT_EQ(preview[0].values[0], (std::pair<std::string, int64_t>{"Nord", 10}));
  EXPECT_EQ(preview[1].distinct, 6);
  EXPECT_EQ(preview[2].reason, "");
  std::vector<int64_t> rows(table.row_count());
  std::iota(rows.begin(), rows.end(), 0);
  const TabularPreprocessor prep = TabularPreprocessor::fit(table, rows, TabularOptions{});
  EXPECT_EQ(prep.schema()[0].reason, "3 values; " + region);
  EXPECT_EQ(prep.schema()[0].missing, 0);
  EXPECT_NE(prep.schema()[1].reason.find("(6 groups) and fills the 24 blank cells"), std::string::npos) << prep.schema()[1].reason;
  const TabularPreprocessor saved = TabularPreprocessor::from_json(prep.to_json());
  EXPECT_EQ(prep.to_json()["fillDown"], (nlohmann::json{"Region", "Filiale"}));
  nlohmann::json older = prep.to_json();  // a model of 2026-12-03 said it per column
  older.erase("fillDown");
  older["columns"][0]["fillDown"] = older["columns"][1]["fillDown"] = true;
  EXPECT_EQ(TabularPreprocessor::from_json(older).filled_columns(), (std::vector<std::string>{"Region", "Filiale"}));
  for (const TabularPreprocessor* p : {&prep, &saved}) {
    EXPECT_EQ(p->filled_columns(), (std::vector<std::string>{"Region", "Filiale"}));
    // Line 9 (";;501", in branch F1 of Nord) reads as "Nord;F1;501".
    const std::vector<std::string> names = p->feature_names();
    const auto input = [&](const Tensor& x, int64_t row, const std::string& name) {
      return x.data()[row * x.dim(1) + (std::find(names.begin(), names.end(), name) - names.begin())];
    };
    const Tensor x = p->transform(table);
    EXPECT_EQ(table.cell(7, 0), "");
    EXPECT_EQ(input(x, 7, "Region=Nord"), 1.f);
    EXPECT_EQ(input(x, 7, "Filiale=F1"), 1.f);
    EXPECT_EQ(input(x, 7, "Filiale=F0"), 0.f);
    EXPECT_EQ(input(x, 29, "Region=Ost"), 1.f);
    EXPECT_EQ(input(x, 29, "Filiale=F5"), 1.f);
  }
  // Scoring a later report: said; in a stream's pieces, the second piece's first rows take the
  // value last seen in the first.
  const CsvTable later = report(5, 5);
  const std::vector<std::string> said{"blank cells of a grouped report's column given the value above them, as in training (a group's "
                                      "value stands in its first row only): 'Region' 27, 'Filiale' 24"};
  EXPECT_EQ(saved.scoring_notes(later), said);
  std::vector<size_t> head(12), tail(18);
  std::iota(head.begin(), head.end(), 0);
  std::iota(tail.begin(), tail.end(), 12);
  CellNotes pieces(saved);
  const CsvTable first_piece = later.select_rows(head), second_piece = later.select_rows(tail);
  pieces.add(first_piece);
  const CsvTable& second = pieces.add(second_piece);
  EXPECT_EQ(second.cell(0, 0), "Süd");
  EXPECT_EQ(second.cell(0, 1), "F2");
  EXPECT_EQ(second.cell(0, 2), "406");
  EXPECT_EQ(pieces.notes(), said);
  FillCarry above;
  ASSERT_TRUE(saved.filled_down(later.select_rows(head), &above));
  EXPECT_EQ(above.cells, (std::vector<std::string>{"Süd", "F2", "", ""}));
  EXPECT_EQ(above.filled, (std::vector<std::string>{"Region", "Filiale"}));
  EXPECT_FALSE(above.found);
  // A file that starts inside a group: its first rows are missing cells, said.
  std::vector<size_t> inside(26);
  std::iota(inside.begin(), inside.end(), 4);
  EXPECT_EQ(saved.scoring_notes(later.select_rows(inside))[1],
            "the file starts inside a group: its first rows have no value above them in a grouped report's column, so they are "
            "read as missing cells (start the file at a group's first row, or write the group's value there): 'Region' 6 rows "
            "(lines 6 to 11), 'Filiale' 1 row (line 6)");
  // A flat file (every row names its region; three cells left blank) scored with the model: its
  // blank cells are missing, not the value of the row above (another region's).
  const CsvTable flat = parse_csv("Region;Filiale;Umsatz\nNord;F0;500\nSüd;F2;400\n;F1;520\nNord;F1;510\nOst;;300\n");
  EXPECT_EQ(saved.transform(flat).data()[2 * saved.features() + 0], saved.transform(parse_csv("Region;Filiale;Umsatz\n;F1;520\n")).data()[0]);
  const std::vector<std::string> flat_notes = saved.scoring_notes(flat);
  EXPECT_EQ(flat_notes.at(0), "a grouped report's column in training not laid out in groups here, so its blank cells are missing "
                              "cells, not the value above them: 'Region' (line 5: 'Nord', again in its group), 'Filiale' (line "
                              "5: 'F1', again in its group)");
  // The other way round: a model trained on a flat file scoring a grouped report reads the
  // report's blank cells as the group's value (as the report means them, and as a model trained
  // on such a report would), and says so; its own flat file's blank cells stay missing.
  const TabularPreprocessor flat_model =
      TabularPreprocessor::fit(parse_csv("Region;Filiale;Umsatz\nNord;F0;500\nSüd;F2;400\nNord;F1;520\nNord;F1;510\nOst;F2;300\n"),
                               first_rows(5), TabularOptions{});
  EXPECT_FALSE(flat_model.filled_down(flat));
  // ... but not a column whose training cells were blank too: there a blank cell is missing; so
  // too once the model is saved and loaded (as `ca3 score` and the SDK read it).
  const TabularPreprocessor blanks_model = TabularPreprocessor::fit(flat, first_rows(5), TabularOptions{});
  EXPECT_EQ(blanks_model.to_json()["blankCells"], (nlohmann::json{"Region", "Filiale"}));
  EXPECT_FALSE(blanks_model.filled_down(later));
  EXPECT_FALSE(TabularPreprocessor::from_json(blanks_model.to_json()).filled_down(later));
  EXPECT_TRUE(TabularPreprocessor::from_json(flat_model.to_json()).filled_down(later));
  const std::string found_note =
      "laid out as a grouped report (a group's value stands in its first row only, blank cells below it), which the model's "
      "training file was not: the blank cells of its columns given the value above them, as the file means them: 'Region' 27, "
      "'Filiale' 24. If a blank cell there means no value, write NA in it";
  EXPECT_EQ(flat_model.scoring_notes(later).at(0), found_note);  // (then: 'F3' to 'F5' never seen in training)
  const std::optional<CsvTable> written_out = saved.filled_down(later);  // every row's region and branch written
  ASSERT_TRUE(written_out);
  const Tensor read_grouped = flat_model.transform(later), read_written = flat_model.transform(*written_out);
  EXPECT_EQ(read_grouped.to_vector(), read_written.to_vector());
  // ... in a stream's pieces too: the layout found in the first piece fills the second's first rows.
  CellNotes flat_pieces(flat_model);
  flat_pieces.add(first_piece);
  const CsvTable& flat_second = flat_pieces.add(second_piece);
  EXPECT_EQ(flat_second.cell(0, 0), "Süd");
  EXPECT_EQ(flat_second.cell(0, 1), "F2");
  EXPECT_EQ(flat_pieces.notes().at(0), found_note);
  // ... and when the first piece holds one region alone (the layout found then; it had been found
  // in no piece, each one after the first starting inside a group: every region imputed).
  std::vector<size_t> north(8), rest(22);
  std::iota(north.begin(), north.end(), 0);
  std::iota(rest.begin(), rest.end(), 8);
  CellNotes one_region(flat_model);
  std::vector<float> one_region_read = flat_model.transform(one_region.add(later.select_rows(north)), false).to_vector();
  const std::vector<float> rest_read = flat_model.transform(one_region.add(later.select_rows(rest)), false).to_vector();
  one_region_read.insert(one_region_read.end(), rest_read.begin(), rest_read.end());
  EXPECT_EQ(one_region_read, read_grouped.to_vector());
  EXPECT_EQ(one_region.notes().at(0), found_note);
  // ... also with a totals row after each group, its label "Summe" in the region's column.
  const std::vector<std::string> summed_notes = flat_model.scoring_notes(
      parse_csv("Region;Filiale;Umsatz\nNord;F0;500\n;;510\n;F1;480\n;;490\nSumme;;1980\nSüd;F2;400\n;;410\n;F3;420\n;;430\nSumme;;1660\n"));
  ASSERT_GE(summed_notes.size(), 2u);
  EXPECT_EQ(summed_notes[1],
            "laid out as a grouped report (a group's value stands in its first row only, blank cells below it), which the model's "
            "training file was not: the blank cells of its columns given the value above them, as the file means them: 'Region' 6, "
            "'Filiale' 4. If a blank cell there means no value, write NA in it");
  // A new region whose branch cell is blank (a totals row, "Süd Ergebnis;;1490", or a slip): the
  // branch is missing there, not the branch of the region before; what is scored is what the notes
  // count, once filled (transform does not fill a filled table again).
  const CsvTable slip = parse_csv("Region;Filiale;Umsatz\nNord;F0;500\n;;501\n;F1;480\nSüd;;400\n;F2;410\n");
  CellNotes slip_notes(saved);
  const CsvTable& slip_read = slip_notes.add(slip);
  EXPECT_EQ(slip_read.cell(1, 1), "F0");
  EXPECT_EQ(slip_read.cell(3, 1), "");
  EXPECT_EQ(slip_read.cell(4, 0), "Süd");
  EXPECT_EQ(slip_notes.notes().at(0), "blank cells of a grouped report's column given the value above them, as in training (a "
                                      "group's value stands in its first row only): 'Region' 3, 'Filiale' 1");
  const Tensor slip_x = saved.transform(slip), slip_again = saved.transform(slip_read);
  EXPECT_TRUE(std::equal(slip_x.data(), slip_x.data() + slip_x.numel(), slip_again.data()));
  const Tensor alone = saved.transform(parse_csv("Region;Filiale;Umsatz\nSüd;;400\n"));
  EXPECT_TRUE(std::equal(alone.data(), alone.data() + alone.numel(), slip_x.data() + 3 * slip_x.dim(1)));
  // A role given by hand says how the values are read, not where they stand: the column is still
  // filled down; one left out is not, the columns inside it are. Where a blank cell means no
  // value, NA written in it says so.
  TabularOptions asked;
  asked.roles["Region"] = ColumnRole::categorical;
  const TabularPreprocessor as_asked = TabularPreprocessor::fit(table, rows, asked);
  EXPECT_EQ(as_asked.filled_columns(), (std::vector<std::string>{"Region", "Filiale"}));
  EXPECT_EQ(as_asked.schema()[0].missing, 0);
  asked.roles["Region"] = ColumnRole::ignore;
  EXPECT_EQ(TabularPreprocessor::fit(table, rows, asked).filled_columns(), std::vector<std::string>{"Filiale"});
  const CsvTable none_written = parse_csv("Region;Filiale;Umsatz\nNord;F0;500\n;NA;501\n;F1;480\n;NA;470\nSüd;F2;400\n;NA;410\n;F3;300\n;NA;310\n");
  const TabularPreprocessor with_none = TabularPreprocessor::fit(none_written, first_rows(8), TabularOptions{});
  EXPECT_EQ(with_none.filled_columns(), std::vector<std::string>{"Region"});
  EXPECT_EQ(with_none.schema()[1].missing, 4);
  // An NA here and there: that cell alone is missing; the group goes on below it.
  const CsvTable some_none = parse_csv("Region;Filiale;Umsatz\nNord;F0;500\n;NA;501\n;;502\n;F1;480\n;;470\nSüd;F2;400\nNA;;410\n;F3;300\n;;310\n");
  const TabularPreprocessor with_some = TabularPreprocessor::fit(some_none, first_rows(9), TabularOptions{});
  EXPECT_EQ(with_some.filled_columns(), (std::vector<std::string>{"Region", "Filiale"}));
  const std::optional<CsvTable> read_some = with_some.filled_down(some_none);
  ASSERT_TRUE(read_some);
  EXPECT_EQ(read_some->row(1), (std::vector<std::string>{"Nord", "NA", "501"}));
  EXPECT_EQ(read_some->row(2), (std::vector<std::string>{"Nord", "F0", "502"}));
  EXPECT_EQ(read_some->row(6), (std::vector<std::string>{"NA", "F2", "410"}));
  EXPECT_EQ(read_some->row(7), (std::vector<std::string>{"Süd", "F3", "300"}));
  EXPECT_EQ(with_some.schema()[0].missing, 1);
  EXPECT_EQ(with_some.schema()[1].missing, 1);
  // A row number before the groups is passed over; a report of one region is one too.
  const auto grouped = [](const std::string& text) {
    std::vector<std::string> said;
    for (const ColumnSummary& c : describe_columns(parse_csv(text)))
      if (c.reason.find("a grouped report's column") != std::string::npos) said.push_back(c.name);
    return said;
  };
  std::string numbered = "Lfd. Nr.;Region;Filiale;x\n";
  for (int i = 0; i < 24; ++i)
    numbered += detail::concat(i + 1, ";", i % 12 ? "" : i ? "Süd" : "Nord", ";", i % 4 ? "" : "F" + std::to_string(i), ";", i % 7, "\n");
  EXPECT_EQ(grouped(numbered), (std::vector<std::string>{"Region", "Filiale"}));
  EXPECT_EQ(grouped("Region;Filiale;x\nNord;F1;5\n;;6\n;F2;7\n;;8\n;F3;9\n;;3\n"), (std::vector<std::string>{"Region", "Filiale"}));
  EXPECT_EQ(grouped("Haken;x\nx;5\n;6\n;7\n;8\n;9\n;3\n"), std::vector<std::string>{});
  // Not groups: a value repeated below its group's first row ("Nord", "", "Nord", even with
  // another between); fewer blank cells than values; a first row without a value; measurements
  // with a fractional part (a sensor with dropouts); sentences (remarks); a sparse column after a
  // full one (an error code where a blank is "no error").
  for (const std::string& text :
       {"Region;x\nNord;1\n;2\n;3\nNord;4\n;5\n;6\nSüd;7\n;8\n", "Region;x\nNord;1\n;2\nSüd;3\n;4\nNord;5\n;6\n;7\n",
        "Region;x\nNord;1\n;2\nOst;3\nWest;4\n;5\nSüd;7\nMitte;8\n", "Region;x\n;1\nNord;2\n;3\n;4\nSüd;7\n;8\n",
        "Aussen;x\n12.5;1\n;2\n;3\n13.25;4\n;5\n;6\n11.75;7\n;8\n",
        "Bemerkung;x\nFilter am Montag neu gesetzt und geprüft;1\n;2\n;3\nKeine Auffälligkeiten in der ganzen Schicht;4\n;5\n;6\n",
        "Bemerkung;x\nFilter neu;1\n;2\n;3\nKontrolle ok;4\n;5\n;6\nSensor getauscht;7\n;8\n",
        "Comments,x\nrecalibrated,1\n,2\n,3\nnew filter,4\n,5\n,6\nok,7\n,8\n"})
    EXPECT_EQ(grouped(text), std::vector<std::string>{}) << text;
  const std::vector<ColumnSummary> sparse =
      describe_columns(parse_csv("Temp;Fehler\n20;E1\n21;\n22;\n23;E7\n24;\n25;\n26;E2\n27;\n"));
  EXPECT_EQ(sparse[1].missing, 5);
  EXPECT_EQ(sparse[1].reason.find("grouped"), std::string::npos);
}

// A grouped report's year, order number or date written in its group's first row only is filled
// down too: it is not a column the model reads, but it says which row a score is of, so scoring
// writes it beside each row, not on the group's first row alone. Named as the identifier, too.
// A report that writes the region again in each branch's first row ("Nord;Kiel", ";;",
// "Nord;Hamburg", ";;", "Süd;München"): both columns filled down, in training and scoring (the
// region had been read as flat with blank cells: the file not grouped at all, 28 region and 21
// branch cells imputed). A flat file whose region is sometimes blank, its branch in every row,
// is not a grouped report.
TEST(Tabular, GroupValueWrittenAgainAtInnerGroupsIsFilledDown) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> regions{
      {"Nord", {"Kiel", "Hamburg"}}, {"Süd", {"München", "Ulm", "Passau"}}, {"Ost", {"Leipzig", "Dresden"}}};
  const auto report = [&](int first) {
    std::string text = "Region;Filiale;Monat;Umsatz\n";
    int k = 0;
    for (const auto& [region, branches] : regions)
      for (const std::string& branch : branches) {
        for (int m = 1; m <= 4; ++m)
          text += detail::concat(m == 1 ? region : "", ";", m == 1 ? branch : "", ";", m, ";", 100 + 7 * k + m + first, "\n");
        ++k;
      }
    return parse_csv(text);
  };
  const CsvTable table = report(0);
  const TabularPreprocessor prep = TabularPreprocessor::fit(table, first_rows(table.row_count()), TabularOptions{});
  EXPECT_EQ(prep.filled_columns(), (std::vector<std::string>{"Region", "Filiale"}));
  EXPECT_NE(prep.schema()[0].reason.find("(7 groups) and fills the 21 blank cells"), std::string::npos) << prep.schema()[0].reason;
  EXPECT_EQ(describe_columns(table)[0].missing, 0);
  const std::vector<std::string> names = prep.feature_names();
  const auto input = [&](const Tensor& x, int64_t row, const std::string& name) {
    return x.data()[row * x.dim(1) + (std::find(names.begin(), names.end(), name) - names.begin())];
  };
  const CsvTable later = report(3);
  const Tensor x = prep.transform(later);
  EXPECT_EQ(input(x, 5, "Region=Nord"), 1.f);  // Hamburg's second month
  EXPECT_EQ(input(x, 5, "Filiale=Hamburg"), 1.f);
  EXPECT_EQ(input(x, 11, "Region=Süd"), 1.f);  // München's fourth
  EXPECT_EQ(input(x, 11, "Filiale=München"), 1.f);
  EXPECT_EQ(prep.scoring_notes(later).at(0), "blank cells of a grouped report's column given the value above them, as in training "
                                             "(a group's value stands in its first row only): 'Region' 21, 'Filiale' 21");
  const CsvTable flat = parse_csv("Region;Filiale;Umsatz\nNord;Kiel;100\n;Kiel;101\nNord;Hamburg;102\nNord;Hamburg;99\nSüd;Ulm;80\n"
                                  ";Ulm;81\nSüd;Passau;70\n");
  EXPECT_TRUE(TabularPreprocessor::fit(flat, first_rows(7), TabularOptions{}).filled_columns().empty());
  // The model scoring a flat file (the region in every row, a branch per row, two region cells
  // left blank): the region written again is no group's, its blank cells are missing (they had
  // taken the region above them, another's at line 6), and it is said.
  const CsvTable flat_later = parse_csv("Region;Filiale;Monat;Umsatz\nNord;Kiel;1;101\nNord;Hamburg;1;115\nSüd;München;1;121\n"
                                        ";Ulm;1;128\nSüd;Passau;1;135\n;Leipzig;1;142\nOst;Dresden;1;149\n");
  const TabularPreprocessor saved = TabularPreprocessor::from_json(prep.to_json());
  EXPECT_EQ(saved.transform(flat_later).to_vector(), saved.transform(parse_csv(
                                    "Region;Filiale;Monat;Umsatz\nNord;Kiel;1;101\nNord;Hamburg;1;115\nSüd;München;1;121\n"
                                    "NA;Ulm;1;128\nSüd;Passau;1;135\nNA;Leipzig;1;142\nOst;Dresden;1;149\n")).to_vector());
  EXPECT_EQ(saved.scoring_notes(flat_later).at(0), "a grouped report's column in training not laid out in groups here, so its blank "
                                                   "cells are missing cells, not the value above them: 'Region' (line 3: 'Nord', "
                                                   "again in its group)");
}

TEST(Tabular, GroupedDatesAndIdentifiersAreFilledDown) {
  const auto report = [](std::vector<int> years, int months, bool year_in_every_row = false) {
    std::string text = "Jahr;Region;Filiale;Monat;Umsatz\n";
    const char* regions[] = {"Nord", "Süd"};
    for (const int y : years)
      for (int r = 0; r < 2; ++r)
        for (int f = 0; f < 2; ++f)
          for (int m = 1; m <= months; ++m)
            text += detail::concat(year_in_every_row || (r == 0 && f == 0 && m == 1) ? std::to_string(y) : "", ";", f == 0 && m == 1 ? regions[r] : "", ";",
                                   m == 1 ? "F" + std::to_string(2 * r + f) : "", ";", m, ";", 100 * (4 - 2 * r - f) + m * 7 % 5, "\n");
    return parse_csv(text);
  };
  const CsvTable table = report({2021, 2022, 2023}, 6);
  const std::vector<int64_t> rows = first_rows(table.row_count());
  const TabularPreprocessor prep = TabularPreprocessor::fit(table, rows, TabularOptions{});
  EXPECT_EQ(prep.filled_columns(), (std::vector<std::string>{"Jahr", "Region", "Filiale"}));
  EXPECT_EQ(prep.date_columns(), std::vector<std::string>{"Jahr"});
  EXPECT_EQ(prep.schema()[0].role, "dates");
  EXPECT_NE(prep.schema()[0].reason.find("; a grouped report's column: its value stands in the first row of each group (3 groups) and "
                                         "fills the 69 blank cells below it, also beside the scores"),
            std::string::npos)
      << prep.schema()[0].reason;
  EXPECT_EQ(describe_columns(table)[0].reason, prep.schema()[0].reason);
  // A later year's report (one year: one group), scored in two pieces: every row has its year.
  const TabularPreprocessor saved = TabularPreprocessor::from_json(prep.to_json());
  const CsvTable later = report({2024}, 6);
  std::vector<size_t> head(5), tail(later.row_count() - 5);
  std::iota(head.begin(), head.end(), 0);
  std::iota(tail.begin(), tail.end(), 5);
  CellNotes pieces(saved);
  const CsvTable first = pieces.add(later.select_rows(head));
  const CsvTable second = pieces.add(later.select_rows(tail));
  EXPECT_EQ(first.cell(4, 0), "2024");
  for (size_t r = 0; r < second.row_count(); ++r) EXPECT_EQ(second.cell(r, 0), "2024") << r;
  EXPECT_EQ(second.cell(8, 1), "Süd");
  EXPECT_EQ(pieces.notes().at(0), "blank cells of a grouped report's column given the value above them, as in training (a group's "
                                  "value stands in its first row only): 'Jahr' 23, 'Region' 22, 'Filiale' 20");
  // Scores are the same as with the year written in every row.
  const CsvTable written = report({2024}, 6, true);
  const Tensor a = saved.transform(later), b = saved.transform(written);
  EXPECT_TRUE(std::equal(a.data(), a.data() + a.numel(), b.data()));
  // An order number on an order's first line only, named like an identifier or named by the user.
  std::string orders = "Auftrag;Artikel;Menge\n";
  for (int o = 0; o < 10; ++o)
    for (int i = 0; i < 3; ++i) orders += detail::concat(i == 0 ? std::to_string(4711 + o) : "", ";", "A", i, ";", 1 + (o + i) % 4, "\n");
  TabularOptions named;
  named.id_columns = {"Auftrag"};
  const CsvTable order_table = parse_csv(orders);
  const TabularPreprocessor by_name = TabularPreprocessor::fit(order_table, first_rows(30), named);
  EXPECT_EQ(by_name.filled_columns(), std::vector<std::string>{"Auftrag"});
  const std::optional<CsvTable> filled = by_name.filled_down(order_table);
  ASSERT_TRUE(filled);
  EXPECT_EQ(filled->cell(29, 0), "4720");
  EXPECT_EQ(filled->cell(28, 0), "4720");
  EXPECT_EQ(filled->cell(26, 0), "4719");
  // An order number named "Auftrag" alone, counting up order by order: an identifier.
  std::string many_orders = "Auftrag;Artikel;Menge\n";
  for (int o = 0; o < 25; ++o)
    for (int i = 0; i < 3; ++i) many_orders += detail::concat(i == 0 ? std::to_string(40001 + o) : "", ";A", i, ";", 1 + (o + i) % 4, "\n");
  const TabularPreprocessor by_orders = TabularPreprocessor::fit(parse_csv(many_orders), first_rows(75), TabularOptions{});
  EXPECT_EQ(by_orders.schema()[0].role, "identifier");
  EXPECT_EQ(by_orders.filled_columns(), std::vector<std::string>{"Auftrag"});
  EXPECT_EQ(by_orders.identifier_columns(), std::vector<std::string>{"Auftrag"});
  // The year read as a number or a category, as its reason offers: filled down all the same.
  TabularOptions as_asked;
  as_asked.roles["Jahr"] = ColumnRole::numeric;
  const TabularPreprocessor years = TabularPreprocessor::fit(table, rows, as_asked);
  EXPECT_EQ(years.filled_columns(), (std::vector<std::string>{"Jahr", "Region", "Filiale"}));
  EXPECT_EQ(years.schema()[0].role, "numeric");
  EXPECT_EQ(years.schema()[0].missing, 0);
  EXPECT_EQ(years.columns()[0].quantiles.front(), 2021);
  EXPECT_EQ(years.columns()[0].quantiles.back(), 2023);
}

// Other report writers' layouts of the same kind: the outer level written in every row, in runs
// ("2024-01" on each of its rows, the region in its first row only), and a group's heading line
// ("Nord;;;;" above the group's rows, the branch in their first row). Both are filled as the
// plain layout is; a sorted flat file (a column in runs, nothing grouped inside it) is not.
TEST(Tabular, GroupedReportsOfOtherLayoutsAreFilledDown) {
  const char* regions[] = {"Nord", "Süd"};
  std::string by_month = "Monat;Region;Filiale;Umsatz\n", flat = by_month;
  for (int m = 1; m <= 6; ++m)
    for (int r = 0; r < 2; ++r)
      for (int f = 0; f < 3; ++f) {
        const std::string tail = detail::concat(";F", 3 * r + f, ";", 100 * (3 * r + f + 1) + m * 7 % 5, "\n");
        by_month += detail::concat("2024-0", m, ";", f == 0 ? regions[r] : "", tail);
        flat += detail::concat("2024-0", m, ";", regions[r], tail);
      }
  const CsvTable months = parse_csv(by_month), written = parse_csv(flat);
  const TabularPreprocessor prep = TabularPreprocessor::fit(months, first_rows(36), TabularOptions{});
  EXPECT_EQ(prep.filled_columns(), std::vector<std::string>{"Region"});
  EXPECT_EQ(prep.to_json()["groupColumns"], (nlohmann::json{"Monat", "Region"}));
  EXPECT_NE(prep.schema()[1].reason.find("(12 groups) and fills the 24 blank cells"), std::string::npos) << prep.schema()[1].reason;
  const Tensor a = prep.transform(months), b = prep.transform(written);
  EXPECT_TRUE(std::equal(a.data(), a.data() + a.numel(), b.data()));
  EXPECT_TRUE(prep.scoring_notes(written).empty());  // nothing to fill, nothing missing
  // A region's blank cell where a month starts is no region (a slip, a totals row): missing.
  const CsvTable slip = parse_csv("Monat;Region;Filiale;Umsatz\n2024-07;Nord;F0;101\n2024-07;;F1;201\n2024-08;;F2;301\n2024-08;;F3;401\n");
  const std::optional<CsvTable> read = prep.filled_down(slip);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->cell(1, 1), "Nord");
  EXPECT_EQ(read->cell(2, 1), "");
  EXPECT_TRUE(grouped_columns_of(written).empty());
  // In a stream's pieces cut inside a month, the region goes on from the piece before; a last
  // piece of one row is read so too.
  for (const size_t cut : {size_t(1), size_t(4), size_t(35)}) {
    std::vector<size_t> head(cut), tail(36 - cut);
    std::iota(head.begin(), head.end(), 0);
    std::iota(tail.begin(), tail.end(), cut);
    CellNotes pieces(prep);
    const CsvTable first = pieces.add(months.select_rows(head));
    const CsvTable second = pieces.add(months.select_rows(tail));
    const std::optional<CsvTable> whole = prep.filled_down(months);
    ASSERT_TRUE(whole);
    for (size_t r = 0; r < 36; ++r) EXPECT_EQ((r < cut ? first.cell(r, 1) : second.cell(r - cut, 1)), whole->cell(r, 1)) << cut << " " << r;
  }
  // Heading lines.
  std::string headed = "Region;Filiale;Monat;Umsatz\n";
  for (int r = 0; r < 2; ++r) {
    headed += detail::concat(regions[r], ";;;\n");
    for (int f = 0; f < 3; ++f)
      for (int m = 1; m <= 4; ++m) headed += detail::concat(";", m == 1 ? "F" + std::to_string(3 * r + f) : "", ";", m, ";", 100 * (f + 1) + m, "\n");
  }
  const CsvTable heads = parse_csv(headed);
  const TabularPreprocessor by_heading = TabularPreprocessor::fit(heads, first_rows(26), TabularOptions{});
  EXPECT_EQ(by_heading.filled_columns(), (std::vector<std::string>{"Region", "Filiale"}));
  EXPECT_NE(by_heading.schema()[1].reason.find("(6 groups) and fills the 18 blank cells"), std::string::npos) << by_heading.schema()[1].reason;
  const std::optional<CsvTable> filled = by_heading.filled_down(heads);
  ASSERT_TRUE(filled);
  EXPECT_EQ(filled->cell(0, 1), "");  // the heading line itself
  EXPECT_EQ(filled->cell(4, 1), "F0");
  EXPECT_EQ(filled->cell(14, 0), "Süd");
  EXPECT_EQ(filled->cell(14, 1), "F3");
  const std::vector<std::string> heading_notes = by_heading.scoring_notes(heads);
  EXPECT_EQ(heading_notes.at(0), "lines 2 ('Nord'), 15 ('Süd') are groups' heading lines (values in the first columns only, above the "
                                 "group's rows): not scored (no score, no flag)");
  EXPECT_EQ(rows_not_scored(heads).rows, (std::vector<size_t>{0, 13}));
  // A model trained on the flat file (every row's region and branch written) reads the headed
  // report as training reads one: the heading line's region given to the rows below it (it had
  // found nothing where the lines were left out, said the regions imputed, and scored them
  // filled), in a stream's pieces as in the whole file, also when the first piece holds one
  // region alone (it had never been filled; a piece of one heading line reads it as a row).
  const std::optional<CsvTable> headed_written = by_heading.filled_down(*merge_heading_lines(heads, "", nullptr));
  ASSERT_TRUE(headed_written);
  const TabularPreprocessor flat_model = TabularPreprocessor::fit(*headed_written, first_rows(24), TabularOptions{});
  ASSERT_TRUE(flat_model.filled_columns().empty());
  const std::vector<std::string> flat_heading_notes = flat_model.scoring_notes(heads);
  ASSERT_EQ(flat_heading_notes.size(), 2u) << flat_heading_notes.back();
  EXPECT_NE(flat_heading_notes[1].find("given the value above them, as the file means them: 'Region' 24, 'Filiale' 18."),
            std::string::npos) << flat_heading_notes[1];
  const std::vector<float> whole_read = flat_model.transform(heads).to_vector();
  EXPECT_EQ(whole_read, flat_model.transform(*by_heading.filled_down(heads)).to_vector());
  for (const size_t cut : {size_t(16), size_t(20)}) {
    std::vector<size_t> head(cut), tail(26 - cut);
    std::iota(head.begin(), head.end(), 0);
    std::iota(tail.begin(), tail.end(), cut);
    CellNotes pieces(flat_model);
    std::vector<float> read = flat_model.transform(pieces.add(heads.select_rows(head)), false).to_vector();
    const std::vector<float> second_read = flat_model.transform(pieces.add(heads.select_rows(tail)), false).to_vector();
    read.insert(read.end(), second_read.begin(), second_read.end());
    EXPECT_EQ(read, whole_read) << cut;
    EXPECT_EQ(pieces.notes(), std::vector<std::string>{flat_heading_notes[1]}) << cut;  // (the heading lines: scoring_notes')
  }
  // A totals row after each group, its label the same in every group ("Summe" in the region's
  // column): not a region written again (a flat file's layout), so the groups are still filled;
  // the totals rows and heading lines are not scored.
  std::string summed = "Region;Filiale;Monat;Umsatz\n";
  for (int r = 0; r < 2; ++r) {
    summed += detail::concat(regions[r], ";;;\n");
    int sum = 0;
    for (int f = 0; f < 3; ++f)
      for (int m = 1; m <= 4; ++m) {
        summed += detail::concat(";", m == 1 ? "F" + std::to_string(3 * r + f) : "", ";", m, ";", 100 * (f + 1) + m, "\n");
        sum += 100 * (f + 1) + m;
      }
    summed += detail::concat("Summe;;;", sum, "\n");
  }
  const CsvTable sums = parse_csv(summed);
  EXPECT_EQ(rows_not_scored(sums).rows, (std::vector<size_t>{0, 13, 14, 27}));
  // A stream's batches: the second's totals row sums rows of the first batch too, found so.
  RowsNotScoredStream batches;
  std::vector<size_t> first(20), second(8);
  std::iota(first.begin(), first.end(), 0);
  std::iota(second.begin(), second.end(), 20);
  EXPECT_EQ(batches.add(sums.select_rows(first)).rows, (std::vector<size_t>{0, 13, 14}));
  EXPECT_EQ(rows_not_scored(sums.select_rows(second)).rows, (std::vector<size_t>{}));  // alone, its sum is not theirs
  EXPECT_EQ(batches.add(sums.select_rows(second)).rows, (std::vector<size_t>{7}));
  EXPECT_EQ(batches.rows_after_first(), 1);
  // A region's total over its branches' rows and totals, the piece before holding its first
  // branch's total: found (it had been scored, the rows before that total forgotten).
  std::string nested = "Region;Filiale;Monat;Umsatz\n";
  for (int r = 0; r < 2; ++r) {
    int region_sum = 0;
    for (int f = 0; f < 2; ++f) {
      int sum = 0;
      for (int m = 1; m <= 4; ++m) {
        nested += detail::concat(f == 0 && m == 1 ? regions[r] : "", ";", m == 1 ? "F" + std::to_string(2 * r + f) : "", ";", m, ";",
                                 100 * (f + 1) + 10 * r + m, "\n");
        sum += 100 * (f + 1) + 10 * r + m;
      }
      nested += detail::concat(";Summe;;", sum, "\n");
      region_sum += sum;
    }
    nested += detail::concat("Summe ", regions[r], ";;;", region_sum, "\n");
  }
  // A branch of one row, its total that row's numbers: a totals row too (it had been read as data,
  // and with it the region's next total no sum: both scored, the branch column not filled).
  const CsvTable single = parse_csv("Region;Filiale;Monat;Umsatz;Kosten\nNord;F0;1;100;60\n;;2;110;70\n;Summe;;210;130\n"
                                    ";F1;1;173,5;132,4\n;Summe;;173,5;132,4\n;F2;1;90;50\n;;2;95;55\n;Summe;;185;105\n");
  EXPECT_EQ(rows_not_scored(single).rows, (std::vector<size_t>{2, 4, 7}));
  EXPECT_TRUE(rows_not_scored(parse_csv("Region;Filiale;Monat;Umsatz;Kosten\nNord;F0;1;100;60\n;;2;110;70\n;Summe;;110;70\n")).rows.empty());
  // ... but a row named so whose numbers are not all the row above's is data ("Total" a kind of loss).
  EXPECT_TRUE(rows_not_scored(parse_csv("Schaden;Anzahl;Betrag\nTeil;1;1200\nTotal;1;8000\nTeil;2;300\nTotal;1;500\n")).rows.empty());
  // A long report streamed in pieces of 4096 rows: every branch's and region's total found as in
  // the whole file (from the fourth piece on, the rows kept had begun inside a group, and no total
  // after it summed).
  std::string long_report = "Region;Filiale;Monat;Umsatz\n";
  for (int r = 0, line = 0; r < 8; ++r) {
    int region_sum = 0;
    for (int f = 0; f < 12; ++f) {
      int sum = 0;
      for (int m = 0; m < 170; ++m, ++line) {
        const int sales = 100 + (line * 37) % 91;
        long_report += detail::concat(f == 0 && m == 0 ? "R" + std::to_string(r) : "", ";", m == 0 ? "F" + std::to_string(12 * r + f) : "", ";",
                                      m + 1, ";", sales, "\n");
        sum += sales;
      }
      long_report += detail::concat(";Summe;;", sum, "\n");
      region_sum += sum;
    }
    long_report += detail::concat("Summe R", r, ";;;", region_sum, "\n");
  }
  const CsvTable long_table = parse_csv(long_report);
  const std::vector<size_t> long_whole = rows_not_scored(long_table).rows;
  EXPECT_EQ(long_whole.size(), 8u * 13u);
  RowsNotScoredStream long_batches;
  std::vector<size_t> long_found;
  for (size_t start = 0; start < long_table.row_count(); start += 4096) {
    std::vector<size_t> piece(std::min<size_t>(4096, long_table.row_count() - start));
    std::iota(piece.begin(), piece.end(), start);
    for (const size_t r : long_batches.add(long_table.select_rows(piece)).rows) long_found.push_back(start + r);
  }
  EXPECT_EQ(long_found, long_whole);
  const CsvTable nest = parse_csv(nested);
  EXPECT_EQ(rows_not_scored(nest).rows, (std::vector<size_t>{4, 9, 10, 15, 20, 21}));
  RowsNotScoredStream nest_batches;
  std::vector<size_t> nest_first(7), nest_second(15);
  std::iota(nest_first.begin(), nest_first.end(), 0);
  std::iota(nest_second.begin(), nest_second.end(), 7);
  EXPECT_EQ(nest_batches.add(nest.select_rows(nest_first)).rows, (std::vector<size_t>{4}));
  EXPECT_EQ(nest_batches.add(nest.select_rows(nest_second)).rows, (std::vector<size_t>{2, 3, 8, 13, 14}));
  const std::optional<CsvTable> summed_filled = by_heading.filled_down(sums);
  ASSERT_TRUE(summed_filled);
  EXPECT_EQ(summed_filled->cell(26, 0), "Süd");
  EXPECT_EQ(summed_filled->cell(26, 1), "F5");
  const std::vector<std::string> summed_notes = by_heading.scoring_notes(sums);
  ASSERT_EQ(summed_notes.size(), 3u) << summed_notes.back();
  EXPECT_NE(summed_notes[1].find("lines 15 ('Summe', a sum in 'Umsatz'), 29 ('Summe', a sum in 'Umsatz') are totals rows"), std::string::npos)
      << summed_notes[1];
  EXPECT_EQ(summed_notes[2].substr(0, 58), "blank cells of a grouped report's column given the value a");
  EXPECT_EQ(heading_notes.at(1), "blank cells of a grouped report's column given the value above them, as in training (a group's "
                                 "value stands in its first row only): 'Region' 24, 'Filiale' 18");
  // Training (and the preview) take the heading lines out, their values given to the group's first row.
  std::string said;
  const std::optional<CsvTable> merged = merge_heading_lines(heads, "the lines left out of training", &said);
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->row_count(), 24u);
  EXPECT_EQ(merged->row(0), (std::vector<std::string>{"Nord", "F0", "1", "101"}));
  EXPECT_EQ(merged->row_line(0), 3);
  EXPECT_EQ(merged->row(12), (std::vector<std::string>{"Süd", "F3", "1", "101"}));
  EXPECT_EQ(describe_columns(heads)[3].missing, 0);
  EXPECT_NE(describe_columns(heads)[1].reason.find("(6 groups) and fills the 18 blank cells"), std::string::npos);
  // Stacked heading lines ("Nord;;;" over ";F0;;") give both; a flat file has none.
  const std::optional<CsvTable> stacked = merge_heading_lines(parse_csv("Region;Filiale;Monat;Umsatz\nNord;;;\n;F0;;\n;;1;100\n;;2;110\n"), "", nullptr);
  ASSERT_TRUE(stacked);
  EXPECT_EQ(stacked->row(0), (std::vector<std::string>{"Nord", "F0", "1", "100"}));
  EXPECT_FALSE(merge_heading_lines(written, "", nullptr));
  EXPECT_FALSE(merge_heading_lines(parse_csv("Zeit;Temp;Druck;Fluss\n10:00;;;\n10:01;20,5;1013;3\nGesamt;;;\n;20;1000;3\n"), "", nullptr));
  // A flat file with a fifth of its cells blank: a row with values in its first columns only, over
  // one blank there, is no heading line where the rest of the file writes those columns (three
  // such rows had gone unscored as headings, one of them a planted anomaly).
  std::string sparse = "Region;Filiale;Monat;Umsatz;Kosten;Personal\n";
  for (int i = 0; i < 60; ++i) {
    const bool head_like = i % 20 == 5, under = i % 20 == 6;
    sparse += detail::concat(under || i % 5 == 3 ? "" : regions[i % 2], ";", under || i % 7 == 2 ? "" : "F" + std::to_string(i % 6), ";",
                             head_like ? "" : "2024-" + std::to_string(1 + i % 12), ";", head_like || i % 4 == 1 ? "" : std::to_string(100 + i),
                             ";", head_like ? "" : std::to_string(60 + i % 9), ";", head_like || i % 3 == 0 ? "" : "7", "\n");
  }
  const CsvTable sparse_table = parse_csv(sparse);
  ASSERT_EQ(sparse_table.row(5), (std::vector<std::string>{"Süd", "F5", "", "", "", ""}));
  ASSERT_EQ(sparse_table.row(6)[0] + sparse_table.row(6)[1], "");
  EXPECT_FALSE(merge_heading_lines(sparse_table, "", nullptr));
  EXPECT_TRUE(rows_not_scored(sparse_table).rows.empty());
  // A report of one group, opening with its heading line (or a stream's first piece of one): read so.
  const std::optional<CsvTable> one = merge_heading_lines(parse_csv("Region;Filiale;Monat;Umsatz\nNord;;;\n;F0;1;100\n;;2;110\n;F1;1;200\n;;2;210\n"), "", nullptr);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->row(0), (std::vector<std::string>{"Nord", "F0", "1", "100"}));
  EXPECT_EQ(one->row_count(), 4u);
  // A row number in every row, the heading lines' too (an index written by the report's maker).
  std::string numbered_text = "Nr;Region;Filiale;Monat;Umsatz\n";
  for (int r = 0, nr = 1; r < 2; ++r) {
    numbered_text += detail::concat(nr++, ";", regions[r], ";;;\n");
    for (int m = 1; m <= 12; ++m) numbered_text += detail::concat(nr++, ";;", m == 1 ? "F" + std::to_string(r) : "", ";", m, ";", 100 * (r + 1) + m, "\n");
  }
  const CsvTable numbered = parse_csv(numbered_text);
  EXPECT_EQ(rows_not_scored(numbered).rows, (std::vector<size_t>{0, 13}));
  const std::optional<CsvTable> numbered_merged = merge_heading_lines(numbered, "", nullptr);
  ASSERT_TRUE(numbered_merged);
  EXPECT_EQ(numbered_merged->row(12), (std::vector<std::string>{"15", "Süd", "F1", "1", "201"}));
}

// Values in notes and explanations are written as the file writes its numbers: its decimal mark
// and thousands separator, amounts in whole units (a German file's median had been "155109", and
// "1,55109e+06" past a million).
TEST(Tabular, ValuesInNotesAreWrittenAsTheFileWritesThem) {
  const ColumnTransform plain;
  EXPECT_EQ(value_text(plain, 155109.4, {',', '.'}), "155.109");
  EXPECT_EQ(value_text(plain, 1234.5, {',', '.'}), "1.234,5");
  EXPECT_EQ(value_text(plain, -1234567.8, {'.', ','}), "-1,234,568");
  EXPECT_EQ(value_text(plain, 2.5e6, {}), "2500000");
  EXPECT_EQ(value_text(plain, 12.25, {','}), "12,25");
  EXPECT_EQ(value_text(plain, 0.000012, {}), "1.2e-05");
  ColumnTransform dollars;  // a currency before the number: the sign before it
  dollars.prefix = "$";
  EXPECT_EQ(value_text(dollars, -1234.5, {'.', ','}), "-$1,234.5");
  EXPECT_EQ(value_text(dollars, 1234.5, {'.', ','}), "$1,234.5");
  ColumnTransform euros;
  euros.suffix = "€";
  EXPECT_EQ(value_text(euros, -1234.5, {',', '.'}), "-1.234,5 €");
  std::string text = "Filiale;Umsatz\n";
  for (int i = 0; i < 20; ++i) text += detail::concat("F", i % 3, ";\"1.", 200 + i, ",50\"\n");
  const CsvTable table = parse_csv(text);
  ASSERT_EQ(table.numbers, (NumberFormat{',', '.'}));
  const TabularPreprocessor prep = TabularPreprocessor::fit(table, first_rows(20), TabularOptions{});
  const std::vector<std::string> notes = prep.scoring_notes(parse_csv("Filiale;Umsatz\nF1;\"1.215,00\"\nF2;\n"));
  ASSERT_FALSE(notes.empty());
  EXPECT_NE(notes.back().find("'Umsatz' 1 cell on line 3 (with 1.210, the training median)"), std::string::npos) << notes.back();
}

// A report that writes the group's value again in its first row, under its heading line ("Nord;;;"
// over "Nord;F0;1;100", then ";;2;110"): the heading lines are no rows, the report is filled as
// its flat export reads. They had been scored (and flagged), and the region imputed where a model
// trained on the flat file scored it: a newcomer's report, 122 of 192 rows flagged, its flat twin
// 20; a model trained on it read the blank branch cells as the value "(empty)".
TEST(Tabular, HeadingLinesWhoseValueTheGroupWritesAgain) {
  const char* regions[] = {"Nord", "Süd", "West"};
  std::string again = "Region;Filiale;Monat;Umsatz;Kosten\n", flat = again;
  std::vector<size_t> headings;
  size_t row = 0;
  for (int r = 0; r < 3; ++r) {
    again += detail::concat(regions[r], ";;;;\n");
    headings.push_back(row++);
    for (int f = 0; f < 2; ++f)
      for (int m = 1; m <= 6; ++m, ++row) {
        const std::string branch = "F" + std::to_string(2 * r + f);
        const std::string tail = detail::concat(";", m, ";", 100 * (2 * r + f + 1) + m * 3 % 7, ";", 60 * (r + 1) + m, "\n");
        again += detail::concat(m == 1 && f == 0 ? regions[r] : "", ";", m == 1 ? branch : "", tail);
        flat += detail::concat(regions[r], ";", branch, tail);
      }
  }
  const CsvTable grouped = parse_csv(again), written = parse_csv(flat);
  EXPECT_EQ(rows_not_scored(grouped).rows, headings);
  const std::optional<CsvTable> merged = merge_heading_lines(grouped, "", nullptr);
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->row(12), (std::vector<std::string>{"Süd", "F2", "1", "303", "121"}));
  // the heading lines' rows left out, the rest read as the flat file: by its model, and by one
  // trained on the report (its heading lines merged, as training reads a file)
  const auto without_headings = [&](const Tensor& t) {
    const std::vector<float> all = t.to_vector();
    const size_t width = all.size() / grouped.row_count();
    std::vector<float> kept;
    for (size_t r = 0; r < grouped.row_count(); ++r)
      if (!std::binary_search(headings.begin(), headings.end(), r)) kept.insert(kept.end(), all.begin() + r * width, all.begin() + (r + 1) * width);
    return kept;
  };
  const TabularPreprocessor flat_model = TabularPreprocessor::fit(written, first_rows(36), TabularOptions{});
  ASSERT_TRUE(flat_model.filled_columns().empty());
  EXPECT_EQ(without_headings(flat_model.transform(grouped)), flat_model.transform(written).to_vector());
  const TabularPreprocessor report_model = TabularPreprocessor::fit(*merged, first_rows(36), TabularOptions{});  // (as training reads it)
  EXPECT_EQ(report_model.filled_columns(), (std::vector<std::string>{"Region", "Filiale"}));
  EXPECT_EQ(report_model.columns()[1].categories.size(), 6u);  // the branches, no "(empty)"
  EXPECT_EQ(without_headings(report_model.transform(grouped)), report_model.transform(written).to_vector());
  // The region written in every row too, each new one right below its heading line (helper-76's
  // replay: the heading lines had been scored and flagged); the branch's heading line as well
  // ("Nord;F0;;;" over "Nord;F0;1;…", then "Nord;;2;…": the branch had been imputed, 3 of 8 rows
  // flagged); a heading in capitals or after the column's name ("NORD;;;;", "Region: Süd;;;;"
  // over "Nord;…", "Süd;…").
  std::string every = "Region;Filiale;Monat;Umsatz;Kosten\n", branches = every, capitals = every;
  for (size_t i = 0; i < grouped.row_count(); ++i) {
    std::vector<std::string> row = grouped.row(i);
    const bool heading = std::binary_search(headings.begin(), headings.end(), i);
    const std::string head = row[0] == "Nord" ? "NORD" : row[0] == "Süd" ? "Region: Süd" : "Region West";
    capitals += detail::concat(heading ? head : row[0], ";", row[1], ";", row[2], ";", row[3], ";", row[4], "\n");
    if (!heading) row[0] = merged->cell(i - size_t(std::upper_bound(headings.begin(), headings.end(), i) - headings.begin()), 0);
    every += detail::concat(row[0], ";", row[1], ";", row[2], ";", row[3], ";", row[4], "\n");
    if (!heading && !row[1].empty()) branches += detail::concat(row[0], ";", row[1], ";;;\n");
    if (!heading) branches += detail::concat(row[0], ";", row[1], ";", row[2], ";", row[3], ";", row[4], "\n");
  }
  for (const std::string* text : {&every, &branches, &capitals}) {
    const CsvTable other = parse_csv(*text);
    const std::vector<size_t> not_scored = rows_not_scored(other).rows;
    EXPECT_EQ(not_scored.size(), text == &branches ? 6u : 3u) << *text;
    const std::vector<float> all = flat_model.transform(other).to_vector();
    const size_t width = all.size() / other.row_count();
    std::vector<float> kept;
    for (size_t r = 0; r < other.row_count(); ++r)
      if (!std::binary_search(not_scored.begin(), not_scored.end(), r)) kept.insert(kept.end(), all.begin() + r * width, all.begin() + (r + 1) * width);
    EXPECT_EQ(kept, flat_model.transform(written).to_vector()) << *text;
  }
  // A flat file with a row of missing cells but its first ("Nord;;;;" over "Nord;F0;…", the
  // region written in every row) has no heading line, nor two such rows where regions change
  // without them too.
  std::string gap = "Region;Filiale;Monat;Umsatz;Kosten\n";
  for (int i = 0; i < 24; ++i) gap += i == 7 ? std::string("Nord;;;;\n") : detail::concat(regions[i % 2], ";F", i % 4, ";", i % 6 + 1, ";", 100 + i, ";", 60 + i, "\n");
  const CsvTable gaps = parse_csv(gap);
  ASSERT_EQ(gaps.row(8)[0], "Nord");
  EXPECT_FALSE(merge_heading_lines(gaps, "", nullptr));
  EXPECT_TRUE(rows_not_scored(gaps).rows.empty());
  std::string sorted = "Region;Filiale;Monat;Umsatz;Kosten\n";
  for (int i = 0; i < 24; ++i)
    sorted += i == 3 || i == 9 ? detail::concat(regions[i / 6 % 3], ";;;;\n")
                               : detail::concat(regions[i / 6 % 3], ";F", i % 4, ";", i % 6 + 1, ";", 100 + i, ";", 60 + i, "\n");
  EXPECT_TRUE(rows_not_scored(parse_csv(sorted)).rows.empty());
  // From a stream, a heading line that is its piece's last row too (the whole file reads it with
  // the row below: a 12,285-row report's 'Süd;;;;' at row 4,096 had been scored from standard
  // input, 0.9995, flagged); a flat file's row of first cells only there stays a row.
  const auto streamed = [](const CsvTable& table, size_t cut) {
    std::vector<size_t> head(cut), tail(table.row_count() - cut);
    std::iota(head.begin(), head.end(), 0);
    std::iota(tail.begin(), tail.end(), cut);
    RowsNotScoredStream stream;
    std::vector<size_t> rows = stream.add(table.select_rows(head)).rows;
    for (const size_t r : stream.add(table.select_rows(tail)).rows) rows.push_back(r + cut);
    return rows;
  };
  for (const size_t cut : {size_t(14), size_t(27)}) EXPECT_EQ(streamed(grouped, cut), headings) << cut;
  EXPECT_TRUE(streamed(gaps, 8).empty());
  // ... but not a row of other columns with its last cells blank (a row of missing amounts).
  const CsvTable amounts = parse_csv("Region;Filiale;Monat;Umsatz;Kosten\nNord;;;;\n;Hamburg;2024-01;5;3\nSüd;;;;\n;München;2024-01;7;1\n"
                                     ";Stuttgart;2024-01;;\n;;2024-02;8;2\n");
  EXPECT_EQ(rows_not_scored(amounts).rows, (std::vector<size_t>{0, 2}));
  EXPECT_EQ(streamed(amounts, 5), (std::vector<size_t>{0, 2}));
  // Two rows of missing cells in a file of one site ("DE;;;" over "DE;a;20;50"): no new value
  // below them tells a heading line (they had been taken for two): rows.
  EXPECT_TRUE(rows_not_scored(parse_csv("site;sensor;temp;hum\nDE;;;\nDE;a;20;50\nDE;b;21;51\nDE;;;\nDE;c;22;52\n")).rows.empty());
}

// A date or a code written in every row before a grouped report's columns: passed over, the
// columns after it filled down (in training, and by a model trained on the flat file; they had
// been read as flat, their blank cells the value "(empty)" or imputed: 31 of 40 rows flagged).
TEST(Tabular, GroupedColumnsAfterADateAreFilledDown) {
  std::string grouped = "Datum;Region;Filiale;Umsatz\n", flat = grouped;
  const char* regions[] = {"Nord", "Süd"};
  int day = 1;
  for (int r = 0; r < 2; ++r)
    for (int f = 0; f < 2; ++f)
      for (int m = 0; m < 5; ++m, ++day) {
        const std::string date = detail::concat("2024-03-", day < 10 ? "0" : "", day), sales = std::to_string(100 * (2 * r + f + 1) + m);
        grouped += detail::concat(date, ";", f == 0 && m == 0 ? regions[r] : "", ";", m == 0 ? "F" + std::to_string(2 * r + f) : "", ";", sales, "\n");
        flat += detail::concat(date, ";", regions[r], ";F", 2 * r + f, ";", sales, "\n");
      }
  const CsvTable report = parse_csv(grouped), written = parse_csv(flat);
  EXPECT_EQ(grouped_columns_of(report), (std::vector<std::string>{"Region", "Filiale"}));
  EXPECT_TRUE(grouped_columns_of(written).empty());
  const TabularPreprocessor prep = TabularPreprocessor::fit(report, first_rows(20), TabularOptions{});
  EXPECT_EQ(prep.filled_columns(), (std::vector<std::string>{"Region", "Filiale"}));
  EXPECT_EQ(prep.transform(report).to_vector(), prep.transform(written).to_vector());
  const TabularPreprocessor flat_model = TabularPreprocessor::from_json(TabularPreprocessor::fit(written, first_rows(20), TabularOptions{}).to_json());
  EXPECT_EQ(flat_model.transform(report).to_vector(), flat_model.transform(written).to_vector());
}

// A flat file whose first column is a date, a sparse name after it (a holiday on its day, an
// event and its place on the same rows): not a grouped report, in training or in scoring.
// A machine's name in the first row of each of its groups, the machines in turn (M1, M2, M3, M1,
// ...; helper-126): filled down, each group's rows its machine's. The same repeated names at rows
// far apart, as a sparse column writes them (a defect now and then), are no groups.
TEST(Tabular, GroupValuesWrittenAgainForLaterGroupsAreFilledDown) {
  std::string turns = "machine,shift,temp\n", sparse = "defect,shift,temp\n";
  const int gaps[] = {2, 9, 3, 14, 2, 7, 11};
  for (int r = 0, next = 0, k = 0; r < 60; ++r) {
    turns += detail::concat(r % 5 == 0 ? "M" + std::to_string(1 + r / 5 % 3) : "", ",", r % 2 ? "late" : "early", ",", 50 + r / 5 % 3 * 10, "\n");
    const bool defect = r == next;
    if (defect) next += gaps[k % 7], ++k;
    sparse += detail::concat(defect ? (k % 2 ? "scratch" : "dent") : "", ",", r % 2 ? "late" : "early", ",", 50 + r % 4, "\n");
  }
  const CsvTable table = parse_csv(turns);
  const TabularPreprocessor prep = TabularPreprocessor::fit(table, first_rows(60), TabularOptions{});
  EXPECT_EQ(prep.filled_columns(), std::vector<std::string>{"machine"});
  EXPECT_NE(prep.schema()[0].reason.find("(12 groups) and fills the 48 blank cells"), std::string::npos) << prep.schema()[0].reason;
  const std::optional<CsvTable> filled = prep.filled_down(table);
  ASSERT_TRUE(filled);
  for (size_t r = 0; r < 60; ++r) EXPECT_EQ(filled->cell(r, 0), "M" + std::to_string(1 + r / 5 % 3)) << r;
  // Scored: a file of four groups, the last cut short (helper-127), is filled down too.
  const std::optional<CsvTable> few = prep.filled_down(table.select_rows({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}));
  ASSERT_TRUE(few);
  EXPECT_EQ(few->cell(14, 0), "M3");
  EXPECT_EQ(few->cell(15, 0), "M1");
  EXPECT_EQ(prep.scoring_notes(table.select_rows({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})),
            std::vector<std::string>{"blank cells of a grouped report's column given the value above them, as in training (a group's "
                                     "value stands in its first row only): 'machine' 12"});
  EXPECT_TRUE(grouped_columns_of(parse_csv(sparse)).empty());
  EXPECT_TRUE(TabularPreprocessor::fit(parse_csv(sparse), first_rows(60), TabularOptions{}).filled_columns().empty());
}

TEST(Tabular, SparseNamesAfterADateAreNoGroups) {
  std::string holidays = "Datum;Feiertag;Besucher;Umsatz\n", events = "Datum;Ereignis;Ort;Besucher\n";
  const char* names[] = {"Neujahr", "Karfreitag", "Ostermontag", "Maifeiertag", "Himmelfahrt"};
  for (int d = 0; d < 60; ++d) {
    const std::string date = detail::concat("2024-0", 1 + d / 20, "-", 10 + d % 20), name = d % 12 == 0 ? names[d / 12] : "";
    holidays += detail::concat(date, ";", name, ";", 100 + d * 7 % 13, ";", 900 + d * 11 % 17, "\n");
    events += detail::concat(date, ";", d % 12 == 0 ? "Konzert " + std::to_string(d) : "", ";", d % 12 == 0 ? "Halle " + std::to_string(d) : "",
                             ";", 100 + d * 7 % 13, "\n");
  }
  for (const std::string& text : {holidays, events}) {
    const CsvTable table = parse_csv(text);
    EXPECT_TRUE(grouped_columns_of(table).empty()) << text.substr(0, 40);
    EXPECT_TRUE(TabularPreprocessor::fit(table, first_rows(60), TabularOptions{}).filled_columns().empty());
  }
}

// Whole numbers in a column named like a code name things (an account, a postal code): as
// amounts, account 8400 would lie "between" 4400 and 9000, and a new account would be an
// outlier by size. They are categories, in the fit as in the preview; amounts with decimals,
// and any column the user calls numeric, stay numbers.
TEST(Tabular, CodesAreCategories) {
  const auto table = [](const std::string& name, const std::function<std::string(int)>& cell) {
    std::string text = name + ";Betrag\n";
    for (int i = 0; i < 40; ++i) text += cell(i) + ";" + std::to_string(10 + i % 7) + ",50\n";
    return parse_csv(text);
  };
  const auto accounts = [](int i) { return std::to_string(i % 3 == 0 ? 4400 : i % 3 == 1 ? 8400 : 1200); };
  const std::vector<int64_t> rows = first_rows(40);
  for (const char* name : {"Konto", "Sachkonto", "Kontonummer", "Sachkontonummer", "Sachkonto-Nr.", "Kto.-Nr.", "GL Account",
                           "account_no", "N\xC2\xB0 de compte", "Debitor", "ZIP", "PLZ", "Postleitzahl", "Code postal",
                           "postalCode", "Error code", "errorCode", "Fehler-Code", "L\xC3\xA4ndercode",
                           "Steuerschl\xC3\xBCssel", "Kostenstelle", "KostenstelleNr", "Kostenstellennummer",
                           "cost centre", "Centre de co\xC3\xBBts", "SKU", "EAN", "Art.-Nr.", "Artikelnummer"}) {
    SCOPED_TRACE(name);
    const CsvTable t = table(name, accounts);
    const ColumnSummary preview = describe_columns(t)[0];
    EXPECT_EQ(preview.role, "categorical");
    EXPECT_EQ(preview.reason.substr(0, 49), "whole numbers in a column named like a code (acco");
    const TabularPreprocessor prep = TabularPreprocessor::fit(t, rows, TabularOptions{});
    EXPECT_EQ(prep.schema()[0].role, "categorical");
    EXPECT_EQ(prep.schema()[0].reason.substr(0, 49), preview.reason.substr(0, 49));
    EXPECT_EQ(prep.columns()[0].kind, ColumnTransform::Kind::categorical);
    EXPECT_EQ(prep.columns()[0].categories, (std::vector<std::string>{"1200", "4400", "8400"}));
  }
  // Not codes: other names, numbers with decimals, and the user's own choice.
  for (const char* name : {"Menge", "Decoder gain", "Count", "Episode", "Account balance", "Accounts payable", "Zip length",
                           "Code coverage %", "Opcode count", "Lines of code", "SKU count", "Error code rate",
                           "Barcode scans per hour", "Kontostand", "Konto Saldo", "Kostenstellen-Budget", "Codename"}) {
    EXPECT_EQ(describe_columns(table(name, accounts))[0].role, "numeric") << name;
    EXPECT_EQ(TabularPreprocessor::fit(table(name, accounts), rows, TabularOptions{}).schema()[0].role, "numeric") << name;
  }
  // One value that is no whole number makes a code column amounts, and says why.
  const CsvTable typo = table("Konto", [&](int i) { return i == 17 ? std::string("4400,5") : accounts(i); });
  const std::string why = "named like a code, but 1 value is not a whole number of 0 or more (line 19: '4400,5'): read as "
                          "amounts; if the column holds codes, fix that cell or give it the role categorical";
  EXPECT_EQ(describe_columns(typo)[0].role, "numeric");
  EXPECT_EQ(describe_columns(typo)[0].reason, why);
  EXPECT_EQ(TabularPreprocessor::fit(typo, rows, TabularOptions{}).schema()[0].reason, why);
  EXPECT_EQ(describe_columns(table("Konto", [](int i) { return std::to_string(i % 5) + ",25"; }))[0].reason, "");
  // Negative numbers are amounts, whatever the name.
  EXPECT_EQ(describe_columns(table("Konto", [](int i) { return std::to_string(i % 4 - 2); }))[0].role, "numeric");
  // Codes written with letters beside the numbers ("E17") are codes too, not typos.
  const CsvTable errors = table("Error code", [](int i) { return i % 10 == 3 ? std::string("E17") : std::to_string(404 * (i % 2)); });
  EXPECT_EQ(describe_columns(errors)[0].role, "categorical");
  EXPECT_EQ(TabularPreprocessor::fit(errors, rows, TabularOptions{}).columns()[0].categories,
            (std::vector<std::string>{"0", "404", "E17"}));
  EXPECT_EQ(describe_columns(table("Konto", [](int i) { return std::to_string(i % 5) + ",25"; }))[0].role, "numeric");
  TabularOptions numeric;
  numeric.roles["Konto"] = ColumnRole::numeric;
  EXPECT_EQ(TabularPreprocessor::fit(table("Konto", accounts), rows, numeric).columns()[0].kind,
            ColumnTransform::Kind::numeric);
  // Nearly every code different (a customer's postal code): left out, as free text is, and said.
  const CsvTable zips = table("ZIP", [](int i) { return std::to_string(10115 + 7 * i); });
  EXPECT_EQ(describe_columns(zips)[0].role, "free text");
  EXPECT_EQ(TabularPreprocessor::fit(zips, rows, TabularOptions{}).schema()[0].role, "free text");
  EXPECT_EQ(TabularPreprocessor::fit(zips, first_rows(30), TabularOptions{}).schema()[0].reason,
            "30 distinct values in 30 training rows: codes (account, postal code, version) nearly all different, not "
            "categories; left out of training");

  // Scored from a file a spreadsheet re-wrote, read in its number format: "8400,00" and "4.400"
  // (where the comma is the decimal mark and the point groups thousands), "4400.0" and "1,200"
  // (the other way round) and "01200" are the codes 8400, 4400 and 1200 (said), a postal code
  // that lost its leading zero is the one with it; "4400,5" and "-4400" are none of them.
  const TabularPreprocessor prep = TabularPreprocessor::fit(table("Konto", accounts), rows, TabularOptions{});
  const CsvTable rewritten = parse_csv("Konto;Betrag\n8400,00;1,5\n01200;1\n4400,5;1\n-4400;1\n4.400;1\n4400;1\n");
  ASSERT_EQ(rewritten.numbers.decimal, ',');
  const Tensor x = prep.transform(rewritten);
  const std::vector<std::vector<float>> one_hot = {{0, 0, 1}, {1, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 1, 0}, {0, 1, 0}};
  for (size_t r = 0; r < one_hot.size(); ++r)
    EXPECT_EQ(std::vector<float>(x.data() + r * 4, x.data() + r * 4 + 3), one_hot[r]) << "row " << r;
  EXPECT_EQ(prep.scoring_notes(rewritten),
            (std::vector<std::string>{"numbers read as the category that is the same whole number written otherwise: 'Konto' "
                                      "3 rows ('8400,00' as '8400' on line 2; '01200' as '1200' on line 3; '4.400' as '4400' on line 6)",
                                      "values never seen in training, read as none of the column's known values: 'Konto' 2 "
                                      "rows ('4400,5' on line 4; '-4400' on line 5)"
                                      ". If one is misspelt, correct it and score the file again; a new value is one the model knows nothing "
                                      "of: train again on a file that has it",
                                      "6 rows hold values far outside the training's range (beyond it by more than its width): "
                                      "'Betrag' 6 rows (line 2: '1,5', line 3: '1', line 4: '1', ...; training 10,5 to 16,5). The "
                                      "model never saw the like, so its score cannot say how far out these rows lie: look at them whatever "
                                      "their score (lines 2, 3, 4, 5, 6, 7)"}));
  const CsvTable points = parse_csv("Konto,Betrag\n4400.0,1.5\n\"1,200\",1\n");
  ASSERT_EQ(points.numbers.decimal, '.');
  const Tensor y = prep.transform(points);
  EXPECT_EQ(std::vector<float>(y.data(), y.data() + 3), (std::vector<float>{0, 1, 0}));
  EXPECT_EQ(std::vector<float>(y.data() + 4, y.data() + 7), (std::vector<float>{1, 0, 0}));
  // Where the point is the decimal mark, "1.000" is 1, not the code 1000; "1,2" is no whole number.
  const TabularPreprocessor thousand = TabularPreprocessor::fit(
      table("Konto", [](int i) { return std::string(i % 2 ? "1000" : "1"); }), rows, TabularOptions{});
  const Tensor z = thousand.transform(parse_csv("Konto,Betrag\n1.000,1.5\n\"1,2\",2.5\n"));
  EXPECT_EQ(std::vector<float>(z.data(), z.data() + 2), (std::vector<float>{1, 0}));
  EXPECT_EQ(std::vector<float>(z.data() + 3, z.data() + 5), (std::vector<float>{0, 0}));
  const TabularPreprocessor postal = TabularPreprocessor::fit(
      table("PLZ", [](int i) { return std::string(i % 2 ? "01067" : "80331"); }), rows, TabularOptions{});
  const Tensor p = postal.transform(parse_csv("PLZ;Betrag\n1067;1\n"));
  EXPECT_EQ(std::vector<float>(p.data(), p.data() + 2), (std::vector<float>{1, 0}));
  const CsvTable written_twice = table("Konto", [](int i) { return std::string(i % 4 == 0 ? "4400,0" : i % 2 ? "4400" : "8400"); });
  const std::string code = "whole numbers in a column named like a code (account, postal code, port, code): categories, not amounts; "
                           "give it the role numeric if they are amounts";
  const std::string merged = "read as one value however the number is written: '4400' (20) and '4400,0' (10) as '4400'";
  EXPECT_EQ(describe_columns(written_twice)[0].reason, code + "; " + merged);
  const TabularPreprocessor twice = TabularPreprocessor::fit(written_twice, rows, TabularOptions{});
  EXPECT_EQ(twice.schema()[0].reason, code + "; 2 values (" + merged + ")");
  ASSERT_EQ(twice.columns()[0].categories, (std::vector<std::string>{"4400", "8400"}));
  const Tensor t2 = twice.transform(parse_csv("Konto;Betrag\n04400;1,5\n4400,0;1\n8400;1\n"));
  for (int r = 0; r < 3; ++r)  // 4400, 4400, 8400
    EXPECT_EQ(std::vector<float>(t2.data() + r * 3, t2.data() + r * 3 + 2), (std::vector<float>{r < 2 ? 1.f : 0.f, r < 2 ? 0.f : 1.f}));
}

// A column with more values than preprocessing.maxCategories keeps the most frequent, and reads
// the rest as one value, "(other)": a value seen in training beyond the kept ones is that, a value
// never seen is none (so that a model can tell them apart), after a save and load too.
TEST(Tabular, ValuesBeyondTheMostFrequentAreOneOtherValue) {
  std::string text = "Produkt;Menge\n";
  const char* const products[] = {"A", "A", "A", "A", "B", "B", "B", "C", "C", "D", "E", "F"};
  for (int i = 0; i < 48; ++i) text += std::string(products[i % 12]) + ";" + std::to_string(1 + i % 5) + "\n";
  const std::vector<int64_t> rows = first_rows(48);
  TabularOptions options;
  options.max_categories = 3;
  const TabularPreprocessor prep = TabularPreprocessor::fit(parse_csv(text), rows, options);
  EXPECT_EQ(prep.columns()[0].categories, (std::vector<std::string>{"(other)", "A", "B", "C"}));
  EXPECT_EQ(prep.columns()[0].others, (std::vector<std::string>{"D", "E", "F"}));
  EXPECT_EQ(prep.schema()[0].reason, "6 values (the 3 most frequent kept, the other 3 as one value, '(other)')");
  EXPECT_EQ(prep.other_inputs(), (std::vector<int64_t>{0}));
  const TabularPreprocessor saved = TabularPreprocessor::from_json(prep.to_json());
  const CsvTable scored = parse_csv("Produkt;Menge\nB;1\nE;1\nZ;1\n");
  const Tensor x = saved.transform(scored);
  EXPECT_EQ(x.to_vector(), (std::vector<float>{0, 0, 1, 0, x.at(4), 1, 0, 0, 0, x.at(4), 0, 0, 0, 0, x.at(4)}));
  EXPECT_EQ(saved.scoring_notes(scored),
            (std::vector<std::string>{"values never seen in training, read as none of the column's known values: 'Produkt' 1 row ('Z' on line 4)"
                                      ". If one is misspelt, correct it and score the file again; a new value is one the model knows nothing "
                                      "of: train again on a file that has it"}));
}

// Which numeric columns are 0/1 flags (left out of the marginal rarity, scaled in the neighbour
// distance), fitted and read back from a file: a flag of any share, also fitted on more than 1,000
// rows (whose interpolated quantiles hold a value between its two); not a column with a third
// value in one row, nor one too narrow to standardise.
TEST(Tabular, FlagsAreTheColumnsOfTwoValues) {
  for (const int n : {44, 300, 3000}) {
    std::string text = "flag,three,narrow,amount\n";
    for (int i = 0; i < n; ++i)
      text += std::to_string(i % 40 == 7 ? 1 : 0) + "," + std::to_string(i == 5 ? 5 : i % 2 ? 10 : 0) + "," +
              (i % 3 ? "0" : "1e-20") + "," + std::to_string(i * 7 % 101) + "\n";
    std::vector<int64_t> rows(static_cast<size_t>(n), 0);
    for (int i = 0; i < n; ++i) rows[size_t(i)] = i;
    for (const Scaling scaling : {Scaling::standard, Scaling::quantile_normal}) {
      TabularOptions options;
      options.scaling = scaling;
      const TabularPreprocessor prep = TabularPreprocessor::fit(parse_csv(text), rows, options);
      const TabularPreprocessor saved = TabularPreprocessor::from_json(prep.to_json());
      for (const TabularPreprocessor* p : {&prep, &saved}) {
        const std::string which = (p == &prep ? "fitted, " : "read back, ") + std::to_string(n) + " rows" +
                                  (scaling == Scaling::standard ? ", standardised" : ", quantile scores");
        // Read back from more than 1,000 rows, the third value (in one row) is not among the 1,000
        // quantiles kept: only the fit knows it.
        const uint8_t three = p == &saved && n > 1000 ? 0 : 1;
        EXPECT_EQ(p->continuous_features(), (std::vector<uint8_t>{0, three, 0, 1})) << which;
        const std::vector<float> spans = p->two_value_spans();
        const ColumnTransform& flag = p->columns()[0];
        if (scaling == Scaling::standard) {
          EXPECT_NEAR(spans[0], 1 / flag.sd, 1e-4) << which;  // (1 - 0) / sd, 6.2 for a flag set in 1 of 40 rows
          EXPECT_EQ(spans[2], 0.f) << which;                  // its sd (1e-20 wide) taken as 1: not a flag
        } else {
          EXPECT_GT(spans[0], 1.f) << which;  // the normal scores of the two values' ranks
          EXPECT_GT(spans[2], 1.f) << which;  // ranks do not mind how narrow
        }
        if (three) { EXPECT_EQ(spans[1], 0.f) << which; }
        EXPECT_EQ(spans[3], 0.f) << which;
      }
      // Said when training, and a value other than a flag's two when scoring.
      EXPECT_EQ(prep.schema()[0].reason, "two values, 0 and 1: a flag");
      EXPECT_EQ(prep.schema()[1].reason, "");
      const CsvTable scored = parse_csv("flag,three,narrow,amount\n2,0,0,3\n1,10,0,3\n-1,0,0,3\n2,0,0,3\n");
      EXPECT_EQ(saved.scoring_notes(scored),
                (std::vector<std::string>{"values a column of two values (a flag) never took in training, scored as the numbers they "
                                          "are: 'flag' 3 rows ('2', '-1'; training had 0 and 1)"}));
    }
  }
}

// Standardised, a column skewed to large values (sizes, amounts: every value >= 0, skewness above
// kLogSkewness) is read on a log scale, log(1 + v / c) with c the median of its positive values, and the
// reason says so; a symmetric column, one with a value below 0 and a flag are not, nor any column
// under the quantile transform (which a monotone map does not change). Read back alike; a value
// below 0 when scoring continues the scale in a straight line (v / c), below every training value.
TEST(Tabular, ColumnsSkewedToLargeValuesAreComparedOnALogScale) {
  std::string text = "bytes,even,signed,flag\n";
  std::vector<double> bytes;
  for (int i = 0; i < 200; ++i) {
    bytes.push_back(i % 7 == 0 ? 0 : 100.0 * std::pow(2.0, i % 15));  // 0, 200 ... 1,638,400 bytes
    text += detail::concat(bytes.back(), ",", i * 7 % 101, ",", i == 3 ? -5 : bytes.back(), ",", i % 40 == 7 ? 1 : 0, "\n");
  }
  std::vector<int64_t> rows(200);
  std::iota(rows.begin(), rows.end(), 0);
  TabularOptions options;
  options.scaling = Scaling::standard;
  const TabularPreprocessor prep = TabularPreprocessor::fit(parse_csv(text), rows, options);
  const TabularPreprocessor saved = TabularPreprocessor::from_json(prep.to_json());
  std::vector<double> positive;
  for (double b : bytes)
    if (b > 0) positive.push_back(b);
  std::sort(positive.begin(), positive.end());
  const double c = positive[positive.size() / 2];  // 171 of them: the middle one
  EXPECT_EQ(prep.columns()[0].log_scale, c);
  EXPECT_EQ(prep.columns()[1].log_scale, 0);
  EXPECT_EQ(prep.columns()[2].log_scale, 0);
  EXPECT_EQ(prep.columns()[3].log_scale, 0);
  EXPECT_EQ(prep.schema()[0].reason,
            "a long tail of large values (skewness 2.7 in the training rows): read on a log scale, log(1 + value / 12800)");
  EXPECT_EQ(prep.schema()[1].reason, "");
  // The inputs: (log(1 + v / c) - mean) / sd over the training values.
  double mean = 0, squares = 0;
  for (double b : bytes) mean += std::log1p(b / c) / 200;
  for (double b : bytes) squares += (std::log1p(b / c) - mean) * (std::log1p(b / c) - mean) / 200;
  const double sd = std::sqrt(squares);
  const CsvTable scored = parse_csv("bytes,even,signed,flag\n0,50,100,0\n3200,50,100,0\n1e9,50,100,0\n-400,50,100,0\n");
  for (const TabularPreprocessor* p : {&prep, &saved}) {
    const Tensor x = p->transform(scored);
    const int64_t w = x.dim(1);
    EXPECT_NEAR(x.at(0 * w), (0 - mean) / sd, 1e-5);
    EXPECT_NEAR(x.at(1 * w), (std::log1p(3200 / c) - mean) / sd, 1e-5);
    EXPECT_NEAR(x.at(2 * w), (std::log1p(1e9 / c) - mean) / sd, 1e-4);  // 1 GB: about 9 sd, not 20 clipped
    EXPECT_LT(x.at(2 * w), 20.f);
    EXPECT_NEAR(x.at(3 * w), (-400 / c - mean) / sd, 1e-5);
    EXPECT_LT(x.at(3 * w), x.at(0 * w));
  }
  // Scoring says which numbers lie below 0, where training had none: the log scale reads them below
  // every training value.
  CellNotes below(saved);
  below.add(scored);
  EXPECT_EQ(below.notes(),
            (std::vector<std::string>{
                "numbers below 0 in a column read on a log scale, whose training rows' values were all 0 or above: each is read as "
                "value / c (c as in log(1 + value / c) above 0), below every training value; the further below 0, the lower "
                "the row's input for the column (down to 20 sd below its mean) and the higher its score: 'bytes' 1 row (line 5: '-400'; c = 12800). If the column can be "
                "negative (a refund, a correction), train on a file with more such rows (how a column is read is decided on the "
                "training rows alone, not on those held out to validate and test), or set preprocessing.logSkewed to false "
                "(a preset file: --preset FILE.json for ca3 train, presetChanges in the SDK)"}));
  // Asked not to (preprocessing.logSkewed false): the values as they are.
  options.log_skewed = false;
  const TabularPreprocessor linear = TabularPreprocessor::fit(parse_csv(text), rows, options);
  EXPECT_EQ(linear.columns()[0].log_scale, 0);
  EXPECT_EQ(linear.schema()[0].reason,
            "a long tail of large values (skewness 2.7 in the training rows): kept on its own scale (preprocessing.logSkewed is false)");
  options.log_skewed = true;
  // The quantile transform: no log scale (ranks do not change).
  options.scaling = Scaling::quantile_normal;
  EXPECT_EQ(TabularPreprocessor::fit(parse_csv(text), rows, options).columns()[0].log_scale, 0);
  options.scaling = Scaling::standard;
  // A value near the largest double among fractions: v / c overflows, its log does not; every
  // input finite, the far value the largest.
  std::string far = "share\n";
  for (int i = 0; i < 99; ++i) far += detail::concat(0.2 + 0.005 * i, "\n");
  far += "1.7e308\n";
  std::vector<int64_t> hundred(100);
  std::iota(hundred.begin(), hundred.end(), 0);
  const TabularPreprocessor huge = TabularPreprocessor::fit(parse_csv(far), hundred, options);
  ASSERT_GT(huge.columns()[0].log_scale, 0);
  const Tensor xf = huge.transform(parse_csv(far));
  for (int64_t i = 0; i < xf.numel(); ++i) ASSERT_TRUE(std::isfinite(xf.at(i))) << i;
  EXPECT_EQ(std::max_element(xf.data(), xf.data() + xf.numel()) - xf.data(), 99);
  // A saved logScale that is not a number above 0 is refused.
  for (const nlohmann::json bad : {nlohmann::json(-1), nlohmann::json(0), nlohmann::json("x")}) {
    nlohmann::json j = prep.to_json();
    j["columns"][0]["logScale"] = bad;
    EXPECT_EQ(error_of([&] { TabularPreprocessor::from_json(j); }), "column 'bytes': logScale must be a number > 0") << bad;
  }
}

// True and false are written many ways ("TRUE", "1", "yes", "Y", "ja"). A file scored with
// other spellings than training's reads them as training's own two values, the same numbers, and
// says so; a training column that mixes them is one column of two values (mostly 0 and 1: a flag
// whose words read as 1 and 0), said in the preview and in training. A column with a value that is
// neither true nor false (compass points: N, E, S, W) is left alone.
TEST(Tabular, TrueAndFalseWrittenAnotherWayAreTheColumnsOwn) {
  std::string text = "paid,smoker,dir,v\n";
  for (int i = 0; i < 40; ++i)
    text += std::string(i % 3 ? "TRUE" : "FALSE") + "," + (i % 5 ? "0" : "1") + "," + "NESW"[i % 4] + "," + std::to_string(i * 7 % 13) + "\n";
  const std::vector<int64_t> rows = first_rows(40);
  TabularOptions options;
  options.scaling = Scaling::standard;
  const TabularPreprocessor prep = TabularPreprocessor::fit(parse_csv(text), rows, options);
  const TabularPreprocessor saved = TabularPreprocessor::from_json(prep.to_json());
  const CsvTable as_trained = parse_csv("paid,smoker,dir,v\nTRUE,1,N,3\nFALSE,0,S,4\nTRUE,0,E,5\n");
  const CsvTable other = parse_csv("paid,smoker,dir,v\n1,yes,N,3\nno,FALSE,S,4\nja,Off,E,5\n");
  for (const TabularPreprocessor* p : {&prep, &saved}) {
    const Tensor want = p->transform(as_trained), got = p->transform(other);
    EXPECT_EQ(std::vector<float>(got.data(), got.data() + got.numel()), std::vector<float>(want.data(), want.data() + want.numel()));
  }
  EXPECT_EQ(saved.scoring_notes(other),
            (std::vector<std::string>{"true and false written another way, read as training wrote them: 'paid' 3 rows "
                                      "('1' as 'TRUE' on line 2; 'no' as 'FALSE' on line 3; 'ja' as 'TRUE' on line 4)",
                                      "true and false written as words in a column of 0 and 1 (a flag), read as 1 and 0: 'smoker' 3 "
                                      "rows ('yes' as 1 on line 2; 'FALSE' as 0 on line 3; 'Off' as 0 on line 4)"}));
  // Not in a column whose values are not true and false, nor a word that is neither.
  EXPECT_EQ(saved.scoring_notes(parse_csv("paid,smoker,dir,v\nTRUE,1,no,3\n")),
            (std::vector<std::string>{"values never seen in training, read as none of the column's known values: 'dir' 1 row ('no' on line 2)"
                                      ". If one is misspelt, correct it and score the file again; a new value is one the model knows nothing "
                                      "of: train again on a file that has it"}));
  EXPECT_EQ(error_of([&] { saved.transform(parse_csv("paid,smoker,dir,v\nTRUE,maybe,N,3\n")); }),
            "CSV line 2, column 'smoker': 'maybe' is not a number (the column is numeric; leave the cell empty or write NA for a missing value)");

  // Mixed spellings in training: one value each, the most frequent spelling (on a tie, the first
  // in sort order); a 0/1 column with a word ("yes" once) is a flag, not a typo.
  std::string mixed = "paid,smoker,active,v\n";
  for (int i = 0; i < 40; ++i) {
    const std::string paid = i % 10 == 0 ? (i % 3 ? "1" : "0") : (i % 3 ? "TRUE" : "FALSE");
    const std::string active = i % 2 ? "N" : i % 4 ? "Y" : "ja";
    mixed += paid + "," + (i == 7 ? "yes" : i % 5 ? "0" : "1") + "," + active + "," + std::to_string(i * 7 % 13) + "\n";
  }
  const CsvTable m = parse_csv(mixed);
  const TabularPreprocessor mp = TabularPreprocessor::fit(m, rows, options);
  const std::vector<ColumnSummary> read = describe_columns(m);
  EXPECT_EQ(mp.feature_names(), (std::vector<std::string>{"paid=FALSE", "paid=TRUE", "smoker", "active=N", "active=Y", "v"}));
  EXPECT_EQ(mp.schema()[0].reason, "2 values (read as one value however true or false is written: 'FALSE' (12) and '0' (2) as "
                                   "'FALSE'; 'TRUE' (24) and '1' (2) as 'TRUE')");
  EXPECT_EQ(mp.schema()[1].reason, "true and false also written as words, read as 1 and 0: 'yes' (1); two values, 0 and 1: a flag");
  EXPECT_EQ(mp.schema()[2].reason, "2 values (read as one value however true or false is written: 'Y' (10) and 'ja' (10) as 'Y')");
  EXPECT_EQ(read[0].role, "categorical");
  EXPECT_EQ(read[1].role, "numeric");
  EXPECT_EQ(read[2].role, "categorical");
  EXPECT_EQ(read[0].reason, "read as one value however true or false is written: 'FALSE' (12) and '0' (2) as 'FALSE'; 'TRUE' "
                            "(24) and '1' (2) as 'TRUE'");
  EXPECT_EQ(read[1].reason, "true and false also written as words, read as 1 and 0: 'yes' (1)");
  const Tensor x = mp.transform(parse_csv("paid,smoker,active,v\n0,yes,nein,3\n"));
  EXPECT_EQ(std::vector<float>(x.data(), x.data() + 2), (std::vector<float>{1, 0}));  // paid=FALSE
  EXPECT_NEAR(x.data()[2], (1 - mp.columns()[1].mean) / mp.columns()[1].sd, 1e-6);     // smoker 1
  EXPECT_EQ(std::vector<float>(x.data() + 3, x.data() + 5), (std::vector<float>{1, 0}));  // active=N

  // One truth in training (disputed: FALSE, also written 0), a checkbox of a truth (due: TRUE or
  // empty, also written 1), Italian's "sì", shifts T and N (day and night: not true and false).
  std::string one = "disputed,due,pagato,shift,v\n";
  for (int i = 0; i < 40; ++i)
    one += std::string(i % 5 ? "FALSE" : "0") + "," + (i % 2 ? "" : i % 6 ? "TRUE" : "1") + "," + (i % 3 ? "S\xC3\xAC" : "No") + "," +
           (i % 2 ? "T" : "N") + "," + std::to_string(i * 7 % 13) + "\n";
  const TabularPreprocessor op = TabularPreprocessor::fit(parse_csv(one), rows, options);
  EXPECT_EQ(op.feature_names(), (std::vector<std::string>{"disputed=FALSE", "due=(empty)", "due=TRUE", "pagato=No", "pagato=S\xC3\xAC",
                                                          "shift=N", "shift=T", "v"}));
  EXPECT_EQ(op.schema()[0].reason, "one value, 'FALSE', in every training row: it tells no row from another, and a row with another "
                                   "value there is unlike every training row (read as one value however true or false is written: "
                                   "'FALSE' (32) and '0' (8) as 'FALSE')");
  EXPECT_EQ(op.schema()[1].reason, "one value, 'TRUE', and 20 empty cells: read as two values, 'TRUE' and '(empty)', as a checkbox (an "
                                   "empty cell is not imputed here: the column would say nothing); read as one value however true or "
                                   "false is written: 'TRUE' (13) and '1' (7) as 'TRUE'");
  const CsvTable scored = parse_csv("disputed,due,pagato,shift,v\n0,1,1,F,3\nno,FALSE,false,N,3\n1,0,0,T,3\n");
  const Tensor y = op.transform(scored);
  const auto row = [&](int64_t r) { return std::vector<float>(y.data() + r * 8, y.data() + r * 8 + 7); };
  EXPECT_EQ(row(0), (std::vector<float>{1, 0, 1, 0, 1, 0, 0}));  // FALSE; ticked; sì; F: none of T and N
  EXPECT_EQ(row(1), (std::vector<float>{1, 1, 0, 1, 0, 1, 0}));  // FALSE; unticked; No; N
  EXPECT_EQ(row(2), (std::vector<float>{0, 1, 0, 1, 0, 0, 1}));  // true was never seen; unticked; No; T
  EXPECT_EQ(op.scoring_notes(scored),
            (std::vector<std::string>{"true and false written another way, read as training wrote them: 'disputed' 2 rows ('0' "
                                      "as 'FALSE' on line 2; 'no' as 'FALSE' on line 3), 'due' 3 rows ('1' as 'TRUE' on line 2; 'FALSE' "
                                      "as '(empty)' on line 3; '0' as '(empty)' on line 4), 'pagato' 3 rows ('1' as 'S\xC3\xAC' on line 2; "
                                      "'false' as 'No' on line 3; '0' as 'No' on line 4)",
                                      "values never seen in training, read as none of the column's known values: 'disputed' 1 row ('1' on line 4), "
                                      "'shift' 1 row ('F' on line 2)"
                                      ". If one is misspelt, correct it and score the file again; a new value is one the model knows nothing "
                                      "of: train again on a file that has it"}));
  // Asked to be numeric, a column of TRUE and FALSE is a 0/1 flag; a 0/1 column whose other cells
  // are "yes", "no" and "maybe" names "maybe" first: the others would read as 1 and 0.
  TabularOptions numeric = options;
  numeric.roles["paid"] = ColumnRole::numeric;
  const TabularPreprocessor np = TabularPreprocessor::fit(parse_csv(text), rows, numeric);
  EXPECT_EQ(np.feature_names()[0], "paid");
  EXPECT_EQ(np.schema()[0].reason, "true and false also written as words, read as 1 and 0: 'FALSE' (14), 'TRUE' (26); two values, 0 and "
                                   "1: a flag");
  std::string typo = "alarm,v\n";
  for (int i = 0; i < 40; ++i) typo += std::string(i == 3 ? "yes" : i == 7 ? "no" : i == 30 ? "maybe" : i % 4 ? "0" : "1") + "," + std::to_string(i * 7 % 13) + "\n";
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(parse_csv(typo), rows, options); }),
            "CSV line 32, column 'alarm': 'maybe' is not a number (the column's other values are numbers; leave the cell empty or write "
            "NA for a missing value, or, if it holds codes rather than amounts, call the column categorical); 2 more cells of the column are not numbers either: line 5 'yes', line 9 'no'");
  // Labels of true and false: the same truth written another way is the same label, and said.
  TabularOptions labelled = options;
  labelled.label_column = "fraud";
  labelled.normal_values = {"FALSE"};
  std::vector<std::string> label_notes;
  EXPECT_EQ(tabular_labels(parse_csv("fraud,v\nFALSE,1\n0,2\nTRUE,3\n1,4\nno,5\n"), labelled, &label_notes),
            (std::vector<int>{0, 0, 1, 1, 0}));
  EXPECT_EQ(label_notes, (std::vector<std::string>{"label column 'fraud': '0' (1 row), 'no' (1 row) taken as 'FALSE' (the same truth "
                                                   "value written another way)",
                                                   "label column 'fraud': '1' (1 row), 'TRUE' (1 row) taken as anomalies (every value "
                                                   "but 'FALSE')"}));
  EXPECT_EQ(tabular_labels(parse_csv("fraud,v\nFALSE,1\n0,2\nmaybe,3\n"), labelled), (std::vector<int>{0, 1, 1}));  // not all truths

  // One-letter codes of one truth are not spellings of it: status N (normal) and F (fault) stay two
  // values, as features and as labels. A checkbox of FALSE or empty does not read TRUE as empty.
  std::string codes = "status,refunded,v\n";
  for (int i = 0; i < 40; ++i) codes += std::string(i % 4 ? "N" : "F") + "," + (i % 3 ? "" : "FALSE") + "," + std::to_string(i * 7 % 13) + "\n";
  const CsvTable c = parse_csv(codes);
  const TabularPreprocessor cp = TabularPreprocessor::fit(c, rows, options);
  EXPECT_EQ(cp.feature_names(), (std::vector<std::string>{"status=F", "status=N", "refunded=(empty)", "refunded=FALSE", "v"}));
  EXPECT_EQ(cp.schema()[0].reason, "2 values");
  EXPECT_EQ(describe_columns(c)[0].distinct, 2);
  EXPECT_EQ(cp.scoring_notes(parse_csv("status,refunded,v\nN,TRUE,1\n")),
            (std::vector<std::string>{"values never seen in training, read as none of the column's known values: 'refunded' 1 row ('TRUE' on line 2)"
                                      ". If one is misspelt, correct it and score the file again; a new value is one the model knows nothing "
                                      "of: train again on a file that has it"}));
  labelled.label_column = "status";
  labelled.normal_values.clear();
  labelled.anomaly_values = {"F"};
  const std::vector<int> status = tabular_labels(c, labelled);
  EXPECT_EQ(std::count(status.begin(), status.end(), 1), 10);
  // Spanish and Portuguese S/N, German J/N: pairs of their own.
  std::string sn = "pagado,v\n";
  for (int i = 0; i < 40; ++i) sn += std::string(i % 3 ? "S" : "N") + "," + std::to_string(i * 7 % 13) + "\n";
  const TabularPreprocessor sp = TabularPreprocessor::fit(parse_csv(sn), rows, options);
  const Tensor z = sp.transform(parse_csv("pagado,v\n1,1\nno,1\nj,1\n"));
  EXPECT_EQ(std::vector<float>(z.data(), z.data() + 2), (std::vector<float>{0, 1}));      // 1 as S
  EXPECT_EQ(std::vector<float>(z.data() + 3, z.data() + 5), (std::vector<float>{1, 0}));  // no as N
  EXPECT_EQ(std::vector<float>(z.data() + 6, z.data() + 8), (std::vector<float>{0, 0}));  // j: not of the pair s/n
}

// A file put together from two sources writes numbers both ways: "2.532,68" beside "0.5". Read with
// one decimal mark, a number written with the other is an error that says so (a column of both
// could not be read safely: "1.375" there is 1,375 or 1.375); a thousands group never starts with
// 0 ("0.125" is no 125).
TEST(Tabular, NumbersWrittenWithTheOtherDecimalMarkAreSaid) {
  std::string text = "Betrag;Anteil\n";
  for (int i = 0; i < 30; ++i) text += std::to_string(1000 + i * 37) + "," + std::to_string(10 + i % 90) + ";0," + std::to_string(i % 9 + 1) + "\n";
  const std::vector<int64_t> rows = first_rows(30);
  TabularOptions options;
  options.scaling = Scaling::standard;
  const TabularPreprocessor prep = TabularPreprocessor::from_json(TabularPreprocessor::fit(parse_csv(text), rows, options).to_json());
  const CsvTable mixed = parse_csv("Betrag;Anteil\n2.532,68;0.5\n1.750,5;0.25\n;0.125\n");  // '.' decimal: 0.5 decides
  ASSERT_EQ(mixed.numbers.decimal, '.');
  EXPECT_EQ(error_of([&] { prep.transform(mixed); }),
            "CSV line 2, column 'Betrag': '2.532,68' is written with ',' as the decimal mark, and this file's other numbers with "
            "'.' (a file put together from two sources?): write every number of the file one way; 1 more cell cannot be read "
            "either: line 3, column 'Betrag': '1.750,5'");
  // The same in a column of numbers written with a unit, scoring and training, and in a plain
  // column in training; the preview names the cell's decimal mark.
  std::string amounts = "temp,price\n";
  for (int i = 0; i < 30; ++i) amounts += std::to_string(20 + i % 5) + ".5,\"$1," + std::to_string(100 + i * 7) + ".25\"\n";
  const TabularPreprocessor priced = TabularPreprocessor::fit(parse_csv(amounts), rows, options);
  EXPECT_EQ(error_of([&] { priced.transform(parse_csv("temp,price\n21.5,\"$2.532,68\"\n21.5,$7.25\n")); }),
            "CSV line 2, column 'price': '$2.532,68' is written with ',' as the decimal mark, and this file's other numbers with "
            "'.' (a file put together from two sources?): write every number of the file one way");
  const std::vector<int64_t> all_rows = first_rows(31);
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(parse_csv(amounts + "21.5,\"$2.532,68\"\n"), all_rows, options); }),
            "CSV line 32, column 'price': '$2.532,68' is written with ',' as the decimal mark, and this file's other numbers with "
            "'.' (a file put together from two sources?): write every number of the file one way (1 cell of the column does not read)");
  // A mark that may as well group thousands is not said to be a decimal mark: a scored file with
  // no number that decides its format is read with the training file's decimal mark, the other
  // grouping thousands, though the training file grouped none.
  std::string small_amounts = "temp,price\n";  // no thousands separator
  for (int i = 0; i < 30; ++i) small_amounts += std::to_string(20 + i % 5) + ".5,$" + std::to_string(100 + i * 7) + ".25\n";
  const TabularPreprocessor small = TabularPreprocessor::fit(parse_csv(small_amounts), rows, options);
  EXPECT_EQ(small.transform(parse_csv("temp,price\n21,\"$1,234\"\n")).to_vector(),
            small.transform(parse_csv("temp,price\n21,$1234\n")).to_vector());
  const CsvTable two_sources = parse_csv(amounts + "\"21,5\",$7.25\n");
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(two_sources, all_rows, options); }),
            "CSV line 32, column 'temp': '21,5' is written with ',' as the decimal mark, and this file's other numbers with "
            "'.' (a file put together from two sources?): write every number of the file one way");
  EXPECT_EQ(describe_columns(two_sources)[0].reason,
            "1 cell is not a number (line 32: '21,5', written with the other decimal mark than the file's other numbers): fix "
            "it, leave it empty or write NA for a missing value, or, if it holds codes rather than amounts, call the column categorical");
  // A whole column written with the other decimal mark (a pandas column in a German export; an
  // amount in euros in a US file) is no text to leave out and no categories: said, in training
  // and in the preview.
  std::string german = "Betrag;Kurs;Preis\n";
  for (int i = 0; i < 40; ++i)
    german += std::to_string(10 + i) + "," + std::to_string(i % 9 + 1) + "5;" + std::to_string(i % 7) + "." + std::to_string(i % 9 + 1) +
              "5;" + std::to_string(i + 1) + ".263,91 \xE2\x82\xAC\n";
  const CsvTable sparse = parse_csv("alpha   beta   gamma\n1.5            3\n        2      3\n1       2.25   \n");
  EXPECT_EQ(sparse.separator, ' ');  // a blank cell in every line
  EXPECT_EQ(sparse.row(0), (std::vector<std::string>{"1.5", "", "3"}));
  EXPECT_EQ(sparse.row(1), (std::vector<std::string>{"", "2", "3"}));
  EXPECT_EQ(sparse.row(2), (std::vector<std::string>{"1", "2.25", ""}));
  const CsvTable pandas = parse_csv(german);
  ASSERT_EQ(pandas.numbers.decimal, ',');
  const std::vector<int64_t> forty = first_rows(40);
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(pandas, forty, options); }),
            "CSV line 2, column 'Kurs': '0.15' is written with '.' as the decimal mark, and this file's other numbers with ',' (a file "
            "put together from two sources?): write every number of the file one way (40 cells of the column written so; if they are codes such as versions, not "
            "numbers, call the column categorical); the file's decimal mark ',' is told by column 'Betrag' (line 2: '10,15'): if that "
            "column holds codes, not numbers, give it the role categorical and name the decimal mark '.' (the decimal mark menu on "
            "the page, --decimal-mark . for ca3, TableOptions.decimalMark in the SDK)");
  options.roles["Kurs"] = ColumnRole::categorical;  // as asked: codes such as versions
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(pandas, forty, options); }), "(no error)");
  options.roles["Kurs"] = ColumnRole::numeric;  // asked to be numeric: said the same way
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(pandas, forty, options); }),
            "CSV line 2, column 'Kurs': '0.15' is written with '.' as the decimal mark, and this file's other numbers with ',' (a file "
            "put together from two sources?): write every number of the file one way");
  options.roles.clear();
  EXPECT_EQ(describe_columns(pandas)[1].role, "numeric");
  EXPECT_EQ(describe_columns(pandas)[1].reason, "40 cells are written with the other decimal mark than the file's other numbers (line 2: "
                                                "'0.15'): write every number of the file one way");
  // Whole numbers grouped with dots (a population) beside decimal points (an area), as many of each:
  // no column of text, the same error.
  std::string populations = "id_k,Einwohner,Flaeche\n";
  for (int i = 0; i < 40; ++i)
    populations += "K" + std::to_string(i) + "," + std::to_string(1 + i % 9) + "." + std::to_string(100 + i * 17 % 900) + "." +
                   std::to_string(100 + i * 31 % 900) + "," + std::to_string(20 + i * 7) + "." + std::to_string(i % 10) + "\n";
  const CsvTable counted = parse_csv(populations);
  ASSERT_EQ(counted.numbers.decimal, '.');
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(counted, forty, options); }),
            "CSV line 2, column 'Einwohner': '1.100.100' groups its digits with '.', which this file's other numbers use as the "
            "decimal mark (a file put together from two sources?): write every number of the file one way (40 cells of the column "
            "written so; if they are codes such as versions, not numbers, call the column categorical); the file's decimal mark '.' is "
            "told by column 'Flaeche' (line 2: '20.0'): if that column holds codes, not numbers, give it the role categorical and "
            "name the decimal mark ',' (the decimal mark menu on the page, --decimal-mark , for ca3, TableOptions.decimalMark in the SDK)");
  const CsvTable euros = parse_csv("qty,weight,price\n1.5,0.25,\"1.263,91 \xE2\x82\xAC\"\n2.5,0.5,\"2.018,50 \xE2\x82\xAC\"\n"
                                   "3.5,1.25,\"12,50 \xE2\x82\xAC\"\n4.5,0.75,\"3.333,10 \xE2\x82\xAC\"\n");
  ASSERT_EQ(euros.numbers.decimal, '.');
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(euros, {0, 1, 2, 3}, options); }),
            "CSV line 2, column 'price': '1.263,91 \xE2\x82\xAC' is written with ',' as the decimal mark, and this file's other numbers "
            "with '.' (a file put together from two sources?): write every number of the file one way (4 cells of the column written so; if "
            "they are codes such as versions, not numbers, call the column categorical); the file's decimal mark '.' is told by "
            "column 'qty' (line 2: '1.5'): if that column holds codes, not numbers, give it the role categorical and name the "
            "decimal mark ',' (the decimal mark menu on the page, --decimal-mark , for ca3, TableOptions.decimalMark in the SDK)");
  // Cells that read either way are named too: fixed as told, the others would be misread.
  std::string ratios = "Betrag;ratio\n";
  for (int i = 0; i < 30; ++i) ratios += std::to_string(40 + i) + ",14;" + (i == 5 ? "0.5" : std::to_string(i % 4 + 1) + ".625") + "\n";
  const CsvTable mostly = parse_csv(ratios);
  ASSERT_EQ(mostly.numbers, (NumberFormat{',', '.'}));
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(mostly, rows, options); }),
            "CSV line 7, column 'ratio': '0.5' is written with '.' as the decimal mark, and this file's other numbers with ',' (a file put "
            "together from two sources?): write every number of the file one way; 29 cells of the column read either way and may be "
            "written so too: line 2 '1.625' reads as 1625 in this file");
  double v = 0;
  EXPECT_FALSE(parse_number("0.125", v, NumberFormat{',', '.'}));
  EXPECT_FALSE(parse_number("0x10", v));  // strtod would read hexadecimal
  EXPECT_FALSE(parse_number("0X1p4", v));
  EXPECT_TRUE(parse_number("1.250", v, NumberFormat{',', '.'}));
  EXPECT_EQ(v, 1250);
}

// The CLI's column table pads names by the columns a terminal gives them, not by bytes.
TEST(Text, DisplayWidthCountsCharactersNotBytes) {
  EXPECT_EQ(display_width("Menge"), 5u);
  EXPECT_EQ(display_width("Gepr\xC3\xBC" "ft"), 7u);             // ü: 2 bytes, one column
  EXPECT_EQ(display_width("Gepru\xCC\x88" "ft"), 7u);            // u + a combining diaeresis
  EXPECT_EQ(display_width("\xE6\xB8\xA9\xE5\xBA\xA6"), 4u);   // 温度: two wide characters
  EXPECT_EQ(display_width("\xE2\x82\xAC"), 1u);                  // €
}

// A column of one value and empty cells is a checkbox: the empty cells are a value of their own,
// in the preview and in training; a value never seen is none of the two.
TEST(Tabular, CheckboxColumnsKeepTheirEmptyCells) {
  const CsvTable t = parse_csv("checked,flag,v\n\xE2\x9C\x93,1,1.5\n,,2.5\n\xE2\x9C\x93,1,3.5\n,,4.5\n");
  const std::vector<ColumnSummary> read = describe_columns(t);
  EXPECT_EQ(read[0].role, "categorical");
  EXPECT_EQ(read[0].reason, "one value, '\xE2\x9C\x93', and 2 empty cells: read as two values, '\xE2\x9C\x93' and '(empty)', as a "
                            "checkbox (an empty cell is not imputed here: the column would say nothing)");
  EXPECT_EQ(read[1].role, "categorical");
  TabularOptions options;
  options.scaling = Scaling::standard;
  const TabularPreprocessor prep = TabularPreprocessor::fit(t, {0, 1, 2, 3}, options);
  EXPECT_EQ(prep.schema()[0].reason, read[0].reason);
  EXPECT_EQ(prep.feature_names(), (std::vector<std::string>{"checked=(empty)", "checked=\xE2\x9C\x93", "flag=(empty)", "flag=1", "v"}));
  const Tensor x = TabularPreprocessor::from_json(prep.to_json()).transform(parse_csv("checked,flag,v\n,1,1\n\xE2\x9C\x93,,1\n"));
  EXPECT_EQ(std::vector<float>(x.data(), x.data() + 4), (std::vector<float>{1, 0, 0, 1}));
  EXPECT_EQ(std::vector<float>(x.data() + 5, x.data() + 9), (std::vector<float>{0, 1, 1, 0}));
  // A role given keeps the column as asked.
  options.roles["flag"] = ColumnRole::numeric;
  EXPECT_EQ(TabularPreprocessor::fit(t, {0, 1, 2, 3}, options).feature_names()[2], "flag");
}

// Spellings of one value that differ only in letter case ("x" and "X", "Rot" and "ROT") are one
// category, the most frequent spelling, said in the preview and in training; scoring matches a
// value ignoring case (also one never spelled so in training) and says so. A ticked box written
// "x" or "X" stays a checkbox.
TEST(Tabular, CategoriesSpelledInOtherCaseAreOneValue) {
  const CsvTable t = parse_csv("checked;colour;v\nx;Rot;1\n;rot;2\nX;Rot;3\nx;Blau;4\n;ROT;5\nx;Blau;6\n");
  const std::vector<ColumnSummary> read = describe_columns(t);
  EXPECT_EQ(read[0].distinct, 1);
  EXPECT_EQ(read[0].reason, "one value, 'x', and 2 empty cells: read as two values, 'x' and '(empty)', as a checkbox (an "
                            "empty cell is not imputed here: the column would say nothing); read as one value whatever "
                            "the letter case: 'x' (3) and 'X' (1) as 'x'");
  EXPECT_EQ(read[1].distinct, 2);
  EXPECT_EQ(read[1].reason, "read as one value whatever the letter case: 'Rot' (2), 'ROT' (1) and 'rot' (1) as 'Rot'");
  EXPECT_EQ(describe_columns(parse_csv("c,v\nA,1\na,2\nB,3\nb,4\nC,5\nc,6\nD,7\nd,8\nE,9\ne,1\n"))[0].reason,
            "read as one value whatever the letter case: 'A' (1) and 'a' (1) as 'A'; 'B' (1) and 'b' (1) as 'B'; 'C' (1) "
            "and 'c' (1) as 'C'; and 2 more");
  TabularOptions options;
  const TabularPreprocessor prep = TabularPreprocessor::fit(t, {0, 1, 2, 3, 4, 5}, options);
  EXPECT_EQ(prep.schema()[0].reason, read[0].reason);
  EXPECT_EQ(prep.schema()[1].reason, "2 values (" + read[1].reason + ")");
  EXPECT_EQ(prep.feature_names(), (std::vector<std::string>{"checked=(empty)", "checked=x", "colour=Blau", "colour=Rot", "v"}));
  const TabularPreprocessor saved = TabularPreprocessor::from_json(prep.to_json());
  const CsvTable scored = parse_csv("checked;colour;v\nX;BLAU;1\n;rOT;1\nx;Gelb;1\n");
  const Tensor x = saved.transform(scored);
  EXPECT_EQ(std::vector<float>(x.data(), x.data() + 4), (std::vector<float>{0, 1, 1, 0}));
  EXPECT_EQ(std::vector<float>(x.data() + 5, x.data() + 9), (std::vector<float>{1, 0, 0, 1}));
  EXPECT_EQ(std::vector<float>(x.data() + 10, x.data() + 14), (std::vector<float>{0, 1, 0, 0}));
  EXPECT_EQ(saved.scoring_notes(scored),
            (std::vector<std::string>{"values read ignoring letter case: 'checked' 1 row ('X' as 'x' on line 2), 'colour' 2 rows "
                                      "('BLAU' as 'Blau' on line 2; 'rOT' as 'Rot' on line 3)",
                                      "values never seen in training, read as none of the column's known values: 'colour' "
                                      "1 row ('Gelb' on line 4)"
                                      ". If one is misspelt, correct it and score the file again; a new value is one the model knows nothing "
                                      "of: train again on a file that has it"}));
  // Empty lines are skipped when scoring too, and said (a row's number is then not its line's).
  EXPECT_EQ(saved.scoring_notes(parse_csv("checked;colour;v\nx;Rot;1\n;;\n\nx;Rot;2\n")),
            (std::vector<std::string>{"2 empty lines (blank or only separators) skipped, not scored: lines 3, 4"}));
  EXPECT_EQ(saved.scoring_notes(parse_csv("checked;colour;v;id\nx;Rot;1;7\n;NA;;8\n"))[1],
            "1 row has no value in any column the model reads: each cell filled in with training's median or most frequent "
            "value, so its score says nothing of the row (line 3)");
}

// Lines that end with the separator (some spreadsheets write "a;b;c;"): the nameless empty last
// column is no column, and said; a value under it, a nameless column elsewhere or two columns of
// one name are refused naming the columns.
TEST(Csv, TrailingSeparatorAndNamelessColumns) {
  const CsvTable t = parse_csv("temp;flow;label;\n21,5;3;ok;\n;;;\n22,5;4;bad\n");
  EXPECT_EQ(t.header, (std::vector<std::string>{"temp", "flow", "label"}));
  EXPECT_EQ(t.trailing_separators, 1u);
  ASSERT_EQ(t.row_count(), 2u);
  EXPECT_EQ(t.cell(1, 0), "22,5");
  EXPECT_EQ(t.cell(1, 2), "bad");
  EXPECT_EQ(t.empty_row_lines, (std::vector<int64_t>{3}));
  // A line of only separators, longer than the header, is skipped whole (with or without a
  // trailing separator): the rows after it keep their cells.
  for (const char* text : {"a,b,c\n5,2.5,x\n,,,,,\n8,5.5,y\n", "a,b,c,\n5,2.5,x,\n,,,,,\n8,5.5,y,\n"}) {
    const CsvTable u = parse_csv(text);
    ASSERT_EQ(u.row_count(), 2u) << text;
    EXPECT_EQ(u.cell(1, 0), "8") << text;
    EXPECT_EQ(u.cell(1, 2), "y") << text;
  }
  std::vector<std::string> notes;
  tabular_labels(t, TabularOptions{}, &notes);
  EXPECT_EQ(notes.at(0), "the header ends with the separator (as some spreadsheets write every line): the nameless, empty "
                         "last column it makes is left out");
  // Two (or more) separators at the end of every line: as many nameless columns.
  const CsvTable two = parse_csv("temp;flow;;\n21,5;3;;\n22,5;4;\n;;;;\n23;5\n");
  EXPECT_EQ(two.header, (std::vector<std::string>{"temp", "flow"}));
  ASSERT_EQ(two.row_count(), 3u);
  EXPECT_EQ(two.cell(2, 0), "23");
  EXPECT_EQ(two.cell(1, 1), "4");
  notes.clear();
  tabular_labels(two, TabularOptions{}, &notes);
  EXPECT_EQ(notes.at(0), "the header ends with 2 separators (as some spreadsheets write every line): the 2 nameless, "
                         "empty last columns they make are left out");
  EXPECT_EQ(error_of([] { parse_csv("a;b;;\n1;2;;x\n"); }),
            "CSV line 2: 'x' stands after the last named column (the header ends with the separator, so the column after "
            "it has no name): name that column in the header");
  // Lines of only separators above the header (a spreadsheet's empty top rows) are skipped.
  const CsvTable top = parse_csv(",,,\n,,\nregion,qty\nN,1\n");
  EXPECT_EQ(top.header, (std::vector<std::string>{"region", "qty"}));
  EXPECT_EQ(top.row_line(0), 4);
  EXPECT_EQ(parse_csv("a;b;;\n1;2;;;\n").row_count(), 1u);  // one more empty field: no cell either
  // Only the data lines end with a separator: the empty field after them is no cell, said; a
  // value there is a field too many.
  const CsvTable lines_only = parse_csv("a,b\n3,0.5,\n2,0.25\n4,0.75,,\n");
  ASSERT_EQ(lines_only.row_count(), 3u);
  EXPECT_EQ(lines_only.cell(2, 1), "0.75");
  notes.clear();
  tabular_labels(lines_only, TabularOptions{}, &notes);
  EXPECT_EQ(notes.at(0), "2 lines end with a separator the header does not have (the first on line 2): the empty field "
                         "after the last named column is left out");
  EXPECT_EQ(error_of([] { parse_csv("a,b\n3,0.5,\n2,0.25,x\n"); }),
            "CSV line 3: 3 fields, the header has 2 ('2,0.25,x'): a value that holds the separator needs quotes around it");
  EXPECT_EQ(error_of([] { parse_csv("a;b;\n1;2;x\n"); }),
            "CSV line 2: 'x' stands after the last named column (the header ends with the separator, so the column after "
            "it has no name): name that column in the header");
  EXPECT_EQ(error_of([] { parse_csv(",a,b\n0,1,2\n"); }),
            "CSV line 2: '0' stands in column 1, which has no name in the header: give it one in the first line (a first "
            "column of row numbers, as pandas' to_csv writes without index=False, named id is left out as an identifier)");
  // A nameless column with no value is a spreadsheet's spacer between blocks: left out, said, in a
  // whole file and in a stream's pieces; a value in it (on a later line) is refused there.
  const CsvTable spacer = parse_csv("Datum;Umsatz;;Kosten\n01.03.2024;1064,41;;643,48\n02.03.2024;961,77; ;567,23\n");
  EXPECT_EQ(spacer.header, (std::vector<std::string>{"Datum", "Umsatz", "(column 3)", "Kosten"}));
  EXPECT_EQ(spacer.nameless_columns, (std::vector<size_t>{2}));
  EXPECT_EQ(spacer.cell(1, 3), "567,23");
  notes.clear();
  tabular_labels(spacer, TabularOptions{}, &notes);
  EXPECT_EQ(notes, (std::vector<std::string>{"column 3 has no name and no value (a spacer column, as spreadsheets leave between "
                                             "blocks): left out"}));
  EXPECT_EQ(describe_columns(spacer)[2].role, "empty");
  std::vector<int64_t> spacer_rows{0, 1};
  EXPECT_EQ(TabularPreprocessor::fit(spacer, spacer_rows, TabularOptions{}).feature_names(), (std::vector<std::string>{"Umsatz", "Kosten"}));
  CsvStream pieces;
  pieces.push("Datum;Umsatz;;Kosten\n01.03.2024;1064,41;;643,48\n02.03.2024;961,77;;567,23\n");
  pieces.finish();
  const std::optional<CsvTable> piece = pieces.next(1000);
  ASSERT_TRUE(piece.has_value());
  EXPECT_EQ(piece->nameless_columns, (std::vector<size_t>{2}));
  EXPECT_EQ(error_of([] { parse_csv("a;;c\n1;;3\n4;;6\n7;x;9\n"); }),
            "CSV line 4: 'x' stands in column 2, which has no name in the header: give it one in the first line");
  EXPECT_EQ(error_of([] { parse_csv("a,b,a\n0,1,2\n"); }),
            "CSV line 1: two columns are named 'a' (columns 1 and 3): rename one, so that each can be told apart");
}

// Durations past a day's clock ("34:39:00") are numbers of seconds, in the preview, in training
// and in scoring; clock times alone ("08:15") stay dates or times.
TEST(Tabular, DurationsAreSeconds) {
  const CsvTable t = parse_csv("runtime,start,v\n34:39:00,08:00,1\n4:01:30.5,09:15,2\n120:00:00,10:30,3\n,11:45,4\n");
  const std::vector<ColumnSummary> read = describe_columns(t);
  EXPECT_EQ(read[0].role, "numeric");
  EXPECT_EQ(read[0].reason, "durations (hours:minutes[:seconds]), read as seconds ('34:39:00' is 124740)");
  EXPECT_EQ(read[1].role, "dates");
  TabularOptions options;
  options.scaling = Scaling::standard;
  const TabularPreprocessor prep = TabularPreprocessor::fit(t, {0, 1, 2, 3}, options);
  EXPECT_EQ(prep.schema()[0].reason, read[0].reason + "; 1 missing cell (line 5) imputed with the median");
  EXPECT_DOUBLE_EQ(prep.columns()[0].mean, (124740.0 + 14490.5 + 432000) / 3);
  const TabularPreprocessor copy = TabularPreprocessor::from_json(prep.to_json());
  EXPECT_EQ(copy.transform(parse_csv("runtime,v\n4:01:30,2\n")).to_vector(), prep.transform(parse_csv("runtime,v\n4:01:30,2\n")).to_vector());
  EXPECT_EQ(error_of([&] { copy.transform(parse_csv("runtime,v\n4 h,2\n")); }),
            "CSV line 2, column 'runtime': '4 h' is not a duration written hours:minutes[:seconds] (minutes and seconds from 00 to 59), as the column's "
            "training values were");
  // Race times: h:mm:ss beside m:ss, the two-part cells minutes; hours:minutes past a day.
  const CsvTable race = parse_csv("bib,chip,spent\nB0,1:34:15,25:30\nB1,48:08,2:15\nB2,52:30,120:00\n");
  EXPECT_EQ(describe_columns(race)[1].reason, "durations (h:mm:ss, and m:ss where a cell has two parts), read as seconds "
                                              "('1:34:15' is 5655, '48:08' is 2888)");
  EXPECT_EQ(describe_columns(race)[2].reason, "durations (hours:minutes[:seconds]), read as seconds ('25:30' is 91800)");
  const TabularPreprocessor times = TabularPreprocessor::fit(race, {0, 1, 2}, options);
  EXPECT_DOUBLE_EQ(times.columns()[1].mean, (5655.0 + 2888 + 3150) / 3);
  EXPECT_EQ(TabularPreprocessor::from_json(times.to_json()).transform(race).to_vector(), times.transform(race).to_vector());
  // Clock times, closing at 24:00, are no durations.
  EXPECT_NE(describe_columns(parse_csv("closes\n18:00\n22:00\n24:00\n"))[0].role, "numeric");
}

// Hours:minutes under a day ("7:17" worked, "0:30" break) cannot tell a duration from a time of
// day: left out as dates, said so with the way to keep them; asked to be numeric, they are hours
// and minutes in seconds, and their values are written back so ("typical 8:12", "with 0:45").
TEST(Tabular, ClockTimesAskedToBeNumericAreHoursAndMinutes) {
  std::string text = "who;worked;break\n";
  for (int i = 0; i < 12; ++i) text += detail::concat("MA", i % 4, ";", 6 + i % 4, ":", 10 + 3 * i, ";0:", i % 2 ? "30" : "45", "\n");
  const CsvTable table = parse_csv(text);
  const std::vector<int64_t> rows = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  const std::string left_out = "times of day, or durations under a day (hours:minutes): left out of training as dates are; "
                               "give the column the role numeric to read them as hours and minutes, in seconds";
  EXPECT_EQ(describe_columns(table)[1].role, "dates");
  EXPECT_EQ(describe_columns(table)[1].reason, left_out);
  EXPECT_EQ(TabularPreprocessor::fit(table, rows, {}).schema()[1].reason, left_out);
  TabularOptions options;
  options.roles = {{"worked", ColumnRole::numeric}, {"break", ColumnRole::numeric}};
  const TabularPreprocessor prep = TabularPreprocessor::fit(table, rows, options);
  EXPECT_EQ(prep.schema()[1].role, "numeric");
  EXPECT_EQ(prep.schema()[1].reason, "hours:minutes[:seconds] under a day (durations, or times of day as seconds after "
                                     "0:00), read as seconds, as the role numeric asks ('6:10' is 22200)");
  EXPECT_DOUBLE_EQ(prep.columns()[2].fill, 0.5 * (1800 + 2700));
  EXPECT_EQ(value_text(prep.columns()[1], 29520, {','}), "8:12");
  EXPECT_EQ(value_text(prep.columns()[1], 29521, {','}), "8:12:01");
  EXPECT_EQ(value_text(prep.columns()[2], -2700, {}), "-0:45");
  // Scored: past a day reads too; a missing break is filled with the median, written as the cells are.
  const TabularPreprocessor copy = TabularPreprocessor::from_json(prep.to_json());
  const CsvTable scored = parse_csv("who;worked;break\nMA1;25:10;\n");
  const std::vector<float> filled = copy.transform(scored).to_vector(),
                           written = copy.transform(parse_csv("who;worked;break\nMA1;25:10;0:37:30\n")).to_vector();
  EXPECT_EQ(filled, written);
  EXPECT_GT(filled.at(filled.size() - 2), 2.f);  // 25:10, far above the training's 6:10 to 9:43
  CellNotes notes(copy);
  notes.add(scored);
  EXPECT_EQ(notes.notes().at(0), "missing cells filled in as in training: 'break' 1 cell on line 2 (with 0:37:30, the training median)");
  // One cell that is no clock time among them is named, with how many.
  std::string typo = text;
  typo.replace(typo.find("0:30"), 4, "0:60");
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(parse_csv(typo), rows, options); }),
            "CSV line 3, column 'break': '0:60' is not hours:minutes[:seconds] as the column's other cells are (minutes "
            "and seconds run from 00 to 59; 1 cell of the column so): fix it, or leave the cell empty for a missing value");
}

// What reading a table for scoring decides is said: names matched loosely, columns left out,
// missing cells filled in, categories never seen.
TEST(Tabular, ScoringNotesSayWhatWasDecided) {
  const CsvTable train = parse_csv("id,temp,colour,label\n1,20.5,red,ok\n2,21.5,red,ok\n3,22.5,blue,ok\n4,30,red,bad\n");
  TabularOptions options = labelled("label", {"ok"});
  const TabularPreprocessor prep = TabularPreprocessor::fit(train, {0, 1, 2, 3}, options);
  const CsvTable scored = parse_csv("TEMP ,colour,site,id\n21,green,a,1\n,teal,a,2\nNA,,a,3\n22,red,a,4\n23,green,a,5\n");
  EXPECT_EQ(prep.scoring_notes(scored),
            (std::vector<std::string>{
                "columns matched ignoring case, spaces or Unicode form: 'TEMP ' as 'temp'",
                "a column the model does not know, left out: 'site'",
                "1 row has no value in any column the model reads: each cell filled in with training's median or most frequent value, "
                "so its score says nothing of the row (line 4)",
                "missing cells filled in as in training: 'temp' 2 cells on lines 3, 4 (with 22, the training median), 'colour' 1 "
                "cell on line 4 (with 'red', the most frequent)",
                "values never seen in training, read as none of the column's known values: 'colour' 3 rows ('green' on "
                "lines 2, 6; 'teal' on line 3)"
                ". If one is misspelt, correct it and score the file again; a new value is one the model knows nothing "
                "of: train again on a file that has it"}));
  EXPECT_EQ(prep.scoring_notes(scored, false).size(), 2u);
  EXPECT_TRUE(prep.scoring_notes(train).empty());
  // Each value never seen is given with its lines, the first three, so that a typo can be found;
  // the first three values of a column, "..." for more. A stream's later batch counts on.
  const CsvTable many = parse_csv("temp,colour\n21,grey\n22,grey\n23,red\n24,grey\n25,gray\n26,grey\n27,teal\n28,pink\n");
  EXPECT_EQ(prep.scoring_notes(many).back(),
            "values never seen in training, read as none of the column's known values: 'colour' 7 rows ('grey' on lines "
            "2, 3, 5 and 1 more; 'gray' on line 6; 'teal' on line 8; ...)"
            ". If one is misspelt, correct it and score the file again; a new value is one the model knows nothing "
            "of: train again on a file that has it");
  // A value a letter or two from a known one is said with it, as a likely typo; a code a digit
  // from another is not.
  const TabularPreprocessor cities = TabularPreprocessor::fit(
      parse_csv("city,site,v\nMunich,S1,1\nBerlin,S2,2\nHamburg,S3,3\nMunich,S1,2\nBerlin,S2,3\n"), {0, 1, 2, 3, 4}, TabularOptions{});
  EXPECT_EQ(cities.scoring_notes(parse_csv("city,site,v\nBerlin,S2,1\nMnuich,S4,2\nBerlni,S1,2\nParis,S1,3\n")).back(),
            "values never seen in training, read as none of the column's known values: 'city' 3 rows ('Mnuich' on line 3, like "
            "'Munich'; 'Berlni' on line 4, like 'Berlin'; 'Paris' on line 5), 'site' 1 row ('S4' on line 3). If one is misspelt, "
            "correct it and score the file again; a new value is one the model knows nothing of: train again on a file that has it");
  CellNotes batches(prep);
  CsvStream pieces;
  pieces.push("temp,colour\n21,red\n22,red\n23,teal\n24,red\n25,teal\n");
  pieces.finish();
  while (const std::optional<CsvTable> batch = pieces.next(2)) batches.add(*batch);
  EXPECT_EQ(batches.notes().back(),
            "values never seen in training, read as none of the column's known values: 'colour' 2 rows ('teal' on lines 4, 6)"
            ". If one is misspelt, correct it and score the file again; a new value is one the model knows nothing "
            "of: train again on a file that has it");
  // The micro sign and the Greek mu look alike: one name ("Größe µm" typed on two keyboards), as
  // Greek and Cyrillic names in another case are.
  const CsvTable sizes = parse_csv("Gr\xC3\xB6\xC3\x9F" "e \xCE\xBCm,\xCE\xA3\xCE\xA5\xCE\x9D\n1,2\n");
  EXPECT_EQ(sizes.find_column("Gr\xC3\xB6\xC3\x9F" "e \xC2\xB5m"), 0);
  EXPECT_EQ(sizes.find_column("\xCF\x83\xCF\x85\xCE\xBD"), 1);  // "συν" for "ΣΥΝ"
}

// The columns `ca3 score` writes beside the scores: those named as identifiers (matched as
// column names are) and those named like one; not an empty column or one ignored by role; then
// the dates (written dates, Unix time, times of day), kept with the model.
TEST(Tabular, IdentifierColumnsAreTheDroppedOnesThatNameARow) {
  const CsvTable train = parse_csv("order,site_id,note,size,day,ts,start\nA-1,3,,1.5,2024-03-01,1704067205,7:15\n"
                                   "A-2,4,,2.5,2024-03-02,1704067265,7:45\nA-3,3,,3.5,2024-03-04,1704067325,8:05\n");
  TabularOptions options;
  options.id_columns = {"ORDER"};
  options.roles["size"] = ColumnRole::numeric;
  const TabularPreprocessor prep = TabularPreprocessor::fit(train, {0, 1, 2}, options);
  EXPECT_EQ(prep.dropped_columns(), (std::vector<std::string>{"order", "site_id", "note", "day", "ts", "start"}));
  EXPECT_EQ(prep.identifier_columns(), (std::vector<std::string>{"order", "site_id"}));
  EXPECT_EQ(prep.date_columns(), (std::vector<std::string>{"day", "ts", "start"}));
  const TabularPreprocessor loaded = TabularPreprocessor::from_json(prep.to_json());
  EXPECT_EQ(loaded.identifier_columns(), prep.identifier_columns());
  EXPECT_EQ(loaded.date_columns(), prep.date_columns());
  nlohmann::json older = prep.to_json();  // a model saved before the dates were kept: none
  older.erase("dates");
  EXPECT_TRUE(TabularPreprocessor::from_json(older).date_columns().empty());
}

// A code of its own in every row ("RE-2024-1000", a document number) names the row: an identifier,
// written beside the scores, in the preview too; distinct sentences are free text, and so are
// distinct codes missing in many rows (no name for every row).
TEST(Tabular, ACodeOfEachRowsOwnIsAnIdentifier) {
  std::string text = "Beleg;Bemerkung;Ref;Betrag\n";
  for (int i = 0; i < 40; ++i)
    text += detail::concat("RE-2024-", 1000 + i, ";paid on day ", i, " by card;", i % 4 == 0 ? "" : "X" + std::to_string(i), ";",
                           100 + 3 * i % 17, "\n");
  const CsvTable t = parse_csv(text);
  const TabularPreprocessor prep = TabularPreprocessor::fit(t, first_rows(40), TabularOptions{});
  EXPECT_EQ(prep.schema()[0].role, "identifier");
  // (counted in the rows trained on: a file's split leaves the others out, helper-116)
  EXPECT_EQ(prep.schema()[0].reason, "40 distinct values in 40 training rows, codes such as 'RE-2024-1000': an identifier of each row "
                                     "(a document or order number), left out of training and written beside the scores");
  EXPECT_EQ(prep.schema()[1].role, "free text");
  EXPECT_EQ(prep.schema()[2].role, "free text");
  EXPECT_EQ(prep.identifier_columns(), (std::vector<std::string>{"Beleg"}));
  EXPECT_EQ(TabularPreprocessor::from_json(prep.to_json()).identifier_columns(), (std::vector<std::string>{"Beleg"}));
  const std::vector<ColumnSummary> preview = describe_columns(t);
  EXPECT_EQ(preview[0].role, "identifier");
  EXPECT_EQ(preview[0].reason, "40 distinct values in 40 rows, codes such as 'RE-2024-1000': an identifier of each row (a document or "
                               "order number), left out of training and written beside the scores");
  EXPECT_EQ(preview[1].role, "free text");
}

// A file whose numbers read either way ("1.013": 1013 with thousands dots, 1.013 with a decimal
// dot) is read by a model in the format of the file it was trained on; a file that decides is
// read in its own.
TEST(Tabular, AFileThatCannotTellItsNumberFormatIsReadInTheTrainingFiles) {
  const CsvTable train = parse_csv("t;p;label\n21,5;1.013,2;ok\n22,1;1.020,5;ok\n20,9;998,0;ok\n23,0;1.040,0;bad\n");
  ASSERT_EQ(train.numbers, (NumberFormat{',', '.'}));
  EXPECT_FALSE(train.numbers_guessed);
  TabularOptions options = labelled("label", {"ok"});
  options.scaling = Scaling::standard;
  const TabularPreprocessor prep = TabularPreprocessor::fit(train, {0, 1, 2, 3}, options);
  // (tab-separated: in a ';'-separated file that cannot tell, '.' groups thousands, as the
  // training file's; below)
  const CsvTable unsure = parse_csv("t\tp\n21\t1.013\n22\t1.250\n");
  EXPECT_TRUE(unsure.numbers_guessed);
  // Trained on such a file, the choice is said.
  std::vector<std::string> notes;
  tabular_labels(parse_csv("a\tp\tlabel\nA0\t1.581\tbad\nA1\t2.250\tok\n"), options, &notes);
  EXPECT_EQ(notes, (std::vector<std::string>{"numbers such as '1.581' read either way ('.' as a decimal mark or as a "
                                             "thousands separator) and no cell of the file tells which: read as 1.581; "
                                             "so read because the file is separated by tabs, not by ';', which is what "
                                             "spreadsheets write where the comma is the decimal mark; "
                                             "if '.' groups thousands here, name the decimal mark ',' "
                                             "(the decimal mark menu on the page, --decimal-mark , for ca3, TableOptions.decimalMark in the SDK)"}));
  notes.clear();  // in a ';'-separated file (a spreadsheet's where the comma is the decimal mark), '.' groups thousands
  tabular_labels(parse_csv("a;p;label\nA0;1.581;bad\nA1;2.250;ok\n"), options, &notes);
  EXPECT_EQ(notes, (std::vector<std::string>{"numbers such as '1.581' read either way ('.' as a decimal mark or as a "
                                             "thousands separator) and no cell of the file tells which: read as 1581; "
                                             "so read because the file is separated by ';', as spreadsheets write it where "
                                             "the comma is the decimal mark; if '.' is the decimal mark here, name it "
                                             "(the decimal mark menu on the page, --decimal-mark . for ca3, TableOptions.decimalMark in the SDK)"}));
  notes.clear();  // read as thousands in a ',' file: the other advice
  tabular_labels(parse_csv("a,p,label\nA0,\"96,928\",bad\nA1,\"2,250\",ok\n"), options, &notes);
  EXPECT_EQ(notes.at(0), "numbers such as '96,928' read either way (',' as a decimal mark or as a thousands separator) and "
                         "no cell of the file tells which: read as 96928; so read because the file is separated by ',', not by ';', "
                         "which is what spreadsheets write where the comma is the decimal mark; if ',' is the decimal mark here, name it "
                         "(the decimal mark menu on the page, --decimal-mark , for ca3, TableOptions.decimalMark in the SDK)");
  const std::vector<float> plain = prep.transform(parse_csv("t;p\n21;1013\n22;1250\n")).to_vector();
  EXPECT_EQ(prep.transform(unsure).to_vector(), plain);
  EXPECT_EQ(TabularPreprocessor::from_json(prep.to_json()).transform(unsure).to_vector(), plain);
  EXPECT_EQ(prep.scoring_notes(unsure).at(0), "numbers such as '1.013' read either way and no cell of the file tells "
                                              "which: read as the model's training file wrote them, with the decimal mark "
                                              "',' ('1.013' is 1013)");
  // Not so in a file whose separator is the comma (the training file's was ';'): there the mark '.'
  // is a decimal point, said with the way to read it as training did.
  const CsvTable commas = parse_csv("t,p\n21,1.013\n22,1.250\n");
  EXPECT_EQ(prep.reading_format(commas).decimal, '.');
  EXPECT_NE(prep.transform(commas).to_vector(), plain);
  EXPECT_EQ(prep.scoring_notes(commas), (std::vector<std::string>{
      "numbers such as '1.013' read either way and no cell of the file tells which: read with the decimal mark '.', as a "
      "comma-separated file writes them ('1.013' is 1.013), not as the model's training file did (1013); if they are "
      "written as there, name the decimal mark ',' (the decimal mark menu on the page, --decimal-mark , for ca3, "
      "TableOptions.decimalMark in the SDK)",
      // (read so, the values lie far below training's: said too)
      "2 rows hold values far outside the training's range (beyond it by more than its width): 'p' 2 rows (line 2: '1.013', "
      "line 3: '1.250'; training 998 to 1040). The model never saw the like, so its score cannot say how far out these rows lie (if it "
      "was trained with labelled anomalies, it may even score them as normal): look at them whatever their score (lines 2, 3)"}));
  // A file whose numbers tell the other mark ("1012.5" where training wrote "1012,5"): read right, and said.
  EXPECT_EQ(prep.scoring_notes(parse_csv("t,p\n21,1012.5\n22,1013\n")), (std::vector<std::string>{
      "read with the decimal mark '.' that the file's numbers tell (line 2, column 'p': '1012.5'), where the model's "
      "training file wrote ','"}));
  // A model whose comma-separated training file was read with the decimal comma, named so ("1.016"
  // hPa, '.' grouping thousands), reads a comma-separated file that cannot tell as it did.
  CsvOptions named;
  named.numbers = number_format_named(",");
  const CsvTable comma_file = parse_csv("t,p\n21,1.013\n22,1.250\n23,1.100\n", named);
  const TabularPreprocessor comma_model = TabularPreprocessor::fit(comma_file, {0, 1, 2}, {});
  EXPECT_EQ(TabularPreprocessor::from_json(comma_model.to_json()).reading_format(commas), (NumberFormat{',', '.'}));
  EXPECT_EQ(comma_model.transform(commas).to_vector(), comma_model.transform(parse_csv("t,p\n21,1013\n22,1250\n")).to_vector());
  // A model of a file that grouped no digits reads a file that cannot tell with its decimal mark,
  // the other mark grouping thousands ("12,500" beside "100.5" is 12500).
  const TabularPreprocessor dots = TabularPreprocessor::fit(parse_csv("t,p\n21.5,100.5\n22,200\n23,300.25\n"), {0, 1, 2}, {});
  const CsvTable grouped = parse_csv("t,p\n21,\"12,500\"\n22,300\n");
  EXPECT_TRUE(grouped.numbers_guessed);
  EXPECT_EQ(dots.reading_format(grouped), (NumberFormat{'.', ','}));
  EXPECT_EQ(dots.transform(grouped).to_vector(), dots.transform(parse_csv("t,p\n21,12500\n22,300\n")).to_vector());
  // Not in a file of another separator: in a ';' file "1,250" may as well be 1.25.
  EXPECT_EQ(dots.reading_format(parse_csv("t;p\n21;1,250\n22;300\n")).thousands, 0);
  // A file that decides (a decimal dot elsewhere) is read in its own format: 1.013 is 1.013.
  const CsvTable decided = parse_csv("t;p\n21.5;1.013\n22;1.250\n");
  EXPECT_FALSE(decided.numbers_guessed);
  EXPECT_NE(prep.transform(decided).at(1), plain[1]);
  // A model saved before the format was kept reads such a file in the file's guess.
  nlohmann::json older = prep.to_json();
  older.erase("decimalMark"), older.erase("thousandsSeparator");
  EXPECT_NE(TabularPreprocessor::from_json(older).transform(unsure).to_vector(), plain);
}

// The other way round: the training file could not tell ("1.016" only; read with the decimal dot,
// as said) and the scored file tells the decimal comma ("1.012,5"), so its "1.016" is 1016. Scored
// so, every row would be an anomaly without a word (a newcomer's weather export, Luftdruck in hPa,
// tab-separated: a ';'-separated one reads "1.016" as 1016 from the start, below):
// scoring stops, naming the cell, both readings, the cell that decided and both ways to fix it.
TEST(Tabular, AGuessedTrainingFormatThatTheScoredFileContradictsStopsScoring) {
  const CsvTable train = parse_csv("station\tp\tt\nW1\t1.016\t24\nW3\t1.005\t20\nW2\t1.011\t21\nW1\t1.009\t22\n");
  ASSERT_TRUE(train.numbers_guessed);
  ASSERT_EQ(train.numbers.decimal, '.');
  const TabularPreprocessor prep = TabularPreprocessor::fit(train, {0, 1, 2, 3}, {});
  const CsvTable scored = parse_csv("station\tp\tt\nW1\t1.016\t24\nW2\t1.012,5\t25\n");
  ASSERT_EQ(scored.numbers.decimal, ',');
  ASSERT_FALSE(scored.numbers_guessed);
  const std::string message =
      "CSV line 2, column 'p': '1.016' reads as 1016 in this file, whose decimal mark is ',' (line 3, column 'p': "
      "'1.012,5'), and as 1.016 in the model's training file, whose numbers all read either way and were read with the "
      "decimal mark '.': scores would compare numbers read in two ways. If the training "
      "file's numbers are written as this file's, train again with the decimal mark ',' named (the decimal mark menu on "
      "the page, --decimal-mark , for ca3, TableOptions.decimalMark in the SDK); if this file is written otherwise than "
      "the training file, write its numbers with the decimal mark '.'";
  EXPECT_EQ(error_of([&] { prep.transform(scored); }), message);
  // The same from the saved model; a model saved before the guess was kept scores as before.
  EXPECT_EQ(error_of([&] { TabularPreprocessor::from_json(prep.to_json()).transform(scored); }), message);
  nlohmann::json older = prep.to_json();
  ASSERT_TRUE(older.value("decimalMarkGuessed", false));
  older.erase("decimalMarkGuessed");
  EXPECT_EQ(TabularPreprocessor::from_json(older).transform(scored).dim(0), 2);
  // A cell that cannot be read in the training file's format at all is said so.
  EXPECT_EQ(error_of([&] { prep.transform(parse_csv("station\tp\tt\nW2\t1.012,5\t25\n")); }).substr(0, 171),
                       "CSV line 2, column 'p': '1.012,5' reads as 1012.5 in this file, whose decimal mark is ',' (line 2, "
                       "column 'p': '1.012,5'), and not as a number in the model's training file");
  // Cells that read alike both ways score: whole numbers, or a file written as the training file.
  EXPECT_EQ(prep.transform(parse_csv("station\tp\tt\nW1\t1016\t24,5\n")).dim(0), 1);
  EXPECT_EQ(prep.transform(parse_csv("station\tp\tt\nW1\t1.016\t24.5\n")).dim(0), 1);
  // A training file that told its format is no guess: a scored file in the other is read in its own.
  const TabularPreprocessor told = TabularPreprocessor::fit(parse_csv("station\tp\tt\nW1\t1.016\t24.5\nW3\t1.005\t20\n"), {0, 1}, {});
  EXPECT_FALSE(told.to_json().contains("decimalMarkGuessed"));
  EXPECT_EQ(told.transform(scored).dim(0), 2);
  // Trained with the decimal mark named (',': '.' groups thousands), the training file reads 1016
  // and no guess is left; scoring reads the file as it tells.
  CsvOptions named;
  named.numbers = number_format_named(",");
  const CsvTable comma = parse_csv("station\tp\tt\nW1\t1.016\t24\nW3\t1.005\t20\nW2\t1.011\t21\nW1\t1.009\t22\n", named);
  EXPECT_FALSE(comma.numbers_guessed);
  const TabularPreprocessor with_mark = TabularPreprocessor::fit(comma, {0, 1, 2, 3}, {});
  EXPECT_DOUBLE_EQ(with_mark.columns()[1].fill, 0.5 * (1009 + 1011));
  const std::vector<float> same = with_mark.transform(scored).to_vector();
  ASSERT_EQ(with_mark.feature_names().at(3), "p");  // after station's three categories
  const size_t width = size_t(with_mark.features());
  EXPECT_EQ(same.at(width + 3), with_mark.transform(parse_csv("station\tp\tt\nW2\t1012,5\t25\n")).at(3));
  EXPECT_EQ(same.at(3), with_mark.transform(parse_csv("station\tp\tt\nW2\t1016\t25\n")).at(3));
  EXPECT_NE(same.at(3), same.at(width + 3));
  EXPECT_EQ(error_of([] { number_format_named(";"); }), "the decimal mark is ',' or '.', not ';'");
  // Named so, the cells still could not tell: a file whose "24.5" tells the decimal point, whose
  // "1.016" would so be 1.016, is refused as after a guess.
  EXPECT_EQ(error_of([&] { with_mark.transform(parse_csv("station\tp\tt\nW1\t1.016\t24.5\n")); }).substr(0, 128),
            "CSV line 2, column 'p': '1.016' reads as 1.016 in this file, whose decimal mark is '.' (line 2, column 't': "
            "'24.5'), and as 1016");
  // A named mark the cells contradict is refused at training, naming the cell.
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(parse_csv("station\tp\tt\nW1\t1.016\t24.5\nW3\t1.005\t20\n", named), {0, 1}, {}); }),
            "CSV line 2, column 't': '24.5' tells the decimal mark '.', and the decimal mark ',' was named for the file: "
            "name '.', or none (the file's cells tell it)");
  // The guessed mark a thousands separator ("96,928" in a ','-separated file is 96928): a file whose
  // "21,40" tells the decimal comma reads "96,928" as 96.928, and is refused too.
  const TabularPreprocessor thousands = TabularPreprocessor::fit(parse_csv("a,p\nx,\"96,928\"\ny,\"2,250\"\n"), {0, 1}, {});
  EXPECT_EQ(error_of([&] { thousands.transform(parse_csv("a;p\nx;96,928\ny;21,40\n")); }).substr(0, 63),
            "CSV line 2, column 'p': '96,928' reads as 96.928 in this file, ");
}

// A ';'-separated file whose numbers all read either way (a spreadsheet's where the comma is the
// decimal mark): '.' groups thousands. A customer export of sales from 800 to 3,000, those above
// 999 written "1.846": read as decimals, the rows without a dot scored as the anomalies.
TEST(Csv, ASemicolonFileThatCannotTellReadsTheDotAsThousands) {
  // Sales of 800 to 3,000 written "1.846" and "807": the whole numbers beside the dotted ones lie
  // near them only when '.' groups thousands, in a file of any separator.
  std::string text = "Kunde;Umsatz;Bestellungen\n";
  for (int i = 0; i < 40; ++i) {
    const int sales = 800 + i * 55;
    char written[16];
    if (sales >= 1000) std::snprintf(written, sizeof written, "%d.%03d", sales / 1000, sales % 1000);
    else std::snprintf(written, sizeof written, "%d", sales);
    text += detail::concat("K", 100 + i, ";", written, ";", 3 + i % 9, "\n");
  }
  const CsvTable table = parse_csv(text);
  EXPECT_EQ(table.numbers, (NumberFormat{',', '.'}));
  EXPECT_TRUE(table.numbers_guessed);  // and said, with the column whose sizes decided
  double v = 0;
  ASSERT_TRUE(parse_number(table.cell(4, 1), v, table.numbers));
  EXPECT_EQ(std::string(table.cell(4, 1)), "1.020");
  EXPECT_EQ(v, 1020);
  std::vector<std::string> notes;
  tabular_labels(table, {}, &notes);
  ASSERT_FALSE(notes.empty());
  EXPECT_EQ(notes[0], "numbers such as '1.020' read either way ('.' as a decimal mark or as a thousands separator) and no cell "
                      "of the file tells which: read as 1020; so read because the whole numbers of column 'Umsatz', such as '800' "
                      "(line 2), lie near its '1.020' read as 1020; if '.' is the decimal mark here, name it (the decimal "
                      "mark menu on the page, --decimal-mark . for ca3, TableOptions.decimalMark in the SDK)");
  std::string commas = text, tabs = text;
  std::replace(commas.begin(), commas.end(), ';', ',');
  std::replace(tabs.begin(), tabs.end(), ';', '\t');
  EXPECT_EQ(parse_csv(commas).numbers, (NumberFormat{',', '.'}));
  EXPECT_EQ(parse_csv(tabs).numbers, (NumberFormat{',', '.'}));
  // A cell that tells the decimal point ("2.5") decides for the whole file, ';' or not.
  EXPECT_EQ(parse_csv(text + "K999;2.5;4\n").numbers.decimal, '.');

  // Without whole numbers beside them, nothing in the sizes tells: in a ';'-separated file (what
  // spreadsheets write where the comma is the decimal mark) '.' groups thousands, elsewhere it is
  // the decimal mark (a "1.846" there is 1.846).
  std::string no_whole = "Kunde;Umsatz\n";
  for (int i = 0; i < 40; ++i) no_whole += detail::concat("K", i, ";", 1 + i % 3, ".", 100 + i * 7, "\n");
  EXPECT_EQ(parse_csv(no_whole).numbers, (NumberFormat{',', '.'}));
  std::replace(no_whole.begin(), no_whole.end(), ';', '\t');
  EXPECT_EQ(parse_csv(no_whole).numbers.decimal, '.');

  // Swiss readings of 15 to 30 degrees with up to three decimals (none ending in 0, as a writer that
  // leaves whole numbers bare writes them), a few whole ("22"): 22.345 lies near 22, 22345 does
  // not; so '.' is the decimal mark, in a ';' file too.
  std::string swiss = "Zeitpunkt;Temperatur\n";
  for (int i = 0; i < 60; ++i)
    swiss += detail::concat("t", i, ";", i % 20 == 0 ? std::to_string(15 + i / 4) : detail::concat(15 + i / 4, ".", 101 + i * 13 % 899 / 10 * 10 + i % 9), "\n");
  const CsvTable swiss_table = parse_csv(swiss);
  EXPECT_EQ(swiss_table.numbers.decimal, '.');
  EXPECT_TRUE(swiss_table.numbers_guessed);
  // Account numbers "8400" beside "4.400": a column that groups thousands would write "8.400", so
  // its sizes tell nothing, and the ';' rule holds.
  EXPECT_EQ(parse_csv("Konto;Betrag\n8400;1.200\n4.400;2.500\n1200;3.100\n").numbers, (NumberFormat{',', '.'}));
  const std::vector<MagnitudeVote> votes = magnitude_votes(parse_csv("Konto;Betrag\n8400;1.200\n4.400;2.500\n1200;3.100\n"));
  EXPECT_TRUE(votes.empty());
  // Counts of 1 to 60 with a few thousands ("1.600"): far apart in size either way, but a writer
  // that writes "19" bare would write 1.6 as "1.6": the trailing zero says '.' groups, in a
  // tab-separated file too.
  std::string counts = "Artikel\tMenge\n";
  for (int i = 0; i < 40; ++i) counts += detail::concat("A", i, "\t", i % 10 == 3 ? detail::concat(1 + i / 10, ".", 600 + i / 10 * 100) : std::to_string(1 + i % 60), "\n");
  EXPECT_EQ(parse_csv(counts).numbers, (NumberFormat{',', '.'}));
  EXPECT_EQ(guessed_mark_reason(parse_csv(counts)), "column 'Menge' writes whole numbers bare, such as '1' (line 2), and '1.600' (line 5) "
                                                    "with a trailing zero, as only a thousands separator gives it");
}

// A lab file scored with a model of a comma-separated file ("1.0125"), written ';'-separated with
// the decimal comma ("1,011"), where no cell tells the mark (helper-116: every cell was unreadable,
// a stream scored them all as the training median): read as puts the cells within their column's
// training range, said; amounts "1,250" beside a model of 800 to 4000 are 1250.
TEST(Tabular, NumbersOfAnotherSeparatorsFileAreReadAsTrainingsRangeTells) {
  std::string train = "sg,amount\n";
  for (int i = 0; i < 40; ++i) train += detail::concat("1.0", 100 + i * 5, ",", 800 + i * 80, "\n");  // 1.0100 to 1.0295
  std::vector<int64_t> rows(40);
  std::iota(rows.begin(), rows.end(), 0);
  const TabularPreprocessor prep = TabularPreprocessor::fit(parse_csv(train), rows, TabularOptions{});
  const CsvTable lab = parse_csv("sg;amount\n1,011;1200\n1,020;950\n1,025;3000\n");
  ASSERT_TRUE(lab.numbers_guessed);
  const NumberFormat read = prep.reading_format(lab);
  EXPECT_EQ(read.decimal, ',');
  const Tensor x = prep.transform(lab);
  const Tensor same = prep.transform(parse_csv("sg,amount\n1.011,1200\n1.020,950\n1.025,3000\n"));
  EXPECT_EQ(x.to_vector(), same.to_vector());
  EXPECT_EQ(prep.scoring_notes(lab).at(0),
            "numbers such as '1,011' read either way and no cell of the file tells which: read with the decimal mark ',' ('1,011' "
            "is 1.011), which puts 3 of the 3 such cells of the columns the model reads as numbers within their column's "
            "training range (with '.' of the model's training file, 0: '1,011' in column 'sg' would be 1011); if they are "
            "written with the decimal mark '.', name it (the decimal mark menu on the page, --decimal-mark . for ca3, "
            "TableOptions.decimalMark in the SDK)");
  const CsvTable amounts = parse_csv("sg;amount\n1;1,250\n1;2,500\n1;3,100\n");
  EXPECT_EQ(prep.reading_format(amounts), (NumberFormat{'.', ','}));
  EXPECT_EQ(prep.transform(amounts).to_vector(), prep.transform(parse_csv("sg,amount\n1,1250\n1,2500\n1,3100\n")).to_vector());
  EXPECT_EQ(prep.scoring_notes(amounts).at(0),
            "numbers such as '1,250' read either way and no cell of the file tells which: read with the decimal mark '.' of the "
            "model's training file ('1,250' is 1250), which puts 3 of the 3 such cells of the columns the model reads as numbers "
            "within their column's training range (with ',', 0: '1,250' in column 'amount' would be 1.25); if they are written "
            "with the decimal mark ',', name it (the decimal mark menu on the page, --decimal-mark , for ca3, "
            "TableOptions.decimalMark in the SDK)");
  // Named, the mark holds, whatever the ranges say.
  CsvOptions named;
  named.numbers = number_format_named(".");
  EXPECT_EQ(prep.reading_format(parse_csv("sg;amount\n1,011;1200\n", named)),
            (NumberFormat{'.', ','}));
  // and a cell it cannot read says the name is what to doubt (helper-116: "this file's other
  // numbers" were said to use the named mark, in a file where none did)
  EXPECT_EQ(error_of([&] { prep.transform(parse_csv("sg;amount\n1,0125;1200\n", named)); }),
            "CSV line 2, column 'sg': '1,0125' is written with ',' as the decimal mark, and the decimal mark named for this file is "
            "'.': if the file writes its numbers so, name ',' (the decimal mark menu on the page, --decimal-mark , for ca3, "
            "TableOptions.decimalMark in the SDK), or name none and let the file's numbers tell it");
}

// A German weather export whose times ("17.30") tell the decimal point, and whose air pressure is
// written "1.005" beside "993": no single mark reads both columns, so the pressure is read as 1.005
// and said, at training and at scoring, with the fix.
TEST(Tabular, AColumnWhoseSizesTellTheOtherMarkIsSaid) {
  // A weather export put together from two sources: wind speeds "3.5" tell the decimal point, the
  // air pressure is written "1.005" beside "993". No single mark reads both columns: the pressure
  // is read as 1.005 and said, at training and at scoring, with the fix.
  std::string text = "Wind;Luftdruck;Temperatur\n", clocks = "Uhrzeit;Luftdruck;Temperatur\n";
  for (int i = 0; i < 60; ++i) {
    const int hpa = 985 + i % 40;
    const std::string pressure = hpa >= 1000 ? detail::concat("1.", hpa < 1010 ? "00" : "0", hpa - 1000) : std::to_string(hpa);
    text += detail::concat(1 + i % 7, ".", 1 + i % 9, ";", pressure, ";", i % 25, "\n");
    clocks += detail::concat(i % 24, ".", i % 4 == 0 ? "00" : i % 4 == 1 ? "15" : i % 4 == 2 ? "30" : "45", ";", pressure, ";", i % 25, "\n");
  }
  const CsvTable table = parse_csv(text);
  EXPECT_EQ(table.numbers.decimal, '.');
  EXPECT_FALSE(table.numbers_guessed);
  const std::string said =
      "column 'Luftdruck': '1.000' (line 17) is read as 1 (and 29 more cells written so), with the file's decimal mark '.' (told by line 2, column 'Wind': "
      "'1.1'), but the whole numbers of column 'Luftdruck', such as '985' (line 2), lie near its '1.000' read as 1000: if '.' "
      "groups thousands in this column (1000), write its numbers without the thousands separator (one decimal mark holds for every column of a file)";
  std::vector<std::string> notes;
  tabular_labels(table, {}, &notes);
  EXPECT_NE(std::find(notes.begin(), notes.end(), said), notes.end()) << ::testing::PrintToString(notes);
  std::vector<int64_t> rows(table.row_count());
  std::iota(rows.begin(), rows.end(), 0);
  const TabularPreprocessor prep = TabularPreprocessor::fit(table, rows, {});
  const std::vector<std::string> scoring = prep.scoring_notes(table);
  EXPECT_NE(std::find(scoring.begin(), scoring.end(), said), scoring.end()) << ::testing::PrintToString(scoring);
  // The preview (describe_columns: the page's describeCsv) says it before training.
  std::vector<std::string> preview_notes;
  describe_columns(table, 20, &preview_notes);
  EXPECT_EQ(std::count(preview_notes.begin(), preview_notes.end(), said), 1) << ::testing::PrintToString(preview_notes);
  // Written without the separator, nothing is said.
  std::string plain = text;
  for (size_t at = plain.find(";1.0"); at != std::string::npos; at = plain.find(";1.0", at)) plain.replace(at, 4, ";10");
  notes.clear();
  tabular_labels(parse_csv(plain), {}, &notes);
  for (const std::string& note : notes) EXPECT_EQ(note.find("Luftdruck"), std::string::npos) << note;

  // Times of day written hours.minutes ("17.30", a German "17.30 Uhr") in a column named like a
  // time tell no decimal mark: the pressure is read as 1000, from its sizes (said), and the times
  // are left out as dates are.
  const CsvTable german = parse_csv(clocks);
  EXPECT_EQ(german.numbers, (NumberFormat{',', '.'}));
  EXPECT_EQ(guessed_mark_reason(german), "the whole numbers of column 'Luftdruck', such as '985' (line 2), lie near its '1.000' read as 1000");
  const TabularPreprocessor fitted = TabularPreprocessor::fit(german, rows, {});
  EXPECT_EQ(fitted.schema()[0].role, "dates");
  EXPECT_EQ(fitted.schema()[0].reason, "times of day written hours.minutes ('0.00'), in a column named like a time: left out of training as dates are");
  // Versions ("2.10") and a year's document numbers ("2023.001") tell none either: categories.
  std::string coded = "Softwareversion;Auftrag;Preis\n";
  for (int i = 0; i < 30; ++i) coded += detail::concat(2 + i % 3, ".", 10 + i % 4, ";2023.", 100 + i, ";", 10 + i, ",", 15 + i % 80, "\n");
  const CsvTable codes = parse_csv(coded);
  EXPECT_EQ(codes.numbers.decimal, ',');
  EXPECT_FALSE(codes.numbers_guessed);
  const TabularPreprocessor read = TabularPreprocessor::fit(codes, first_rows(30), {});
  EXPECT_EQ(read.schema()[0].role, "categorical");
  EXPECT_EQ(read.schema()[0].reason, "versions ('2.10'): codes, not amounts, their '.' no decimal mark; 12 values");
  EXPECT_EQ(read.schema()[2].role, "numeric");
  // The preview says the same.
  const std::vector<ColumnSummary> preview = describe_columns(codes), times = describe_columns(german);
  EXPECT_EQ(preview[0].role, "categorical");
  EXPECT_EQ(preview[0].reason, "versions ('2.10'): codes, not amounts, their '.' no decimal mark");  // (the count shown beside)
  EXPECT_EQ(preview[1].role, read.schema()[1].role) << read.schema()[1].reason;
  EXPECT_EQ(preview[2].role, "numeric");
  EXPECT_EQ(times[0].role, "dates");
  EXPECT_EQ(times[0].reason, fitted.schema()[0].reason);
  EXPECT_EQ(times[1].role, "numeric");
}

// A file of decimal points whose column of ratios ("1.5", "1.2") holds a few cells written with a
// comma, "1,016" (quoted: pasted from a spreadsheet of decimal commas). Read with the file's marks
// the comma groups thousands, 1016; the column's other numbers tell it is 1.016 there: said, at
// training and at scoring, with the fix. A column whose large numbers are of its size ("993.5"
// beside "1,016" hPa) is not.
TEST(Tabular, ACommaAmongDecimalPointsThatTheColumnsSizesTellIsSaid) {
  std::string text = "id,ratio,pressure\n";
  for (int i = 0; i < 40; ++i) {
    const bool pasted = i == 4 || i == 17 || i == 30;
    text += detail::concat(i + 1, ",", pasted ? "\"1,016\"" : detail::concat(1 + i % 2, ".", 1 + i % 8), ",",
                           i % 5 == 0 ? "\"1,016\"" : detail::concat(990 + i % 9, ".", i % 10), "\n");
  }
  const CsvTable table = parse_csv(text);
  EXPECT_EQ(table.numbers.decimal, '.');
  EXPECT_EQ(table.numbers.thousands, ',');
  double read = 0;
  ASSERT_TRUE(parse_number(table.cell(4, 1), read, table.numbers));
  EXPECT_EQ(read, 1016);  // (the file's reading: the note says it, it does not change it)
  const std::string said =
      "column 'ratio': '1,016' (line 6) is read as 1016 (and 2 more cells written so), with the file's decimal mark '.' (told by "
      "line 2, column 'ratio': '1.1'), but the other numbers of column 'ratio', such as '1.1' (line 2), lie near its '1,016' read "
      "as 1.016: if ',' is the decimal mark in this column (1.016), write its numbers with the file's decimal mark '.' (one "
      "decimal mark holds for every column of a file)";
  std::vector<std::string> notes;
  tabular_labels(table, {}, &notes);
  EXPECT_NE(std::find(notes.begin(), notes.end(), said), notes.end()) << ::testing::PrintToString(notes);
  for (const std::string& note : notes) EXPECT_EQ(note.find("column 'pressure'"), std::string::npos) << note;
  std::vector<int64_t> rows(table.row_count());
  std::iota(rows.begin(), rows.end(), 0);
  const TabularPreprocessor prep = TabularPreprocessor::fit(table, rows, {});
  const std::vector<std::string> scoring = prep.scoring_notes(table);
  EXPECT_NE(std::find(scoring.begin(), scoring.end(), said), scoring.end()) << ::testing::PrintToString(scoring);
  std::vector<std::string> preview_notes;  // and the preview, before training
  describe_columns(table, 20, &preview_notes);
  EXPECT_EQ(std::count(preview_notes.begin(), preview_notes.end(), said), 1) << ::testing::PrintToString(preview_notes);
  // Written with the decimal point, nothing is said.
  std::string fixed = text;
  for (size_t at = fixed.find("\"1,016\""); at != std::string::npos; at = fixed.find("\"1,016\"", at)) fixed.replace(at, 7, "1.016");
  notes.clear();
  tabular_labels(parse_csv(fixed), {}, &notes);
  for (const std::string& note : notes) EXPECT_FALSE(note.starts_with("column 'ratio'")) << note;
  // (there the pressure's "1.016" beside "991.1" is said: 1016 hPa, read as 1.016)
  const auto pressure_said = [](const std::vector<std::string>& said) {
    return std::any_of(said.begin(), said.end(), [](const std::string& n) { return n.starts_with("column 'pressure': '1.016'"); });
  };
  EXPECT_TRUE(pressure_said(notes)) << ::testing::PrintToString(notes);
  // A pressure written "1013.2" in the same column says its '.' groups nothing there: not said.
  const size_t at = fixed.find(",991.1\n");
  ASSERT_NE(at, std::string::npos);
  fixed.replace(at, 7, ",1013.2\n");
  notes.clear();
  tabular_labels(parse_csv(fixed), {}, &notes);
  EXPECT_FALSE(pressure_said(notes)) << ::testing::PrintToString(notes);
}

// Batch codes written "10.11" in a German file whose prices are "10,15": the codes tell the
// file's mark '.', and the prices are refused, naming the codes' column and the way out: that
// column called categorical and ',' named trains, and the file then scores without naming it,
// read with the mark the model's numeric columns tell (said).
TEST(Tabular, ACodeColumnThatTellsTheFilesMarkIsNamed) {
  std::string text = "Charge;Menge;Preis\n";
  for (int i = 0; i < 40; ++i)
    text += detail::concat(10 + i % 5, ".", 11 + i % 70, ";", 3 + i % 9, ";", 10 + i, i % 3 == 0 ? detail::concat(",", 15 + i % 80) : "", "\n");
  const CsvTable file = parse_csv(text);
  ASSERT_EQ(file.numbers.decimal, '.');
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(file, first_rows(40), {}); }),
            "CSV line 2, column 'Preis': '10,15' is written with ',' as the decimal mark, and this file's other numbers with '.' "
            "(a file put together from two sources?): write every number of the file one way (14 cells of the column written so; "
            "if they are codes such as versions, not numbers, call the column categorical); the file's decimal mark '.' is told "
            "by column 'Charge' (line 2: '10.11'): if that column holds codes, not numbers, give it the role categorical and "
            "name the decimal mark ',' (the decimal mark menu on the page, --decimal-mark , for ca3, TableOptions.decimalMark in the SDK)");
  CsvOptions comma;
  comma.numbers = NumberFormat{',', '.'};
  const CsvTable named = parse_csv(text, comma);
  TabularOptions options;
  // Named alone, the codes still tell '.': refused, as a mark named against the cells is.
  EXPECT_NE(error_of([&] { TabularPreprocessor::fit(named, first_rows(40), options); }).find("'10.11' tells the decimal mark '.'"),
            std::string::npos);
  options.roles["Charge"] = ColumnRole::categorical;
  const TabularPreprocessor prep = TabularPreprocessor::fit(named, first_rows(40), options);
  EXPECT_EQ(prep.schema()[2].role, "numeric");
  const std::vector<float> expected = prep.transform(named).to_vector();
  EXPECT_EQ(prep.transform(file).to_vector(), expected);  // the file as read without naming the mark
  EXPECT_EQ(prep.scoring_notes(file).at(0),
            "read with the decimal mark ',' that the columns the model reads as numbers tell (line 2, column 'Preis': '10,15'), "
            "not with the '.' of column 'Charge' ('10.11'), which the model leaves out or reads as categories");
}

// Shift times "10.30" in a column named "Schicht" (not a name of a time) tell the file '.', and
// counts "1.488" beside "232" are read as 1.488 (said). Left out by the caller, the column tells
// nothing: the counts are read as 1488, said, as training does (Detector::start_fit_table) and
// as scoring then reads the same file, with no mark named.
TEST(Tabular, AColumnLeftOutTellsNoDecimalMark) {
  std::string text = "Linie;Schicht;Menge\n";
  for (int i = 0; i < 40; ++i) {
    const int q = 20 + i * 61;
    text += detail::concat("L", i % 5, ";", 6 + i % 6, ".", i % 4 == 0 ? "00" : i % 4 == 1 ? "15" : i % 4 == 2 ? "30" : "45", ";",
                           q >= 1000 ? detail::concat(q / 1000, ".", q % 1000 < 100 ? "0" : "", q % 1000 < 10 ? "0" : "", q % 1000) : std::to_string(q), "\n");
  }
  const CsvTable file = parse_csv(text);
  ASSERT_EQ(file.numbers.decimal, '.');
  TabularOptions options;
  EXPECT_FALSE(with_mark_of_read_columns(file, options));
  options.roles["Schicht"] = ColumnRole::ignore;
  std::vector<std::string> notes;
  const std::optional<CsvTable> read = with_mark_of_read_columns(file, options, &notes);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->numbers, (NumberFormat{',', '.'}));
  EXPECT_EQ(notes, (std::vector<std::string>{"read with the decimal mark ',' of the columns read as numbers, not the '.' that column "
                                             "'Schicht' tells (line 2: '6.00'), a column left out or called categories"}));
  const TabularPreprocessor prep = TabularPreprocessor::fit(*read, first_rows(40), options);
  const std::vector<float> trained = prep.transform(*read).to_vector();
  EXPECT_EQ(prep.transform(file).to_vector(), trained);
  EXPECT_EQ(prep.scoring_notes(file).at(0),
            "read with the decimal mark ',' of the model's training file (the columns the model reads as numbers cannot tell it), "
            "not with the '.' of column 'Schicht' ('6.00'), which the model leaves out or reads as categories");
  // Named, the mark is the one named.
  CsvOptions dot;
  dot.numbers = NumberFormat{'.', ','};
  EXPECT_FALSE(with_mark_of_read_columns(parse_csv(text, dot), options));

  // A column left out does not vote with its sizes either: its "1.016" beside "993" (hPa) would tie
  // with the read column's "22.345" beside "22", and the ';' would decide for the comma.
  std::string sizes = "Druck;Gewicht\n";
  for (int i = 0; i < 30; ++i)
    sizes += detail::concat(i % 3 ? detail::concat("1.0", 11 + i) : std::to_string(960 + i), ";",
                            i % 10 ? detail::concat(20 + i % 5, ".", (111 + i * 7) / 10 * 10 + 1 + i % 9) : std::to_string(20 + i % 5), "\n");
  const CsvTable both = parse_csv(sizes);
  EXPECT_EQ(both.numbers.decimal, ',');  // one vote each: the separator decides
  std::vector<bool> skip = {true, false};
  bool guessed = false;
  EXPECT_EQ(detect_number_format(both, &guessed, &skip).decimal, '.');
  EXPECT_TRUE(guessed);
  TabularOptions druck_left_out;
  druck_left_out.roles["Druck"] = ColumnRole::ignore;
  EXPECT_EQ(guessed_mark_reason(both), "the file is separated by ';', as spreadsheets write it where the comma is the decimal mark");
  ASSERT_TRUE(with_mark_of_read_columns(both, druck_left_out));
  EXPECT_EQ(with_mark_of_read_columns(both, druck_left_out)->numbers.decimal, '.');

  // A model of a German ';' file scores an English ','-separated one whose column the model does
  // not know tells '.' ("2.5"), its own numbers only "1,234": read as 1234 (the training file's
  // comma is no decimal mark in a comma-separated file).
  std::string german = "Kunde;Wert\n";
  for (int i = 0; i < 12; ++i) german += detail::concat("K", i % 3, ";", 1000 + i * 17, ",", 5 + i % 4, "\n");
  const TabularPreprocessor model = TabularPreprocessor::fit(parse_csv(german), first_rows(12), {});
  const CsvTable english = parse_csv("Kunde,Wert,Notiz\nK1,\"1,234\",2.5\nK2,\"1,250\",3.5\n");
  EXPECT_EQ(model.reading_format(english).decimal, '.');
  EXPECT_EQ(model.transform(english).to_vector(), model.transform(parse_csv("Kunde,Wert,Notiz\nK1,1234,2.5\nK2,1250,3.5\n")).to_vector());
}

// A lab's "<0,5 mmol/L" (below the detection limit) is no value: training, scoring and the preview
// say it is a limit and what to write instead; "n.b." (nicht bestimmt) and the like are missing.
TEST(Tabular, LimitsAreSaidAndNotDeterminedIsMissing) {
  std::string text = "id;gluc;chol\n", plain = text;
  for (int i = 0; i < 12; ++i) {
    const std::string gluc = i == 3 ? "n.b." : detail::concat(4 + i % 3, ",", i % 10), chol = detail::concat(5 + i % 2, ",", (i * 7) % 10);
    text += detail::concat(i + 1, ";", gluc, gluc == "n.b." ? "" : " mmol/L", ";", i == 6 ? "<0,5" : chol, " mmol/L\n");
    plain += detail::concat(i + 1, ";", gluc, ";", i == 6 ? "\xE2\x89\xA4 0,5" : chol, "\n");
  }
  const CsvTable with_unit = parse_csv(text), bare = parse_csv(plain);
  const std::vector<int64_t> rows = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  const std::string limit = "' is a limit (a value below what could be measured), not a value: write a number in its place "
                            "(the limit itself, or what your field's rule puts there) or leave the cell empty for a missing value";
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(with_unit, rows, {}); }),
            "CSV line 8, column 'chol': '<0,5 mmol/L" + limit + " (1 cell of the column does not read)");
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(bare, rows, {}); }), "CSV line 8, column 'chol': '\xE2\x89\xA4 0,5" + limit);
  const std::vector<ColumnSummary> preview = describe_columns(bare);
  EXPECT_EQ(preview[1].missing, 1);  // n.b.
  EXPECT_EQ(preview[1].role, "numeric");
  EXPECT_EQ(preview[2].role, "numeric");
  EXPECT_EQ(preview[2].reason, "1 cell is not a number (line 8: '\xE2\x89\xA4 0,5', a limit, not a value): fix it, leave it empty or write NA for a "
                               "missing value, or, if it holds codes rather than amounts, call the column categorical");
  // Scoring, with the unit and without; "> 12" above.
  const TabularPreprocessor prep = TabularPreprocessor::fit(with_unit, {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11}, {});
  EXPECT_EQ(error_of([&] { prep.transform(parse_csv("id;gluc;chol\n1;n.b.;< 0,5 mmol/L\n2;4,5;5,5\n")); }),
            "CSV line 2, column 'chol': '< 0,5 mmol/L" + limit);
  EXPECT_EQ(error_of([&] { prep.transform(parse_csv("id;gluc;chol\n1;>12;5,5\n")); }),
            "CSV line 2, column 'gluc': '>12' is a limit (a value above what could be measured), not a value: write a "
            "number in its place (the limit itself, or what your field's rule puts there) or leave the cell empty for a "
            "missing value");
  // Half the cells limits (a lab value mostly below detection): still numbers, not categories.
  std::string half = "id;tro\n";
  for (int i = 0; i < 12; ++i) half += detail::concat(i + 1, ";", i % 2 ? "<0,01" : detail::concat("0,0", 2 + i % 7), "\n");
  const CsvTable halves = parse_csv(half);
  EXPECT_EQ(describe_columns(halves)[1].role, "numeric");
  EXPECT_EQ(describe_columns(halves)[1].reason, "6 cells are limits (line 3: '<0,01'), not values: write numbers in their place");
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(halves, rows, {}); }),
            "CSV line 3, column 'tro': '<0,01" + limit + " (6 cells of the column written so, limits or the other decimal mark)");
  for (const char* missing : {"n.b.", "N.D.", "k.A.", " n.a. ", "n.v.", "n. b.", "k. A.", "n.a", "N.D"}) EXPECT_TRUE(is_missing_cell(missing)) << missing;
  EXPECT_FALSE(is_missing_cell("n.b"));
}

// Dashes, German Excel's #NV and spreadsheet error values are missing values, counted as written.
TEST(Tabular, SpreadsheetPlaceholdersAreMissing) {
  const CsvTable table = parse_csv("v;label\n1,5;ok\n\xE2\x80\x94;ok\n2,5;ok\n#NV;ok\n#DIV/0!;bad\n\xE2\x80\x93;ok\n3,0;ok\n");
  const ColumnSummary v = describe_columns(table)[0];
  EXPECT_EQ(v.role, "numeric");
  EXPECT_EQ(v.missing, 4);
  EXPECT_EQ(v.placeholders, (std::map<std::string, int64_t>{{"\xE2\x80\x94", 1}, {"#NV", 1}, {"#DIV/0!", 1}, {"\xE2\x80\x93", 1}}));
  EXPECT_FALSE(is_missing_cell("#DIV/0!x"));
  // The same error values as German, French, Spanish and Italian Excel write them.
  for (const char* cell : {"#WERT!", "#BEZUG!", "#ZAHL!", "#VALEUR!", "#NOMBRE!", "#NOM?", "#N/D", "#\xC2\xA1VALOR!",
                           "#\xC2\xBFNOMBRE?", "#\xC2\xA1" "DIV/0!", "#VALORE!", " #wert! "})
    EXPECT_TRUE(is_missing_cell(cell)) << cell;
  EXPECT_FALSE(is_missing_cell("#WERT"));
}

// With only the normal value named, several other values are all anomalies: said, with counts.
TEST(Tabular, SeveralValuesTakenAsAnomaliesAreNoted) {
  const CsvTable table = parse_csv("v,status\n1,ok\n2,bad\n3,maintenance\n4,ok\n5,maintenance\n");
  TabularOptions options = labelled("status", {"ok"});
  std::vector<std::string> notes;
  EXPECT_EQ(tabular_labels(table, options, &notes), (std::vector<int>{0, 1, 1, 0, 1}));
  EXPECT_EQ(notes, (std::vector<std::string>{
                       "label column 'status': 'bad' (1 row), 'maintenance' (2 rows) taken as anomalies (every value but 'ok')"}));
  notes.clear();
  tabular_labels(parse_csv("v,status\n1,ok\n2,bad\n"), options, &notes);  // one other value: nothing to say
  EXPECT_TRUE(notes.empty());
  // A value a letter or two from the normal one is likely a typo: said (not 'anomaly', nor a short word).
  notes.clear();
  EXPECT_EQ(tabular_labels(parse_csv("v,s\n1,normal\n2,nromal\n3,Normall\n4,anomaly\n5,normal\n"), labelled("s", {"normal"}), &notes),
            (std::vector<int>{0, 1, 1, 1, 0}));
  EXPECT_EQ(notes, (std::vector<std::string>{"label column 's': 'Normall' (1 row), 'anomaly' (1 row), 'nromal' (1 row) taken as "
                                             "anomalies (every value but 'normal'); 'Normall' like 'normal', 'nromal' like 'normal' "
                                             "look misspelt: correct the file if so"}));
  // Not the named word with a prefix ("abnormal", Spanish "anormal"), nor a value as frequent as it.
  notes.clear();
  tabular_labels(parse_csv("v,s\n1,normal\n2,abnormal\n3,anormal\n4,normal\n5,normal\n6,normal\n"), labelled("s", {"normal"}), &notes);
  EXPECT_EQ(notes, (std::vector<std::string>{"label column 's': 'abnormal' (1 row), 'anormal' (1 row) taken as anomalies "
                                             "(every value but 'normal')"}));
  notes.clear();
  tabular_labels(parse_csv("v,s\n1,normal\n2,nromal\n3,nromal\n4,normal\n5,anomaly\n"), labelled("s", {"normal"}), &notes);
  EXPECT_EQ(notes, (std::vector<std::string>{"label column 's': 'anomaly' (1 row), 'nromal' (2 rows) taken as anomalies "
                                             "(every value but 'normal')"}));
  notes.clear();
  tabular_labels(parse_csv("v,s\n1,ok\n2,no\n3,on\n"), labelled("s", {"ok"}), &notes);
  EXPECT_EQ(notes, (std::vector<std::string>{"label column 's': 'no' (1 row), 'on' (1 row) taken as anomalies (every value but 'ok')"}));
  // A label written as another number ("0.0" for "0") is said as such.
  notes.clear();
  EXPECT_EQ(tabular_labels(parse_csv("v,f\n1,0\n2,0.0\n3,1\n"), labelled("f", {"0"}), &notes), (std::vector<int>{0, 0, 1}));
  EXPECT_EQ(notes, (std::vector<std::string>{"label column 'f': '0.0' (1 row) taken as '0' (the same number written another way)"}));
}

// A category typed with a combining accent ("Cafe" + U+0301) is the one typed precomposed ("Café"),
// in training, in the preview and in scoring.
TEST(Tabular, CategoriesInEitherUnicodeFormAreOne) {
  const std::string nfc = "Caf\xC3\xA9", nfd = "Cafe\xCC\x81";
  const CsvTable train = parse_csv("drink,v,label\n" + nfc + ",1,ok\n" + nfd + ",2,ok\nTee,3,ok\n" + nfc + ",4,bad\n");
  TabularOptions options = labelled("label", {"ok"});
  const TabularPreprocessor prep = TabularPreprocessor::fit(train, {0, 1, 2, 3}, options);
  EXPECT_EQ(prep.feature_names(), (std::vector<std::string>{"drink=" + nfc, "drink=Tee", "v"}));
  EXPECT_EQ(describe_columns(train)[0].distinct, 2);
  EXPECT_EQ(prep.transform(parse_csv("drink,v\n" + nfd + ",1\n")).to_vector(),
            prep.transform(parse_csv("drink,v\n" + nfc + ",1\n")).to_vector());
  EXPECT_EQ(prep.transform(parse_csv("drink,v\n" + nfd + ",1\n")).at(0), 1.f);
}

// Numbers written with a unit -- a currency before, %, a currency or a unit after -- are numbers,
// read without it, and said; at scoring the unit may be there or not, another one is refused.
// Codes that only look like numbers with letters stay text.
TEST(Tabular, NumbersWithAUnitAreNumbers) {
  const CsvTable train = parse_csv(
      "rate;price;temp;code;label\n"
      "10,6 %;1.304,12 \xE2\x82\xAC;21,5 \xC2\xB0" "C;A1;ok\n"
      "10,4\xC2\xA0%;1.272,38 \xE2\x82\xAC;20,9 \xC2\xB0" "C;B2;ok\n"
      "12 %;980,00 \xE2\x82\xAC;22 \xC2\xB0" "C;C3;ok\n"
      "9,5 %;1.010,50 \xE2\x82\xAC;19,0 \xC2\xB0" "C;A1;bad\n");
  TabularOptions options = labelled("label", {"ok"});
  options.scaling = Scaling::standard;
  const TabularPreprocessor prep = TabularPreprocessor::fit(train, {0, 1, 2, 3}, options);
  ASSERT_EQ(prep.columns().size(), 4u);
  EXPECT_EQ(prep.feature_names(), (std::vector<std::string>{"rate", "price", "temp", "code=A1", "code=B2", "code=C3"}));
  EXPECT_DOUBLE_EQ(prep.columns()[0].mean, (10.6 + 10.4 + 12 + 9.5) / 4);
  EXPECT_DOUBLE_EQ(prep.columns()[1].mean, (1304.12 + 1272.38 + 980 + 1010.5) / 4);
  EXPECT_EQ(prep.schema()[0].reason, "numbers written with '%', read without it ('10,6 %' is 10.6)");
  EXPECT_EQ(prep.schema()[1].reason, "numbers written with '\xE2\x82\xAC', read without it ('1.304,12 \xE2\x82\xAC' is 1304.12)");
  EXPECT_EQ(prep.schema()[2].reason, "numbers written with '\xC2\xB0" "C', read without it ('21,5 \xC2\xB0" "C' is 21.5)");
  const std::vector<ColumnSummary> summary = describe_columns(train);
  EXPECT_EQ(summary[0].role, "numeric");
  EXPECT_EQ(summary[0].reason, prep.schema()[0].reason);
  EXPECT_EQ(summary[3].role, "categorical");
  // Scoring: with the unit, without it, in a file of another number format; the same values.
  const CsvTable with = parse_csv("rate;price;temp;code\n10,6 %;1.304,12 \xE2\x82\xAC;21,5 \xC2\xB0" "C;A1\n");
  const CsvTable bare = parse_csv("rate,price,temp,code\n10.6,1304.12,21.5,A1\n");
  EXPECT_EQ(prep.transform(with).to_vector(), prep.transform(bare).to_vector());
  EXPECT_NEAR(prep.transform(bare).at(0), (10.6 - prep.columns()[0].mean) / prep.columns()[0].sd, 1e-6);
  EXPECT_EQ(error_of([&] { prep.transform(parse_csv("rate,price,temp,code\n10.6,1304.12,70 \xC2\xB0" "F,A1\n")); }),
            "CSV line 2, column 'temp': '70 \xC2\xB0" "F' is not in '\xC2\xB0" "C', the unit the model learned the column in "
            "(write it in '\xC2\xB0" "C')");
  // The unit is kept with the model.
  EXPECT_EQ(TabularPreprocessor::from_json(prep.to_json()).transform(with).to_vector(), prep.transform(with).to_vector());
  // A column learned as plain numbers, scored with a unit in a cell ("$36.06", "-45.73 USD"): the
  // unit named, and the number to write instead.
  TabularOptions plain_options = labelled("label", {"ok"});
  plain_options.scaling = Scaling::standard;
  const TabularPreprocessor unit_less = TabularPreprocessor::fit(
      parse_csv("price,label\n36.06,ok\n45.73,ok\n12.5,ok\n20,bad\n"), {0, 1, 2, 3}, plain_options);
  EXPECT_EQ(error_of([&] { unit_less.transform(parse_csv("price\n$36.06\n")); }),
            "CSV line 2, column 'price': '$36.06' is a number written with '$', and the model learned the column as plain "
            "numbers: write it as they were (36.06), or train on a file that writes the column with '$'");
  EXPECT_EQ(error_of([&] { unit_less.transform(parse_csv("price\n-45.73 USD\n")); }),
            "CSV line 2, column 'price': '-45.73 USD' is a number written with 'USD', and the model learned the column as plain "
            "numbers: write it as they were (-45.73), or train on a file that writes the column with 'USD'");
  EXPECT_EQ(unit_less.transform(parse_csv("price\n36.06\n")).to_vector().size(), 1u);
  // A percentage where the training values were fractions (0 to 1): the fraction to write.
  const TabularPreprocessor fractions = TabularPreprocessor::fit(
      parse_csv("share,label\n0.25,ok\n0.4,ok\n0.125,ok\n0.9,bad\n"), {0, 1, 2, 3}, plain_options);
  EXPECT_EQ(error_of([&] { fractions.transform(parse_csv("share\n30%\n")); }),
            "CSV line 2, column 'share': '30%' is a number written with '%', and the model learned the column as plain "
            "numbers: write it as they were (0.3, a fraction: the column's training values all lie between 0 and 1), or train on "
            "a file that writes the column with '%'");
  // A currency's sign and its ISO code are one unit ("1.304,12 EUR", "EUR 1.304,12"), when scoring
  // and within a training column; another currency is not.
  EXPECT_EQ(prep.transform(parse_csv("rate;price;temp;code\n10,6 %;1.304,12 EUR;21,5 \xC2\xB0" "C;A1\n")).to_vector(),
            prep.transform(with).to_vector());
  EXPECT_EQ(prep.transform(parse_csv("rate;price;temp;code\n10,6 %;EUR 1.304,12;21,5 \xC2\xB0" "C;A1\n")).to_vector(),
            prep.transform(with).to_vector());
  EXPECT_EQ(error_of([&] { prep.transform(parse_csv("rate;price;temp;code\n10,6 %;1.304,12 USD;21,5 \xC2\xB0" "C;A1\n")); }),
            "CSV line 2, column 'price': '1.304,12 USD' is not in '\xE2\x82\xAC', the unit the model learned the column in "
            "(write it in '\xE2\x82\xAC')");
  const std::vector<ColumnSummary> mixed = describe_columns(parse_csv("price\n$3.50\n2.00 USD\nUS$ 1.25\n$4\n"));
  EXPECT_EQ(mixed[0].role, "numeric");
  EXPECT_EQ(mixed[0].reason, "numbers written with '$', read without it ('$3.50' is 3.5)");
  // Not units: a different one per cell, letters before a number, units on both sides.
  for (const char* column : {"v\n1 kg\n2 m\n3 kg\n", "v\nRoom 1\nRoom 2\nRoom 3\n", "v\n$1 %\n$2 %\n$3 %\n",
                             "v\n12A\n13A\n14A\n"})
    EXPECT_NE(describe_columns(parse_csv(column))[0].role, "numeric") << column;
  // Negative amounts as spreadsheets write them, a unit against the number, a currency with a dot.
  const CsvTable money = parse_csv("v;w;x;y\n-$3.50;(5%);12kg;Fr. 12.50\n$2.00;7%;3kg;Fr. 3.00\n($1.25);-2%;1.5kg;Fr. 1\n");
  const auto values = [&](size_t column) {
    std::vector<double> out;
    const NumberUnit unit = number_unit(money, column, {0, 1, 2});
    for (size_t r = 0; r < money.row_count(); ++r) {
      double v = 0;
      EXPECT_TRUE(parse_number_with_unit(money.cell(r, column), v, money.numbers, unit)) << money.cell(r, column);
      out.push_back(v);
    }
    return out;
  };
  EXPECT_EQ(values(0), (std::vector<double>{-3.5, 2, -1.25}));
  EXPECT_EQ(values(1), (std::vector<double>{-5, 7, -2}));
  EXPECT_EQ(values(2), (std::vector<double>{12, 3, 1.5}));
  EXPECT_EQ(values(3), (std::vector<double>{12.5, 3, 1}));
  // SAP's minus after an amount with its currency, before or after it.
  const CsvTable sap = parse_csv("Saldo;Anz\n3.543,24- \xE2\x82\xAC;1\n1.051,77 \xE2\x82\xAC;2\n4.275,64 \xE2\x82\xAC-;3\n");
  const std::vector<ColumnSummary> sap_read = describe_columns(sap);
  EXPECT_EQ(sap_read[0].role, "numeric");
  EXPECT_EQ(sap_read[0].reason, "numbers written with '\xE2\x82\xAC', read without it ('3.543,24- \xE2\x82\xAC' is -3543.24); negative "
                                "numbers written with the minus after them ('3.543,24- \xE2\x82\xAC' is -3543.24)");
  const NumberUnit euro = number_unit(sap, 0, {0, 1, 2});
  double amount = 0;
  ASSERT_TRUE(parse_number_with_unit(sap.cell(2, 0), amount, sap.numbers, euro));
  EXPECT_DOUBLE_EQ(amount, -4275.64);
  // Rupees and other currencies' codes before a number grouped in lakhs.
  const CsvTable rupees = parse_csv("a,b\n\"Rs. 1,56,15,113.30\",\"INR 4,79,86,927.21\"\n\"Rs. 2,000.00\",\"INR 12.00\"\n");
  double rs = 0;
  ASSERT_TRUE(parse_number_with_unit(rupees.cell(0, 0), rs, rupees.numbers, number_unit(rupees, 0, {0, 1})));
  EXPECT_DOUBLE_EQ(rs, 15615113.30);
  EXPECT_EQ(describe_columns(rupees)[1].role, "numeric");
  // Brackets that made a number negative are said, in the preview and in training, with or
  // without a unit.
  const CsvTable accounts = parse_csv("plain;dollars;inside\n4.10;$2.00;$2.00\n(3.50);($1.25);$(1,467.88)\n5.00;$3.00;$3.00\n");
  const std::vector<ColumnSummary> read = describe_columns(accounts);
  EXPECT_EQ(read[0].reason, "negative numbers written in brackets, as in accounts ('(3.50)' is -3.5)");
  EXPECT_EQ(read[1].reason, "numbers written with '$', read without it ('$2.00' is 2); negative numbers written in "
                            "brackets, as in accounts ('($1.25)' is -1.25)");
  EXPECT_EQ(read[2].reason, "numbers written with '$', read without it ('$2.00' is 2); negative numbers written in "
                            "brackets, as in accounts ('$(1,467.88)' is -1467.88)");
  // Excel's Accounting format: a zero is "$ -"; the currency before or after the number is one
  // unit; a typo among amounts is refused like one among plain numbers.
  std::string excel = "item,amount\n";
  for (int i = 0; i < 24; ++i) excel += i % 6 == 0 ? "a,\" $ -   \"\n" : i % 4 == 1 ? "b,\"12.50 $\"\n" : "a,\" $ 1,234.5" + std::to_string(i % 10) + " \"\n";
  const CsvTable accounting = parse_csv(excel);
  EXPECT_EQ(describe_columns(accounting)[1].reason, "numbers written with '$', read without it ('12.50 $' is 12.5); '$ -' "
                                                    "is 0, as Excel's Accounting format writes a zero");
  const std::vector<int64_t> all = first_rows(24);
  const TabularPreprocessor money_prep = TabularPreprocessor::fit(accounting, all, TabularOptions{});
  EXPECT_NEAR(money_prep.columns()[1].quantiles.front(), 0.0, 1e-12);  // the "$ -" cells
  EXPECT_NEAR(money_prep.columns()[1].quantiles.back(), 1234.59, 1e-9);
  const std::string typo = "\" $ 1,234.53 \"";
  excel.replace(excel.find(typo), typo.size(), "abc");
  EXPECT_EQ(describe_columns(parse_csv(excel))[1].reason,
            "1 cell is not a number (line 5: 'abc'): fix it, leave it empty or write NA for a missing value, or, if it holds codes rather than amounts, call the column categorical");
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(parse_csv(excel), all, TabularOptions{}); }),
            "CSV line 5, column 'amount': 'abc' is not a number written with '$' as the column's other values are (1 cell; "
            "leave the cell empty or write NA for a missing value, or, if it holds codes rather than amounts, call the column categorical)");
  // A cell in another unit than the column's ("70.1 °F" among "°C"): convert it, not "call the
  // column categorical".
  std::string temperatures = "temp,n\n";
  for (int i = 0; i < 12; ++i) temperatures += detail::concat(20 + i % 5, ".5 \xC2\xB0" "C,", i, "\n");
  temperatures += "70.1 \xC2\xB0" "F,12\n";
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(parse_csv(temperatures), first_rows(13), TabularOptions{}); }),
            "CSV line 14, column 'temp': '70.1 \xC2\xB0" "F' is written in '\xC2\xB0" "F', and the column's other values in '\xC2\xB0"
            "C': convert it to '\xC2\xB0" "C' (CA3 converts only sizes of one unit, as g and kg, min and h) (1 cell of the column does "
            "not read)");
  EXPECT_EQ(describe_columns(parse_csv(temperatures))[0].reason,
            "1 cell is not a number (line 14: '70.1 \xC2\xB0" "F', written in '\xC2\xB0" "F', the column's other values in '\xC2\xB0"
            "C'): convert it to '\xC2\xB0" "C' (CA3 converts only sizes of one unit, as g and kg, min and h)");
  const std::string euros = describe_columns(parse_csv("euros;n\n2,00 \xE2\x82\xAC;1\n(1.204,50) \xE2\x82\xAC;2\n3,00 \xE2\x82\xAC;3\n"))[0].reason;
  EXPECT_EQ(euros, "numbers written with '\xE2\x82\xAC', read without it ('2,00 \xE2\x82\xAC' is 2); negative numbers written in "
                   "brackets, as in accounts ('(1.204,50) \xE2\x82\xAC' is -1204.5)");
  TabularOptions plain;
  plain.scaling = Scaling::standard;
  const TabularPreprocessor fitted = TabularPreprocessor::fit(accounts, {0, 1, 2}, plain);
  EXPECT_EQ(fitted.schema()[0].reason, read[0].reason);
  EXPECT_EQ(fitted.schema()[1].reason, read[1].reason);
  EXPECT_DOUBLE_EQ(fitted.columns()[0].mean, (4.1 - 3.5 + 5) / 3);
  EXPECT_EQ(describe_columns(parse_csv("v;w\n2.079,78-;1\n12,5;2\n(3,5);3\n"))[0].reason,
            "negative numbers written in brackets, as in accounts ('(3,5)' is -3.5); negative numbers written with the "
            "minus after them ('2.079,78-' is -2079.78)");

  // SAP writes whole quantities with the minus after them too ("5-"): numbers, in the preview and
  // in training, and when scoring, also for a model that saw the minus only after decimals. Not
  // in a column that also has "2+" (grades).
  const CsvTable quantities = parse_csv("Menge;Preis\n3;1,50\n5-;2,00\n12;1,75\n1;9,99\n");
  const std::string minus = "negative numbers written with the minus after them ('5-' is -5)";
  EXPECT_EQ(describe_columns(quantities)[0].role, "numeric");
  EXPECT_EQ(describe_columns(quantities)[0].reason, minus);
  const TabularPreprocessor sap_prep = TabularPreprocessor::fit(quantities, {0, 1, 2, 3}, plain);
  EXPECT_EQ(sap_prep.schema()[0].reason, minus);
  EXPECT_DOUBLE_EQ(sap_prep.columns()[0].mean, (3 - 5 + 12 + 1) / 4.0);
  const TabularPreprocessor saved = TabularPreprocessor::from_json(sap_prep.to_json());
  const Tensor q = saved.transform(parse_csv("Menge;Preis\n7-;1,50\n7;1,50\n"));
  EXPECT_NEAR(q.at(0), (-7 - sap_prep.columns()[0].mean) / sap_prep.columns()[0].sd, 1e-5);
  EXPECT_NEAR(q.at(2), (7 - sap_prep.columns()[0].mean) / sap_prep.columns()[0].sd, 1e-5);
  const TabularPreprocessor decimals = TabularPreprocessor::fit(parse_csv("Betrag;n\n2.079,78-;1\n12,50;2\n3,00;3\n"), {0, 1, 2}, plain);
  const Tensor whole = decimals.transform(parse_csv("Betrag;n\n500-;1\n"));
  EXPECT_NEAR(whole.at(0), (-500 - decimals.columns()[0].mean) / decimals.columns()[0].sd, 1e-4);
  EXPECT_NE(describe_columns(parse_csv("Note;n\n2-;1\n1+;2\n3;3\n2;4\n"))[0].role, "numeric");
  EXPECT_EQ(describe_columns(parse_csv("Gewicht;n\n'10,78;1\n'12,5;2\n3;3\n"))[0].reason,
            "numbers written with ' before them, Excel's mark for a number kept as text, read without it (''10,78' is 10.78)");
  EXPECT_NE(describe_columns(parse_csv("Name;n\n'10,78';1\n'ab;2\n"))[0].role, "numeric");
  EXPECT_EQ(describe_columns(parse_csv("Gewicht;n\n\xE2\x80\x99" "9,13;1\n'12,5;2\n3;3\n"))[0].reason,
            "numbers written with ' before them, Excel's mark for a number kept as text, read without it ('\xE2\x80\x99" "9,13' is 9.13)");
  EXPECT_NE(describe_columns(parse_csv("PLZ;n\n\xE2\x80\x99" "01067;1\n\xE2\x80\x99" "80331;2\n"))[0].role, "numeric");
  EXPECT_NE(describe_columns(parse_csv("Zitat;n\n\xE2\x80\x98" "12\xE2\x80\x98;1\n5;2\n"))[0].role, "numeric");
  // An exponent's minus is none ("6,80E-02").
  const std::vector<ColumnSummary> concentrations = describe_columns(parse_csv("Konz;n\n6,80E-02;1\n1,5E-3;2\n0,07;3\n1E-2;4\n"));
  EXPECT_EQ(concentrations[0].role, "numeric");
  EXPECT_EQ(concentrations[0].reason.find("minus"), std::string::npos) << concentrations[0].reason;
  // Nor in a column of whole numbers 0 to 6 (grades, "3-" without a "+" anywhere).
  EXPECT_NE(describe_columns(parse_csv("Deutsch;n\n2-;1\n1;2\n3-;3\n2;4\n5;5\n4;6\n"))[0].role, "numeric");
  // With a unit, also whole numbers: "16- ST", "$189-", "500- \xE2\x82\xAC".
  for (const auto& [text, cell, value] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"Menge;n\n20 ST;1\n16- ST;2\n3 ST;3\n5 ST;4\n", "16- ST", "-16"},
           {"Amount,n\n$2.50,1\n$189-,2\n$3.75,3\n$4.10,4\n", "$189-", "-189"},
           {"Wert;n\n\xE2\x82\xAC 130,53;1\n\xE2\x82\xAC 234,04-;2\n\xE2\x82\xAC 1,50;3\n\xE2\x82\xAC 9,99;4\n",
            "\xE2\x82\xAC 234,04-", "-234.04"}}) {
    const ColumnSummary c = describe_columns(parse_csv(text))[0];
    EXPECT_EQ(c.role, "numeric") << text;
    EXPECT_NE(c.reason.find("negative numbers written with the minus after them ('" + cell + "' is " + value + ")"),
              std::string::npos) << c.reason;
  }
  // A scored "5-" in a column whose training values had no negative number: -5, said.
  const TabularPreprocessor positive = TabularPreprocessor::fit(parse_csv("Menge;n\n3;1\n5;2\n12;3\n1;4\n"), {0, 1, 2, 3}, plain);
  const CsvTable returns = parse_csv("Menge;n\n5-;1\n2;1\n");
  EXPECT_NEAR(positive.transform(returns).at(0), (-5 - positive.columns()[0].mean) / positive.columns()[0].sd, 1e-5);
  EXPECT_EQ(positive.scoring_notes(returns),
            (std::vector<std::string>{"whole numbers with the minus after them read as negative, as SAP writes them (the "
                                      "column's training values had none so): 'Menge' 1 row ('5-' as -5)"}));
}

// Date and time columns are left out, said, in the preview and in training, in the formats
// spreadsheets and loggers write; a column given a role keeps it; near-dates stay what they are.
TEST(Tabular, DateColumnsAreLeftOutAndSaid) {
  const CsvTable train = parse_csv(
      "iso;de;us;stamp;clock;v;label\n"
      "2024-03-01;01.03.2024;3/1/24;2024-03-01T14:05:09Z;14:05;1,5;ok\n"
      "2024-03-02;02.03.2024;3/2/24;2024-03-02 08:15:00.250;8:15:00 AM;2,5;ok\n"
      "NA;3.3.2024;12/31/2024;2024-03-03T23:59:59+01:00;23:59:59;3,0;ok\n"
      "2024-03-04;04.03.2024;1/4/2024;2024/03/04 10:00;10:00 PM;4,5;bad\n");
  TabularOptions options = labelled("label", {"ok"});
  const TabularPreprocessor prep = TabularPreprocessor::fit(train, {0, 1, 2, 3}, options);
  EXPECT_EQ(prep.dropped_columns(), (std::vector<std::string>{"iso", "de", "us", "stamp", "clock"}));
  EXPECT_EQ(prep.feature_names(), (std::vector<std::string>{"v"}));
  EXPECT_EQ(prep.schema()[0].role, "dates");
  EXPECT_EQ(prep.schema()[0].reason.substr(0, 37), "dates or times: left out of training ");
  const std::vector<ColumnSummary> summary = describe_columns(train);
  for (size_t c = 0; c < 5; ++c) EXPECT_EQ(summary[c].role, "dates") << summary[c].name;
  EXPECT_EQ(summary[5].role, "numeric");
  // Nothing left to train on: each column said with what became of it.
  TabularOptions only_dates = options;
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(parse_csv("id,when,label\n1,2024-03-01,ok\n2,2024-03-02,bad\n"), {0, 1}, only_dates); }),
            "the CSV has no feature columns to train on ('id' identifier, 'when' dates, 'label' label): add columns of "
            "measurements, or give one of these the role numeric or categorical (the role menu on the page, "
            "ca3 train --role COL=numeric, TableOptions.roles in the SDK)");
  // Given a role, a date column keeps it.
  options.roles = {{"de", ColumnRole::categorical}};
  EXPECT_EQ(TabularPreprocessor::fit(train, {0, 1, 2, 3}, options).feature_names(),
            (std::vector<std::string>{"de=01.03.2024", "de=02.03.2024", "de=04.03.2024", "de=3.3.2024", "v"}));
  // Not dates: grouped numbers, two fields, a code with letters, a date-like cell among text.
  for (const char* column : {"v\n1.234.567\n2.345.678\n", "v\n2024-13\n2024-14\n", "v\nA-12-3\nB-4-5\n", "v\n2024.07\n2024.08\n",
                             "v\nJul 2024\nlater\n", "v\n2019-20\n2020-21\n", "v\n2024-Q5\n2024-Q1\n", "v\nMay 5th\nJune 6th\n",
                             "v\n2024-03-01\nlater\nlater\n", "v\n1.2.10\n2.3.10\n", "v\n06:00-14:00\n14:00-22:00\n",
                             "v\n27:10:00\n3:45:12\n", "v\n2024-13-01\n2024-14-02\n", "v\n12:75\n10:00\n"})
    EXPECT_NE(describe_columns(parse_csv(column))[0].role, "dates") << column;
}

// A month, quarter or week of a year (a cost centre report's "Periode") is a date too: read as
// categories, every period after the training ones would be a value never seen, and flagged.
TEST(Tabular, PeriodsOfAYearAreDates) {
  const CsvTable train = parse_csv(
      "Periode;Monat;Quartal;Woche;Kosten\n"
      "2024-01;Jan 2024;2024-Q1;2024-W01;1027,68\n"
      "2024-02;Feb-24;Q1 2024;2024-W05;980,10\n"
      "03/2024;M\xC3\xA4rz 2024;2024 Q1;2024-w09;1012,00\n"
      "2024/4;April 2024;q2 2024;2024-W14;1101,50\n");
  const std::vector<ColumnSummary> summary = describe_columns(train);
  for (size_t c = 0; c < 4; ++c) EXPECT_EQ(summary[c].role, "dates") << summary[c].name;
  EXPECT_EQ(summary[4].role, "numeric");
  const TabularPreprocessor prep = TabularPreprocessor::fit(train, {0, 1, 2, 3}, TabularOptions{});
  EXPECT_EQ(prep.dropped_columns(), (std::vector<std::string>{"Periode", "Monat", "Quartal", "Woche"}));
  EXPECT_EQ(prep.feature_names(), (std::vector<std::string>{"Kosten"}));
  // Month names in other languages, a weekday before a date, a zone's abbreviation after a time,
  // weeks and quarters written out.
  const char* const written[] = {"janv. 2024", "f\xC3\xA9vr. 2024", "ene-24", "gennaio 2024", "1-Jan-19", "01 Jan 2019",
                                 "Jan 1, 2019", "1. Juli 2024", "Mo, 01.07.2024", "Tue, 01 Jan 2019 10:00:00 +0100",
                                 "Mittwoch, 3. Juli 2024", "2024-03-30 20:00 CET", "9:30 AM EST", "KW 01/2015", "KW01 2015",
                                 "1. Quartal 2015", "Q1/2015", "Sun 2024-07-07"};
  for (const char* cell : written)
    EXPECT_EQ(describe_columns(parse_csv(std::string("v;n\n") + cell + ";1\n" + cell + ";2\n"))[0].role, "dates") << cell;
  for (const char* cell : {"Mo", "Jan", "May 5th", "Do it", "Mar 2024 sale", "KW 60/2015", "5. Quartal 2015", "Sa, later", "Set 01",
                           "Mag 12", "7:05 OK", "10:30 RUN"})
    EXPECT_NE(describe_columns(parse_csv(std::string("v;n\n") + cell + ";1\n" + cell + ";2\n"))[0].role, "dates") << cell;
  // A later period is no value never seen: the column is not read at scoring.
  const CsvTable later = parse_csv("Periode;Monat;Quartal;Woche;Kosten\n2025-07;Jul 2025;2025-Q3;2025-W27;1050,00\n");
  EXPECT_TRUE(prep.scoring_notes(later).empty());
}

// A sensor column with 30% of its cells a device's text ("ERR", "n/a x"): numbers still, refused
// with the cells named as at 5% (helper-117: it was left out as an identifier, silently, and a
// far temperature went unflagged); a column of categories can be said to be one.
// A typo with two dots among a column's decimals ("12.3.4", "4..5") is a cell training refuses by
// its line, as the preview says, wherever it lies: not a reason to read the column as versions (and
// then as identifiers, left out), which one cell in the training rows made of it.
TEST(Tabular, ATypoWithTwoDotsIsNoVersion) {
  for (const char* typo : {"12.3.4", "4..5"}) {
    std::string text = "x,y\n";
    for (int i = 0; i < 100; ++i) text += detail::concat(i == 19 ? std::string(typo) : detail::concat(10 + (i * 731 % 3000) / 100.0), ",", i % 7, "\n");
    const CsvTable table = parse_csv(text);
    EXPECT_EQ(table.numbers.decimal, '.');
    EXPECT_EQ(marked_code_columns(table)[0], MarkedCodes::none) << typo;
    const ColumnSummary x = describe_columns(table)[0];
    EXPECT_TRUE(x.stops_training) << typo;
    EXPECT_EQ(x.reason, detail::concat("1 cell is not a number (line 21: '", typo,
                                       "'): fix it, leave it empty or write NA for a missing value, or, if it holds codes rather than amounts, call the column categorical"));
    EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(table, first_rows(80), TabularOptions{}); }),
              detail::concat("CSV line 21, column 'x': '", typo, "' is not a number (the column's other values are numbers; leave the cell "
                             "empty or write NA for a missing value, or, if it holds codes rather than amounts, call the column categorical)"));
  }
  // In a column written with a unit, too, the fit names the file's first such cell and counts them
  // all, as the preview does, not only those among the training rows.
  std::string kg = "a,weight\n";
  for (int i = 0; i < 200; ++i) kg += detail::concat(i % 9, ",", i % 18 == 7 ? std::string("tbd") : detail::concat(50 + i % 13, ".5 kg"), "\n");
  const CsvTable weights = parse_csv(kg);
  std::vector<int64_t> later(weights.row_count() - 10);
  std::iota(later.begin(), later.end(), int64_t(10));  // the first 'tbd' (line 9) not among them
  EXPECT_TRUE(describe_columns(weights)[1].stops_training);
  EXPECT_TRUE(describe_columns(weights)[1].reason.starts_with("11 cells are not numbers (line 9: 'tbd'")) << describe_columns(weights)[1].reason;
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(weights, later, TabularOptions{}); }),
            "CSV line 9, column 'weight': 'tbd' is not a number written with 'kg' as the column's other values are (11 cells; leave the "
            "cell empty or write NA for a missing value, or, if it holds codes rather than amounts, call the column categorical)");
  // 'inf' among numbers: the preview says what the fit says, not a finite number.
  std::string inf = "x,y\n";
  for (int i = 0; i < 40; ++i) inf += detail::concat(i == 5 ? std::string("inf") : detail::concat(1 + i % 7, ".25"), ",", i % 3, "\n");
  EXPECT_EQ(describe_columns(parse_csv(inf))[0].reason,
            "1 cell is not a number (line 7: 'inf', not a finite number): fix it, leave it empty or write NA for a missing value, or, if it "
            "holds codes rather than amounts, call the column categorical");
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(parse_csv(inf), first_rows(40), TabularOptions{}); }),
            "CSV line 7, column 'x': 'inf' is not a finite number (leave the cell empty or write NA for a missing value)");
  // Versions are still versions: two cells or more of them, or a column mostly of them.
  EXPECT_EQ(marked_code_columns(parse_csv("build,n\n1.2.3,1\n1.2,2\n1.10.2,3\n2.0,4\n"))[0], MarkedCodes::versions);
}

TEST(Tabular, NumbersWithAFewTextsAmongThemAreANumericColumn) {
  std::string text = "temp,grade\n";
  for (int i = 0; i < 100; ++i)
    text += detail::concat(i % 10 < 3 ? (i % 2 ? "ERR" : "n/a x") : detail::concat(55 + i % 17, ".", i % 9), ",", i % 3 ? "2-" : "1", "\n");
  const CsvTable t = parse_csv(text);
  EXPECT_EQ(describe_columns(t)[0].role, "numeric");
  EXPECT_EQ(describe_columns(t)[1].role, "categorical");  // (grades: texts with digits)
  std::vector<int64_t> rows(100);
  std::iota(rows.begin(), rows.end(), 0);
  const std::string refused = error_of([&] { TabularPreprocessor::fit(t, rows, TabularOptions{}); });
  EXPECT_TRUE(refused.starts_with("CSV line 2, column 'temp': 'n/a x' is not a number (the column's other values are numbers; leave "
                                  "the cell empty or write NA for a missing value); 29 more cells of the column are not numbers either"))
      << refused;
  EXPECT_TRUE(refused.ends_with(". 70 of the column's 100 values in the training rows are numbers, the others a few kinds of text: if "
                                "they are categories, give the column the role categorical (the role menu on the page, --role "
                                "temp=categorical for ca3 train, TableOptions.roles in the SDK)"))
      << refused;
  TabularOptions categories;
  categories.roles["temp"] = ColumnRole::categorical;
  EXPECT_EQ(TabularPreprocessor::fit(t, rows, categories).schema()[0].role, "categorical");
}

TEST(Tabular, BadCellsNameColumnAndLine) {
  const CsvTable table = parse_csv("a,b,label\n1,2,n\n3,4,n\n5,6,y\n7,8,n\n9,10,n\n11,12,n\n13,14,n\n15,16,n\n"
                                   "17,18,n\n19,oops,n\n21,22,\n");
  TabularOptions options = labelled("label", {"n"});
  EXPECT_EQ(error_of([&] { tabular_labels(table, options); }),
            "CSV line 12: the label column 'label' is empty: give every row its label (or name the anomalies' values "
            "instead of the normal ones: then an empty cell means normal)");
  // Every empty label at once, so that one pass over the file fixes them.
  const CsvTable gaps = parse_csv("a,label\n1,n\n2,\n3,n\n4,NA\n5,y\n6,\n");
  EXPECT_EQ(error_of([&] { tabular_labels(gaps, options); }),
            "CSV lines 3, 5, 7: the label column 'label' is empty (3 rows): give every row its label (or name the "
            "anomalies' values instead of the normal ones: then an empty cell means normal)");
  std::string many = "a,label\n";
  for (int i = 0; i < 9; ++i) many += std::to_string(i) + (i % 3 == 0 ? ",n\n" : ",\n");
  EXPECT_TRUE(error_of([&] { tabular_labels(parse_csv(many), options); })
                  .starts_with("CSV lines 3, 4, 6, 7, 9 and 1 more: the label column 'label' is empty (6 rows): give every row"));
  // Where the anomalies are named, an empty label cell is a normal row (a column that marks the
  // defects), said; "NA" there is still a missing label.
  TabularOptions marked = options;
  marked.normal_values.clear();
  marked.anomaly_values = {"y"};
  std::vector<std::string> notes;
  EXPECT_EQ(tabular_labels(table, marked, &notes), (std::vector<int>{0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(notes, (std::vector<std::string>{"1 row has an empty label cell (or NA), taken as normal (the anomalies are "
                                             "the rows marked with the values given)"}));
  EXPECT_EQ(tabular_labels(parse_csv("a,label\n1,y\n2,NA\n"), marked), (std::vector<int>{1, 0}));  // R writes NA
  // One word in a first row is a typo, said as such; a second header line (the units) is named.
  EXPECT_NE(error_of([&] { TabularPreprocessor::fit(parse_csv("name,age,income\nBob,unknown,3\nAl,31,4\nCy,40,5\nDi,52,6\n"),
                                                      {0, 1, 2, 3}, TabularOptions{}); })
                .find("CSV line 2, column 'age': 'unknown' is not a number"), std::string::npos);
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(parse_csv("t;p;f\n\xC2\xB0" "C;hPa;l/min\n21;1013;3\n22;1012;4\n"),
                                                      {0, 1, 2}, TabularOptions{}); }),
            "CSV line 2: holds no number ('\xC2\xB0" "C', 'hPa', 'l/min') where column 't' below holds only numbers: if it is "
            "a second header line, such as the columns' units, delete it");
  {  // the same line in a file scored
    const TabularPreprocessor prep = TabularPreprocessor::fit(parse_csv("t;p;f\n21;1013;3\n22;1012;4\n23;1011;5\n"),
                                                              {0, 1, 2}, TabularOptions{});
    EXPECT_NE(error_of([&] { prep.transform(parse_csv("t;p;f\n\xC2\xB0" "C;hPa;l/min\n21;1013;3\n22;1012;4\n")); })
                  .find("CSV line 2: holds no number"), std::string::npos);
  }
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(table, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, options); }),
            "CSV line 11, column 'b': 'oops' is not a number (the column's other values are numbers; leave the cell "
            "empty or write NA for a missing value, or, if it holds codes rather than amounts, call the column categorical)");
  // Several typos in training: the first in full, then the others by line.
  EXPECT_EQ(error_of([&] {
              TabularPreprocessor::fit(parse_csv("x\n1\n2\nvier\n5\n6\n7\nacht\n9\n10\n11\n12\nzwoelf\n13\n"),
                                       {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, TabularOptions{});
            }),
            "CSV line 4, column 'x': 'vier' is a number written as a word: write it in digits; 2 more cells of the column are "
            "not numbers either: line 8 'acht', line 13 'zwoelf'");
  const TabularPreprocessor prep = TabularPreprocessor::fit(table, {0, 1, 2}, options);
  EXPECT_EQ(error_of([&] { prep.transform(parse_csv("a,b\n1,inf\n")); }),
            "CSV line 2, column 'b': 'inf' is not a finite number (leave the cell empty or write NA for a missing "
            "value)");
  // Scoring (Unreadable::as_missing): one cell that cannot be read, or at most a quarter of a
  // column's values, is read as missing -- the row's inputs as with the cell empty -- and said;
  // more are the column written otherwise: refused, saying the rule.
  const auto as_missing = TabularPreprocessor::Unreadable::few_as_missing;
  const CsvTable one_err = parse_csv("a,b\n1,2\n3,ERR\n5,6\n7,8\n");
  EXPECT_EQ(prep.transform(one_err, true, as_missing).to_vector(), prep.transform(parse_csv("a,b\n1,2\n3,\n5,6\n7,8\n")).to_vector());
  EXPECT_EQ(prep.scoring_notes(one_err),
            (std::vector<std::string>{"1 cell cannot be read, so it was read as missing (filled in with the column's training median) "
                                      "to score its row: CSV line 3, column 'b': 'ERR' is not a number (the column is numeric; "
                                      "leave the cell empty or write NA for a missing value). Its row's score says less: look at it "
                                      "whatever its score (line 3)"}));
  EXPECT_EQ(prep.transform(parse_csv("a,b\nx,2\n"), true, as_missing).to_vector(), prep.transform(parse_csv("a,b\n,2\n")).to_vector());
  EXPECT_NO_THROW(prep.transform(parse_csv("a,b\n1,x\n1,2\n1,2\n1,2\n1,2\n1,2\n1,y\n1,2\n"), true, as_missing));  // 2 of 8
  EXPECT_EQ(error_of([&] { prep.transform(parse_csv("a,b\n1,x\n1,2\n1,2\n1,2\n1,2\n1,2\n1,y\n"), true, as_missing); }),
            "CSV line 2, column 'b': 'x' is not a number (the column is numeric; leave the cell empty or write NA for a missing "
            "value); 1 more cell cannot be read either: line 8, column 'b': 'y' (scoring reads a few such cells as missing and "
            "says so, at most a quarter of a column's values; 'b' has 2 unreadable of its 7 values)");
  const std::vector<std::string> two_columns = prep.scoring_notes(parse_csv("a,b\n1,2\nq,4\n1,2\n1,2\n5,r\n1,2\n1,2\n1,2\n"));
  ASSERT_EQ(two_columns.size(), 1u);
  EXPECT_EQ(two_columns[0].substr(0, 60), "2 cells cannot be read, so they were read as missing (each f");
  EXPECT_TRUE(two_columns[0].ends_with("'q' is not a number (the column is numeric; leave the cell empty or write NA for a "
                                       "missing value); by column and value: 'a' 'q' 1 cell (line 3), 'b' 'r' 1 cell (line 6). Their "
                                       "rows' scores say less: look at them whatever their score (lines 3, 6)"))
      << two_columns[0];
  {  // counted whole (helper-117: beyond the first 23 cells, 'weight' went unnamed and the counts were short)
    std::string text = "a,b\n";
    for (int i = 0; i < 400; ++i) text += i % 40 == 0 ? "1,n/a x\n" : i % 5 == 4 ? "ERR,2\n" : "1,2\n";
    const std::vector<std::string> notes = prep.scoring_notes(parse_csv(text));
    ASSERT_FALSE(notes.empty());
    EXPECT_NE(notes.back().find("; by column and value: 'b' 'n/a x' 10 cells (lines 2, 42, 82 and 7 more), 'a' 'ERR' 80 cells (lines 6, "
                                "11, 16 and 77 more)."),
              std::string::npos)
        << notes.back();
    EXPECT_TRUE(notes.back().starts_with("90 cells cannot be read")) << notes.back();
  }
  {  // six among 40 rows, by line: the first of each reason in full, then the others by column and value;
     // a spreadsheet's error value is a missing cell, named with its line
    std::string text = "a,b\n";
    for (int i = 0; i < 40; ++i) text += i == 30 ? "1,ERR\n" : i == 2 ? "x,2\n" : i % 9 == 4 ? "y,5\n" : i == 7 ? "1,#DIV/0!\n" : "1,2\n";
    const std::vector<std::string> notes = prep.scoring_notes(parse_csv(text));
    ASSERT_EQ(notes.size(), 3u);
    EXPECT_EQ(notes[0], "missing cells filled in as in training: 'b' 1 cell on line 9 (with 4, the training median; a spreadsheet "
                        "error, said below)");
    // the spreadsheet error: its row to look at, as an unreadable cell's
    EXPECT_EQ(notes[2], "1 cell holds a spreadsheet formula's error, read as missing (filled in as the column's missing cells are) "
                        "to score its row: 'b' '#DIV/0!' on line 9. Its row's score says less: look at it whatever its score "
                        "(line 9); fix the formulas where the file was exported");
    EXPECT_TRUE(notes[1].starts_with("6 cells cannot be read, so they were read as missing (each filled in with its column's training "
                                     "median) to score their rows: CSV line 4, column 'a': 'x' is not a number"))
        << notes[1];
    // (the same reason said once, helper-116: it was repeated for each of the first three cells)
    EXPECT_TRUE(notes[1].ends_with("'x' is not a number (the column is numeric; leave the cell empty or write NA for a missing value); "
                                   "by column and value: 'a' 'x' 1 cell (line 4), 'a' 'y' 4 cells (lines 6, 15, 24 and 1 more), 'b' "
                                   "'ERR' 1 cell (line 32). Their rows' scores say less: look at them whatever their score (lines 4, 6, "
                                   "15, 24, 32, 33)"))
        << notes[1];
    // The same rows to look at, by row (as the scores are ordered) with their lines and why, and
    // the spreadsheet error's row too (read as missing: its score says less); read in two batches
    // (a stream), the rows count on.
    const auto checked = [](const std::vector<CellNotes::RowToCheck>& rows) {
      std::vector<std::string> out;
      for (const CellNotes::RowToCheck& c : rows) out.push_back(detail::concat(c.row, " ", c.line, " ", c.reason));
      return out;
    };
    CellNotes whole(prep);
    whole.add(parse_csv(text));
    const std::vector<std::string> expected = {
        "2 4 'a' 'x' cannot be read, read as missing", "4 6 'a' 'y' cannot be read, read as missing",
        "7 9 'b' '#DIV/0!', a spreadsheet formula's error, read as missing", "13 15 'a' 'y' cannot be read, read as missing",
        "22 24 'a' 'y' cannot be read, read as missing", "30 32 'b' 'ERR' cannot be read, read as missing",
        "31 33 'a' 'y' cannot be read, read as missing"};
    EXPECT_EQ(checked(whole.rows_to_check()), expected);
    CellNotes stream(prep);
    CsvStream pieces;
    pieces.push(text);
    pieces.finish();
    int batches = 0;
    while (const std::optional<CsvTable> batch = pieces.next(16)) stream.add(*batch), ++batches;
    EXPECT_EQ(batches, 3);
    EXPECT_EQ(checked(stream.rows_to_check()), expected);
  }
  {  // a column empty in every scored row: said as such (every row scored with its median), not as cells filled in
    const std::vector<std::string> notes = prep.scoring_notes(parse_csv("a,b\n1,\n3,\n5,NA\n"));
    EXPECT_EQ(notes, (std::vector<std::string>{"a column empty in every row, so every row was scored with its typical value (in "
                                               "brackets): 'b' (4). The scores say nothing of it; if the file should hold values "
                                               "there, export them and score it again"}));
    // a column of spreadsheet errors alone (helper-116: each row was to be looked at, nothing said
    // the column was lost): said as a column, no row to look at for it; errors among blanks counted
    const CsvTable errors = parse_csv("a,b\n1,#REF!\n3,#REF!\n5,#REF!\n");
    EXPECT_EQ(prep.scoring_notes(errors),
              (std::vector<std::string>{"a column with no value in any row, so every row was scored with its typical value (in "
                                        "brackets): 'b' (4; every cell a spreadsheet formula's error, such as '#REF!' on line 2). "
                                        "The scores say nothing of it; if the file should hold values there, fix the formulas where "
                                        "it was exported (or export the values) and score it again"}));
    CellNotes lost(prep);
    lost.add(errors);
    EXPECT_TRUE(lost.rows_to_check().empty());
    EXPECT_EQ(prep.scoring_notes(parse_csv("a,b\n1,#N/A\n3,\n5,#N/A\n")).at(0),
              "a column with no value in any row, so every row was scored with its typical value (in brackets): 'b' (4; 2 of its "
              "cells spreadsheet formulas' errors, such as '#N/A' on line 2). The scores say nothing of it; if the file should hold "
              "values there, fix the formulas where it was exported (or export the values) and score it again");
    EXPECT_EQ(prep.scoring_notes(parse_csv("a,b\n1,#N/A\n3,#N/A\n5,7\n")).at(0),
              "missing cells filled in as in training: 'b' 2 cells on lines 2, 3 (with 4, the training median; all of them "
              "spreadsheet errors, said below)");
    // one row alone with the cell empty is a missing cell
    EXPECT_EQ(prep.scoring_notes(parse_csv("a,b\n1,\n")),
              (std::vector<std::string>{"missing cells filled in as in training: 'b' 1 cell on line 2 (with 4, the training median)"}));
  }
  {  // a value far outside the training's range, and another value in a column of one value: the
     // row to look at names both; a cell merely above the range is not one
    std::string train = "x,k\n";
    for (int i = 0; i < 20; ++i) train += std::to_string(10 + i * 7 % 20) + ",5\n";  // (not counting on: a running number)
    const CsvTable t = parse_csv(train);
    std::vector<int64_t> rows(t.row_count());
    std::iota(rows.begin(), rows.end(), 0);
    const TabularPreprocessor one = TabularPreprocessor::fit(t, rows, TabularOptions{});
    CellNotes cells(one);
    cells.add(parse_csv("x,k\n12,5\n31,5\n500,6\n15,5\n"));
    const std::vector<CellNotes::RowToCheck> found = cells.rows_to_check();
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].row, 2);
    EXPECT_EQ(found[0].line, 4);
    EXPECT_EQ(found[0].reason, "'x' 500 far outside the training's range; 'k' 6, where every training row had 5");
  }
  EXPECT_EQ(error_of([&] { prep.transform(parse_csv("a,c\n1,2\n")); }),
            "the CSV has no column 'b' (the model was trained with it; the CSV's columns: 'a', 'c'): add the column "
            "(its cells may be left empty: read as missing, filled with the training's typical value) or train a model "
            "without it");
  EXPECT_EQ(error_of([&] { prep.transform(parse_csv("x,y\n1,2\n")); }),
            "the CSV has no columns 'a', 'b' (the model was trained with them; the CSV's columns: 'x', 'y'): not the kind "
            "of file the model was trained on; score it with a model trained on such files");
  // Every cell a scored file cannot read is said at once, by line: one fix, not one run per typo.
  EXPECT_EQ(error_of([&] { prep.transform(parse_csv("a,b\n1,2\n1,x\nzwei,3\n1,inf\n5,6\nq,4\n")); }),
            "CSV line 3, column 'b': 'x' is not a number (the column is numeric; leave the cell empty or write NA for a missing value); 3 more cells cannot be read either "
            "(all such cells, by column: 'a' 2, 'b' 2): line 4, column 'a': 'zwei'; line 5, column 'b': 'inf'; line 7, "
            "column 'a': 'q'");
  EXPECT_NE(error_of([&] { prep.transform(parse_csv("a,b\n1,x\n2,y\n3,z\n4,w\n5,v\n")); })
                .find("; 4 more cells cannot be read either: line 3, column 'b': 'y'; line 4, column 'b': 'z'; line 5, "
                      "column 'b': 'w'; ..."),
            std::string::npos);
  // A pasted paragraph in a numeric cell is quoted shortened.
  EXPECT_EQ(error_of([&] { prep.transform(parse_csv("a,b\n1," + std::string(300, 'w') + "\n")); }),
            "CSV line 2, column 'b': '" + std::string(37, 'w') + "...' is not a number (the column is numeric; leave the cell empty or write NA for a missing value)");
  TabularOptions wrong = options;
  wrong.label_column = "Class";
  EXPECT_EQ(error_of([&] { tabular_labels(table, wrong); }), "CSV has no column 'Class' (columns: 'a', 'b', 'label')");
  TabularOptions both = options;
  both.anomaly_values = {"y"};
  EXPECT_NE(error_of([&] { tabular_labels(table, both); }).find("give only one of the two lists"), std::string::npos);
}

TEST(Tabular, RealFilesParse) {
  struct Expected {
    const char* file;
    size_t rows, columns;
    const char* label;
    const char* normal;
    int anomalies;
  };
  for (const Expected& e : {Expected{"Ionosphere.csv", 351, 35, "Class", "good", 126},
                            Expected{"BreastCancer.csv", 699, 11, "Class", "benign", 241},
                            Expected{"PimaIndiansDiabetes.csv", 768, 9, "diabetes", "neg", 268},
                            Expected{"Shuttle.csv", 58000, 10, "Class", "Rad.Flow", 12414},
                            Expected{"thyroid.csv", 7200, 22, "class", "0", 534}}) {
    const CsvTable t = read_csv_file(testing::data_file(e.file));
    EXPECT_EQ(t.row_count(), e.rows) << e.file;
    EXPECT_EQ(t.header.size(), e.columns) << e.file;
    TabularOptions options;
    options.label_column = e.label;
    options.normal_values = {e.normal};
    const auto labels = tabular_labels(t, options);
    EXPECT_EQ(std::count(labels.begin(), labels.end(), 1), e.anomalies) << e.file;
  }
  // BreastCancer: Id is dropped, Bare.nuclei has NA cells (imputed), 9 numeric features.
  const CsvTable bc = read_csv_file(testing::data_file("BreastCancer.csv"));
  std::vector<int64_t> all(bc.row_count());
  std::iota(all.begin(), all.end(), 0);
  TabularOptions options = labelled("Class", {"benign"});
  const TabularPreprocessor prep = TabularPreprocessor::fit(bc, all, options);
  EXPECT_EQ(prep.dropped_columns(), (std::vector<std::string>{"Id"}));
  EXPECT_EQ(prep.features(), 9);
  const Tensor x = prep.transform(bc);
  for (float v : x.to_vector()) ASSERT_TRUE(std::isfinite(v));
  EXPECT_EQ(drop_duplicate_rows(read_csv_file(testing::data_file("thyroid.csv"))).row_count(), 7129u);
}

// A CSV read in pieces gives the rows of the whole file, whatever the pieces: cut at every byte
// (inside quoted line breaks, inside a UTF-8 or UTF-16 character), in UTF-16 or with lines ended
// by '\r' alone, in batches of any size,
// with the file's line numbers in messages.
// A text table whose columns are aligned with spaces ("temp    speed"): split at runs of spaces
// and tabs, a quoted value keeps its spaces; a title above it is skipped; written out with tabs;
// read in pieces as in one. Not a one-column file whose name has a space. A line with a blank
// where a value stands is named.
TEST(Csv, ColumnsAlignedWithSpaces) {
  const std::string text = "machine      temp   speed  mode\n"
                           "M01         43.86    1247  auto\n"
                           "  M02       44.35    1182  \"by hand\"   \n"
                           "\n"
                           "M03         -1.5e2   1203  auto\n";
  const CsvTable t = parse_csv(text);
  EXPECT_EQ(t.separator, ' ');
  EXPECT_EQ(t.header, (std::vector<std::string>{"machine", "temp", "speed", "mode"}));
  ASSERT_EQ(t.row_count(), 3u);
  EXPECT_EQ(t.row(1), (std::vector<std::string>{"M02", "44.35", "1182", "by hand"}));
  EXPECT_EQ(t.row(2), (std::vector<std::string>{"M03", "-1.5e2", "1203", "auto"}));
  EXPECT_EQ(t.row_line(2), 5);
  EXPECT_EQ(t.empty_row_lines, (std::vector<int64_t>{4}));
  EXPECT_EQ(write_csv(t), "machine\ttemp\tspeed\tmode\nM01\t43.86\t1247\tauto\nM02\t44.35\t1182\tby hand\nM03\t-1.5e2\t1203\tauto\n");
  const CsvTable titled = parse_csv("Messwerte Halle 3\nStand: März\n\n" + text);
  EXPECT_EQ(titled.title_lines, 3u);
  EXPECT_EQ(titled.first_title, "Messwerte Halle 3");
  EXPECT_EQ(titled.header, t.header);
  EXPECT_EQ(titled.row(2), t.row(2));
  EXPECT_EQ(titled.row_line(2), 8);
  for (size_t piece : {1, 5, 64})
    for (const std::string& bytes : {text, "Messwerte Halle 3\nStand: März\n\n" + text}) {
      CsvStream stream;
      std::vector<std::vector<std::string>> got;
      const auto take = [&](const CsvTable& batch) {
        EXPECT_EQ(batch.header, t.header);
        EXPECT_EQ(batch.separator, ' ');
        for (size_t r = 0; r < batch.row_count(); ++r) got.push_back(batch.row(r));
      };
      for (size_t at = 0; at < bytes.size(); at += piece) {
        stream.push(std::string_view(bytes).substr(at, piece));
        while (auto batch = stream.next(2)) take(*batch);
      }
      stream.finish();
      while (auto batch = stream.next(2)) take(*batch);
      EXPECT_EQ(got, (std::vector<std::vector<std::string>>{t.row(0), t.row(1), t.row(2)})) << piece;
    }
  // One column named with a space; a header with a separator: as before.
  EXPECT_EQ(parse_csv("Response time\n12\n13\n").header, (std::vector<std::string>{"Response time"}));
  EXPECT_EQ(parse_csv("Status\nnot ok\nnot ok\nok\n").header, (std::vector<std::string>{"Status"}));
  EXPECT_EQ(parse_csv("Gewicht\n\n12 kg\n13 kg\n").header, (std::vector<std::string>{"Gewicht"}));
  EXPECT_EQ(parse_csv("a b,c\n1 2,3\n").header, (std::vector<std::string>{"a b", "c"}));
  // A blank where a value stands: read by where the others stand under the names (a missing
  // cell); a value too many is named.
  const CsvTable blank = parse_csv(text + "M05  41.0  1190  auto\nM06  40.5  1201  auto\nM04                1199  auto\n"
                                          "Öko-7        39.1                \n");
  EXPECT_EQ(blank.row(5), (std::vector<std::string>{"M04", "", "1199", "auto"}));
  EXPECT_EQ(blank.row(6), (std::vector<std::string>{"Öko-7", "39.1", "", ""}));
  EXPECT_EQ(error_of([&] { parse_csv(text + "M05  41.0  1190  auto\nM06  40.5  1201  auto\nM04  40.2  1199  auto  x\n"); }),
            "CSV line 8: 5 fields, the header has 4 ('M04 40.2 1199 auto x'): the columns are aligned with spaces and split at "
            "each run of them: a value that holds a space needs quotes around it");
  // Words of one space over words of one space are one column; a title, a rule under the header
  // and a totals line read as in other files; names of one space beside runs of two or more.
  EXPECT_EQ(parse_csv("Status message\ndisk full\ncpu hot\n").header, (std::vector<std::string>{"Status message"}));
  const CsvTable report = parse_csv("Response time   Server   Bytes sent\n"
                                    "-------------   ------   ----------\n"
                                    "          165   web1           7884\n"
                                    "          166   web 2          7356\n"
                                    "Total                         15240\n");
  EXPECT_EQ(report.header, (std::vector<std::string>{"Response time", "Server", "Bytes sent"}));
  EXPECT_EQ(report.row(1), (std::vector<std::string>{"166", "web 2", "7356"}));
  EXPECT_EQ(report.row(2), (std::vector<std::string>{"Total", "", "15240"}));
  EXPECT_EQ(report.empty_row_lines, (std::vector<int64_t>{2}));
  // Not a table aligned with spaces: a CSV below a title of three words, a one-column file named
  // with three words, a TSV whose header ends in spaces (its empty cells stay cells).
  const CsvTable titled_csv = parse_csv("Quarterly sales report\n\ndate,region,amount\n2024-01-02,Nord,12\n2024-01-03,Süd,14\n");
  EXPECT_EQ(titled_csv.header, (std::vector<std::string>{"date", "region", "amount"}));
  EXPECT_EQ(titled_csv.title_lines, 2u);
  EXPECT_EQ(parse_csv("Total energy used\n12\n13\n14\n").header, (std::vector<std::string>{"Total energy used"}));
  EXPECT_EQ(parse_csv("temp\tspeed\tload  \n30\t\t92\n31\t5\t90\n").row(0), (std::vector<std::string>{"30", "", "92"}));
  // Lines ended by '\r' alone, whole and in pieces; a rule of dashes between values is three
  // missing values, not a rule.
  const CsvTable mac = parse_csv("machine   temp   speed\rM1        40.5    1200\rM2        41.5    1210\r");
  EXPECT_EQ(mac.separator, ' ');
  EXPECT_EQ(mac.row(1), (std::vector<std::string>{"M2", "41.5", "1210"}));
  {
    CsvStream stream;
    stream.push("machine   temp   speed\rM1        40.5    1200\rM2        41.5    1210\r");
    stream.finish();
    const auto batch = stream.next(10);
    ASSERT_TRUE(batch);
    EXPECT_EQ(batch->header, mac.header);
    EXPECT_EQ(batch->row(1), mac.row(1));
  }
  EXPECT_EQ(parse_csv("a      b      c\n1      2      3\n-      -      -\n4      5      6\n").row(1),
            (std::vector<std::string>{"-", "-", "-"}));
  // One name over numbers: a decimal comma is no separator, in a file and in small pieces alike;
  // commas that separate values are (and said as a row longer than the header).
  std::string price = "price\n";
  for (int i = 0; i < 14; ++i) price += std::to_string(10 + i) + "\n";
  price += "12,5\n13\n";
  EXPECT_EQ(parse_csv(price).row(14), (std::vector<std::string>{"12,5"}));
  {
    CsvStream stream;
    std::vector<std::vector<std::string>> got;
    for (size_t at = 0; at < price.size(); at += 4) {
      stream.push(std::string_view(price).substr(at, 4));
      while (auto batch = stream.next(3))
        for (size_t r = 0; r < batch->row_count(); ++r) got.push_back(batch->row(r));
    }
    stream.finish();
    while (auto batch = stream.next(3))
      for (size_t r = 0; r < batch->row_count(); ++r) got.push_back(batch->row(r));
    ASSERT_EQ(got.size(), 16u);
    EXPECT_EQ(got[14], (std::vector<std::string>{"12,5"}));
  }
  EXPECT_EQ(error_of([] { parse_csv("n\n1,2,3\n4,5,6\n"); }).substr(0, 36), "CSV line 2: 3 fields, the header has");
  // A blank cell beside a value of two words: each value under the name it stands under
  // ("United States" whole, under 'country'); pandas' printed index is a column "index"; a value
  // that fills its column up to the next ("Los Angeles France") is not split anyhow.
  const CsvTable cities = parse_csv("name    city          country           amount\n"
                                    "n0      San Jose      Germany               94\n"
                                    "n1                    United States        224\n"
                                    "n2      Los Angeles   France               853\n");
  EXPECT_EQ(cities.row(1), (std::vector<std::string>{"n1", "", "United States", "224"}));
  EXPECT_EQ(cities.row(2), (std::vector<std::string>{"n2", "Los Angeles", "France", "853"}));
  const CsvTable pandas = parse_csv("            city   temp  qty\n0          Paris   6.84   33\n1       New York  11.21  231\n");
  EXPECT_EQ(pandas.header, (std::vector<std::string>{"index", "city", "temp", "qty"}));
  EXPECT_EQ(pandas.row(1), (std::vector<std::string>{"1", "New York", "11.21", "231"}));
  EXPECT_NE(parse_csv("city        country           pop\nLos Angeles France        3070867\nParis       New Zealand   8726705\n"
                      "Rome        Italy         2761632\n").header.size(), 3u);
  // A one-column file of decimal commas; numbers split at single spaces (numpy's savetxt).
  EXPECT_EQ(parse_csv("Antwortzeit\n0,213\n0,204\n").row(1), (std::vector<std::string>{"0,204"}));
  EXPECT_EQ(parse_csv("x y\n1.5 2\n3 4e-2\n").row(1), (std::vector<std::string>{"3", "4e-2"}));
}

TEST(CsvStream, PiecesGiveTheWholeFile) {
  const std::string text = "name;value;note\n"
                           "Zürich;1,5;\"two\nlines\"\n"
                           ";;\n"
                           "Genève;2,25;plain\n"
                           "Łódź;3;\"a;b\"\n";
  const CsvTable whole = parse_csv(text);
  EXPECT_EQ(whole.numbers.decimal, ',');
  std::string utf16 = "\xFF\xFE";
  for (char32_t c : [&] {
         std::u32string points;
         for (size_t i = 0; i < text.size();) {
           const auto b = uint8_t(text[i]);
           const size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : 3;
           char32_t p = n == 1 ? b : n == 2 ? b & 0x1F : b & 0x0F;
           for (size_t k = 1; k < n; ++k) p = (p << 6) | (uint8_t(text[i + k]) & 0x3F);
           points += p, i += n;
         }
         return points;
       }())
    utf16 += char(c & 0xFF), utf16 += char(c >> 8);
  std::string classic_mac = text;  // lines ended by '\r' alone
  std::replace(classic_mac.begin(), classic_mac.end(), '\n', '\r');
  for (const std::string& bytes : {text, utf16, classic_mac}) {
    for (size_t piece = 1; piece <= bytes.size(); piece += piece < 8 ? 1 : 7) {
      for (size_t rows : {1, 2, 100}) {
        CsvStream stream;
        std::vector<std::vector<std::string>> got;
        std::vector<int64_t> lines;
        auto take = [&](const CsvTable& batch) {
          EXPECT_EQ(batch.header, whole.header);
          EXPECT_EQ(batch.numbers, whole.numbers);
          for (size_t r = 0; r < batch.row_count(); ++r) got.push_back(batch.row(r)), lines.push_back(batch.row_line(r));
        };
        for (size_t at = 0; at < bytes.size(); at += piece) {
          stream.push(std::string_view(bytes).substr(at, piece));
          while (auto batch = stream.next(rows)) take(*batch);
        }
        stream.finish();
        while (auto batch = stream.next(rows)) take(*batch);
        ASSERT_EQ(got.size(), whole.row_count()) << "piece " << piece << ", rows " << rows;
        for (size_t r = 0; r < got.size(); ++r) {
          EXPECT_EQ(got[r], whole.row(r));
          EXPECT_EQ(lines[r], whole.row_line(r));
        }
      }
    }
  }
  // A UTF-8 stream with a Windows-1252 line after its first 4 KB reads that line's bytes as
  // Windows-1252 too, as a whole file would be read, and says so.
  std::string mixed = "city;v\n";
  for (int i = 0; i < 400; ++i) mixed += "Z\xC3\xBCrich;" + std::to_string(i) + "\n";
  mixed += "Z\xFCrich;400\n";
  EXPECT_EQ(parse_csv(mixed).encoding, "UTF-8, Windows-1252 on line 402");
  CsvStream mixed_stream;  // in pieces: the encoding is decided on the first 4 KB, all UTF-8
  for (size_t at = 0; at < mixed.size(); at += 1000) mixed_stream.push(std::string_view(mixed).substr(at, 1000));
  mixed_stream.finish();
  std::set<std::string> cities;
  while (auto batch = mixed_stream.next(1000))
    for (size_t r = 0; r < batch->row_count(); ++r) cities.emplace(batch->cell(r, 0));
  EXPECT_EQ(cities, (std::set<std::string>{"Z\xC3\xBCrich"}));
  // UTF-16 without a byte-order mark (its ASCII is valid UTF-8 with NULs): read as UTF-16.
  std::string le, be;
  for (char c : std::string("temp,label\n28.5,ok\n29.1,bad\n")) le += c, le += '\0', be += '\0', be += c;
  EXPECT_EQ(parse_csv(le).encoding, "UTF-16LE");
  EXPECT_EQ(parse_csv(le).cell(1, 1), "bad");
  EXPECT_EQ(parse_csv(be).encoding, "UTF-16BE");
  // Mostly Windows-1252 with a UTF-8 line: each read as written.
  const DecodedText few_utf8 = decode_text("city\nZ\xFCrich\nGen\xE8ve\nZ\xC3\xBCrich\nZ\xFCrich\n");
  EXPECT_EQ(few_utf8.encoding, "Windows-1252, UTF-8 on line 4");
  EXPECT_EQ(few_utf8.text(), "city\nZ\xC3\xBCrich\nGen\xC3\xA8ve\nZ\xC3\xBCrich\nZ\xC3\xBCrich\n");
  // The same after a UTF-8 byte-order mark: the lines named, not the file refused.
  const DecodedText bom_mixed = decode_text("\xEF\xBB\xBF" "city;v\nZ\xC3\xBCrich;1\nK\xC3\xB6ln;2\nM\xFCnchen;3\n");
  EXPECT_EQ(bom_mixed.encoding, "UTF-8 (byte-order mark), Windows-1252 on line 4");
  EXPECT_EQ(bom_mixed.text(), "city;v\nZ\xC3\xBCrich;1\nK\xC3\xB6ln;2\nM\xC3\xBCnchen;3\n");
  const DecodedText bom_1252 = decode_text("\xEF\xBB\xBF" "city;v\nZ\xFCrich;1\n");
  EXPECT_EQ(bom_1252.encoding, "Windows-1252 (after a UTF-8 byte-order mark)");
  EXPECT_EQ(bom_1252.text(), "city;v\nZ\xC3\xBCrich;1\n");
  EXPECT_EQ(decode_text("\xEF\xBB\xBF" "city\nZ\xFCrich\nGen\xE8ve\nZ\xC3\xBCrich\n").encoding,
            "Windows-1252, UTF-8 on line 4 (after a UTF-8 byte-order mark)");
  // As many of each after the mark: UTF-8, the Windows-1252 line named. Read as a stream, the
  // same, and the mark is no part of the header.
  const std::string bom_tie = "\xEF\xBB\xBF" "Nr;Ort\n1;K\xC3\xB6ln\n2;M\xFCnchen\n";
  EXPECT_EQ(decode_text(bom_tie).encoding, "UTF-8 (byte-order mark), Windows-1252 on line 3");
  for (const std::string& text : {bom_tie, std::string("\xEF\xBB\xBF" "Nr;Ort\n1;M\xFCnchen\n")}) {
    CsvStream bom_stream;
    bom_stream.push(text);
    bom_stream.finish();
    const std::optional<CsvTable> piece = bom_stream.next(10);
    ASSERT_TRUE(piece);
    EXPECT_EQ(piece->header, (std::vector<std::string>{"Nr", "Ort"})) << bom_stream.encoding();
    EXPECT_EQ(piece->cell(piece->row_count() - 1, 1), "M\xC3\xBCnchen");
    EXPECT_EQ(piece->header, parse_csv(text).header);
  }
  // A bad row names its line in the file.
  CsvStream stream;
  stream.push("a,b\n1,2\n3,4\n5\n");
  stream.finish();
  stream.next(2);
  EXPECT_EQ(error_of([&] { stream.next(2); }), "CSV line 4: 1 field, the header has 2 ('5'): the file's last line: if it was cut short "
                                               "(copied, or exported while still being written), complete it or delete it; a missing "
                                               "value is an empty field, two separators in a row");
  CsvStream within;  // (a piece's last line is not the file's)
  within.push("a,b\n1,2\n3,4\n5\n6,7\n");
  within.finish();
  within.next(2);
  EXPECT_EQ(error_of([&] { within.next(1); }), "CSV line 4: 1 field, the header has 2 ('5'): a missing value is an empty field, two separators in a row");
}

// Lap times ("1:23,75": minutes, seconds and their hundredths) are durations in seconds; a
// column of hours:minutes beside plain numbers ("3:15", "3,75": decimal hours, or minutes?) is
// said in the preview and refused at training, unless called categorical.
TEST(Csv, LapTimesAndMixedDurations) {
  std::string laps = "Runde;Zeit\n";
  for (int i = 0; i < 30; ++i) laps += std::to_string(i + 1) + ";1:2" + std::to_string(i % 10) + "," + std::to_string(10 + i) + "\n";
  const CsvTable t = parse_csv(laps);
  EXPECT_EQ(describe_columns(t)[1].reason, "durations (h:mm:ss, and m:ss where a cell has two parts), read as seconds ('1:20,10' is 80.1)");
  const std::vector<int64_t> rows = first_rows(30);
  const TabularPreprocessor prep = TabularPreprocessor::fit(t, rows, TabularOptions{});
  EXPECT_EQ(prep.columns()[0].duration, 'm');
  EXPECT_NEAR(prep.columns()[0].mean, 60 + 20 + 4.5 + 0.245, 1e-4);  // 1:2d,hh: 80 s + d (mean 4.5) + hh/100 (mean 0.245)
  std::string hours = "MA;Stunden\n";
  for (int i = 0; i < 30; ++i) hours += "MA" + std::to_string(i) + ";" + (i % 3 ? std::to_string(2 + i % 7) + ":15" : std::to_string(2 + i % 7) + ",75") + "\n";
  const CsvTable h = parse_csv(hours);
  const std::string said = "mixes durations written hours:minutes (line 3: '3:15', 20 cells) and plain numbers (line 2: '2,75', 10 cells), "
                           "which could be decimal hours or minutes: write every cell one way (3,75 hours as 3:45; 59,98 seconds as "
                           "0:59,98), or call the column categorical";
  EXPECT_EQ(describe_columns(h)[1].reason, said);
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(h, rows, TabularOptions{}); }), "CSV line 3, column 'Stunden' " + said);
  // Counted in the whole file, as the preview counts, whichever rows train.
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(h, first_rows(15), TabularOptions{}); }), "CSV line 3, column 'Stunden' " + said);
  TabularOptions categorical;
  categorical.roles["Stunden"] = ColumnRole::categorical;
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(h, rows, categorical); }), "(no error)");
}

// Training says every column that cannot be read at once, not one per run.
TEST(Tabular, EveryColumnThatCannotBeReadIsSaidAtOnce) {
  std::string text = "Wert1,Wert2,Wert3\n";
  for (int i = 0; i < 20; ++i) text += std::to_string(i) + ".5," + (i == 3 ? "(leer)" : std::to_string(i)) + "," + (i == 7 ? "x" : "1.25") + "\n";
  const std::vector<int64_t> rows = first_rows(20);
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(parse_csv(text), rows, TabularOptions{}); }),
            "CSV line 5, column 'Wert2': '(leer)' is not a number (the column's other values are "
            "numbers; leave the cell empty or write NA for a missing value, or, if it holds codes rather than amounts, call the column categorical); also CSV line 9, "
            "column 'Wert3': 'x' is not a number (the column's other values are numbers; leave the cell empty or write NA for a "
            "missing value, or, if it holds codes rather than amounts, call the column categorical) (2 columns "
            "cannot be read)");
}

// Comment lines ('#' first) that exports write before the header, and lines of one field among
// the rows, are skipped and counted; line numbers stay the file's; "#FF0000" in a row is a value.
TEST(Csv, CommentLinesAreSkipped) {
  const std::string text = "# Export aus SAP 2024-03-01\n# Mandant 100\n\nWerk;Menge\nW0;1\n# Zwischenstand\nW1;2\n";
  const CsvTable t = parse_csv(text);
  EXPECT_EQ(t.header, (std::vector<std::string>{"Werk", "Menge"}));
  ASSERT_EQ(t.row_count(), 2u);
  EXPECT_EQ(t.row_line(0), 5);
  EXPECT_EQ(t.row_line(1), 7);
  EXPECT_EQ(t.comment_lines, 3u);
  EXPECT_EQ(t.first_comment, "# Export aus SAP 2024-03-01");
  std::vector<std::string> notes;
  tabular_labels(t, TabularOptions{}, &notes);
  EXPECT_EQ(notes.at(0), "3 comment lines ('#' first) skipped ('# Export aus SAP 2024-03-01', ...: 2 above the header, the other on line 6)");
  notes.clear();
  tabular_labels(parse_csv("Werk;Menge\nW0;1\n# Zwischenstand\nW1;2\n"), TabularOptions{}, &notes);
  EXPECT_EQ(notes.at(0), "a comment line ('#' first) skipped ('# Zwischenstand' on line 3)");
  {  // Several among the rows: each named by its line, the first ten, right under the header too.
    std::string many = "Werk;Menge\n# Stand 1\n";
    for (int k = 0; k < 12; ++k) many += "W" + std::to_string(k) + ";1\n# Stand\n";
    notes.clear();
    tabular_labels(parse_csv(many), TabularOptions{}, &notes);
    EXPECT_EQ(notes.at(0), "13 comment lines ('#' first) skipped ('# Stand 1', ... on lines 2, 4, 6, 8, 10, 12, 14, 16, 18, 20 and 3 more)");
  }
  {  // The last line cut short (no line end, fewer fields): left out, said; a file's and a stream's.
    const CsvTable cut = parse_csv("a,b,c\n1,2,3\n4,5,6\n7,8");
    EXPECT_EQ(cut.row_count(), 2u);
    EXPECT_EQ(cut.cut_last_line, 4);
    notes.clear();
    tabular_labels(cut, TabularOptions{}, &notes);
    EXPECT_EQ(notes.at(0), "line 4, the last, holds 2 of the header's 3 fields and no line end: it looks cut short (copied, or "
                           "exported while still being written), so it was left out; if it is a whole row, complete it and read the file "
                           "again");
    // cut inside a quoted field, the same (helper-116: "a quoted field is not closed" refused the file)
    const CsvTable quoted = parse_csv("a,b,c\n1,2,3\n4,\"Ber");
    EXPECT_EQ(quoted.row_count(), 1u);
    EXPECT_EQ(quoted.cut_last_line, 3);
    EXPECT_EQ(quoted.cut_last_fields, 2u);
    EXPECT_NE(error_of([] { parse_csv("a,b,c\n1,2,\"3\n4,5,6\n"); }).find("a quoted field is not closed"), std::string::npos);
    // the only line below the header cut short: said so, not "no data rows"
    EXPECT_EQ(error_of([] { parse_csv("a,b,c\n1,2"); }),
              "CSV file has a header and one line below it, line 2, which holds 2 of the header's 3 fields and no line end: it looks "
              "cut short (copied, or exported while still being written); complete it, or export the file again");
    CsvStream only;
    only.push("a,b,c\n1,2");
    only.finish();
    EXPECT_EQ(error_of([&] { only.next(16); }), error_of([] { parse_csv("a,b,c\n1,2"); }));
    // with its line end, or within the file, it is a row of the wrong shape: refused
    EXPECT_NE(error_of([] { parse_csv("a,b,c\n1,2,3\n4,5,6\n7,8\n"); }).find("CSV line 4: 2 fields, the header has 3"), std::string::npos);
    EXPECT_NE(error_of([] { parse_csv("a,b,c\n1,2,3\n7,8\n4,5,6"); }).find("CSV line 3: 2 fields, the header has 3"), std::string::npos);
    // in a stream, after its first batch, said by CellNotes (with a comment line there)
    std::string text = "a,b,c\n";
    for (int i = 0; i < 30; ++i) text += (i == 20 ? "# reboot\n" : "") + std::to_string(i % 7) + ",2,3\n";
    text += "7,8";
    const TabularPreprocessor prep = TabularPreprocessor::fit(parse_csv("a,b,c\n1,2,3\n2,3,4\n3,4,5\n"), {0, 1, 2}, TabularOptions{});
    CellNotes cells(prep);
    CsvStream pieces;
    pieces.push(text);
    pieces.finish();
    while (const std::optional<CsvTable> batch = pieces.next(16)) cells.add(*batch);
    const std::vector<std::string> said = cells.notes();
    EXPECT_NE(std::find(said.begin(), said.end(), "a comment line ('#' first) after the first 16 rows skipped ('# reboot' on line 22)"),
              said.end())
        << ::testing::PrintToString(said);
    EXPECT_NE(std::find(said.begin(), said.end(), "line 33, the last, holds 2 of the header's 3 fields and no line end: it looks cut "
                                                  "short (copied, or exported while still being written), so it was left out; if it is a "
                                                  "whole row, complete it and read the file again"),
              said.end());
  }
  CsvStream stream;
  stream.push(text);
  stream.finish();
  const std::optional<CsvTable> streamed = stream.next(10);
  ASSERT_TRUE(streamed);
  EXPECT_EQ(streamed->header, t.header);
  EXPECT_EQ(streamed->row_count(), 2u);
  EXPECT_EQ(streamed->row_line(1), 7);
  EXPECT_EQ(parse_csv("Farbe,n\n#FF0000,1\n#00FF00,2\n").row_count(), 2u);
  // A comment line's separators and quotes are its text (helper-116: "# shift change, night crew"
  // refused the file; one of as many fields as the header was read as a row); "#1023,..." of the
  // header's shape is a row, of another shape a comment line. A file's and a stream's alike.
  const std::string remarks = "machine,site,t\nM1,Berlin,61.2\n# shift change, night crew\n# the \"new\" sensor, M2, 60\n"
                              "#1023,Bonn,59.1\n#operator: Jens, checked\n#\nM3,Bonn,58.0\n";
  const CsvTable commented = parse_csv(remarks);
  ASSERT_EQ(commented.row_count(), 3u);
  EXPECT_EQ(commented.cell(1, 0), "#1023");
  EXPECT_EQ(commented.row_line(2), 8);
  EXPECT_EQ(commented.comment_lines, 4u);
  EXPECT_EQ(commented.first_comment, "# shift change, night crew");
  EXPECT_EQ(commented.first_comment_line, 3);
  CsvStream remarked;
  remarked.push(remarks);
  remarked.finish();
  std::vector<int64_t> lines;
  size_t comments = 0;
  while (const std::optional<CsvTable> batch = remarked.next(1)) {
    for (size_t r = 0; r < batch->row_count(); ++r) lines.push_back(batch->row_line(r));
    comments += batch->comment_lines;
  }
  EXPECT_EQ(lines, (std::vector<int64_t>{2, 5, 8}));
  EXPECT_EQ(comments, 4u);
  // A header whose first name starts with '#' is the header ("#,Name", VCF's "#CHROM").
  EXPECT_EQ(parse_csv("#,Name,Type 1\n1,Bulbasaur,Grass\n").header, (std::vector<std::string>{"#", "Name", "Type 1"}));
  EXPECT_EQ(parse_csv("#CHROM\tPOS\n1\t10177\n").header, (std::vector<std::string>{"#CHROM", "POS"}));
  // A report's title and notes above the header (blank lines among them) are left out and said,
  // whole and streamed; a header that reads as one is never taken for a title.
  const std::vector<std::pair<std::string, std::string>> titled = {
      {"Messprotokoll Halle 3\n\nzeit;temp;druck\n12:00;21,4;1013\n12:05;21,5;1012\n", "Messprotokoll Halle 3"},
      {"Export;12.03.2024\nMandant;100\n\nKunde;Umsatz;Marge;Region\nK1;1,5;0,2;Nord\nK2;2,5;0,3;S\xC3\xBC" "d\n", "Export;12.03.2024"},
      {"Umsatzbericht Q1 2024;;;\n;;;\nKunde;Umsatz;Marge;Region\nK1;1,5;0,2;Nord\nK2;2,5;0,3;Ost\n", "Umsatzbericht Q1 2024;;;"},
      {"\"Sensor log, hall 3\"\nhost,cpu,mem\na,1,2\nb,3,4\n", "\"Sensor log, hall 3\""}};
  for (const auto& [text, title] : titled) {
    SCOPED_TRACE(text);
    const CsvTable with_title = parse_csv(text);
    EXPECT_GE(with_title.header.size(), 3u);
    EXPECT_EQ(with_title.title_lines, std::count(text.begin(), text.end(), '\n') - 3);
    EXPECT_EQ(with_title.first_title, title);
    EXPECT_EQ(with_title.row_count(), 2u);
    EXPECT_EQ(with_title.row_line(0), std::count(text.begin(), text.end(), '\n') - 1);
    notes.clear();
    tabular_labels(with_title, TabularOptions{}, &notes);
    ASSERT_FALSE(notes.empty());
    EXPECT_EQ(notes[0].find("above the header skipped as the file's title or notes ('" + title + "'"), notes[0].find("above")) << notes[0];
    CsvStream titled_stream;
    titled_stream.push(text);
    titled_stream.finish();
    const std::optional<CsvTable> first = titled_stream.next(10);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->header, with_title.header);
    EXPECT_EQ(first->row_line(0), with_title.row_line(0));
    EXPECT_EQ(first->title_lines, with_title.title_lines);
  }
  EXPECT_EQ(parse_csv("Messprotokoll Halle 3\n\nzeit;temp;druck\n12:00;21,4;1013\n").title_lines, 2u);
  EXPECT_EQ(parse_csv("Messprotokoll Halle 3\rzeit,temp,druck\r1,2,3\r4,5,6\r").header, (std::vector<std::string>{"zeit", "temp", "druck"}));
  // A title line holding the separator (or another) below the first (helper-126).
  for (const char* notes : {"Plant: Nord-2, period: 2024-01", "Plant: Nord-2;Period: 2024-01"}) {
    const CsvTable titled = parse_csv(std::string("Production export\n") + notes + "\n\ntime,temp,flow,line\n00:00,57.7,1431.2,C\n00:10,58.1,1440.0,A\n");
    EXPECT_EQ(titled.title_lines, 3u) << notes;
    EXPECT_EQ(titled.header, (std::vector<std::string>{"time", "temp", "flow", "line"})) << notes;
    EXPECT_EQ(titled.row_count(), 2u) << notes;
  }

  // No title: a blank line below the header, separators inside values of another separator's
  // file (an address in a ';' export, MovieLens' genres), empty top rows (skipped as ever).
  const CsvTable blank_below = parse_csv("timestamp,status,message\n\n2024-03-01 10:00,OK,started\n2024-03-01 10:05,OK,running\n");
  EXPECT_EQ(blank_below.header, (std::vector<std::string>{"timestamp", "status", "message"}));
  EXPECT_EQ(blank_below.row_count(), 2u);
  EXPECT_EQ(parse_csv("Kunde;Adresse\nMueller GmbH;Hauptstr. 1, 12345 Berlin, Deutschland\nMeier AG;Ring 2, 80331 M\xC3\xBCnchen, DE\n").separator, ';');
  EXPECT_EQ(parse_csv("id,title,genres\n1,Toy Story,Adventure|Animation|Children\n2,Jumanji,Adventure|Children|Fantasy\n").separator, ',');
  EXPECT_EQ(parse_csv("name\tnote\nsensor A\tok, stable, calibrated\nsensor B\tok, drifting\n").separator, '\t');
  const CsvTable empty_top = parse_csv(";;;\n;;;\nname;value;x\na;2;3\n");
  EXPECT_EQ(empty_top.title_lines, 0u);
  EXPECT_EQ(empty_top.header, (std::vector<std::string>{"name", "value", "x"}));
  // A stream's piece that starts with a blank line keeps the file's header.
  CsvStream log;
  log.push("time,level,text\n10:00,INFO,a\n10:05,INFO,b\n10:10,WARN,c\n\n10:15,WARN,slow\n10:20,INFO,d\n");
  log.finish();
  std::vector<std::string> levels;
  while (const std::optional<CsvTable> batch = log.next(3)) {
    EXPECT_EQ(batch->header, (std::vector<std::string>{"time", "level", "text"}));
    for (size_t r = 0; r < batch->row_count(); ++r) levels.emplace_back(batch->cell(r, 1));
  }
  EXPECT_EQ(levels, (std::vector<std::string>{"INFO", "INFO", "WARN", "WARN", "INFO"}));
  for (const char* plain : {"a,b\n1,2\n", "temp;flow;;\n21,5;3;;\n22,5;4;\n", "x;y\n21,4;1\n22,0;2\n",
                            "name\nanna\nbob\n", "a,b,c\n1,2,\n3,4,5\n4,5,6\n", "a;b\n1,5;2,5\n1,6;2,6\n",
                            "a,b,c\n1,2,3\n\n4,5,6\n7,8,9\n"})
    EXPECT_EQ(parse_csv(plain).title_lines, 0u) << plain;
  EXPECT_EQ(error_of([] { parse_csv(",a,b\n0,1,2\n1,3,4\n"); }).substr(0, 53), "CSV line 2: '0' stands in column 1, which has no name");
  // Names that are numbers in order are names (wavelengths, years, pandas' 0, 1, 2).
  for (const char* numbered : {"sample,400.5,401.0,401.5\nS1,0.1,0.2,0.3\n", "0,1,2\n5.5,6.5,7.5\n", "2019;2020;2021\n1,5;2;3\n",
                               "Mitarbeiter;27.02;28.02;01.03;02.03\nA;8;8;7;8\n"})
    EXPECT_EQ(parse_csv(numbered).row_count(), 1u) << numbered;
  // numpy's savetxt writes "# " before a header: not part of the first name, and said.
  const std::string numpy = "# temp,pressure,flow\n2.1e+01,1.013e+00,3.5e+00\n2.2e+01,1.011e+00,3.4e+00\n";
  const CsvTable saved = parse_csv(numpy);
  EXPECT_EQ(saved.header, (std::vector<std::string>{"temp", "pressure", "flow"}));
  notes.clear();
  tabular_labels(saved, TabularOptions{}, &notes);
  EXPECT_EQ(notes, (std::vector<std::string>{"the header's first name '# temp' is read as 'temp' (numpy's savetxt writes '# ' before a header)"}));
  CsvStream numpy_stream;
  numpy_stream.push(numpy);
  numpy_stream.finish();
  EXPECT_EQ(numpy_stream.next(10)->header, saved.header);
  EXPECT_EQ(parse_csv("# of visits,price\n3,5\n4,6\n").header, (std::vector<std::string>{"# of visits", "price"}));
  EXPECT_EQ(error_of([] { parse_csv("# only\n# comments\n"); }), "CSV file holds only comment lines ('#' first), no header and no rows");
}

// Characters that show nothing (a zero-width space or byte-order mark copied from a web page,
// DOS's Ctrl-Z) do not make a number text nor a category of its own; Ctrl-Z after the last line
// ends the file (whole and streamed); a message shows what it cannot read, escaped.
TEST(Csv, InvisibleCharactersAreNotPartOfAValue) {
  double value = 0;
  ASSERT_TRUE(parse_number("5.20\xE2\x80\x8B", value, NumberFormat{}));
  EXPECT_DOUBLE_EQ(value, 5.2);
  ASSERT_TRUE(parse_number("\xEF\xBB\xBF-3,5\x1A", value, NumberFormat{',', '.'}));
  EXPECT_DOUBLE_EQ(value, -3.5);
  for (const char* space : {"\xC2\xA0", "\xE2\x80\xAF", "\xE2\x80\x89", "\xC2\xAD"}) {  // no-break, narrow, thin; soft hyphen
    ASSERT_TRUE(parse_number(std::string("96,28") + space, value, NumberFormat{',', '.'})) << space;
    EXPECT_DOUBLE_EQ(value, 96.28);
  }
  // An address is no number and tells no decimal mark; a code kept as text by Excel stays text.
  EXPECT_EQ(parse_csv("ip,n\n192.168.100.200,1.250\n10.1.100.200,2.500\n").numbers.decimal, '.');
  EXPECT_EQ(parse_csv("Version,n\n1.100.250,1.010\n2.125.3,1.020\n").numbers.decimal, '.');  // versions tell nothing either
  EXPECT_FALSE(parse_number("'01067", value, NumberFormat{}));
  const std::string text = "a,c\n1.5,x\n2.5,x\xE2\x80\x8B\n3.5,y\r\n\x1A\r\n";
  const CsvTable t = parse_csv(text);
  EXPECT_EQ(t.row_count(), 3u);
  EXPECT_EQ(describe_columns(t)[1].distinct, 2);
  CsvStream stream;
  stream.push(text);
  stream.finish();
  EXPECT_EQ(stream.next(10)->row_count(), 3u);
  std::vector<int64_t> rows{0, 1, 2};
  const TabularPreprocessor prep = TabularPreprocessor::fit(t, rows, TabularOptions{});
  EXPECT_EQ(error_of([&] { prep.transform(parse_csv("a,c\n6.29\xC2\x81,x\n")); }),
            "CSV line 2, column 'a': '6.29\\u0081' is not a number (the column is numeric; leave the cell empty or write NA for a "
            "missing value)");
}

// Dates written as numbers in a column named like a date (Excel's serial numbers, yyyymmdd,
// day.month) are dates, left out as dates are, in the preview and at training; the same numbers
// under another name, or with the role numeric, are numbers.
TEST(Csv, DatesWrittenAsNumbersAreDates) {
  std::string text = "Buchungsdatum,InvoiceDate,Tag,Betrag,Wert\n";
  for (int i = 0; i < 40; ++i)
    text += std::to_string(45292 + i) + "," + std::to_string(20240101 + i % 28) + "," + (i % 28 < 9 ? "0" : "") +
            std::to_string(1 + i % 28) + ".0" + std::to_string(1 + i % 9) + "," + std::to_string(45292 + i * 3) + "," +
            std::to_string(i % 7) + "\n";
  const CsvTable t = parse_csv(text);
  const std::vector<ColumnSummary> columns = describe_columns(t);
  EXPECT_EQ(columns[0].role, "dates");
  EXPECT_EQ(columns[0].reason, "dates written as numbers, as Excel keeps them (days since 1899-12-30: '45292' is 2024-01-01): left "
                               "out of training as dates are; give the column the role numeric to read them as numbers");
  EXPECT_EQ(columns[1].role, "dates");
  EXPECT_EQ(columns[1].reason.substr(0, 61), "dates written as numbers, yyyymmdd ('20240101' is 2024-01-01)");
  EXPECT_EQ(columns[2].role, "dates");
  EXPECT_EQ(columns[2].reason.substr(0, 61), "dates written as day and month ('01.01' is day 1 of month 1):");
  EXPECT_EQ(columns[3].role, "numeric");
  // Not a name with "date" inside ("Candidate") nor a rate per day; a serial with the time of day is a date.
  const std::vector<ColumnSummary> others =
      describe_columns(parse_csv("Candidate;Umsatz pro Tag;OrderDate\n45292;45300;45523,75\n45293;45400;45524,5\n45310;45500;45530,25\n"));
  EXPECT_EQ(others[0].role, "numeric");
  EXPECT_EQ(others[1].role, "numeric");
  EXPECT_EQ(others[2].role, "dates");
  const std::vector<int64_t> rows = first_rows(40);
  TabularOptions options;
  const TabularPreprocessor prep = TabularPreprocessor::fit(t, rows, options);
  EXPECT_EQ(prep.schema()[0].role, "dates");
  EXPECT_EQ(prep.schema()[2].role, "dates");
  EXPECT_EQ(prep.schema()[3].role, "numeric");
  options.roles["Buchungsdatum"] = ColumnRole::numeric;
  EXPECT_EQ(TabularPreprocessor::fit(t, rows, options).schema()[0].role, "numeric");
  // Unix time in a column named like a time stamp, in seconds or milliseconds; the year a row
  // was recorded in. Not: a duration named "time", the year a thing was built.
  const std::vector<ColumnSummary> stamps = describe_columns(parse_csv(
      "timestamp,created_at,epoch_ms,time,Jahr,Baujahr,cpu\n"
      "1704067205,1704067205.5,1704067205250,12.5,2016,1998,0.5\n"
      "1704070805,1704070805.25,1704070805250,13.25,2017,2004,0.7\n"
      "1704074405,1704074405,1704074405250,11,2018,1978,0.6\n"));
  EXPECT_EQ(stamps[0].role, "dates");
  EXPECT_EQ(stamps[0].reason, "times written as numbers, seconds since 1970 (Unix time: '1704067205' is 2024-01-01): left out of "
                              "training as dates are; give the column the role numeric to read them as numbers");
  EXPECT_EQ(stamps[1].role, "dates");
  EXPECT_EQ(stamps[2].role, "dates");
  EXPECT_EQ(stamps[2].reason.find("times written as numbers, milliseconds since 1970 (Unix time: '1704067205250' is 2024-01-01): "), 0u);
  EXPECT_EQ(stamps[3].role, "numeric");
  EXPECT_EQ(stamps[4].role, "dates");
  EXPECT_EQ(stamps[4].reason.find("years ('2016'): the time a row was recorded, each later year one never seen in training: "), 0u);
  EXPECT_EQ(stamps[5].role, "numeric");
  EXPECT_EQ(stamps[6].role, "numeric");
  // A model year in a list of cars is in no order: a number.
  EXPECT_EQ(describe_columns(parse_csv("Model,Year,Price\nGolf,2012,9000\nPolo,2009,5000\nA3,2015,14000\n"))[1].role, "numeric");
}

// A plain number in a column the model learned with a unit is read in that unit, and said: a
// fraction beside a model of percentages ("0.048" where training wrote "4.7%") is 0.048 %.
TEST(Tabular, NumbersWithoutTheirUnitAreSaidAtScoring) {
  std::string text = "rate,price,n\n";
  for (int i = 0; i < 20; ++i) text += std::to_string(4 + i % 3) + "." + std::to_string(i % 10) + "%,$" + std::to_string(10 + i) + ".50," + std::to_string(i % 4) + "\n";
  const std::vector<int64_t> rows = first_rows(20);
  const TabularPreprocessor prep = TabularPreprocessor::fit(parse_csv(text), rows, {});
  EXPECT_EQ(prep.columns().at(0).suffix, "%");
  EXPECT_EQ(prep.scoring_notes(parse_csv("rate,price,n\n0.048,$12.50,1\n0.051,13,2\n4.9%,$14.00,3\n")),
            (std::vector<std::string>{"numbers written without the unit their column had in training, read in that unit: 'rate' 2 rows "
                                      "('0.048' as 0.048 %, '0.051' as 0.051 %), 'price' 1 row ('13' as $13); if they are fractions "
                                      "(0.05 for 5 %), write them as percentages, as in training",
                                      "2 rows hold values far outside the training's range (beyond it by more than its width): "
                                      "'rate' 2 rows (line 2: '0.048', line 3: '0.051'; training 4 % to 6.8 %). The model never "
                                      "saw the like, so its score cannot say how far out these rows lie: look at them whatever their score "
                                      "(lines 2, 3)"}));
  EXPECT_TRUE(prep.scoring_notes(parse_csv("rate,price,n\n4.9%,$14.00,3\n")).empty());
}

// One unit written in several sizes ("857 g", "1.11 kg"; "47 min", "1.0 h"), and counts written
// with a scale ("9.9k", "449", "1.2M", "3,2 Mio"): converted to the column's most frequent unit,
// said, at training and at scoring; sizes of another dimension ("2 m" among kg) are not.
TEST(Tabular, SizesOfOneUnitAreConverted) {
  std::string text = "paket,gewicht,laufzeit,likes,views\n";
  for (int i = 0; i < 20; ++i)
    text += "P" + std::to_string(i) + "," + (i % 4 == 1 ? "1.1" + std::to_string(i % 10) + " kg" : std::to_string(850 + i) + " g") + "," +
            (i % 5 == 2 ? "1.0 h" : std::to_string(40 + i) + " min") + "," + (i % 3 == 0 ? std::to_string(400 + i) : "3." + std::to_string(i % 10) + "k") +
            "," + (i == 7 ? "1.2M" : std::to_string(10 + i) + ".5k") + "\n";
  const CsvTable t = parse_csv(text);
  const std::vector<ColumnSummary> columns = describe_columns(t);
  ASSERT_EQ(columns.size(), 5u);
  EXPECT_EQ(columns[1].role, "numeric");
  EXPECT_EQ(columns[1].reason, "numbers written with 'g', read without it ('850 g' is 850); other sizes converted: '1.11 kg' read as 1110 g");
  EXPECT_EQ(columns[2].reason, "numbers written with 'min', read without it ('40 min' is 40); other sizes converted: '1.0 h' read as 60 min");
  EXPECT_EQ(columns[3].reason, "numbers written with 'k' (1 k = 1000), read in k ('3.1k' is 3.1); other sizes converted: '400' read as 0.4 k");
  EXPECT_EQ(columns[4].reason, "numbers written with 'k' (1 k = 1000), read in k ('10.5k' is 10.5); other sizes converted: '1.2M' read as 1200 k");
  const std::vector<int64_t> rows = first_rows(20);
  TabularOptions options;
  options.scaling = Scaling::standard;
  const TabularPreprocessor prep = TabularPreprocessor::fit(t, rows, options);
  ASSERT_EQ(prep.schema().size(), 5u);
  ASSERT_EQ(prep.columns().size(), 5u);
  for (size_t c = 1; c < 4; ++c) EXPECT_EQ(prep.schema()[c].reason, columns[c].reason) << c;
  // Standardised, the views (one of 1.2M among 10.5k to 29.5k) are read on a log scale: the fit
  // says so after what the preview says.
  EXPECT_EQ(prep.schema()[4].reason, columns[4].reason + "; a long tail of large values (skewness 4.1 in the training rows): read on a log scale, "
                                                 "log(1 + value / 21 k)");
  EXPECT_NEAR(prep.columns()[1].quantiles.back(), 1190, 1e-9);  // '1.19 kg'
  EXPECT_NEAR(prep.columns()[2].quantiles.back(), 60, 1e-9);     // '1.0 h' above 59 min
  EXPECT_NEAR(prep.columns()[3].quantiles.front(), 0.4, 1e-9);   // '400' in k
  EXPECT_NEAR(prep.columns()[4].quantiles.back(), 1200, 1e-9);   // '1.2M' in k
  // Scoring reads any size, and a bare count, as training did; nothing to note.
  const CsvTable a = parse_csv("paket,gewicht,laufzeit,likes,views\nP1,1.2 kg,0.75 h,3500,12500\n");
  const CsvTable b = parse_csv("paket,gewicht,laufzeit,likes,views\nP1,1200 g,45 min,3.5k,12.5k\n");
  const std::vector<float> va = prep.transform(a).to_vector(), vb = prep.transform(b).to_vector();
  ASSERT_EQ(va.size(), vb.size());
  for (size_t i = 0; i < va.size(); ++i) EXPECT_NEAR(va[i], vb[i], 1e-5) << i;
  EXPECT_EQ(prep.scoring_notes(b), std::vector<std::string>{});
  EXPECT_EQ(prep.scoring_notes(a), std::vector<std::string>{"numbers written in another size of their column's unit, converted to "
                                                            "the unit of training: 'gewicht' 1 row ('1.2 kg' as 1200 g), "
                                                            "'laufzeit' 1 row ('0.75 h' as 45 min)"});
  EXPECT_EQ(error_of([&] { prep.transform(parse_csv("paket,gewicht,laufzeit,likes,views\nP1,1.2 m,45 min,3.5k,12.5k\n")); }),
            "CSV line 2, column 'gewicht': '1.2 m' is not in 'g', the unit the model learned the column in (write it in 'g')");
  // Units of different dimensions in one column are no column of numbers.
  EXPECT_NE(describe_columns(parse_csv("v\n1 kg\n2 m\n3 kg\n4 s\n"))[0].role, "numeric");
  // German scales with their point ("3,2 Mio."); "M" and "K" alone are no scale: Kelvin, molar, a
  // shoe's width stay what they were (a bare 301 beside 296 K is 301; "0.2M" is 0.2, "8M" a size).
  const CsvTable german = parse_csv("Umsatz;n\n3,2 Mio.;1\n850 Tsd.;2\n1,1 Mio.;3\n2,5 Mio.;4\n");
  EXPECT_EQ(describe_columns(german)[0].reason, "numbers written with 'Mio.' (1 Mio. = 1000000), read in Mio. ('3,2 Mio.' is 3.2); "
                                                "other sizes converted: '850 Tsd.' read as 0.85 Mio.");
  std::string kelvin = "temp,shoe,conc\n";
  for (int i = 0; i < 20; ++i)
    kelvin += (i % 7 == 3 ? std::to_string(300 + i % 3) : std::to_string(290 + i % 9) + " K") + "," + (i % 4 ? "8M" : "9W") + ",0." +
              std::to_string(1 + i % 5) + "M\n";
  const std::vector<ColumnSummary> letters = describe_columns(parse_csv(kelvin));
  EXPECT_EQ(letters[0].reason, "numbers written with 'K', read without it ('290 K' is 290)");
  EXPECT_EQ(letters[1].role, "categorical");
  EXPECT_EQ(letters[2].reason, "numbers written with 'M', read without it ('0.1M' is 0.1)");
  // Both "K" and "M" against the numbers: counts with a scale, converted to the more frequent
  // ("879K" among "2.34M"), and a value far out found as such ("40.00M").
  std::string revenue = "revenue\n";
  for (int i = 0; i < 40; ++i) revenue += (i == 9 ? std::string("879K") : "1." + std::to_string(10 + i) + "M") + "\n";
  const CsvTable counted = parse_csv(revenue);
  EXPECT_EQ(describe_columns(counted)[0].reason,
            "numbers written with 'M' (1 M = 1000000), read in M ('1.10M' is 1.1); other sizes converted: '879K' read as 0.879 M");
  const TabularPreprocessor in_millions = TabularPreprocessor::fit(counted, first_rows(40), options);
  EXPECT_NEAR(in_millions.columns()[0].quantiles.front(), 0.879, 1e-9);
  // Beside a lowercase "k", or plain numbers, "M" is a count's scale too (helper-127).
  EXPECT_EQ(describe_columns(parse_csv("revenue\n2.34M\n1.5M\n3.1M\n879k\n"))[0].reason,
            "numbers written with 'M' (1 M = 1000000), read in M ('2.34M' is 2.34); other sizes converted: '879k' read as 0.879 M");
  EXPECT_EQ(describe_columns(parse_csv("revenue\n1200000\n950000\n1100000\n2.5M\n"))[0].reason,
            "numbers written with 'M' (1 M = 1000000), read in M ('2.5M' is 2.5); other sizes converted: '1200000' read as 1.2 M");
  const std::vector<float> scaled = in_millions.transform(parse_csv("revenue\n1.3M\n1300K\n40.00M\n")).to_vector();
  EXPECT_NEAR(scaled[0], scaled[1], 1e-5);
  EXPECT_EQ(in_millions.scoring_notes(parse_csv("revenue\n1.3M\n40.00M\n")).back(),
            "1 row holds a value far outside the training's range (beyond it by more than its width): 'revenue' 1 row (line 3: "
            "'40.00M'; training 0.879 M to 1.49 M). The model never saw the like, so its score cannot say how far out this row "
            "lies: look at it whatever its score (line 3)");
}

// Whole numbers with leading zeros, all as long, are codes (a supplier or article number); plain
// numbers of one length, or padded ones of different lengths, stay numbers.
TEST(Csv, ZeroPaddedNumbersAreCodes) {
  std::string text = "Lieferant;artikel;Menge;Gewicht;Stueck\n";
  for (int i = 0; i < 30; ++i)
    text += "00000" + std::to_string(12345 + i % 5 * 1111) + ";0000" + std::to_string(10 + i % 7) + ";" + std::to_string(100 + i * 7 % 31) + ";" +
            (i == 3 ? "0012" : std::to_string(10 + i)) + ";" + std::to_string(200 + i * 3) + "\n";
  const CsvTable t = parse_csv(text);
  const std::vector<ColumnSummary> columns = describe_columns(t);
  EXPECT_EQ(columns[0].role, "categorical");
  EXPECT_EQ(columns[0].reason.find("whole numbers written with leading zeros, all 10 digits ('0000012345'): codes, not amounts; give it "
                                   "the role numeric if they are amounts"),
            0u);
  EXPECT_EQ(columns[1].role, "categorical");
  EXPECT_EQ(columns[2].role, "numeric");
  EXPECT_EQ(columns[3].role, "numeric");
  EXPECT_EQ(columns[4].role, "numeric");
  // A logger's "%04d" (0900 to 1011) is not all zeros first: numbers.
  EXPECT_EQ(describe_columns(parse_csv("count;n\n0900;1\n0937;2\n0974;3\n1011;4\n"))[0].role, "numeric");
  const std::vector<int64_t> rows = first_rows(30);
  TabularOptions options;
  const TabularPreprocessor prep = TabularPreprocessor::fit(t, rows, options);
  EXPECT_EQ(prep.schema()[0].role, "categorical");
  EXPECT_EQ(prep.schema()[0].reason.find("whole numbers written with leading zeros, all 10 digits ('0000012345')"), 0u);
  EXPECT_EQ(prep.schema()[1].role, "categorical");
  EXPECT_EQ(prep.schema()[3].role, "numeric");
  options.roles["Lieferant"] = ColumnRole::numeric;
  EXPECT_EQ(TabularPreprocessor::fit(t, rows, options).schema()[0].role, "numeric");
}

// Numbers in a column named like a version are versions: 10.10 is not 10.1, 10.2 not 10.20. Whole
// numbers there, and numbers in columns only containing the letters ("Vers" in "Versand"), are numbers.
TEST(Csv, VersionNumbersAreCategories) {
  const std::string versions[] = {"10.2", "10.9", "10.10", "11.0", "10.2"};
  std::string text = "src_ip;fw_version;appVersion;Versandkosten;Firmware Build;FW (g);fw_pkt_len_mean;version_score\n";
  for (int i = 0; i < 30; ++i)
    text += "10.0.0." + std::to_string(i) + ";" + versions[i % 5] + ";" + std::to_string(3 + i % 2) + ";" + std::to_string(4 + i % 3) +
            ".95;" + std::to_string(1000 + i % 4 * 10) + ";1" + std::to_string(i % 4) + ".5;" + std::to_string(i % 10) + "." +
            std::to_string(i % 4) + ";" + std::to_string(i) + ".25\n";
  const CsvTable t = parse_csv(text);
  const std::vector<ColumnSummary> columns = describe_columns(t);
  EXPECT_EQ(columns[1].role, "categorical");
  EXPECT_EQ(columns[1].reason.find("numbers in a column named like a version ('10.10'): versions, not amounts (10.10 follows 10.9, "
                                   "10.2 is not 10.20); give it the role numeric if they are amounts"),
            0u);
  EXPECT_EQ(columns[2].role, "numeric");  // whole numbers: in order as they are
  EXPECT_EQ(columns[3].role, "numeric");  // "Versandkosten" is one word: no version
  EXPECT_EQ(columns[4].role, "numeric");
  EXPECT_EQ(columns[5].role, "numeric");  // fresh weight, not firmware
  EXPECT_EQ(columns[6].role, "numeric");  // forward packets
  EXPECT_EQ(columns[7].role, "numeric");  // 30 different values: measures, not versions
  const std::vector<int64_t> rows = first_rows(30);
  TabularOptions options;
  const TabularPreprocessor prep = TabularPreprocessor::fit(t, rows, options);
  EXPECT_EQ(prep.schema()[1].role, "categorical");
  EXPECT_EQ(prep.schema()[1].reason, columns[1].reason + "; 4 values");  // 10.10 and 10.1 kept apart
  EXPECT_EQ(prep.schema()[2].role, "numeric");
  // A version never seen at scoring is a value never seen (10.1); one of training is its category (10.10).
  const CsvTable scored = parse_csv("src_ip;fw_version;appVersion;Versandkosten;Firmware Build\n10.0.0.1;10.1;3;4.95;1001\n"
                                   "10.0.0.2;10.10;4;5.95;1002\n");
  EXPECT_EQ(prep.scoring_notes(scored), std::vector<std::string>{"values never seen in training, read as none of the column's "
                                                                 "known values: 'fw_version' 1 row ('10.1' on line 2)"
                                                                 ". If one is misspelt, correct it and score the file again; a new value is one the model knows nothing "
                                                                 "of: train again on a file that has it"});
  options.roles["fw_version"] = ColumnRole::numeric;
  EXPECT_EQ(TabularPreprocessor::fit(t, rows, options).schema()[1].role, "numeric");
  // Other names of a version: run together, abbreviated, or the whole name; not a measure whose
  // name only holds such a word, nor a word that only ends like one.
  const auto role = [&](const std::string& name) {
    std::string one = name + "\n";
    for (int i = 0; i < 30; ++i) one += versions[i % 5] + "\n";
    return describe_columns(parse_csv(one))[0].role;
  };
  for (const char* name : {"Softwareversion", "Firmwareversion", "FWVersion", "fw_ver", "SW-Rev", "osver", "SW", "FW", "Build",
                           "Release", "hw rev", "App-Version", "Softwarestand", "Programmstand", "Firmware-Stand", "iOS", "Kernel"})
    EXPECT_EQ(role(name), "categorical") << name;
  for (const char* name : {"Konversion", "conversion_rate", "Inversion", "release_price", "SW (g)", "Server", "driver", "Fever",
                           "build_time", "rev", "ver", "Version_count", "version_age_days", "Firmware_size_mb", "Stand", "System"})
    EXPECT_EQ(role(name), "numeric") << name;
}

// A total that is not the sum of its group's rows in one column, where the file's other totals
// are (edited by hand): still a totals row (its other column sums), and said with its line.
TEST(Csv, TotalsThatDisagreeWithTheirRowsAreSaid) {
  const auto file = [](double off) {
    std::string text = "Filiale;Umsatz;Kunden\n";
    for (int g = 0; g < 4; ++g) {
      double sales = 0;
      int customers = 0;
      for (int m = 0; m < 3; ++m) {
        sales += 100 + 10 * g + m, customers += 5 + m;
        text += detail::concat("F", g, ";", 100 + 10 * g + m, ";", 5 + m, "\n");
      }
      text += detail::concat("Summe;", g == 2 ? sales + off : sales, ";", customers, "\n");
    }
    return parse_csv(text);
  };
  const NotDataRows edited = not_data_rows(file(10), "left out of training");
  EXPECT_EQ(edited.rows, (std::vector<size_t>{3, 7, 11, 15}));
  ASSERT_EQ(edited.notes.size(), 2u);
  EXPECT_EQ(edited.notes[1], "a total that is not the sum of the rows above it, where the file's other totals are: line 13 ('Summe'), "
                             "column 'Umsatz': 373 (3 other totals rows sum in that column). A total edited by hand, or a row of its "
                             "group changed after the total was written? Check the total and its group's rows");
  EXPECT_EQ(not_data_rows(file(0), "").notes.size(), 1u);  // all sum: the totals rows alone are said
}

// Rows of a spreadsheet that are no samples: subtotals (sums since the previous one), a grand
// total (the sum of all rows), an averages row; a row only named so is kept and said; a category
// "Total" of many rows is a category.
TEST(Csv, TotalsAndAveragesRowsAreFoundByTheirNumbers) {
  const CsvTable t = parse_csv("Monat;Betrag;Stunden\nJan;1.000,50;10\nFeb;2.000,25;20\nZwischensumme:;3.000,75;30\n"
                               "M\xC3\xA4r;500;5\nApr;499,25;7\nSubtotal;999,25;12\nGesamt;4.000,00;42\n\xC3\x98;1.000,00;10,5\n"
                               "Summe;1;1\n");
  const NotDataRows found = not_data_rows(t, "left out of training");
  EXPECT_EQ(found.rows, (std::vector<size_t>{2, 5, 6, 7}));
  EXPECT_EQ(found.notes, (std::vector<std::string>{
                             "lines 4 ('Zwischensumme:', a sum in 'Betrag'), 7 ('Subtotal', a sum in 'Betrag'), 8 ('Gesamt', a sum in "
                             "'Betrag') are totals rows (their numbers are the sums of the rows above or below them): left out of training",
                             "line 9 ('\xC3\x98', a mean in 'Betrag') is an averages row (its numbers are the means of the rows above it): "
                             "left out of training",
                             "line 10 ('Summe') is named like a totals or averages row, but none of its numbers is the sum or mean "
                             "of the rows above or below it: read as data; delete it from the file if it is not a sample"}));
  // Excel's subtotals ("Einkauf Ergebnis", the group's name first) and a grand total at the top
  // (the sum of the rows below it) are found too; a column of one value (0: sums to anything) tells
  // nothing: a station named "Total" with a price and no cancellations is a row.
  const CsvTable excel = parse_csv("Abteilung;Betrag;Stunden\nGesamtergebnis;600;60\nEinkauf;100;10\nEinkauf;200;20\n"
                                   "Einkauf Ergebnis;300;30\nVertrieb;120;10\nVertrieb;180;20\nVertrieb Ergebnis;300;30\n");
  EXPECT_EQ(not_data_rows(excel, "").rows, (std::vector<size_t>{0, 3, 6}));
  // A pivot table's export with subtotals on two levels: each branch's ("Kiel Ergebnis", the sum
  // of its months), each region's after its branches' ("Nord Ergebnis", the sum since the region's
  // first row), a grand total; many rows so named, each naming its group.
  std::string pivot = "Region;Filiale;Monat;Umsatz\n";
  std::vector<size_t> totals;
  size_t row = 0;
  int grand = 0;
  for (int region = 0; region < 4; ++region) {
    int region_sum = 0;
    for (int branch = 0; branch < 3; ++branch) {
      int branch_sum = 0;
      for (int month = 1; month <= 6; ++month, ++row) {
        const int sales = 1000 + 37 * ((region * 7 + branch * 3 + month * 5) % 11);
        branch_sum += sales;
        pivot += detail::concat(branch == 0 && month == 1 ? "R" + std::to_string(region) : "", ";",
                                month == 1 ? "F" + std::to_string(branch) : "", ";", month, ";", sales, "\n");
      }
      pivot += detail::concat(";F", branch, " Ergebnis;;", branch_sum, "\n");
      totals.push_back(row++);
      region_sum += branch_sum;
    }
    pivot += detail::concat("R", region, " Ergebnis;;;", region_sum, "\n");
    totals.push_back(row++);
    grand += region_sum;
  }
  pivot += detail::concat("Gesamtergebnis;;;", grand, "\n");
  totals.push_back(row);
  // (a year's total, "2022 Ergebnis", is one too)
  const NotDataRows year_totals = not_data_rows(parse_csv("Jahr;Region;Umsatz\n2022;Nord;100\n;;200\n;Nord Ergebnis;300\n;Süd;50\n;;70\n"
                                                          ";Süd Ergebnis;120\n2022 Ergebnis;;420\n2023;Nord;90\n;;210\n"
                                                          ";Nord Ergebnis;300\n2023 Ergebnis;;300\nGesamtergebnis;;720\n"), "");
  EXPECT_EQ(year_totals.rows, (std::vector<size_t>{2, 5, 6, 9, 10, 11}));
  const NotDataRows subtotals = not_data_rows(parse_csv(pivot), "left out of training");
  EXPECT_EQ(subtotals.rows, totals);
  ASSERT_EQ(subtotals.notes.size(), 1u);
  EXPECT_EQ(subtotals.notes[0], "lines 8 ('F0 Ergebnis', a sum in 'Umsatz'), 15 ('F1 Ergebnis', a sum in 'Umsatz'), 22 ('F2 Ergebnis', "
                                "a sum in 'Umsatz') and 14 more are totals rows (their numbers are the sums of the rows above or below them): "
                                "left out of training");
  // Many rows named each its own way whose numbers are no sums: data, not said one by one.
  std::string products = "Produkt;Preis;Menge\n";
  for (int i = 0; i < 30; ++i) products += detail::concat(i % 3 ? "Basis " : "Total ", i, ";", 10 + i % 7, ";", 3 + i % 4, "\n");
  EXPECT_TRUE(not_data_rows(parse_csv(products), "").rows.empty());
  EXPECT_TRUE(not_data_rows(parse_csv(products), "").notes.empty());
  // A category's word ("Total" loss beside "Partial") that the grand total below the rows carries
  // too: that row alone is a totals row.
  std::string claims = "Damage;Vehicle;Amount;Days\n";
  int amount = 0, days = 0;
  for (int i = 0; i < 40; ++i) {
    claims += detail::concat(i % 3 ? "Partial;" : "Total;", "V", i % 5, ";", 1000 + 37 * i, ";", 3 + i % 9, "\n");
    amount += 1000 + 37 * i, days += 3 + i % 9;
  }
  const NotDataRows grand_total = not_data_rows(parse_csv(claims + detail::concat("Total;;", amount, ";", days, "\n")), "");
  EXPECT_EQ(grand_total.rows, (std::vector<size_t>{40}));
  ASSERT_EQ(grand_total.notes.size(), 1u);
  EXPECT_EQ(grand_total.notes[0].substr(0, 52), "line 42 ('Total', a sum in 'Amount') is a totals row") << grand_total.notes[0];
  EXPECT_TRUE(not_data_rows(parse_csv(claims + "Total;V1;1200;4\n"), "").rows.empty());  // a category's row, last
  EXPECT_TRUE(not_data_rows(parse_csv(claims + "Total;V1;1200;4\n"), "").notes.empty());
  // The preview reads the file as training does: a repeated header is no cell that is not a number.
  const CsvTable twice = parse_csv("Ort;Temperatur;Druck\nA;21,5;1013\nB;22,5;1012\nOrt;Temperatur;Druck\nC;20,5;1011\n");
  EXPECT_EQ(describe_columns(twice)[1].role, "numeric");
  EXPECT_EQ(describe_columns(twice)[1].reason, "");
  const CsvTable stations = parse_csv("Tankstelle,Liter,Storno\nAral,40.5,0\nShell,38.25,0\nTotal,39.5,0\nEsso,41,0\n");
  EXPECT_TRUE(not_data_rows(stations, "").rows.empty());
  std::string plans = "plan,price\n";
  for (int i = 0; i < 40; ++i) plans += std::string(i % 2 ? "Total" : "Basic") + "," + std::to_string(10 + i) + "\n";
  EXPECT_TRUE(not_data_rows(parse_csv(plans), "").notes.empty());
  EXPECT_TRUE(not_data_rows(parse_csv(plans), "").rows.empty());
}

// A totals row without a name (",3970.59,475" below the items; then "Average" and "Summe" over the
// same rows), and lines of one text alone (a grouped report's "Grand total;;;" with no number, a
// footer "Source: ..."): no samples. A row of small counts that happens to sum the rows above, and
// a survey's sparse row ("red;;", a value other rows have), are samples.
// A totals row labelled after its numbers ("...,Total" in a last text column; helper-126) is found
// as one labelled first is; a row named like an averages row whose numbers are no means stops
// training saying so, not "'Average' is not a number".
TEST(Csv, TotalsLabelledInALaterColumnAndAveragesThatDoNotAverage) {
  std::string text = "temp,flow,line\n";
  double temp = 0, flow = 0;
  for (int i = 0; i < 30; ++i) {
    text += detail::concat(50 + i % 7, ",", 1500 + i * 13 % 40, ",", i % 2 ? "A" : "B", "\n");
    temp += 50 + i % 7, flow += 1500 + i * 13 % 40;
  }
  const NotDataRows totals = not_data_rows(parse_csv(text + detail::concat(temp, ",", flow, ",Total\n")), "left out of training");
  EXPECT_EQ(totals.rows, std::vector<size_t>{30});
  EXPECT_EQ(totals.notes, std::vector<std::string>{"line 32 ('Total', a sum in 'temp') is a totals row (its numbers are the sums of the "
                                                   "rows above or below it): left out of training"});
  const CsvTable averages = parse_csv(text + "Average,1000,\n");
  EXPECT_EQ(error_of([&] { TabularPreprocessor::fit(averages, first_rows(31), TabularOptions{}); }),
            "CSV line 32, column 'temp': 'Average' names an averages row, but its numbers were not found to be the means of the rows "
            "above or below it, so it is not left out as one: delete the line if it is not a sample (or correct its numbers)");
  // A data row whose category is a summary word after its numbers, one of which happens to sum
  // (id 3 = 1 + 2; helper-127): a sample.
  EXPECT_TRUE(not_data_rows(parse_csv("id,amount,loss\n1,100,Partial\n2,250,Partial\n3,90,Total\n4,120,Partial\n5,80,Partial\n"), "").rows.empty());
  EXPECT_TRUE(not_data_rows(parse_csv("id,rating,priority\n1,2,Low\n2,4,Low\n3,3,Media\n4,5,Low\n5,1,Low\n"), "").rows.empty());
}

// A measurement in fewer than 1 row in 20 (helper-126: 8 torque values in 400 rows, the rows with
// one flagged for it) is left out, said with what to do; at 1 in 20 or more, or given a role, it
// is kept. A checkbox's one value in a few rows is a value, not a sparse measurement.
TEST(Tabular, AColumnOfTooFewValuesIsLeftOut) {
  const auto table = [](int every) {
    std::string text = "temp,torque,checked,reworked\n";
    for (int i = 0; i < 400; ++i)
      text += detail::concat(50 + i % 9, ",", i % every == 0 ? std::to_string(70 + i % 11) : "", ",", i % 50 == 0 ? "x" : "", ",",
                             i % 50 == 1 ? "1" : "", "\n");
    return parse_csv(text);
  };
  const TabularPreprocessor sparse = TabularPreprocessor::fit(table(50), first_rows(400), TabularOptions{});
  EXPECT_EQ(sparse.schema()[1].role, "empty");
  EXPECT_EQ(sparse.schema()[1].reason,
            "8 values in 400 training rows (2%): too few to learn the column from, left out of training (if a blank cell there means 0 "
            "or none, write that in it; to use the column as it is: the role menu on the page, --role torque=numeric for ca3 train, "
            "TableOptions.roles in the SDK)");
  EXPECT_EQ(describe_columns(table(50))[1].role, "empty");
  EXPECT_EQ(describe_columns(table(50))[1].reason.substr(0, 30), "8 values in 400 rows (2%): too");
  EXPECT_EQ(sparse.schema()[2].role, "categorical");  // the checkboxes, in the preview as in the fit
  EXPECT_EQ(sparse.schema()[3].role, "categorical");
  EXPECT_EQ(describe_columns(table(50))[2].role, "categorical");
  EXPECT_EQ(describe_columns(table(50))[3].role, "categorical");
  EXPECT_EQ(TabularPreprocessor::fit(table(20), first_rows(400), TabularOptions{}).schema()[1].role, "numeric");
  TabularOptions kept;
  kept.roles = {{"torque", ColumnRole::numeric}};
  EXPECT_EQ(TabularPreprocessor::fit(table(50), first_rows(400), kept).schema()[1].role, "numeric");
}

// Words among a column's numbers read as missing in training only where they can mean nothing
// else: not a 0/1 flag's or a checkbox's "x" (checked, 1), not a code column's "X", not an
// identifier's, not a multimeter's "OL" (overload); the file's empty lines are kept with it.
TEST(Tabular, WordsAmongNumbersAreReadAsMissingOnlyWhereTheyMeanNothingElse) {
  std::string text = "defect,checked,product_code,order_id,temp,flow\n";
  for (int i = 0; i < 200; ++i) {
    const bool odd = i == 9 || i == 120;
    text += detail::concat(odd ? "x" : std::to_string(i % 7 == 0), ",", odd ? "x" : i % 5 == 0 ? "1" : "", ",",
                           odd ? "X" : std::to_string(1000 + i % 6), ",", odd ? "tbd" : std::to_string(5000 + i), ",",
                           odd ? "tbd" : std::to_string(20 + i % 9), ",", odd ? "OL" : std::to_string(3 + i % 4), "\n");
    if (i == 50) text += ",,,,,\n";
  }
  const CsvTable table = parse_csv(text);
  ASSERT_EQ(table.empty_row_lines.size(), 1u);
  std::vector<WordsReadAsMissing> found;
  std::vector<std::string> notes;
  const std::optional<CsvTable> read = with_words_read_as_missing(table, TabularOptions{}, &notes, &found);
  ASSERT_TRUE(read);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].column, "temp");
  EXPECT_EQ(found[0].lines, (std::vector<int64_t>{11, 123}));
  EXPECT_EQ(read->cell(9, 4), "");
  EXPECT_EQ(read->cell(9, 0), "x");
  EXPECT_EQ(read->empty_row_lines, table.empty_row_lines);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_TRUE(notes[0].starts_with("words among numbers read as missing (filled in as missing cells are): 'temp' 'tbd' x2 (lines 11, 123);"))
      << notes[0];
  // The preview names the cell training refuses, as training does.
  EXPECT_EQ(describe_columns(table)[5].reason,
            "2 cells are not numbers (line 11: 'OL', which tells something of the value: write a number in its place; then line 123 "
            "'OL'): fix them, leave them empty or write NA for missing values, or, if it holds codes rather than amounts, call the column categorical");
  // One value in 20 at most: 11 words in 200 cells are refused, said.
  std::string many = "temp,flow\n";
  for (int i = 0; i < 200; ++i) many += detail::concat(i % 18 == 0 ? "tbd" : std::to_string(20 + i % 9), ",", 3 + i % 4, "\n");
  EXPECT_FALSE(with_words_read_as_missing(parse_csv(many), TabularOptions{}, nullptr, nullptr));
  EXPECT_NE(error_of([&] { TabularPreprocessor::fit(parse_csv(many), first_rows(200), TabularOptions{}); })
                .find("(training reads a few words among a column's numbers as missing, 1 value in 20 at most; this column has 12 of its 200 values so)"),
            std::string::npos);
  // The preview says what the fit refuses, with the cells after the first as the fit names them.
  const ColumnSummary refused = describe_columns(parse_csv(many))[0];
  EXPECT_EQ(refused.reason,
            "12 cells are not numbers (line 2: 'tbd'; then line 20 'tbd', line 38 'tbd', line 56 'tbd', ...; training reads a few words "
            "among a column's numbers as missing, 1 value in 20 at most; this column has 12 of its 200 values so): fix them, leave them "
            "empty or write NA for missing values, or, if it holds codes rather than amounts, call the column categorical");
  EXPECT_TRUE(refused.stops_training);
  EXPECT_FALSE(describe_columns(parse_csv(many))[1].stops_training);
  EXPECT_FALSE(describe_columns(table)[4].stops_training);  // temp: 'tbd' twice: read as missing
  EXPECT_TRUE(describe_columns(table)[5].stops_training);
}

TEST(Csv, UnnamedTotalsAndLinesOfTextAloneAreNoSamples) {
  std::string items = "item,price,qty\n";
  double price = 0;
  int qty = 0;
  for (int i = 0; i < 40; ++i) {
    const double p = 10 + (i * 37) % 41 + 0.25 * (i % 4);
    price += p, qty += 1 + i % 7;
    items += detail::concat("i", i, ",", p, ",", 1 + i % 7, "\n");
  }
  const std::string sums = detail::concat(",", price, ",", qty, "\n");
  const NotDataRows one = not_data_rows(parse_csv(items + sums), "left out of training");
  EXPECT_EQ(one.rows, (std::vector<size_t>{40}));
  EXPECT_EQ(one.notes, (std::vector<std::string>{"line 42 (no name, a sum in 'price') is a totals row (its numbers are the sums of "
                                                 "the rows above or below it): left out of training"}));
  // A label after a mark ("- Summe", "* Total", as reports indent them) names one too.
  for (const char* label : {"- Summe", "* Total", ">> Gesamt"})
    EXPECT_EQ(not_data_rows(parse_csv(items + detail::concat(label, ",", price, ",", qty, "\n")), "").rows, (std::vector<size_t>{40})) << label;
  const NotDataRows stacked = not_data_rows(
      parse_csv(items + sums + detail::concat("Average,", price / 40, ",", qty / 40.0, "\nSumme,", price, ",", qty, "\n")), "");
  EXPECT_EQ(stacked.rows, (std::vector<size_t>{40, 41, 42}));
  ASSERT_EQ(stacked.notes.size(), 2u) << stacked.notes[0];
  EXPECT_EQ(stacked.notes[1], "line 43 ('Average', a mean in 'price') is an averages row (its numbers are the means of the rows above it)");
  // A named last row whose numbers happen to be the sums of those above: a row of its own.
  std::string hosts = "host,errors,warnings\n";
  for (int i = 0; i < 10; ++i) hosts += detail::concat("h", i, ",", i < 3 ? 1 : 0, ",", i >= 7 ? 1 : 0, "\n");
  EXPECT_TRUE(not_data_rows(parse_csv(hosts + "k,3,3\n"), "").rows.empty());
  EXPECT_EQ(not_data_rows(parse_csv(hosts + ",3,3\n"), "").rows, (std::vector<size_t>{10}));
  // Small counts: (1, 0), (0, 1), then (1, 1) sums them but is not beyond them; a row of three.
  EXPECT_TRUE(not_data_rows(parse_csv("a,b,c\n1,0,x\n0,1,y\n1,0,x\n2,1,z\n"), "").rows.empty());
  EXPECT_TRUE(not_data_rows(parse_csv("a,b,c\n1,0,x\n0,1,y\n1,1,z\n"), "").rows.empty());
  // Lines of text alone at the end of a report; a sparse row of a survey stays.
  const std::string report = "Region,Month,Sales,Units\nNorth,1,855.5,51\nNorth,2,1023.3,44\nSouth,1,1129,48\nred,,,\n"
                             "South,2,1189.3,60\nred,3,900,50\nGrand total,,,\n\nSource: internal ERP export,,,\n";
  const NotDataRows footer = not_data_rows(parse_csv(report), "left out of training");
  EXPECT_EQ(footer.rows, (std::vector<size_t>{6, 7}));
  EXPECT_EQ(footer.notes, (std::vector<std::string>{
                              "lines 8 ('Grand total'), 10 ('Source: internal ERP export') hold a text alone and no number (a "
                              "title, note or footer line, or a row with nothing recorded), not a sample: left out of training"}));
  // Too many such lines to be titles or footers: a sparse table, kept.
  std::string sparse = "colour,size,weight\n";
  for (int i = 0; i < 30; ++i) sparse += i % 2 ? detail::concat("c", i, ",,\n") : detail::concat("c", i, ",", i, ",", 2 * i, "\n");
  EXPECT_TRUE(not_data_rows(parse_csv(sparse), "").rows.empty());
}

// A pressure export of "1.016" hPa whose first number that tells the decimal mark ("1.012,5") is on
// line 30,002. Read whole, the file is read with that mark wherever the cell is ("1.016" is 1016).
// Streamed, the first piece's numbers were read with a guessed mark; the piece with the cell stops
// the scoring, naming it and how to name the mark.
TEST(CsvStream, ACellTellingTheOtherMarkAfterAGuessStops) {
  std::string train = "druck;temp\n";
  for (int i = 0; i < 60; ++i) train += std::to_string(990 + i % 40) + "." + std::to_string(i % 10) + ";" + std::to_string(5 + i % 20) + ".5\n";
  const std::vector<int64_t> rows = first_rows(60);
  const TabularPreprocessor prep = TabularPreprocessor::fit(parse_csv(train), rows, TabularOptions{});
  std::string text = "druck;temp\n";
  for (int i = 0; i < 30000; ++i) text += "1.0" + std::to_string(10 + i % 20) + ";" + std::to_string(5 + i % 20) + "\n";
  text += "1.012,5;7\n1.020;8\n";
  const CsvTable whole = parse_csv(text);
  EXPECT_EQ(whole.numbers.decimal, ',');
  EXPECT_FALSE(whole.numbers_guessed);
  EXPECT_FLOAT_EQ(prep.transform(whole).data()[0], prep.transform(parse_csv("druck;temp\n1010;5\n")).data()[0]);  // "1.010" as 1010
  CsvStream stream;
  stream.push(text);
  stream.finish();
  const std::optional<CsvTable> first = stream.next(4096);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->numbers_guessed);
  EXPECT_NO_THROW(prep.transform(*first));
  std::string error;
  while (std::optional<CsvTable> piece = stream.next(4096))
    if (error = error_of([&] { prep.transform(*piece); }); error != "(no error)") break;
  EXPECT_EQ(error,
            "CSV line 30002, column 'druck': '1.012,5' tells ',' as the decimal mark, but no number before it told the "
            "file's mark (numbers such as '1.0" + std::to_string(10 + 28672 % 20) + "' read either way) and they were read with "
            "'.': name the decimal mark ',' (the decimal mark menu on the page, --decimal-mark , for ca3, "
            "TableOptions.decimalMark in the SDK) and score the file again");
}

}  // namespace
}  // namespace ca3
