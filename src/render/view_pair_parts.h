// The parts of the minimal-pair view below its three maps, and what they
// share with the maps. Internal to view_minimal_pair*.cpp.
#pragma once
#include <string>

#include <imgui.h>

#include "render/view_minimal_pair.h"

namespace attnscope {

// Sentence A's and B's colours: the blue and red ends of the difference
// map's scale, so "more in B" is red in the bars as in the map.
ImU32 pair_a_color();
ImU32 pair_b_color();

// The label of a slot coloured by whose token it is: A's middle in A's
// colour, B's middle in B's, the query in the selection colour.
ImU32 pair_label_color(const TokenAlignment& alignment, int slot, int query_slot);

// view_pair_query.cpp: the query's row in A and in B as bars per key slot,
// then its top predictions in each sentence. Both draw at the cursor and
// leave it below what they drew.
void draw_pair_query_bars(const AppState& state, const MinimalPairViewState& view, int query_slot,
                          const ViewDrawOptions& options);
void draw_pair_predictions(const AppState& state, const MinimalPairViewState& view, int query_slot,
                           const ViewDrawOptions& options);

}  // namespace attnscope
