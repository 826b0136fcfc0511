// The loop every trainer runs: update after update until the step count or
// the time limit, with progress lines (tokens/s, cores, ETA), validation and
// checkpoints at their intervals and always after the last step.
#pragma once
#include <filesystem>
#include <functional>
#include <ostream>

namespace attnscope::train {

struct StepStats;

struct LoopSchedule {
  int steps = 0;
  int log_every = 10;
  int eval_every = 0;        // 0 = never
  int checkpoint_every = 0;  // 0 = only after the last step
  std::filesystem::path checkpoint;  // empty = no checkpoints
  double max_seconds = 0;    // 0 = no limit
};

struct LoopHooks {
  std::function<StepStats()> step;          // one update
  std::function<double()> step_tokens;      // tokens the last update trained on
  std::function<double()> validation_loss;  // empty = no validation
  std::function<void()> save;               // writes schedule.checkpoint
};

// `step` counts the updates done, and is advanced by hooks.step.
void run_training_loop(const int& step, const LoopSchedule& schedule, const LoopHooks& hooks, std::ostream& log,
                       const std::function<void(const StepStats&)>& on_step);

}  // namespace attnscope::train
