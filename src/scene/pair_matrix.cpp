#include "scene/pair_matrix.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "scene/display_matrix.h"

namespace attnscope {

namespace {

std::vector<int> token_ids(const AttentionSnapshot& snapshot) {
  std::vector<int> ids;
  for (const Token& t : snapshot.tokens) ids.push_back(t.id);
  return ids;
}

// Copies one sentence's [T, T] weights into the [N, N] grid through its slot of each token.
MatrixRM place_on_grid(const MatrixRM& weights, const std::vector<int>& slot_of_token, int n) {
  MatrixRM grid = MatrixRM::Zero(n, n);  // [N, N]
  const int t = static_cast<int>(slot_of_token.size());
  for (int i = 0; i < t; ++i)
    for (int j = 0; j < t; ++j) grid(slot_of_token[static_cast<size_t>(i)], slot_of_token[static_cast<size_t>(j)]) = weights(i, j);
  return grid;
}

}  // namespace

PairMatrices build_pair_matrices(const MatrixRM& a_weights, const std::vector<int>& a_ids, const MatrixRM& b_weights,
                                 const std::vector<int>& b_ids) {
  const auto ta = static_cast<Eigen::Index>(a_ids.size()), tb = static_cast<Eigen::Index>(b_ids.size());
  if (a_weights.rows() != ta || a_weights.cols() != ta || b_weights.rows() != tb || b_weights.cols() != tb)
    throw Error(ErrorKind::BadFormat, "minimal pair: the weights do not match the tokens");
  PairMatrices pair;
  pair.alignment = align_tokens(a_ids, b_ids);
  const int n = pair.size();
  std::vector<int> a_slots, b_slots;
  for (int i = 0; i < static_cast<int>(ta); ++i) a_slots.push_back(pair.alignment.slot_of_a(i));
  for (int i = 0; i < static_cast<int>(tb); ++i) b_slots.push_back(pair.alignment.slot_of_b(i));
  pair.a = place_on_grid(a_weights, a_slots, n);
  pair.b = place_on_grid(b_weights, b_slots, n);
  pair.diff = MatrixRM::Zero(n, n);
  float max_abs = 0;
  for (int r = 0; r < n; ++r) {
    if (!pair.row_compared(r)) continue;
    pair.diff.row(r) = pair.b.row(r) - pair.a.row(r);
    max_abs = std::max(max_abs, pair.diff.row(r).cwiseAbs().maxCoeff());
  }
  pair.range = nice_range(max_abs);
  return pair;
}

PairMatrices build_pair_matrices(const AttentionSnapshot& a, const AttentionSnapshot& b, const Selection& sel) {
  if (sel.layer < 0 || sel.layer >= a.n_layers || sel.layer >= b.n_layers || sel.head < 0 || sel.head >= a.n_heads ||
      sel.head >= b.n_heads)
    throw Error(ErrorKind::OutOfRange, "minimal pair: layer " + std::to_string(sel.layer) + ", head " +
                                           std::to_string(sel.head) + " is not in both runs");
  return build_pair_matrices(head_weights(a, sel.layer, sel.head, sel.mode), token_ids(a),
                             head_weights(b, sel.layer, sel.head, sel.mode), token_ids(b));
}

float nice_range(float max_abs) {
  constexpr float kStep = 0.05f;
  if (!(max_abs > kStep)) return kStep;  // NaN too
  // The small allowance keeps 0.2 at 0.2 although 0.2 / 0.05 is 4.0000001 in floats.
  return std::ceil(max_abs / kStep - 1e-4f) * kStep;
}

float diff_color_value(float diff, float range) {
  if (!(range > 0)) return 0.5f;
  return std::clamp(0.5f + 0.5f * diff / range, 0.0f, 1.0f);
}

int most_changed_slot(const PairMatrices& pair) {
  int best = -1;
  float best_change = -1;
  for (int r = 0; r < pair.size(); ++r) {
    if (!pair.row_compared(r)) continue;
    const float change = pair.diff.row(r).cwiseAbs().sum();
    if (change > best_change) {
      best = r;
      best_change = change;
    }
  }
  return best;
}

int pair_query_slot(const PairMatrices& pair, int query_a) {
  const int slot = pair.alignment.slot_of_a(query_a);
  return slot >= 0 ? slot : most_changed_slot(pair);
}

}  // namespace attnscope
