// Fuzzes vocab.txt: the input is the file, read as a WordPiece vocabulary
// (lowercasing and accent stripping picked by its length); whatever loads
// encodes sample texts. Only attnscope::Error may come out.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view vocab_txt(reinterpret_cast<const char*>(data), size);
  try {
    const auto tokenizer = attnscope::make_wordpiece(vocab_txt, size % 2 == 0, size % 3 == 0);
    for (std::string_view text : attnscope::fuzz::sample_texts()) attnscope::fuzz::check_encoding(*tokenizer, text);
  } catch (const attnscope::Error&) {
  }
  return 0;
}
