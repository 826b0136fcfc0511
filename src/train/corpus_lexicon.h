// The corpus generator's own word lists and sentence schemas, written by this
// project. Every list comes in two disjoint halves: the training half, which
// the corpus uses, and a held-out half (other nouns, other frames, other
// wordings of the reasons) that only the probe set uses, so probe accuracy
// measures generalisation rather than memorised templates.
//
// Templates use slots: {a} {b} the two candidate noun phrases; {p} the
// pronoun of the referent (the candidate the reason is about), {o} the
// pronoun of the other one; a field after a dot picks a form: {p.obj}
// him/her/it/them, {p.poss} his/her/its/their, {p.was} was/were,
// {a.was} {b.was} agreement with a candidate.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace attnscope::train::corpus {

enum class Kind { Person, Animal, Thing };

struct Noun {
  std::string singular, plural;  // plural empty: never plural (names, mass nouns)
  char gender = 'n';             // 'm', 'f', 'n' (things, animals), '?' (a person of either gender)
  Kind kind = Kind::Thing;
  bool name = false;             // a proper name: no article
};

// An intransitive verb a person or an animal can be the subject of.
struct Verb {
  std::string past, singular, plural;  // "sat", "sits", "sit"
  std::string tail;                    // what may follow: " down", "" ...
};

// A relation between two candidates (Winograd-style): which one a reason
// clause is about is decided by its meaning.
struct Schema {
  std::string name;
  std::string a_class, b_class;             // noun classes of the two candidates
  std::vector<std::string> frames;          // main clauses with {a} and {b}
  std::vector<std::string> reasons_a;       // clauses true of a: "{p} {p.was} too big"
  std::vector<std::string> reasons_b;       // clauses true of b
  bool allow_plural = true;
};

struct Lexicon {
  std::map<std::string, std::vector<Noun>> classes;  // "animal" -> nouns
  std::vector<Schema> schemas;
  std::vector<std::string> connectives;        // "because", "since", ...
  std::vector<std::string> openers;            // "Yesterday,", "One morning," ...
  std::map<Kind, std::vector<std::string>> relative_clauses;  // "that lived on the farm"
  std::vector<std::string> places;             // story settings: "park", "beach" ...
  std::vector<Verb> subject_verbs;             // the verbs of verb -> subject sentences
};

// held_out = false: the training half; true: the probe half.
const Lexicon& lexicon(bool held_out);

}  // namespace attnscope::train::corpus
