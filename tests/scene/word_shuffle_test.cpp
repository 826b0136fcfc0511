#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <vector>

#include "scene/word_shuffle.h"

namespace attnscope {
namespace {

std::vector<std::string> sorted_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  std::sort(words.begin(), words.end());
  return words;
}

TEST(WordShuffle, KeepsEveryWordAndChangesTheOrder) {
  const std::string text = "The animal didn't cross the street because it was too tired.";
  for (std::uint32_t seed = 0; seed < 50; ++seed) {
    const std::string shuffled = shuffle_words(text, seed);
    EXPECT_EQ(sorted_words(shuffled), sorted_words(text));
    EXPECT_NE(shuffled, text);
  }
}

TEST(WordShuffle, SameSeedSameOrder) { EXPECT_EQ(shuffle_words("a b c d e", 7), shuffle_words("a b c d e", 7)); }

TEST(WordShuffle, NothingToShuffle) {
  EXPECT_EQ(shuffle_words("", 1), "");
  EXPECT_EQ(shuffle_words("  word \n", 1), "word");
  EXPECT_EQ(shuffle_words("x x x", 1), "x x x");
}

}  // namespace
}  // namespace attnscope
