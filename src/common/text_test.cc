#include "common/text.h"

#include <gtest/gtest.h>

namespace parley {
namespace {

TEST(Text, Alpha3) {
  EXPECT_TRUE(is_alpha3("KAZ"));
  EXPECT_FALSE(is_alpha3("kaz"));
  EXPECT_FALSE(is_alpha3("KZ"));
  EXPECT_FALSE(is_alpha3("KAZA"));
}

TEST(Text, Dates) {
  EXPECT_TRUE(is_date("2024-02-29"));
  EXPECT_FALSE(is_date("2023-02-29"));
  EXPECT_FALSE(is_date("2026-13-01"));
  EXPECT_FALSE(is_date("2026-1-01"));
  EXPECT_TRUE(is_date("2000-02-29"));
  EXPECT_FALSE(is_date("1900-02-29"));
}

TEST(Text, LanguageTags) {
  EXPECT_TRUE(is_language_tag("en"));
  EXPECT_TRUE(is_language_tag("zh-Hans"));
  EXPECT_TRUE(is_language_tag("fil"));
  EXPECT_FALSE(is_language_tag("english"));
  EXPECT_FALSE(is_language_tag("e"));
  EXPECT_FALSE(is_language_tag("en--US"));
}

TEST(Text, EmailsPhonesZonesFingerprints) {
  EXPECT_TRUE(is_email("cert@example.org"));
  EXPECT_FALSE(is_email("cert@@example.org"));
  EXPECT_FALSE(is_email("no-at-sign.org"));
  EXPECT_FALSE(is_email("a b@example.org"));
  EXPECT_TRUE(is_phone("+7 (717) 270-00-00"));
  EXPECT_FALSE(is_phone("call me"));
  EXPECT_TRUE(is_time_zone("Asia/Almaty"));
  EXPECT_TRUE(is_time_zone("America/Argentina/Buenos_Aires"));
  EXPECT_FALSE(is_time_zone("almaty"));
  EXPECT_TRUE(is_fingerprint("0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567"));
  EXPECT_FALSE(is_fingerprint("0123"));
}

TEST(Text, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("Türkiye"));
  EXPECT_FALSE(is_valid_utf8("\xc3"));             // truncated
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));         // overlong
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));     // surrogate
  EXPECT_EQ(utf8_length("Türkiye"), 7u);
}

TEST(Text, OneLine) {
  EXPECT_TRUE(is_one_line("Workshop on CERT cooperation — Singapore"));
  EXPECT_FALSE(is_one_line("Workshop\nSUBJECT: forged"));
  EXPECT_FALSE(is_one_line("a\tb"));
  EXPECT_FALSE(is_one_line("a\x7f"));
  EXPECT_TRUE(has_control_chars("a\x01") && !has_control_chars("a\nb"));   // the lenient check keeps line breaks
}

// What XML cannot hold never reaches it: controls dropped, U+FFFE and U+FFFF replaced.
TEST(Text, XmlEscapeKeepsTheOutputWellFormed) {
  EXPECT_EQ(xml_escape("a<b>&\"c\""), "a&lt;b&gt;&amp;&quot;c&quot;");
  EXPECT_EQ(xml_escape("x\x01y\x1Fz\tw\n"), "xyz\tw\n");
  EXPECT_EQ(xml_escape("A\xEF\xBF\xBE\xEF\xBF\xBFZ"), "A\xEF\xBF\xBD\xEF\xBF\xBDZ");
  EXPECT_EQ(xml_escape("\xEF\xBF\xBC\xEF\xBF"), "\xEF\xBF\xBC\xEF\xBF");   // U+FFFC stays; a cut sequence is not read past its end
}

TEST(Text, LikeEscape) { EXPECT_EQ(like_escape("50%_a\\"), "50\\%\\_a\\\\"); }

TEST(Text, Utf8PrefixNeverSplitsACharacter) {
  EXPECT_EQ(utf8_prefix("abc", 5), "abc");
  EXPECT_EQ(utf8_prefix("abcdef", 3), "abc");
  // "безопасность": two bytes a letter; a cut at an odd byte keeps whole letters.
  EXPECT_EQ(utf8_prefix("\xD0\xB1\xD0\xB5\xD0\xB7", 3), "\xD0\xB1");
  EXPECT_EQ(utf8_prefix("\xE2\x84\x96x", 2), "");
  EXPECT_TRUE(is_valid_utf8(utf8_prefix("\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 7)));
}

}  // namespace
}  // namespace parley
