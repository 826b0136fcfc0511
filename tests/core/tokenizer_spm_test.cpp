// SentencePiece model files through the sentencepiece library, beyond the
// encoder-decoder fixtures (whose tokenizer goldens are in
// seq2seq_fixtures_test.cpp): the real Llama-2 tokenizer.model agrees with
// the llama2.c tokenizer.bin built from it.
#include "core/tokenizer_spm.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/generate.h"
#include "test_support.h"

namespace attnscope {
namespace {

using testing::ids_of;

TEST(SentencePieceLibrary, Llama2TokenizerModelMatchesTokenizerBin) {
  const auto dir = testing::shared_dir() / "tokenizers" / "llama2";
  auto library = load_llama_sentencepiece(dir / "tokenizer.model", true);
  auto llama2c = load_llama2c_tokenizer(dir / "tokenizer.bin", true);
  EXPECT_EQ(library->vocab_size(), 32000);
  EXPECT_EQ(library->bos_id, 1);
  EXPECT_EQ(library->eos_id, 2);
  EXPECT_EQ(ids_of(library->encode("Hello world")), (std::vector<int>{1, 15043, 3186}));
  for (std::string text : {"Hello world", "Grüße aus München, ä ö ü!", "寿司 🍣 and 😀 emoji", "tabs\tand\nnewlines\n", "x",
                           "The animal didn't cross the street because it was too tired"}) {
    const std::vector<Token> tokens = library->encode(text);
    EXPECT_EQ(ids_of(tokens), ids_of(llama2c->encode(text))) << text;
    EXPECT_EQ(decode_generated(*library, ids_of(tokens)), text) << text;
    std::string covered;
    for (const Token& t : tokens) covered += text.substr(t.start, t.end - t.start);
    EXPECT_EQ(covered, text) << text;
  }
  EXPECT_EQ(library->display_piece(3 + 0xE2), "<0xE2>");  // a byte-fallback piece shows its byte
}

TEST(SentencePieceLibrary, NotAModelFileIsAnError) {
  const auto dir = testing::temp_dir("spm-bad");
  testing::write_file(dir / "tokenizer.model", "definitely not a protobuf");
  EXPECT_THROW(load_llama_sentencepiece(dir / "tokenizer.model", true), Error);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace attnscope
