// How the process's allocator treats the buffers of one forward pass.
//
// A pass allocates its captures afresh (at T = 512 on GPT-2 small: 151 MB
// of probabilities, 75 MB of q, k, v and head outputs), and the previous
// snapshot frees about as much. Returned to the kernel and taken again, those
// pages cost a page fault each, which is slow on virtual CPUs. Kept in the
// heap, the next pass reuses them: on GPT-2 small at T = 512 a pass went
// from 1058-1174 ms to 703-812 ms, and an edit at the end from 394-423 ms to
// 82-99 ms (attnscope-bench, docs/performance.md).
#pragma once

namespace attnscope {

// Call once at start, before the first large allocation. Blocks up to 64 MB
// come from the heap, and up to 256 MB of freed heap stays for the next
// pass; larger blocks (a T × V logits matrix) keep their own mappings and
// go back to the kernel when freed.
void reuse_freed_pass_memory();

}  // namespace attnscope
