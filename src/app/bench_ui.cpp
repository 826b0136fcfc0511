#include "app/bench_ui.h"

#include <GL/gl.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>

#include <time.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/synthetic_gpt2.h"

namespace attnscope::app {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kWarmupFrames = 20;
constexpr int kMeasuredFrames = 200;
constexpr int kLatencySamples = 30;
constexpr int kLatencyTokens = 64;
constexpr int kPasteChars = 100000;

double cpu_ms(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
  return v[i];
}

// Text of roughly `chars` bytes of plain English words.
std::string synthetic_text(int chars) {
  static const std::string words = "the quick brown fox jumps over the lazy dog while the cat sleeps on a warm mat ";
  std::string text;
  while (static_cast<int>(text.size()) < chars) text += words;
  text.resize(static_cast<size_t>(std::max(chars, 1)));
  return text;
}

}  // namespace

BenchUi::BenchUi(const std::optional<std::string>& model) {
  if (model) {
    model_path_ = *model;
    return;
  }
  temp_folder_ = fs::temp_directory_path() / ("attnscope-bench-" + std::to_string(::getpid()));
  std::printf("bench: writing a GPT-2-small-shaped checkpoint (12 layers x 12 heads, D 768, context 1024) to %s\n",
              temp_folder_.c_str());
  std::fflush(stdout);
  // The byte-level vocabulary only: typed text becomes one token per byte.
  write_synthetic_gpt2(temp_folder_, Gpt2Shape{12, 12, 768, 257, 1024}, 1);
  model_path_ = temp_folder_;
}

BenchUi::~BenchUi() {
  std::error_code ec;
  if (!temp_folder_.empty()) fs::remove_all(temp_folder_, ec);
}

void BenchUi::start_size(App& app, int tokens) {
  target_tokens_ = tokens;
  size_attempts_ = 0;
  app.state.text = synthetic_text(tokens);
  app.state.request_run();
  frames_in_phase_ = 0;
  phase_ = Phase::SizeText;
}

void BenchUi::report_frames(const char* what) {
  // On a shared machine the wall time depends on the neighbours; the CPU time
  // a frame costs does not.
  std::printf("bench: UI frame time, %s, T = %d: median %.2f ms, p95 %.2f ms (%zu frames); CPU per frame: median %.2f ms "
              "all threads, %.2f ms UI thread\n",
              what, target_tokens_, percentile(frame_ms_, 0.5), percentile(frame_ms_, 0.95), frame_ms_.size(),
              percentile(process_cpu_ms_, 0.5), percentile(ui_cpu_ms_, 0.5));
  std::fflush(stdout);
}

void BenchUi::before_frame(App& app) {
  AppState& s = app.state;
  switch (phase_) {
    case Phase::Load:
      if (!s.model || !app_idle(app)) return;
      std::printf("bench: model %s (%d layers x %d heads, context %d)\n", s.model->source.c_str(),
                  s.model->config.n_layers, s.model->config.n_heads, s.model->config.max_positions);
      // Every head of the model view, and nothing else that scales with T.
      s.show = ViewVisibility{false, false, true, false, false};
      size_index_ = 0;
      start_size(app, sizes_[0]);
      return;
    case Phase::SizeText: {
      if (!app_idle(app) || !s.snapshot) return;
      const int n = s.snapshot->n_tokens;
      const int max = s.model->config.max_positions;
      if (n == std::min(target_tokens_, max) || ++size_attempts_ > 8) {
        if (n < target_tokens_) std::printf("bench: T = %d is beyond the context; measuring at T = %d\n", target_tokens_, n);
        target_tokens_ = n;
        phase_ = sizes_.empty() ? Phase::LatencyIdle : Phase::Warmup;
        frames_in_phase_ = 0;
        return;
      }
      // Grow or shrink the text by the missing number of tokens, scaled by bytes per token.
      const double bytes_per_token = static_cast<double>(s.snapshot->text.size()) / std::max(n, 1);
      const int chars = static_cast<int>(static_cast<double>(s.text.size()) + (target_tokens_ - n) * bytes_per_token);
      s.text = synthetic_text(std::max(chars, 1));
      s.request_run();
      return;
    }
    case Phase::LatencyIdle:
      if (!app_idle(app) || ++frames_in_phase_ < 5) return;
      // The keystroke: the last letter of the text flips, so T stays the same.
      s.text.back() = s.text.back() == 'a' ? 'b' : 'a';
      s.request_run();
      expected_text_ = s.text;
      keystroke_ = Clock::now();
      phase_ = Phase::LatencyWait;
      return;
    default:
      return;
  }
}

bool BenchUi::after_swap(App& app) {
  glFinish();  // count the GPU's (llvmpipe's) part of the frame too
  const auto now = Clock::now();
  const double frame = std::chrono::duration<double, std::milli>(now - last_swap_).count();
  last_swap_ = now;
  const double process_cpu = cpu_ms(CLOCK_PROCESS_CPUTIME_ID), ui_cpu = cpu_ms(CLOCK_THREAD_CPUTIME_ID);
  const double frame_process_cpu = process_cpu - last_process_cpu_, frame_ui_cpu = ui_cpu - last_ui_cpu_;
  last_process_cpu_ = process_cpu;
  last_ui_cpu_ = ui_cpu;
  AppState& s = app.state;
  switch (phase_) {
    case Phase::Warmup:
      if (++frames_in_phase_ >= kWarmupFrames) {
        frame_ms_.clear();
        process_cpu_ms_.clear();
        ui_cpu_ms_.clear();
        phase_ = Phase::Measure;
      }
      return false;
    case Phase::Measure:
      frame_ms_.push_back(frame);
      process_cpu_ms_.push_back(frame_process_cpu);
      ui_cpu_ms_.push_back(frame_ui_cpu);
      if (static_cast<int>(frame_ms_.size()) < kMeasuredFrames) return false;
      if (!s.show.heatmap) {
        report_frames("model view alone");
        // The same size again with every default view open.
        s.show = ViewVisibility{};
        phase_ = Phase::Warmup;
        frames_in_phase_ = 0;
        return false;
      }
      report_frames("all default views");
      s.show = ViewVisibility{false, false, true, false, false};
      if (++size_index_ < sizes_.size()) {
        start_size(app, sizes_[size_index_]);
        return false;
      }
      s.show = ViewVisibility{};
      start_size(app, kLatencyTokens);
      sizes_.clear();
      return false;
    case Phase::SizeText:
      return false;
    case Phase::LatencyWait: {
      if (!s.snapshot || s.snapshot->text != expected_text_) return false;
      latency_ms_.push_back(std::chrono::duration<double, std::milli>(now - keystroke_).count());
      frames_in_phase_ = 0;
      if (static_cast<int>(latency_ms_.size()) < kLatencySamples) {
        phase_ = Phase::LatencyIdle;
        return false;
      }
      std::printf("bench: keystroke to updated heatmap, T = %d: median %.2f ms, p95 %.2f ms (forward pass %.2f ms; %zu edits)\n",
                  s.snapshot->n_tokens, percentile(latency_ms_, 0.5), percentile(latency_ms_, 0.95), app.runs.last_run_ms,
                  latency_ms_.size());
      std::fflush(stdout);
      // A huge paste: the text box stays active and the frames keep coming.
      s.text = synthetic_text(kPasteChars);
      s.request_run();
      app.ui.focus_text = true;
      frame_ms_.clear();
      ui_cpu_ms_.clear();
      phase_ = Phase::LongText;
      return false;
    }
    case Phase::LongText:
      frame_ms_.push_back(frame);
      ui_cpu_ms_.push_back(frame_ui_cpu);
      if (static_cast<int>(frame_ms_.size()) < kMeasuredFrames / 2) return false;
      std::printf("bench: frames after a %d-character paste (text box active, worker busy): median %.2f ms, p95 %.2f ms, "
                  "max %.2f ms; UI thread CPU per frame: median %.2f ms, max %.2f ms\n",
                  kPasteChars, percentile(frame_ms_, 0.5), percentile(frame_ms_, 0.95), percentile(frame_ms_, 1.0),
                  percentile(ui_cpu_ms_, 0.5), percentile(ui_cpu_ms_, 1.0));
      std::fflush(stdout);
      phase_ = Phase::Done;
      return true;
    default:
      return phase_ == Phase::Done;
  }
}

}  // namespace attnscope::app
