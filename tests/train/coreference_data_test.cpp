// Coreference links: generated documents mark their pronouns with the noun
// they refer to, the token stream carries that noun's first token at the
// pronoun, and a BERT batch keeps the pronoun visible with that target.
#include <set>

#include <gtest/gtest.h>

#include "core/error.h"
#include "train/corpus_generator.h"
#include "train/data.h"
#include "train/fit.h"
#include "train_test_support.h"

namespace attnscope::train {
namespace {

TEST(CoreferenceLinks, PointAtPronounsAndNameTheirAntecedent) {
  const auto docs = corpus::generate_documents(5, 40000);
  const std::set<std::string> pronouns = {"it", "It", "he", "He", "she", "She", "they", "They"};
  std::size_t links = 0;
  for (const corpus::Document& doc : docs) {
    for (const corpus::Coreference& link : doc.links) {
      ASSERT_LE(link.pronoun.end, doc.text.size());
      const std::string pronoun = doc.text.substr(link.pronoun.start, link.pronoun.end - link.pronoun.start);
      EXPECT_TRUE(pronouns.count(pronoun)) << doc.text << " -> '" << pronoun << "'";
      // The antecedent is written in the document before or after the pronoun (cataphora).
      EXPECT_NE(doc.text.find(link.antecedent), std::string::npos) << doc.text << " -> " << link.antecedent;
      ++links;
    }
  }
  EXPECT_GT(links, docs.size() / 2);
}

TEST(CoreferenceLinks, BertBatchesPredictTheAntecedentAtTheVisiblePronoun) {
  corpus::Document doc;
  doc.text = "The animal didn't cross the street because it was too tired.";
  const std::size_t it = doc.text.find(" it ") + 1;
  doc.links.push_back({{it, it + 2}, "animal"});
  std::vector<corpus::Document> docs(40, doc);
  std::vector<std::string> texts;
  for (const auto& d : docs) texts.push_back(d.text);
  texts.push_back("Once upon a time there was a cat.");
  const auto views = testing::views(texts);
  std::vector<const std::vector<corpus::Coreference>*> links;
  for (const auto& d : docs) links.push_back(&d.links);
  links.push_back(nullptr);

  const auto tokenizer = train_tokenizer(Arch::Bert, views, 200, attnscope::testing::temp_dir("coref-wp"), 64);
  const TokenStream stream = tokenize_documents(*tokenizer, views, Arch::Bert, links);
  ASSERT_EQ(stream.antecedents.size(), stream.ids.size());
  const int it_id = tokenizer->encode(" it")[1].id;  // after [CLS]
  const int animal_id = tokenizer->encode(" animal")[1].id;
  int linked = 0;
  for (std::size_t i = 0; i < stream.ids.size(); ++i) {
    if (stream.antecedents[i] < 0) continue;
    EXPECT_EQ(stream.ids[i], it_id);
    EXPECT_EQ(stream.antecedents[i], animal_id);
    ++linked;
  }
  EXPECT_EQ(linked, 40);

  BatchOptions options;
  options.arch = Arch::Bert;
  options.batch = 8;
  options.tokens = 24;
  options.vocab_size = tokenizer->vocab_size();
  set_batch_specials(options, *tokenizer);
  const Batch batch = sample_batch(stream, options, 3, 0);
  int visible_pronoun_targets = 0;
  for (std::size_t i = 0; i < batch.ids.size(); ++i)
    if (batch.ids[i] == it_id && batch.targets[i] == animal_id) ++visible_pronoun_targets;
  EXPECT_GE(visible_pronoun_targets, options.batch / 2);  // most sequences start at a document

  options.predict_antecedents = false;
  const Batch plain = sample_batch(stream, options, 3, 0);
  for (std::size_t i = 0; i < plain.ids.size(); ++i)
    if (plain.targets[i] == animal_id) {
      EXPECT_NE(plain.ids[i], it_id);
    }
}

TEST(CoreferenceLinks, TokenizingRejectsLinksThatDoNotMatchTheDocuments) {
  std::vector<std::string> texts = {"one two three", "four five six"};
  const auto views = testing::views(texts);
  const auto tokenizer = train_tokenizer(Arch::Bert, views, 200, attnscope::testing::temp_dir("coref-bad"), 32);
  const std::vector<const std::vector<corpus::Coreference>*> one_link_list = {nullptr};
  EXPECT_THROW(tokenize_documents(*tokenizer, views, Arch::Bert, one_link_list), Error);
}

}  // namespace
}  // namespace attnscope::train
