// Verbs for the verb -> subject sentences, grown from WordNet's verb files:
// over a hundred intransitive verbs a person or an animal does ("barked",
// "whispered") instead of two dozen, so that the subject head
// learns verbs as a class rather than verb by verb.
//
// The split follows the nouns' (wordnet_lexicon.h): a synset is training or
// held out, by a hash, and every synset of a hand-written held-out verb
// (yawn, weep...) is held out. A verb with a held-out sense is never trained
// on, and a held-out verb that shares a synset with a training verb leaves
// the held-out half.
#pragma once
#include <set>
#include <string>

#include "train/wordnet.h"
#include "train/wordnet_lexicon.h"

namespace attnscope::train::corpus {

// Adds WordNet's verbs to split.training and split.held_out. A verb joins
// when its past and third-person forms are `known` words of real text.
void add_wordnet_verbs(const WordNet& verbs, const std::set<std::string>& known, WordNetSplit& split);

// The simple past of a WordNet verb that real text uses ("sit" -> "sat",
// "stop" -> "stopped", "bark" -> "barked"), or "" if no form is known.
std::string past_of(const WordNet& verbs, const std::string& base, const std::set<std::string>& known);

// The third person singular: "bark" -> "barks", "cry" -> "cries", "go" -> "goes".
std::string third_person_of(const std::string& base);

}  // namespace attnscope::train::corpus
