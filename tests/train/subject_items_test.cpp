// Verb -> subject items: the verb and both nouns are labelled on real words,
// the answer is the subject, agreement items agree, held-out verbs are new,
// and training documents link each verb to its subject.
#include <algorithm>
#include <set>

#include "core/error.h"
#include <gtest/gtest.h>

#include "train/corpus_generator.h"
#include "train/corpus_mix.h"
#include "train/subject_items.h"

namespace attnscope::train::corpus {
namespace {

std::string at(const std::string& text, const Span& s) { return text.substr(s.start, s.end - s.start); }

// "sheep" is both: its verb alone says which.
bool same_in_both_numbers(const std::string& noun) {
  for (const Noun& n : lexicon(false).classes.at("animal+person"))
    if (n.plural == noun && n.singular == noun) return true;
  return false;
}

bool is_plural(const std::string& noun) {
  for (const Noun& n : lexicon(false).classes.at("animal+person"))
    if (n.plural == noun && n.singular != noun) return true;
  return false;
}

TEST(SubjectItems, LabelTheVerbTheSubjectAndTheDistractor) {
  std::set<std::string> decided;
  int distractor_first = 0, distractor_between = 0, thing_distractors = 0;
  std::set<std::string> animate;
  for (const Noun& n : lexicon(false).classes.at("animal+person")) animate.insert(n.singular), animate.insert(n.plural);
  for (std::uint64_t n = 0; n < 600; ++n) {
    Rng rng(3, n);
    const Item item = make_subject_item(rng, lexicon(false));
    const Span subject = item.candidates[item.answer], distractor = item.candidates[1 - item.answer];
    EXPECT_EQ(at(item.text, subject), item.antecedent) << item.text;
    EXPECT_NE(at(item.text, subject), at(item.text, distractor)) << item.text;
    EXPECT_LT(item.candidates[0].start, item.candidates[1].start) << "candidates in text order: " << item.text;
    EXPECT_GT(item.pronoun.start, subject.start) << "the verb follows its subject: " << item.text;
    distractor_first += distractor.start < subject.start;
    thing_distractors += !animate.count(at(item.text, distractor));
    distractor_between += subject.start < distractor.start && distractor.start < item.pronoun.start;
    const std::string verb = at(item.text, item.pronoun);
    if (item.decided_by == "agreement" && !same_in_both_numbers(item.antecedent)) {
      // Present tense, subject and distractor differ in number: the verb agrees with the subject.
      const std::string first_word = verb.substr(0, verb.find(' '));
      EXPECT_EQ(first_word.back() == 's', !is_plural(item.antecedent)) << item.text;
    }
    decided.insert(item.decided_by);
  }
  EXPECT_EQ(decided, (std::set<std::string>{"structure", "agreement"}));
  EXPECT_GT(distractor_first, 60);
  EXPECT_GT(distractor_between, 150);
  EXPECT_GT(thing_distractors, 150) << "things distract too: The dog near the trees barked.";
}

TEST(SubjectItems, HeldOutVerbsAreNeverTrainedOn) {
  std::set<std::string> training, held_out;
  for (std::uint64_t n = 0; n < 800; ++n) {
    Rng a(4, n), b(5, n);
    const Item t = make_subject_item(a, lexicon(false)), h = make_subject_item(b, lexicon(true));
    training.insert(at(t.text, t.pronoun).substr(0, at(t.text, t.pronoun).find(' ')));
    held_out.insert(at(h.text, h.pronoun).substr(0, at(h.text, h.pronoun).find(' ')));
  }
  for (const std::string& v : held_out) EXPECT_FALSE(training.count(v)) << v;
  EXPECT_GE(held_out.size(), 10u);
}

TEST(SubjectItems, DocumentsLinkEachVerbToItsSubject) {
  GeneratorOptions options;
  options.subject_share = 0.5;
  int verb_links = 0;
  for (const Document& doc : generate_documents(9, 60000, options))
    for (const Coreference& link : doc.links) {
      const std::string word = at(doc.text, link.pronoun);
      const bool pronoun = word == "it" || word == "It" || word == "he" || word == "He" || word == "she" || word == "She" ||
                           word == "they" || word == "They";
      if (pronoun) continue;
      ++verb_links;
      // The subject stands before its verb in the same document.
      EXPECT_NE(doc.text.rfind(link.antecedent, link.pronoun.start), std::string::npos) << doc.text;
    }
  EXPECT_GT(verb_links, 200);
  // Without subjects, the generator draws exactly what it always did.
  EXPECT_EQ(generate_documents(9, 20000), generate_documents(9, 20000, GeneratorOptions{}));
}

TEST(SubjectItems, ProbeSetScoresTheVerbAgainstTheSubject) {
  const std::string jsonl = probe_set_jsonl(7, 20, ProbeOptions{"subject", true, nullptr});
  EXPECT_EQ(std::count(jsonl.begin(), jsonl.end(), '\n'), 20);
  EXPECT_NE(jsonl.find("\"schema\":\"subject\""), std::string::npos);
  EXPECT_THROW(probe_set_jsonl(7, 2, ProbeOptions{"verbs", true, nullptr}), Error);
}

}  // namespace
}  // namespace attnscope::train::corpus
