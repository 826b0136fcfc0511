// A tiny persistent thread pool. Small matrices (T ≈ 16) are common here and
// Eigen's own threading is slow for them; splitting the output columns of a
// layer by hand over the cores, without spawning threads per call, is faster.
#pragma once
#include <functional>

namespace attnscope {

// Runs fn(task) for task in [0, n_tasks) across the pool and the calling
// thread, and returns when all are done. Safe to call from several threads
// (calls are serialised); a call from inside a task runs inline. Exceptions
// thrown by fn are rethrown here.
void parallel_for(int n_tasks, const std::function<void(int task)>& fn);

// Threads that parallel_for uses, including the caller (>= 1).
int parallel_threads();

}  // namespace attnscope
