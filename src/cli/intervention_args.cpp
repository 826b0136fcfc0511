#include "cli/intervention_args.h"

#include "core/seq2seq.h"
#include "core/error.h"

namespace attnscope::cli {

namespace {

// --target and the decoder / cross head lists need an encoder-decoder model.
void check_seq2seq_options(const Args& args, const Model& model) {
  if (is_encoder_decoder(model)) return;
  for (const char* option : {"--target", "--ablate-decoder", "--ablate-cross"})
    if (args.get(option))
      throw Error(ErrorKind::Usage, std::string(option) + " needs an encoder-decoder model (Marian, T5); " +
                                        model.source.string() + " is a " + model.config.model_type + " model");
}

}  // namespace

Interventions intervention_args(const Args& args, const Model& model) {
  if (args.has("--no-causal") && args.has("--causal"))
    throw Error(ErrorKind::Usage, "--causal and --no-causal contradict each other");
  check_seq2seq_options(args, model);
  Interventions out;
  out.ablated_heads = parse_head_list(args.get_or("--ablate", ""));
  out.ablated_decoder_heads = parse_head_list(args.get_or("--ablate-decoder", ""));
  out.ablated_cross_heads = parse_head_list(args.get_or("--ablate-cross", ""));
  out.masked_keys = parse_index_list(args.get_or("--mask-keys", args.get_or("--mask-key", "")));
  if (args.has("--no-causal")) out.causal = false;
  if (args.has("--causal")) out.causal = true;
  if (args.has("--no-positions")) out.positions = false;
  return out;
}

}  // namespace attnscope::cli
