// The rows of the head roles table: one per head, with its strongest role and
// the named head (attnscope.json preset or published head) it is, if any;
// sortable by any column.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "scene/head_role_kind.h"
#include "scene/head_roles.h"

namespace attnscope {

enum class RoleColumn { Layer, Head, Previous, Next, First, Self, Entropy, Induction, Preset, Strongest };
constexpr int kRoleColumnCount = 10;

struct RoleRow {
  HeadRoles roles;
  HeadRole strongest = HeadRole::None;
  std::string preset;                 // the named head's name, empty when none
  std::optional<double> accuracy;     // the preset's measured probe accuracy
};

// The self-attention heads the model names: its attnscope.json presets, then
// the published heads of a known checkpoint (published_heads.h), whose probe
// names the source.
std::vector<HeadPreset> named_self_heads(const Model& model);

// One row per head of `scores`, in layer-then-head order.
std::vector<RoleRow> role_rows(const HeadRoleScores& scores, const std::vector<HeadPreset>& named);

// Sorts by `column`, ties in layer-then-head order. A row without a preset
// sorts below every preset in descending order (above in ascending), and
// presets sort by accuracy (a preset without one as -1), then name.
void sort_role_rows(std::vector<RoleRow>& rows, RoleColumn column, bool descending);

const char* role_column_key(RoleColumn column);  // "layer", "previous", ...
bool role_column_from_key(const std::string& key, RoleColumn* column);

}  // namespace attnscope
