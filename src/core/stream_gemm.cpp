#include "stream_gemm.h"

// GCC 12's AVX-512 headers start some intrinsics from an undefined register
// on purpose, and -Wuninitialized reports each use at its inlining site.
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>

#include <algorithm>

#include "weight_panels.h"

namespace attnscope {
namespace {

#define ATTNSCOPE_AVX512 __attribute__((target("avx512f")))

constexpr int kLane = 16;      // floats per AVX-512 register
constexpr int kTileRegs = 3;   // [in, out] layout: a tile is 3 registers (48 columns) wide
constexpr int kTileRows = 8;   // ... and 8 rows tall: 24 accumulators of the 32 registers
constexpr int kDotOutputs = 3; // [out, in] layout: 3 weight rows at once, 8 x rows: 24 accumulators
// Rows ahead that the [in, out] tile asks the memory system for: its rows are
// a whole layer width apart, and the hardware prefetchers do not follow a
// stride that long across pages.
constexpr int kPrefetchRows = 16;

// y[R, 48 cols] = x[R, :in] · W[:in, 48 cols], W row-major [in, out] with row stride ldw.
template <int R>
ATTNSCOPE_AVX512 void tile_in_out(const float* x, long ldx, int in, const float* w, long ldw, float* y, long ldy) {
  __m512 acc[R][kTileRegs];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int c = 0; c < kTileRegs; ++c) acc[r][c] = _mm512_setzero_ps();
  for (int k = 0; k < in; ++k) {
    const float* wk = w + k * ldw;
    if (k + kPrefetchRows < in) {
#pragma GCC unroll 4
      for (int c = 0; c < kTileRegs; ++c) _mm_prefetch(reinterpret_cast<const char*>(wk + kPrefetchRows * ldw + kLane * c), _MM_HINT_T0);
    }
    __m512 wv[kTileRegs];
#pragma GCC unroll 4
    for (int c = 0; c < kTileRegs; ++c) wv[c] = _mm512_loadu_ps(wk + kLane * c);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      const __m512 xv = _mm512_set1_ps(x[r * ldx + k]);
#pragma GCC unroll 4
      for (int c = 0; c < kTileRegs; ++c) acc[r][c] = _mm512_fmadd_ps(xv, wv[c], acc[r][c]);
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int c = 0; c < kTileRegs; ++c) _mm512_storeu_ps(y + r * ldy + kLane * c, acc[r][c]);
}

// The sum of the 16 lanes (AVX-512F only, unlike _mm512_reduce_add_ps's
// header, which GCC 12 warns about).
ATTNSCOPE_AVX512 float lane_sum(__m512 v) {
  v = _mm512_add_ps(v, _mm512_shuffle_f32x4(v, v, _MM_SHUFFLE(1, 0, 3, 2)));
  v = _mm512_add_ps(v, _mm512_shuffle_f32x4(v, v, _MM_SHUFFLE(2, 3, 0, 1)));
  v = _mm512_add_ps(v, _mm512_permute_ps(v, _MM_SHUFFLE(1, 0, 3, 2)));
  v = _mm512_add_ps(v, _mm512_permute_ps(v, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm512_cvtss_f32(v);
}

// y[R, O] = x[R, :in] · W[O, :in]ᵀ, W row-major [out, in] with row stride ldw.
template <int R, int O>
ATTNSCOPE_AVX512 void dot_out_in(const float* x, long ldx, int in, const float* w, long ldw, float* y, long ldy,
                                 bool prefetch_next) {
  __m512 acc[R][O];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int o = 0; o < O; ++o) acc[r][o] = _mm512_setzero_ps();
  for (int k = 0; k < in; k += kLane) {
    const __mmask16 mask = in - k >= kLane ? __mmask16(0xffff) : __mmask16((1u << (in - k)) - 1);
    __m512 wv[O];
#pragma GCC unroll 4
    for (int o = 0; o < O; ++o) {
      // The same place in the next outputs' rows: a whole dot product ahead.
      if (prefetch_next) _mm_prefetch(reinterpret_cast<const char*>(w + (O + o) * ldw + k), _MM_HINT_T0);
      wv[o] = _mm512_maskz_loadu_ps(mask, w + o * ldw + k);
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      const __m512 xv = _mm512_maskz_loadu_ps(mask, x + r * ldx + k);
#pragma GCC unroll 4
      for (int o = 0; o < O; ++o) acc[r][o] = _mm512_fmadd_ps(xv, wv[o], acc[r][o]);
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int o = 0; o < O; ++o) y[r * ldy + o] = lane_sum(acc[r][o]);
}

// Dispatches a block of 1..8 rows to the kernel compiled for that count.
template <template <int> class Kernel, class... Args>
void for_rows(int rows, Args... args) {
  switch (rows) {
    case 1: Kernel<1>::run(args...); break;
    case 2: Kernel<2>::run(args...); break;
    case 3: Kernel<3>::run(args...); break;
    case 4: Kernel<4>::run(args...); break;
    case 5: Kernel<5>::run(args...); break;
    case 6: Kernel<6>::run(args...); break;
    case 7: Kernel<7>::run(args...); break;
    default: Kernel<8>::run(args...); break;
  }
}

template <int R>
struct InOutTile {
  static void run(const float* x, long ldx, int in, const float* w, long ldw, float* y, long ldy) {
    tile_in_out<R>(x, ldx, in, w, ldw, y, ldy);
  }
};

template <int R>
struct OutInDots {
  static void run(const float* x, long ldx, int in, const float* w, long ldw, float* y, long ldy, int outputs, bool more) {
    if (outputs == kDotOutputs) dot_out_in<R, kDotOutputs>(x, ldx, in, w, ldw, y, ldy, more);
    else if (outputs == 2) dot_out_in<R, 2>(x, ldx, in, w, ldw, y, ldy, false);
    else dot_out_in<R, 1>(x, ldx, in, w, ldw, y, ldy, false);
  }
};

// Returns the first column not done: the caller finishes the last partial tile.
int in_out_columns(const MatrixRM& x, const Linear& l, int begin, int end, MatrixRM& y) {
  constexpr int width = kLane * kTileRegs;
  const int T = static_cast<int>(x.rows());
  int n = begin;
  for (; n + width <= end; n += width) {
    // A panel is this tile's [in, 48] block, stored on its own (weight_panels.h).
    const float* w = l.panels ? l.w + static_cast<std::int64_t>(n) * l.in : l.w + n;
    for (int t = 0; t < T; t += kTileRows)
      for_rows<InOutTile>(std::min(kTileRows, T - t), x.row(t).data(), static_cast<long>(x.cols()), l.in, w,
                          static_cast<long>(l.stride), y.row(t).data() + n, static_cast<long>(y.cols()));
  }
  return n;
}

void out_in_columns(const MatrixRM& x, const Linear& l, int begin, int end, MatrixRM& y) {
  const int T = static_cast<int>(x.rows());
  for (int n = begin; n < end; n += kDotOutputs)
    for (int t = 0; t < T; t += kTileRows)
      for_rows<OutInDots>(std::min(kTileRows, T - t), x.row(t).data(), static_cast<long>(x.cols()), l.in,
                          l.w + static_cast<std::int64_t>(n) * l.stride, static_cast<long>(l.stride), y.row(t).data() + n,
                          static_cast<long>(y.cols()), std::min(kDotOutputs, end - n), t == 0 && n + 2 * kDotOutputs <= end);
}

}  // namespace

bool stream_gemm_available() {
  static const bool available = __builtin_cpu_supports("avx512f");
  return available;
}

void stream_columns(const MatrixRM& x, const Linear& l, int begin, int end, MatrixRM& y, ColumnsFn rest) {
  static_assert(kLane * kTileRegs == kPanelColumns, "a tile reads one whole panel");
  if (!l.in_out) {
    out_in_columns(x, l, begin, end, y);
    return;
  }
  const int done = in_out_columns(x, l, begin, end, y);
  if (done < end) rest(x, l, done, end, y);
}

}  // namespace attnscope
