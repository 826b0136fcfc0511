// The building blocks of every forward pass, on row-major float32 matrices.
// Shape legend: T tokens, D model dim, F feed-forward dim, V vocab.
#pragma once
#include <Eigen/Core>

#include "model.h"

namespace attnscope {

using MatrixRM = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// y = x·Wᵀ + b for a Linear in either stored layout, output columns split
// over the thread pool.                        x [T, in] -> [T, out]
MatrixRM linear(const MatrixRM& x, const Linear& layer);

// y = x·Eᵀ (+ bias) for an embedding-shaped matrix E [V, D] (tied LM heads).
//                                              x [T, D] -> [T, V]
MatrixRM matmul_transposed(const MatrixRM& x, const float* e, int rows, const float* bias);

// In place, row by row. LayerNorm uses the biased variance, as PyTorch does.
void layer_norm(MatrixRM& x, const Norm& norm, float eps);  // x [T, D]
void rms_norm(MatrixRM& x, const Norm& norm, float eps);    // x [T, D]
void apply_norm(MatrixRM& x, const Norm& norm, NormKind kind, float eps);

void gelu_erf(MatrixRM& x);   // 0.5 x (1 + erf(x / √2))            (BERT "gelu")
void gelu_tanh(MatrixRM& x);  // 0.5 x (1 + tanh(√(2/π)(x + 0.044715 x³)))  (GPT-2 "gelu_new")
void relu(MatrixRM& x);
void silu(MatrixRM& x);       // x σ(x)
void apply_activation(MatrixRM& x, Activation act);  // not SwiGlu: that one needs two inputs

// Row-wise softmax in place; a row whose entries are all -inf becomes all 0.
void softmax_rows(Eigen::Ref<MatrixRM> s);  // s [T, T]

// softmax(scale * s + causal mask) row by row, touching only the keys a query
// sees: row i keeps columns 0..i, the rest become exactly 0. The same numbers
// as scaling, adding a -inf mask above the diagonal and softmax_rows, at a
// fraction of the cost for long inputs. `first_row` is the query position of
// row 0, for the rows of a pass that reuses earlier ones: row r sees keys
// 0..first_row + r.
void causal_softmax_rows(Eigen::Ref<MatrixRM> s, float scale, int first_row = 0);  // s [Tn, T] raw q·kᵀ

// Rotary position embedding in place on a [Tn, heads*Dh] matrix, position
// first_position + r for row r.
void apply_rope(MatrixRM& x, int n_heads, int head_dim, float theta, RopeStyle style, int first_position = 0);

}  // namespace attnscope
