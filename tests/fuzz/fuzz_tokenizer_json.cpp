// Fuzzes tokenizer.json (BPE, WordPiece and SentencePiece-style files): the
// input is the file, loaded with and without a BOS; whatever loads encodes
// sample texts. Only attnscope::Error may come out.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  for (bool add_bos : {false, true}) {
    try {
      const auto tokenizer = attnscope::make_tokenizer_from_json(json, add_bos);
      for (std::string_view text : attnscope::fuzz::sample_texts()) attnscope::fuzz::check_encoding(*tokenizer, text);
    } catch (const attnscope::Error&) {
    }
  }
  return 0;
}
