#include "app/model_loader_worker.h"

#include <exception>

namespace attnscope::app {

using Clock = std::chrono::steady_clock;

ModelLoaderWorker::ModelLoaderWorker() : thread_([this] { loop(); }) {}

ModelLoaderWorker::~ModelLoaderWorker() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    pending_.reset();
  }
  wake_.notify_all();
  thread_.join();
}

void ModelLoaderWorker::load(std::filesystem::path path) {
  std::lock_guard lock(mutex_);
  pending_ = std::move(path);
  wake_.notify_all();
}

std::optional<LoadResult> ModelLoaderWorker::poll() {
  std::lock_guard lock(mutex_);
  std::optional<LoadResult> out = std::move(done_);
  done_.reset();
  return out;
}

bool ModelLoaderWorker::busy() const {
  std::lock_guard lock(mutex_);
  return pending_.has_value() || current_.has_value() || done_.has_value();
}

std::optional<std::filesystem::path> ModelLoaderWorker::loading(double* seconds) const {
  std::lock_guard lock(mutex_);
  const auto& path = current_ ? current_ : pending_;
  if (path && seconds) *seconds = current_ ? std::chrono::duration<double>(Clock::now() - current_start_).count() : 0.0;
  return path;
}

void ModelLoaderWorker::loop() {
  for (;;) {
    std::filesystem::path path;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || pending_.has_value(); });
      if (stop_) return;
      path = std::move(*pending_);
      pending_.reset();
      current_ = path;
      current_start_ = Clock::now();
    }
    LoadResult result;
    result.path = path;
    const auto start = Clock::now();
    try {
      result.model = load_model(path);
    } catch (const std::exception& e) {
      result.error = e.what();
    }
    result.load_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    std::lock_guard lock(mutex_);
    current_.reset();
    // Superseded by a newer request: the user no longer wants this one.
    if (!pending_) done_ = std::move(result);
  }
}

}  // namespace attnscope::app
