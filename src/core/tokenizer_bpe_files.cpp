// GPT-2 tokenizer files: merges.txt, and the folder loader that prefers
// vocab.json + merges.txt over tokenizer.json (as transformers' GPT2Tokenizer).
#include "error.h"
#include "regular_file.h"
#include "tokenizer_specs.h"

namespace attnscope {

std::vector<BpeMerge> parse_merges_txt(std::string_view merges_txt, const std::string& source) {
  std::vector<BpeMerge> merges;
  std::size_t line_number = 0, pos = 0, first_blank_line = 0;
  while (pos < merges_txt.size()) {
    std::size_t newline = merges_txt.find('\n', pos);
    if (newline == std::string_view::npos) newline = merges_txt.size();
    std::string_view line = merges_txt.substr(pos, newline - pos);
    pos = newline + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_number == 1 && line.starts_with("#version")) continue;
    // Blank lines are tolerated only at the end of the file.
    if (line.empty()) {
      if (first_blank_line == 0) first_blank_line = line_number;
      continue;
    }
    if (first_blank_line != 0) throw Error(source + " line " + std::to_string(first_blank_line) + ": blank line before the last merge");
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos || space == 0 || space + 1 == line.size() ||
        line.find(' ', space + 1) != std::string_view::npos) {
      throw Error(source + " line " + std::to_string(line_number) + ": expected two symbols separated by one space, got " +
                  quote_for_error(line));
    }
    merges.push_back({std::string(line.substr(0, space)), std::string(line.substr(space + 1)), line_number});
  }
  return merges;
}

namespace {

// vocab.json has no list of special tokens; GPT-2's one is matched when present.
std::unique_ptr<Tokenizer> gpt2_bpe_from_files(std::string_view vocab_json, std::string_view merges_txt,
                                               const std::string& vocab_source, const std::string& merges_source,
                                               bool add_prefix_space) {
  ByteLevelBpeSpec spec;
  spec.vocab_source = vocab_source;
  spec.merges_source = merges_source;
  spec.vocab = parse_vocab_json(vocab_json, vocab_source);
  spec.merges = parse_merges_txt(merges_txt, merges_source);
  spec.add_prefix_space = add_prefix_space;
  for (const auto& [piece, id] : spec.vocab) {
    if (piece == "<|endoftext|>") spec.added_tokens.push_back({piece, id});
  }
  return build_byte_level_bpe(std::move(spec));
}

}  // namespace

std::unique_ptr<Tokenizer> make_gpt2_bpe(std::string_view vocab_json, std::string_view merges_txt) {
  return gpt2_bpe_from_files(vocab_json, merges_txt, "vocab.json", "merges.txt", false);
}

std::unique_ptr<Tokenizer> load_gpt2_bpe(const std::filesystem::path& folder) {
  const auto vocab_path = folder / "vocab.json", merges_path = folder / "merges.txt";
  if (entry_exists(vocab_path) && entry_exists(merges_path)) {
    bool add_prefix_space = false;
    const auto config_path = folder / "tokenizer_config.json";
    if (entry_exists(config_path)) {
      const nlohmann::json config = parse_json_text(read_text_file(config_path), config_path.string());
      if (config.is_object() && config.contains("add_prefix_space") && config["add_prefix_space"].is_boolean()) {
        add_prefix_space = config["add_prefix_space"].get<bool>();
      }
    }
    const std::string merges = read_text_file(merges_path);
    // An empty file is a lost download, not a byte-level vocabulary: that one
    // still says "#version" on its first line.
    if (merges.find_first_not_of(" \t\r\n") == std::string::npos)
      throw Error(merges_path.string() + ": empty (expected a '#version' line and one merge per line)");
    return gpt2_bpe_from_files(read_text_file(vocab_path), merges, vocab_path.string(), merges_path.string(),
                               add_prefix_space);
  }
  const auto json_path = folder / "tokenizer.json";
  if (entry_exists(json_path)) {
    return byte_level_bpe_from_json(parse_json_text(read_text_file(json_path), json_path.string()), json_path.string());
  }
  throw Error(folder.string() + ": no GPT-2 tokenizer (expected vocab.json + merges.txt, or tokenizer.json)");
}

}  // namespace attnscope
