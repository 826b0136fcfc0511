// Multi-head scaled dot-product attention, forward and backward, shared by
// the decoder-only / encoder-only models and the encoder-decoder. Queries,
// keys and values are column blocks of row-major matrices, so a fused
// [q | k | v] projection and separate ones use the same code.
//
// Shape legend: B sequences, Tq query rows and Tk key rows per sequence,
// H heads, Dh head dim.
#pragma once
#include <cstdint>
#include <vector>

#include "train/tensor_math.h"

namespace attnscope::train {

struct AttentionShape {
  int batch = 0;      // B
  int queries = 0;    // Tq per sequence: rows b*Tq .. of the query matrix
  int keys = 0;       // Tk per sequence: rows b*Tk .. of the key and value matrices
  int heads = 0;      // H
  int head_dim = 0;   // Dh
  bool causal = false;  // query i sees keys j <= i
  // [B*Tk] 0 = a padding key nobody attends to; nullptr = every key visible.
  const std::vector<std::uint8_t>* key_visible = nullptr;
};

// Where one operand lives: a matrix and the first column of head 0 (head h
// owns columns col + h*Dh ..).
template <class S>
struct HeadBlocks {
  const Mat<S>* m = nullptr;
  int col = 0;
};
template <class S>
struct HeadGrads {
  Mat<S>* m = nullptr;  // written, not accumulated: resize it first
  int col = 0;
};

// probs[b*H + h] = softmax(q kᵀ / √Dh) with hidden keys at exactly 0;
// ctx [B*Tq, H*Dh] = probs · v, heads side by side.
template <class S>
void attention_forward(const AttentionShape& a, HeadBlocks<S> q, HeadBlocks<S> k, HeadBlocks<S> v, std::vector<Mat<S>>& probs,
                       Mat<S>& ctx);

// dq, dk, dv from dctx [B*Tq, H*Dh]; the three may share one matrix.
template <class S>
void attention_backward(const AttentionShape& a, HeadBlocks<S> q, HeadBlocks<S> k, HeadBlocks<S> v, const std::vector<Mat<S>>& probs,
                        const Mat<S>& dctx, HeadGrads<S> dq, HeadGrads<S> dk, HeadGrads<S> dv);

}  // namespace attnscope::train
