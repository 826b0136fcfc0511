// Fuzzes merges.txt against a fixed byte-level vocabulary that holds every
// byte symbol and a few merged pieces; whatever loads encodes sample texts.
// Only attnscope::Error may come out.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "fuzz_support.h"

namespace {

std::string utf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

// GPT-2's bytes_to_unicode symbols, then merged pieces a seed can refer to.
std::string vocab_json() {
  nlohmann::json vocab = nlohmann::json::object();
  char32_t next = 256;
  for (int b = 0; b < 256; ++b) {
    const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
    vocab[utf8(printable ? static_cast<char32_t>(b) : next++)] = b;
  }
  int id = 256;
  for (const char* piece : {"\xC4\xA0" "t", "he", "\xC4\xA0" "the", "in", "er", "\xC4\xA0" "a", "is", "<|endoftext|>"}) vocab[piece] = id++;
  return vocab.dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string vocab = vocab_json();
  const std::string_view merges_txt(reinterpret_cast<const char*>(data), size);
  try {
    const auto tokenizer = attnscope::make_gpt2_bpe(vocab, merges_txt);
    for (std::string_view text : attnscope::fuzz::sample_texts()) attnscope::fuzz::check_encoding(*tokenizer, text);
  } catch (const attnscope::Error&) {
  }
  return 0;
}
