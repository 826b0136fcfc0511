// Loads a model on a background thread so that the UI keeps drawing (with a
// spinner) while a large checkpoint is mapped and checked. A failed load
// reports the loader's message and leaves whatever model the app has alone.
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/model.h"
#include "scene/latest_wins.h"

namespace attnscope {

struct LoadResult {
  std::filesystem::path path;
  std::shared_ptr<const Model> model;  // null on failure
  std::string error;                   // the loader's one-line message
  double load_ms = 0;
};

class ModelLoaderWorker {
 public:
  ModelLoaderWorker();

  // A newer request replaces a queued one; a load in progress runs to the end
  // (load_model cannot be interrupted) and its result is then dropped.
  void load(std::filesystem::path path) { mailbox_.submit(std::move(path)); }
  std::optional<LoadResult> poll();
  bool busy() const { return mailbox_.busy(); }
  // The path being loaded and for how long, for the progress indicator.
  std::optional<std::filesystem::path> loading(double* seconds) const { return mailbox_.in_progress(seconds); }

 private:
  LatestWins<std::filesystem::path, LoadResult> mailbox_;
};

}  // namespace attnscope
