// "Shuffle words": the input's words in a random order, to show that without
// positions attention only follows the words around.
#pragma once
#include <cstdint>
#include <string>

namespace attnscope {

// The whitespace-separated words of `text` in an order drawn from `seed`,
// joined by single spaces. Punctuation stays with its word. With two or more
// distinct words the order always differs from the original.
std::string shuffle_words(const std::string& text, std::uint32_t seed);

}  // namespace attnscope
