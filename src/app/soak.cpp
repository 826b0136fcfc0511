#include "app/soak.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

namespace attnscope::app {

namespace {

constexpr double kMaxGrowth = 1.5;          // end RSS over warm-up RSS
constexpr double kIdleTimeoutSeconds = 60;  // one action's load or run; longer means a hang
constexpr int kRandomWarmUpSteps = 40;      // after the tour, before the baseline

// The tour: every action at least once, both default models, a long text,
// so that the baseline already holds what a long run will ever need.
constexpr SoakAction kTour[] = {
    SoakAction::EditText,   SoakAction::LongText,     SoakAction::SelectQuery, SoakAction::SelectHead,
    SoakAction::ToggleHead, SoakAction::ToggleMask,   SoakAction::ToggleCausal, SoakAction::ToggleView,
    SoakAction::ChangeColors, SoakAction::Click,      SoakAction::Save,        SoakAction::Save,
    SoakAction::Save,       SoakAction::Save,         SoakAction::ReloadModel, SoakAction::LongText,
    SoakAction::ToggleHead, SoakAction::ReloadModel,  SoakAction::ResetAll,
};
constexpr int kTourLength = static_cast<int>(sizeof kTour / sizeof kTour[0]);

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

long resident_kib() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

SoakDriver::SoakDriver(int steps, unsigned seed)
    : steps_(steps), seed_(seed), random_(seed), warm_up_steps_(kTourLength + kRandomWarmUpSteps) {}

std::optional<int> SoakDriver::fail(const std::string& message) {
  std::fprintf(stderr, "attnscope: soak step %d: %s\n", step_, message.c_str());
  return 2;
}

void SoakDriver::act(App& app, SoakAction action) {
  if (action == SoakAction::Save) ++saves_;
  click_ = apply_soak_action(app, action, random_);
  click_frame_ = 0;
  // Reloads always finish before the next action; other actions pile up half
  // the time, as fast typing does, so runs are also cancelled and superseded.
  settle_ = action == SoakAction::ReloadModel || click_ || std::bernoulli_distribution(0.5)(random_);
  waiting_since_ = std::chrono::steady_clock::now();
  ++step_;
}

std::optional<int> SoakDriver::before_frame(App& app) {
  peak_rss_kib_ = std::max(peak_rss_kib_, resident_kib());
  // The error modal stands for a message the user reads and dismisses.
  if (!app.state.error_popup.empty()) {
    if (errors_++ == 0) first_error_ = app.state.error_popup;
    app.state.error_popup.clear();
  }
  if (step_ == 0 && !app.state.model) {
    if (!app.loader.busy() && !app.requests.last_load_error.empty()) return fail("cannot load model: " + app.requests.last_load_error);
    if (seconds_since(start_) > kIdleTimeoutSeconds) return fail("the default model did not load");
    return std::nullopt;
  }
  if (click_ || app.requests.screenshot || app.requests.export_request) return std::nullopt;  // being played or saved
  if (settle_ || step_ == warm_up_steps_ || step_ >= warm_up_steps_ + steps_) {
    if (!app_idle(app)) {
      if (seconds_since(waiting_since_) > kIdleTimeoutSeconds) return fail("the app stopped answering");
      return std::nullopt;
    }
    settle_ = false;
  }
  if (step_ == warm_up_steps_ && warm_rss_kib_ == 0) warm_rss_kib_ = resident_kib();
  if (step_ >= warm_up_steps_ + steps_) return finish(app);
  act(app, step_ < kTourLength ? kTour[step_] : pick_soak_action(random_));
  return std::nullopt;
}

void SoakDriver::drive_mouse(ImGuiIO& io) {
  if (!click_) return;
  const ImVec2 at(click_->x * io.DisplaySize.x, click_->y * io.DisplaySize.y);
  const int button = click_->right ? 1 : 0;
  io.MousePos = at;
  // Frame 0 moves there, frame 1 presses, frame 2 releases: ImGui sees a whole click.
  io.MouseDown[button] = click_frame_ == 1;
  if (++click_frame_ > 2) click_.reset();
}

std::optional<int> SoakDriver::after_captures(const CaptureOutcome& screenshot, const CaptureOutcome& figure) {
  for (const CaptureOutcome* o : {&screenshot, &figure})
    if (o->attempted && !o->ok) return fail("save failed: " + o->error);
  return std::nullopt;
}

std::optional<int> SoakDriver::finish(App& app) {
  const long end_rss = resident_kib();
  nlohmann::json report = {{"steps", steps_},           {"seed", seed_},
                           {"warm_up_steps", warm_up_steps_},
                           {"warm_rss_kib", warm_rss_kib_}, {"end_rss_kib", end_rss},
                           {"peak_rss_kib", peak_rss_kib_}, {"seconds", seconds_since(start_)},
                           {"saves", saves_},           {"error_popups", errors_},
                           {"first_error", first_error_}, {"model", app.state.model ? app.state.model->source.string() : ""}};
  std::printf("soak %s\n", report.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  std::fflush(stdout);
  if (static_cast<double>(end_rss) > kMaxGrowth * static_cast<double>(warm_rss_kib_))
    return fail("resident memory grew from " + std::to_string(warm_rss_kib_) + " KiB after warm-up to " +
                std::to_string(end_rss) + " KiB");
  return 0;
}

}  // namespace attnscope::app
