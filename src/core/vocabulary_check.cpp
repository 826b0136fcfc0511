#include "vocabulary_check.h"

#include "error.h"
#include "tokenizer.h"

namespace attnscope {

void check_vocabulary_size(const std::string& source, const Tokenizer& tokenizer, int vocab_size,
                           std::vector<std::string>* warnings) {
  const long tokens = tokenizer.vocab_size(), table = vocab_size;
  const std::string sizes = "tokenizer has " + std::to_string(tokens) + " tokens but the model's vocab_size is " +
                            std::to_string(table);
  if (tokens > table) throw Error(ErrorKind::OutOfRange, source + ": " + sizes);
  const long padded = (tokens + 127) / 128 * 128;
  if (table <= padded) return;
  if (tokens * 2 < table)
    throw Error(ErrorKind::OutOfRange, source + ": " + sizes + " (is this the model's own tokenizer?)");
  warnings->push_back(source + ": " + sizes + "; ids from " + std::to_string(tokens) + " up are never produced");
}

}  // namespace attnscope
