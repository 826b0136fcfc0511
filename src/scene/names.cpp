#include "scene/names.h"

#include <utility>

namespace attnscope {

namespace {

template <class Enum, size_t N>
const char* key_of(const std::pair<Enum, const char*> (&table)[N], Enum value) {
  for (const auto& [v, key] : table)
    if (v == value) return key;
  return table[0].second;
}

template <class Enum, size_t N>
bool value_of(const std::pair<Enum, const char*> (&table)[N], std::string_view key, Enum* out) {
  for (const auto& [v, k] : table)
    if (key == k) {
      *out = v;
      return true;
    }
  return false;
}

const std::pair<HeadMode, const char*> kHeadModes[] = {
    {HeadMode::Single, "single"}, {HeadMode::Mean, "mean"}, {HeadMode::Max, "max"}};
const std::pair<ColorScale, const char*> kColorScales[] = {
    {ColorScale::Linear, "linear"}, {ColorScale::Log, "log"}, {ColorScale::PerRow, "per-row"}};
const std::pair<DisplayMode, const char*> kDisplayModes[] = {
    {DisplayMode::Raw, "raw"}, {DisplayMode::Value, "value"}, {DisplayMode::Rollout, "rollout"}, {DisplayMode::Flow, "flow"}};
const std::pair<ViewId, const char*> kViewKeys[] = {{ViewId::Heatmap, "heatmap"},
                                                    {ViewId::HeadView, "head"},
                                                    {ViewId::ModelView, "model"},
                                                    {ViewId::Qkv, "qkv"},
                                                    {ViewId::Predictions, "predictions"},
                                                    {ViewId::Alignment, "alignment"},
                                                    {ViewId::MinimalPair, "diff"}};
const std::pair<ViewId, const char*> kViewTitles[] = {{ViewId::Heatmap, "Heatmap"},
                                                      {ViewId::HeadView, "Head view"},
                                                      {ViewId::ModelView, "Model view"},
                                                      {ViewId::Qkv, "Q/K/V"},
                                                      {ViewId::Predictions, "Predictions"},
                                                      {ViewId::Alignment, "Alignment"},
                                                      {ViewId::MinimalPair, "Minimal pair"}};
const std::pair<AlignMode, const char*> kAlignModes[] = {{AlignMode::Head, "head"},
                                                         {AlignMode::MeanHeads, "mean"},
                                                         {AlignMode::MaxHeads, "max"},
                                                         {AlignMode::MeanLayers, "layers"}};

}  // namespace

const char* head_mode_key(HeadMode mode) { return key_of(kHeadModes, mode); }
bool head_mode_from_key(std::string_view key, HeadMode* out) { return value_of(kHeadModes, key, out); }
const char* color_scale_key(ColorScale scale) { return key_of(kColorScales, scale); }
bool color_scale_from_key(std::string_view key, ColorScale* out) { return value_of(kColorScales, key, out); }
const char* align_mode_key(AlignMode mode) { return key_of(kAlignModes, mode); }
bool align_mode_from_key(std::string_view key, AlignMode* out) { return value_of(kAlignModes, key, out); }
const char* display_mode_key(DisplayMode mode) { return key_of(kDisplayModes, mode); }
bool display_mode_from_key(std::string_view key, DisplayMode* out) { return value_of(kDisplayModes, key, out); }
const char* view_title(ViewId view) { return key_of(kViewTitles, view); }
const char* view_key(ViewId view) { return key_of(kViewKeys, view); }
bool view_from_key(std::string_view key, ViewId* out) { return value_of(kViewKeys, key, out); }

}  // namespace attnscope
