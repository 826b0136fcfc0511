// How token text is shown to a person. Tokenizers hand over the raw bytes a
// token stands for; this file alone decides how they look, so the views never
// see Ġ-style byte symbols and invisible characters never vanish.
//
//   " cat"        -> " cat"      (spaces stay spaces; the leading space is information)
//   "\n"          -> "\\n"       (tab, newline and CR as escapes)
//   "\x01", "\x7f" -> "<0x01>"   (other ASCII control bytes)
//   U+0085        -> "<U+0085>"  (C1 control characters)
//   "\xE2"        -> "<0xE2>"    (a byte that is not valid UTF-8 on its own: a
//                                 byte-level BPE token may end inside a character)
#include <cstdio>

#include "tokenizer.h"
#include "unicode.h"

namespace attnscope {

namespace {

void append_hex_byte(std::string& out, unsigned char byte) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "<0x%02X>", byte);
  out += buffer;
}

}  // namespace

std::string display_bytes_as_text(std::string_view raw_bytes) {
  std::string out;
  out.reserve(raw_bytes.size());
  std::size_t pos = 0;
  while (pos < raw_bytes.size()) {
    char32_t c = 0;
    const std::size_t length = unicode::decode_one(raw_bytes, pos, c);
    if (c == unicode::kReplacement && length == 1) {
      append_hex_byte(out, static_cast<unsigned char>(raw_bytes[pos]));
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      append_hex_byte(out, static_cast<unsigned char>(c));
    } else if (c >= 0x80 && c <= 0x9F) {
      char buffer[12];
      std::snprintf(buffer, sizeof buffer, "<U+%04X>", static_cast<unsigned>(c));
      out += buffer;
    } else {
      out.append(raw_bytes.substr(pos, length));
    }
    pos += length;
  }
  return out;
}

}  // namespace attnscope
