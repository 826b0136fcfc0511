// Loads a Hugging Face encoder-decoder folder (MarianMTModel, T5ForConditionalGeneration).
#pragma once
#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "encoder_decoder.h"

namespace attnscope {

bool is_seq2seq_model_type(const std::string& model_type);  // "marian", "t5"

// `config` is the folder's parsed config.json. Throws Error naming the file,
// tensor or field at fault.
std::shared_ptr<Model> load_seq2seq_folder(const std::filesystem::path& folder, const nlohmann::json& config);

}  // namespace attnscope
