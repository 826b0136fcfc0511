// Named heads a model folder points people to ("pronoun → antecedent",
// "previous token"), from an optional attnscope.json next to config.json:
//   {"presets":[{"name":"pronoun → antecedent","layer":2,"head":1}, ...]}
// Indices are 0-based. The app lists them in its head menu.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace attnscope {

struct HeadPreset {
  std::string name;
  int layer = 0, head = 0;
};

// The presets of `folder`/attnscope.json; empty when there is no such file.
// Throws Error naming the file and the entry for bad JSON, a missing field
// or a layer/head outside n_layers x n_heads.
std::vector<HeadPreset> read_head_presets(const std::filesystem::path& folder, int n_layers, int n_heads);

}  // namespace attnscope
