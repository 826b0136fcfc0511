// A loaded model: hyperparameters, read-only weights (views into the mapped
// checkpoint where possible) and its tokenizer.
//
// Shape legend: L layers, H query heads, Hkv key/value heads, T tokens,
// D model dim, Dh head dim, F feed-forward dim, V vocab, P max positions.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "safetensors.h"
#include "head_presets.h"
#include "tokenizer.h"

namespace attnscope {

enum class Family { Gpt2, Bert, DistilBert, Llama, Roberta, Marian, T5 };
enum class NormKind { LayerNorm, RmsNorm };
enum class Activation { GeluTanh, GeluErf, Relu, SwiGlu };
// HalfRotate: Hugging Face rotate_half (dim j pairs with j + Dh/2).
// Interleaved: llama2.c / GPT-J (dim 2i pairs with 2i+1).
enum class RopeStyle { None, HalfRotate, Interleaved };

const char* family_name(Family family);

struct ModelConfig {
  Family family = Family::Gpt2;
  std::string model_type;      // config.json's model_type, or "llama2c"
  int n_layers = 0;            // L
  int n_heads = 0;             // H
  int n_kv_heads = 0;          // Hkv (== H without grouped-query attention)
  int dim = 0;                 // D
  int head_dim = 0;            // Dh
  int ffn_dim = 0;             // F
  int vocab_size = 0;          // V
  int max_positions = 0;       // P: longest input the model accepts
  int n_token_types = 0;       // BERT segment embeddings; 0 = none
  // RoBERTa numbers positions from the ids: pad tokens use row pad_token_id,
  // the others rows pad_token_id+1, +2, ... (the table has P + pad_token_id + 1 rows).
  bool positions_after_pad = false;
  int pad_token_id = -1;
  float norm_eps = 1e-5f;
  float rope_theta = 10000.0f;
  NormKind norm = NormKind::LayerNorm;
  Activation activation = Activation::GeluTanh;
  RopeStyle rope = RopeStyle::None;
  bool pre_norm = true;        // GPT-2/Llama: x += f(norm(x)); BERT: x = norm(x + f(x))
  bool causal = true;          // the model's own mask; an intervention may override it
  bool masked_lm = false;      // predictions are MLM fills, not next tokens
  bool has_lm_head = true;     // false for bare encoders (BertModel): no predictions
};

// A dense layer y = x·Wᵀ + b with W kept in the checkpoint's layout.
// nn.Linear stores W as [out, in]; GPT-2's Conv1D stores [in, out] (in_out = true).
// `stride` is the distance between stored rows, so that a slice of a fused
// matrix (GPT-2 c_attn's q | k | v) is a view, not a copy.
// `panels`: W was repacked at load time into column panels, each [in, width]
// and contiguous (weight_panels.h); `in_out` is then true and `stride` is a
// full panel's row length.
struct Linear {
  const float* w = nullptr;
  const float* b = nullptr;  // [out] or nullptr
  int in = 0;
  int out = 0;
  std::int64_t stride = 0;
  bool in_out = false;
  bool panels = false;
};

struct Norm {
  const float* weight = nullptr;  // [D]
  const float* bias = nullptr;    // [D]; nullptr for RMSNorm
};

struct LayerWeights {
  Norm attn_norm;      // pre-norm: before attention; post-norm: after the attention residual
  Linear wq;           // D -> H*Dh
  Linear wk;           // D -> Hkv*Dh
  Linear wv;           // D -> Hkv*Dh
  Linear wo;           // H*Dh -> D
  Norm ffn_norm;       // pre-norm: before the MLP; post-norm: after the MLP residual
  Linear ffn_up;       // D -> F   (GPT-2 c_fc, BERT intermediate, Llama up_proj)
  Linear ffn_gate;     // D -> F   (Llama gate_proj only)
  Linear ffn_down;     // F -> D
};

struct ModelWeights {
  const float* token_embedding = nullptr;     // [V, D]
  const float* position_embedding = nullptr;  // [P, D] or nullptr (RoPE models)
  const float* token_type_embedding = nullptr;// [n_token_types, D] or nullptr
  Norm embedding_norm;                        // BERT family: LayerNorm after the embeddings
  std::vector<LayerWeights> layers;           // [L]
  Norm final_norm;                            // GPT-2 ln_f, Llama model.norm
  // Masked-LM head (BERT family): h = norm(gelu(transform(x))).
  Linear mlm_transform;                       // D -> D
  Norm mlm_norm;
  const float* lm_head = nullptr;             // [V, D]; == token_embedding when tied
  const float* lm_head_bias = nullptr;        // [V] or nullptr
  // lm_head repacked into panels at load time (weight_panels.h). Once set,
  // lm_head is nullptr, and so is a tied token_embedding: read both through
  // output_head() and token_embedding_row().
  Linear lm_head_panels;                      // D -> V
};

struct EncoderDecoder;  // encoder_decoder.h

struct Model {
  ModelConfig config;       // encoder-decoder models: the encoder's
  ModelWeights weights;     // encoder-decoder models: the encoder's, the shared embedding and the LM head
  std::unique_ptr<Tokenizer> tokenizer;            // encoder-decoder models: the source side
  std::shared_ptr<const EncoderDecoder> encoder_decoder;  // the decoder of Marian / T5; null otherwise
  std::filesystem::path source;                    // folder or checkpoint file
  std::vector<std::shared_ptr<const void>> storage;  // keeps mappings and converted copies alive
  std::vector<HeadPreset> presets;                 // from the folder's attnscope.json
  std::string presets_problem;                     // why attnscope.json was not used, or empty
  std::vector<std::string> warnings;               // loaded, but suspect (e.g. a weight tensor holds NaN/Inf)
};

// Opens a Hugging Face folder (config.json + safetensors + tokenizer files), a
// llama2.c folder (*.bin + tok*.bin / tokenizer.bin), or a llama2.c checkpoint
// file. Throws Error with a message that names the file and what is wrong.
std::shared_ptr<const Model> load_model(const std::filesystem::path& path);

}  // namespace attnscope
