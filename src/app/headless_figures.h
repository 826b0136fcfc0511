// Figures without a window: a model run and one view drawn by the app's own
// view code and figure export into an offscreen framebuffer of a headless
// (EGL surfaceless) GL context. What attnscope-cli render uses; many figures
// share one context, and models are loaded once per path.
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "app/app_state.h"
#include "app/figure_export.h"
#include "app/figure_record.h"
#include "app/headless_gl.h"
#include "app/image_file.h"
#include "app/view_ids.h"

namespace attnscope::app {

class ViewWindows;
struct HeatmapLayout;

// One figure: the same choices a user makes in the app before Export PNG.
struct FigureJob {
  std::string model;
  std::string text = "The animal didn't cross the street because it was too tired";
  ViewId view = ViewId::Heatmap;
  Selection selection;          // layer, head, head mode, query
  bool preset_head = false;     // show the model's first named head (attnscope.json) instead of selection's layer/head
  Interventions interventions;  // ablations, masked keys, causal override
  DisplaySettings display;      // colormap, colour scale, hide-special
  float scale = 1;              // 1, 2 or 4
  float width = 960, height = 720;  // logical figure size, as the app's --export-size
  bool light = false;
  std::filesystem::path out;
  bool overwrite = false;
};

class HeadlessFigures {
 public:
  HeadlessFigures();  // creates the GL context and the views' GL resources; throws Error
  ~HeadlessFigures();
  HeadlessFigures(const HeadlessFigures&) = delete;
  HeadlessFigures& operator=(const HeadlessFigures&) = delete;

  // Runs the model and draws the figure. Throws Error for a model that does
  // not load and for a layer, head, query or ablation outside the model.
  RgbaImage render(const FigureJob& job);
  // render() and write job.out (PNG, or SVG for a .svg name: heatmap, head and model views); refuses to
  // replace a file unless job.overwrite.
  void render_to_file(const FigureJob& job);
  // Where the last heatmap figure's cells landed, in its pixels.
  const HeatmapLayout& heatmap_layout() const;

 private:
  struct Rendered {
    AppState state;
    FigureSpec spec;
    RgbaImage image;
    FigureRecord record;  // filled when asked for (SVG)
  };
  Rendered render_full(const FigureJob& job, bool record);
  std::shared_ptr<const Model> model(const std::string& path);

  HeadlessGl gl_;  // declared first: destroyed last, after the views' GL objects
  std::unique_ptr<ViewWindows> views_;
  std::map<std::string, std::shared_ptr<const Model>> models_;
};

}  // namespace attnscope::app
