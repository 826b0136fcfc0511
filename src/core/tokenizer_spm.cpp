// SentencePiece tokenizers on top of the sentencepiece library. The library
// segments each stretch of text between added tokens; a small id map turns
// its pieces into the model's ids (T5: the library's own ids plus extra ids;
// Marian: vocab.json).
#include "tokenizer_spm.h"

#include <unordered_map>

#include <sentencepiece_processor.h>

#include "error.h"
#include "tokenizer_specs.h"

namespace attnscope {
namespace {

namespace fs = std::filesystem;

const std::string kSpaceMark = "\xE2\x96\x81";  // U+2581 '▁', SentencePiece's whitespace

std::shared_ptr<sentencepiece::SentencePieceProcessor> load_processor(const fs::path& path) {
  if (!fs::exists(path)) throw Error(ErrorKind::NotFound, path.string() + ": missing");
  auto processor = std::make_shared<sentencepiece::SentencePieceProcessor>();
  const auto status = processor->LoadFromSerializedProto(read_text_file(path));
  if (!status.ok()) throw Error(path.string() + ": not a SentencePiece model (" + status.ToString() + ")");
  return processor;
}

// The raw text a piece stands for: '▁' is a space.
std::string piece_text(const std::string& piece) {
  std::string out;
  for (std::size_t pos = 0; pos < piece.size();) {
    if (piece.compare(pos, kSpaceMark.size(), kSpaceMark) == 0) {
      out += ' ';
      pos += kSpaceMark.size();
    } else {
      out += piece[pos++];
    }
  }
  return out;
}

// Everything that differs between T5 and Marian is data here.
struct SpmSpec {
  std::shared_ptr<sentencepiece::SentencePieceProcessor> processor;
  std::vector<std::string> pieces;  // [V] vocabulary string of each model id
  StringIdMap id_of_piece;          // piece -> model id
  std::vector<AddedToken> added;    // matched literally in the text first
  bool library_ids = false;         // T5, Llama: the library's ids are the model's; Marian: look pieces up
  std::vector<int> prefix_ids;      // added before the text (Llama: BOS)
  std::vector<int> suffix_ids;      // added after it (T5, Marian: </s>)
  int unk_id = -1, eos_id = -1, pad_id = -1, bos_id = -1;
};

class SpmTokenizer final : public Tokenizer {
 public:
  explicit SpmTokenizer(SpmSpec spec) : spec_(std::move(spec)) {
    unk_id = spec_.unk_id;
    bos_id = spec_.bos_id;
    eos_id = spec_.eos_id;
    pad_id = spec_.pad_id;
    special_.assign(spec_.pieces.size(), false);
    for (const AddedToken& token : spec_.added) special_[static_cast<std::size_t>(token.id)] = true;
    raw_.resize(spec_.pieces.size());
    for (std::size_t id = 0; id < spec_.pieces.size(); ++id) raw_[id] = raw_text(static_cast<int>(id));
  }

  std::vector<Token> encode(std::string_view text) const override {
    return encode_between_added_tokens(
        text, spec_.prefix_ids, spec_.added, spec_.suffix_ids,
        [this](int id, std::size_t start, std::size_t end, bool special) {
          return make_token(id, spec_.pieces[static_cast<std::size_t>(id)], start, end, special);
        },
        [this](std::string_view run, std::size_t base, std::vector<Token>& tokens) { encode_run(run, base, tokens); });
  }

  int vocab_size() const override { return static_cast<int>(spec_.pieces.size()); }
  std::string piece(int id) const override { return spec_.pieces[checked(id)]; }
  std::string decode_piece(int id) const override { return raw_[checked(id)]; }
  std::string display_piece(int id) const override {
    return special_[checked(id)] ? spec_.pieces[checked(id)] : display_bytes_as_text(raw_[checked(id)]);
  }

 private:
  // The text an id stands for: "" for control and unknown symbols, the byte of
  // a byte-fallback piece ("<0xE2>"), otherwise the piece with '▁' as a space.
  std::string raw_text(int id) {
    const auto& sp = *spec_.processor;
    const bool in_library = spec_.library_ids && id < sp.GetPieceSize();
    if (in_library && (sp.IsControl(id) || sp.IsUnknown(id))) special_[static_cast<std::size_t>(id)] = true;
    if (special_[static_cast<std::size_t>(id)]) return {};
    if (in_library && sp.IsByte(id))
      return std::string(1, static_cast<char>(std::stoi(spec_.pieces[static_cast<std::size_t>(id)].substr(3, 2), nullptr, 16)));
    return piece_text(spec_.pieces[static_cast<std::size_t>(id)]);
  }

  std::size_t checked(int id) const {
    if (id < 0 || id >= vocab_size())
      throw Error(ErrorKind::OutOfRange, "token id " + std::to_string(id) + " is outside 0.." + std::to_string(vocab_size() - 1));
    return static_cast<std::size_t>(id);
  }

  // `piece` is the library's string, which for an unknown stretch is its surface text.
  Token make_token(int id, const std::string& piece, std::size_t start, std::size_t end, bool special) const {
    const bool byte_piece = spec_.library_ids && id < spec_.processor->GetPieceSize() && spec_.processor->IsByte(id);
    std::string display = special ? piece : display_bytes_as_text(byte_piece ? raw_[static_cast<std::size_t>(id)] : piece_text(piece));
    return Token{id, piece, std::move(display), start, end, special};
  }

  // The library's segmentation of one stretch; its byte spans point into `run`.
  // An unknown stretch comes back as its surface string, which the id map may
  // still know (Marian: a target piece met in source text).
  void encode_run(std::string_view run, std::size_t base, std::vector<Token>& tokens) const {
    const auto encoded = spec_.processor->EncodeAsImmutableProto(run);
    for (const auto& sp : encoded.pieces()) {
      auto it = spec_.id_of_piece.find(sp.piece());
      const int id = spec_.library_ids ? static_cast<int>(sp.id()) : it != spec_.id_of_piece.end() ? it->second : unk_id;
      tokens.push_back(make_token(id, sp.piece(), base + sp.begin(), base + sp.end(), false));
    }
  }

  SpmSpec spec_;
  std::vector<bool> special_;     // [V]
  std::vector<std::string> raw_;  // [V] decode_piece
};

int require_id(const StringIdMap& ids, const std::string& piece, const std::string& source) {
  auto it = ids.find(piece);
  if (it == ids.end()) throw Error(ErrorKind::NotFound, source + ": special token " + piece + " is missing");
  return it->second;
}

int extra_id_count(const fs::path& folder) {
  const fs::path path = folder / "tokenizer_config.json";
  if (!fs::exists(path)) return 100;  // T5Tokenizer's default
  const nlohmann::json config = parse_json_text(read_text_file(path), path.string());
  auto it = config.is_object() ? config.find("extra_ids") : config.end();
  if (!config.is_object() || it == config.end() || it->is_null()) return 100;
  if (!it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() > 100000)
    throw Error(path.string() + ": extra_ids must be a small non-negative integer");
  return it->get<int>();
}

// Two pieces under one id: one of them could never be produced, and which one
// depends on the file's order. An error naming both.
void require_unique_ids(const PieceIds& vocab, const std::string& source) {
  std::unordered_map<int, const std::string*> piece_of_id;
  for (const auto& [piece, id] : vocab) {
    auto [it, fresh] = piece_of_id.try_emplace(id, &piece);
    if (!fresh)
      throw Error(source + ": id " + std::to_string(id) + " is given to both " + quote_for_error(*it->second) + " and " +
                  quote_for_error(piece));
  }
}

std::unique_ptr<Tokenizer> marian_side(const fs::path& spm_path, const PieceIds& vocab, const std::string& vocab_source) {
  SpmSpec spec;
  spec.processor = load_processor(spm_path);
  spec.pieces = pieces_by_id(vocab, {}, vocab_source);
  for (const auto& [piece, id] : vocab) spec.id_of_piece.try_emplace(piece, id);
  spec.eos_id = require_id(spec.id_of_piece, "</s>", vocab_source);
  spec.unk_id = require_id(spec.id_of_piece, "<unk>", vocab_source);
  spec.pad_id = require_id(spec.id_of_piece, "<pad>", vocab_source);
  for (int id : {spec.eos_id, spec.unk_id, spec.pad_id}) spec.added.push_back({spec.pieces[static_cast<std::size_t>(id)], id});
  spec.suffix_ids = {spec.eos_id};
  return std::make_unique<SpmTokenizer>(std::move(spec));
}

}  // namespace

std::unique_ptr<Tokenizer> load_t5_tokenizer(const fs::path& folder) {
  SpmSpec spec;
  spec.processor = load_processor(folder / "spiece.model");
  spec.library_ids = true;
  const int n = spec.processor->GetPieceSize(), extra = extra_id_count(folder);
  for (int id = 0; id < n; ++id) spec.pieces.push_back(spec.processor->IdToPiece(id));
  for (int id = n; id < n + extra; ++id) spec.pieces.push_back("<extra_id_" + std::to_string(n + extra - 1 - id) + ">");
  for (int id = 0; id < n + extra; ++id) spec.id_of_piece.try_emplace(spec.pieces[static_cast<std::size_t>(id)], id);
  const std::string source = (folder / "spiece.model").string();
  spec.eos_id = require_id(spec.id_of_piece, "</s>", source);
  spec.unk_id = spec.processor->unk_id();
  spec.pad_id = require_id(spec.id_of_piece, "<pad>", source);
  for (int id : {spec.eos_id, spec.unk_id, spec.pad_id}) spec.added.push_back({spec.pieces[static_cast<std::size_t>(id)], id});
  // T5Tokenizer: AddedToken(f"<extra_id_{i}>", lstrip=True, rstrip=True).
  for (int id = n; id < n + extra; ++id) spec.added.push_back({spec.pieces[static_cast<std::size_t>(id)], id, true, true});
  spec.suffix_ids = {spec.eos_id};
  return std::make_unique<SpmTokenizer>(std::move(spec));
}

std::unique_ptr<Tokenizer> load_llama_sentencepiece(const fs::path& tokenizer_model, bool add_bos) {
  SpmSpec spec;
  spec.processor = load_processor(tokenizer_model);
  spec.library_ids = true;
  for (int id = 0; id < spec.processor->GetPieceSize(); ++id) spec.pieces.push_back(spec.processor->IdToPiece(id));
  spec.unk_id = spec.processor->unk_id();
  spec.eos_id = spec.processor->eos_id();
  spec.pad_id = spec.processor->pad_id();
  spec.bos_id = spec.processor->bos_id();
  if (add_bos && spec.bos_id >= 0) spec.prefix_ids = {spec.bos_id};
  return std::make_unique<SpmTokenizer>(std::move(spec));
}

MarianTokenizers load_marian_tokenizers(const fs::path& folder) {
  const fs::path vocab_path = folder / "vocab.json";
  for (const char* name : {"source.spm", "target.spm", "vocab.json"})
    if (!fs::exists(folder / name))
      throw Error(ErrorKind::NotFound,
                  (folder / name).string() + ": missing (a Marian folder needs source.spm, target.spm and vocab.json)");
  const fs::path config_path = folder / "tokenizer_config.json";
  if (fs::exists(config_path)) {
    const nlohmann::json config = parse_json_text(read_text_file(config_path), config_path.string());
    auto separate = config.is_object() ? config.find("separate_vocabs") : config.end();
    if (config.is_object() && separate != config.end() && separate->is_boolean() && separate->get<bool>())
      throw Error(ErrorKind::Unsupported, config_path.string() + ": separate_vocabs = true (a target_vocab.json) is not supported");
  }
  const PieceIds vocab = parse_vocab_json(read_text_file(vocab_path), vocab_path.string());
  require_unique_ids(vocab, vocab_path.string());
  MarianTokenizers out;
  out.source = marian_side(folder / "source.spm", vocab, vocab_path.string());
  out.target = marian_side(folder / "target.spm", vocab, vocab_path.string());
  return out;
}

}  // namespace attnscope
