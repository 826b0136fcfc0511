#include "core/subnormals.h"

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

namespace attnscope {
namespace {
constexpr unsigned kFlushToZero = 0x8000;       // MXCSR.FTZ: subnormal results become 0
constexpr unsigned kDenormalsAreZero = 0x0040;  // MXCSR.DAZ: subnormal inputs read as 0
}  // namespace

void flush_subnormals_to_zero() {
#if defined(__SSE__)
  _mm_setcsr(_mm_getcsr() | kFlushToZero | kDenormalsAreZero);
#endif
}

bool flushes_subnormals() {
#if defined(__SSE__)
  return (_mm_getcsr() & (kFlushToZero | kDenormalsAreZero)) == (kFlushToZero | kDenormalsAreZero);
#else
  return false;
#endif
}

}  // namespace attnscope
