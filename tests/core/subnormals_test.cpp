// Flush-to-zero: a subnormal result becomes 0 in the thread that asked and
// in the threads it starts afterwards (the trainer's worker pool).
#include <gtest/gtest.h>

#include <thread>

#include "core/subnormals.h"

namespace attnscope {
namespace {

// Half of the smallest normal float: subnormal unless flushed.
float half_of_smallest_normal() {
  volatile float smallest = 1.17549435e-38f;
  volatile float half = 0.5f;
  return smallest * half;
}

TEST(Subnormals, FlushedInTheThreadThatAsksAndInTheThreadsItStarts) {
  // In threads of its own, so that no other test runs with the setting.
  std::thread asking([] {
    EXPECT_FALSE(flushes_subnormals());
    EXPECT_GT(half_of_smallest_normal(), 0.0f);
    flush_subnormals_to_zero();
    EXPECT_TRUE(flushes_subnormals());
    EXPECT_EQ(half_of_smallest_normal(), 0.0f);
    std::thread started([] {
      EXPECT_TRUE(flushes_subnormals());
      EXPECT_EQ(half_of_smallest_normal(), 0.0f);
    });
    started.join();
  });
  asking.join();
  EXPECT_GT(half_of_smallest_normal(), 0.0f);
}

}  // namespace
}  // namespace attnscope
