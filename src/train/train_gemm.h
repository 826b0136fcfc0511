// The float products of training (the backward pass and the tied output
// head), split by output columns over the engine's thread pool. The default
// runs each part on OpenBLAS's SGEMM; Eigen's GEMM is kept as the benchmark's
// same-run baseline (`attnscope-train bench`).
#pragma once
#include <functional>

namespace attnscope::train {

enum class TrainGemm { Blas, Eigen };
void set_train_gemm(TrainGemm gemm);  // process-wide; call between steps
TrainGemm train_gemm();
const char* train_gemm_name(TrainGemm gemm);

// Runs fn(begin, count) over `parts` contiguous parts of [0, size) across the pool.
void split_range(int size, int parts, const std::function<void(int begin, int count)>& fn);

// The column parts of a product n columns wide, exactly as ops.cpp's
// linear() splits a layer: at least one per thread, and parts of about 512
// columns so a wide product (the vocabulary) still balances across the pool.
void for_column_parts(int n, const std::function<void(int begin, int count)>& fn);

// C [m, n] = op(A)·op(B), or C += op(A)·op(B) with `accumulate`; row-major,
// op(A) [m, k], op(B) [k, n], ld* the row strides. Each thread computes whole
// columns of C with a fixed summation order, so a step is reproducible.
void parallel_sgemm(bool transpose_a, bool transpose_b, int m, int n, int k, const float* a, int lda, const float* b,
                    int ldb, bool accumulate, float* c, int ldc);

}  // namespace attnscope::train
