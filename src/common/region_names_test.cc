#include "common/region_names.h"

#include <gtest/gtest.h>

namespace parley {
namespace {

TEST(RegionName, NamesARegionInTheLanguageAsked) {
  EXPECT_EQ(region_name("TR", "ru"), "Турция");
  EXPECT_EQ(region_name("AT", "fr"), "Autriche");
  EXPECT_EQ(region_name("KZ", "zh-Hans"), "哈萨克斯坦");
}

TEST(RegionName, GivesNothingRatherThanAnotherLanguagesName) {
  EXPECT_EQ(region_name("TR", "qq"), "");       // no such language: not the root's English name
  EXPECT_EQ(region_name("ZZZ", "ru"), "");      // not an alpha-2 code
  EXPECT_EQ(region_name("TR", ""), "");
  EXPECT_EQ(region_name("TR", std::string(100, 'a')), "");
}

}  // namespace
}  // namespace parley
