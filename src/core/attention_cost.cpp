#include "attention_cost.h"

#include "decoder_capture.h"
#include "encoder_decoder.h"

namespace attnscope {

namespace {

std::int64_t floats_of(const MatrixRM& m) { return static_cast<std::int64_t>(m.size()); }

std::int64_t floats_of(const std::vector<MatrixRM>& ms) {
  std::int64_t n = 0;
  for (const MatrixRM& m : ms) n += floats_of(m);
  return n;
}

// Probabilities, then q·k·v, then head outputs of a list of captures.
struct HeadFloats {
  std::int64_t probs = 0, qkv = 0, out = 0;
};

HeadFloats head_floats(const std::vector<HeadCapture>& heads) {
  HeadFloats f;
  for (const HeadCapture& h : heads) {
    f.probs += floats_of(h.probs);
    f.qkv += floats_of(h.q) + floats_of(h.k) + floats_of(h.v);
    f.out += floats_of(h.out);
  }
  return f;
}

void add(std::vector<TensorBytes>& out, std::string what, std::string shape, std::int64_t floats) {
  if (floats > 0) out.push_back({std::move(what), std::move(shape), floats});
}

void add_heads(std::vector<TensorBytes>& out, const std::vector<HeadCapture>& heads, const std::string& prefix,
               const std::string& layers, const std::string& queries, const std::string& keys) {
  const HeadFloats f = head_floats(heads);
  add(out, prefix + "attention probabilities", layers + "·H·" + queries + "·" + keys, f.probs);
  const std::string rows = queries == keys ? "3·" + queries : "(" + queries + "+2·" + keys + ")";
  add(out, prefix + "queries, keys, values", layers + "·H·" + rows + "·Dh", f.qkv);
  add(out, prefix + "head outputs", layers + "·H·" + queries + "·Dh", f.out);
}

bool gated_mlp(const Model& model) {
  if (model.encoder_decoder) return model.encoder_decoder->config.gated_ffn;
  return model.config.activation == Activation::SwiGlu;
}

}  // namespace

std::int64_t attention_entries(int heads, int queries, int keys) {
  return static_cast<std::int64_t>(heads) * queries * keys;
}

std::int64_t causal_entries(int heads, int tokens) {
  return static_cast<std::int64_t>(heads) * tokens * (tokens + 1) / 2;
}

std::vector<TensorBytes> snapshot_tensors(const AttentionSnapshot& s) {
  std::vector<TensorBytes> out;
  const bool seq2seq = s.decoder != nullptr;
  add_heads(out, s.heads, seq2seq ? "encoder " : "", "L", "T", s.key_tokens.empty() ? "T" : "Tk");
  add(out, seq2seq ? "encoder residual stream" : "residual stream", "(L+1)·T·D", floats_of(s.residual));
  add(out, seq2seq ? "encoder output" : "final hidden state", "T·D", floats_of(s.final_hidden));
  add(out, "logits", "T·V", floats_of(s.logits));
  if (!seq2seq) return out;
  const DecoderCapture& d = *s.decoder;
  add_heads(out, d.self_heads, "decoder ", "Ld", "Tt", "Tt");
  add_heads(out, d.cross_heads, "cross-attention ", "Ld", "Tt", "Ts");
  add(out, "decoder residual stream", "(Ld+1)·Tt·D", floats_of(d.residual));
  add(out, "decoder final hidden state", "Tt·D", floats_of(d.final_hidden));
  add(out, "decoder logits", "Tt·V", floats_of(d.logits));
  add(out, "position bias (T5)", "H·(Ts² + Tt²)", floats_of(d.encoder_position_bias) + floats_of(d.decoder_position_bias));
  return out;
}

std::int64_t total_bytes(const std::vector<TensorBytes>& tensors) {
  std::int64_t bytes = 0;
  for (const TensorBytes& t : tensors) bytes += t.bytes();
  return bytes;
}

LayerFlops layer_flops(const Model& model, double T) {
  const ModelConfig& c = model.config;
  const double D = c.dim, inner = static_cast<double>(c.n_heads) * c.head_dim, kv = static_cast<double>(c.n_kv_heads) * c.head_dim;
  const double F = c.ffn_dim, mlp_matrices = gated_mlp(model) ? 3 : 2;
  LayerFlops f;
  f.quadratic = 4.0 * T * T * inner;
  f.linear = 2.0 * T * (D * inner + 2.0 * D * kv + inner * D + mlp_matrices * D * F);
  return f;
}

double crossover_tokens(const Model& model) {
  const LayerFlops per_token = layer_flops(model, 1.0);  // quadratic = 4·H·Dh at T = 1
  return per_token.linear / per_token.quadratic;
}

}  // namespace attnscope
