// Internal to the corpus renderer: a sentence under construction. English
// words are final when added; French words may still change with the word
// that follows them (le -> l', ma -> mon, à le -> au), so they are resolved
// right to left once the sentence is complete.
#pragma once
#include <algorithm>
#include <string>
#include <vector>

#include "train/parallel_pair.h"

namespace attnscope::train::detail {

struct FrenchItem {
  std::string text;
  std::string before_vowel;  // the form used before a vowel or mute h; empty: same
  std::vector<int> links;    // English word indices
  bool aspirated_h = false;  // this word blocks elision of the one before it
  // A preposition "à" or "de" fused with a definite article: au, aux, du,
  // des, à la, de l'... `links` belong to the article, `prep_links` to the
  // preposition.
  char contraction = 0;  // 0, 'a' (à) or 'd' (de)
  std::vector<int> prep_links;
  char gender = 'm';
  bool plural = false;
};

struct Sentence {
  std::vector<std::string> english;
  std::vector<FrenchItem> french;
  int en(const std::string& word) {
    english.push_back(word);
    return static_cast<int>(english.size()) - 1;
  }
  FrenchItem& fr(const std::string& text, std::vector<int> links = {}, const std::string& before_vowel = {}) {
    FrenchItem item;
    item.text = text;
    item.before_vowel = before_vowel;
    item.links = std::move(links);
    french.push_back(std::move(item));
    return french.back();
  }
  // A multi-word noun ("ice cream", "pomme de terre"): every word carries the links.
  std::vector<int> en_words(const std::string& text) {
    std::vector<int> out;
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t sp = std::min(text.find(' ', start), text.size());
      out.push_back(en(text.substr(start, sp - start)));
      start = sp + 1;
    }
    return out;
  }
  void fr_words(const std::string& text, const std::vector<int>& links, bool aspirated_h) {
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t sp = std::min(text.find(' ', start), text.size());
      fr(text.substr(start, sp - start), links).aspirated_h = aspirated_h && start == 0;
      start = sp + 1;
    }
  }
  // Adds English word `e` to the links of French items [from, to).
  void link(int e, std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) french[i].links.push_back(e);
  }
};

ParallelPair finish(const Sentence& s);

}  // namespace attnscope::train::detail
