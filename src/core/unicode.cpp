#include "unicode.h"

#include <cstdint>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

namespace attnscope::unicode {

namespace {

bool is_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

std::uint32_t category_mask(char32_t c) { return U_MASK(u_charType(static_cast<UChar32>(c))); }

const icu::Normalizer2* nfd_instance() {
  // ICU hands out a process-wide singleton that is safe to share across threads.
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    return U_SUCCESS(status) ? nfd : nullptr;
  }();
  return instance;
}

}  // namespace

std::size_t decode_one(std::string_view text, std::size_t pos, char32_t& value) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const std::size_t available = text.size() - pos;
  const unsigned char b0 = byte(0);
  value = kReplacement;
  if (b0 < 0x80) {
    value = b0;
    return 1;
  }
  // Second-byte bounds exclude overlong forms, surrogates and values past U+10FFFF.
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) low = 0xA0;
    if (b0 == 0xED) high = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) low = 0x90;
    if (b0 == 0xF4) high = 0x8F;
  } else {
    return 1;
  }
  if (available < length) return 1;
  if (byte(1) < low || byte(1) > high) return 1;
  for (std::size_t i = 2; i < length; ++i) {
    if (!is_continuation(byte(i))) return 1;
  }
  char32_t cp = b0 & (0x7F >> length);
  for (std::size_t i = 1; i < length; ++i) cp = (cp << 6) | (byte(i) & 0x3F);
  value = cp;
  return length;
}

std::vector<CodePoint> decode_utf8(std::string_view text, std::size_t base_offset) {
  std::vector<CodePoint> out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t value = 0;
    const std::size_t length = decode_one(text, pos, value);
    out.push_back({value, base_offset + pos, base_offset + pos + length});
    pos += length;
  }
  return out;
}

void append_utf8(std::string& out, char32_t c) {
  if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = kReplacement;
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

bool is_letter(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return (category_mask(c) & U_GC_L_MASK) != 0;
}

bool is_number(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  return (category_mask(c) & U_GC_N_MASK) != 0;
}

bool is_punctuation(char32_t c) { return (category_mask(c) & U_GC_P_MASK) != 0; }
bool is_other(char32_t c) { return (category_mask(c) & U_GC_C_MASK) != 0; }
bool is_nonspacing_mark(char32_t c) { return (category_mask(c) & U_GC_MN_MASK) != 0; }
bool is_space_separator(char32_t c) { return (category_mask(c) & U_GC_ZS_MASK) != 0; }

bool is_white_space(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
  return u_isUWhiteSpace(static_cast<UChar32>(c));
}

bool is_cjk_ideograph(char32_t c) {
  // The blocks BERT's original tokenization.py lists; other scripts (kana,
  // hangul) are written with spaces and are left to the normal word rules.
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
         (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

int combining_class(char32_t c) {
  if (c < 0x300) return 0;
  return u_getCombiningClass(static_cast<UChar32>(c));
}

void append_canonical_decomposition(char32_t c, std::u32string& out) {
  const icu::Normalizer2* nfd = nfd_instance();
  icu::UnicodeString decomposition;
  if (c < 0xC0 || nfd == nullptr || !nfd->getDecomposition(static_cast<UChar32>(c), decomposition)) {
    out.push_back(c);
    return;
  }
  for (int32_t i = 0; i < decomposition.length(); i = decomposition.moveIndex32(i, 1)) {
    out.push_back(static_cast<char32_t>(decomposition.char32At(i)));
  }
}

void append_lowercase(char32_t c, std::u32string& out) {
  if (c < 0x80) {
    out.push_back(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    return;
  }
  UChar source[2];
  int32_t source_length = 0;
  UBool error = false;
  U16_APPEND(source, source_length, 2, static_cast<UChar32>(c), error);
  if (error) {
    out.push_back(c);
    return;
  }
  // The longest full lowercase mapping is 3 code points; 8 UTF-16 units is ample.
  UChar lowered[8];
  UErrorCode status = U_ZERO_ERROR;
  const int32_t length = u_strToLower(lowered, 8, source, source_length, "", &status);
  if (U_FAILURE(status) || length > 8) {
    out.push_back(c);
    return;
  }
  for (int32_t i = 0; i < length;) {
    UChar32 lowered_cp = 0;
    U16_NEXT(lowered, i, length, lowered_cp);
    out.push_back(static_cast<char32_t>(lowered_cp));
  }
}

// Built anew rather than replaced in place, which GCC 12 misreads as an overlapping copy.
std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  std::size_t at = 0;
  for (std::size_t p; !from.empty() && (p = text.find(from, at)) != std::string_view::npos; at = p + from.size()) {
    out += text.substr(at, p - at);
    out += to;
  }
  out += text.substr(at);
  return out;
}

}  // namespace attnscope::unicode
