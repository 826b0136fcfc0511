// llama2.c legacy checkpoints (the .bin files run.c reads), memory-mapped.
//
// Layout: 7 int32 {dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size,
// seq_len}, then float32 tensors, each row-major:
//   token_embedding [V][D], rms_att [L][D], wq [L][D][D], wk [L][Hkv*Dh][D],
//   wv [L][Hkv*Dh][D], wo [L][D][D], rms_ffn [L][D], w1 [L][F][D],
//   w2 [L][D][F], w3 [L][F][D], rms_final [D], freq_cis_real [P][Dh/2],
//   freq_cis_imag [P][Dh/2], then wcls [V][D] only when vocab_size < 0
//   (a classifier not shared with the embedding).
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "model.h"

namespace attnscope {

struct Llama2cHeader {
  int dim = 0;            // D
  int hidden_dim = 0;     // F
  int n_layers = 0;       // L
  int n_heads = 0;        // H
  int n_kv_heads = 0;     // Hkv
  int vocab_size = 0;     // V, always positive here
  int seq_len = 0;        // P
  bool shared_classifier = true;
};

// Reads and validates the header (positive sizes, D % H == 0, H % Hkv == 0,
// even head dim). `source` names the file in error messages.
Llama2cHeader read_llama2c_header(std::span<const std::uint8_t> bytes, const std::string& source);

// The exact file size the header implies; throws Error if it overflows.
std::uint64_t llama2c_file_size(const Llama2cHeader& header, const std::string& source);

// Maps the checkpoint, checks that it is exactly as long as the header says
// (naming the first tensor that runs past the end), and finds its tokenizer
// next to it: tok<V>.bin, tokenizer.bin, or the only tok*.bin.
std::shared_ptr<Model> load_llama2c(const std::filesystem::path& checkpoint);

// The one *.bin in `folder` that is not a tokenizer (tok*.bin); nullopt when
// there is none or more than one. Does not look for config.json: callers
// check for a Hugging Face folder first.
std::optional<std::filesystem::path> find_llama2c_checkpoint(const std::filesystem::path& folder);

}  // namespace attnscope
