#include "parallel.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace attnscope {
namespace {

// Set while a thread runs a task, so that a nested parallel_for (an op that
// splits its own work, called from inside a split) runs inline instead of
// waiting for a pool that is busy with its caller.
thread_local bool t_in_task = false;

struct TaskScope {
  TaskScope() { t_in_task = true; }
  ~TaskScope() { t_in_task = false; }
};

// One parallel_for call. Workers hold it by shared_ptr, so a worker that
// wakes late sees an exhausted counter of its own job, never a newer job's.
struct Job {
  const std::function<void(int)>* fn = nullptr;
  int n_tasks = 0;
  std::atomic<int> next{0};
  std::mutex mutex;
  std::condition_variable done;
  int pending = 0;
  std::exception_ptr error;

  void drain() {
    for (;;) {
      int task = next.fetch_add(1);
      if (task >= n_tasks) return;
      std::exception_ptr failure;
      try {
        TaskScope scope;
        (*fn)(task);
      } catch (...) {
        failure = std::current_exception();
      }
      std::lock_guard lock(mutex);
      if (failure && !error) error = failure;
      if (--pending == 0) done.notify_all();
    }
  }
};

class Pool {
 public:
  Pool() {
    unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 1; i < hw; ++i) workers_.emplace_back([this] { work(); });
  }
  ~Pool() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
  }

  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  void run(int n_tasks, const std::function<void(int)>& fn) {
    if (n_tasks <= 0) return;
    if (n_tasks == 1 || workers_.empty() || t_in_task) {
      for (int i = 0; i < n_tasks; ++i) fn(i);
      return;
    }
    std::lock_guard serial(call_mutex_);
    auto job = std::make_shared<Job>();
    job->fn = &fn;
    job->n_tasks = n_tasks;
    job->pending = n_tasks;
    {
      std::lock_guard lock(mutex_);
      job_ = job;
      ++generation_;
    }
    wake_.notify_all();
    job->drain();
    {
      std::unique_lock lock(job->mutex);
      job->done.wait(lock, [&] { return job->pending == 0; });
    }
    {
      std::lock_guard lock(mutex_);
      job_.reset();
    }
    if (job->error) std::rethrow_exception(job->error);
  }

 private:
  void work() {
    unsigned long seen = 0;
    for (;;) {
      std::shared_ptr<Job> job;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
        job = job_;
      }
      if (job) job->drain();
    }
  }

  std::vector<std::thread> workers_;
  std::mutex call_mutex_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::shared_ptr<Job> job_;
  unsigned long generation_ = 0;
  bool stop_ = false;
};

Pool& pool() {
  static Pool instance;
  return instance;
}

}  // namespace

void parallel_for(int n_tasks, const std::function<void(int)>& fn) { pool().run(n_tasks, fn); }

int parallel_threads() { return pool().threads(); }

}  // namespace attnscope
