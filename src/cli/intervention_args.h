// The intervention options `run` and `export` share: --ablate, --ablate-decoder,
// --ablate-cross, --mask-keys (alias --mask-key), --causal / --no-causal and
// --no-positions.
#pragma once
#include "cli/args.h"
#include "core/interventions.h"
#include "core/model.h"

namespace attnscope::cli {

// The option names, to list among a command's valued options and flags.
inline const std::set<std::string> kInterventionOptions = {"--ablate", "--ablate-decoder", "--ablate-cross",
                                                          "--mask-keys", "--mask-key"};
inline const std::set<std::string> kInterventionFlags = {"--causal", "--no-causal", "--no-positions"};

// Throws Error (Usage) for contradicting flags, or for decoder / cross head
// lists and --target given with a model that has no decoder.
Interventions intervention_args(const Args& args, const Model& model);

}  // namespace attnscope::cli
