// Text files as users save them -> UTF-8. One rule, used for every CSV (command line, SDK, page):
//
//   a byte-order mark decides: UTF-8 (EF BB BF), UTF-16 little-endian (FF FE: Excel's "Unicode
//   text") or big-endian (FE FF); without one, text that is valid UTF-8 is UTF-8; text whose
//   every other byte is zero is UTF-16 without a mark; anything else is read as Windows-1252
//   (a superset of Latin-1: what spreadsheets on Western Windows machines write), which maps
//   every byte to a character. What was decided is returned, so that it can be shown.
//
//   DecodedText t = decode_text(bytes);      // t.text(): UTF-8, without a byte-order mark
//   t.encoding                                // "UTF-8", "UTF-16LE", "Windows-1252", ...
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ca3 {

struct DecodedText {
  std::string_view original;         // the input without its byte-order mark
  std::optional<std::string> utf8;   // set when the input had to be converted
  std::string encoding;              // "UTF-8", "UTF-8 (byte-order mark)", "UTF-16LE", "UTF-16BE", "Windows-1252",
                                     // "UTF-8, Windows-1252 on line 32" (a few lines in the other)
  std::string_view text() const { return utf8 ? std::string_view(*utf8) : original; }
};

// Throws ca3::Error (unsupported_file) for text that cannot be any of them: UTF-16 with a broken
// surrogate pair, or bytes with NULs that are not UTF-16 (a binary file).
DecodedText decode_text(std::string_view bytes);

bool is_valid_utf8(std::string_view text);
// Windows-1252 bytes as UTF-8 (every byte maps to a character).
std::string from_windows_1252(std::string_view bytes);
// UTF-8 text whose bytes that are not UTF-8 are read as Windows-1252 (`converted`: there were
// some); for a stream of UTF-8 in which such bytes appear after its start.
std::string utf8_or_windows_1252(std::string_view bytes, bool* converted = nullptr);

// How names and labels are compared. normalize_text: surrounding spaces removed and every letter
// followed by a combining mark composed into one character where Unicode has one ("e" + U+0301
// -> "é", as Unicode's NFC does for such text), so that names typed differently but shown alike
// match. fold_case: normalize_text in lower case (ASCII, Latin-1, Greek and Cyrillic letters; the
// micro sign as the Greek mu, as Unicode case folding has it).
std::string normalize_text(std::string_view text);
std::string fold_case(std::string_view text);
// The columns UTF-8 text takes in a terminal, as wcwidth counts them: one per character ("ü"),
// none for a combining mark, two for a wide East Asian character or an emoji.
size_t display_width(std::string_view text);
// Edits (insert, delete, replace one byte) from a to b: for "did you mean" and likely typos.
size_t edit_distance(const std::string& a, const std::string& b);
// The first `most` items joined with ", ", then ", ..." when there are more: names in a message.
std::string list_some(const std::vector<std::string>& items, size_t most);
// The first `most` items joined with `separator`, then how many more ("a.png, b.png and 3 more";
// "x (3 frames); y (2 frames); and 1 more"): every item counted, so that one read says them all.
std::string names_listed(const std::vector<std::string>& items, size_t most, const std::string& separator = ", ");
// "line 12", "lines 3, 5, 7", "lines 3, 5, 7 and 4 more": the first `most` of `lines` (line numbers,
// or lines with their words: "15 ('Summe')"), and how many more of `count` (0: lines.size()), as
// the notes and messages list lines.
std::string lines_listed(const std::vector<std::string>& lines, size_t most, size_t count = 0);
// `text` without characters that show nothing, or a space, at its ends: zero-width spaces and
// joiners (U+200B-U+200D, U+2060), byte-order marks (U+FEFF), direction marks and embeddings
// (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069, U+061C), the soft hyphen (U+00AD), no-break,
// narrow no-break and thin spaces (U+00A0, U+202F, U+2009) and DOS's end-of-file mark Ctrl-Z
// (0x1A), which exports and copies from web pages leave in cells; with `spaces`, ASCII white
// space too.
std::string_view trim_invisible(std::string_view text, bool spaces);
// `text` as a message shows a cell: control characters and those above written as \xNN / \uNNNN,
// so that a cell that looks like "5.20" but does not read says why.
std::string visible(std::string_view text);
// `text` as a message quotes a cell or a line: visible(), at most `most` bytes (a whole pasted
// paragraph would drown the message), cut at a character boundary and ended with "...".
std::string shortened(std::string_view text, size_t most = 40);
// Appends the UTF-8 encoding of `code_point` to `out`.
void append_utf8(std::string& out, char32_t code_point);

}  // namespace ca3
