// The options that set a Scene from a command line or a render batch line,
// spelled the same in `attnscope`, `attnscope-cli run` and `render`:
//   --model PATH --text TEXT --layer L --head H --head-mode single|mean|max
//   --query I --ablate L:H,... --mask-keys I,... --causal --no-causal --no-positions
//   --colormap NAME --color-scale linear|log|per-row --hide-special --display-mode raw|value|rollout|flow
//   --view NAME --scale 1|2|4 --size WxH --light
// and for the minimal-pair view (--view diff): --text-b TEXT, the sentence compared with --text
// and for encoder-decoder models (--text is then the source):
//   --target TEXT (forced decoding) --attention self|decoder|cross --step N
//   --ablate-decoder L:H,... --ablate-cross L:H,... --align head|mean|max|layers --align-tokens
// Older spellings stay as aliases for one release: --mask-key, and the app's
// --causal on|off, --export-scale, --export-size and --export-light.
#pragma once
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "scene/view_state.h"

namespace attnscope {

// Only what was given; apply_overrides leaves the rest of a Scene as it was.
struct SceneOverrides {
  std::optional<std::string> model, text, text_b;
  std::optional<int> layer, head, query;
  std::optional<HeadMode> head_mode;
  std::optional<std::set<std::pair<int, int>>> ablate;
  std::optional<std::set<int>> mask_keys;
  std::optional<bool> causal;
  std::optional<bool> positions;  // false: --no-positions
  std::optional<Colormap> colormap;
  std::optional<ColorScale> color_scale;
  std::optional<bool> hide_special;
  std::optional<DisplayMode> display_mode;
  std::optional<ViewId> view;
  std::optional<float> scale;
  std::optional<std::pair<float, float>> size;
  std::optional<bool> light;
  std::optional<std::string> target;
  std::optional<AttentionKind> attention;
  std::optional<int> step;
  std::optional<std::set<std::pair<int, int>>> ablate_decoder, ablate_cross;
  std::optional<AlignMode> align;
  std::optional<bool> align_tokens;  // raw tokens in the alignment view instead of words

  bool selects_head() const { return layer || head; }
};

// Every option name without "--", aliases included: those that take a value
// ("layer") and the switches ("no-causal").
const std::set<std::string>& scene_valued_options();
const std::set<std::string>& scene_switch_options();
bool is_scene_option(const std::string& name);
// Records `--name value` (value ignored for switches). Throws Error (Usage)
// naming the option when the value is malformed.
void take_scene_option(const std::string& name, const std::string& value, SceneOverrides* out);
// A switch turned off in a batch line ({"light": false}).
void clear_scene_switch(const std::string& name, SceneOverrides* out);

void apply_overrides(const SceneOverrides& overrides, Scene* scene);

}  // namespace attnscope
