// Dense weights repacked at load time into column panels.
//
// A checkpoint's layout makes the dense kernels read each weight tile with a
// long stride: GPT-2's Conv1D [in, out] gives 48 floats per row a whole layer
// width apart, nn.Linear [out, in] gives one whole row per output. Repacked,
// the 48 columns of a tile lie one after another for the whole inner
// dimension, so each tile is a single sequential stream that the hardware
// prefetchers follow: on GPT-2 small the dense layers went from 19-22 to
// 26-34 GB/s at T = 8 and from 160 to 250 GFLOPS at T = 32 (docs/performance.md).
//
// Layout: panel p holds columns [p·kPanelColumns, p·kPanelColumns + width_p)
// as a row-major [in, width_p] block starting at w + p·kPanelColumns·in, where
// width_p is kPanelColumns except for a narrower last panel.
//
// Shape legend: in/out the layer's widths, R rows of x.
#pragma once
#include <Eigen/Core>

#include "model.h"

namespace attnscope {

constexpr int kPanelColumns = 48;  // the AVX-512 tile's width (stream_gemm.cpp)

using PanelMap = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;

int panel_width(const Linear& l, int panel);
PanelMap panel(const Linear& l, int panel);  // [in, width_p]

// W[in_index, out_index] in the math's [in, out] orientation, for any layout.
float linear_weight(const Linear& l, int in_index, int out_index);

// Repacks every dense weight of a decoder-only or encoder-only model (each
// layer's Linear, the masked-LM transform and the output head; the encoder's
// layers of an encoder-decoder model) into panels when the dense kernels can
// use them (a CPU with AVX-512), and lets the checkpoint's pages go, so the
// weights stay in memory once.
void repack_into_panels(Model& model);

// The output head with its bias as a Linear, repacked or in place.   D -> V
Linear output_head(const Model& model);

// Row `id` of the token embedding, also when a tied head's panels hold it.   [D]
Eigen::RowVectorXf token_embedding_row(const Model& model, int id);

}  // namespace attnscope
