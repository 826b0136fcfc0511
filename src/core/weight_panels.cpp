#include "weight_panels.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <new>
#include <utility>
#include <vector>

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

Linear packed(const Linear& l, std::vector<std::shared_ptr<const void>>& storage) {
  const std::size_t count = static_cast<std::size_t>(l.in) * static_cast<std::size_t>(l.out);
  std::shared_ptr<float[]> buffer(new (std::align_val_t(64)) float[count], [](float* p) { ::operator delete[](p, std::align_val_t(64)); });
  Linear result = l;
  result.w = buffer.get();
  result.panels = true;
  result.in_out = true;
  result.stride = kPanelColumns;
  float* dst = buffer.get();
  for (int p = 0; p * kPanelColumns < l.out; ++p) {
    const int first = p * kPanelColumns, width = panel_width(result, p);
    for (int k = 0; k < l.in; ++k)
      for (int j = 0; j < width; ++j) *dst++ = stored_weight(l, k, first + j);
  }
  storage.push_back(std::shared_ptr<const void>(buffer, buffer.get()));
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
  std::vector<std::pair<const float*, const float*>> sources;
  auto repack = [&](Linear& l) {
    if (!l.w || l.panels) return;
    sources.push_back(stored_span(l));
    l = packed(l, model.storage);
  };
  for (LayerWeights& lw : w.layers)
    for (Linear* l : {&lw.wq, &lw.wk, &lw.wv, &lw.wo, &lw.ffn_up, &lw.ffn_gate, &lw.ffn_down}) repack(*l);
  repack(w.mlm_transform);
  // An encoder-decoder's head belongs to its decoder, which reads it in place.
  if (model.config.has_lm_head && w.lm_head && !model.encoder_decoder) {
    w.lm_head_panels = output_head(model);
    repack(w.lm_head_panels);
    if (w.token_embedding == w.lm_head) w.token_embedding = nullptr;
    w.lm_head = nullptr;
  }
  // Only now: GPT-2's q, k and v share one stored matrix.
  for (const auto& [begin, end] : sources) release_pages(begin, end);
}

}  // namespace attnscope
