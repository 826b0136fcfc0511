// The random things a user does to the app, for the soak run: each one the
// same change to the app's state that a click, a key or a menu makes, drawn
// from a seeded generator so that a failing run can be repeated.
#pragma once
#include <optional>
#include <random>
#include <string>

#include "app/app.h"

namespace attnscope::app {

enum class SoakAction {
  EditText, LongText, SelectQuery, SelectHead, ToggleHead, ToggleMask, ToggleCausal,
  ToggleView, ChangeColors, Click, Save, ReloadModel, ResetAll,
};
constexpr int kSoakActionCount = 13;

const char* soak_action_name(SoakAction action);

// Weighted like a session at the desk: many edits and clicks, few reloads.
SoakAction pick_soak_action(std::mt19937& random);

// A mouse click for the frame loop to play: press on one frame, release on the next.
struct SoakClick {
  float x = 0, y = 0;  // fractions of the window, 0..1
  bool right = false;
};

// Carries out `action` on the app. A click is returned for the frame loop
// to play rather than applied here; a reload names the other default model.
std::optional<SoakClick> apply_soak_action(App& app, SoakAction action, std::mt19937& random);

}  // namespace attnscope::app
