// Saving onto a file that exists asks first. The save that was refused is
// kept as a function that repeats it with Overwrite::Allow, run only when the
// user answers "Replace"; "Keep" drops it and the file stays as it was.
#pragma once
#include <filesystem>
#include <functional>
#include <string>

namespace attnscope::app {

struct App;

struct OverwriteQuestion {
  std::filesystem::path path;          // the file that exists
  std::string what;                    // "Screenshot", "Figure", "Session"
  std::function<void(App&)> replace;   // repeats the save, replacing the file
};

// After a save failed: true (and the question is set) when `path` exists and
// the user can be asked whether to replace it. A scripted run never asks: the
// refusal is its answer.
bool ask_to_replace(App& app, const std::filesystem::path& path, const std::string& what,
                    std::function<void(App&)> replace);

// The modal: "Replace" runs the kept save, "Keep" drops it. Waits while the
// error modal is up, so neither hides the other.
void draw_overwrite_question(App& app);

}  // namespace attnscope::app
