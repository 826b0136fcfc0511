// The tutorials' black-cat sentence pair with its word alignment written out
// by hand, as a reference independent of the corpus generator.
#pragma once
#include "train/parallel_pair.h"

namespace attnscope::train {

// "The black cat sat on the mat." -> "Le chat noir s'est assis sur le tapis."
// black-noir and cat-chat cross; "sat" links to "s'", "est" and "assis".
inline ParallelPair black_cat_seed() {
  ParallelPair pair;
  pair.source = "The black cat sat on the mat.";
  pair.target = "Le chat noir s'est assis sur le tapis.";
  pair.source_words = {{0, 3}, {4, 9}, {10, 13}, {14, 17}, {18, 20}, {21, 24}, {25, 28}};
  pair.target_words = {{0, 2}, {3, 7}, {8, 12}, {13, 15}, {15, 18}, {19, 24}, {25, 28}, {29, 31}, {32, 37}};
  pair.links = {{0, 0, false}, {2, 1, true}, {1, 2, true}, {3, 3, false}, {3, 4, false},
                {3, 5, false}, {4, 6, false}, {5, 7, false}, {6, 8, false}};
  return pair;
}

}  // namespace attnscope::train
