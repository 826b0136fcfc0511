// From words to text: French forms that depend on the next word, spans,
// crossing links.
#include <algorithm>

#include "train/parallel_corpus.h"
#include "train/parallel_sentence.h"

namespace attnscope::train {
namespace {

struct FinalWord {
  std::string text;
  std::vector<int> links;
  bool aspirated_h = false;
};

bool starts_with_vowel_sound(const FinalWord& w) {
  if (w.aspirated_h || w.text.empty()) return false;
  const unsigned char c = static_cast<unsigned char>(w.text[0]);
  if (std::string_view("aeiouhAEIOUH").find(static_cast<char>(c)) != std::string_view::npos) return true;
  // é è ê à â î ô û É È Ê À Â Î Ô Û Œ œ: all two-byte UTF-8 after 0xC3 or 0xC5
  if (c == 0xC5 && w.text.size() > 1) return true;
  if (c != 0xC3 || w.text.size() < 2) return false;
  const unsigned char d = static_cast<unsigned char>(w.text[1]);
  return std::string_view("\x80\x82\x88\x89\x8A\x8E\x94\x9B\xA0\xA2\xA8\xA9\xAA\xAB\xAE\xAF\xB4\xBB").find(static_cast<char>(d)) !=
         std::string_view::npos;
}

void emit_contraction(const detail::FrenchItem& it, bool vowel, std::vector<FinalWord>& out) {
  const bool a = it.contraction == 'a';
  std::vector<int> both = it.prep_links;
  both.insert(both.end(), it.links.begin(), it.links.end());
  if (it.plural) return out.push_back({a ? "aux" : "des", both});
  if (!vowel && it.gender == 'm') return out.push_back({a ? "au" : "du", both});
  // pushed in reverse: the list is built right to left
  out.push_back({vowel ? "l'" : "la", it.links});
  out.push_back({a ? "à" : "de", it.prep_links});
}

std::string capitalised(std::string s) {
  if (s.empty()) return s;
  const unsigned char c = static_cast<unsigned char>(s[0]);
  if (c >= 'a' && c <= 'z') s[0] = static_cast<char>(c - 32);
  else if (c == 0xC3 && s.size() > 1 && static_cast<unsigned char>(s[1]) >= 0xA0 && static_cast<unsigned char>(s[1]) <= 0xBE)
    s[1] = static_cast<char>(static_cast<unsigned char>(s[1]) - 0x20);
  return s;
}

}  // namespace

void assemble_side(const std::vector<std::string>& words, const std::string& final_punct, std::string& text,
                   std::vector<WordSpan>& spans) {
  text.clear();
  spans.clear();
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0 && text.back() != '\'') text += ' ';
    const int begin = static_cast<int>(text.size());
    text += i == 0 ? capitalised(words[i]) : words[i];
    spans.push_back({begin, static_cast<int>(text.size())});
  }
  text += final_punct;
}

void mark_crossing_links(std::vector<WordLink>& links) {
  for (auto& a : links) {
    a.crossing = std::any_of(links.begin(), links.end(), [&](const WordLink& b) {
      return (a.source_word - b.source_word) * (a.target_word - b.target_word) < 0;
    });
  }
}

namespace detail {

ParallelPair finish(const Sentence& s) {
  std::vector<FinalWord> rev;
  for (auto it = s.french.rbegin(); it != s.french.rend(); ++it) {
    const bool vowel = !rev.empty() && starts_with_vowel_sound(rev.back());
    if (it->contraction) {
      emit_contraction(*it, vowel, rev);
      continue;
    }
    const std::string& text = vowel && !it->before_vowel.empty() ? it->before_vowel : it->text;
    rev.push_back({text, it->links, it->aspirated_h});
  }
  ParallelPair p;
  std::vector<std::string> fr_words;
  for (auto it = rev.rbegin(); it != rev.rend(); ++it) {
    for (int e : it->links) p.links.push_back({e, static_cast<int>(fr_words.size())});
    fr_words.push_back(it->text);
  }
  std::sort(p.links.begin(), p.links.end(), [](const WordLink& a, const WordLink& b) {
    return a.source_word != b.source_word ? a.source_word < b.source_word : a.target_word < b.target_word;
  });
  p.links.erase(std::unique(p.links.begin(), p.links.end(),
                            [](const WordLink& a, const WordLink& b) {
                              return a.source_word == b.source_word && a.target_word == b.target_word;
                            }),
                p.links.end());
  mark_crossing_links(p.links);
  assemble_side(s.english, ".", p.source, p.source_words);
  assemble_side(fr_words, ".", p.target, p.target_words);
  return p;
}

}  // namespace detail
}  // namespace attnscope::train
