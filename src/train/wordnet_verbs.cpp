#include "train/wordnet_verbs.h"

#include <algorithm>
#include <string_view>

namespace attnscope::train::corpus {
namespace {

// Lexicographer files of things a person or an animal does: verb.body,
// communication, competition, consumption, contact, emotion, motion,
// perception, social.
bool doing_file(int lexicographer_file) {
  static const std::set<int> files = {29, 32, 33, 34, 35, 37, 38, 39, 41};
  return files.count(lexicographer_file) > 0;
}

constexpr int kSomebodyFrame = 2;  // "Somebody ----s": intransitive, animate subject

// True when one of the verb's two most frequent senses is something a
// person or an animal does on its own.
bool intransitive_doing(const WordNet& wn, const std::vector<std::uint32_t>& senses) {
  for (std::size_t k = 0; k < senses.size() && k < 2; ++k) {
    const Synset& s = wn.synset(senses[k]);
    if (doing_file(s.lexicographer_file) && std::count(s.frames.begin(), s.frames.end(), kSomebodyFrame)) return true;
  }
  return false;
}

bool ends_with(std::string_view word, std::string_view tail) {
  return word.size() > tail.size() && word.substr(word.size() - tail.size()) == tail;
}

bool vowel(char c) { return std::string_view("aeiou").find(c) != std::string_view::npos; }

// "stop" -> "stopped": a short word ending consonant-vowel-consonant.
bool doubles_last(const std::string& base) {
  const std::size_t n = base.size();
  return n >= 3 && n <= 4 && !vowel(base[n - 1]) && vowel(base[n - 2]) && !vowel(base[n - 3]) &&
         std::string_view("wxy").find(base[n - 1]) == std::string_view::npos;
}

std::string regular_past(const std::string& base) {
  if (ends_with(base, "e")) return base + "d";
  if (ends_with(base, "y") && !vowel(base[base.size() - 2])) return base.substr(0, base.size() - 1) + "ied";
  if (doubles_last(base)) return base + base.back() + "ed";
  return base + "ed";
}

// Hand-written verbs, by their base forms.
std::set<std::string> bases_of(const Lexicon& lex) {
  std::set<std::string> out;
  for (const Verb& v : lex.subject_verbs) out.insert(v.plural);
  return out;
}

bool shares_synset(const WordNet& wn, const std::string& base, const std::set<std::uint32_t>& synsets) {
  for (std::uint32_t s : wn.senses(base))
    if (synsets.count(s)) return true;
  return false;
}

// Leaves verbs out that are not things a subject does by itself.
bool auxiliary(const std::string& base) {
  static const std::set<std::string> words = {"be", "have", "do", "get", "let", "make", "seem", "become"};
  return words.count(base) > 0;
}

}  // namespace

std::string third_person_of(const std::string& base) {
  if (ends_with(base, "s") || ends_with(base, "x") || ends_with(base, "z") || ends_with(base, "ch") || ends_with(base, "sh") ||
      ends_with(base, "o"))
    return base + "es";
  if (ends_with(base, "y") && !vowel(base[base.size() - 2])) return base.substr(0, base.size() - 1) + "ies";
  return base + "s";
}

std::string past_of(const WordNet& verbs, const std::string& base, const std::set<std::string>& known) {
  std::vector<std::string> irregular;
  for (const std::string& form : verbs.irregular_forms(base))
    if (!ends_with(form, "ing") && form != third_person_of(base)) irregular.push_back(form);
  // A participle ("gone", "ridden", "lain") gives way to the past beside it.
  if (std::count_if(irregular.begin(), irregular.end(), [](const std::string& f) { return !ends_with(f, "n"); }) > 0)
    std::erase_if(irregular, [](const std::string& f) { return ends_with(f, "n"); });
  std::sort(irregular.begin(), irregular.end());
  for (const std::string& form : irregular)
    if (known.count(form)) return form;
  const std::string regular = regular_past(base);
  return known.count(regular) ? regular : "";
}

void add_wordnet_verbs(const WordNet& verbs, const std::set<std::string>& known, WordNetSplit& split) {
  const std::set<std::string> hand_training = bases_of(split.training), hand_held = bases_of(split.held_out);
  const std::set<std::uint32_t> held_synsets = synsets_of(verbs, hand_held);
  std::set<std::uint32_t> training_synsets = synsets_of(verbs, hand_training);
  std::vector<std::pair<std::string, Verb>> held;
  const std::size_t hand_written_count = split.training.subject_verbs.size();
  for (const auto& [base, senses] : verbs.index()) {
    if (hand_training.count(base) || hand_held.count(base) || auxiliary(base) || !plain_word(base)) continue;
    if (!intransitive_doing(verbs, senses)) continue;
    const Verb verb{past_of(verbs, base, known), third_person_of(base), base, ""};
    if (verb.past.empty() || !known.count(verb.singular)) continue;
    const bool is_held = shares_synset(verbs, base, held_synsets) || in_hashed_held_out_half(senses.front());
    if (is_held) {
      held.emplace_back(base, verb);
      continue;
    }
    split.training.subject_verbs.push_back(verb);
    for (std::uint32_t s : senses) training_synsets.insert(s);
    ++split.training_verbs;
  }
  // The hand-written halves predate the split: "weep" shares a synset with
  // the training half's "cry", so it leaves the held-out half here.
  std::erase_if(split.held_out.subject_verbs, [&](const Verb& v) { return shares_synset(verbs, v.plural, training_synsets); });
  for (const auto& [base, verb] : held)
    if (!shares_synset(verbs, base, training_synsets)) {
      split.held_out.subject_verbs.push_back(verb);
      ++split.held_out_verbs;
    }
  // The hand-written verbs are the common ones ("sat" in "The cat sat on the
  // mat"); repeated, they stay about half of the draws.
  const std::vector<Verb> hand_written(split.training.subject_verbs.begin(), split.training.subject_verbs.begin() + hand_written_count);
  const std::size_t copies = hand_written.empty() ? 0 : static_cast<std::size_t>(split.training_verbs) / hand_written.size();
  for (std::size_t k = 0; k < copies; ++k)
    split.training.subject_verbs.insert(split.training.subject_verbs.end(), hand_written.begin(), hand_written.end());
}

}  // namespace attnscope::train::corpus
