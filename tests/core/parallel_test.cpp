// The thread pool: every task runs once, nested calls don't deadlock, and a
// task's exception reaches the caller.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/parallel.h"

namespace attnscope {
namespace {

TEST(Parallel, RunsEveryTaskOnce) {
  std::vector<std::atomic<int>> hits(1000);
  parallel_for(1000, [&](int i) { hits[static_cast<size_t>(i)]++; });
  for (auto& h : hits) EXPECT_EQ(h.load(), 1);
}

TEST(Parallel, NestedCallsRunInline) {
  std::atomic<int> total{0};
  parallel_for(8, [&](int) { parallel_for(8, [&](int) { total++; }); });
  EXPECT_EQ(total.load(), 64);
}

TEST(Parallel, ConcurrentCallersAreSerialisedSafely) {
  std::atomic<int> total{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c)
    callers.emplace_back([&] {
      for (int r = 0; r < 50; ++r) parallel_for(16, [&](int) { total++; });
    });
  for (auto& t : callers) t.join();
  EXPECT_EQ(total.load(), 4 * 50 * 16);
}

TEST(Parallel, RethrowsATaskException) {
  EXPECT_THROW(parallel_for(4, [](int i) {
                 if (i == 2) throw std::runtime_error("task 2");
               }),
               std::runtime_error);
  std::atomic<int> after{0};
  parallel_for(4, [&](int) { after++; });  // the pool still works
  EXPECT_EQ(after.load(), 4);
}

}  // namespace
}  // namespace attnscope
