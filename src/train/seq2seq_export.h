// Writes a trained encoder-decoder as an ordinary MarianMTModel folder:
// config.json and model.safetensors (float32) under the tensor names of the
// engine's own Marian table (families_seq2seq.cpp), nn.Linear [out, in]
// layouts, the shared embedding once (the head is tied to it), and the fixed
// sinusoid tables as converted opus-mt checkpoints store them. The
// SentencePiece files and vocab.json are written beside them by the
// tokenizer trainer.
#pragma once
#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/safetensors_writer.h"
#include "train/seq2seq_layout.h"

namespace attnscope::train {

// The tensors of model.safetensors under their Hugging Face names.
std::vector<NamedTensor> marian_tensors(const Seq2SeqShape& shape, const Seq2SeqLayout& layout, const std::vector<float>& params);

// config.json: what MarianConfig and the engine's loader read.
nlohmann::json marian_config(const Seq2SeqShape& shape);

// config.json + model.safetensors into `folder` (created if needed).
void export_marian_model(const std::filesystem::path& folder, const Seq2SeqShape& shape, const Seq2SeqLayout& layout,
                         const std::vector<float>& params);

}  // namespace attnscope::train
