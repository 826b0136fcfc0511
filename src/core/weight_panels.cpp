#include "weight_panels.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "error.h"
#include "parallel.h"
#include "stream_gemm.h"

namespace attnscope {
namespace {

std::int64_t panel_offset(const Linear& l, int panel) {
  return static_cast<std::int64_t>(panel) * kPanelColumns * l.in;
}

float stored_weight(const Linear& l, int in_index, int out_index) {
  return l.in_out ? l.w[in_index * l.stride + out_index] : l.w[out_index * l.stride + in_index];
}

// The bytes a layer's stored weight spans, for giving its pages back.
std::pair<const float*, const float*> stored_span(const Linear& l) {
  const std::int64_t rows = l.in_out ? l.in : l.out, cols = l.in_out ? l.out : l.in;
  return {l.w, l.w + (rows - 1) * l.stride + cols};
}

// The source weights are either the checkpoint's read-only private mapping,
// where a dropped page would be read again from the file, or a converted
// copy of that one tensor: in both cases no one reads these bytes again, and
// only whole pages inside the span are dropped.
void release_pages(const float* begin, const float* end) {
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto first = (reinterpret_cast<std::uintptr_t>(begin) + page - 1) / page * page;
  const auto last = reinterpret_cast<std::uintptr_t>(end) / page * page;
  if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kLineFloats = 16;  // each layer's panels start on a 64-byte line

std::size_t padded_floats(const Linear& l) {
  return (static_cast<std::size_t>(l.in) * static_cast<std::size_t>(l.out) + kLineFloats - 1) / kLineFloats * kLineFloats;
}

// One anonymous mapping for every panel of a model, asked for in 2 MB pages:
// in 4 KiB pages, the first touch of GPT-2 small's 495 MB took 120 thousand
// page faults, most of the 1.9 s that repacking then added to a load.
std::shared_ptr<float> map_panel_memory(std::size_t floats) {
  const std::size_t bytes = (floats * sizeof(float) + kHugePage - 1) / kHugePage * kHugePage;
  const std::size_t mapped = bytes + kHugePage;  // room to start on a 2 MB boundary
  void* p = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    throw Error(ErrorKind::Io, "cannot allocate " + std::to_string(bytes >> 20) + " MB for the repacked weights: " + std::strerror(errno));
  const auto start = (reinterpret_cast<std::uintptr_t>(p) + kHugePage - 1) / kHugePage * kHugePage;
  ::madvise(reinterpret_cast<void*>(start), bytes, MADV_HUGEPAGE);
  return std::shared_ptr<float>(reinterpret_cast<float*>(start), [p, mapped](float*) { ::munmap(p, mapped); });
}

// Copies `l` into panels at `dst`; both cores take half of the panels. One
// call per layer keeps the pool free between layers for a pass that runs
// meanwhile on another model.
Linear packed(const Linear& l, float* dst) {
  Linear result = l;
  result.w = dst;
  result.panels = true;
  result.in_out = true;
  result.stride = kPanelColumns;
  const int panels = (l.out + kPanelColumns - 1) / kPanelColumns;
  const int tasks = std::min(panels, parallel_threads());
  parallel_for(tasks, [&](int task) {
    for (int p = panels * task / tasks; p < panels * (task + 1) / tasks; ++p) {
      const int first = p * kPanelColumns, width = panel_width(result, p);
      float* out = dst + panel_offset(result, p);
      for (int k = 0; k < l.in; ++k)
        for (int j = 0; j < width; ++j) *out++ = stored_weight(l, k, first + j);
    }
  });
  return result;
}

}  // namespace

int panel_width(const Linear& l, int panel) {
  return std::min(kPanelColumns, l.out - panel * kPanelColumns);
}

PanelMap panel(const Linear& l, int p) {
  return PanelMap(l.w + panel_offset(l, p), l.in, panel_width(l, p));
}

float linear_weight(const Linear& l, int in_index, int out_index) {
  if (!l.panels) return stored_weight(l, in_index, out_index);
  const int p = out_index / kPanelColumns;
  return l.w[panel_offset(l, p) + static_cast<std::int64_t>(in_index) * panel_width(l, p) + out_index % kPanelColumns];
}

Linear output_head(const Model& model) {
  const ModelWeights& w = model.weights;
  if (w.lm_head_panels.panels) return w.lm_head_panels;
  Linear head;
  head.w = w.lm_head;
  head.b = w.lm_head_bias;
  head.in = model.config.dim;
  head.out = model.config.vocab_size;
  head.stride = model.config.dim;
  return head;
}

Eigen::RowVectorXf token_embedding_row(const Model& model, int id) {
  const int D = model.config.dim;
  if (const float* e = model.weights.token_embedding) return Eigen::Map<const Eigen::RowVectorXf>(e + static_cast<std::int64_t>(id) * D, D);
  Eigen::RowVectorXf row(D);  // the tied head's column `id`
  for (int d = 0; d < D; ++d) row[d] = linear_weight(model.weights.lm_head_panels, d, id);
  return row;
}

void repack_into_panels(Model& model) {
  if (!stream_gemm_available()) return;
  ModelWeights& w = model.weights;
  std::vector<Linear*> layers;
  for (LayerWeights& lw : w.layers)
    for (Linear* l : {&lw.wq, &lw.wk, &lw.wv, &lw.wo, &lw.ffn_up, &lw.ffn_gate, &lw.ffn_down}) layers.push_back(l);
  layers.push_back(&w.mlm_transform);
  // An encoder-decoder's head belongs to its decoder, which reads it in place.
  const bool head = model.config.has_lm_head && w.lm_head && !model.encoder_decoder;
  if (head) {
    w.lm_head_panels = output_head(model);
    layers.push_back(&w.lm_head_panels);
  }
  std::erase_if(layers, [](const Linear* l) { return !l->w || l->panels; });
  std::size_t floats = 0;
  for (const Linear* l : layers) floats += padded_floats(*l);
  if (floats == 0) return;
  std::shared_ptr<float> memory = map_panel_memory(floats);
  std::vector<std::pair<const float*, const float*>> sources;
  float* dst = memory.get();
  for (Linear* l : layers) {
    sources.push_back(stored_span(*l));
    *l = packed(*l, dst);
    dst += padded_floats(*l);
  }
  model.storage.push_back(std::move(memory));
  if (head) {
    if (w.token_embedding == w.lm_head) w.token_embedding = nullptr;
    w.lm_head = nullptr;
  }
  // Only now: GPT-2's q, k and v share one stored matrix.
  for (const auto& [begin, end] : sources) release_pages(begin, end);
}

}  // namespace attnscope
