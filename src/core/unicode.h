// UTF-8 decoding that never fails, plus the Unicode character classes the
// tokenizers' pre-tokenization rules are written in (backed by ICU).
//
// Tokenizers must accept any byte string and still report, for every token,
// which input bytes it covers. So decoding keeps each code point's byte range,
// and an invalid byte becomes one U+FFFD that spans exactly that byte.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace attnscope::unicode {

inline constexpr char32_t kReplacement = 0xFFFD;

// One decoded code point and the input bytes [start, end) it came from.
struct CodePoint {
  char32_t value = 0;
  std::size_t start = 0;
  std::size_t end = 0;
};

// Decodes the code point at text[pos] (pos < text.size()) and returns its byte
// length: 1..4 for a well-formed sequence, 1 with U+FFFD for a byte that does
// not start one (stray continuation byte, overlong form, surrogate, > U+10FFFF,
// truncated sequence).
std::size_t decode_one(std::string_view text, std::size_t pos, char32_t& value);

// Every code point of `text`, with offsets relative to `base_offset`.
std::vector<CodePoint> decode_utf8(std::string_view text, std::size_t base_offset = 0);

void append_utf8(std::string& out, char32_t value);

// General categories and properties, as in Unicode (through ICU).
bool is_letter(char32_t c);            // L*
bool is_number(char32_t c);            // N*
bool is_punctuation(char32_t c);       // P*
bool is_other(char32_t c);             // C* (control, format, unassigned, private use, surrogate)
bool is_nonspacing_mark(char32_t c);   // Mn
bool is_space_separator(char32_t c);   // Zs
bool is_white_space(char32_t c);       // the White_Space property (regex \s)
// The CJK ideograph blocks BERT's BasicTokenizer treats as one-character words.
bool is_cjk_ideograph(char32_t c);

// Canonical combining class (0 for starters).
int combining_class(char32_t c);
// Appends the full canonical decomposition (NFD mapping) of c, or c itself.
// Callers still need canonical reordering across characters to get NFD.
void append_canonical_decomposition(char32_t c, std::u32string& out);
// Appends the full lowercase mapping of c, which may be several code points
// (U+0130 -> "i\u0307"), as Python's str.lower and Rust's char::to_lowercase do.
void append_lowercase(char32_t c, std::u32string& out);

// Every `from` in `text` replaced by `to` ("→" by "->", U+2010 by "-").
std::string replace_all(std::string_view text, std::string_view from, std::string_view to);

}  // namespace attnscope::unicode
