// What the tokenizer fuzz targets check on whatever loads: every token's span
// lies inside the text, never goes backwards, and its id is in the
// vocabulary; every piece can be read back. A broken invariant aborts.
#pragma once
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/tokenizer.h"

namespace attnscope::fuzz {

inline void require(bool condition) {
  if (!condition) std::abort();
}

inline void check_encoding(const Tokenizer& tokenizer, std::string_view text) {
  const std::vector<Token> tokens = tokenizer.encode(text);
  std::size_t previous_start = 0, previous_end = 0;
  for (const Token& t : tokens) {
    require(t.id >= 0 && t.id < tokenizer.vocab_size());
    require(t.start <= t.end && t.end <= text.size());
    if (t.start == t.end && t.special) continue;
    require(previous_start <= t.start && previous_end <= t.end);
    previous_start = t.start;
    previous_end = t.end;
  }
  for (int id = 0; id < tokenizer.vocab_size() && id < 64; ++id) {
    tokenizer.piece(id);
    tokenizer.decode_piece(id);
    tokenizer.display_piece(id);
  }
}

// Sample texts: plain words, specials typed as text, accents, CJK, controls.
inline const std::vector<std::string_view>& sample_texts() {
  static const std::vector<std::string_view> texts = {
      "Hello, world! The cat sat.", "[CLS] [MASK] <|endoftext|> <s> </s>", "caf\xC3\xA9 na\xC3\xAFve \xE5\xAF\xBF",
      std::string_view("\0\t\r\n  x", 7), ""};
  return texts;
}

}  // namespace attnscope::fuzz
