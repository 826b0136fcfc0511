#include "train/wordnet.h"

#include <fstream>
#include <sstream>

#include "core/error.h"

namespace attnscope::train {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void malformed(const fs::path& file, int line, const std::string& what) {
  throw Error(file.string() + ":" + std::to_string(line) + ": " + what);
}

std::uint32_t offset_of(const std::string& field, const fs::path& file, int line) {
  if (field.size() != 8 || field.find_first_not_of("0123456789") != std::string::npos)
    malformed(file, line, "bad synset offset '" + field + "'");
  return static_cast<std::uint32_t>(std::stoul(field));
}

// The lines of a WordNet file, skipping the licence header (lines that start
// with a space). fn(fields, line number).
template <class Fn>
void for_each_entry(const fs::path& file, Fn fn) {
  std::ifstream in(file);
  if (!in) throw Error(ErrorKind::Io, file.string() + ": cannot open (is wordnet-base installed?)");
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.empty() || line[0] == ' ') continue;
    const auto bar = line.find(" | ");
    std::istringstream words(line.substr(0, bar));
    std::vector<std::string> fields;
    for (std::string w; words >> w;) fields.push_back(w);
    fn(fields, number, bar == std::string::npos ? std::string() : line.substr(bar + 3));
  }
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "lemma(a)" (an adjective's syntactic marker) -> "lemma".
std::string strip_marker(const std::string& word) {
  const auto paren = word.find('(');
  return paren == std::string::npos ? word : word.substr(0, paren);
}

// data.<pos>: offset lex_filenum ss_type w_cnt(hex) [word lex_id]... p_cnt [symbol offset pos source/target]...
// and for verbs: f_cnt [+ f_num w_num]...
Synset parse_synset(const std::vector<std::string>& f, const fs::path& file, int line) {
  Synset s;
  if (f.size() < 5) malformed(file, line, "too few fields");
  std::size_t i = 3;
  const auto count = [&](int base) {
    if (i >= f.size()) malformed(file, line, "ends early");
    try {
      return static_cast<std::size_t>(std::stoul(f[i++], nullptr, base));
    } catch (const std::exception&) {
      malformed(file, line, "bad count '" + f[i - 1] + "'");
    }
  };
  i = 1;
  s.lexicographer_file = static_cast<int>(count(10));
  i = 3;
  const std::size_t words = count(16);
  for (std::size_t w = 0; w < words; ++w, i += 2) {
    if (i + 1 >= f.size()) malformed(file, line, "ends inside its words");
    s.lemmas.push_back(lower(strip_marker(f[i])));
  }
  const std::size_t pointers = count(10);
  for (std::size_t p = 0; p < pointers; ++p, i += 4) {
    if (i + 3 >= f.size()) malformed(file, line, "ends inside its pointers");
    const std::string& symbol = f[i];
    if (symbol == "@") s.hypernyms.push_back(offset_of(f[i + 1], file, line));
    if (symbol == "@i") s.instance = true;
    if (symbol == "&") s.similar.push_back(offset_of(f[i + 1], file, line));
  }
  if (f[2] != "v") return s;
  const std::size_t frames = count(10);
  for (std::size_t k = 0; k < frames; ++k, i += 3) {
    if (i + 2 >= f.size() || f[i] != "+") malformed(file, line, "ends inside its frames");
    if (f[i + 1].size() != 2 || f[i + 1].find_first_not_of("0123456789") != std::string::npos)
      malformed(file, line, "bad frame number '" + f[i + 1] + "'");
    s.frames.push_back(std::stoi(f[i + 1]));
  }
  return s;
}

}  // namespace

WordNet WordNet::read(const fs::path& dir, const std::string& pos) {
  if (pos != "noun" && pos != "verb" && pos != "adj") throw Error("WordNet: unknown part of speech '" + pos + "'");
  WordNet wn;
  const fs::path data = dir / ("data." + pos), index = dir / ("index." + pos), exc = dir / (pos + ".exc");
  for_each_entry(data, [&](const std::vector<std::string>& f, int line, std::string gloss) {
    Synset& s = wn.synsets_[offset_of(f.at(0), data, line)] = parse_synset(f, data, line);
    s.gloss = std::move(gloss);
  });
  // index.<pos>: lemma pos synset_cnt p_cnt [symbol]... sense_cnt tagsense_cnt [offset]...
  for_each_entry(index, [&](const std::vector<std::string>& f, int line, const std::string&) {
    if (f.size() < 6) malformed(index, line, "too few fields");
    const std::size_t synsets = std::stoul(f[2]);
    if (synsets == 0 || synsets + 2 > f.size()) malformed(index, line, "bad synset count");
    std::vector<std::uint32_t>& senses = wn.senses_[f[0]];
    for (std::size_t k = f.size() - synsets; k < f.size(); ++k) senses.push_back(offset_of(f[k], index, line));
    wn.tagged_[f[0]] = std::stoi(f[f.size() - synsets - 1]);
  });
  for_each_entry(exc, [&](const std::vector<std::string>& f, int line, const std::string&) {
    if (f.size() < 2) malformed(exc, line, "expected an inflected form and its base");
    wn.irregular_.emplace(f[1], f[0]);  // the first listed form wins
    wn.irregular_forms_[f[1]].push_back(f[0]);
  });
  return wn;
}

const Synset& WordNet::synset(std::uint32_t offset) const {
  const auto it = synsets_.find(offset);
  if (it == synsets_.end()) throw Error("WordNet: no synset at offset " + std::to_string(offset));
  return it->second;
}

const std::vector<std::uint32_t>& WordNet::senses(const std::string& lemma) const {
  static const std::vector<std::uint32_t> none;
  const auto it = senses_.find(lemma);
  return it == senses_.end() ? none : it->second;
}

const std::vector<std::string>& WordNet::irregular_forms(const std::string& base) const {
  static const std::vector<std::string> none;
  const auto it = irregular_forms_.find(base);
  return it == irregular_forms_.end() ? none : it->second;
}

int WordNet::tagged_count(const std::string& lemma) const {
  const auto it = tagged_.find(lemma);
  return it == tagged_.end() ? 0 : it->second;
}

std::uint32_t WordNet::sense(const std::string& lemma, int number) const {
  const auto& list = senses(lemma);
  if (number < 1 || static_cast<std::size_t>(number) > list.size())
    throw Error("WordNet: no sense " + lemma + "#" + std::to_string(number));
  return list[static_cast<std::size_t>(number - 1)];
}

bool WordNet::is_a(std::uint32_t offset, std::uint32_t ancestor) const {
  std::vector<std::uint32_t> todo{offset};
  std::set<std::uint32_t> seen;
  while (!todo.empty()) {
    const std::uint32_t s = todo.back();
    todo.pop_back();
    if (s == ancestor) return true;
    if (!seen.insert(s).second) continue;
    for (std::uint32_t h : synset(s).hypernyms) todo.push_back(h);
  }
  return false;
}

}  // namespace attnscope::train
