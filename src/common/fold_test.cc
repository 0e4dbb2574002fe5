#include "common/fold.h"

#include <gtest/gtest.h>

#include <string>

namespace parley {
namespace {

TEST(FoldForSearch, AsciiIsLowerCased) {
  EXPECT_EQ(fold_for_search("Kazakhstan CERT-KZ 24/7"), "kazakhstan cert-kz 24/7");
  EXPECT_EQ(fold_for_search(""), "");
}

TEST(FoldForSearch, CyrillicCaseAndYo) {
  EXPECT_EQ(fold_for_search("КАЗАХСТАН"), fold_for_search("Казахстан"));
  EXPECT_EQ(fold_for_search("КАЗАХСТАН"), "казахстан");
  EXPECT_EQ(fold_for_search("Фёдоров"), "федоров");
  EXPECT_EQ(fold_for_search("ЁЛКИН"), fold_for_search("елкин"));
  // Kazakh letters without a decomposition stay distinct, but their case folds.
  EXPECT_EQ(fold_for_search("ҚАЗАҚСТАН"), "қазақстан");
  EXPECT_NE(fold_for_search("қ"), fold_for_search("к"));
}

TEST(FoldForSearch, LatinDiacritics) {
  EXPECT_EQ(fold_for_search("Élysée"), "elysee");
  EXPECT_EQ(fold_for_search("MÜLLER"), "muller");
  EXPECT_EQ(fold_for_search("Straße"), "strasse");
  EXPECT_EQ(fold_for_search("Łódź"), "łodz");   // ł has no decomposition: only its case folds
  // Precomposed and decomposed forms of the same text fold alike.
  EXPECT_EQ(fold_for_search("Cafe\xCC\x81"), fold_for_search("Caf\xC3\xA9"));
}

TEST(FoldForSearch, Greek) {
  EXPECT_EQ(fold_for_search("ΑΘΗΝΑ"), fold_for_search("Αθηνά"));
  EXPECT_EQ(fold_for_search("ΟΔΥΣΣΕΥΣ"), fold_for_search("Οδυσσεύς"));   // final sigma
  EXPECT_EQ(fold_for_search("Ἀθῆναι"), "αθηναι");
}

TEST(FoldForSearch, TurkishDottedAndDotlessI) {
  EXPECT_EQ(fold_for_search("İSTANBUL"), "istanbul");
  EXPECT_EQ(fold_for_search("ıstanbul"), "istanbul");
  EXPECT_EQ(fold_for_search("ISTANBUL"), "istanbul");
}

TEST(FoldForSearch, InvalidUtf8NeitherCrashesNorPassesThrough) {
  const std::string bad = "Ka\xff\xfezakh\xC3";   // stray bytes and a truncated sequence
  const auto out = fold_for_search(bad);
  EXPECT_NE(out.find("ka"), std::string::npos);
  EXPECT_NE(out.find("zakh"), std::string::npos);
  EXPECT_EQ(out.find('\xff'), std::string::npos);
  EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos);   // U+FFFD in their place
  EXPECT_EQ(fold_for_search(std::string("\xC0\x80\xED\xA0\x80", 5)).find('\xC0'), std::string::npos);
}

TEST(FoldForSearch, InputIsBounded) {
  std::string huge(kFoldMaxInput + 4096, 'A');
  huge += "Ж";
  const auto out = fold_for_search(huge);
  EXPECT_EQ(out.size(), kFoldMaxInput);
  EXPECT_EQ(out.back(), 'a');
  std::string cyr;
  while (cyr.size() < kFoldMaxInput + 10) cyr += "Ж";
  EXPECT_LE(fold_for_search(cyr).size(), kFoldMaxInput + 4);
}

}  // namespace
}  // namespace parley
