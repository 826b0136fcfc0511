// The probe evaluator's parts that need no trained model: reading the probe
// set, choosing presets from a report, and writing attnscope.json.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "train/corpus_mix.h"
#include "train/probe_eval.h"

namespace attnscope::train {
namespace {

TEST(ProbeEval, ReadsTheProbeSetItWrites) {
  const auto items = parse_probe_set(corpus::probe_set_jsonl(7, 30));
  ASSERT_EQ(items.size(), 30u);
  for (const ProbeItem& item : items) {
    const std::string pronoun = item.text.substr(item.pronoun.start, item.pronoun.end - item.pronoun.start);
    EXPECT_TRUE(pronoun == "it" || pronoun == "It" || pronoun == "they" || pronoun == "They" || pronoun == "he" ||
                pronoun == "He" || pronoun == "she" || pronoun == "She")
        << item.text;
    EXPECT_NE(item.candidates[0].start, item.candidates[1].start);
  }
  try {
    parse_probe_set(corpus::probe_set_jsonl(7, 2) + "{\"text\": \"x\"}\n");
    FAIL() << "a line without spans was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
  }
}

ProbeReport report_of(int layers, int heads) {
  ProbeReport r;
  r.n_layers = layers;
  r.n_heads = heads;
  for (int i = 0; i < layers * heads; ++i) {
    HeadProbe h;
    h.layer = i / heads;
    h.head = i % heads;
    h.all = {50, 100};
    r.heads.push_back(h);
  }
  return r;
}

TEST(ProbeEval, PronounPresetNeedsThePairWhenAnyHeadGetsIt) {
  ProbeReport r = report_of(2, 2);
  r.heads[0].all = {95, 100};       // most accurate, but the pair wrong
  r.heads[3].all = {80, 100};
  r.heads[3].pair_right = true;
  r.heads[1].previous_token = 0.9;  // and the best previous-token head
  r.heads[3].next_token = 0.8;      // already the pronoun head: next best takes "next token"
  r.heads[2].next_token = 0.5;
  const auto presets = choose_presets(r, true);
  ASSERT_EQ(presets.size(), 3u);
  EXPECT_EQ(presets[0].name, "pronoun \u2192 antecedent");
  EXPECT_EQ(presets[0].layer * 2 + presets[0].head, 3);
  EXPECT_EQ(presets[1].name, "previous token");
  EXPECT_EQ(presets[1].layer * 2 + presets[1].head, 1);
  EXPECT_EQ(presets[2].name, "next token");
  EXPECT_EQ(presets[2].layer * 2 + presets[2].head, 2);

  r.heads[3].pair_right = false;  // no head gets the pair: the most accurate one
  EXPECT_EQ(choose_presets(r, true)[0].layer * 2 + choose_presets(r, true)[0].head, 0);

  const auto causal = choose_presets(r, false);
  ASSERT_EQ(causal.size(), 2u);
  EXPECT_EQ(causal[0].name, "previous token");
  EXPECT_EQ(causal[1].name, "first token");
  EXPECT_NE(causal[0].layer * 2 + causal[0].head, causal[1].layer * 2 + causal[1].head);

  const auto json = nlohmann::json::parse(presets_json(presets));
  ASSERT_EQ(json.at("presets").size(), 3u);
  EXPECT_EQ(json["presets"][0]["name"], "pronoun \u2192 antecedent");
  EXPECT_EQ(json["presets"][0]["layer"], 1);
  EXPECT_EQ(json["presets"][0]["head"], 1);
}

TEST(ProbeEval, SubjectPresetNeedsTheSeedSentenceWhenAnyHeadGetsIt) {
  ProbeReport r = report_of(2, 2);
  r.heads[1].all = {97, 100};  // most accurate, but "sat" peaks elsewhere
  r.heads[2].all = {91, 100};
  r.heads[2].seed_subject_right = true;
  r.heads[3].all = {60, 100};
  r.heads[3].seed_subject_right = true;
  const HeadChoice chosen = choose_subject_preset(r);
  EXPECT_EQ(chosen.name, "verb \u2192 subject");
  EXPECT_EQ(chosen.layer * 2 + chosen.head, 2);
  r.heads[2].seed_subject_right = r.heads[3].seed_subject_right = false;  // none does: the most accurate
  EXPECT_EQ(choose_subject_preset(r).layer * 2 + choose_subject_preset(r).head, 1);
  EXPECT_NE(format_subject_report(r).find("L0H1      97.0%"), std::string::npos) << format_subject_report(r);
}

}  // namespace
}  // namespace attnscope::train
