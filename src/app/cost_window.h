// The "Cost of attention" window (View menu): the render library's cost view
// around the latest run, the scaling job kept in step with the loaded model,
// and its PNG / SVG export. Kept out of the view list on purpose: its
// picture needs the scaling job's progress, which only the app has.
#pragma once
#include <filesystem>
#include <memory>
#include <optional>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include "core/model.h"
#include "scene/cost_scaling.h"

namespace attnscope::app {

struct App;
struct CaptureOutcome;

struct CostExportRequest {
  std::filesystem::path out;  // empty: a default name in the export folder, never overwriting
  float scale = 2;
  bool light = false;
  bool svg = false;
  bool sidecar = false;       // also write out + ".json" with the numbers shown
};

struct CostPanel {
  bool visible = false;
  bool light_export = false;
  ImVec2 size{0, 0};                               // the window's size in the last frame
  ScalingJob scaling;
  std::shared_ptr<const Model> measuring;          // the model the job was last started for
  std::optional<CostExportRequest> export_request;
};

// Starts the scaling job for a newly loaded model while the window is open,
// cancels it when the window closes, and draws the window. Every frame.
void draw_cost_window(App& app);

// True when a scripted capture may go ahead: the window is closed, or its
// measurements of the loaded model are finished (or failed, or cancelled).
bool cost_panel_settled(const App& app);

// Carries out app.cost.export_request (after the frame is rendered).
void export_cost_figure(App& app, CaptureOutcome* outcome);

// The numbers the window shows, for the JSON sidecars.
nlohmann::json describe_cost(const App& app);

}  // namespace attnscope::app
