// A BERT-shaped Hugging Face folder with random weights, for the benchmarks'
// bidirectional line (attnscope-bench --write-model DIR --shape bert-base,
// then the app's --bench-ui --model DIR): config.json, model.safetensors
// (BertForMaskedLM names, MLM head tied to the word embeddings) and a
// vocab.txt whose single characters and ##-pieces spell any ASCII text.
#pragma once
#include <cstdint>
#include <filesystem>

namespace attnscope {

struct BertShape {
  int n_layers = 12;       // L
  int n_heads = 12;        // H
  int dim = 768;           // D
  int ffn_dim = 3072;      // F
  int vocab_size = 30522;  // V
  int positions = 512;     // P
};

// Writes the folder (created if missing); the same weight scale as
// write_synthetic_gpt2. Throws Error on I/O failure or when a file exists.
void write_synthetic_bert(const std::filesystem::path& folder, const BertShape& shape, std::uint64_t seed);

}  // namespace attnscope
