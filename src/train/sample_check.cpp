#include "train/sample_check.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <unordered_set>

#include "core/error.h"
#include "core/generate.h"
#include "train/corpus_mix.h"

namespace attnscope::train {
namespace {

constexpr int kRunWords = 6;

// Lowercase words of ASCII letters and apostrophes; everything else separates.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : text) {
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if ((lower >= 'a' && lower <= 'z') || lower == '\'') {
      word += lower;
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// FNV-1a over the run's words, each followed by a separator byte.
std::uint64_t run_hash(const std::vector<std::string>& words, std::size_t first) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t w = first; w < first + kRunWords; ++w) {
    for (const char c : words[w]) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    h = (h ^ 0x20u) * 1099511628211ull;
  }
  return h;
}

void add_runs(std::string_view text, std::unordered_set<std::uint64_t>& runs) {
  const std::vector<std::string> words = words_of(text);
  for (std::size_t i = 0; i + kRunWords <= words.size(); ++i) runs.insert(run_hash(words, i));
}

std::string greedy_text(const std::shared_ptr<const Model>& model, const std::string& prompt, int steps) {
  std::vector<int> ids;
  for (const Token& t : model->tokenizer->encode(prompt)) ids.push_back(t.id);
  if (ids.empty()) throw Error("sample check: an empty prompt");
  return decode_generated(*model->tokenizer, generate_greedy(model, ids, steps));
}

}  // namespace

const std::vector<std::string>& everyday_prompts() {
  static const std::vector<std::string> prompts = {
      "Once upon a time", "The little dog", "One day, a boy named Tom", "The cat sat on the mat.", "My mother said",
      "It was a sunny day", "The old man", "Yesterday I went to", "The children played", "In the morning",
      "A girl named Sue", "The teacher told the class", "We went to the beach", "The bird flew", "After school",
      "The farmer", "There was a big tree", "The baby", "Dad made dinner", "The king"};
  return prompts;
}

int SampleCheck::with_generated() const {
  int n = 0;
  for (const PromptSample& s : samples) n += s.generated_runs > 0;
  return n;
}

double SampleCheck::generated_share() const {
  long runs = 0, generated = 0;
  for (const PromptSample& s : samples) {
    runs += s.runs;
    generated += s.generated_runs;
  }
  return runs ? static_cast<double>(generated) / static_cast<double>(runs) : 0.0;
}

GeneratedWording::GeneratedWording(const SampleCheckOptions& options) {
  corpus::CorpusMix mix = corpus::parse_mix("generated=1", options.generated_bytes);
  mix.wordnet = true;
  mix.stories_only = true;
  mix.retold = options.retold;
  add_runs(corpus::generated_text(mix, 1, options.corpora), generated_);
  for (const char* source : {"tinystories", "brown"})
    for (const std::string& document : corpus::read_source(options.corpora, source)) add_runs(document, real_);
}

PromptSample GeneratedWording::score(const std::string& prompt, const std::string& text) const {
  PromptSample sample{prompt, text};
  std::vector<std::string> words = words_of(text);
  words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(std::min(words.size(), words_of(prompt).size())));
  // Distinct runs, so a continuation that loops is not counted once per loop.
  std::unordered_set<std::uint64_t> runs;
  for (std::size_t i = 0; i + kRunWords <= words.size(); ++i) runs.insert(run_hash(words, i));
  sample.runs = static_cast<int>(runs.size());
  for (const std::uint64_t r : runs) sample.generated_runs += generated_.count(r) && !real_.count(r);
  return sample;
}

SampleCheck check_samples(const std::shared_ptr<const Model>& model, const std::vector<std::string>& prompts,
                          const SampleCheckOptions& options) {
  if (!model->config.causal || model->config.masked_lm || model->encoder_decoder)
    throw Error(model->source.string() + ": sample-check needs a causal language model");
  const GeneratedWording wording(options);
  SampleCheck check;
  for (const std::string& prompt : prompts) check.samples.push_back(wording.score(prompt, greedy_text(model, prompt, options.steps)));
  return check;
}

}  // namespace attnscope::train
