// The sample check's measure: runs of the generated stories count, runs that
// real text also has do not, and the prompt's own words never do.
#include <gtest/gtest.h>

#include "core/model.h"

#include "core/error.h"
#include "train/corpus_mix.h"
#include "train/sample_check.h"
#include "train_test_support.h"

namespace attnscope::train {
namespace {

SampleCheckOptions small_options() {
  SampleCheckOptions o;
  o.corpora = attnscope::testing::shared_dir() / "corpora";
  o.generated_bytes = 2u << 20;
  return o;
}

const GeneratedWording& wording() {
  static const GeneratedWording w(small_options());
  return w;
}

TEST(SampleCheck, GeneratedStoriesCountAndRealStoriesDoNot) {
  corpus::CorpusMix mix = corpus::parse_mix("generated=1", 64u << 10);
  mix.wordnet = true;
  mix.stories_only = true;
  const PromptSample generated = wording().score("", corpus::generated_text(mix, 1, small_options().corpora));
  ASSERT_GT(generated.runs, 1000);
  // Most of the generator's wording is its own; the rest is plain English that TinyStories or Brown also has.
  EXPECT_GT(generated.generated_runs, generated.runs / 2);
  int runs = 0;
  for (const std::string& story : testing::stories(50)) {
    const PromptSample real = wording().score("", story);
    EXPECT_EQ(real.generated_runs, 0) << story;
    runs += real.runs;
  }
  EXPECT_GT(runs, 1000);
}

// Retold stories are TinyStories with other nouns and some items: their
// own runs are the ones around a new noun or in an item, far fewer than the
// template stories' own.
TEST(SampleCheck, RetoldStoriesHaveLessWordingOfTheirOwn) {
  SampleCheckOptions options = small_options();
  options.retold = true;
  const GeneratedWording retold_wording(options);
  corpus::CorpusMix mix = corpus::parse_mix("generated=1", 64u << 10);
  mix.wordnet = true;
  mix.stories_only = true;
  const PromptSample templates = wording().score("", corpus::generated_text(mix, 1, options.corpora));
  mix.retold = true;
  const PromptSample retold = retold_wording.score("", corpus::generated_text(mix, 1, options.corpora));
  ASSERT_GT(retold.runs, 1000);
  EXPECT_GT(retold.generated_runs, retold.runs / 10);
  EXPECT_LT(retold.generated_runs * templates.runs, retold.runs * templates.generated_runs);
  for (const std::string& story : testing::stories(50)) EXPECT_EQ(retold_wording.score("", story).generated_runs, 0) << story;
}

TEST(SampleCheck, ThePromptsWordsAreNotCounted) {
  const std::string text = "The cat sat on the mat. She gave it to him and";  // 12 words
  EXPECT_EQ(wording().score("The cat sat on the mat.", text).runs, 1);  // the 6 after the prompt
  EXPECT_EQ(wording().score("", text).runs, 7);
}

TEST(SampleCheck, RefusesAMaskedModel) {
  const auto bert = load_model(std::filesystem::path(ATTNSCOPE_SOURCE_DIR) / "assets/models/attnscope-tiny-bert");
  EXPECT_THROW(check_samples(bert, everyday_prompts(), small_options()), Error);
}

}  // namespace
}  // namespace attnscope::train
