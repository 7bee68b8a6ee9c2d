#include "core/anomaly/data/text.h"

#include <algorithm>
#include <cstdio>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/engine/error.h"

namespace ca3 {

namespace {

// Windows-1252 bytes 0x80-0x9F (the rest of the upper half is Latin-1 = the same code point).
// The five bytes the code page leaves undefined map to the C1 controls of the same value, as
// browsers decode them.
constexpr char32_t kWindows1252[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

}  // namespace

std::string from_windows_1252(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (unsigned char b : bytes) {
    if (b < 0x80) out += char(b);
    else append_utf8(out, b < 0xA0 ? kWindows1252[b - 0x80] : char32_t(b));
  }
  return out;
}

namespace {

std::string from_utf16(std::string_view bytes, bool little_endian, const char* name) {
  CA3_CHECK_CODE(bytes.size() % 2 == 0, ErrorCode::unsupported_file, "the file looks like ", name,
                 " text but has an odd number of bytes (it is cut short?)");
  std::string out;
  out.reserve(bytes.size() / 2);
  auto unit = [&](size_t i) {
    const auto a = uint8_t(bytes[i]), b = uint8_t(bytes[i + 1]);
    return char16_t(little_endian ? a | (b << 8) : (a << 8) | b);
  };
  for (size_t i = 0; i < bytes.size(); i += 2) {
    const char16_t u = unit(i);
    if (u >= 0xD800 && u < 0xDC00) {
      CA3_CHECK_CODE(i + 2 < bytes.size() && unit(i + 2) >= 0xDC00 && unit(i + 2) < 0xE000, ErrorCode::unsupported_file,
                     name, " text is damaged: a broken surrogate pair at byte ", i);
      append_utf8(out, 0x10000 + ((char32_t(u) - 0xD800) << 10) + (char32_t(unit(i + 2)) - 0xDC00));
      i += 2;
    } else {
      CA3_CHECK_CODE(!(u >= 0xDC00 && u < 0xE000), ErrorCode::unsupported_file, name,
                     " text is damaged: a broken surrogate pair at byte ", i);
      append_utf8(out, u);
    }
  }
  return out;
}

// UTF-16 without a byte-order mark: nearly every other byte zero (ASCII-heavy text).
int utf16_without_mark(std::string_view bytes) {
  const size_t n = std::min<size_t>(bytes.size() & ~size_t(1), 4096);
  if (n < 4) return 0;
  size_t even = 0, odd = 0;
  for (size_t i = 0; i < n; i += 2) even += bytes[i] == 0, odd += bytes[i + 1] == 0;
  if (odd * 10 >= n / 2 * 9 && even * 10 < n / 2) return 1;   // little-endian: "a\0b\0"
  if (even * 10 >= n / 2 * 9 && odd * 10 < n / 2) return -1;  // big-endian: "\0a\0b"
  return 0;
}

struct Composition {
  char32_t base, mark, composed;
};
constexpr Composition kCompositions[] = {
#include "core/anomaly/data/unicode_compositions.inc"
};

// The code points of valid UTF-8 text.
std::u32string code_points(std::string_view text) {
  std::u32string out;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = p[i];
    const size_t length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t code = length == 1 ? c : length == 2 ? c & 0x1F : length == 3 ? c & 0x0F : c & 0x07;
    for (size_t k = 1; k < length && i + k < text.size(); ++k) code = (code << 6) | (p[i + k] & 0x3F);
    out += code;
    i += length;
  }
  return out;
}

bool is_space(char32_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xA0 || c == 0xFEFF; }

}  // namespace

size_t display_width(std::string_view text) {
  size_t columns = 0;
  for (char32_t c : code_points(text)) {
    if ((c >= 0x300 && c <= 0x36F) || c == 0x200B || c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F)) continue;
    const bool wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
                      (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
                      (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF) || (c >= 0x20000 && c <= 0x3FFFD);
    columns += wide ? 2 : 1;
  }
  return columns;
}

std::string normalize_text(std::string_view text) {
  std::u32string points = is_valid_utf8(text) ? code_points(text) : std::u32string(text.begin(), text.end());
  size_t a = 0, b = points.size();
  while (a < b && is_space(points[a])) ++a;
  while (b > a && is_space(points[b - 1])) --b;
  std::u32string composed;
  for (size_t i = a; i < b; ++i) {
    const char32_t c = points[i];
    if (!composed.empty()) {
      const auto it = std::lower_bound(std::begin(kCompositions), std::end(kCompositions), Composition{composed.back(), c, 0},
                                       [](const Composition& x, const Composition& y) {
                                         return x.base != y.base ? x.base < y.base : x.mark < y.mark;
                                       });
      if (it != std::end(kCompositions) && it->base == composed.back() && it->mark == c) {
        composed.back() = it->composed;
        continue;
      }
    }
    composed += c;
  }
  std::string out;
  for (char32_t c : composed) append_utf8(out, c);
  return out;
}

std::string list_some(const std::vector<std::string>& items, size_t most) {
  std::string text;
  for (size_t i = 0; i < items.size() && i < most; ++i) text += (i ? ", " : "") + items[i];
  return items.size() > most ? text + ", ..." : text;
}

std::string names_listed(const std::vector<std::string>& items, size_t most, const std::string& separator) {
  std::string text;
  for (size_t i = 0; i < items.size() && i < most; ++i) text += (i ? separator : "") + items[i];
  if (items.size() > most) text += (separator == ", " ? " and " : separator + "and ") + std::to_string(items.size() - most) + " more";
  return text;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string lines_listed(const std::vector<std::string>& lines, size_t most, size_t count) {
  count = std::max(count, lines.size());
  std::string text = count == 1 ? "line " : "lines ";
  for (size_t i = 0; i < lines.size() && i < most; ++i) text += (i ? ", " : "") + lines[i];
  const size_t shown = std::min(lines.size(), most);
  return count > shown ? text + " and " + std::to_string(count - shown) + " more" : text;
}

std::string fold_case(std::string_view text) {
  std::u32string points = code_points(normalize_text(text));
  std::string out;
  for (char32_t c : points) {
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) c += 0x20;
    else if (c == 0xB5) c = 0x3BC;                                          // MICRO SIGN as Greek mu ("µm", "μm")
    else if ((c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x410 && c <= 0x42F)) c += 0x20;  // Greek, Cyrillic
    else if (c >= 0x400 && c <= 0x40F) c += 0x50;
    else if (c == 0x3C2) c = 0x3C3;  // final sigma
    append_utf8(out, c);
  }
  return out;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += char(c);
  } else if (c < 0x800) {
    out += char(0xC0 | (c >> 6)), out += char(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += char(0xE0 | (c >> 12)), out += char(0x80 | ((c >> 6) & 0x3F)), out += char(0x80 | (c & 0x3F));
  } else {
    out += char(0xF0 | (c >> 18)), out += char(0x80 | ((c >> 12) & 0x3F));
    out += char(0x80 | ((c >> 6) & 0x3F)), out += char(0x80 | (c & 0x3F));
  }
}

namespace {

// The length of the valid UTF-8 sequence of more than one byte starting at text[i], else 0.
size_t utf8_sequence(std::string_view text, size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char c = p[i];
  size_t length;
  char32_t code;
  if (c >= 0xC2 && c <= 0xDF) length = 2, code = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF) length = 3, code = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4) length = 4, code = c & 0x07;
  else return 0;
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((p[i + k] & 0xC0) != 0x80) return 0;
    code = (code << 6) | (p[i + k] & 0x3F);
  }
  if ((length == 3 && (code < 0x800 || (code >= 0xD800 && code < 0xE000))) || (length == 4 && (code < 0x10000 || code > 0x10FFFF)))
    return 0;
  return length;
}

// Text of both encodings (a line pasted from another program, an export appended to): each valid
// UTF-8 sequence of more than one byte kept, each other byte above 0x7F read as Windows-1252.
// Valid multi-byte UTF-8 rarely arises by chance in Windows-1252 text ("Ã©" would have to be
// meant). `lines_of_minority`: the 1-based lines holding the encoding less used.
std::string mixed_to_utf8(std::string_view bytes, size_t& valid, size_t& invalid, std::vector<int64_t>* lines_of_minority,
                          bool utf8_on_a_tie = false) {
  valid = invalid = 0;
  for (size_t i = 0; i < bytes.size();) {
    if (static_cast<unsigned char>(bytes[i]) < 0x80) ++i;
    else if (const size_t length = utf8_sequence(bytes, i)) ++valid, i += length;
    else ++invalid, ++i;
  }
  const bool utf8_minority = utf8_on_a_tie ? valid < invalid : valid <= invalid;
  std::string out;
  out.reserve(bytes.size() + invalid);
  int64_t line = 1;
  for (size_t i = 0; i < bytes.size();) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    bool minority = false;
    if (c < 0x80) {
      if (c == '\n') ++line;
      out += char(c), ++i;
    } else if (const size_t length = utf8_sequence(bytes, i)) {
      out.append(bytes.substr(i, length)), i += length, minority = utf8_minority;
    } else {
      out += from_windows_1252(bytes.substr(i, 1)), ++i, minority = !utf8_minority;
    }
    if (minority && lines_of_minority && (lines_of_minority->empty() || lines_of_minority->back() != line))
      lines_of_minority->push_back(line);
  }
  return out;
}

// A file with bytes of both: read as mixed_to_utf8 does, the lines of the less used said in the
// encoding ("UTF-8, Windows-1252 on line 32"; "Windows-1252, UTF-8 on lines 4, 9").
// `utf8_on_a_tie`: as many of each (a file whose byte-order mark says UTF-8) is UTF-8 with lines in Windows-1252.
std::optional<DecodedText> mixed_encodings(std::string_view bytes, bool utf8_on_a_tie = false) {
  size_t valid = 0, invalid = 0;
  std::vector<int64_t> lines;
  std::string text = mixed_to_utf8(bytes, valid, invalid, &lines, utf8_on_a_tie);
  if (valid == 0 || invalid == 0) return std::nullopt;
  DecodedText t;
  t.original = bytes;
  t.utf8 = std::move(text);
  std::vector<std::string> numbers;
  for (int64_t line : lines) numbers.push_back(std::to_string(line));
  const std::string where = lines_listed(numbers, 3);
  const bool utf8 = utf8_on_a_tie ? valid >= invalid : valid > invalid;
  t.encoding = utf8 ? "UTF-8, Windows-1252 on " + where : "Windows-1252, UTF-8 on " + where;
  return t;
}

}  // namespace

std::string utf8_or_windows_1252(std::string_view bytes, bool* converted) {
  size_t valid = 0, invalid = 0;
  std::string out = mixed_to_utf8(bytes, valid, invalid, nullptr);
  if (converted) *converted = invalid > 0;
  return out;
}

bool is_valid_utf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) ++i;
    else if (const size_t length = utf8_sequence(text, i)) i += length;
    else return false;
  }
  return true;
}

DecodedText decode_text(std::string_view bytes) {
  DecodedText t;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    t.original = bytes.substr(3);
    t.encoding = "UTF-8 (byte-order mark)";
    if (is_valid_utf8(t.original)) return t;
    // Lines in Windows-1252 after the mark (a file put together from two exports): read as such
    // and named, as without the mark; the mark and no UTF-8 at all: Windows-1252, said.
    if (std::optional<DecodedText> mixed = mixed_encodings(t.original, true)) {
      const std::string_view utf8_first = "UTF-8,";
      if (mixed->encoding.substr(0, utf8_first.size()) == utf8_first)
        mixed->encoding = "UTF-8 (byte-order mark)," + mixed->encoding.substr(utf8_first.size());
      else
        mixed->encoding += " (after a UTF-8 byte-order mark)";
      return *mixed;
    }
    t.encoding = "Windows-1252 (after a UTF-8 byte-order mark)";
    t.utf8 = from_windows_1252(t.original);
    return t;
  }
  if (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF") {
    const bool little = bytes[0] == '\xFF';
    t.encoding = little ? "UTF-16LE" : "UTF-16BE";
    t.utf8 = from_utf16(bytes.substr(2), little, t.encoding.c_str());
    return t;
  }
  t.original = bytes;
  // UTF-16 without a byte-order mark first: its ASCII text ("t\0e\0") is valid UTF-8 too.
  if (const int utf16 = utf16_without_mark(bytes)) {
    t.encoding = utf16 > 0 ? "UTF-16LE" : "UTF-16BE";
    t.utf8 = from_utf16(bytes, utf16 > 0, t.encoding.c_str());
    return t;
  }
  if (is_valid_utf8(bytes)) {
    t.encoding = "UTF-8";
    return t;
  }
  if (std::optional<DecodedText> mixed = mixed_encodings(bytes)) return *mixed;
  t.encoding = "Windows-1252";
  t.utf8 = from_windows_1252(bytes);
  return t;
}

namespace {
// Characters that show nothing, or only a space: zero-width spaces and joiners, byte-order and
// direction marks and embeddings, the soft hyphen, and the no-break, narrow no-break and thin spaces.
constexpr std::string_view kInvisible[] = {
    "\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D", "\xE2\x81\xA0", "\xEF\xBB\xBF", "\xE2\x80\x8E", "\xE2\x80\x8F",
    "\xE2\x80\xAA", "\xE2\x80\xAB", "\xE2\x80\xAC", "\xE2\x80\xAD", "\xE2\x80\xAE", "\xE2\x81\xA6", "\xE2\x81\xA7",
    "\xE2\x81\xA8", "\xE2\x81\xA9", "\xD8\x9C",     "\xC2\xAD",     "\xC2\xA0",     "\xE2\x80\xAF", "\xE2\x80\x89"};

// The length of an invisible character at the start of `t` (0 if none).
size_t invisible_at(std::string_view t) {
  if (t.empty()) return 0;
  if (t[0] == '\x1A') return 1;
  if (static_cast<unsigned char>(t[0]) < 0x80) return 0;  // (each is a multi-byte character)
  for (std::string_view mark : kInvisible)
    if (t.substr(0, mark.size()) == mark) return mark.size();
  return 0;
}
size_t invisible_before(std::string_view t) {  // the same at the end
  if (t.empty()) return 0;
  if (t.back() == '\x1A') return 1;
  if (static_cast<unsigned char>(t.back()) < 0x80) return 0;
  for (std::string_view mark : kInvisible)
    if (t.size() >= mark.size() && t.substr(t.size() - mark.size()) == mark) return mark.size();
  return 0;
}
bool ascii_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }
}  // namespace

std::string_view trim_invisible(std::string_view text, bool spaces) {
  for (bool more = true; more;) {
    more = false;
    if (const size_t n = invisible_at(text)) text.remove_prefix(n), more = true;
    if (const size_t n = invisible_before(text)) text.remove_suffix(n), more = true;
    if (spaces && !text.empty() && ascii_space(text.front())) text.remove_prefix(1), more = true;
    if (spaces && !text.empty() && ascii_space(text.back())) text.remove_suffix(1), more = true;
  }
  return text;
}

std::string shortened(std::string_view text, size_t most) {
  const std::string shown = visible(text);
  if (shown.size() <= most) return shown;
  size_t end = most - 3;
  while (end > 0 && (static_cast<unsigned char>(shown[end]) & 0xC0) == 0x80) --end;
  return shown.substr(0, end) + "...";
}

std::string visible(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    char code[16];
    if (b < 0x20 || b == 0x7F) {
      std::snprintf(code, sizeof code, "\\x%02X", b);
      out += code, ++i;
    } else if (const size_t n = invisible_at(text.substr(i)); n >= 2 || (b == 0xC2 && i + 1 < text.size() &&
                                                                         static_cast<unsigned char>(text[i + 1]) <= 0x9F)) {
      // U+0080-U+009F (C1 controls: a byte Windows-1252 leaves undefined) and the invisible marks
      const size_t len = n == 3 ? 3 : 2;
      const char32_t p = len == 2 ? char32_t(((b & 0x1F) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3F))
                                  : char32_t(((b & 0x0F) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3F) << 6) |
                                             (static_cast<unsigned char>(text[i + 2]) & 0x3F));
      std::snprintf(code, sizeof code, "\\u%04X", unsigned(p));
      out += code, i += len;
    } else {
      out += text[i++];
    }
  }
  return out;
}

}  // namespace ca3
