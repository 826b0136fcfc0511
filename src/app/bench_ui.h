// --bench-ui: measures what a user feels, inside the real app and window.
//  1. UI frame time (median, p95 over 200 frames) with every head of the
//     model view drawn, at T = 64 (the latency test's length), 512 and 1024;
//  2. keystroke-to-updated-heatmap latency at T = 64: from an edit of the text
//     to the end of the first presented frame that shows its snapshot;
//  3. frame time right after a 100,000-character paste, with the text box
//     active, while the worker tokenizes and cuts it.
// Without --model it builds a GPT-2-small-shaped checkpoint (12 layers x 12
// heads, D = 768, context 1024, random weights, byte-level vocabulary) in a
// temporary folder and removes it at the end.
#pragma once
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/app.h"

namespace attnscope::app {

class BenchUi {
 public:
  explicit BenchUi(const std::optional<std::string>& model);
  ~BenchUi();
  const std::filesystem::path& model_path() const { return model_path_; }

  void before_frame(App& app);
  // After the frame is presented. Returns true when the benchmark is over.
  bool after_swap(App& app);
  // Between a keystroke and the frame that shows its result: the loop may sleep.
  bool waiting_for_result() const { return phase_ == Phase::LatencyWait; }

 private:
  enum class Phase { Load, SizeText, Warmup, Measure, LatencyIdle, LatencyWait, LongText, Done };
  void start_size(App& app, int tokens);
  void report_frames(const char* what);

  std::filesystem::path model_path_;
  std::filesystem::path temp_folder_;  // removed at the end when we made it
  Phase phase_ = Phase::Load;
  std::vector<int> sizes_ = {64, 512, 1024};
  size_t size_index_ = 0;
  int target_tokens_ = 0;
  int size_attempts_ = 0;
  std::vector<double> frame_ms_;
  std::vector<double> process_cpu_ms_;  // CPU time of every thread (llvmpipe's included) per frame
  std::vector<double> ui_cpu_ms_;       // CPU time of the UI thread per frame
  double last_process_cpu_ = 0, last_ui_cpu_ = 0;
  std::vector<double> latency_ms_;
  std::string expected_text_;
  int frames_in_phase_ = 0;
  std::chrono::steady_clock::time_point last_swap_;
  std::chrono::steady_clock::time_point keystroke_;
};

}  // namespace attnscope::app
