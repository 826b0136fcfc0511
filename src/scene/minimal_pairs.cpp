#include "scene/minimal_pairs.h"

namespace attnscope {

namespace {

// The first token of `tokens` that reads `word` once its leading spaces and
// any "##" or "Ġ"-style marks are gone (Token::display has them as spaces).
int find_word(const std::vector<Token>& tokens, const std::string& word) {
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string shown = tokens[i].display;
    shown.erase(0, shown.find_first_not_of(' '));
    if (!tokens[i].special && shown == word) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

const std::vector<MinimalPairPreset>& minimal_pair_presets() {
  static const std::vector<MinimalPairPreset> presets = {
      {"The animal was too tired / the street was too wide",
       "The animal didn't cross the street because it was too tired.",
       "The animal didn't cross the street because it was too wide.", "it"},
      {"The trophy is too large / the suitcase is too small",
       "The trophy doesn't fit into the brown suitcase because it is too large.",
       "The trophy doesn't fit into the brown suitcase because it is too small.", "it"},
  };
  return presets;
}

void load_minimal_pair(AppState& state, const MinimalPairPreset& preset) {
  state.text = preset.a;
  state.text_b = preset.b;
  state.show.minimal_pair = true;
  state.interventions.masked_keys.clear();
  state.selection.query = -1;
  // Tokenizing is quick and does not wait for the worker: the query is set
  // before the run comes back, so the first picture already shows it.
  if (state.model && state.model->tokenizer && !state.encoder_decoder())
    state.selection.query = find_word(state.model->tokenizer->encode(preset.a), preset.query);
  state.request_run();
}

}  // namespace attnscope
