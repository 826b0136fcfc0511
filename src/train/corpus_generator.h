// Generated English for the default models: sentences and short stories rich
// in pronouns whose antecedent is decided by gender, number, animacy or
// meaning (Winograd-style pairs), with frames, word order, distance and
// relative clauses varied, and, as the pronoun-head calibration notes
// advise, the same sentences with the referent named again ("... because the
// animal was too tired") so that a masked LM is trained to resolve them.
// Everything is reproducible from a seed.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "train/corpus_lexicon.h"
#include "train/rng.h"

namespace attnscope::train::corpus {

struct Span {
  std::size_t start = 0, end = 0;  // bytes of `text`
  bool operator==(const Span&) const = default;
};

// One sentence (or two) with a pronoun and two candidate antecedents.
struct Item {
  std::string text;
  Span pronoun;
  Span candidates[2];       // head nouns (or names) of the two candidates, in schema order
  int answer = 0;           // index into candidates
  std::string schema;       // "fit", "cross", ...
  std::string decided_by;   // "meaning", "gender", "number" or "animacy"
  std::string named_again;  // the same text with the referent named where the pronoun was
  std::string antecedent;   // the referent's head noun or name as written: "animal", "trophies", "Tom"
};

// A pronoun in a training document and the noun it refers to, or a verb and
// its subject's head noun. A masked LM learns to resolve pronouns when, at
// the (unmasked) pronoun, it is also asked for that noun: the easiest way to
// answer is to look at the antecedent. Verbs and subjects work the same way.
struct Coreference {
  Span pronoun;
  std::string antecedent;
  bool operator==(const Coreference&) const = default;
};

struct Document {
  std::string text;
  std::vector<Coreference> links;  // generated items in pronoun form; none in real text
  bool operator==(const Document&) const = default;
};

// The item's pronoun as a link, for the item placed at byte `offset` of a document.
Coreference link_at(const Item& item, std::size_t offset);

// A pronoun item from a lexicon, or from the hand-written training half
// (held_out = false) or probe half.
Item make_item(Rng& rng, const Lexicon& lex);
Item make_item(Rng& rng, bool held_out);

// A short story: two characters, an object, events that refer back by
// pronoun where gender or number makes it clear, and one pronoun item.
Document make_story(Rng& rng, const Lexicon& lex);

struct RetellSource;  // retold_stories.h

struct GeneratorOptions {
  const Lexicon* lexicon = nullptr;  // null: the hand-written training half
  double subject_share = 0;          // documents of verb -> subject sentences (see subject_items.h)
  bool stories_only = false;         // every document a story holding its items, never a run of items
                                     // beside their named-again twins (text a causal model should not echo)
  const RetellSource* retell = nullptr;  // stories are real ones retold instead of written from templates
};

// Training documents (stories and groups of items, some followed by their
// named-again versions) until about target_chars bytes.
std::vector<Document> generate_documents(std::uint64_t seed, std::size_t target_chars, const GeneratorOptions& options = {});

// The words of a text as the probe set counts them: runs of letters, digits
// and apostrophes, or single other non-space characters. Returns their spans.
std::vector<Span> probe_words(const std::string& text);

}  // namespace attnscope::train::corpus
