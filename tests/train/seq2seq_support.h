// Helpers for the encoder-decoder trainer tests: a folder that the engine
// opens as a Marian model (the exported weights beside the marian fixture's
// tokenizer files, whose vocabulary of 662 the model must then share), and
// token lists as the engine takes them.
#pragma once
#include <filesystem>
#include <vector>

#include "core/tokenizer.h"
#include "test_support.h"
#include "train/seq2seq_export.h"

namespace attnscope::train::testing {

inline constexpr int kFixtureVocab = 662;  // marian fixture: <pad> = 661, </s> = 0
inline constexpr int kFixturePad = 661;

inline void export_with_fixture_tokenizer(const std::filesystem::path& folder, const Seq2SeqShape& shape, const Seq2SeqLayout& layout,
                                          const std::vector<float>& params) {
  export_marian_model(folder, shape, layout, params);
  for (const char* file : {"source.spm", "target.spm", "vocab.json", "tokenizer_config.json", "special_tokens_map.json"})
    std::filesystem::copy_file(attnscope::testing::fixture("marian") / file, folder / file,
                               std::filesystem::copy_options::overwrite_existing);
}

inline std::vector<Token> tokens(const std::vector<int>& ids) {
  std::vector<Token> out;
  for (int id : ids) out.push_back(Token{id, "", "", 0, 0, false});
  return out;
}

}  // namespace attnscope::train::testing
