// SentencePiece models trained on the generated corpus, read back through the
// engine's own MarianTokenizer code.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/tokenizer.h"
#include "core/tokenizer_spm.h"
#include "train/marian_tokenizer_train.h"
#include "train/parallel_corpus.h"

namespace attnscope::train {
namespace {

std::string decoded(const Tokenizer& t, const std::string& text, int unk) {
  std::string out;
  for (const auto& tok : t.encode(text)) {
    EXPECT_NE(tok.id, unk) << "unknown piece in \"" << text << "\": " << tok.piece;
    if (!tok.special) out += t.decode_piece(tok.id);
  }
  if (!out.empty() && out[0] == ' ') out.erase(0, 1);
  return out;
}

TEST(MarianTokenizerTrain, EngineLoadsAndRoundTrips) {
  const ParallelLexicon lex = load_parallel_lexicon(default_lexicon_dir());
  auto pairs = generate_pairs(lex, Split::Train, 20000, 9);
  pairs.push_back({"The black cat sat on the mat.", "Le chat noir s'est assis sur le tapis.", {}, {}, {}});
  pairs.push_back({"I am a student.", "Je suis étudiant.", {}, {}, {}});
  const auto dir = std::filesystem::temp_directory_path() / "attnscope_marian_tok_test";
  std::filesystem::remove_all(dir);
  train_marian_tokenizers(pairs, 1500, 2000, dir);

  std::ifstream in(dir / "vocab.json");
  const auto vocab = nlohmann::json::parse(in);
  EXPECT_EQ(vocab.at("</s>"), 0);
  EXPECT_EQ(vocab.at("<unk>"), 1);
  EXPECT_EQ(vocab.at("<pad>"), static_cast<int>(vocab.size()) - 1);
  EXPECT_FALSE(vocab.contains("<s>"));

  const MarianTokenizers tok = load_marian_tokenizers(dir);
  EXPECT_EQ(tok.source->vocab_size(), static_cast<int>(vocab.size()));
  for (const std::string& s : std::vector<std::string>{"The black cat sat on the mat.", "I am a student.", pairs[0].source, pairs[1].source})
    EXPECT_EQ(decoded(*tok.source, s, 1), s);
  for (const std::string& s : std::vector<std::string>{"Le chat noir s'est assis sur le tapis.", "Je suis étudiant.", "Elle est allée à l'école.",
                              pairs[0].target, pairs[1].target, pairs[2].target})
    EXPECT_EQ(decoded(*tok.target, s, 1), s);
  const auto src = tok.source->encode("I am a student.");
  ASSERT_FALSE(src.empty());
  EXPECT_EQ(src.back().id, 0);  // </s> closes the sequence
  const PieceStats st = measure_pieces(dir / "target.spm", {"Le chat noir s'est assis sur le tapis."});
  EXPECT_EQ(st.words, 9);  // "Le" and "le" differ; "s'" and "est" are two
  EXPECT_LE(st.max_pieces, 3);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace attnscope::train
