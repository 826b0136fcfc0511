// Verb -> subject sentences: the tutorials' other worked example ("The cat
// sat on the mat": at "sat", look for the subject). Each sentence puts a
// distractor noun near the verb, often between subject and verb:
//   The dog near the trees barked.          (prepositional phrase)
//   The man who saw the bears ran home.     (subject relative clause)
//   The boy that the dog chased cried.      (object relative clause)
//   Near the trees, the dog barked.         (distractor first)
//   The cat sat on the mat.                 (distractor after the verb)
// In the present tense, when subject and distractor differ in number, the
// verb's agreement is a cue too ("The dogs near the tree bark").
//
// An item is a corpus::Item: `pronoun` holds the verb, `candidates` the
// subject's and the distractor's head nouns in text order, and `antecedent`
// the subject's head noun, which a masked LM learns to predict at the verb.
#pragma once
#include "train/corpus_generator.h"

namespace attnscope::train::corpus {

// held_out_verbs: the verbs training never saw; `lex` supplies the nouns.
Item make_subject_item(Rng& rng, const Lexicon& lex, bool held_out_verbs);

}  // namespace attnscope::train::corpus
