// Hugging Face tokenizer.json: decides which of our tokenizers a file
// describes and fills its spec. Supported:
//   - model BPE with a ByteLevel pre-tokenizer (GPT-2, RoBERTa, ...),
//   - model WordPiece with BertNormalizer + BertPreTokenizer (BERT family),
//   - model BPE in SentencePiece style (byte_fallback, Metaspace or a "▁"
//     normalizer: Llama, Mistral), handed to make_sentencepiece_from_json.
// Anything else is refused with the field that is not supported, rather than
// tokenized differently from the model's own tokenizer.
// added_tokens are matched literally in the raw text, longest first, which is
// what Hugging Face does for tokens with "normalized": false (all BERT/GPT-2 ones).
#include "error.h"
#include "tokenizer_sentencepiece.h"
#include "tokenizer_specs.h"

namespace attnscope {

namespace {

using nlohmann::json;

constexpr std::string_view kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

// The member at `key`, or nullptr when absent or null.
const json* member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string type_of(const json* object) {
  const json* type = object ? member(*object, "type") : nullptr;
  return type && type->is_string() ? type->get<std::string>() : std::string();
}

bool bool_member(const json& object, const char* key, bool fallback, const std::string& where) {
  const json* value = member(object, key);
  if (!value) return fallback;
  if (!value->is_boolean()) throw Error(where + "." + key + ": expected true or false, got " + json_excerpt(*value));
  return value->get<bool>();
}

std::string string_member(const json& object, const char* key, const std::string& fallback, const std::string& where) {
  const json* value = member(object, key);
  if (!value) return fallback;
  if (!value->is_string()) throw Error(where + "." + key + ": expected a string, got " + json_excerpt(*value));
  return value->get<std::string>();
}

int id_value(const json& value, const std::string& where) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > INT32_MAX) {
    throw Error(where + ": expected a token id (an integer >= 0), got " + json_excerpt(value));
  }
  return value.get<int>();
}

std::vector<AddedToken> read_added_tokens(const json& tokenizer_json, const std::string& source) {
  std::vector<AddedToken> added;
  const json* list = member(tokenizer_json, "added_tokens");
  if (!list) return added;
  if (!list->is_array()) throw Error(source + ": added_tokens: expected an array");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string where = source + ": added_tokens[" + std::to_string(i) + "]";
    const json& entry = (*list)[i];
    const json* content = member(entry, "content");
    const json* id = member(entry, "id");
    if (!content || !content->is_string() || !id) throw Error(where + ": expected {\"id\": ..., \"content\": \"...\"}");
    added.push_back({content->get<std::string>(), id_value(*id, where + ".id"), bool_member(entry, "lstrip", false, where),
                     bool_member(entry, "rstrip", false, where)});
  }
  return added;
}

// The ids a post-processor puts before and after the text.
void read_post_processor(const json* processor, const std::string& where, std::vector<int>& prefix,
                         std::vector<int>& suffix) {
  if (!processor) return;
  const std::string type = type_of(processor);
  if (type == "ByteLevel") return;
  if (type == "Sequence") {
    const json* steps = member(*processor, "processors");
    if (!steps || !steps->is_array()) throw Error(where + ".processors: expected an array");
    for (std::size_t i = 0; i < steps->size(); ++i) {
      read_post_processor(&(*steps)[i], where + ".processors[" + std::to_string(i) + "]", prefix, suffix);
    }
    return;
  }
  if (type == "BertProcessing" || type == "RobertaProcessing") {
    const auto pair_id = [&](const char* key) {
      const json* pair = member(*processor, key);
      if (!pair || !pair->is_array() || pair->size() != 2) {
        throw Error(where + "." + key + ": expected [\"token\", id]");
      }
      return id_value((*pair)[1], where + "." + key + "[1]");
    };
    prefix = {pair_id("cls")};
    suffix = {pair_id("sep")};
    return;
  }
  if (type == "TemplateProcessing") {
    const json* single = member(*processor, "single");
    const json* specials = member(*processor, "special_tokens");
    if (!single || !single->is_array()) throw Error(where + ".single: expected an array");
    prefix.clear();
    suffix.clear();
    bool after_text = false;
    for (std::size_t i = 0; i < single->size(); ++i) {
      const json& item = (*single)[i];
      if (member(item, "Sequence")) {
        after_text = true;
        continue;
      }
      const json* special = member(item, "SpecialToken");
      const std::string item_where = where + ".single[" + std::to_string(i) + "]";
      const std::string name = special ? string_member(*special, "id", "", item_where + ".SpecialToken") : "";
      const json* entry = specials ? member(*specials, name.c_str()) : nullptr;
      const json* ids = entry ? member(*entry, "ids") : nullptr;
      if (!ids || !ids->is_array()) {
        throw Error(item_where + ": special token " + quote_for_error(name) + " has no ids in " + where + ".special_tokens");
      }
      for (const json& id : *ids) (after_text ? suffix : prefix).push_back(id_value(id, item_where));
    }
    return;
  }
  throw Error(where + ": type " + quote_for_error(type) + " is not supported");
}

// GPT-2's regex either inside ByteLevel (use_regex) or as an explicit Split before it.
bool read_byte_level_pre_tokenizer(const json* pre, const std::string& where, bool& add_prefix_space) {
  const std::string type = type_of(pre);
  if (type == "ByteLevel") {
    add_prefix_space = bool_member(*pre, "add_prefix_space", true, where);
    if (!bool_member(*pre, "use_regex", true, where)) {
      throw Error(where + ": ByteLevel without use_regex needs a Split with GPT-2's pattern before it");
    }
    return true;
  }
  if (type != "Sequence") return false;
  const json* steps = member(*pre, "pretokenizers");
  if (!steps || !steps->is_array()) return false;
  bool split_done = false;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const json& step = (*steps)[i];
    const std::string step_where = where + ".pretokenizers[" + std::to_string(i) + "]";
    const std::string step_type = type_of(&step);
    if (step_type == "Split") {
      const json* pattern = member(step, "pattern");
      const json* regex = pattern ? member(*pattern, "Regex") : nullptr;
      if (!regex || !regex->is_string() || regex->get<std::string>() != kGpt2Pattern) {
        throw Error(step_where + ": only GPT-2's split pattern is supported, got " +
                    (pattern ? json_excerpt(*pattern) : std::string("none")));
      }
      split_done = true;
    } else if (step_type == "ByteLevel") {
      add_prefix_space = bool_member(step, "add_prefix_space", true, step_where);
      if (!split_done && !bool_member(step, "use_regex", true, step_where)) {
        throw Error(step_where + ": ByteLevel without use_regex needs a Split with GPT-2's pattern before it");
      }
      return true;
    } else {
      return false;
    }
  }
  return false;
}

bool contains_sentencepiece_marks(const json* node, int depth) {
  if (!node || depth > 8) return false;
  const std::string type = type_of(node);
  if (type == "Metaspace") return true;
  const std::string mark = "\xE2\x96\x81";  // ▁
  if (type == "Prepend" && member(*node, "prepend") && *member(*node, "prepend") == mark) return true;
  if (type == "Replace" && member(*node, "content") && *member(*node, "content") == mark) return true;
  for (const char* list : {"normalizers", "pretokenizers"}) {
    const json* steps = member(*node, list);
    if (steps && steps->is_array()) {
      for (const json& step : *steps) {
        if (contains_sentencepiece_marks(&step, depth + 1)) return true;
      }
    }
  }
  return false;
}

const json& model_of(const json& tokenizer_json, const std::string& source) {
  const json* model = member(tokenizer_json, "model");
  if (!model || !model->is_object()) throw Error(source + ": missing the \"model\" object");
  return *model;
}

std::unique_ptr<Tokenizer> from_json(const json& tokenizer_json, bool add_bos, const std::string& source) {
  const json& model = model_of(tokenizer_json, source);
  const std::string type = type_of(&model);
  if (type == "WordPiece") return wordpiece_from_json(tokenizer_json, source);
  if (type != "BPE") {
    throw Error(source + ": model.type " + quote_for_error(type) + " is not supported (expected BPE or WordPiece)");
  }
  bool add_prefix_space = false;
  if (read_byte_level_pre_tokenizer(member(tokenizer_json, "pre_tokenizer"), source + ": pre_tokenizer", add_prefix_space)) {
    return byte_level_bpe_from_json(tokenizer_json, source);
  }
  const json* byte_fallback = member(model, "byte_fallback");
  if ((byte_fallback && *byte_fallback == true) || contains_sentencepiece_marks(member(tokenizer_json, "normalizer"), 0) ||
      contains_sentencepiece_marks(member(tokenizer_json, "pre_tokenizer"), 0)) {
    return make_sentencepiece_from_json(tokenizer_json, add_bos);
  }
  throw Error(source + ": BPE model with neither a ByteLevel pre_tokenizer nor SentencePiece markers "
                       "(byte_fallback, Metaspace) is not supported");
}

}  // namespace

std::unique_ptr<Tokenizer> byte_level_bpe_from_json(const json& tokenizer_json, const std::string& source) {
  const json& model = model_of(tokenizer_json, source);
  if (type_of(&model) != "BPE") throw Error(source + ": model.type is " + quote_for_error(type_of(&model)) + ", expected \"BPE\"");
  ByteLevelBpeSpec spec;
  spec.vocab_source = source;
  spec.merges_source = source + ": model.merges";
  spec.merge_location_is_line = false;
  if (!read_byte_level_pre_tokenizer(member(tokenizer_json, "pre_tokenizer"), source + ": pre_tokenizer",
                                     spec.add_prefix_space)) {
    throw Error(source + ": pre_tokenizer: expected ByteLevel for a GPT-2 style BPE");
  }
  if (const json* normalizer = member(tokenizer_json, "normalizer")) {
    throw Error(source + ": normalizer of type " + quote_for_error(type_of(normalizer)) + " is not supported with ByteLevel BPE");
  }
  for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"}) {
    if (!string_member(model, key, "", source + ": model").empty()) {
      throw Error(source + ": model." + key + " is not supported with ByteLevel BPE");
    }
  }
  spec.ignore_merges = bool_member(model, "ignore_merges", false, source + ": model");
  const json* vocab = member(model, "vocab");
  if (!vocab) throw Error(source + ": missing model.vocab");
  spec.vocab = vocab_from_json_object(*vocab, source + ": model.vocab");

  const json* merges = member(model, "merges");
  if (!merges || !merges->is_array()) throw Error(source + ": model.merges: expected an array");
  spec.merges.reserve(merges->size());
  for (std::size_t i = 0; i < merges->size(); ++i) {
    const json& merge = (*merges)[i];
    const std::string where = spec.merges_source + "[" + std::to_string(i) + "]";
    if (merge.is_array() && merge.size() == 2 && merge[0].is_string() && merge[1].is_string()) {
      spec.merges.push_back({merge[0].get<std::string>(), merge[1].get<std::string>(), i});
      continue;
    }
    const std::string text = merge.is_string() ? merge.get<std::string>() : std::string();
    const std::size_t space = text.find(' ');
    if (space == std::string::npos || space == 0 || space + 1 == text.size() || text.find(' ', space + 1) != std::string::npos) {
      throw Error(where + ": expected \"left right\" or [\"left\", \"right\"], got " + json_excerpt(merge));
    }
    spec.merges.push_back({text.substr(0, space), text.substr(space + 1), i});
  }
  spec.added_tokens = read_added_tokens(tokenizer_json, source);
  read_post_processor(member(tokenizer_json, "post_processor"), source + ": post_processor", spec.prefix_ids,
                      spec.suffix_ids);
  return build_byte_level_bpe(std::move(spec));
}

std::unique_ptr<Tokenizer> wordpiece_from_json(const json& tokenizer_json, const std::string& source) {
  const json& model = model_of(tokenizer_json, source);
  if (type_of(&model) != "WordPiece") {
    throw Error(source + ": model.type is " + quote_for_error(type_of(&model)) + ", expected \"WordPiece\"");
  }
  WordPieceSpec spec;
  spec.source = source;
  const std::string model_where = source + ": model";
  spec.unk_token = string_member(model, "unk_token", "[UNK]", model_where);
  spec.continuing_prefix = string_member(model, "continuing_subword_prefix", "##", model_where);
  if (const json* max_chars = member(model, "max_input_chars_per_word")) {
    spec.max_input_chars_per_word = static_cast<std::size_t>(id_value(*max_chars, model_where + ".max_input_chars_per_word"));
  }
  const json* vocab = member(model, "vocab");
  if (!vocab) throw Error(source + ": missing model.vocab");
  spec.vocab = vocab_from_json_object(*vocab, source + ": model.vocab");

  const json* normalizer = member(tokenizer_json, "normalizer");
  const std::string normalizer_where = source + ": normalizer";
  if (!normalizer) {
    spec.clean_text = spec.handle_chinese_chars = spec.strip_accents = spec.lowercase = false;
  } else if (type_of(normalizer) == "BertNormalizer") {
    spec.clean_text = bool_member(*normalizer, "clean_text", true, normalizer_where);
    spec.handle_chinese_chars = bool_member(*normalizer, "handle_chinese_chars", true, normalizer_where);
    spec.lowercase = bool_member(*normalizer, "lowercase", true, normalizer_where);
    spec.strip_accents = bool_member(*normalizer, "strip_accents", spec.lowercase, normalizer_where);
  } else {
    throw Error(normalizer_where + ": type " + quote_for_error(type_of(normalizer)) + " is not supported (expected BertNormalizer)");
  }
  const json* pre = member(tokenizer_json, "pre_tokenizer");
  if (type_of(pre) != "BertPreTokenizer") {
    throw Error(source + ": pre_tokenizer: type " + quote_for_error(type_of(pre)) + " is not supported (expected BertPreTokenizer)");
  }
  spec.added_tokens = read_added_tokens(tokenizer_json, source);
  std::vector<int> prefix, suffix;
  read_post_processor(member(tokenizer_json, "post_processor"), source + ": post_processor", prefix, suffix);
  spec.prefix_ids = prefix;
  spec.suffix_ids = suffix;
  return build_wordpiece(std::move(spec));
}

std::unique_ptr<Tokenizer> make_tokenizer_from_json(std::string_view tokenizer_json, bool add_bos) {
  const std::string source = "tokenizer.json";
  const json parsed = parse_json_text(tokenizer_json, source);
  try {
    return from_json(parsed, add_bos, source);
  } catch (const json::exception& e) {
    // Type mismatches deep inside a hand-edited file surface as one kind of error.
    throw Error(source + ": " + e.what());
  }
}

}  // namespace attnscope
