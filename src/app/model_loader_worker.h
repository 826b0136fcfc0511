// Loads a model on a background thread so that the UI keeps drawing (with a
// spinner) while a large checkpoint is mapped and checked. A failed load
// reports the loader's message and leaves whatever model the app has alone.
#pragma once
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/model.h"

namespace attnscope::app {

struct LoadResult {
  std::filesystem::path path;
  std::shared_ptr<const Model> model;  // null on failure
  std::string error;                   // the loader's one-line message
  double load_ms = 0;
};

class ModelLoaderWorker {
 public:
  ModelLoaderWorker();
  ~ModelLoaderWorker();
  ModelLoaderWorker(const ModelLoaderWorker&) = delete;
  ModelLoaderWorker& operator=(const ModelLoaderWorker&) = delete;

  // A newer request replaces a queued one; a load in progress runs to the end
  // (load_model cannot be interrupted) and its result is then dropped.
  void load(std::filesystem::path path);
  std::optional<LoadResult> poll();
  bool busy() const;
  // The path being loaded and for how long, for the progress indicator.
  std::optional<std::filesystem::path> loading(double* seconds) const;

 private:
  void loop();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<std::filesystem::path> pending_;
  std::optional<std::filesystem::path> current_;
  std::chrono::steady_clock::time_point current_start_;
  std::optional<LoadResult> done_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace attnscope::app
