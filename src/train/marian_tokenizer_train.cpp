#include "train/marian_tokenizer_train.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <set>
#include <sstream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/error.h"

namespace attnscope::train {
namespace fs = std::filesystem;
namespace {

class VectorIterator : public sentencepiece::SentenceIterator {
 public:
  explicit VectorIterator(const std::vector<std::string>& s) : s_(s) {}
  bool done() const override { return i_ >= s_.size(); }
  void Next() override { ++i_; }
  const std::string& value() const override { return s_[i_]; }
  sentencepiece::util::Status status() const override { return {}; }

 private:
  const std::vector<std::string>& s_;
  std::size_t i_ = 0;
};

// The model folder's files are replaced together, as export_marian_model does.
void write_text(const fs::path& path, const std::string& text) { write_file_atomically(path, text, Overwrite::Allow); }

std::vector<std::string> pieces_of(const std::string& model) {
  sentencepiece::SentencePieceProcessor sp;
  if (!sp.LoadFromSerializedProto(model).ok()) throw Error("sentencepiece: cannot load the model just trained");
  std::vector<std::string> out;
  for (int id = 0; id < sp.GetPieceSize(); ++id) out.push_back(sp.IdToPiece(id));
  return out;
}

}  // namespace

std::string train_unigram_model(const std::vector<std::string>& sentences, int vocab_size) {
  // Marian's layout: </s> = 0, <unk> = 1, no <s>, no <pad> (the model's
  // <pad> lives only in vocab.json). Every character of the corpus is kept
  // (character_coverage 1.0) so é, è, ç, œ are pieces and never unknown;
  // hard_vocab_limit off lets a small corpus yield fewer pieces than asked.
  const std::unordered_map<std::string, std::string> args = {
      {"model_type", "unigram"},       {"vocab_size", std::to_string(vocab_size)},
      {"character_coverage", "1.0"},   {"eos_id", "0"},
      {"unk_id", "1"},                 {"bos_id", "-1"},
      {"pad_id", "-1"},                {"hard_vocab_limit", "false"},
      {"num_threads", "2"},            {"normalization_rule_name", "nmt_nfkc"},
      {"input_sentence_size", "0"},    {"max_sentencepiece_length", "16"},
  };
  VectorIterator it(sentences);
  std::string model;
  const auto status = sentencepiece::SentencePieceTrainer::Train(args, &it, &model);
  if (!status.ok()) throw Error("sentencepiece training failed: " + std::string(status.message()));
  return model;
}

void train_marian_tokenizers(const std::vector<ParallelPair>& pairs, int source_vocab, int target_vocab,
                             const fs::path& folder) {
  std::vector<std::string> source, target;
  for (const auto& p : pairs) {
    source.push_back(p.source);
    target.push_back(p.target);
  }
  const std::string source_model = train_unigram_model(source, source_vocab);
  const std::string target_model = train_unigram_model(target, target_vocab);
  fs::create_directories(folder);
  write_text(folder / "source.spm", source_model);
  write_text(folder / "target.spm", target_model);
  nlohmann::ordered_json vocab;
  vocab["</s>"] = 0;
  vocab["<unk>"] = 1;
  int next = 2;
  for (const auto* model : {&source_model, &target_model})
    for (const auto& piece : pieces_of(*model))
      if (!vocab.contains(piece)) vocab[piece] = next++;
  vocab["<pad>"] = next;
  write_text(folder / "vocab.json", vocab.dump(2));
  const nlohmann::ordered_json config = {{"eos_token", "</s>"},        {"model_max_length", 512},
                                         {"pad_token", "<pad>"},       {"separate_vocabs", false},
                                         {"source_lang", "en"},        {"target_lang", "fr"},
                                         {"tokenizer_class", "MarianTokenizer"}, {"unk_token", "<unk>"}};
  write_text(folder / "tokenizer_config.json", config.dump(2));
  const nlohmann::ordered_json special = {{"eos_token", "</s>"}, {"pad_token", "<pad>"}, {"unk_token", "<unk>"}};
  write_text(folder / "special_tokens_map.json", special.dump(2));
}

PieceStats measure_pieces(const fs::path& spm, const std::vector<std::string>& sentences) {
  sentencepiece::SentencePieceProcessor sp;
  if (!sp.Load(spm.string()).ok()) throw Error(ErrorKind::Io, spm.string() + ": cannot load");
  std::set<std::string> words;
  for (const auto& s : sentences) {
    std::istringstream in(s);
    std::string w;
    while (in >> w) {
      while (!w.empty() && (w.back() == '.' || w.back() == ',')) w.pop_back();
      // an elision is a word of its own: "s'est" is "s'" and "est"
      for (std::size_t q; (q = w.find('\'')) != std::string::npos && q + 1 < w.size(); w.erase(0, q + 1))
        words.insert(w.substr(0, q + 1));
      if (!w.empty()) words.insert(w);
    }
  }
  PieceStats st;
  long long total = 0;
  for (const auto& w : words) {
    std::vector<std::string> pieces;
    sp.Encode(w, &pieces);
    const int n = static_cast<int>(pieces.size());
    ++st.words;
    total += n;
    st.max_pieces = std::max(st.max_pieces, n);
    if (n > 3) ++st.over_three;
  }
  st.mean_pieces = st.words ? static_cast<double>(total) / st.words : 0;
  return st;
}

}  // namespace attnscope::train
