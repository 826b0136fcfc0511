// The numbers behind the minimal-pair view: one head's attention in sentence
// A and in sentence B, both placed on the aligned token grid
// (token_alignment.h), and their difference B - A. Pure data, no GL.
//
// Shape legend: Ta tokens of A, Tb tokens of B, N slots of the aligned grid.
#pragma once
#include <vector>

#include "core/snapshot.h"
#include "scene/token_alignment.h"
#include "scene/view_state.h"

namespace attnscope {

struct PairMatrices {
  TokenAlignment alignment;
  MatrixRM a;     // [N, N] A's weights on the grid; 0 in every row and column A has no token for
  MatrixRM b;     // [N, N] B's, the same way
  // [N, N] B - A in the rows of queries both sentences have. A key only one
  // sentence has gets no weight in the other, so it counts as 0 there and
  // each such row still sums to 0. The rows of the differing middle have no
  // counterpart: they are 0 here and row_compared() is false.
  MatrixRM diff;
  float range = 0;  // the colour scale runs from -range to +range (nice_range of the largest |diff|)

  int size() const { return alignment.size(); }
  bool row_compared(int slot) const { return alignment.slots[static_cast<size_t>(slot)].shared(); }
};

// a_weights [Ta, Ta] and b_weights [Tb, Tb]: one head (or the mean / max of a
// layer's heads) of each sentence; ids [Ta], [Tb] decide the alignment.
PairMatrices build_pair_matrices(const MatrixRM& a_weights, const std::vector<int>& a_ids, const MatrixRM& b_weights,
                                 const std::vector<int>& b_ids);
// The selection's layer, head and head mode in both snapshots (same model).
PairMatrices build_pair_matrices(const AttentionSnapshot& a, const AttentionSnapshot& b, const Selection& selection);

// The symmetric colour range for a largest |difference| of max_abs: rounded
// up to a multiple of 0.05 so the legend reads well, never below 0.05.
float nice_range(float max_abs);
// A difference as the diverging lookup receives it: -range -> 0, 0 -> 0.5, +range -> 1 (clamped).
float diff_color_value(float diff, float range);

// The query shown when none is picked: the compared row whose weights moved
// most (largest sum of |B - A|), the first on a tie; -1 when no row is compared.
int most_changed_slot(const PairMatrices& pair);

// The query's slot for A's token `query_a` when it is valid, else most_changed_slot.
int pair_query_slot(const PairMatrices& pair, int query_a);

}  // namespace attnscope
