// The training corpus: generated pronoun text mixed with real English from
// ../shared/corpora, and the held-out probe set.
//
// A mix is written "generated=0.45,tinystories=0.35,brown=0.20" and gives
// each source's share of the corpus in bytes. Real sources that are smaller
// than their share are repeated; generated text never runs out. Archaic
// sources (kjv, shakespeare) are available but default to 0.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "train/corpus_generator.h"

namespace attnscope::train::corpus {

struct CorpusMix {
  std::map<std::string, double> shares = {{"generated", 0.45}, {"tinystories", 0.35}, {"brown", 0.20}};
  std::size_t total_bytes = 24u << 20;
  bool wordnet = false;      // the generator's nouns and reasons grown from WordNet (wordnet_lexicon.h)
  double subject_share = 0;  // generated documents that are verb -> subject sentences (subject_items.h)
  bool stories_only = false; // generated documents are stories only (GeneratorOptions::stories_only)
  bool retold = false;       // stories are TinyStories retold with the lexicon's nouns (retold_stories.h)
  bool retold_people = false;  // with retold: people's nouns are swapped too, within their gender
};

// The generator's lexicons for a mix: the hand-written halves, or with
// `wordnet` the WordNet split, read once per process. `known` words come from
// the real text in corpora_dir.
const Lexicon& training_lexicon(const CorpusMix& mix, const std::filesystem::path& corpora_dir);
const Lexicon& held_out_lexicon(const CorpusMix& mix, const std::filesystem::path& corpora_dir);

// Parses "name=share,..."; names: generated, tinystories, brown, kjv, shakespeare.
CorpusMix parse_mix(const std::string& spec, std::size_t total_bytes);
std::string mix_string(const CorpusMix& mix);

// Brown's "said \" no evidence \" that ." -> "said \"no evidence\" that."
std::string detokenize(const std::string& line);

// Documents of one shared source: TinyStories stories, Brown paragraphs of a
// few detokenised sentences, KJV and Shakespeare paragraphs.
std::vector<std::string> read_source(const std::filesystem::path& corpora_dir, const std::string& name);

// The mixed corpus as documents, shuffled by the seed. Only generated
// documents carry coreference links.
std::vector<Document> build_corpus(const std::filesystem::path& corpora_dir, const CorpusMix& mix, std::uint64_t seed);

// Every generated document build_corpus(mix, seed) holds, joined by newlines:
// what a probe item must not appear in to count as a held-out sentence.
std::string generated_text(const CorpusMix& mix, std::uint64_t seed, const std::filesystem::path& corpora_dir = {});

// The probe set as JSON lines: {"text", "words", "pronoun", "candidates",
// "answer", "schema", "decided_by"}, indices into "words" (see probe_words).
// The items come from the held-out half of the lexicon (other nouns, frames
// and wordings); with held_out = false, from the training half: new
// sentences in the training vocabulary, an in-distribution comparison.
// `unseen`, if given, gets a first look at each item's text: items it
// rejects (say, because the training text holds them) are replaced by others.
std::string probe_set_jsonl(std::uint64_t seed, int count, bool held_out = true,
                            const std::function<bool(const std::string&)>& unseen = {});

// The same for either task: "pronoun" items, or "subject" items whose
// "pronoun" is the verb and whose answer is its subject (held_out: with the
// verbs training never saw). `lexicon` null: the hand-written half.
struct ProbeOptions {
  std::string task = "pronoun";
  bool held_out = true;
  const Lexicon* lexicon = nullptr;
};
std::string probe_set_jsonl(std::uint64_t seed, int count, const ProbeOptions& options,
                            const std::function<bool(const std::string&)>& unseen = {});

}  // namespace attnscope::train::corpus
