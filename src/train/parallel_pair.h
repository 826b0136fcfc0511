// One English -> French sentence pair of the generated parallel corpus, with
// its word alignment. The generator knows every link exactly, so the pairs
// can both train a translation model and judge its cross-attention heads.
//
// A "word" is a byte span of the sentence text: punctuation is not a word,
// and French elisions are words of their own ("s'" and "est" in "s'est").
#pragma once
#include <string>
#include <vector>

namespace attnscope::train {

struct WordSpan {
  int begin = 0, end = 0;  // bytes [begin, end) of the sentence text
};

struct WordLink {
  int source_word = 0;  // index into ParallelPair::source_words
  int target_word = 0;  // index into ParallelPair::target_words
  // True when the link's order differs from another link's: "black cat" ->
  // "chat noir" makes black->noir and cat->chat crossing links.
  bool crossing = false;
};

struct ParallelPair {
  std::string source;                    // "The black cat sat on the mat."
  std::string target;                    // "Le chat noir s'est assis sur le tapis."
  std::vector<WordSpan> source_words;
  std::vector<WordSpan> target_words;
  std::vector<WordLink> links;           // a word may have several links, or none
};

}  // namespace attnscope::train
