#include "train/param_layout.h"

#include <cmath>

#include "core/error.h"
#include "train/rng.h"

namespace attnscope::train {

const char* arch_name(Arch arch) { return arch == Arch::Gpt ? "gpt" : "bert"; }

Arch arch_from_name(const std::string& name) {
  if (name == "gpt" || name == "gpt2") return Arch::Gpt;
  if (name == "bert") return Arch::Bert;
  throw Error("unknown architecture '" + name + "' (expected gpt or bert)");
}

void ModelShape::validate() const {
  const auto positive = [](int v, const char* field) {
    if (v <= 0) throw Error(std::string("model shape: ") + field + " must be positive, got " + std::to_string(v));
  };
  positive(n_layers, "layers");
  positive(n_heads, "heads");
  positive(dim, "dim");
  positive(ffn_dim, "ffn_dim");
  positive(vocab_size, "vocab_size");
  positive(max_positions, "max_positions");
  positive(n_token_types, "token_types");
  if (dim % n_heads != 0)
    throw Error("model shape: dim " + std::to_string(dim) + " is not divisible by " + std::to_string(n_heads) + " heads");
}

const ParamInfo& ParamLayout::find(const std::string& name) const {
  for (const ParamInfo& p : params)
    if (p.name == name) return p;
  throw Error("no parameter named '" + name + "'");
}

ParamLayout make_layout(const ModelShape& s) {
  s.validate();
  ParamLayout layout;
  const std::int64_t D = s.dim, F = s.ffn_dim, V = s.vocab_size, P = s.max_positions;
  const auto add = [&](const std::string& name, std::vector<std::int64_t> shape, bool decay) {
    return append_param(layout.params, layout.total, name, std::move(shape), decay);
  };
  layout.tok_emb = add("tok_emb", {V, D}, false);
  layout.pos_emb = add("pos_emb", {P, D}, false);
  if (s.arch == Arch::Bert) {
    layout.type_emb = add("type_emb", {s.n_token_types, D}, false);
    layout.emb_ln_w = add("emb_ln.weight", {D}, false);
    layout.emb_ln_b = add("emb_ln.bias", {D}, false);
  }
  for (int i = 0; i < s.n_layers; ++i) {
    const std::string l = "layer." + std::to_string(i) + ".";
    LayerOffsets o;
    o.ln1_w = add(l + "ln1.weight", {D}, false);
    o.ln1_b = add(l + "ln1.bias", {D}, false);
    o.qkv_w = add(l + "qkv.weight", {D, 3 * D}, true);
    o.qkv_b = add(l + "qkv.bias", {3 * D}, false);
    o.proj_w = add(l + "proj.weight", {D, D}, true);
    o.proj_b = add(l + "proj.bias", {D}, false);
    o.ln2_w = add(l + "ln2.weight", {D}, false);
    o.ln2_b = add(l + "ln2.bias", {D}, false);
    o.up_w = add(l + "up.weight", {D, F}, true);
    o.up_b = add(l + "up.bias", {F}, false);
    o.down_w = add(l + "down.weight", {F, D}, true);
    o.down_b = add(l + "down.bias", {D}, false);
    layout.layers.push_back(o);
  }
  if (s.arch == Arch::Gpt) {
    layout.final_ln_w = add("final_ln.weight", {D}, false);
    layout.final_ln_b = add("final_ln.bias", {D}, false);
  } else {
    layout.head_w = add("head.weight", {D, D}, true);
    layout.head_b = add("head.bias", {D}, false);
    layout.head_ln_w = add("head_ln.weight", {D}, false);
    layout.head_ln_b = add("head_ln.bias", {D}, false);
    layout.out_bias = add("out_bias", {V}, false);
  }
  return layout;
}

std::size_t append_param(std::vector<ParamInfo>& params, std::size_t& total, const std::string& name,
                         std::vector<std::int64_t> shape, bool decay) {
  ParamInfo p;
  p.name = name;
  p.shape = std::move(shape);
  p.size = 1;
  for (std::int64_t d : p.shape) p.size *= static_cast<std::size_t>(d);
  p.offset = total;
  p.decay = decay;
  total += p.size;
  params.push_back(p);
  return p.offset;
}

std::vector<float> initial_tensor_values(const std::vector<ParamInfo>& tensors, std::size_t total, int residual_layers,
                                         std::uint64_t seed) {
  std::vector<float> params(total, 0.0f);
  Rng rng(seed, 0x1417);
  const double residual_scale = 1.0 / std::sqrt(2.0 * residual_layers);
  for (const ParamInfo& p : tensors) {
    const bool is_norm_weight = p.name.find("ln") != std::string::npos && p.name.ends_with(".weight");
    const bool is_bias = p.name.ends_with(".bias") || p.name == "out_bias";
    const bool is_residual_out = p.name.ends_with("proj.weight") || p.name.ends_with("down.weight") ||
                                 p.name.ends_with("_out.weight") || p.name.ends_with("fc2.weight");
    float* v = params.data() + p.offset;
    if (is_norm_weight) {
      for (std::size_t i = 0; i < p.size; ++i) v[i] = 1.0f;
    } else if (!is_bias) {
      const double stddev = is_residual_out ? 0.02 * residual_scale : 0.02;
      for (std::size_t i = 0; i < p.size; ++i) v[i] = static_cast<float>(rng.normal() * stddev);
    }
  }
  return params;
}

std::vector<float> initial_params(const ModelShape& shape, const ParamLayout& layout, std::uint64_t seed) {
  return initial_tensor_values(layout.params, layout.total, shape.n_layers, seed);
}

}  // namespace attnscope::train
