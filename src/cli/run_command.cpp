// attnscope-cli run: one forward pass, printed as tokens and top predictions,
// optionally written as JSON.
#include <iomanip>
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/intervention_args.h"
#include "core/text_input.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/export_json.h"
#include "core/forward.h"
#include "core/seq2seq.h"

namespace attnscope::cli {

namespace {

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  return out + "'";
}

void print_snapshot(const AttentionSnapshot& snap, bool truncated) {
  const ModelConfig& c = snap.model->config;
  std::cout << "model: " << c.model_type << " (" << c.n_layers << " layers x " << c.n_heads << " heads, dim " << c.dim << ")\n";
  if (truncated) std::cout << "note: the text was cut to the model's context of " << c.max_positions << " tokens\n";
  std::cout << "tokens (" << snap.n_tokens << "):";
  for (int t = 0; t < snap.n_tokens; ++t) std::cout << " [" << t << "]" << quoted(snap.tokens[static_cast<size_t>(t)].display);
  std::cout << "\n";
  bool any = false;
  for (int t = 0; t < snap.n_tokens; ++t) {
    const auto& top = snap.top[static_cast<size_t>(t)];
    if (top.empty()) continue;
    if (!any) std::cout << (c.masked_lm ? "masked-LM fills:\n" : "next-token predictions:\n");
    any = true;
    std::cout << "  [" << t << "] " << quoted(snap.tokens[static_cast<size_t>(t)].display) << " ->";
    for (const Prediction& p : top) std::cout << " " << quoted(p.text) << " " << std::fixed << std::setprecision(3) << p.prob;
    std::cout << "\n";
  }
}

// Encoder-decoder runs also list the decoder's inputs and what each position predicts.
void print_decoder(const DecoderCapture& dec) {
  std::cout << "target: " << quoted(dec.target_text) << "\n";
  std::cout << "decoder tokens (" << dec.n_tokens << "):";
  for (int t = 0; t < dec.n_tokens; ++t) std::cout << " [" << t << "]" << quoted(dec.tokens[static_cast<size_t>(t)].display);
  std::cout << "\nnext target-token predictions:\n";
  for (int t = 0; t < dec.n_tokens; ++t) {
    std::cout << "  [" << t << "] " << quoted(dec.tokens[static_cast<size_t>(t)].display) << " ->";
    for (const Prediction& p : dec.top[static_cast<size_t>(t)]) std::cout << " " << quoted(p.text) << " " << std::fixed << std::setprecision(3) << p.prob;
    std::cout << "\n";
  }
}

}  // namespace

int run_command(const std::vector<std::string>& argv) {
  std::set<std::string> valued = {"--model", "--text", "--text-file", "--target", "--json", "--top-k"};
  std::set<std::string> flags = {"--force"};
  valued.insert(kInterventionOptions.begin(), kInterventionOptions.end());
  flags.insert(kInterventionFlags.begin(), kInterventionFlags.end());
  const Args args(argv, valued, flags);
  const Overwrite overwrite = args.has("--force") ? Overwrite::Allow : Overwrite::Refuse;
  if (auto path = args.get("--json")) {  // before the model loads, so a bad path costs nothing
    check_output_extension(*path, {".json"});
    check_output_path(*path, overwrite);
  }
  auto model = open_model(args.get("--model"));
  RunOptions options;
  options.top_k = args.get_int("--top-k", 5, 1, 1000);
  options.interventions = intervention_args(args, *model);

  const std::string text = read_input_text(args.get("--text"), args.get("--text-file"), default_text());
  bool truncated = false;
  auto snap = is_encoder_decoder(*model) ? run_translation(model, text, args.get("--target"), options, 64, &truncated)
                                         : run_text(model, text, options, &truncated);
  print_snapshot(*snap, truncated);
  print_warnings(*snap);
  if (snap->decoder) print_decoder(*snap->decoder);
  if (auto path = args.get("--json")) {
    write_file_atomically(*path, snapshot_to_json(*snap).dump() + "\n", overwrite);
    std::cerr << "wrote " << *path << "\n";
  }
  return 0;
}

}  // namespace attnscope::cli
