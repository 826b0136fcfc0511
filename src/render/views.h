// The five views with their GL resources and per-view state. A view only
// draws content into the current ImGui window; the window around it (the
// app's, or a figure's offscreen one) belongs to the caller.
#pragma once
#include <memory>

#include "scene/view_state.h"

namespace attnscope {

struct AppState;
struct HeatmapLayout;
struct ViewDrawOptions;

class Views {
 public:
  Views();   // compiles shaders and creates textures: needs a current GL context
  ~Views();  // must run while the GL context still exists
  Views(const Views&) = delete;
  Views& operator=(const Views&) = delete;

  // One view's content into the current ImGui window.
  void draw_content(ViewId view, AppState& state, const ViewDrawOptions& options);
  // False while the model view waits for its thumbnails (view_model.h).
  bool settled() const;
  // Where the heatmap's cells were drawn by the last draw_content call.
  const HeatmapLayout& heatmap_layout() const;
  // Where the alignment view's cells were drawn by the last draw_content call.
  const HeatmapLayout& alignment_layout() const;
  // Where the minimal-pair view's difference map was drawn by the last draw_content call.
  const HeatmapLayout& pair_diff_layout() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace attnscope
