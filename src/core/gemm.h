// The dense products behind every Linear layer and the output head, on the
// calling thread. ops.cpp's linear() splits a layer's output columns over the
// thread pool and hands each panel to linear_columns().
//
// Shape legend: T tokens (rows of x), in/out the layer's widths.
#pragma once
#include <Eigen/Core>

#include "model.h"

namespace attnscope {

using MatrixRM = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The default backend streams the weights through AVX-512 registers
// (stream_gemm.h) from 2 rows up on a CPU with AVX-512, and elsewhere uses
// OpenBLAS's SGEMM for products of 16 rows or more and Eigen's GEMM for the rest (gemm.cpp says
// which and why). The Eigen backend (the benchmark's same-run baseline) uses
// Eigen's GEMM for everything.
enum class GemmBackend { Fastest, Eigen };
void set_gemm_backend(GemmBackend backend);  // process-wide; call between passes
GemmBackend gemm_backend();
const char* gemm_backend_name(GemmBackend backend);

// y[:, begin:end] = x · Wᵀ[:, begin:end] + b[begin:end] for a Linear in either
// stored layout, on the calling thread.   x [T, in], y [T, out]
void linear_columns(const MatrixRM& x, const Linear& layer, int begin, int end, MatrixRM& y);

// C [m, n] = op(A)·op(B), or C += op(A)·op(B) with `accumulate`, for
// row-major float matrices (op(A) [m, k], op(B) [k, n]; ld* are row strides),
// with OpenBLAS's SGEMM on the calling thread.
void sgemm_on_this_thread(bool transpose_a, bool transpose_b, int m, int n, int k, const float* a, int lda,
                          const float* b, int ldb, bool accumulate, float* c, int ldc);

// How many column panels linear() splits a layer of `out` columns into for
// `rows` input rows: at least one per thread.
int linear_chunks(int out, int rows);

}  // namespace attnscope
