// attnscope --soak N --seed S: the app driven through N random edits, clicks,
// head and mask toggles, saves and model reloads (soak_actions.h) on the
// default models, to show that a long session neither crashes, nor grows, nor
// leaves a broken file. After a warm-up tour of every action it notes the
// resident memory; at the end it prints one "soak {...}" JSON line and exits
// 2 when memory grew past 1.5x, a save failed or the app stopped answering.
#pragma once
#include <chrono>
#include <optional>
#include <random>
#include <string>

#include <imgui.h>

#include "app/app.h"
#include "app/captures.h"
#include "app/soak_actions.h"

namespace attnscope::app {

class SoakDriver {
 public:
  SoakDriver(int steps, unsigned seed);

  // Once per frame after update_workers: the next action, or the exit code at the end.
  std::optional<int> before_frame(App& app);
  // After the backend's NewFrame: plays the pending click into ImGui's input.
  void drive_mouse(ImGuiIO& io);
  // A save that failed ends the run.
  std::optional<int> after_captures(const CaptureOutcome& screenshot, const CaptureOutcome& figure);

 private:
  std::optional<int> finish(App& app);
  void act(App& app, SoakAction action);
  std::optional<int> fail(const std::string& message);

  int steps_;
  unsigned seed_;
  std::mt19937 random_;
  int step_ = 0;               // steps done, warm-up tour included
  int warm_up_steps_ = 0;      // the tour's length
  bool settle_ = false;        // wait for the app to be idle before the next action
  long warm_rss_kib_ = 0, peak_rss_kib_ = 0;
  int saves_ = 0, errors_ = 0;
  std::string first_error_;
  std::optional<SoakClick> click_;
  int click_frame_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point waiting_since_ = start_;
};

// The process's resident set size in KiB (from /proc/self/statm), 0 if unknown.
long resident_kib();

}  // namespace attnscope::app
