// A one-slot mailbox in front of a worker thread: the UI submits requests,
// a newer request replaces a queued one and asks a running one to cancel, so
// the worker only ever works on what the user last asked for. Results are
// picked up by polling, which never blocks on the work; a finished result
// also wakes a sleeping UI (ui_wake.h).
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "scene/ui_wake.h"

namespace attnscope {

enum class Superseded {
  Keep,  // a finished result is delivered even if a newer request waits (live views keep moving)
  Drop,  // the user no longer wants it (a model load that another load replaced)
};

template <class Request, class Result>
class LatestWins {
 public:
  // `work` runs on the worker thread; it may poll `cancel` and give up early.
  using Work = std::function<Result(const Request& request, const std::atomic<bool>& cancel)>;

  LatestWins(Work work, Superseded superseded) : work_(std::move(work)), superseded_(superseded) {
    thread_ = std::thread([this] { loop(); });
  }
  ~LatestWins() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
      pending_.reset();
      if (running_cancel_) running_cancel_->store(true);
    }
    wake_.notify_all();
    thread_.join();
  }
  LatestWins(const LatestWins&) = delete;
  LatestWins& operator=(const LatestWins&) = delete;

  // Returns the request's number, increasing from 1.
  std::uint64_t submit(Request request) {
    std::lock_guard lock(mutex_);
    pending_ = std::move(request);
    pending_id_ = next_id_++;
    pending_time_ = Clock::now();
    if (running_cancel_) running_cancel_->store(true);
    wake_.notify_all();
    return pending_id_;
  }

  struct Delivery {
    std::uint64_t id = 0;
    std::chrono::steady_clock::time_point submitted;
    Result result;
  };
  std::optional<Delivery> poll() {
    std::lock_guard lock(mutex_);
    std::optional<Delivery> out = std::move(done_);
    done_.reset();
    return out;
  }

  // True while a request is queued, running, or finished but not yet polled.
  bool busy() const {
    std::lock_guard lock(mutex_);
    return pending_.has_value() || current_.has_value() || done_.has_value();
  }

  // The request being worked on (else the queued one) and for how many seconds.
  std::optional<Request> in_progress(double* seconds) const {
    std::lock_guard lock(mutex_);
    const auto& request = current_ ? current_ : pending_;
    if (request && seconds)
      *seconds = current_ ? std::chrono::duration<double>(Clock::now() - current_start_).count() : 0.0;
    return request;
  }

 private:
  using Clock = std::chrono::steady_clock;

  void loop() {
    for (;;) {
      Delivery delivery;
      Request request;
      auto cancel = std::make_shared<std::atomic<bool>>(false);
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stop_ || pending_.has_value(); });
        if (stop_) return;
        request = std::move(*pending_);
        pending_.reset();
        delivery.id = pending_id_;
        delivery.submitted = pending_time_;
        current_ = request;
        current_start_ = Clock::now();
        running_cancel_ = cancel;
      }
      delivery.result = work_(request, *cancel);
      bool wanted = false;
      {
        std::lock_guard lock(mutex_);
        current_.reset();
        running_cancel_.reset();
        wanted = superseded_ == Superseded::Keep ? !cancel->load() : !pending_.has_value();
        if (wanted) done_ = std::move(delivery);
      }
      if (wanted) notify_ui();
    }
  }

  Work work_;
  Superseded superseded_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<Request> pending_;
  std::uint64_t pending_id_ = 0;
  Clock::time_point pending_time_;
  std::uint64_t next_id_ = 1;
  std::optional<Request> current_;
  Clock::time_point current_start_;
  std::shared_ptr<std::atomic<bool>> running_cancel_;  // the running request's cancel flag
  std::optional<Delivery> done_;
  bool stop_ = false;
  std::thread thread_;  // last: starts after every member above exists
};

}  // namespace attnscope
