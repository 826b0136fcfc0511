// Does the tokenizer fit the model's embedding table? Shared by every loader
// that reads a tokenizer beside a config's vocab_size.
#pragma once
#include <string>
#include <vector>

namespace attnscope {

class Tokenizer;

// A tokenizer larger than the embedding table would index past it: an Error.
// A smaller one is what Hugging Face accepts for tables padded to a round
// size, so it passes silently up to the next multiple of 128 and with a
// warning (appended to `warnings`) up to twice the vocabulary; beyond that it
// is almost surely the wrong file, and every word would become an unknown
// token: an Error. Messages start with `source`.
void check_vocabulary_size(const std::string& source, const Tokenizer& tokenizer, int vocab_size,
                           std::vector<std::string>* warnings);

}  // namespace attnscope
