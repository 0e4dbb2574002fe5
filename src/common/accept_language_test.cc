#include "common/accept_language.h"

#include <gtest/gtest.h>

#include "common/problem.h"

namespace parley {
namespace {

std::vector<LanguageRange> P(std::string_view h) { return parse_accept_language(h); }

TEST(AcceptLanguage, ParsesRangesByWeight) {
  const std::vector<LanguageRange> want = {{"fr-CH", 1000}, {"fr", 900}, {"en", 800}, {"de", 700}, {"*", 500}};
  EXPECT_EQ(P("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"), want);
  const std::vector<LanguageRange> reordered = {{"ru", 1000}, {"kk", 1000}, {"en", 500}, {"zh", 0}};
  EXPECT_EQ(P("en;q=0.5,ru , ,kk\t;\tQ=1.000, zh;q=0"), reordered);
  EXPECT_TRUE(P("").empty());
  EXPECT_TRUE(P("  , ,").empty());
}

TEST(AcceptLanguage, RefusesMalformedHeaders) {
  for (const char* bad : {"en;q=2", "en;q=1.5", "en;q=0.1234", "en;x=1", "en;q=", "123", "en_US", "toolongtag",
                          "en-", "-en", "ru;q=0.5;q=0.3", "рус", "en;q=.5", "en,,q=1;"}) {
    try {
      P(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Problem& p) {
      EXPECT_EQ(p.status(), 400) << bad;
      ASSERT_FALSE(p.errors().empty());
      EXPECT_EQ(p.errors()[0].field, "Accept-Language");
    }
  }
  EXPECT_THROW(P(std::string(kMaxAcceptLanguageBytes + 1, 'a')), Problem);
  std::string many;
  for (std::size_t i = 0; i <= kMaxLanguageRanges; ++i) many += "en,";
  EXPECT_THROW(P(many), Problem);
}

TEST(AcceptLanguage, LooksUpByRfc4647) {
  const std::vector<std::string> have = {"en", "ru", "fr", "zh", "zh-Hans", "zh-Hant", "pt-BR", "pt", "sr-Latn"};
  EXPECT_EQ(lookup_language(P("ru"), have, "en"), "ru");
  EXPECT_EQ(lookup_language(P("ru-KZ, en;q=0.5"), have, "en"), "ru");
  EXPECT_EQ(lookup_language(P("de, fr;q=0.4"), have, "en"), "fr");
  EXPECT_EQ(lookup_language(P("de"), have, "en"), "en");
  EXPECT_EQ(lookup_language(P("ZH-hant-TW"), have, "en"), "zh-Hant");
  EXPECT_EQ(lookup_language(P("zh-TW"), have, "en"), "zh-Hant");
  EXPECT_EQ(lookup_language(P("zh-CN"), have, "en"), "zh-Hans");
  EXPECT_EQ(lookup_language(P("zh"), have, "en"), "zh");
  EXPECT_EQ(lookup_language(P("pt-BR"), have, "en"), "pt-BR");
  EXPECT_EQ(lookup_language(P("pt-PT"), have, "en"), "pt");
  EXPECT_EQ(lookup_language(P("sr-Latn-x-private"), have, "en"), "sr-Latn");
  EXPECT_EQ(lookup_language(P("ru;q=0, *"), have, "en"), "en") << "q=0 and * never pick";
  EXPECT_EQ(lookup_language({}, have, "en"), "en");
}

}  // namespace
}  // namespace parley
