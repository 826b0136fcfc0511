// The sentence pairs of the Compare menu: two sentences that differ in one
// word, and the word whose attention the difference moves.
#pragma once
#include <vector>

#include "scene/view_state.h"

namespace attnscope {

struct MinimalPairPreset {
  const char* name;   // the menu's label
  const char* a;      // sentence A
  const char* b;      // sentence B
  const char* query;  // the word to select as the query in A
};

// The animal that is tired or the street that is wide; the trophy that is too
// large or the suitcase that is too small.
const std::vector<MinimalPairPreset>& minimal_pair_presets();

// Puts both sentences into the state and opens the minimal-pair view with
// the preset's word as the query (found by tokenizing A with the loaded
// model's tokenizer; none when there is no model or no such token). Masks on
// A's old positions are cleared; both sentences rerun.
void load_minimal_pair(AppState& state, const MinimalPairPreset& preset);

}  // namespace attnscope
