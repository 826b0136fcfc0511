// Where the embedded default model lives: installed next to the executable
// (share/attnscope/models) or in the source tree's assets/models.
#pragma once
#include <filesystem>
#include <optional>
#include <vector>

namespace attnscope {

// The sentence attnscope opens on: "it" resolves to "animal" because of "tired".
inline constexpr const char* kDefaultSentence = "The animal didn't cross the street because it was too tired";
// What a translation model opens on: "black cat" becomes "chat noir", so the alignment crosses.
inline constexpr const char* kTranslationSentence = "The black cat sat on the mat.";

// The models attnscope ships, in the order its Models menu lists them: the
// masked LM it opens on, the causal LM, the translation model.
const std::vector<const char*>& default_model_names();

// The masked LM's folder, or nullopt when it is not installed.
std::optional<std::filesystem::path> default_model_path();

// Every shipped model's folder that exists.
std::vector<std::filesystem::path> default_model_folders();

}  // namespace attnscope
