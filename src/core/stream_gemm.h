// The dense products of the forward pass, written so that each weight is read
// from memory once, straight into AVX-512 registers, without packing.
//
// At small T a dense layer is bandwidth-bound: the whole pass must stream its
// weights (495 MB for GPT-2 small) for a few rows of arithmetic, and a general
// GEMM that packs each weight panel before using it reads every weight twice
// and writes it once. Here a tile of 8 rows × 48 columns keeps its partial
// sums in 24 registers for the whole inner dimension; the next 8 rows reuse
// the same weight tile from L2. Loading already laid the weights out as
// such tiles, one after another (weight_panels.h). At large T the same tiles are compute-bound:
// on GPT-2 small they measured faster than the path they replaced (Eigen
// below 16 rows, single-threaded OpenBLAS panels from 16) at every T from 2
// to 1024 (docs/performance.md).
//
// Shape legend: T tokens (rows of x, at least kStreamMinRows), in/out the
// layer's widths.
#pragma once
#include "gemm.h"

namespace attnscope {

// A single row is a plain matrix-vector product, which Eigen already streams
// row by row: the tiles measured slower there (GPT-2 small, a whole pass
// 17.4-18.1 ms against 14.2-14.6 ms) and 1.6-1.8x faster at 2 and 8 rows.
constexpr int kStreamMinRows = 2;

// True when the CPU has AVX-512F; elsewhere linear_columns never calls these.
bool stream_gemm_available();

// y[:, begin:end] = x · Wᵀ[:, begin:end] for a Linear in either stored
// layout, without the bias, on the calling thread.   x [T, in], y [T, out]
// Columns that do not fill a whole tile go to `rest` (the caller's general path).
using ColumnsFn = void (*)(const MatrixRM& x, const Linear& layer, int begin, int end, MatrixRM& y);
void stream_columns(const MatrixRM& x, const Linear& layer, int begin, int end, MatrixRM& y, ColumnsFn rest);

}  // namespace attnscope
