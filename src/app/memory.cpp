#include "app/memory.h"

#include <malloc.h>

namespace attnscope::app {

namespace {
constexpr int kMmapThresholdBytes = 256 * 1024;  // glibc's starting value is 128 KiB; anything this large is rare
}

void keep_large_buffers_returnable() { mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes); }

void return_free_memory() { malloc_trim(0); }

}  // namespace attnscope::app
