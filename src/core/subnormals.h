// Subnormal floats (below 1.2e-38) take a slow microcode path in x86's
// vector units. Training makes attention sharp, its softmax then holds
// weights like exp(-100) that are subnormal, and every product that reads
// them slows down: a masked-model run fell to half its speed over 20 minutes
// (docs/performance.md). Treating them as zero changes no result that
// matters, since they are far below float rounding of any sum they join.
#pragma once

namespace attnscope {

// Sets flush-to-zero and denormals-are-zero for the calling thread; threads
// it starts later inherit the setting. Does nothing on CPUs without SSE.
void flush_subnormals_to_zero();

// Whether the calling thread flushes subnormals to zero.
bool flushes_subnormals();

}  // namespace attnscope
