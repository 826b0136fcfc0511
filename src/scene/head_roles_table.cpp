#include "scene/head_roles_table.h"

#include <algorithm>
#include <tuple>

#include "core/attention_kind.h"
#include "core/published_heads.h"

namespace attnscope {

namespace {

constexpr const char* kColumnKeys[kRoleColumnCount] = {"layer", "head",      "previous", "next",   "first",
                                                       "self",  "entropy", "induction", "preset", "role"};

// The value a column sorts by; presets use sort_role_rows' own order.
double column_value(const RoleRow& row, RoleColumn column) {
  const HeadRoles& r = row.roles;
  switch (column) {
    case RoleColumn::Layer: return r.layer;
    case RoleColumn::Head: return r.head;
    case RoleColumn::Previous: return r.previous;
    case RoleColumn::Next: return r.next;
    case RoleColumn::First: return r.first;
    case RoleColumn::Self: return r.self;
    case RoleColumn::Entropy: return r.entropy;
    case RoleColumn::Induction: return r.induction;
    case RoleColumn::Strongest: return static_cast<double>(row.strongest);
    case RoleColumn::Preset: return row.preset.empty() ? -2.0 : row.accuracy.value_or(-1.0);
  }
  return 0;
}

}  // namespace

std::vector<HeadPreset> named_self_heads(const Model& model) {
  std::vector<HeadPreset> named;
  for (const HeadPreset& p : model.presets)
    if (p.kind == AttentionKind::Self) named.push_back(p);
  if (const KnownCheckpoint* known = match_known_checkpoint(model.config)) {
    for (const PublishedHead& h : known->heads) {
      HeadPreset p;
      p.name = h.name + " (published)";
      p.layer = h.layer;
      p.head = h.head;
      p.probe = known->source;
      named.push_back(p);
    }
  }
  return named;
}

std::vector<RoleRow> role_rows(const HeadRoleScores& scores, const std::vector<HeadPreset>& named) {
  std::vector<RoleRow> rows;
  for (const HeadRoles& r : scores.roles) {
    RoleRow row;
    row.roles = r;
    row.strongest = strongest_role(r, scores.baselines);
    for (const HeadPreset& p : named) {
      if (p.layer != r.layer || p.head != r.head) continue;
      row.preset = p.name;  // the first name wins: the model's own before the literature's
      row.accuracy = p.heldout_accuracy;
      break;
    }
    rows.push_back(row);
  }
  return rows;
}

void sort_role_rows(std::vector<RoleRow>& rows, RoleColumn column, bool descending) {
  std::stable_sort(rows.begin(), rows.end(), [&](const RoleRow& a, const RoleRow& b) {
    const double va = column_value(a, column), vb = column_value(b, column);
    if (va != vb) return descending ? va > vb : va < vb;
    if (column == RoleColumn::Preset && a.preset != b.preset) return descending ? a.preset > b.preset : a.preset < b.preset;
    return std::tie(a.roles.layer, a.roles.head) < std::tie(b.roles.layer, b.roles.head);
  });
}

const char* role_column_key(RoleColumn column) { return kColumnKeys[static_cast<int>(column)]; }

bool role_column_from_key(const std::string& key, RoleColumn* column) {
  for (int i = 0; i < kRoleColumnCount; ++i) {
    if (key != kColumnKeys[i]) continue;
    *column = static_cast<RoleColumn>(i);
    return true;
  }
  return false;
}

}  // namespace attnscope
