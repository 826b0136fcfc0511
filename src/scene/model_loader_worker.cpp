#include "scene/model_loader_worker.h"

#include <chrono>
#include <exception>

namespace attnscope {

namespace {

LoadResult load_in_background(const std::filesystem::path& path, const std::atomic<bool>&) {
  LoadResult result;
  result.path = path;
  const auto start = std::chrono::steady_clock::now();
  try {
    result.model = load_model(path);
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  result.load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace

ModelLoaderWorker::ModelLoaderWorker() : mailbox_(load_in_background, Superseded::Drop) {}

std::optional<LoadResult> ModelLoaderWorker::poll() {
  auto delivery = mailbox_.poll();
  if (!delivery) return std::nullopt;
  return std::move(delivery->result);
}

}  // namespace attnscope
