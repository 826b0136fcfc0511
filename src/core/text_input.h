// Where the input text comes from, for attnscope-cli and the app alike:
// --text TEXT, --text - (standard input) or --text-file PATH. A shell argument
// holds at most 128 KiB; the other two carry any length (the run cuts it to
// the model's context).
#pragma once
#include <optional>
#include <string>

namespace attnscope {

// `text` and `text_file` are the two options' values; at most one may be
// given (a Usage error otherwise). Neither: `fallback`. "-" as either value
// reads standard input. A file must be a regular file (read_regular_file).
std::string read_input_text(const std::optional<std::string>& text, const std::optional<std::string>& text_file,
                            const std::string& fallback);

}  // namespace attnscope
