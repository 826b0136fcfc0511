#include "train/subject_items.h"

#include <cctype>

namespace attnscope::train::corpus {
namespace {

const std::vector<std::string> kPrepositions = {"near", "next to", "behind", "beside", "with", "by"};
const std::vector<std::string> kSubjectRelatives = {"who saw", "who liked", "that found", "that followed", "who met"};
const std::vector<std::string> kObjectRelatives = {"chased", "saw", "helped", "found", "liked", "called"};
const std::vector<std::string> kPlaces = {"on", "under", "near", "by", "behind"};

struct Phrase {
  std::string text;  // "the dogs", "Tom"
  Span head;         // the noun inside `text`
  bool plural = false;
};

Phrase phrase(Rng& rng, const Noun& noun, bool allow_plural) {
  Phrase p;
  p.plural = allow_plural && !noun.name && !noun.plural.empty() && rng.chance(0.35);
  const std::string word = p.plural ? noun.plural : noun.singular;
  p.text = noun.name ? word : "the " + word;
  p.head = {p.text.size() - word.size(), p.text.size()};
  return p;
}

// Builds the sentence from parts, recording where each phrase lands.
struct Writer {
  std::string text;
  Span subject, distractor, verb;
  void add(const std::string& s) { text += s; }
  void add(const Phrase& p, Span& where) {
    where = {text.size() + p.head.start, text.size() + p.head.end};
    text += p.text;
  }
  void add_verb(const std::string& v) {
    verb = {text.size(), text.size() + v.size()};
    text += v;
  }
};

// Layouts whose distractor may be a thing as well as a person or an animal:
// after a preposition ("The dog near the trees barked"), as the object of a
// subject relative ("The man who saw the box ran"), and in front ("Near the
// box, the dog barked"). The last layout is the seed's "sat on the mat".
bool thing_may_distract(int layout) { return layout == 0 || layout == 1 || layout == 3; }

const std::vector<std::string> kThingClasses = {"heavy_object", "small_object", "container", "barrier", "surface", "far_thing"};

const Noun& distractor(Rng& rng, const Lexicon& lex, int layout, const Noun& subject) {
  if (layout == 6) return rng.pick(lex.classes.at(rng.chance(0.5) ? "surface" : "heavy_object"));
  if (thing_may_distract(layout) && rng.chance(0.5)) return rng.pick(lex.classes.at(rng.pick(kThingClasses)));
  const auto& animate = lex.classes.at("animal+person");
  const Noun* x = &rng.pick(animate);
  for (int tries = 0; x->singular == subject.singular && tries < 20; ++tries) x = &rng.pick(animate);
  return *x;
}

}  // namespace

Item make_subject_item(Rng& rng, const Lexicon& lex) {
  const Noun& s_noun = rng.pick(lex.classes.at("animal+person"));
  const int layout = rng.index(7);
  const Noun& x_noun = distractor(rng, lex, layout, s_noun);
  const Phrase s = phrase(rng, s_noun, true), x = phrase(rng, x_noun, true);
  const Verb& verb = rng.pick(lex.subject_verbs);
  const bool present = layout != 6 && rng.chance(0.4);  // layout 6 is the seed's "sat on the mat"
  const std::string v = (present ? (s.plural ? verb.plural : verb.singular) : verb.past) + (rng.chance(0.5) ? verb.tail : "");
  Writer w;
  switch (layout) {
    case 0: w.add(s, w.subject), w.add(" " + rng.pick(kPrepositions) + " "), w.add(x, w.distractor), w.add(" "), w.add_verb(v); break;
    case 1: w.add(s, w.subject), w.add(" " + rng.pick(kSubjectRelatives) + " "), w.add(x, w.distractor), w.add(" "), w.add_verb(v); break;
    case 2: w.add(s, w.subject), w.add(" that "), w.add(x, w.distractor), w.add(" " + rng.pick(kObjectRelatives) + " "), w.add_verb(v); break;
    case 3: w.add(rng.pick(kPrepositions) + " "), w.add(x, w.distractor), w.add(", "), w.add(s, w.subject), w.add(" "), w.add_verb(v); break;
    case 4: w.add("when "), w.add(x, w.distractor), w.add(present ? " comes in, " : " came in, "), w.add(s, w.subject), w.add(" "), w.add_verb(v); break;
    case 5: w.add(x, w.distractor), w.add(present ? " says that " : " said that "), w.add(s, w.subject), w.add(" "), w.add_verb(v); break;
    default: w.add(s, w.subject), w.add(" "), w.add_verb(verb.past), w.add(" " + rng.pick(kPlaces) + " "), w.add(x, w.distractor); break;
  }
  w.text += ".";
  w.text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w.text[0])));
  Item item;
  item.text = w.text;
  item.pronoun = w.verb;
  const bool subject_first = w.subject.start < w.distractor.start;
  item.candidates[0] = subject_first ? w.subject : w.distractor;
  item.candidates[1] = subject_first ? w.distractor : w.subject;
  item.answer = subject_first ? 0 : 1;
  item.schema = "subject";
  item.decided_by = present && s.plural != x.plural ? "agreement" : "structure";
  item.antecedent = w.text.substr(w.subject.start, w.subject.end - w.subject.start);
  item.named_again = item.text;
  return item;
}

}  // namespace attnscope::train::corpus
