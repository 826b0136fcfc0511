#include "train/wordnet_lexicon.h"

#include <cctype>
#include <map>
#include <utility>

namespace attnscope::train::corpus {
namespace {

// Classes the schemas draw candidates from, and the WordNet synsets
// (lemma#sense) whose hyponyms belong to them. A word joins a class only
// through its most frequent sense, so "mouse" is an animal, not a device.
const std::map<std::string, std::vector<std::pair<std::string, int>>>& class_roots() {
  static const std::map<std::string, std::vector<std::pair<std::string, int>>> roots = {
      {"animal", {{"animal", 1}}},
      {"person", {{"person", 1}}},
      {"food", {{"food", 2}, {"edible_fruit", 1}, {"vegetable", 1}, {"dish", 2}, {"baked_goods", 1}}},
      {"container", {{"container", 1}}},
      {"small_object", {{"toy", 1}, {"musical_instrument", 1}, {"kitchen_utensil", 1}, {"hand_tool", 1}}},
      {"barrier", {{"thoroughfare", 1}, {"stream", 1}, {"road", 1}, {"bridge", 1}}},
      {"heavy_object", {{"furniture", 1}, {"home_appliance", 1}}},
      {"fragile", {{"tableware", 1}, {"glassware", 1}}},
      {"predator", {{"carnivore", 1}, {"bird_of_prey", 1}}},
      {"prey", {{"rodent", 1}, {"lagomorph", 1}, {"passerine", 1}}},
      {"far_thing", {{"ship", 1}, {"aircraft", 1}, {"tower", 1}}},
      {"big_animal", {{"bear", 1}, {"big_cat", 1}, {"pachyderm", 1}}},
  };
  return roots;
}

// Words of the hand-written lexicon halves.
std::set<std::string> words_of(const Lexicon& lex) {
  std::set<std::string> out;
  for (const auto& [name, list] : lex.classes)
    for (const Noun& n : list) out.insert(n.singular);
  return out;
}

Kind kind_of(const std::string& cls) {
  return cls == "person" ? Kind::Person : cls == "animal" || cls == "predator" || cls == "prey" || cls == "big_animal" ? Kind::Animal : Kind::Thing;
}

char gender_of(const WordNet& wn, std::uint32_t first_sense) {
  if (wn.is_a(first_sense, wn.sense("male", 2))) return 'm';
  if (wn.is_a(first_sense, wn.sense("female", 2))) return 'f';
  return '?';
}

// The last word of a reason ("{p} {p.was} too tired" -> "tired"), if it is
// a single plain word.
std::string reason_adjective(const std::string& reason) {
  const auto space = reason.rfind(' ');
  const std::string last = space == std::string::npos ? reason : reason.substr(space + 1);
  return plain_word(last) ? last : "";
}

// The synsets of an adjective's first sense's cluster: its head and the head's satellites.
std::vector<std::uint32_t> cluster_of(const WordNet& adj, const std::string& word) {
  const auto& senses = adj.senses(word);
  if (senses.empty()) return {};
  std::uint32_t head = senses.front();
  const Synset& first = adj.synset(head);
  if (first.similar.size() == 1 && adj.synset(first.similar.front()).similar.size() > 1) head = first.similar.front();
  std::vector<std::uint32_t> out{head};
  for (std::uint32_t s : adj.synset(head).similar) out.push_back(s);
  return out;
}

struct Builder {
  const WordNet& nouns;
  const WordNet& adjectives;
  const std::set<std::string>& known;
  std::set<std::uint32_t> held_noun_synsets, held_adjective_synsets;
  std::set<std::string> hand_written;

  bool usable(const std::string& lemma, const WordNet& wn) const {
    return plain_word(lemma) && (known.count(lemma) || wn.tagged_count(lemma) > 0);
  }
  bool held_out(std::uint32_t synset) const { return held_noun_synsets.count(synset) || in_hashed_held_out_half(synset); }

  // Adds each usable lemma whose first sense descends from the class's roots
  // to the training or held-out lexicon, by its first sense's synset.
  void add_nouns(const std::string& cls, WordNetSplit& split) {
    std::vector<std::uint32_t> roots;
    for (const auto& [lemma, number] : class_roots().at(cls)) roots.push_back(nouns.sense(lemma, number));
    for (const auto& [lemma, senses] : nouns.index()) {
      if (hand_written.count(lemma) || !usable(lemma, nouns)) continue;
      const std::uint32_t first = senses.front();
      if (nouns.synset(first).instance) continue;
      bool in_class = false;
      for (std::uint32_t r : roots) in_class = in_class || nouns.is_a(first, r);
      if (!in_class) continue;
      bool any_held = false;  // a word with a held-out sense is never trained on
      for (std::uint32_t s : senses) any_held = any_held || held_noun_synsets.count(s);
      const bool held = any_held || held_out(first);
      Noun n{lemma, plural_of(nouns, lemma), kind_of(cls) == Kind::Person ? gender_of(nouns, first) : 'n', kind_of(cls)};
      (held ? split.held_out : split.training).classes[cls].push_back(n);
      ++(held ? split.held_out_nouns : split.training_nouns);
    }
  }

  // Each training reason ending in an adjective gains the training members of
  // its similar-to cluster: "{p} {p.was} too tired" -> "... too weary".
  void add_reasons(std::vector<std::string>& reasons, WordNetSplit& split) {
    const std::vector<std::string> original = reasons;
    for (const std::string& reason : original) {
      const std::string word = reason_adjective(reason);
      if (word.empty()) continue;
      int added = 0;
      for (std::uint32_t s : cluster_of(adjectives, word)) {
        if (held_adjective_synsets.count(s)) continue;
        for (const std::string& lemma : adjectives.synset(s).lemmas) {
          if (lemma == word || !usable(lemma, adjectives) || added >= 3) continue;
          reasons.push_back(reason.substr(0, reason.size() - word.size()) + lemma);
          ++added;
          ++split.training_reasons;
        }
      }
    }
  }
};

// The hand-written nouns are the common ones a teacher's sentences use; they
// are repeated so that they still make up about half of each class's draws.
void keep_hand_written_common(Lexicon& lex, const Lexicon& hand_written) {
  for (auto& [cls, list] : lex.classes) {
    const auto base = hand_written.classes.find(cls);
    if (base == hand_written.classes.end() || base->second.empty()) continue;
    const std::size_t added = list.size() - base->second.size();
    for (std::size_t copies = 1; copies * base->second.size() < added; ++copies)
      list.insert(list.end(), base->second.begin(), base->second.end());
  }
}

// The hand-written halves predate the synset split: a few held-out words are
// synonyms of training ones (grandpa ~ grandfather, biscuit ~ cookie). They
// leave the held-out half, so that new-word scores measure new meanings.
void drop_synonyms_of_training(Lexicon& held_out, const WordNet& wn, const std::set<std::uint32_t>& training_synsets) {
  for (auto& [cls, list] : held_out.classes)
    std::erase_if(list, [&](const Noun& n) {
      for (std::uint32_t s : wn.senses(n.singular))
        if (training_synsets.count(s)) return true;
      return false;
    });
}

void rebuild_joint_class(Lexicon& lex) {
  std::vector<Noun> joint = lex.classes["animal"];
  const auto& people = lex.classes["person"];
  joint.insert(joint.end(), people.begin(), people.end());
  lex.classes["animal+person"] = std::move(joint);
}

std::set<std::string> held_out_adjectives(const Lexicon& held_out) {
  std::set<std::string> out;
  for (const Schema& s : held_out.schemas)
    for (const auto* list : {&s.reasons_a, &s.reasons_b})
      for (const std::string& r : *list)
        if (const std::string w = reason_adjective(r); !w.empty()) out.insert(w);
  return out;
}

}  // namespace

bool plain_word(const std::string& w) {
  if (w.size() < 3 || w.size() > 14) return false;
  for (char c : w)
    if (!std::islower(static_cast<unsigned char>(c))) return false;
  return true;
}

std::set<std::uint32_t> synsets_of(const WordNet& wn, const std::set<std::string>& words) {
  std::set<std::uint32_t> out;
  for (const std::string& w : words)
    for (std::uint32_t s : wn.senses(w)) out.insert(s);
  return out;
}

bool in_hashed_held_out_half(std::uint32_t synset) {
  std::uint64_t x = synset * 0x9E3779B97F4A7C15ull;
  x ^= x >> 31;
  return (x * 0xBF58476D1CE4E5B9ull) % 2 == 1;
}

std::string plural_of(const WordNet& nouns, const std::string& singular) {
  const auto irregular = nouns.irregular().find(singular);
  if (irregular != nouns.irregular().end()) return irregular->second;
  const auto ends = [&](const std::string& tail) {
    return singular.size() > tail.size() && singular.compare(singular.size() - tail.size(), tail.size(), tail) == 0;
  };
  if (ends("s") || ends("x") || ends("z") || ends("ch") || ends("sh")) return singular + "es";
  if (ends("y") && std::string("aeiou").find(singular[singular.size() - 2]) == std::string::npos)
    return singular.substr(0, singular.size() - 1) + "ies";
  return singular + "s";
}

std::set<std::string> common_words(const std::string& text, int min_count) {
  std::map<std::string, int> counts;
  std::string word;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ' ';
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      ++counts[word];
      word.clear();
    }
  }
  std::set<std::string> out;
  for (const auto& [w, n] : counts)
    if (n >= min_count) out.insert(w);
  return out;
}

WordNetSplit wordnet_split(const WordNet& nouns, const WordNet& adjectives, const std::set<std::string>& known) {
  WordNetSplit split{lexicon(false), lexicon(true)};
  Builder b{nouns, adjectives, known, {}, {}, {}};
  b.held_noun_synsets = synsets_of(nouns, words_of(split.held_out));
  b.held_adjective_synsets = synsets_of(adjectives, held_out_adjectives(split.held_out));
  b.hand_written = words_of(split.training);
  b.hand_written.merge(words_of(split.held_out));
  for (const auto& [cls, roots] : class_roots()) b.add_nouns(cls, split);
  for (Schema& schema : split.training.schemas) {
    b.add_reasons(schema.reasons_a, split);
    b.add_reasons(schema.reasons_b, split);
  }
  std::set<std::uint32_t> training_synsets;
  for (const auto& [cls, list] : split.training.classes)
    for (const Noun& n : list)
      for (std::uint32_t s : nouns.senses(n.singular)) training_synsets.insert(s);
  drop_synonyms_of_training(split.held_out, nouns, training_synsets);
  Lexicon hand_written_held_out = lexicon(true);
  drop_synonyms_of_training(hand_written_held_out, nouns, training_synsets);
  keep_hand_written_common(split.training, lexicon(false));
  keep_hand_written_common(split.held_out, hand_written_held_out);
  rebuild_joint_class(split.training);
  rebuild_joint_class(split.held_out);
  return split;
}

}  // namespace attnscope::train::corpus
