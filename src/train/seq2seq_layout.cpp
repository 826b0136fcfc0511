#include "train/seq2seq_layout.h"

#include "core/error.h"

namespace attnscope::train {

void Seq2SeqShape::validate() const {
  const auto positive = [](int v, const char* field) {
    if (v <= 0) throw Error(std::string("seq2seq shape: ") + field + " must be positive, got " + std::to_string(v));
  };
  positive(encoder_layers, "encoder_layers");
  positive(decoder_layers, "decoder_layers");
  positive(n_heads, "heads");
  positive(dim, "dim");
  positive(ffn_dim, "ffn_dim");
  positive(vocab_size, "vocab_size");
  positive(max_positions, "max_positions");
  if (dim % n_heads != 0)
    throw Error("seq2seq shape: dim " + std::to_string(dim) + " is not divisible by " + std::to_string(n_heads) + " heads");
  // The sinusoid table pairs sin and cos columns.
  if (dim % 2 != 0) throw Error("seq2seq shape: dim " + std::to_string(dim) + " must be even");
  if (pad_id < 0 || pad_id >= vocab_size) throw Error("seq2seq shape: pad_id " + std::to_string(pad_id) + " outside the vocabulary");
  if (eos_id < 0 || eos_id >= vocab_size) throw Error("seq2seq shape: eos_id " + std::to_string(eos_id) + " outside the vocabulary");
  if (eos_id == pad_id) throw Error("seq2seq shape: eos_id and pad_id are the same token");
}

nlohmann::json seq2seq_shape_to_json(const Seq2SeqShape& s) {
  return {{"arch", "marian"},          {"encoder_layers", s.encoder_layers}, {"decoder_layers", s.decoder_layers},
          {"heads", s.n_heads},        {"dim", s.dim},                       {"ffn_dim", s.ffn_dim},
          {"vocab_size", s.vocab_size}, {"max_positions", s.max_positions},  {"pad_id", s.pad_id},
          {"eos_id", s.eos_id},        {"norm_eps", s.norm_eps}};
}

Seq2SeqShape seq2seq_shape_from_json(const nlohmann::json& j) {
  const auto field = [&](const char* key) -> const nlohmann::json& {
    if (!j.is_object() || !j.contains(key)) throw Error(std::string("seq2seq shape: missing field '") + key + "'");
    return j[key];
  };
  try {
    if (field("arch").get<std::string>() != "marian") throw Error("seq2seq shape: arch is not marian");
    Seq2SeqShape s;
    s.encoder_layers = field("encoder_layers").get<int>();
    s.decoder_layers = field("decoder_layers").get<int>();
    s.n_heads = field("heads").get<int>();
    s.dim = field("dim").get<int>();
    s.ffn_dim = field("ffn_dim").get<int>();
    s.vocab_size = field("vocab_size").get<int>();
    s.max_positions = field("max_positions").get<int>();
    s.pad_id = field("pad_id").get<int>();
    s.eos_id = field("eos_id").get<int>();
    s.norm_eps = field("norm_eps").get<double>();
    s.validate();
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("seq2seq shape: ") + e.what());
  }
}

const ParamInfo& Seq2SeqLayout::find(const std::string& name) const {
  for (const ParamInfo& p : params)
    if (p.name == name) return p;
  throw Error("no parameter named '" + name + "'");
}

namespace {

class Builder {
 public:
  explicit Builder(Seq2SeqLayout& layout) : layout_(layout) {}
  std::size_t operator()(const std::string& name, std::vector<std::int64_t> shape, bool decay) {
    return append_param(layout_.params, layout_.total, name, std::move(shape), decay);
  }

 private:
  Seq2SeqLayout& layout_;
};

// Self-attention fuses Q, K and V; cross-attention reads Q from the decoder
// and K, V from the encoder output, so those two are fused apart.
AttentionOffsets add_attention(Builder& add, const std::string& prefix, std::int64_t D, bool cross) {
  AttentionOffsets o;
  if (cross) {
    o.q_w = add(prefix + "_q.weight", {D, D}, true);
    o.q_b = add(prefix + "_q.bias", {D}, false);
    o.kv_w = add(prefix + "_kv.weight", {D, 2 * D}, true);
    o.kv_b = add(prefix + "_kv.bias", {2 * D}, false);
  } else {
    o.q_w = add(prefix + "_qkv.weight", {D, 3 * D}, true);
    o.q_b = add(prefix + "_qkv.bias", {3 * D}, false);
  }
  o.out_w = add(prefix + "_out.weight", {D, D}, true);
  o.out_b = add(prefix + "_out.bias", {D}, false);
  o.ln_w = add(prefix + "_ln.weight", {D}, false);
  o.ln_b = add(prefix + "_ln.bias", {D}, false);
  return o;
}

FfnOffsets add_ffn(Builder& add, const std::string& prefix, std::int64_t D, std::int64_t F) {
  FfnOffsets o;
  o.fc1_w = add(prefix + "fc1.weight", {D, F}, true);
  o.fc1_b = add(prefix + "fc1.bias", {F}, false);
  o.fc2_w = add(prefix + "fc2.weight", {F, D}, true);
  o.fc2_b = add(prefix + "fc2.bias", {D}, false);
  o.ln_w = add(prefix + "final_ln.weight", {D}, false);
  o.ln_b = add(prefix + "final_ln.bias", {D}, false);
  return o;
}

}  // namespace

Seq2SeqLayout make_seq2seq_layout(const Seq2SeqShape& s) {
  s.validate();
  Seq2SeqLayout layout;
  Builder add(layout);
  const std::int64_t D = s.dim, F = s.ffn_dim, V = s.vocab_size;
  layout.shared = add("shared", {V, D}, false);
  layout.logits_bias = add("final_logits.bias", {V}, false);
  for (int i = 0; i < s.encoder_layers; ++i) {
    const std::string l = "encoder." + std::to_string(i) + ".";
    EncoderLayerOffsets o;
    o.self = add_attention(add, l + "self", D, false);
    o.ffn = add_ffn(add, l, D, F);
    layout.encoder.push_back(o);
  }
  for (int i = 0; i < s.decoder_layers; ++i) {
    const std::string l = "decoder." + std::to_string(i) + ".";
    DecoderLayerOffsets o;
    o.self = add_attention(add, l + "self", D, false);
    o.cross = add_attention(add, l + "cross", D, true);
    o.ffn = add_ffn(add, l, D, F);
    layout.decoder.push_back(o);
  }
  return layout;
}

std::vector<float> initial_seq2seq_params(const Seq2SeqShape& shape, const Seq2SeqLayout& layout, std::uint64_t seed) {
  return initial_tensor_values(layout.params, layout.total, shape.encoder_layers + shape.decoder_layers, seed);
}

}  // namespace attnscope::train
