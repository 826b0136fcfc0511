// RobertaTokenizer: GPT-2's byte-level BPE with fairseq's special tokens.
// The text goes between <s> and </s>; special tokens typed in the text are
// matched first, and <mask> (AddedToken lstrip=True) swallows the whitespace
// on its left, so "on the <mask>." gives "Ġthe", "<mask>", ".".
#include "error.h"
#include "tokenizer_specs.h"

namespace attnscope {
namespace {

// tokenizer_config.json's mask_token may be an AddedToken object with its own
// lstrip; RobertaTokenizer's default is lstrip=True.
bool mask_lstrip(const std::filesystem::path& folder) {
  const auto path = folder / "tokenizer_config.json";
  if (!std::filesystem::exists(path)) return true;
  const nlohmann::json config = parse_json_text(read_text_file(path), path.string());
  if (!config.is_object()) return true;
  auto mask = config.find("mask_token");
  if (mask == config.end() || !mask->is_object()) return true;
  auto lstrip = mask->find("lstrip");
  return lstrip == mask->end() || !lstrip->is_boolean() || lstrip->get<bool>();
}

int require_piece(const PieceIds& vocab, const std::string& piece, const std::string& source) {
  for (const auto& [p, id] : vocab)
    if (p == piece) return id;
  throw Error(ErrorKind::NotFound, source + ": RoBERTa special token " + piece + " is missing");
}

}  // namespace

std::unique_ptr<Tokenizer> load_roberta_bpe(const std::filesystem::path& folder) {
  const auto vocab_path = folder / "vocab.json", merges_path = folder / "merges.txt";
  for (const auto& path : {vocab_path, merges_path})
    if (!std::filesystem::exists(path))
      throw Error(ErrorKind::NotFound, path.string() + ": missing (RoBERTa needs vocab.json and merges.txt)");
  ByteLevelBpeSpec spec;
  spec.vocab_source = vocab_path.string();
  spec.merges_source = merges_path.string();
  spec.vocab = parse_vocab_json(read_text_file(vocab_path), spec.vocab_source);
  spec.merges = parse_merges_txt(read_text_file(merges_path), spec.merges_source);
  const int bos = require_piece(spec.vocab, "<s>", spec.vocab_source);
  const int eos = require_piece(spec.vocab, "</s>", spec.vocab_source);
  for (const char* name : {"<s>", "</s>", "<unk>", "<pad>", "<mask>"}) {
    for (const auto& [piece, id] : spec.vocab)
      if (piece == name) spec.added_tokens.push_back({piece, id, piece == "<mask>" && mask_lstrip(folder), false});
  }
  spec.prefix_ids = {bos};
  spec.suffix_ids = {eos};
  return build_byte_level_bpe(std::move(spec));
}

}  // namespace attnscope
