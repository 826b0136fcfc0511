// attnscope-cli heads: every head's role scores (previous, next, first and
// self weight, entropy, induction) as a table, optionally written as JSON.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/attention_kind.h"
#include "core/text_input.h"
#include "core/atomic_file.h"
#include "scene/head_roles.h"

namespace attnscope::cli {

namespace {

// The self-attention preset at layer/head, or null.
const HeadPreset* preset_at(const Model& model, int layer, int head) {
  for (const HeadPreset& p : model.presets)
    if (p.kind == AttentionKind::Self && p.layer == layer && p.head == head) return &p;
  return nullptr;
}

std::string preset_name(const Model& model, int layer, int head) {
  const HeadPreset* p = preset_at(model, layer, head);
  return p ? p->name : std::string();
}

// {"heads": [{"layer", "head", "previous", "next", "first", "self", "entropy", "induction"}, ...]};
// a named head adds "preset", and "heldout_accuracy" / "probe" when attnscope.json gives them.
nlohmann::json roles_json(const Model& model, const std::vector<HeadRoles>& roles) {
  nlohmann::json heads = nlohmann::json::array();
  for (const HeadRoles& r : roles) {
    nlohmann::json entry = {{"layer", r.layer}, {"head", r.head}, {"previous", r.previous}, {"next", r.next},
                            {"first", r.first}, {"self", r.self}, {"entropy", r.entropy}, {"induction", r.induction}};
    if (const HeadPreset* p = preset_at(model, r.layer, r.head)) {
      entry["preset"] = p->name;
      if (p->heldout_accuracy) entry["heldout_accuracy"] = *p->heldout_accuracy;
      if (!p->probe.empty()) entry["probe"] = p->probe;
    }
    heads.push_back(entry);
  }
  return {{"heads", heads}};
}

void print_table(const Model& model, const std::vector<HeadRoles>& roles) {
  std::printf("layer head previous     next    first     self  entropy induction\n");
  for (const HeadRoles& r : roles) {
    std::printf("%5d %4d %8.3f %8.3f %8.3f %8.3f %8.3f %9.3f", r.layer, r.head, r.previous, r.next, r.first, r.self,
                r.entropy, r.induction);
    const std::string name = preset_name(model, r.layer, r.head);
    if (!name.empty()) std::printf("  (%s)", name.c_str());
    std::printf("\n");
  }
}

}  // namespace

int heads_command(const std::vector<std::string>& argv) {
  const Args args(argv, {"--model", "--text", "--text-file", "--json"}, {"--force"});
  const Overwrite overwrite = args.has("--force") ? Overwrite::Allow : Overwrite::Refuse;
  if (auto path = args.get("--json")) {  // before the model loads, so a bad path costs nothing
    check_output_extension(*path, {".json"});
    check_output_path(*path, overwrite);
  }
  auto model = open_model(args.get("--model"));
  const std::string text = read_input_text(args.get("--text"), args.get("--text-file"), default_text());
  const std::vector<HeadRoles> roles = score_heads(model, text);
  print_table(*model, roles);
  if (auto path = args.get("--json")) {
    write_file_atomically(*path, roles_json(*model, roles).dump() + "\n", overwrite);
    std::cerr << "wrote " << *path << "\n";
  }
  return 0;
}

}  // namespace attnscope::cli
