// A worker's finished result wakes a sleeping UI: LatestWins calls the hook
// once per delivered result, a cancelled result is not delivered and wakes
// nobody, and without a hook nothing happens.
#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "scene/latest_wins.h"
#include "scene/ui_wake.h"

namespace attnscope {
namespace {

std::atomic<int> g_wakes{0};
void count_wake() { ++g_wakes; }

// Polls until a result arrives (the test's own loop, never the hook).
template <class Worker>
int wait_for_result(Worker& worker) {
  for (int i = 0; i < 2000; ++i) {
    if (auto delivery = worker.poll()) return delivery->result;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return -1;
}

TEST(UiWake, EachDeliveredResultWakesTheUiOnce) {
  g_wakes = 0;
  set_ui_wake_hook(count_wake);
  {
    LatestWins<int, int> worker([](const int& request, const std::atomic<bool>&) { return request * 2; }, Superseded::Keep);
    worker.submit(3);
    EXPECT_EQ(wait_for_result(worker), 6);
    EXPECT_EQ(g_wakes.load(), 1);
    worker.submit(4);
    EXPECT_EQ(wait_for_result(worker), 8);
    EXPECT_EQ(g_wakes.load(), 2);
  }
  set_ui_wake_hook(nullptr);
  notify_ui();
  EXPECT_EQ(g_wakes.load(), 2);
}

TEST(UiWake, ACancelledRunWakesNobody) {
  g_wakes = 0;
  set_ui_wake_hook(count_wake);
  std::atomic<bool> started{false}, release{false};
  {
    LatestWins<int, int> worker(
        [&](const int& request, const std::atomic<bool>& cancel) {
          started = true;
          while (request == 1 && !cancel && !release) std::this_thread::yield();
          return request;
        },
        Superseded::Keep);
    worker.submit(1);
    while (!started) std::this_thread::yield();
    worker.submit(2);  // cancels the first; only the second is delivered
    EXPECT_EQ(wait_for_result(worker), 2);
    EXPECT_EQ(g_wakes.load(), 1);
  }
  set_ui_wake_hook(nullptr);
}

}  // namespace
}  // namespace attnscope
