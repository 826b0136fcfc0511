#include "bench/parts.h"

#include <algorithm>
#include <cstdio>

#include "bench/machine.h"
#include "bench/workload.h"

namespace attnscope::bench {

const char* part_name(Part part) {
  switch (part) {
    case Part::Projections: return "Q/K/V + output projections";
    case Part::Mixing: return "mixing (q.k, softmax, p.v, capture)";
    case Part::Mlp: return "MLP";
    case Part::BlockRest: return "rest of the blocks (norms, adds)";
    case Part::Outside: return "embeddings, output head, top-k";
    case Part::Count: break;
  }
  return "?";
}

const char* part_json_key(Part part) {
  switch (part) {
    case Part::Projections: return "projections_ms";
    case Part::Mixing: return "mixing_ms";
    case Part::Mlp: return "mlp_ms";
    case Part::BlockRest: return "block_rest_ms";
    case Part::Outside: return "outside_ms";
    case Part::Count: break;
  }
  return "?";
}

PartTimes part_times(const ForwardTiming& timing) {
  PartTimes t;
  double blocks = 0;
  for (const LayerTiming& l : timing.layers) {
    t[Part::Projections] += l.projections_ms;
    t[Part::Mixing] += l.mixing_ms;
    t[Part::Mlp] += l.mlp_ms;
    t[Part::BlockRest] += l.total_ms - l.projections_ms - l.mixing_ms - l.mlp_ms;
    blocks += l.total_ms;
  }
  t[Part::Outside] = timing.total_ms - blocks;
  return t;
}

PartTimes median_part_times(const std::vector<PartTimes>& runs) {
  PartTimes m;
  for (int p = 0; p < kParts; ++p) {
    std::vector<double> values;
    for (const PartTimes& r : runs) values.push_back(r.ms[p]);
    m.ms[p] = values.empty() ? 0 : median(values);
  }
  return m;
}

PartWork part_work(const Model& model, int T) {
  const ModelConfig& c = model.config;
  const Flops flops = forward_flops(c, T);
  PartWork w;
  const auto add = [&](Part part, const Linear& l) {
    if (!l.w) return;  // no gate outside SwiGLU
    w.flops[static_cast<int>(part)] += 2.0 * T * l.in * l.out;
    w.weight_bytes[static_cast<int>(part)] += 4.0 * linear_floats(l);
  };
  for (const LayerWeights& lw : model.weights.layers) {
    for (const Linear* l : {&lw.wq, &lw.wk, &lw.wv, &lw.wo}) add(Part::Projections, *l);
    for (const Linear* l : {&lw.ffn_up, &lw.ffn_gate, &lw.ffn_down}) add(Part::Mlp, *l);
  }
  w.flops[static_cast<int>(Part::Mixing)] = flops.attention;
  w.flops[static_cast<int>(Part::Outside)] = flops.lm_head;  // the masked-LM transform included
  if (c.has_lm_head)
    w.weight_bytes[static_cast<int>(Part::Outside)] = 4.0 * (linear_floats(model.weights.mlm_transform) + double(c.dim) * c.vocab_size);
  return w;
}

void print_parts(const PartTimes& times, const PartWork& work, double bandwidth_gbs, double peak_gflops) {
  std::printf("  %-38s %8s %8s %9s %11s\n", "part (median of the timed runs)", "ms", "GFLOPS", "weight GB/s", "time/floor");
  for (int p = 0; p < kParts; ++p) {
    const double ms = times.ms[p], s = ms * 1e-3;
    const double floor_ms = std::max(work.weight_bytes[p] / (bandwidth_gbs * 1e9), work.flops[p] / (peak_gflops * 1e9)) * 1e3;
    char gflops[16] = "-", gbs[16] = "-", ratio[16] = "-";
    if (work.flops[p] > 0 && s > 0) std::snprintf(gflops, sizeof gflops, "%.1f", work.flops[p] / s / 1e9);
    if (work.weight_bytes[p] > 0 && s > 0) std::snprintf(gbs, sizeof gbs, "%.1f", work.weight_bytes[p] / s / 1e9);
    if (floor_ms > 0) std::snprintf(ratio, sizeof ratio, "%.2f", ms / floor_ms);
    std::printf("  %-38s %8.1f %8s %9s %11s\n", part_name(static_cast<Part>(p)), ms, gflops, gbs, ratio);
  }
}

}  // namespace attnscope::bench
