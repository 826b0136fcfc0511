// The generated English -> French corpus: random clauses over the parallel
// lexicon, rendered on both sides by grammar rules with every word link
// recorded. A clause is "subject verb [object] [preposition place]" or a
// copula ("is happy", "is a student", "is under the table").
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "train/parallel_lexicon.h"
#include "train/parallel_pair.h"

namespace attnscope::train {

enum class Split { Train, Selection, HeldOut, UnseenWords };

enum class Tense { Present, Progressive, Past, Perfect, Future };

enum class Determiner { The, A, Bare, My, Your, His, Her, Our, Their, This, Number };

struct NounPhrase {
  int noun = -1;       // index into ParallelLexicon::nouns
  int adjective = -1;  // index into ParallelLexicon::adjectives, -1: none
  Determiner determiner = Determiner::The;
  bool plural = false;
  int number = 2;      // Determiner::Number: 2..10
  int pronoun = -1;    // subject pronoun 0..5: I you he she we they (noun unused)
  int name = -1;       // index into ParallelLexicon::names (noun unused)
};

enum class ClauseKind { Verb, CopulaAdjective, CopulaJob, CopulaPlace };

struct Clause {
  ClauseKind kind = ClauseKind::Verb;
  NounPhrase subject;
  int verb = -1;                       // ClauseKind::Verb
  Tense tense = Tense::Present;
  bool negative = false;
  std::optional<NounPhrase> object;    // transitive verbs; CopulaJob: the profession
  int adjective = -1;                  // CopulaAdjective
  std::string preposition;             // "on", "under", "in", "near", "behind", "in front of", "with", "to", "at", "from"
  std::optional<NounPhrase> place;
};

ParallelPair render_clause(const ParallelLexicon& lexicon, const Clause& clause);

// Which split a sentence belongs to, by a fixed hash of its English text:
// 90% Train, 5% Selection, 5% HeldOut. Never UnseenWords.
Split split_of_source(const std::string& source);

// `count` pairs of `split`, the same for the same seed. Train, Selection and
// HeldOut use training vocabulary only and are disjoint by split_of_source;
// every UnseenWords pair contains at least one held-out noun or adjective.
std::vector<ParallelPair> generate_pairs(const ParallelLexicon& lexicon, Split split, int count, std::uint64_t seed);

Split parse_split(const std::string& name);  // "train", "selection", "held-out", "unseen"

// Joins words into text: a space between words, none after an elided word
// ("s'" + "est"), final punctuation attached, first letter capitalised.
// Fills text and spans; links are kept and their crossing flags recomputed.
void assemble_side(const std::vector<std::string>& words, const std::string& final_punct, std::string& text,
                   std::vector<WordSpan>& spans);
void mark_crossing_links(std::vector<WordLink>& links);

void write_pairs_jsonl(const std::vector<ParallelPair>& pairs, const std::filesystem::path& path);
std::vector<ParallelPair> read_pairs_jsonl(const std::filesystem::path& path);

}  // namespace attnscope::train
