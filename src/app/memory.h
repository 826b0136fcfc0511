// Giving memory back to the system over a long session. glibc serves a freed
// large block's size from the heap from then on (its mmap threshold grows up
// to 32 MiB), so the weights, images and PNG encodings of one hour stay
// resident for good once freed. A fixed threshold keeps such buffers in their
// own mappings, returned when freed.
#pragma once

namespace attnscope::app {

// Call once at start, before the first large allocation.
void keep_large_buffers_returnable();

// Hands free heap pages back; worth it after a model is replaced.
void return_free_memory();

}  // namespace attnscope::app
