#include "train/probe_eval.h"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/forward.h"

namespace attnscope::train {
namespace {

using corpus::Span;

// The tokens covering a span of the text (wordpieces of one word).
std::vector<int> tokens_of(const AttentionSnapshot& s, const Span& span) {
  std::vector<int> out;
  for (int t = 0; t < s.n_tokens; ++t) {
    const Token& tok = s.tokens[static_cast<size_t>(t)];
    if (!tok.special && tok.start < span.end && tok.end > span.start) out.push_back(t);
  }
  return out;
}

float weight_on(const MatrixRM& probs, int query, const std::vector<int>& keys) {  // probs [T, T]
  float sum = 0;
  for (int k : keys) sum += probs(query, k);
  return sum;
}

Span span_of(const nlohmann::json& pair) { return {pair.at(0).get<std::size_t>(), pair.at(1).get<std::size_t>()}; }

Span find_word(const std::string& text, const std::string& word) {
  const std::size_t at = text.find(word);
  if (at == std::string::npos) throw Error("probe: '" + word + "' not in '" + text + "'");
  return {at, at + word.size()};
}

// The pair's pronoun-to-noun weights for every head: [L * H] of {animal, street}.
std::vector<std::array<float, 2>> pair_weights(const std::shared_ptr<const Model>& model, const std::string& text) {
  RunOptions options;
  options.predict = RunOptions::Predict::None;
  const auto s = run_text(model, text, options);
  const auto pronoun = tokens_of(*s, find_word(text, " it ")), animal = tokens_of(*s, find_word(text, "animal")),
             street = tokens_of(*s, find_word(text, "street"));
  if (pronoun.empty() || animal.empty() || street.empty()) throw Error("probe: the tokenizer merged the pair's words");
  std::vector<std::array<float, 2>> out;
  for (const HeadCapture& h : s->heads) out.push_back({weight_on(h.probs, pronoun.front(), animal), weight_on(h.probs, pronoun.front(), street)});
  return out;
}

// Per head: the weight from "sat" on "cat" in the seed sentence, and whether
// "cat" gets the most of that row.
std::vector<std::pair<float, bool>> seed_subject_weights(const std::shared_ptr<const Model>& model) {
  const std::string text = "The cat sat on the mat.";
  RunOptions options;
  options.predict = RunOptions::Predict::None;
  const auto s = run_text(model, text, options);
  const auto sat = tokens_of(*s, find_word(text, "sat")), cat = tokens_of(*s, find_word(text, "cat"));
  if (sat.empty() || cat.empty()) throw Error("probe: the tokenizer merged the seed sentence's words");
  std::vector<std::pair<float, bool>> out;
  for (const HeadCapture& h : s->heads) {
    Eigen::Index peak = 0;
    h.probs.row(sat.front()).maxCoeff(&peak);
    out.push_back({weight_on(h.probs, sat.front(), cat), std::find(cat.begin(), cat.end(), static_cast<int>(peak)) != cat.end()});
  }
  return out;
}

}  // namespace

std::vector<ProbeItem> parse_probe_set(const std::string& jsonl) {
  std::vector<ProbeItem> items;
  std::istringstream lines(jsonl);
  std::string line;
  for (int n = 1; std::getline(lines, line); ++n) {
    if (line.empty()) continue;
    try {
      const auto j = nlohmann::json::parse(line);
      ProbeItem item;
      item.text = j.at("text").get<std::string>();
      const auto& spans = j.at("spans");
      item.pronoun = span_of(spans.at("pronoun"));
      item.candidates = {span_of(spans.at("candidates").at(0)), span_of(spans.at("candidates").at(1))};
      const int answer_word = j.at("answer").get<int>();
      item.answer = answer_word == j.at("candidates").at(0).get<int>() ? 0 : 1;
      item.decided_by = j.at("decided_by").get<std::string>();
      for (const Span& s : {item.pronoun, item.candidates[0], item.candidates[1]})
        if (s.start >= s.end || s.end > item.text.size()) throw Error("a span lies outside the text");
      items.push_back(std::move(item));
    } catch (const std::exception& e) {
      throw Error("probe set line " + std::to_string(n) + ": " + e.what());
    }
  }
  return items;
}

ProbeReport run_probe(const std::shared_ptr<const Model>& model, const std::vector<ProbeItem>& items) {
  ProbeReport r;
  r.n_layers = model->config.n_layers;
  r.n_heads = model->config.n_heads;
  r.heads.resize(static_cast<size_t>(r.n_layers * r.n_heads));
  for (int i = 0; i < r.n_layers * r.n_heads; ++i) {
    r.heads[static_cast<size_t>(i)].layer = i / r.n_heads;
    r.heads[static_cast<size_t>(i)].head = i % r.n_heads;
  }

  RunOptions options;
  options.predict = RunOptions::Predict::None;
  long positional_rows = 0;
  for (const ProbeItem& item : items) {
    const auto s = run_text(model, item.text, options);
    const auto pronoun = tokens_of(*s, item.pronoun);
    const std::array<std::vector<int>, 2> cand = {tokens_of(*s, item.candidates[0]), tokens_of(*s, item.candidates[1])};
    if (pronoun.empty() || cand[0].empty() || cand[1].empty()) {
      ++r.skipped;
      continue;
    }
    const auto distance = [&](const Span& c) { return c.end <= item.pronoun.start ? item.pronoun.start - c.end : c.start - item.pronoun.end; };
    const int nearest = distance(item.candidates[0]) <= distance(item.candidates[1]) ? 0 : 1;
    const int first = item.candidates[0].start <= item.candidates[1].start ? 0 : 1;
    r.nearest.total++;
    r.nearest.correct += nearest == item.answer;
    r.first.total++;
    r.first.correct += first == item.answer;
    for (HeadProbe& h : r.heads) {
      const MatrixRM& probs = s->head(h.layer, h.head).probs;  // [T, T]
      const float w0 = weight_on(probs, pronoun.front(), cand[0]), w1 = weight_on(probs, pronoun.front(), cand[1]);
      const bool right = (item.answer == 0 ? w0 > w1 : w1 > w0);
      for (Tally* t : {&h.all, &h.by_decided[item.decided_by]}) {
        t->total++;
        t->correct += right;
      }
      for (int t = 1; t < s->n_tokens; ++t) h.previous_token += probs(t, t - 1);
      for (int t = 0; t + 1 < s->n_tokens; ++t) h.next_token += probs(t, t + 1);
      for (int t = 1; t < s->n_tokens; ++t) h.first_token += probs(t, 0);
    }
    positional_rows += s->n_tokens - 1;
  }
  for (HeadProbe& h : r.heads) {
    h.previous_token /= static_cast<double>(std::max(1L, positional_rows));
    h.next_token /= static_cast<double>(std::max(1L, positional_rows));
    h.first_token /= static_cast<double>(std::max(1L, positional_rows));
  }

  const auto tired = pair_weights(model, "The animal didn't cross the street because it was too tired.");
  const auto wide = pair_weights(model, "The animal didn't cross the street because it was too wide.");
  for (size_t i = 0; i < r.heads.size(); ++i) {
    HeadProbe& h = r.heads[i];
    h.tired_animal = tired[i][0];
    h.tired_street = tired[i][1];
    h.wide_animal = wide[i][0];
    h.wide_street = wide[i][1];
    h.pair_right = h.tired_animal > h.tired_street && h.wide_street > h.wide_animal;
  }
  const auto seed = seed_subject_weights(model);
  for (size_t i = 0; i < r.heads.size(); ++i) std::tie(r.heads[i].sat_cat, r.heads[i].seed_subject_right) = seed[i];
  return r;
}

HeadChoice choose_subject_preset(const ProbeReport& report) {
  if (report.heads.empty()) throw Error("probe: the report has no heads");
  const bool any_seed = std::any_of(report.heads.begin(), report.heads.end(), [](const HeadProbe& h) { return h.seed_subject_right; });
  const HeadProbe* top = nullptr;
  for (const HeadProbe& h : report.heads)
    if ((h.seed_subject_right || !any_seed) && (!top || h.all.accuracy() > top->all.accuracy())) top = &h;
  return {"verb \u2192 subject", top->layer, top->head};
}

std::vector<HeadChoice> choose_presets(const ProbeReport& report, bool bidirectional) {
  if (report.heads.empty()) throw Error("probe: the report has no heads");
  std::vector<const HeadProbe*> taken;
  // The eligible head with the highest score, not already taken.
  const auto best = [&](auto score, auto eligible) {
    const HeadProbe* top = nullptr;
    for (const HeadProbe& h : report.heads)
      if (std::find(taken.begin(), taken.end(), &h) == taken.end() && eligible(h) && (!top || score(h) > score(*top))) top = &h;
    if (top) taken.push_back(top);
    return top;
  };
  const auto any = [](const HeadProbe&) { return true; };
  std::vector<HeadChoice> out;
  const auto add = [&](const char* name, const HeadProbe* h) {
    if (h) out.push_back({name, h->layer, h->head});
  };
  if (bidirectional) {
    const bool any_pair = std::any_of(report.heads.begin(), report.heads.end(), [](const HeadProbe& h) { return h.pair_right; });
    add("pronoun \u2192 antecedent", best([](const HeadProbe& h) { return h.all.accuracy(); },
                                          [&](const HeadProbe& h) { return h.pair_right || !any_pair; }));
    add("previous token", best([](const HeadProbe& h) { return h.previous_token; }, any));
    add("next token", best([](const HeadProbe& h) { return h.next_token; }, any));
  } else {
    add("previous token", best([](const HeadProbe& h) { return h.previous_token; }, any));
    add("first token", best([](const HeadProbe& h) { return h.first_token; }, any));
  }
  return out;
}

std::string presets_json(const std::vector<HeadChoice>& presets) {
  nlohmann::json list = nlohmann::json::array();
  for (const HeadChoice& p : presets) list.push_back({{"name", p.name}, {"layer", p.layer}, {"head", p.head}});
  return nlohmann::json{{"presets", list}}.dump(2) + "\n";
}

std::string format_report(const ProbeReport& r) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-6s %8s %8s %8s %8s %8s  %-5s %7s %7s %7s %7s %6s %6s %6s\n", "head", "all", "meaning", "number",
                "animacy", "gender", "pair", "t:anim", "t:str", "w:anim", "w:str", "prev", "next", "first");
  out += line;
  const auto pct = [](const std::map<std::string, Tally>& m, const char* key) {
    const auto it = m.find(key);
    return it == m.end() ? 0.0 : 100.0 * it->second.accuracy();
  };
  for (const HeadProbe& h : r.heads) {
    std::snprintf(line, sizeof line, "L%dH%-3d %7.1f%% %7.1f%% %7.1f%% %7.1f%% %7.1f%%  %-5s %7.3f %7.3f %7.3f %7.3f %6.3f %6.3f %6.3f\n", h.layer,
                  h.head, 100.0 * h.all.accuracy(), pct(h.by_decided, "meaning"), pct(h.by_decided, "number"), pct(h.by_decided, "animacy"),
                  pct(h.by_decided, "gender"), h.pair_right ? "yes" : "no", h.tired_animal, h.tired_street, h.wide_animal, h.wide_street,
                  h.previous_token, h.next_token, h.first_token);
    out += line;
  }
  const int scored = r.nearest.total;
  std::snprintf(line, sizeof line, "%d items scored, %d skipped; baselines: nearest candidate %.1f%%, first candidate %.1f%%\n", scored,
                r.skipped, 100.0 * r.nearest.accuracy(), 100.0 * r.first.accuracy());
  out += line;
  return out;
}

std::string format_subject_report(const ProbeReport& r) {
  std::string out;
  char line[200];
  std::snprintf(line, sizeof line, "%-6s %8s %10s %10s %8s %5s\n", "head", "all", "structure", "agreement", "sat:cat", "seed");
  out += line;
  for (const HeadProbe& h : r.heads) {
    const auto pct = [&](const char* key) {
      const auto it = h.by_decided.find(key);
      return it == h.by_decided.end() ? 0.0 : 100.0 * it->second.accuracy();
    };
    std::snprintf(line, sizeof line, "L%dH%-3d %7.1f%% %9.1f%% %9.1f%% %8.3f %5s\n", h.layer, h.head, 100.0 * h.all.accuracy(),
                  pct("structure"), pct("agreement"), h.sat_cat, h.seed_subject_right ? "yes" : "no");
    out += line;
  }
  std::snprintf(line, sizeof line, "%d items scored, %d skipped; baselines: nearest noun %.1f%%, first noun %.1f%%\n", r.nearest.total,
                r.skipped, 100.0 * r.nearest.accuracy(), 100.0 * r.first.accuracy());
  return out + line;
}

}  // namespace attnscope::train
