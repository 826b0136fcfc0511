// Pieces shared by the BPE and WordPiece tokenizers: file and JSON reading,
// id tables, and the literal added-token split that runs before everything else.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "error.h"
#include "regular_file.h"
#include "tokenizer_specs.h"
#include "unicode.h"

namespace attnscope {

std::string quote_for_error(std::string_view text) {
  constexpr std::size_t kMaxBytes = 80;
  std::string out = "\"";
  std::size_t pos = 0;
  while (pos < text.size() && pos < kMaxBytes) {
    char32_t c = 0;
    const std::size_t length = unicode::decode_one(text, pos, c);
    if ((c == unicode::kReplacement && length == 1) || c < 0x20 || c == 0x7F) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02X", static_cast<unsigned char>(text[pos]));
      out += buffer;
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else {
      out.append(text.substr(pos, length));
    }
    pos += length;
  }
  if (pos < text.size()) out += "...";
  return out + "\"";
}

std::string json_excerpt(const nlohmann::json& value) {
  // ASCII-only escapes, so cutting the text short never splits a character.
  std::string text = value.dump(-1, ' ', true);
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

std::string read_text_file(const std::filesystem::path& path) {
  return read_regular_file(path);
}

nlohmann::json parse_json_text(std::string_view text, const std::string& source) {
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    throw Error(source + ": invalid JSON: " + e.what());
  }
}

PieceIds vocab_from_json_object(const nlohmann::json& object, const std::string& where) {
  if (!object.is_object()) throw Error(where + ": expected a JSON object mapping token strings to ids");
  PieceIds vocab;
  vocab.reserve(object.size());
  for (const auto& [piece, value] : object.items()) {
    const bool in_range = value.is_number_unsigned() ||
                          (value.is_number_integer() && value.get<std::int64_t>() >= 0);
    if (!in_range || value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
      throw Error(where + ": id of " + quote_for_error(piece) + " is " + json_excerpt(value) + ", expected an integer >= 0");
    }
    vocab.emplace_back(piece, value.get<int>());
  }
  return vocab;
}

PieceIds parse_vocab_json(std::string_view vocab_json, const std::string& source) {
  return vocab_from_json_object(parse_json_text(vocab_json, source), source);
}

std::vector<std::string> pieces_by_id(const PieceIds& vocab, const std::vector<AddedToken>& added,
                                      const std::string& source) {
  const std::size_t limit = vocab.size() + added.size();
  int max_id = -1;
  const auto check = [&](const std::string& piece, int id) {
    if (id < 0 || static_cast<std::size_t>(id) >= limit) {
      throw Error(source + ": id " + std::to_string(id) + " of " + quote_for_error(piece) + " is outside 0.." +
                  std::to_string(static_cast<long long>(limit) - 1) + " (ids must number the " +
                  std::to_string(limit) + " tokens from 0)");
    }
    max_id = std::max(max_id, id);
  };
  for (const auto& [piece, id] : vocab) check(piece, id);
  for (const auto& token : added) check(token.content, token.id);
  std::vector<std::string> pieces(static_cast<std::size_t>(max_id + 1));
  for (const auto& [piece, id] : vocab) pieces[static_cast<std::size_t>(id)] = piece;
  for (const auto& token : added) {
    if (pieces[static_cast<std::size_t>(token.id)].empty()) pieces[static_cast<std::size_t>(token.id)] = token.content;
  }
  return pieces;
}

std::vector<TextRun> split_on_added_tokens(std::string_view text, const std::vector<AddedToken>& added) {
  std::vector<TextRun> runs;
  std::array<bool, 256> may_start{};
  for (const auto& token : added) {
    if (!token.content.empty()) may_start[static_cast<unsigned char>(token.content[0])] = true;
  }
  std::size_t run_start = 0, pos = 0;
  while (pos < text.size()) {
    if (!may_start[static_cast<unsigned char>(text[pos])]) {
      ++pos;
      continue;
    }
    int best = -1;
    std::size_t best_length = 0;
    for (std::size_t i = 0; i < added.size(); ++i) {
      const std::string& content = added[i].content;
      if (content.size() > best_length && text.substr(pos).starts_with(content)) {
        best = static_cast<int>(i);
        best_length = content.size();
      }
    }
    if (best < 0) {
      ++pos;
      continue;
    }
    std::size_t start = pos, end = pos + best_length;
    if (added[static_cast<std::size_t>(best)].lstrip) {
      while (start > run_start) {
        std::size_t previous = start - 1;
        while (previous > run_start && (static_cast<unsigned char>(text[previous]) & 0xC0) == 0x80) --previous;
        char32_t c = 0;
        if (unicode::decode_one(text, previous, c) != start - previous || !unicode::is_white_space(c)) break;
        start = previous;
      }
    }
    if (added[static_cast<std::size_t>(best)].rstrip) {
      while (end < text.size()) {
        char32_t c = 0;
        const std::size_t length = unicode::decode_one(text, end, c);
        if (!unicode::is_white_space(c)) break;
        end += length;
      }
    }
    if (start > run_start) runs.push_back({run_start, start, -1});
    runs.push_back({start, end, best});
    pos = end;
    run_start = pos;
  }
  if (run_start < text.size()) runs.push_back({run_start, text.size(), -1});
  return runs;
}

}  // namespace attnscope
