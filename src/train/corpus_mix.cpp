#include "train/corpus_mix.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "train/corpus_generator.h"
#include "train/rng.h"
#include "train/subject_items.h"
#include "train/retold_stories.h"
#include "train/wordnet_glosses.h"
#include "train/wordnet_lexicon.h"
#include "train/wordnet_verbs.h"

namespace attnscope::train::corpus {
namespace {

const char* const kSources[] = {"generated", "tinystories", "brown", "glosses", "kjv", "shakespeare"};

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot read (the shared corpora live in ../shared/corpora)");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

// Consecutive non-empty lines grouped `per_doc` at a time.
std::vector<std::string> paragraphs(const std::vector<std::string>& lines, int per_doc) {
  std::vector<std::string> docs;
  std::string doc;
  int n = 0;
  for (const std::string& line : lines) {
    if (line.empty()) continue;
    doc += (doc.empty() ? "" : " ") + line;
    if (++n == per_doc) {
      docs.push_back(std::move(doc));
      doc.clear();
      n = 0;
    }
  }
  if (!doc.empty()) docs.push_back(doc);
  return docs;
}

// Words real text uses three times or more: what a model can learn the
// meaning of. WordNet words outside it join only if its sense-tagged corpora
// saw them.
std::set<std::string> known_words(const std::filesystem::path& corpora_dir) {
  return common_words(read_all(corpora_dir / "tinystories.txt") + read_all(corpora_dir / "brown.txt"), 3);
}

}  // namespace

CorpusMix parse_mix(const std::string& spec, std::size_t total_bytes) {
  CorpusMix mix;
  mix.total_bytes = total_bytes;
  mix.shares.clear();
  std::istringstream in(spec);
  std::string part;
  double sum = 0;
  while (std::getline(in, part, ',')) {
    const auto eq = part.find('=');
    const std::string name = part.substr(0, eq);
    if (eq == std::string::npos || std::find(std::begin(kSources), std::end(kSources), name) == std::end(kSources))
      throw Error("--mix: expected name=share with name in generated, tinystories, brown, glosses, kjv, shakespeare; got '" + part + "'");
    double share = 0;
    try {
      share = std::stod(part.substr(eq + 1));
    } catch (const std::exception&) {
      throw Error("--mix: '" + part + "' has no number after '='");
    }
    if (share < 0) throw Error("--mix: share of " + name + " is negative");
    mix.shares[name] = share;
    sum += share;
  }
  if (sum <= 0) throw Error("--mix: the shares add up to 0");
  for (auto& [name, share] : mix.shares) share /= sum;
  return mix;
}

std::string mix_string(const CorpusMix& mix) {
  std::string out;
  char buffer[64];
  for (const auto& [name, share] : mix.shares) {
    std::snprintf(buffer, sizeof buffer, "%s%s=%.2f", out.empty() ? "" : ",", name.c_str(), share);
    out += buffer;
  }
  if (mix.wordnet) out += ",wordnet";
  if (mix.stories_only) out += ",stories-only";
  if (mix.retold) out += mix.retold_people ? ",retold-people" : ",retold";
  if (mix.subject_share > 0) {
    std::snprintf(buffer, sizeof buffer, ",subjects=%.2f", mix.subject_share);
    out += buffer;
  }
  return out;
}

std::string detokenize(const std::string& line) {
  static const char* const kAttachLeft[] = {".", ",", ";", ":", "!", "?", ")", "]", "}", "''", "'", "%", "..."};
  std::istringstream in(line);
  std::string token, out;
  bool quote_open = false, glue_next = true;
  while (in >> token) {
    bool glue = glue_next;
    glue_next = false;
    if (token == "\"") {
      // Quotes alternate: an opening one attaches to the word after it, a closing one to the word before.
      if (quote_open) glue = true;
      else glue_next = true;
      quote_open = !quote_open;
    } else if (std::find(std::begin(kAttachLeft), std::end(kAttachLeft), token) != std::end(kAttachLeft)) {
      glue = true;
    } else if (token == "(" || token == "[" || token == "$") {
      glue_next = true;
    }
    if (!glue) out += ' ';
    out += token;
  }
  return out;
}

std::vector<std::string> read_source(const std::filesystem::path& dir, const std::string& name) {
  if (name == "tinystories") {
    std::vector<std::string> stories;
    std::string story;
    for (const std::string& line : lines_of(read_all(dir / "tinystories.txt"))) {
      if (line == "<|endoftext|>") {
        if (!story.empty()) stories.push_back(std::move(story));
        story.clear();
      } else if (!line.empty()) {
        story += (story.empty() ? "" : "\n") + line;
      }
    }
    if (!story.empty()) stories.push_back(story);
    return stories;
  }
  if (name == "brown") {
    std::vector<std::string> lines = lines_of(read_all(dir / "brown.txt"));
    for (std::string& line : lines) line = detokenize(line);
    return paragraphs(lines, 6);
  }
  if (name == "glosses") return gloss_documents(known_words(dir));
  if (name == "kjv") return paragraphs(lines_of(read_all(dir / "kjv.txt")), 4);
  if (name == "shakespeare") return paragraphs(lines_of(read_all(dir / "tinyshakespeare.txt")), 8);
  throw Error("unknown corpus source '" + name + "'");
}

namespace {

const WordNetSplit& wordnet_split_for(const std::filesystem::path& corpora_dir) {
  static std::map<std::filesystem::path, WordNetSplit> cache;
  const auto it = cache.find(corpora_dir);
  if (it != cache.end()) return it->second;
  const std::set<std::string> known = known_words(corpora_dir);
  const WordNet nouns = WordNet::read(kWordNetDir, "noun"), adjectives = WordNet::read(kWordNetDir, "adj");
  WordNetSplit split = wordnet_split(nouns, adjectives, known);
  add_wordnet_verbs(WordNet::read(kWordNetDir, "verb"), known, split);
  return cache.emplace(corpora_dir, std::move(split)).first->second;
}

// TinyStories and the swappable nouns of the mix's lexicon, read once per process.
const RetellSource& retell_source(const CorpusMix& mix, const std::filesystem::path& corpora_dir) {
  static std::map<std::tuple<std::filesystem::path, const Lexicon*, bool>, RetellSource> cache;
  const Lexicon& lex = training_lexicon(mix, corpora_dir);
  const auto key = std::make_tuple(corpora_dir, &lex, mix.retold_people);
  const auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  RetellSource source{read_source(corpora_dir, "tinystories"), swappable_nouns(lex, mix.retold_people)};
  if (source.stories.empty()) throw Error((corpora_dir / "tinystories.txt").string() + ": no stories to retell");
  return cache.emplace(key, std::move(source)).first->second;
}

GeneratorOptions generator_options(const CorpusMix& mix, const std::filesystem::path& corpora_dir) {
  const RetellSource* retell = mix.retold ? &retell_source(mix, corpora_dir) : nullptr;
  return {&training_lexicon(mix, corpora_dir), mix.subject_share, mix.stories_only, retell};
}

}  // namespace

const Lexicon& training_lexicon(const CorpusMix& mix, const std::filesystem::path& corpora_dir) {
  return mix.wordnet ? wordnet_split_for(corpora_dir).training : lexicon(false);
}

const Lexicon& held_out_lexicon(const CorpusMix& mix, const std::filesystem::path& corpora_dir) {
  return mix.wordnet ? wordnet_split_for(corpora_dir).held_out : lexicon(true);
}

std::vector<Document> build_corpus(const std::filesystem::path& dir, const CorpusMix& mix, std::uint64_t seed) {
  std::vector<Document> docs;
  for (const auto& [name, share] : mix.shares) {
    const auto budget = static_cast<std::size_t>(share * static_cast<double>(mix.total_bytes));
    if (budget == 0) continue;
    if (name == "generated") {
      for (Document& d : generate_documents(seed, budget, generator_options(mix, dir))) docs.push_back(std::move(d));
      continue;
    }
    const std::vector<std::string> source = read_source(dir, name);
    if (source.empty()) throw Error((dir / name).string() + ": no text");
    std::size_t used = 0;
    for (std::size_t i = 0; used < budget; ++i) {  // repeats the source when its share is larger
      used += source[i % source.size()].size() + 1;
      docs.push_back({source[i % source.size()], {}});
    }
  }
  Rng rng(seed, 0xC0FFEE);
  for (std::size_t i = docs.size(); i > 1; --i) std::swap(docs[i - 1], docs[rng.below(i)]);
  return docs;
}

std::string generated_text(const CorpusMix& mix, std::uint64_t seed, const std::filesystem::path& corpora_dir) {
  const auto share = mix.shares.find("generated");
  if (share == mix.shares.end()) return {};
  std::string all;
  const auto bytes = static_cast<std::size_t>(share->second * static_cast<double>(mix.total_bytes));
  for (const Document& d : generate_documents(seed, bytes, generator_options(mix, corpora_dir)))
    all += d.text + "\n";
  return all;
}

std::string probe_set_jsonl(std::uint64_t seed, int count, bool held_out,
                            const std::function<bool(const std::string&)>& unseen) {
  return probe_set_jsonl(seed, count, ProbeOptions{"pronoun", held_out, nullptr}, unseen);
}

std::string probe_set_jsonl(std::uint64_t seed, int count, const ProbeOptions& options,
                            const std::function<bool(const std::string&)>& unseen) {
  if (options.task != "pronoun" && options.task != "subject") throw Error("probe set: unknown task '" + options.task + "'");
  const Lexicon& lex = options.lexicon ? *options.lexicon : lexicon(options.held_out);
  std::string out;
  for (int n = 0, kept = 0; kept < count; ++n) {
    if (n >= 100 * count + 1000) throw Error("probe set: too few items pass the unseen-text check");
    Rng rng(seed, 0x9806E000ull + static_cast<std::uint64_t>(n));
    const Item item = options.task == "subject" ? make_subject_item(rng, lex) : make_item(rng, lex);
    if (unseen && !unseen(item.text)) continue;
    ++kept;
    const std::vector<Span> words = probe_words(item.text);
    const auto index_of = [&](const Span& s) {
      for (std::size_t w = 0; w < words.size(); ++w)
        if (words[w].start == s.start) return static_cast<int>(w);
      throw Error("probe set: span at byte " + std::to_string(s.start) + " does not start a word in '" + item.text + "'");
    };
    nlohmann::json line;
    line["text"] = item.text;
    nlohmann::json list = nlohmann::json::array();
    for (const Span& w : words) list.push_back(item.text.substr(w.start, w.end - w.start));
    line["words"] = list;
    line["pronoun"] = index_of(item.pronoun);
    line["candidates"] = {index_of(item.candidates[0]), index_of(item.candidates[1])};
    line["answer"] = index_of(item.candidates[item.answer]);
    line["spans"] = {{"pronoun", {item.pronoun.start, item.pronoun.end}},
                     {"candidates", {{item.candidates[0].start, item.candidates[0].end}, {item.candidates[1].start, item.candidates[1].end}}}};
    line["schema"] = item.schema;
    line["decided_by"] = item.decided_by;
    out += line.dump() + "\n";
  }
  return out;
}

}  // namespace attnscope::train::corpus
