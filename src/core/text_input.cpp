#include "text_input.h"

#include <iostream>
#include <iterator>

#include "error.h"
#include "regular_file.h"

namespace attnscope {

namespace {

std::string read_standard_input() {
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  if (std::cin.bad()) throw Error(ErrorKind::Io, "standard input: cannot read");
  return text;
}

}  // namespace

std::string read_input_text(const std::optional<std::string>& text, const std::optional<std::string>& text_file,
                            const std::string& fallback) {
  if (text && text_file) throw Error(ErrorKind::Usage, "give either --text or --text-file, not both");
  if (text) return *text == "-" ? read_standard_input() : *text;
  if (text_file) {
    if (*text_file == "-") return read_standard_input();
    try {
      return read_regular_file(*text_file);
    } catch (const Error& e) {
      rethrow_with_context("--text-file", e);
    }
  }
  return fallback;
}

}  // namespace attnscope
