// How recognisable the generated stories are in a causal model's samples:
// greedy continuations of everyday prompts, and which of their 6-word runs
// occur in the generated stories but nowhere in the real text (TinyStories,
// Brown). A run found only there is the generator's wording, not English the
// model could have learnt elsewhere.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/model.h"

namespace attnscope::train {

// Twenty short openings a teacher might type, none from the generator.
const std::vector<std::string>& everyday_prompts();

struct PromptSample {
  std::string prompt, text;     // text: the prompt and its continuation
  int runs = 0;                 // 6-word runs of the continuation
  int generated_runs = 0;       // of those, found only in the generated stories
};

struct SampleCheck {
  std::vector<PromptSample> samples;
  int with_generated() const;   // continuations with at least one generated-only run
  double generated_share() const;  // generated-only runs / all runs
};

struct SampleCheckOptions {
  std::filesystem::path corpora;  // tinystories.txt and brown.txt
  std::size_t generated_bytes = 24u << 20;  // of generated stories (--wordnet --stories-only, seed 1)
  int steps = 60;                 // positions per greedy continuation, prompt included
  bool retold = false;            // the generated stories are retold TinyStories (--retold), not templates
};

// The 6-word runs of the generated stories that real text never has.
class GeneratedWording {
 public:
  explicit GeneratedWording(const SampleCheckOptions& options);
  // Counts the distinct runs of `text` after the prompt's words, and those
  // found only in the generated stories.
  PromptSample score(const std::string& prompt, const std::string& text) const;

 private:
  std::unordered_set<std::uint64_t> generated_, real_;
};

SampleCheck check_samples(const std::shared_ptr<const Model>& model, const std::vector<std::string>& prompts,
                          const SampleCheckOptions& options);

}  // namespace attnscope::train
