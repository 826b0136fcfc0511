// Figures without a window: a model run and one view drawn by the app's own
// view code into an offscreen framebuffer of a headless (EGL surfaceless) GL
// context. What attnscope-cli render uses; many figures share one context,
// and models are loaded once per path.
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "render/figure_output.h"
#include "render/headless_gl.h"
#include "scene/figure_batch.h"  // FigureJob
#include "scene/view_state.h"

namespace attnscope {

class Views;
struct HeatmapLayout;

class HeadlessFigures {
 public:
  HeadlessFigures();  // creates the GL context and the views' GL resources; throws Error
  ~HeadlessFigures();
  HeadlessFigures(const HeadlessFigures&) = delete;
  HeadlessFigures& operator=(const HeadlessFigures&) = delete;

  // Runs the model, draws the figure and writes job.out (PNG, or SVG for a
  // .svg name). Throws Error for a model that does not load, a scene that
  // does not fit the model, and an existing file unless job.overwrite.
  void render_to_file(const FigureJob& job);
  // Where the last heatmap figure's cells landed, in its pixels.
  const HeatmapLayout& heatmap_layout() const;
  // Where the last minimal-pair figure's difference cells landed.
  const HeatmapLayout& pair_diff_layout() const;

 private:
  std::shared_ptr<const Model> model(const std::string& path);
  AppState prepare(const FigureJob& job);

  HeadlessGl gl_;  // declared first: destroyed last, after the views' GL objects
  std::unique_ptr<Views> views_;
  std::map<std::string, std::shared_ptr<const Model>> models_;
};

}  // namespace attnscope
