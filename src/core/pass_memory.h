// How the process's allocator treats the buffers of one forward pass.
//
// A pass allocates its captures afresh (at T = 512 on GPT-2 small: 151 MB
// of probabilities, 75 MB of q, k, v and head outputs), and the previous
// snapshot frees about as much. Returned to the kernel and taken again, those
// pages cost a page fault each: a quarter of a T = 512 pass on this machine's
// virtual CPUs, and most of an edit at the end of a T = 512 text. Kept in the
// heap, the next pass reuses them.
#pragma once

namespace attnscope {

// Call once at start, before the first large allocation. Blocks up to 64 MB
// come from the heap, and up to 256 MB of freed heap stays for the next
// pass; larger blocks (a T × V logits matrix) keep their own mappings and
// go back to the kernel when freed.
void reuse_freed_pass_memory();

}  // namespace attnscope
