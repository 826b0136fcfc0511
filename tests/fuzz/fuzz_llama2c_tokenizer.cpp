// Fuzzes llama2.c tokenizer.bin files: the first two bytes pick the vocabulary
// size the checkpoint would ask for (0 = read until the data ends), the rest
// is the file. Whatever loads encodes sample texts. Only attnscope::Error may
// come out.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "core/tokenizer_sentencepiece.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const int requested = (data[0] | (data[1] << 8)) % 1025;  // up to 1024 tokens keeps each run fast
  const int vocab_size = requested == 0 ? -1 : requested;
  const std::string_view file(reinterpret_cast<const char*>(data) + 2, size - 2);
  try {
    const auto tokenizer = attnscope::make_llama2c_tokenizer_named(file, vocab_size, size % 2 == 0, "tokenizer.bin");
    for (std::string_view text : attnscope::fuzz::sample_texts()) attnscope::fuzz::check_encoding(*tokenizer, text);
  } catch (const attnscope::Error&) {
  }
  return 0;
}
