// Errors meant for a person: each message names the file, tensor or field at
// fault and, where it helps, what was expected instead. The kind lets callers
// decide what to do (exit code, popup, keep going) without reading the text.
#pragma once
#include <stdexcept>
#include <string>

namespace attnscope {

enum class ErrorKind {
  BadFormat,    // a file or argument exists but its contents are wrong
  NotFound,     // a named file, folder, tensor, token or key is missing
  Unsupported,  // well-formed, but attnscope does not handle it
  OutOfRange,   // an index, count or size outside what the model allows
  Io,           // the operating system refused a read or write
  Usage,        // a command line that does not say what to do
};

const char* error_kind_name(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, ErrorKind kind = ErrorKind::BadFormat)
      : std::runtime_error(message), kind_(kind) {}
  Error(ErrorKind kind, const std::string& message) : Error(message, kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

// Adds the stage that failed in front of a lower-level message, the way a
// loader says "error loading model hyperparameters: ...". An Error keeps its kind.
[[noreturn]] inline void rethrow_with_context(const std::string& context, const std::exception& e) {
  const auto* error = dynamic_cast<const Error*>(&e);
  throw Error(context + ": " + e.what(), error ? error->kind() : ErrorKind::BadFormat);
}

}  // namespace attnscope
