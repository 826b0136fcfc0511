// Where one forward pass spends its time, part by part, and how far each part
// is from what the machine allows: its weight bytes at the measured memory
// bandwidth, and its FLOPs at the measured peak. The times come from the
// pass's own per-layer record (RunOptions::time_layers, forward_timing.h).
//
// Shape legend: L layers, T tokens, D model dim, F feed-forward dim, V vocab.
#pragma once
#include <vector>

#include "core/forward_timing.h"
#include "core/model.h"

namespace attnscope::bench {

enum class Part { Projections, Mixing, Mlp, BlockRest, Outside, Count };
constexpr int kParts = static_cast<int>(Part::Count);

const char* part_name(Part part);
const char* part_json_key(Part part);

// Milliseconds per part of one pass, summed over the L layers.
//   BlockRest: inside the blocks but in none of the three products (norms,
//              residual adds, copying the residual stream into the snapshot).
//   Outside:   before and after the blocks: embeddings, final norm, output
//              head, top-k, and setting up the snapshot.
struct PartTimes {
  double ms[kParts] = {};
  double& operator[](Part p) { return ms[static_cast<int>(p)]; }
  double operator[](Part p) const { return ms[static_cast<int>(p)]; }
};

PartTimes part_times(const ForwardTiming& timing);
PartTimes median_part_times(const std::vector<PartTimes>& runs);

// What each part must do at T tokens: FLOPs and float32 weight bytes read.
struct PartWork {
  double flops[kParts] = {};
  double weight_bytes[kParts] = {};
};

PartWork part_work(const Model& model, int n_tokens);

// One table: per part, ms, GFLOPS, weight GB/s, and time over its floor
// (max of bytes / bandwidth and FLOPs / peak).
void print_parts(const PartTimes& times, const PartWork& work, double bandwidth_gbs, double peak_gflops);

}  // namespace attnscope::bench
