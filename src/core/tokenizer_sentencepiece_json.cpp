// Reads a Hugging Face tokenizer.json of the Llama / Mistral kind (model.type
// "BPE" with byte_fallback, whitespace written as "▁") into a SentencePieceSpec.
// Only the pieces that kind of file uses are accepted; anything else is an
// Error naming the field, so a different tokenizer is never silently misread.
#include <string>

#include "error.h"
#include "tokenizer_sentencepiece.h"

namespace attnscope {

namespace {

using nlohmann::json;
using Spec = SentencePieceSpec;

const char* kSource = "tokenizer.json";
const char* kSpaceMark = "\xE2\x96\x81";  // "▁" U+2581

[[noreturn]] void fail(const std::string& message) { throw Error(std::string(kSource) + ": " + message); }

std::string string_field(const json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) fail(where + "." + key + " must be a string");
  return it->get<std::string>();
}

bool bool_field(const json& object, const char* key, bool fallback, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) fail(where + "." + key + " must be true or false");
  return it->get<bool>();
}

// Prepend "▁" and Replace " " -> "▁", alone or in a Sequence.
void read_normalizer(const json& normalizer, Spec& spec, const std::string& where) {
  if (normalizer.is_null()) return;
  if (!normalizer.is_object()) fail(where + " must be an object or null");
  std::string type = string_field(normalizer, "type", where);
  if (type == "Sequence") {
    auto list = normalizer.find("normalizers");
    if (list == normalizer.end() || !list->is_array()) fail(where + ".normalizers must be a list");
    for (size_t i = 0; i < list->size(); i++) read_normalizer((*list)[i], spec, where + ".normalizers[" + std::to_string(i) + "]");
  } else if (type == "Prepend") {
    std::string prepend = string_field(normalizer, "prepend", where);
    if (prepend != kSpaceMark) fail(where + ": Prepend \"" + prepend + "\" is not supported, expected \"▁\"");
    spec.prefix = Spec::Prefix::Always;
  } else if (type == "Replace") {
    auto pattern = normalizer.find("pattern");
    if (pattern == normalizer.end() || !pattern->is_object() || !pattern->contains("String"))
      fail(where + ".pattern must be {\"String\": \" \"}");
    std::string from = string_field(*pattern, "String", where + ".pattern");
    std::string to = string_field(normalizer, "content", where);
    if (from != " " || to != kSpaceMark)
      fail(where + ": Replace \"" + from + "\" -> \"" + to + "\" is not supported, expected \" \" -> \"▁\"");
    spec.replace_spaces = true;
  } else {
    fail(where + ": normalizer type \"" + type + "\" is not supported for SentencePiece BPE");
  }
}

void read_pre_tokenizer(const json& pre, Spec& spec, const std::string& where) {
  if (pre.is_null()) return;
  if (!pre.is_object()) fail(where + " must be an object or null");
  std::string type = string_field(pre, "type", where);
  if (type == "Sequence") {
    auto list = pre.find("pretokenizers");
    if (list == pre.end() || !list->is_array()) fail(where + ".pretokenizers must be a list");
    for (size_t i = 0; i < list->size(); i++) read_pre_tokenizer((*list)[i], spec, where + ".pretokenizers[" + std::to_string(i) + "]");
    return;
  }
  if (type != "Metaspace") fail(where + ": pre_tokenizer type \"" + type + "\" is not supported for SentencePiece BPE");
  if (pre.contains("replacement") && string_field(pre, "replacement", where) != kSpaceMark)
    fail(where + ".replacement must be \"▁\"");
  spec.replace_spaces = true;
  spec.split_at_space_mark = bool_field(pre, "split", true, where);
  // Older files say add_prefix_space; newer ones prepend_scheme. With no
  // special-token splitting, "first" and "always" prepend alike.
  bool prepend = bool_field(pre, "add_prefix_space", true, where);
  if (auto scheme = pre.find("prepend_scheme"); scheme != pre.end() && !scheme->is_null()) {
    if (!scheme->is_string()) fail(where + ".prepend_scheme must be a string");
    std::string s = scheme->get<std::string>();
    if (s != "always" && s != "first" && s != "never") fail(where + ".prepend_scheme \"" + s + "\" is unknown");
    prepend = s != "never";
  }
  if (prepend && spec.prefix == Spec::Prefix::None) spec.prefix = Spec::Prefix::IfMissing;
}

int lookup(const std::unordered_map<std::string, int>& ids, const std::string& piece) {
  auto it = ids.find(piece);
  return it == ids.end() ? -1 : it->second;
}

// TemplateProcessing's "single" template: special tokens before and after $A.
// Returns false when the file has no such template.
bool read_post_processor(const json& post, const std::unordered_map<std::string, int>& ids, Spec& spec,
                         const std::string& where) {
  if (!post.is_object()) return false;
  std::string type = string_field(post, "type", where);
  if (type == "Sequence") {
    auto list = post.find("processors");
    if (list == post.end() || !list->is_array()) return false;
    for (size_t i = 0; i < list->size(); i++)
      if (read_post_processor((*list)[i], ids, spec, where + ".processors[" + std::to_string(i) + "]")) return true;
    return false;
  }
  if (type != "TemplateProcessing") return false;
  auto single = post.find("single");
  if (single == post.end() || !single->is_array()) fail(where + ".single must be a list");
  const json* specials = post.contains("special_tokens") ? &post["special_tokens"] : nullptr;
  bool after_text = false;
  for (const json& item : *single) {
    if (item.contains("Sequence")) {
      after_text = true;
      continue;
    }
    if (!item.contains("SpecialToken")) fail(where + ".single: each item must be a SpecialToken or a Sequence");
    std::string name = string_field(item["SpecialToken"], "id", where + ".single");
    std::vector<int> token_ids;
    if (specials && specials->is_object() && specials->contains(name)) {
      const json& entry = (*specials)[name];
      if (!entry.contains("ids") || !entry["ids"].is_array()) fail(where + ".special_tokens." + name + ".ids must be a list");
      for (const json& id : entry["ids"]) {
        if (!id.is_number_integer()) fail(where + ".special_tokens." + name + ".ids must hold integers");
        token_ids.push_back(id.get<int>());
      }
    } else if (int id = lookup(ids, name); id >= 0) {
      token_ids.push_back(id);
    } else {
      fail(where + ".single: special token \"" + name + "\" is not in the vocabulary");
    }
    auto& target = after_text ? spec.suffix_ids : spec.prefix_ids;
    target.insert(target.end(), token_ids.begin(), token_ids.end());
  }
  return true;
}

std::unique_ptr<Tokenizer> build(const json& j, bool add_bos) {
  if (!j.is_object()) fail("not a JSON object");
  if (!j.contains("model") || !j["model"].is_object()) fail("model must be an object");
  const json& model = j["model"];
  if (model.contains("type") && string_field(model, "type", "model") != "BPE")
    fail("model.type \"" + model["type"].get<std::string>() + "\" is not SentencePiece BPE");
  for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"})
    if (model.contains(key) && !model[key].is_null() && !(model[key].is_string() && model[key].get<std::string>().empty()))
      fail(std::string("model.") + key + " is not supported for SentencePiece BPE");

  // Vocabulary and added tokens, by id.
  constexpr std::int64_t kMaxVocab = 1 << 24;
  std::vector<std::string> pieces;
  std::vector<bool> have, special;
  auto place = [&](std::int64_t id, const std::string& piece, const std::string& where) {
    if (id < 0 || id >= kMaxVocab) fail(where + ": id " + std::to_string(id) + " is out of range");
    if (static_cast<size_t>(id) >= pieces.size()) {
      pieces.resize(id + 1);
      have.resize(id + 1, false);
      special.resize(id + 1, false);
    }
    if (!have[id]) pieces[id] = piece;
    have[id] = true;
  };
  if (!model.contains("vocab") || !model["vocab"].is_object()) fail("model.vocab must be an object");
  for (const auto& [piece, id] : model["vocab"].items()) {
    if (!id.is_number_integer()) fail("model.vocab[\"" + piece + "\"] must be an integer id");
    place(id.get<std::int64_t>(), piece, "model.vocab[\"" + piece + "\"]");
  }
  if (j.contains("added_tokens") && j["added_tokens"].is_array()) {
    for (size_t i = 0; i < j["added_tokens"].size(); i++) {
      const json& added = j["added_tokens"][i];
      std::string where = "added_tokens[" + std::to_string(i) + "]";
      if (!added.is_object() || !added.contains("id") || !added["id"].is_number_integer())
        fail(where + ".id must be an integer");
      std::int64_t id = added["id"].get<std::int64_t>();
      place(id, string_field(added, "content", where), where);
      if (bool_field(added, "special", false, where)) special[id] = true;
    }
  }
  for (size_t id = 0; id < pieces.size(); id++)
    if (!have[id]) fail("model.vocab: no token has id " + std::to_string(id));

  Spec spec;
  spec.pieces = std::move(pieces);
  spec.special = std::move(special);
  std::unordered_map<std::string, int> ids;
  for (size_t id = 0; id < spec.pieces.size(); id++) ids.emplace(spec.pieces[id], static_cast<int>(id));

  // Merges: "a b" strings or [a, b] pairs; rank = position in the list. A
  // repeated pair keeps its last rank, as Hugging Face's map build does.
  spec.order = Spec::MergeOrder::ByRank;
  if (!model.contains("merges") || !model["merges"].is_array()) fail("model.merges must be a list");
  const json& merges = model["merges"];
  for (size_t rank = 0; rank < merges.size(); rank++) {
    const json& m = merges[rank];
    std::string where = "model.merges[" + std::to_string(rank) + "]";
    std::string a, b;
    if (m.is_string()) {
      std::string line = m.get<std::string>();
      size_t space = line.find(' ');
      if (space == std::string::npos || line.find(' ', space + 1) != std::string::npos)
        fail(where + " \"" + line + "\" must be two pieces separated by one space");
      a = line.substr(0, space);
      b = line.substr(space + 1);
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
      a = m[0].get<std::string>();
      b = m[1].get<std::string>();
    } else {
      fail(where + " must be \"a b\" or [\"a\", \"b\"]");
    }
    int left = lookup(ids, a), right = lookup(ids, b), merged = lookup(ids, a + b);
    if (left < 0 || right < 0 || merged < 0)
      fail(where + ": \"" + (left < 0 ? a : right < 0 ? b : a + b) + "\" is not in the vocabulary");
    spec.merges[static_cast<std::uint64_t>(left) << 32 | static_cast<std::uint32_t>(right)] = {static_cast<int>(rank),
                                                                                               merged};
  }

  spec.space_mark = kSpaceMark;
  spec.prefix = Spec::Prefix::None;
  spec.byte_fallback = bool_field(model, "byte_fallback", false, "model");
  spec.fuse_unk = bool_field(model, "fuse_unk", false, "model");
  spec.ignore_merges = bool_field(model, "ignore_merges", false, "model");
  if (model.contains("unk_token") && !model["unk_token"].is_null()) {
    std::string unk = string_field(model, "unk_token", "model");
    spec.unk_id = lookup(ids, unk);
    if (spec.unk_id < 0) fail("model.unk_token \"" + unk + "\" is not in the vocabulary");
  }
  read_normalizer(j.contains("normalizer") ? j["normalizer"] : json(), spec, "normalizer");
  read_pre_tokenizer(j.contains("pre_tokenizer") ? j["pre_tokenizer"] : json(), spec, "pre_tokenizer");

  spec.bos_id = lookup(ids, "<s>");
  spec.eos_id = lookup(ids, "</s>");
  spec.pad_id = lookup(ids, "<pad>");
  bool templated = j.contains("post_processor") && read_post_processor(j["post_processor"], ids, spec, "post_processor");
  if (!templated && add_bos && spec.bos_id >= 0) spec.prefix_ids.push_back(spec.bos_id);
  if (spec.bos_id < 0 && !spec.prefix_ids.empty()) spec.bos_id = spec.prefix_ids.front();
  return make_sentencepiece(std::move(spec), kSource);
}

}  // namespace

std::unique_ptr<Tokenizer> make_sentencepiece_from_json(const nlohmann::json& tokenizer_json, bool add_bos) {
  try {
    return build(tokenizer_json, add_bos);
  } catch (const nlohmann::json::exception& e) {
    fail(std::string("unexpected structure: ") + e.what());
  }
}

}  // namespace attnscope
