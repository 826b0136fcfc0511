// Small training texts for the trainer tests: the first stories of the shared
// TinyStories file (../shared/corpora).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "test_support.h"
#include "train/corpus_mix.h"

namespace attnscope::train::testing {

// The first `count` stories, kept alive for the string_views.
inline const std::vector<std::string>& stories(std::size_t count) {
  static const std::vector<std::string> all =
      corpus::read_source(attnscope::testing::shared_dir() / "corpora", "tinystories");
  static std::vector<std::string> head;
  head.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(std::min(count, all.size())));
  return head;
}

inline std::vector<std::string_view> views(const std::vector<std::string>& docs) {
  return std::vector<std::string_view>(docs.begin(), docs.end());
}

}  // namespace attnscope::train::testing
