// Named heads a model folder points people to ("pronoun → antecedent",
// "previous token"), from an optional attnscope.json next to config.json:
//   {"presets":[{"name":"pronoun → antecedent","layer":2,"head":1}, ...]}
// Indices are 0-based. An encoder-decoder model's preset may say which
// attention it means: "kind": "self" (the encoder's, the default), "decoder"
// or "cross". The app lists them in its head menu.
//
// A preset may also say how well the head did on a probe set measured when
// the model was made (the probe set itself lives with the trainer):
//   "heldout_accuracy": 0.988, "probe": "pronoun, new sentences (seed 8)"
// A value that is not a number in [0, 1] is ignored with a warning; the
// preset itself still loads.
#pragma once
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>


namespace attnscope {

enum class AttentionKind;  // attention_kind.h; its first value, Self, is the zero value

struct HeadPreset {
  std::string name;
  int layer = 0, head = 0;
  AttentionKind kind{};  // Self
  std::optional<double> heldout_accuracy;  // fraction right on the probe set, in [0, 1]
  std::string probe;                       // which probe set; may be empty
};

// Layers and heads of each attention kind, indexed by AttentionKind; a kind
// with 0 layers does not exist in the model.
using HeadGrids = std::array<std::pair<int, int>, 3>;

// The presets of `folder`/attnscope.json; empty when there is no such file.
// Throws Error naming the file and the entry for bad JSON, a missing field
// or a layer/head outside n_layers x n_heads. An unusable "heldout_accuracy"
// or "probe" adds a line to `warnings` (when given) and is dropped.
std::vector<HeadPreset> read_head_presets(const std::filesystem::path& folder, const HeadGrids& grids,
                                          std::vector<std::string>* warnings = nullptr);
// A model with self-attention only.
std::vector<HeadPreset> read_head_presets(const std::filesystem::path& folder, int n_layers, int n_heads,
                                          std::vector<std::string>* warnings = nullptr);

}  // namespace attnscope
