// JSON Lines: one pair per line, words given as [begin, end) byte spans and
// links as [source_word, target_word, crossing].
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/error.h"
#include "train/parallel_corpus.h"

namespace attnscope::train {
namespace {

nlohmann::json spans_json(const std::vector<WordSpan>& spans) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& s : spans) a.push_back({s.begin, s.end});
  return a;
}

std::vector<WordSpan> spans_from(const nlohmann::json& a, const std::string& text) {
  std::vector<WordSpan> out;
  for (const auto& s : a) {
    WordSpan w{s.at(0).get<int>(), s.at(1).get<int>()};
    if (w.begin < 0 || w.end < w.begin || w.end > static_cast<int>(text.size())) throw Error("word span out of range");
    out.push_back(w);
  }
  return out;
}

}  // namespace

void write_pairs_jsonl(const std::vector<ParallelPair>& pairs, const std::filesystem::path& path) {
  std::string out;
  for (const auto& p : pairs) {
    nlohmann::json links = nlohmann::json::array();
    for (const auto& l : p.links) links.push_back({l.source_word, l.target_word, l.crossing});
    const nlohmann::json j = {{"source", p.source},
                              {"target", p.target},
                              {"source_words", spans_json(p.source_words)},
                              {"target_words", spans_json(p.target_words)},
                              {"links", links}};
    out += j.dump() + '\n';
  }
  write_file_atomically(path, out, Overwrite::Allow);  // as every attnscope-train output
}

std::vector<ParallelPair> read_pairs_jsonl(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::Io, path.string() + ": cannot open");
  std::vector<ParallelPair> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    try {
      const auto j = nlohmann::json::parse(line);
      ParallelPair p;
      p.source = j.at("source").get<std::string>();
      p.target = j.at("target").get<std::string>();
      p.source_words = spans_from(j.at("source_words"), p.source);
      p.target_words = spans_from(j.at("target_words"), p.target);
      for (const auto& l : j.at("links")) {
        WordLink w{l.at(0).get<int>(), l.at(1).get<int>(), l.at(2).get<bool>()};
        if (w.source_word < 0 || w.source_word >= static_cast<int>(p.source_words.size()) || w.target_word < 0 ||
            w.target_word >= static_cast<int>(p.target_words.size()))
          throw Error("link to a word that does not exist");
        p.links.push_back(w);
      }
      out.push_back(std::move(p));
    } catch (const std::exception& e) {
      throw Error(path.string() + ":" + std::to_string(n) + ": " + e.what());
    }
  }
  return out;
}

}  // namespace attnscope::train
