#include "train/lexicon_evidence.h"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/unicode.h"
#include "train/wordnet.h"

namespace attnscope::train {
namespace fs = std::filesystem;
namespace {

std::string gunzip(const fs::path& path) {  // dictzip files are plain gzip to zlib
  gzFile f = gzopen(path.string().c_str(), "rb");
  if (!f) throw Error(ErrorKind::Io, path.string() + ": cannot open");
  std::string out;
  char buf[1 << 16];
  int n = 0;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  gzclose(f);
  if (n < 0) throw Error(ErrorKind::Io, path.string() + ": not a gzip file");
  return out;
}

long long base64_number(const std::string& s) {  // dictd's index offsets
  static const std::string digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  long long v = 0;
  for (char c : s) {
    const auto d = digits.find(c);
    if (d == std::string::npos) throw Error("freedict index: bad offset \"" + s + "\"");
    v = v * 64 + static_cast<long long>(d);
  }
  return v;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// "1. mégère, peau de vache (fam.)" -> {"mégère", "peau de vache"}
void add_translations(std::string line, std::set<std::string>& out) {
  // FreeDict writes compounds with U+2010 HYPHEN ("chou‐fleur"); the lexicon uses "-"
  line = unicode::replace_all(line, "\xE2\x80\x90", "-");
  for (std::size_t p; (p = line.find('(')) != std::string::npos;) {
    const auto q = line.find(')', p);
    line.erase(p, q == std::string::npos ? std::string::npos : q - p + 1);
  }
  if (line.size() > 2 && std::isdigit(static_cast<unsigned char>(line[0])) && line.find(". ") != std::string::npos)
    line = line.substr(line.find(". ") + 2);
  std::string item;
  std::istringstream in(line);
  while (std::getline(in, item, ',')) {
    std::istringstream parts(item);
    for (std::string piece; std::getline(parts, piece, ';');)
      if (!trim(piece).empty()) out.insert(lower(trim(piece)));
  }
}

const std::map<std::string, std::set<int>>& class_lexfiles() {
  static const std::map<std::string, std::set<int>> m = {
      {"person", {18, 14}}, {"job", {18}},         {"animal", {5}},       {"food", {13, 20}},     {"drink", {13}},
      {"body", {8}},        {"plant", {20, 13}},   {"furniture", {6}},    {"object", {6, 17}},    {"tool", {6}},
      {"container", {6}},   {"vehicle", {6}},      {"clothes", {6}},      {"toy", {6, 4}},        {"instrument", {6}},
      {"text", {6, 10}},    {"building", {6}},     {"room", {6}},         {"place", {15, 6, 17}}, {"nature", {17, 15, 6, 20}},
  };
  return m;
}

}  // namespace

std::map<std::string, std::set<std::string>> read_freedict(const fs::path& index, const fs::path& dict_dz) {
  const std::string data = gunzip(dict_dz);
  std::ifstream in(index);
  if (!in) throw Error(ErrorKind::Io, index.string() + ": cannot open");
  std::map<std::string, std::set<std::string>> out;
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string head, off, len;
    if (!std::getline(fields, head, '\t') || !std::getline(fields, off, '\t') || !std::getline(fields, len, '\t')) continue;
    if (head.rfind("00-database", 0) == 0) continue;
    const auto o = static_cast<std::size_t>(base64_number(off)), n = static_cast<std::size_t>(base64_number(len));
    if (o + n > data.size()) continue;
    std::istringstream entry(data.substr(o, n));
    std::string text;
    std::getline(entry, text);  // headword and pronunciation
    auto& set = out[lower(head)];
    while (std::getline(entry, text)) add_translations(text, set);
  }
  return out;
}

std::map<std::string, std::set<int>> read_wordnet_nouns(const fs::path& dir) {
  std::map<std::string, std::set<int>> out;
  const WordNet nouns = WordNet::read(dir, "noun");
  for (const auto& [offset, synset] : nouns.synsets())
    for (const std::string& lemma : synset.lemmas) out[lemma].insert(synset.lexicographer_file);
  return out;
}

EvidenceReport check_lexicon(const ParallelLexicon& lex, const std::map<std::string, std::set<std::string>>& freedict,
                             const std::map<std::string, std::set<int>>& wordnet) {
  EvidenceReport r;
  auto check = [&](const std::string& en, const std::string& fr) {
    auto it = freedict.find(lower(en));
    if (it == freedict.end()) return;
    ++r.checked;
    const std::string want = lower(fr);
    const bool found = std::any_of(it->second.begin(), it->second.end(), [&](const std::string& t) {
      return t == want || t == want + "s" || t.rfind(want + " ", 0) == 0;  // "chat" also in "chat domestique"
    });
    if (found) ++r.agreeing;
    else {
      std::string all;
      for (const auto& t : it->second) all += (all.empty() ? "" : ", ") + t;
      r.disagreements.push_back(en + ": " + fr + " not in {" + all + "}");
    }
  };
  for (const auto& n : lex.nouns) check(n.en, n.fr);
  for (const auto& a : lex.adjectives) check(a.en, a.fr[0]);
  for (const auto& v : lex.verbs) check(v.en_base, v.fr_infinitive);
  for (const auto& n : lex.nouns) {
    std::string lemma = lower(n.en);
    std::replace(lemma.begin(), lemma.end(), ' ', '_');
    ++r.nouns;
    auto it = wordnet.find(lemma);
    if (it == wordnet.end()) continue;
    ++r.wordnet_nouns;
    const auto& want = class_lexfiles().at(class_lexfiles().count(n.semantic_class) ? n.semantic_class : "object");
    if (std::any_of(it->second.begin(), it->second.end(), [&](int f) { return want.count(f) > 0; })) ++r.class_agreeing;
    else r.class_mismatches.push_back(n.en + " (" + n.semantic_class + ")");
  }
  return r;
}

}  // namespace attnscope::train
