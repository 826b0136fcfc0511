// Verb -> subject sentences: the tutorials' other worked example ("The cat
// sat on the mat": at "sat", look for the subject). Each sentence puts a
// distractor noun near the verb, often between subject and verb:
//   The dog near the trees barked.          (prepositional phrase)
//   The man who saw the bears ran home.     (subject relative clause)
//   The boy that the dog chased cried.      (object relative clause)
//   Near the trees, the dog barked.         (distractor first)
//   The cat sat on the mat.                 (distractor after the verb)
// The distractor is a person or an animal, or in some layouts a thing. In
// the present tense, when subject and distractor differ in number, the
// verb's agreement is a cue too ("The dogs near the tree bark").
//
// An item is a corpus::Item: `pronoun` holds the verb, `candidates` the
// subject's and the distractor's head nouns in text order, and `antecedent`
// the subject's head noun, which a masked LM learns to predict at the verb.
#pragma once
#include "train/corpus_generator.h"

namespace attnscope::train::corpus {

// `lex` supplies the nouns and the verbs: the held-out lexicon's are ones
// training never saw.
Item make_subject_item(Rng& rng, const Lexicon& lex);

}  // namespace attnscope::train::corpus
