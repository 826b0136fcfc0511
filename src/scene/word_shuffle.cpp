#include "scene/word_shuffle.h"

#include <algorithm>
#include <functional>
#include <random>
#include <sstream>
#include <vector>

namespace attnscope {

std::string shuffle_words(const std::string& text, std::uint32_t seed) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) words.push_back(word);
  const std::vector<std::string> original = words;
  std::mt19937 rng(seed);
  const bool can_differ = std::adjacent_find(words.begin(), words.end(), std::not_equal_to<>()) != words.end();
  // A draw equal to the original would look like a broken button; draw again.
  do std::shuffle(words.begin(), words.end(), rng);
  while (can_differ && words == original);
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

}  // namespace attnscope
