// Heads the literature has named in well-known checkpoints, offered as
// presets when the loaded model is one of them. A checkpoint is recognised by
// its family, its layer and head counts, its model width and its vocabulary
// size: all five must match, so GPT-2 medium or a BERT with another
// vocabulary gets none of them.
//
// Layers and heads are 0-based here, whatever the source wrote: Clark et al.
// (2019) number from 1 ("5-4" is layer 4, head 3 counted from 0).
#pragma once
#include <string>
#include <vector>

#include "core/model.h"

namespace attnscope {

struct PublishedHead {
  std::string name;    // what the head does ("coreference")
  int layer = 0, head = 0;
  std::string as_published;  // how the source writes it ("5-4", "5.5")
};

struct KnownCheckpoint {
  std::string name;  // "BERT-base-uncased"
  Family family = Family::Gpt2;
  int n_layers = 0, n_heads = 0, dim = 0, vocab_size = 0;
  std::string source;  // the paper the heads come from
  std::vector<PublishedHead> heads;
};

// Shown with every published head: it was found on the authors' data, not
// on the text in front of the user.
extern const char* const kPublishedHeadsCaveat;

// Every checkpoint the table knows.
const std::vector<KnownCheckpoint>& known_checkpoints();

// The checkpoint `config` matches, or nullptr.
const KnownCheckpoint* match_known_checkpoint(const ModelConfig& config);

}  // namespace attnscope
