#include "train/retold_stories.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/error.h"

namespace attnscope::train::corpus {
namespace {

// One item for about every kItemBytes of story: the share of item text in
// the generated stories the earlier causal model read.
constexpr std::size_t kItemBytes = 400;
constexpr double kSwapChance = 0.7;  // some of the story's own nouns stay

bool is_letter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool starts_with_vowel(const std::string& word) { return !word.empty() && std::string("aeiou").find(word[0]) != std::string::npos; }

// A story's words: byte spans of runs of letters.
std::vector<std::pair<std::size_t, std::size_t>> word_spans(const std::string& text) {
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (std::size_t i = 0; i < text.size();) {
    if (!is_letter(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_letter(text[end])) ++end;
    spans.emplace_back(i, end);
    i = end;
  }
  return spans;
}

// Swaps a story's nouns: a noun is chosen (or kept) where it first follows a
// determiner and is not the first half of a compound ("teddy bear"); then
// every form of it, wherever it stands, becomes the new noun.
class NounSwapper {
 public:
  NounSwapper(Rng& rng, const std::map<std::string, LexiconNoun>& nouns) : rng_(rng), nouns_(nouns) {}

  std::string run(const std::string& story) {
    const auto spans = word_spans(story);
    const auto word = [&](std::size_t k) { return story.substr(spans[k].first, spans[k].second - spans[k].first); };
    for (std::size_t k = 1; k < spans.size(); ++k) {
      const bool compound = k + 1 < spans.size() && nouns_.count(word(k + 1)) && story[spans[k].second] == ' ';
      if (after_determiner(lower(word(k - 1))) && !compound) choose(word(k));
    }
    std::string out;
    std::size_t copied = 0, previous_at = 0;
    std::string previous;  // the last word written, lowercase
    for (std::size_t k = 0; k < spans.size(); ++k) {
      out += story.substr(copied, spans[k].first - copied);
      const std::string original = word(k), replacement = swapped(original);
      if (replacement != original && (previous == "a" || previous == "an")) fix_article(out, previous_at, replacement);
      previous_at = out.size();
      previous = lower(replacement);
      out += replacement;
      copied = spans[k].second;
    }
    return out + story.substr(copied);
  }

 private:
  static bool after_determiner(const std::string& word) {
    static const std::set<std::string> determiners = {"the", "a", "an", "his", "her", "my", "your", "our", "their", "its", "this", "that", "some"};
    return determiners.count(word) > 0;
  }

  // "a" or "an" (capitalised as written) before the new noun.
  static void fix_article(std::string& out, std::size_t at, const std::string& noun) {
    const bool capital = std::isupper(static_cast<unsigned char>(out[at])) != 0;
    const std::size_t length = out[at + 1] == 'n' || out[at + 1] == 'N' ? 2 : 1;
    std::string article = starts_with_vowel(noun) ? "an" : "a";
    if (capital) article[0] = 'A';
    out.replace(at, length, article);
  }

  void choose(const std::string& word) {
    const auto found = nouns_.find(word);
    if (found == nouns_.end() || chosen_.count(found->second.singular)) return;
    const LexiconNoun& source = found->second;
    chosen_[source.singular] = !rng_.chance(kSwapChance) ? nullptr
                               : source.gender == 'n'   ? pick_countable(*source.cls, source.singular)
                                                        : pick_same_gender(source);
  }

  std::string swapped(const std::string& word) const {
    const auto found = nouns_.find(word);
    if (found == nouns_.end()) return word;
    const auto choice = chosen_.find(found->second.singular);
    if (choice == chosen_.end() || choice->second == nullptr) return word;
    return found->second.plural ? choice->second->plural : choice->second->singular;
  }

  // A noun with a plural (a mass noun after "a" would read wrong), or none.
  const Noun* pick_countable(const std::vector<Noun>& cls, const std::string& avoid) {
    for (int tries = 0; tries < 8; ++tries) {
      const Noun& n = rng_.pick(cls);
      if (!n.plural.empty() && n.singular != avoid) return &n;
    }
    return nullptr;
  }

  // A person noun of the source's gender with a plural, or none. Drawn from
  // the filtered list, where pick_countable's few tries would often miss a
  // gender; animals and things keep those tries, so their corpora stay the
  // same byte for byte.
  const Noun* pick_same_gender(const LexiconNoun& source) {
    std::vector<const Noun*> candidates;
    for (const Noun& n : *source.cls)
      if (n.gender == source.gender && !n.name && !n.plural.empty() && n.singular != source.singular) candidates.push_back(&n);
    return candidates.empty() ? nullptr : candidates[rng_.below(candidates.size())];
  }

  Rng& rng_;
  const std::map<std::string, LexiconNoun>& nouns_;
  std::map<std::string, const Noun*> chosen_;  // the story's singular -> its new noun (null: kept)
};

// Byte offsets where a sentence has ended and a space or line break follows.
std::vector<std::size_t> sentence_ends(const std::string& text) {
  std::vector<std::size_t> ends;
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (text[i] != ' ' && text[i] != '\n') continue;
    std::size_t k = i - 1;
    if (text[k] == '"' && k > 0) --k;  // after a closing quote
    if (text[k] == '.' || text[k] == '!' || text[k] == '?') ends.push_back(i);
  }
  return ends;
}

}  // namespace

std::map<std::string, LexiconNoun> swappable_nouns(const Lexicon& lex, bool people) {
  std::map<std::string, LexiconNoun> nouns;
  for (const auto& [name, cls] : lex.classes) {
    if (name.find('+') != std::string::npos) continue;  // a union of other classes
    for (const Noun& n : cls) {
      if ((n.kind == Kind::Person && !people) || n.name || n.plural.empty() || n.singular.find(' ') != std::string::npos) continue;
      const char gender = n.kind == Kind::Person ? n.gender : 'n';
      nouns.try_emplace(n.singular, LexiconNoun{&cls, false, n.singular, gender});
      nouns.try_emplace(n.plural, LexiconNoun{&cls, true, n.singular, gender});
    }
  }
  return nouns;
}

Document retell_story(Rng& rng, const Lexicon& lex, const std::map<std::string, LexiconNoun>& nouns,
                      const std::string& story) {
  Document doc{NounSwapper(rng, nouns).run(story), {}};
  const std::size_t items = std::max<std::size_t>(1, story.size() / kItemBytes);
  for (std::size_t n = 0; n < items; ++n) {
    const Item item = make_item(rng, lex);
    const bool named = rng.chance(0.5);
    const std::vector<std::size_t> ends = sentence_ends(doc.text);
    const std::size_t at = ends.empty() ? doc.text.size() : ends[rng.below(ends.size())];
    const std::string inserted = " " + (named ? item.named_again : item.text);
    for (Coreference& link : doc.links)
      if (link.pronoun.start >= at) link.pronoun = {link.pronoun.start + inserted.size(), link.pronoun.end + inserted.size()};
    if (!named) doc.links.push_back(link_at(item, at + 1));
    doc.text.insert(at, inserted);
  }
  std::sort(doc.links.begin(), doc.links.end(), [](const Coreference& a, const Coreference& b) { return a.pronoun.start < b.pronoun.start; });
  return doc;
}

Document retold_story(Rng& rng, const Lexicon& lex, const RetellSource& source) {
  if (source.stories.empty()) throw Error("corpus: no stories to retell");
  const std::string& story = rng.pick(source.stories);
  return retell_story(rng, lex, source.nouns, story);
}

}  // namespace attnscope::train::corpus
