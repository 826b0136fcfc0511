#include "scene/completed_predictions.h"

#include <algorithm>

namespace attnscope {

namespace {

const std::vector<Prediction>* row_of(const std::vector<std::vector<Prediction>>& top, int position) {
  if (position < 0 || position >= static_cast<int>(top.size())) return nullptr;
  const auto& row = top[static_cast<size_t>(position)];
  return row.empty() ? nullptr : &row;
}

}  // namespace

const std::vector<Prediction>* predictions_at(const AttentionSnapshot& snapshot, int position,
                                              const CompletedPredictions* completed) {
  if (const auto* own = row_of(snapshot.top, position)) return own;
  if (!completed) return nullptr;
  if (completed->snapshot.get() == &snapshot) return row_of(completed->top, position);
  if (completed->baseline.get() == &snapshot) return row_of(completed->baseline_top, position);
  return nullptr;
}

bool predictions_missing(const AttentionSnapshot* snapshot) {
  if (!snapshot || snapshot->decoder || !snapshot->model || !snapshot->model->config.has_lm_head) return false;
  return std::any_of(snapshot->top.begin(), snapshot->top.end(), [](const auto& row) { return row.empty(); });
}

}  // namespace attnscope
