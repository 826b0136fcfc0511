#include "train/training_loop.h"

#include <algorithm>
#include <chrono>
#include <ctime>

#include "train/trainer.h"

namespace attnscope::train {

namespace {

bool every(int step, int interval) { return interval > 0 && step % interval == 0; }

}  // namespace

void run_training_loop(const int& step, const LoopSchedule& schedule, const LoopHooks& hooks, std::ostream& log,
                       const std::function<void(const StepStats&)>& on_step) {
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  const std::clock_t cpu_started = std::clock();  // CPU time of all threads: shows how much the machine gave us
  const int first_step = step;
  double tokens = 0, loss_sum = 0;
  int loss_count = 0;
  while (step < schedule.steps) {
    const StepStats stats = hooks.step();
    tokens += hooks.step_tokens();
    loss_sum += stats.loss;
    ++loss_count;
    if (on_step) on_step(stats);
    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    const bool out_of_time = schedule.max_seconds > 0 && elapsed >= schedule.max_seconds;
    const bool last = step == schedule.steps || out_of_time;
    if (every(step, schedule.log_every) || last) {
      double remaining = elapsed / (step - first_step) * (schedule.steps - step);
      if (schedule.max_seconds > 0) remaining = std::min(remaining, schedule.max_seconds - elapsed);
      const double cores = static_cast<double>(std::clock() - cpu_started) / CLOCKS_PER_SEC / elapsed;
      log << format_progress({step, schedule.steps, loss_sum / loss_count, stats.grad_norm, stats.lr, tokens / elapsed, cores, elapsed,
                              remaining})
          << std::endl;
      loss_sum = 0;
      loss_count = 0;
    }
    if (hooks.validation_loss && schedule.eval_every > 0 && (every(step, schedule.eval_every) || last))
      log << format_validation(step, hooks.validation_loss()) << std::endl;
    if (!schedule.checkpoint.empty() && (every(step, schedule.checkpoint_every) || last)) {
      hooks.save();
      log << "step " << step << " | checkpoint " << schedule.checkpoint.string() << std::endl;
    }
    if (out_of_time) {
      log << "stopping: time limit of " << format_duration(schedule.max_seconds) << " reached" << std::endl;
      break;
    }
  }
}

}  // namespace attnscope::train
