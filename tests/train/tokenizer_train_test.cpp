// Learned tokenizers load through the engine's own loaders and round-trip text.
#include <gtest/gtest.h>

#include "core/tokenizer.h"
#include "train/fit.h"
#include "train/tokenizer_train.h"
#include "train_test_support.h"

namespace attnscope::train {
namespace {

const char* const kUnseen[] = {
    "The animal didn't cross the street because it was too tired.",
    "Zebras   and\tquokkas: 42 of them!\nNew line, \"quotes\" and (brackets).",
    "Ünïcödé café — naïve façade, 東京, emoji 🙂.",
};

TEST(BpeTrainer, LoadsThroughTheEngineAndRoundTrips) {
  const auto docs = testing::views(testing::stories(300));
  const auto folder = attnscope::testing::temp_dir("bpe");
  const auto tokenizer = train_tokenizer(Arch::Gpt, docs, 800, folder, 128);
  EXPECT_EQ(tokenizer->vocab_size(), 800);
  EXPECT_EQ(tokenizer->piece(799), "<|endoftext|>");
  EXPECT_EQ(tokenizer->eos_id, 799);
  const auto reloaded = load_gpt2_bpe(folder);
  for (const char* text : kUnseen) {
    std::string decoded;
    for (const Token& t : reloaded->encode(text)) decoded += reloaded->decode_piece(t.id);
    EXPECT_EQ(decoded, text);
  }
  // Merges learned from English make common words single tokens.
  const auto tokens = reloaded->encode(" the girl was happy");
  EXPECT_LE(tokens.size(), 6u);
  EXPECT_EQ(reloaded->encode(" the").size(), 1u);
}

TEST(BpeTrainer, SameTextSameVocabulary) {
  const auto docs = testing::views(testing::stories(100));
  const BpeVocabulary a = train_byte_level_bpe(docs, 500), b = train_byte_level_bpe(docs, 500);
  EXPECT_EQ(a.pieces, b.pieces);
  EXPECT_EQ(a.merges, b.merges);
  EXPECT_EQ(a.merges.size(), 500u - 257u);
}

TEST(WordPieceTrainer, LoadsThroughTheEngineAndRoundTrips) {
  const auto docs = testing::views(testing::stories(300));
  const auto folder = attnscope::testing::temp_dir("wordpiece");
  const auto tokenizer = train_tokenizer(Arch::Bert, docs, 900, folder, 128);
  EXPECT_EQ(tokenizer->vocab_size(), 900);
  const char* const specials[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(tokenizer->piece(i), specials[i]);
  EXPECT_EQ(tokenizer->mask_id, 4);

  const auto reloaded = load_wordpiece(folder);
  const std::string text = "The Animal didn't cross the street, because it was TOO tired (really)!";
  const auto tokens = reloaded->encode(text);
  ASSERT_GE(tokens.size(), 3u);
  EXPECT_EQ(tokens.front().id, reloaded->cls_id);
  EXPECT_EQ(tokens.back().id, reloaded->sep_id);
  std::string joined;
  for (size_t i = 1; i + 1 < tokens.size(); ++i) {
    EXPECT_NE(tokens[i].id, reloaded->unk_id) << tokens[i].piece;
    const std::string& piece = tokens[i].piece;
    joined += piece.starts_with("##") ? piece.substr(2) : (joined.empty() ? "" : " ") + piece;
  }
  EXPECT_EQ(joined, "the animal didn ' t cross the street , because it was too tired ( really ) !");
  EXPECT_EQ(reloaded->encode("[CLS] [MASK]")[2].id, reloaded->mask_id);
  // Frequent words are whole tokens.
  EXPECT_EQ(reloaded->encode("the")[1].piece, "the");
}

TEST(WordPieceTrainer, SameTextSameVocabulary) {
  const auto docs = testing::views(testing::stories(100));
  EXPECT_EQ(train_wordpiece(docs, 600), train_wordpiece(docs, 600));
}

}  // namespace
}  // namespace attnscope::train
