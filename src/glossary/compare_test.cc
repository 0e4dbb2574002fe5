#include "glossary/compare.h"

#include <gtest/gtest.h>

namespace parley::glossary {
namespace {

// A text's parts, distinct ones in [brackets].
std::string shown(const std::vector<ComparedPart>& parts) {
  std::string out;
  for (const auto& p : parts) out += p.distinct ? "[" + p.text + "]" : p.text;
  return out;
}

TEST(CompareDefinitions, MarksWhatIsNotInEveryOtherDefinition) {
  const auto out = compare_definitions({"Critical infrastructure means systems vital to society.",
                                        "Critical infrastructure means assets and systems vital to the economy."});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(shown(out[0]), "Critical infrastructure means systems vital to [society].");
  EXPECT_EQ(shown(out[1]), "Critical infrastructure means [assets and] systems vital to [the economy].");
}

TEST(CompareDefinitions, ComparesFoldedSoCaseAndAccentsAreNoDifference) {
  const auto out = compare_definitions({"Инцидент ИКТ — событие", "инцидент икт: событие ЁЖ"});
  EXPECT_EQ(shown(out[0]), "Инцидент ИКТ — событие");
  EXPECT_EQ(shown(out[1]), "инцидент икт: событие [ЁЖ]");
}

TEST(CompareDefinitions, AWordMissingFromAnyOneOfThreeIsDistinct) {
  const auto out = compare_definitions({"a b c", "a b", "a c"});
  EXPECT_EQ(shown(out[0]), "a [b c]");
  EXPECT_EQ(shown(out[1]), "a [b]");
  EXPECT_EQ(shown(out[2]), "a [c]");
}

TEST(CompareDefinitions, ChineseIsComparedCharacterByCharacter) {
  const auto out = compare_definitions({"关键信息基础设施", "重要信息基础设施"});
  EXPECT_EQ(shown(out[0]), "[关键]信息基础设施");
  EXPECT_EQ(shown(out[1]), "[重要]信息基础设施");
}

TEST(CompareDefinitions, OneDefinitionAloneHasNothingDistinctAndPartsKeepTheText) {
  const auto out = compare_definitions({"Only one, here."});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(shown(out[0]), "Only one, here.");
  EXPECT_TRUE(compare_definitions({}).empty());
}

}  // namespace
}  // namespace parley::glossary
