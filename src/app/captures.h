// Screenshots and view exports requested during a frame, carried out after
// the frame is rendered (so the capture shows that frame) and before it is
// presented. Also writes the JSON sidecar that scripted runs ask for.
#pragma once
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "render/figure_export.h"

namespace attnscope::app {

struct CaptureOutcome {
  bool attempted = false;
  bool ok = false;
  std::filesystem::path path;  // where it went
  std::string error;
};

// Carries out app.requests.screenshot and app.requests.export_request if due. framebuffer_*:
// the window's framebuffer size in pixels.
void process_captures(App& app, int framebuffer_width, int framebuffer_height, CaptureOutcome* screenshot,
                      CaptureOutcome* figure);

// What a scripted check needs to know about the state shown: the model, the
// tokens, the selection, interventions and the predictions at the query.
nlohmann::json describe_state(const App& app);

}  // namespace attnscope::app
