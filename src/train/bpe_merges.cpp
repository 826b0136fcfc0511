// The pair-merging loop both tokenizer trainers share. Pair counts are kept
// up to date incrementally: a merge only revisits the words that contain the
// merged pair, and a max-heap with lazy deletion finds the next best pair.
#include <algorithm>
#include <cstdint>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "train/tokenizer_train.h"

namespace attnscope::train {
namespace {

std::uint64_t key_of(int left, int right) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) | static_cast<std::uint32_t>(right);
}
int left_of(std::uint64_t key) { return static_cast<int>(key >> 32); }
int right_of(std::uint64_t key) { return static_cast<int>(key & 0xFFFFFFFFu); }

struct Candidate {
  long long count;
  std::uint64_t key;
  // Most frequent first; on ties the smaller pair of ids, so the order never
  // depends on hash-table iteration.
  bool operator<(const Candidate& other) const { return count != other.count ? count < other.count : key > other.key; }
};

}  // namespace

std::vector<std::pair<int, int>> learn_merges(std::vector<WordCount>& words, std::vector<std::string>& symbols,
                                              std::size_t target_size, long long min_frequency,
                                              std::string (*join)(const std::string&, const std::string&)) {
  std::unordered_map<std::uint64_t, long long> pair_count;
  std::unordered_map<std::uint64_t, std::vector<int>> words_with;  // may hold stale or repeated entries
  for (int w = 0; w < static_cast<int>(words.size()); ++w) {
    const auto& s = words[static_cast<size_t>(w)].symbols;
    for (size_t i = 0; i + 1 < s.size(); ++i) {
      const std::uint64_t key = key_of(s[i], s[i + 1]);
      pair_count[key] += words[static_cast<size_t>(w)].count;
      auto& list = words_with[key];
      if (list.empty() || list.back() != w) list.push_back(w);
    }
  }
  std::priority_queue<Candidate> heap;
  for (const auto& [key, count] : pair_count) heap.push({count, key});

  std::unordered_map<std::string, int> existing;
  for (int i = 0; i < static_cast<int>(symbols.size()); ++i) existing.emplace(symbols[static_cast<size_t>(i)], i);

  std::vector<std::pair<int, int>> merges;
  std::unordered_set<std::uint64_t> changed;
  while (symbols.size() < target_size && !heap.empty()) {
    const Candidate top = heap.top();
    heap.pop();
    const auto it = pair_count.find(top.key);
    if (it == pair_count.end() || it->second != top.count) continue;  // stale entry
    if (top.count < min_frequency) break;
    const int a = left_of(top.key), b = right_of(top.key);
    const std::string merged = join(symbols[static_cast<size_t>(a)], symbols[static_cast<size_t>(b)]);
    int c;
    const auto found = existing.find(merged);
    if (found != existing.end()) {
      c = found->second;  // two different splits can spell the same piece
    } else {
      c = static_cast<int>(symbols.size());
      symbols.push_back(merged);
      existing.emplace(merged, c);
    }
    merges.emplace_back(a, b);

    std::vector<int> affected = std::move(words_with[top.key]);
    words_with.erase(top.key);
    std::sort(affected.begin(), affected.end());
    affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
    changed.clear();
    for (int w : affected) {
      WordCount& word = words[static_cast<size_t>(w)];
      auto& s = word.symbols;
      bool contains = false;
      for (size_t i = 0; i + 1 < s.size() && !contains; ++i) contains = s[i] == a && s[i + 1] == b;
      if (!contains) continue;
      for (size_t i = 0; i + 1 < s.size(); ++i) {
        const std::uint64_t key = key_of(s[i], s[i + 1]);
        pair_count[key] -= word.count;
        changed.insert(key);
      }
      std::vector<int> next;
      next.reserve(s.size());
      for (size_t i = 0; i < s.size(); ++i) {
        if (i + 1 < s.size() && s[i] == a && s[i + 1] == b) {
          next.push_back(c);
          ++i;
        } else {
          next.push_back(s[i]);
        }
      }
      s = std::move(next);
      for (size_t i = 0; i + 1 < s.size(); ++i) {
        const std::uint64_t key = key_of(s[i], s[i + 1]);
        pair_count[key] += word.count;
        changed.insert(key);
        auto& list = words_with[key];
        if (list.empty() || list.back() != w) list.push_back(w);
      }
    }
    // Sorted, so the heap receives the same pushes in the same order every run.
    std::vector<std::uint64_t> keys(changed.begin(), changed.end());
    std::sort(keys.begin(), keys.end());
    for (std::uint64_t key : keys) {
      const long long count = pair_count[key];
      if (count > 0)
        heap.push({count, key});
      else
        pair_count.erase(key);
    }
  }
  return merges;
}

}  // namespace attnscope::train
