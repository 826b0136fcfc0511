// The pronoun-head probe: for every head of a model, how often the pronoun
// puts more attention on its antecedent than on the other candidate noun, on
// held-out sentences (see corpus::probe_set_jsonl). Also the heads that
// attend to the previous and the next token, and the tired/wide pair:
// "The animal didn't cross the street because it was too tired / wide."
//
// Shape legend: L layers, H heads, T tokens.
#pragma once
#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/model.h"
#include "train/corpus_generator.h"

namespace attnscope::train {

struct ProbeItem {
  std::string text;
  corpus::Span pronoun;
  std::array<corpus::Span, 2> candidates;
  int answer = 0;  // index into candidates
  std::string decided_by;
};

// Reads probe_set_jsonl's lines; throws Error naming the line on a bad one.
std::vector<ProbeItem> parse_probe_set(const std::string& jsonl);

struct Tally {
  int correct = 0, total = 0;
  double accuracy() const { return total ? static_cast<double>(correct) / total : 0.0; }
};

struct HeadProbe {
  int layer = 0, head = 0;
  Tally all;
  std::map<std::string, Tally> by_decided;  // "meaning", "number", ...
  bool pair_right = false;                  // tired → animal and wide → street
  float tired_animal = 0, tired_street = 0, wide_animal = 0, wide_street = 0;  // the pair's weights
  double previous_token = 0, next_token = 0;  // mean weight on key t-1 / t+1 over probe tokens
  double first_token = 0;                     // mean weight on key 0 ([CLS] or the first word)
  // "The cat sat on the mat.": the weight from "sat" on "cat", and whether
  // "cat" gets the most weight of all tokens (the seed of the subject head).
  float sat_cat = 0;
  bool seed_subject_right = false;
};

struct ProbeReport {
  int n_layers = 0, n_heads = 0;
  std::vector<HeadProbe> heads;  // [L * H]
  int skipped = 0;               // items whose words the tokenizer did not keep apart
  Tally nearest, first;          // baselines: the candidate nearest the pronoun / the first one
};

ProbeReport run_probe(const std::shared_ptr<const Model>& model, const std::vector<ProbeItem>& items);

// Bidirectional models: the pronoun head, the best accuracy among heads that
// get the tired/wide pair right (among all heads if none does), then the
// strongest previous- and next-token heads. Causal models read a pronoun
// before the words that decide it ("... it was too tired"), so they get no
// pronoun preset: the strongest previous-token and first-token heads.
struct HeadChoice {
  std::string name;
  int layer = 0, head = 0;
};
std::vector<HeadChoice> choose_presets(const ProbeReport& report, bool bidirectional);

// From a report on the verb -> subject probe (corpus::ProbeOptions task
// "subject"): the most accurate head among those whose row at "sat" in the
// seed sentence peaks on "cat" (among all heads if none does).
HeadChoice choose_subject_preset(const ProbeReport& subject_report);

// {"presets":[{"name":..., "layer":L, "head":H}, ...]}: the model folder's attnscope.json.
std::string presets_json(const std::vector<HeadChoice>& presets);

// A plain-text table: one row per head with its accuracy overall and per
// deciding feature, the pair, and the positional weights; then the baselines.
std::string format_report(const ProbeReport& report);
// The same for the verb -> subject probe: accuracy overall, by structure and
// by agreement, and the seed sentence's "sat" -> "cat" weight.
std::string format_subject_report(const ProbeReport& report);

}  // namespace attnscope::train
