// The names of the scene's choices as sessions, sidecars and every command
// line spell them, one table each, both directions.
#pragma once
#include <string_view>

namespace attnscope {

enum class HeadMode { Single, Mean, Max };     // one head, or every head of the layer combined
enum class ColorScale { Linear, Log, PerRow };  // how weights map to colours
enum class ViewId { Heatmap, HeadView, ModelView, Qkv, Predictions, Alignment, MinimalPair };
constexpr int kViewCount = 7;
constexpr ViewId kAllViews[kViewCount] = {ViewId::Heatmap,     ViewId::HeadView,  ViewId::ModelView,  ViewId::Qkv,
                                          ViewId::Predictions, ViewId::Alignment, ViewId::MinimalPair};
// How the alignment view combines cross-attention: one head, the mean or max
// over a layer's heads, or the mean over every layer of its heads' mean.
enum class AlignMode { Head, MeanHeads, MaxHeads, MeanLayers };
// What an attention view's weights are: the attention itself, the norm of
// what each key hands on (value-weighted), or attention composed over layers
// (rollout, flow). display_modes.h has the definitions.
enum class DisplayMode { Raw, Value, Rollout, Flow };

// "single", "mean", "max".
const char* head_mode_key(HeadMode mode);
bool head_mode_from_key(std::string_view key, HeadMode* out);
// "linear", "log", "per-row".
const char* color_scale_key(ColorScale scale);
bool color_scale_from_key(std::string_view key, ColorScale* out);
// "head", "mean", "max", "layers".
const char* align_mode_key(AlignMode mode);
bool align_mode_from_key(std::string_view key, AlignMode* out);
// "raw", "value", "rollout", "flow".
const char* display_mode_key(DisplayMode mode);
bool display_mode_from_key(std::string_view key, DisplayMode* out);
// The window title: "Heatmap", "Head view", "Model view", "Q/K/V", "Predictions", "Alignment", "Minimal pair".
const char* view_title(ViewId view);
// The command-line and file-name form: heatmap, head, model, qkv, predictions, alignment, diff.
const char* view_key(ViewId view);
bool view_from_key(std::string_view key, ViewId* out);

}  // namespace attnscope
