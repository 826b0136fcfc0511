// attnscope-cli export: attention data for other tools (BertViz JSON, NumPy
// .npy, CSV of one head).
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/intervention_args.h"
#include "core/text_input.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/export_data.h"
#include "core/forward.h"
#include "core/seq2seq.h"

namespace attnscope::cli {

int export_command(const std::vector<std::string>& argv) {
  std::set<std::string> valued = {"--model",  "--text",  "--text-file", "--target", "--attention",
                                   "--format", "--tensor", "--layer",     "--head",   "--out"};
  std::set<std::string> flags = {"--force"};
  valued.insert(kInterventionOptions.begin(), kInterventionOptions.end());
  flags.insert(kInterventionFlags.begin(), kInterventionFlags.end());
  const Args args(argv, valued, flags);
  const std::string format = args.require("--format");
  const std::string out = args.require("--out");
  if (format != "bertviz" && format != "npy" && format != "csv") throw Error("--format must be bertviz, npy or csv");
  // Checked before the model loads: a data file under a name that promises
  // another format, or over an existing file, is refused up front.
  check_output_extension(out, {format == "bertviz" ? ".json" : format == "npy" ? ".npy" : ".csv"});
  check_output_path(out, args.has("--force") ? Overwrite::Allow : Overwrite::Refuse);
  NpyTensor tensor = NpyTensor::Attention;
  if (!npy_tensor_from_name(args.get_or("--tensor", "attention"), &tensor)) throw Error("--tensor must be attention, q, k or v");
  AttentionKind kind = AttentionKind::Self;
  if (!attention_kind_from_name(args.get_or("--attention", "self"), &kind)) throw Error("--attention must be self, decoder or cross");

  auto model = open_model(args.get("--model"));
  RunOptions options;
  options.predict = RunOptions::Predict::None;
  options.interventions = intervention_args(args, *model);
  const std::string text = read_input_text(args.get("--text"), args.get("--text-file"), default_text());
  auto snap = is_encoder_decoder(*model) ? run_translation(model, text, args.get("--target"), options) : run_text(model, text, options);
  print_warnings(*snap);

  // bertviz holds every kind; npy and csv hold the one --attention names.
  std::string bytes;
  if (format == "bertviz") bytes = bertviz_json(*snap).dump() + "\n";
  else if (format == "npy") bytes = npy_bytes(snapshot_array(attention_of_kind(*snap, kind), tensor));
  else bytes = attention_csv(attention_of_kind(*snap, kind), args.get_int("--layer", 0, 0, 1 << 20), args.get_int("--head", 0, 0, 1 << 20));
  write_export(out, bytes, args.has("--force"));
  std::cerr << "wrote " << out << "\n";
  return 0;
}

}  // namespace attnscope::cli
