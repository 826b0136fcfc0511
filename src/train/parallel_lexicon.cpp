// TSV lexicon reader. Columns are tab-separated; "#" starts a comment line;
// "-" in a form column asks for the regular form.
#include "train/parallel_lexicon.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "core/error.h"

namespace attnscope::train {
namespace fs = std::filesystem;
namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}
std::string chop(const std::string& s, std::size_t n) { return s.substr(0, s.size() - n); }
bool is_vowel(char c) { return std::string_view("aeiou").find(c) != std::string_view::npos; }

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

struct Line {
  std::string where;  // "file:line" for errors
  std::vector<std::string> cols;
  [[noreturn]] void fail(const std::string& what) const { throw Error(where + ": " + what); }
  const std::string& at(std::size_t i) const {
    if (i >= cols.size() || cols[i].empty()) fail("column " + std::to_string(i + 1) + " is missing or empty");
    return cols[i];
  }
  std::string opt(std::size_t i) const { return i < cols.size() && cols[i] != "-" ? cols[i] : std::string(); }
  std::string form(std::size_t i, const std::string& fallback) const {
    const std::string v = opt(i);
    return v.empty() ? fallback : v;
  }
};

std::vector<Line> read_tsv(const fs::path& path, std::size_t min_cols) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::Io, path.string() + ": cannot open");
  std::vector<Line> out;
  std::string text;
  for (int n = 1; std::getline(in, text); ++n) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.empty() || text[0] == '#') continue;
    Line line{path.filename().string() + ":" + std::to_string(n), split(text, '\t')};
    if (line.cols.size() < min_cols)
      line.fail("expected at least " + std::to_string(min_cols) + " tab-separated columns, found " +
                std::to_string(line.cols.size()));
    out.push_back(std::move(line));
  }
  return out;
}

std::vector<std::string> list(const std::string& s) { return s.empty() || s == "-" ? std::vector<std::string>{} : split(s, ','); }

std::string en_3sg(const std::string& b) {
  if (ends_with(b, "s") || ends_with(b, "sh") || ends_with(b, "ch") || ends_with(b, "x") || ends_with(b, "z") ||
      ends_with(b, "o"))
    return b + "es";
  if (b.size() > 1 && b.back() == 'y' && !is_vowel(b[b.size() - 2])) return chop(b, 1) + "ies";
  return b + "s";
}
std::string en_past(const std::string& b) {
  if (ends_with(b, "e")) return b + "d";
  if (b.size() > 1 && b.back() == 'y' && !is_vowel(b[b.size() - 2])) return chop(b, 1) + "ied";
  return b + "ed";
}
std::string en_ing(const std::string& b) {
  if (ends_with(b, "ie")) return chop(b, 2) + "ying";
  if (ends_with(b, "e") && !ends_with(b, "ee") && b.size() > 2) return chop(b, 1) + "ing";
  return b + "ing";
}

LexNoun parse_noun(const Line& l) {
  LexNoun n;
  n.en = l.at(0);
  n.en_plural = l.form(1, english_plural(n.en));
  n.fr = l.at(2);
  const std::string& g = l.at(3);
  if (g != "m" && g != "f") l.fail("gender must be m or f, not \"" + g + "\"");
  n.gender = g[0];
  n.fr_plural = l.form(4, french_plural(n.fr));
  n.semantic_class = l.at(5);
  n.fr_feminine = l.opt(6);
  for (const auto& flag : list(l.opt(7))) {
    if (flag == "mass") n.mass = true;
    else if (flag == "h") n.aspirated_h = true;
    else l.fail("unknown noun flag \"" + flag + "\"");
  }
  n.held_out = is_held_out_word(n.en);
  return n;
}

LexAdjective parse_adjective(const Line& l) {
  LexAdjective a;
  a.en = l.at(0);
  const auto rule = french_adjective_forms(l.at(1));
  a.fr[0] = rule[0];
  a.fr[1] = l.form(2, rule[1]);
  a.fr[2] = l.form(3, rule[2]);
  a.fr[3] = l.form(4, french_adjective_forms(a.fr[1])[2]);
  if (!l.opt(4).empty()) a.fr[3] = l.opt(4);
  const std::string& pos = l.at(5);
  if (pos != "pre" && pos != "post") l.fail("position must be pre or post, not \"" + pos + "\"");
  a.before_noun = pos == "pre";
  a.applies_to = l.at(6);
  a.fr_before_vowel = l.opt(7);
  a.held_out = is_held_out_word(a.en);
  return a;
}

}  // namespace

void conjugate_french(LexVerb& v, const std::string& spec, const std::string& where);

namespace {

LexVerb parse_verb(const Line& l) {
  LexVerb v;
  v.en_base = l.at(0);
  // "listen to": the rules inflect the verb and keep the particle
  const std::size_t sp = v.en_base.find(' ');
  const std::string head = v.en_base.substr(0, sp);
  const std::string particle = sp == std::string::npos ? "" : v.en_base.substr(sp);
  v.en_3sg = l.form(1, en_3sg(head) + particle);
  v.en_past = l.form(2, en_past(head) + particle);
  v.en_participle = l.form(3, v.en_past);
  v.en_ing = l.form(4, en_ing(head) + particle);
  v.fr_infinitive = l.at(5);
  const std::string& aux = l.at(6);
  if (aux != "avoir" && aux != "être") l.fail("auxiliary must be avoir or être, not \"" + aux + "\"");
  v.pronominal = l.at(7) == "se";
  v.etre = aux == "être" || v.pronominal;
  v.frame = l.at(8);
  static const std::vector<std::string> frames{"intr", "tr", "motion", "copula", "have"};
  if (std::find(frames.begin(), frames.end(), v.frame) == frames.end()) l.fail("unknown frame \"" + v.frame + "\"");
  v.subjects = list(l.at(9));
  v.objects = list(l.opt(10));
  if (v.frame == "tr" && v.objects.empty()) l.fail("a transitive verb needs object classes");
  conjugate_french(v, l.opt(11), l.where);
  for (const auto& flag : list(l.opt(12))) {
    if (flag == "stative") v.stative = true;
    else l.fail("unknown verb flag \"" + flag + "\"");
  }
  return v;
}

std::vector<fs::path> files_with_prefix(const fs::path& dir, const std::string& prefix) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && ends_with(name, ".tsv")) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());  // directory order is unspecified; the corpus must not depend on it
  return out;
}

}  // namespace

std::string english_plural(const std::string& s) {
  if (ends_with(s, "s") || ends_with(s, "sh") || ends_with(s, "ch") || ends_with(s, "x") || ends_with(s, "z"))
    return s + "es";
  if (s.size() > 1 && s.back() == 'y' && !is_vowel(s[s.size() - 2])) return chop(s, 1) + "ies";
  return s + "s";
}

std::string french_plural(const std::string& s) {
  if (ends_with(s, "s") || ends_with(s, "x") || ends_with(s, "z")) return s;
  if (ends_with(s, "al")) return chop(s, 2) + "aux";
  if (ends_with(s, "eau") || ends_with(s, "au") || ends_with(s, "eu")) return s + "x";
  return s + "s";
}

std::array<std::string, 4> french_adjective_forms(const std::string& m) {
  std::string f;
  if (ends_with(m, "e")) f = m;
  else if (ends_with(m, "eux")) f = chop(m, 1) + "se";
  else if (ends_with(m, "if")) f = chop(m, 1) + "ve";
  else if (ends_with(m, "er")) f = chop(m, 2) + "ère";
  else if (ends_with(m, "el") || ends_with(m, "en") || ends_with(m, "on")) f = m + m.back() + "e";
  else f = m + "e";
  std::string mpl;
  if (ends_with(m, "s") || ends_with(m, "x")) mpl = m;
  else if (ends_with(m, "al")) mpl = chop(m, 2) + "aux";
  else if (ends_with(m, "eau")) mpl = m + "x";
  else mpl = m + "s";
  return {m, f, mpl, f + "s"};
}

bool is_held_out_word(const std::string& english) {
  // The tutorials' sentences ("The black cat sat on the mat.", "I am a
  // student.") must be made of words the model was trained on.
  static const std::set<std::string> seed_words = {"black", "cat", "mat", "student"};
  if (seed_words.count(english)) return false;
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a: fixed across platforms and releases
  for (unsigned char c : english) h = (h ^ c) * 1099511628211ull;
  h ^= h >> 29;
  return h % 20 == 7;  // one word in twenty
}

ParallelLexicon load_parallel_lexicon(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw Error(ErrorKind::NotFound, dir.string() + ": lexicon folder not found");
  ParallelLexicon lex;
  for (const auto& p : files_with_prefix(dir, "nouns"))
    for (const auto& l : read_tsv(p, 6)) lex.nouns.push_back(parse_noun(l));
  for (const auto& p : files_with_prefix(dir, "adjectives"))
    for (const auto& l : read_tsv(p, 7)) lex.adjectives.push_back(parse_adjective(l));
  for (const auto& p : files_with_prefix(dir, "verbs"))
    for (const auto& l : read_tsv(p, 10)) lex.verbs.push_back(parse_verb(l));
  for (const auto& p : files_with_prefix(dir, "names"))
    for (const auto& l : read_tsv(p, 2)) {
      if (l.at(1) != "m" && l.at(1) != "f") l.fail("gender must be m or f");
      lex.names.push_back({l.at(0), l.at(1)[0]});
    }
  if (lex.nouns.empty() || lex.verbs.empty()) throw Error(dir.string() + ": no nouns_*.tsv or verbs*.tsv entries");
  return lex;
}

fs::path default_lexicon_dir() { return fs::path(ATTNSCOPE_LEXICON_DIR); }

}  // namespace attnscope::train
