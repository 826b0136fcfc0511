// Drives the app from the command line: applies the requested state once the
// model is loaded, and in scripted runs waits until the model and the run are
// ready, draws N more frames, saves the screenshot / view export and exits.
#pragma once
#include <chrono>
#include <optional>
#include <string>

#include "app/app.h"
#include "app/app_args.h"
#include "app/captures.h"

namespace attnscope::app {

class ScriptDriver {
 public:
  explicit ScriptDriver(AppArgs args);

  // Once per frame, after update_workers and before drawing. Returns the
  // process exit code when the app should stop (scripted runs only).
  std::optional<int> before_frame(App& app);
  // After process_captures, with what they did this frame.
  std::optional<int> after_captures(App& app, const CaptureOutcome& screenshot, const CaptureOutcome& figure);

 private:
  enum class Phase { WaitFirstModel, WaitSecondModel, Settle, Capturing, Interactive };
  // Checks the requested layer/head/ablations against the model; "" when all fit.
  std::string apply_requested_state(App& app);
  std::optional<int> fail(const std::string& message);
  // --head-roles and friends: the window, its order, borders and labels.
  void apply_head_roles_args(App& app);
  // --roles-click: once the scores are in, what a click on that row does.
  std::optional<int> click_role_row(App& app);

  AppArgs args_;
  Phase phase_ = Phase::WaitFirstModel;
  int settled_frames_ = 0;
  bool second_model_requested_ = false;
  bool role_row_clicked_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace attnscope::app
