// JSON parsing for files we must not misread: nlohmann keeps the last of two
// equal keys without a word, which would let a second "wte.weight" (or a second
// "weight_map" entry) silently replace the first. This parser rejects
// duplicate keys in every object and absurdly deep nesting.
#pragma once
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace attnscope {

// Throws Error "<source>: <what> is not valid JSON: ..." or "<source>: duplicate
// key "k" in <what> JSON". `what` names the document, e.g. "header" or "index".
nlohmann::json parse_json_strict(std::string_view text, const std::string& source, const char* what);

// A short single-line rendering of a value for error messages (at most 40 chars).
std::string json_for_error(const nlohmann::json& value);

}  // namespace attnscope
