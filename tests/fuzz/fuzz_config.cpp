// Fuzzes config.json reading: arbitrary bytes as JSON, then every family's
// hyperparameter reader. Only attnscope::Error may come out.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/families.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::json config = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded() || !config.is_object()) return 0;
  for (const char* type : {"gpt2", "bert", "distilbert", "llama"}) {
    try {
      const attnscope::FamilyInfo* family = attnscope::find_family(type);
      attnscope::ModelConfig c = family->read_config(config);
      attnscope::tie_word_embeddings(config, c.family);
      attnscope::config_model_type(config);
    } catch (const attnscope::Error&) {
    }
  }
  return 0;
}
