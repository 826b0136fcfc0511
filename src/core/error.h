// Errors meant for a person: each message names the file, tensor or field at
// fault and, where it helps, what was expected instead.
#pragma once
#include <stdexcept>
#include <string>

namespace attnscope {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Adds the stage that failed in front of a lower-level message, the way a
// loader says "error loading model hyperparameters: ...".
[[noreturn]] inline void rethrow_with_context(const std::string& context, const std::exception& e) {
  throw Error(context + ": " + e.what());
}

}  // namespace attnscope
