#include "library/snippet.h"

#include <gtest/gtest.h>

namespace parley::library {
namespace {

// The snippet as text, hits in [brackets], cuts as "…".
std::string shown(const Snippet& s) {
  std::string out = s.cut_before ? "…" : "";
  for (const auto& p : s.parts) out += p.hit ? "[" + p.text + "]" : p.text;
  return out + (s.cut_after ? "…" : "");
}

std::vector<Snippet> find(const std::vector<std::string>& pages, const std::string& q, std::size_t max = 3) {
  return find_snippets(pages, parse_query(q), max);
}

TEST(Snippet, MarksTheWordAsWrittenWhateverItsCaseAndAccents) {
  const auto s = find({"Intro\nLa stratégie nationale de CYBERSÉCURITÉ est adoptée.\nFin"}, "cybersecurite");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].page, 1u);
  EXPECT_EQ(shown(s[0]), "La stratégie nationale de [CYBERSÉCURITÉ] est adoptée.");
}

TEST(Snippet, FindsCyrillicPrefixesAndPhrases) {
  const auto s = find({"первая страница", "Закон о КИБЕРБЕЗОПАСНОСТИ Республики Казахстан"}, "кибербезопасност* \"республики казахстан\"");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].page, 2u);
  EXPECT_EQ(shown(s[0]), "Закон о [КИБЕРБЕЗОПАСНОСТИ] [Республики Казахстан]");
}

TEST(Snippet, FindsASpanInsideARunOfChinese) {
  const auto s = find({"中华人民共和国网络安全法（2016年）"}, "网络安全");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(shown(s[0]), "中华人民共和国[网络安全]法（2016年）");
}

TEST(Snippet, AWordIsMatchedWholeNotInsideAnother) {
  EXPECT_TRUE(find({"cybersecurity policies"}, "policy").empty());
  EXPECT_EQ(find({"a policy, and policy"}, "policy").size(), 1u);
  EXPECT_EQ(shown(find({"a policy, and policy"}, "policy")[0]), "a [policy], and [policy]");
}

TEST(Snippet, ExcludedTermsAreNeverMarkedAndAQueryOfFiltersHasNone) {
  const auto s = find({"law and order"}, "law -order");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(shown(s[0]), "[law] and order");
  EXPECT_TRUE(find({"law"}, "state:KAZ").empty());
}

TEST(Snippet, ALongLineIsCutAroundTheMatchAtSpaces) {
  std::string before, after;
  for (int i = 0; i < 200; ++i) before += "alpha ";
  for (int i = 0; i < 200; ++i) after += " omega";
  const auto s = find({before + "needle" + after}, "needle");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].cut_before);
  EXPECT_TRUE(s[0].cut_after);
  const auto text = shown(s[0]);
  EXPECT_NE(text.find("alpha [needle] omega"), std::string::npos);
  EXPECT_LE(text.size(), 260u);
  EXPECT_EQ(text.find("… "), std::string::npos) << "the window starts at a word";
}

TEST(Snippet, AtMostMaxInPageOrderAndWithinTheBudget) {
  const auto s = find({"x\nkey one\nkey two", "key three"}, "key", 2);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(shown(s[0]), "[key] one");
  EXPECT_EQ(shown(s[1]), "[key] two");
  // Past the budget nothing more is read.
  const auto none = find_snippets({std::string(100, 'a') + " key"}, parse_query("key"), 3, 1, 200, 50);
  EXPECT_TRUE(none.empty());
}

TEST(Snippet, MultibyteTextIsNeverCutInsideACharacter) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "安全";
  text += " 目标 ";
  for (int i = 0; i < 300; ++i) text += "网络";
  for (const auto& s : find({text}, "目标"))
    for (const auto& p : s.parts) EXPECT_TRUE(p.text.empty() || (static_cast<unsigned char>(p.text[0]) & 0xC0) != 0x80);
  EXPECT_EQ(find({text}, "目标").size(), 1u);
}

}  // namespace
}  // namespace parley::library
