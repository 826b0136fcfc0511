// French conjugation by rule: -er verbs (with the spelling changes of
// manger, commencer, acheter, préférer, nettoyer), -ir verbs of the finir
// type and -re verbs of the vendre type. Irregular verbs spell out what the
// rules cannot produce: "present forms;participle;future stem", any part "-".
#include <sstream>

#include "core/error.h"
#include "train/parallel_lexicon.h"

namespace attnscope::train {
namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}
std::string chop(const std::string& s, std::size_t n) { return s.substr(0, s.size() - n); }

// The stem of the singular and third-plural forms of an -er verb, where
// "acheter" becomes "achèt" and "nettoyer" "nettoi".
// `acute` tells whether the changed vowel was é (préférer keeps it in the future).
std::string strong_er_stem(const std::string& stem, bool& acute) {
  acute = false;
  if (ends_with(stem, "oy") || ends_with(stem, "uy") || ends_with(stem, "ay")) return chop(stem, 1) + "i";
  // e or é in the last syllable before a single consonant (acheter, lever, préférer, répéter)
  const std::size_t n = stem.size();
  for (const std::string& e : {std::string("é"), std::string("e")}) {
    for (std::size_t cons : {1u, 2u}) {
      if (n < e.size() + cons + 1) continue;
      const std::size_t at = n - cons - e.size();
      if (stem.compare(at, e.size(), e) != 0) continue;
      const std::string tail = stem.substr(n - cons);
      const bool single = cons == 1 || tail == "vr" || tail == "tr" || tail == "br" || tail == "gl" || tail == "ch";
      if (single && tail.find_first_of("aeiouyé") == std::string::npos && at > 0) {
        acute = e != "e";
        return stem.substr(0, at) + "è" + tail;
      }
    }
  }
  return stem;
}

void conjugate_er(LexVerb& v) {
  const std::string stem = chop(v.fr_infinitive, 2);
  bool acute = false;
  const std::string strong = strong_er_stem(stem, acute);
  std::string nous = stem;
  if (ends_with(stem, "g")) nous += "e";
  if (ends_with(stem, "c")) nous = chop(stem, 1) + "ç";
  v.fr_present = {strong + "e", strong + "es", strong + "e", nous + "ons", stem + "ez", strong + "ent"};
  v.fr_participle = stem + "é";
  // achèterai, nettoierai, but préférerai: only the mute e and y change
  v.fr_future_stem = (acute ? stem : strong) + "er";
}

void conjugate_ir(LexVerb& v) {
  const std::string stem = chop(v.fr_infinitive, 2);
  v.fr_present = {stem + "is", stem + "is", stem + "it", stem + "issons", stem + "issez", stem + "issent"};
  v.fr_participle = stem + "i";
  v.fr_future_stem = v.fr_infinitive;
}

void conjugate_re(LexVerb& v) {
  const std::string stem = chop(v.fr_infinitive, 2);
  v.fr_present = {stem + "s", stem + "s", stem, stem + "ons", stem + "ez", stem + "ent"};
  v.fr_participle = stem + "u";
  v.fr_future_stem = chop(v.fr_infinitive, 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  return out;
}

}  // namespace

void conjugate_french(LexVerb& v, const std::string& spec, const std::string& where) {
  const std::string& inf = v.fr_infinitive;
  if (ends_with(inf, "er")) conjugate_er(v);
  else if (ends_with(inf, "ir")) conjugate_ir(v);
  else if (ends_with(inf, "re")) conjugate_re(v);
  else if (spec.empty()) throw Error(where + ": \"" + inf + "\" needs its forms spelled out");
  if (spec.empty()) return;
  const auto parts = split(spec, ';');
  if (parts.size() != 3) throw Error(where + ": conjugation must be \"present forms;participle;future stem\"");
  if (parts[0] != "-") {
    const auto forms = split(parts[0], ',');
    if (forms.size() != 6) throw Error(where + ": six present forms expected (je tu il nous vous ils)");
    for (int i = 0; i < 6; ++i) v.fr_present[static_cast<std::size_t>(i)] = forms[static_cast<std::size_t>(i)];
  }
  if (parts[1] != "-") v.fr_participle = parts[1];
  if (parts[2] != "-") v.fr_future_stem = parts[2];
}

}  // namespace attnscope::train
