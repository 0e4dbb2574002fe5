#include "library/search_text.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "common/fold.h"
#include "common/problem.h"

namespace parley::library {
namespace {

using Kind = QueryTerm::Kind;
using Strings = std::vector<std::string>;

TEST(SearchText, WordsAreFoldedAndCutAtWhatIsNotALetterOrDigit) {
  auto t = index_text("Закон о КИБЕРБЕЗОПАСНОСТИ, ст. 2; Ёлка");
  EXPECT_EQ(t.words, (Strings{"закон", "о", "кибербезопасности", "ст", "2", "елка"}));
  EXPECT_TRUE(t.spans.empty());
  t = index_text("Cybersécurité nationale — cyber-security x25 x² ½");
  EXPECT_EQ(t.words, (Strings{"cybersecurite", "nationale", "cyber", "security", "x25", "x²", "½"}));
}

TEST(SearchText, ScriptsWithoutSpacesBecomeSpans) {
  auto t = index_text("中华人民共和国网络安全法（2016年）");
  EXPECT_EQ(t.spans, (Strings{"中华人民共和国网络安全法", "年"}));
  EXPECT_EQ(t.words, (Strings{"2016"}));
  // One run each: Katakana's prolonged sound mark, Thai's vowel marks and the Arabic
  // words' letters stay inside their runs. (Folding removes marks in every script, the
  // dakuten and the hamza included; haystacks and needles are folded alike.)
  EXPECT_EQ(index_text("サイバーセキュリティ基本法").spans, (Strings{fold_for_search("サイバーセキュリティ基本法")}));
  EXPECT_EQ(index_text("ความมั่นคงปลอดภัยไซเบอร์").spans, (Strings{fold_for_search("ความมั่นคงปลอดภัยไซเบอร์")}));
  EXPECT_EQ(index_text("사이버보안 기본법").spans, (Strings{"사이버보안", "기본법"}));
  EXPECT_EQ(index_text("قانون مكافحة الجرائم").spans,
            (Strings{fold_for_search("قانون"), fold_for_search("مكافحة"), fold_for_search("الجرائم")}));
  // Mixed: each run in its own kind.
  t = index_text("ISO/IEC 27000 信息安全 Закон");
  EXPECT_EQ(t.words, (Strings{"iso", "iec", "27000", "закон"}));
  EXPECT_EQ(t.spans, (Strings{"信息安全"}));
}

TEST(SearchText, WhatEachEngineStores) {
  auto t = index_text("The law, the LAW and 网络 法");
  // The words, then each distinct pair of adjacent characters within a span.
  EXPECT_EQ(words_column(t), "the law the law and 网络");
  EXPECT_EQ(spans_column(t), "网络\n法");
  t = index_text("信息安全 信息 ข้อมูล");
  // (Folding took the Thai vowel and tone marks off: ข้อมูล is ขอมล, in text and query alike.)
  EXPECT_EQ(span_bigrams(t), (Strings{"信息", "息安", "安全", "ขอ", "อม", "มล"}));
  EXPECT_EQ(words_column(t).find("信息"), 0u);   // once, though in two spans
  // A run too long to be a word (a hash, base64) is left out.
  EXPECT_TRUE(index_text(std::string(300, 'a')).words.empty());
}

TEST(SearchText, AQueryOfWordsPhrasesPrefixesSpansAndFilters) {
  const auto q = parse_query(
      "кибербезопасность state:KAZ state:uzb \"Critical  Infrastructure\" -draft secur* 网络安全 kind:law cyber-security");
  ASSERT_EQ(q.terms.size(), 6u);
  EXPECT_EQ(q.terms[0].kind, Kind::kWord);
  EXPECT_EQ(q.terms[0].words, (Strings{"кибербезопасность"}));
  EXPECT_EQ(q.terms[1].kind, Kind::kPhrase);
  EXPECT_EQ(q.terms[1].words, (Strings{"critical", "infrastructure"}));
  EXPECT_EQ(q.terms[2].kind, Kind::kWord);
  EXPECT_TRUE(q.terms[2].excluded);
  EXPECT_EQ(q.terms[3].kind, Kind::kPrefix);
  EXPECT_EQ(q.terms[3].words, (Strings{"secur"}));
  EXPECT_EQ(q.terms[4].kind, Kind::kSpan);
  EXPECT_EQ(q.terms[4].span, "网络安全");
  EXPECT_EQ(q.terms[5].kind, Kind::kPhrase);
  EXPECT_EQ(q.terms[5].words, (Strings{"cyber", "security"}));
  EXPECT_EQ(q.filters.at("state"), (Strings{"KAZ", "UZB"}));
  EXPECT_EQ(q.filters.at("kind"), (Strings{"law"}));
  // A name before a colon that is no filter is text.
  const auto iso = parse_query("ISO:27001");
  ASSERT_EQ(iso.terms.size(), 1u);
  EXPECT_EQ(iso.terms[0].words, (Strings{"iso", "27001"}));
  EXPECT_TRUE(parse_query("  ").empty());
  // Filter names in any case; a quoted value keeps its spaces.
  const auto quoted = parse_query("Kind:law forum:\"cica sco\" treaty");
  EXPECT_EQ(quoted.filters.at("kind"), (Strings{"law"}));
  EXPECT_EQ(quoted.filters.at("forum"), (Strings{"CICA SCO"}));
  ASSERT_EQ(quoted.terms.size(), 1u);
  EXPECT_EQ(quoted.terms[0].words, (Strings{"treaty"}));
}

TEST(SearchText, ALongTextIsIndexedInPartsOfBoundedSize) {
  IndexedText t;
  for (int i = 0; i < 25000; ++i) t.words.push_back("word" + std::to_string(i));
  t.spans = {std::string(200 * 1024, 'x'), std::string(200 * 1024, 'y'), "z"};
  const auto parts = index_parts(t);
  ASSERT_EQ(parts.size(), 3u);
  std::size_t words = 0;
  for (const auto& p : parts) {
    EXPECT_LE(p.words.size(), 10000u);
    EXPECT_LE(words_column(p).size(), 256u * 1024);
    words += p.words.size();
  }
  EXPECT_EQ(words, 25000u);
  EXPECT_EQ(parts[0].words.front(), "word0");
  EXPECT_EQ(parts[2].words.back(), "word24999");
  // A part holds at most 32 KiB of spans (their pairs go in its words column), or one.
  EXPECT_EQ(parts[0].spans, Strings{std::string(200 * 1024, 'x')});
  EXPECT_EQ(parts[1].spans, Strings{std::string(200 * 1024, 'y')});
  EXPECT_EQ(parts[2].spans, Strings{"z"});
  EXPECT_EQ(index_parts(index_text("small text")).size(), 1u);
}

TEST(SearchText, ALongTextIsAnalysedToItsEnd) {
  // Folding reads a bounded piece at a time: a word past the first mebibytes is found.
  std::string text;
  while (text.size() < (3u << 20)) text += "словарь terms 网络 ";
  text += "needle";
  const auto t = index_text(text);
  ASSERT_FALSE(t.words.empty());
  EXPECT_EQ(t.words.back(), "needle");
  EXPECT_EQ(std::count(t.words.begin(), t.words.end(), "terms"), static_cast<long>(std::count(t.spans.begin(), t.spans.end(), "网络")));
}

TEST(SearchText, QueriesThatCannotBeReadAreRefusedNamingTheField) {
  auto refusal = [](const std::string& q) {
    try {
      parse_query(q, "q");
    } catch (const Problem& p) {
      EXPECT_EQ(p.status(), 400);
      EXPECT_EQ(p.errors().size(), 1u);
      return p.errors().empty() ? std::string() : p.errors()[0].field + ": " + p.errors()[0].reason;
    }
    return std::string("accepted");
  };
  EXPECT_EQ(refusal("\"unclosed phrase"), "q: has a quote that is not closed");
  EXPECT_EQ(refusal("-draft -old"), "q: says only what to leave out; say what to find, or filter");
  EXPECT_EQ(refusal("a*"), "q: a prefix* has two letters or more");
  EXPECT_EQ(refusal("cyber-sec*"), "q: a prefix* is one word");
  EXPECT_EQ(refusal(std::string(501, 'a')), "q: is longer than 500 bytes");
  std::string many;
  for (int i = 0; i < 33; ++i) many += "w" + std::to_string(i) + " ";
  EXPECT_EQ(refusal(many), "q: has more than 32 terms");
  EXPECT_EQ(refusal("state:"), "q: state: needs a value of at most 64 bytes");
  EXPECT_EQ(refusal("-state:KAZ law"), "q: -state: a filter cannot be excluded; leave it out, or name the values to keep");
  EXPECT_EQ(refusal("year:abc"), "q: year: is a year, like 2023");
  EXPECT_EQ(refusal("state:Kazakhstan"), "q: state: is an ISO 3166 alpha-3 code, like KAZ");
  EXPECT_EQ(refusal("forum:\"Shanghai"), "q: has a quote that is not closed");
  EXPECT_NE(refusal("网络*").find("leave out the *"), std::string::npos);
  EXPECT_EQ(refusal("caf\xE9"), "q: is not UTF-8");
  EXPECT_EQ(refusal("-draft kind:law"), "accepted");
  EXPECT_EQ(refusal("网 络 安"), "q: has more than 2 single characters in Chinese, Japanese, Korean, Thai or Arabic; join them (网络安全) or add a longer term");
  EXPECT_EQ(refusal("网络 安全 信息 中国"), "accepted");   // pairs are words of the index
  EXPECT_EQ(refusal("cy* de* in* se* co*"), "q: has more than 4 prefixes (word*)");
  EXPECT_EQ(refusal("cy* de* in* se* co"), "accepted");
}

TEST(SearchText, TermsAsEachEngineAsksForThem) {
  const auto q = parse_query("law secur* \"critical infrastructure\" 网络");
  EXPECT_EQ(fts5_term(q.terms[0]), "\"law\"");
  EXPECT_EQ(tsquery_term(q.terms[0]), "'law'");
  EXPECT_EQ(fts5_term(q.terms[1]), "\"secur\" *");
  EXPECT_EQ(tsquery_term(q.terms[1]), "'secur':*");
  EXPECT_EQ(fts5_term(q.terms[2]), "\"critical infrastructure\"");
  EXPECT_EQ(tsquery_term(q.terms[2]), "'critical' <-> 'infrastructure'");
  EXPECT_EQ(fts5_term(q.terms[3]), "\"网络\"");
}

}  // namespace
}  // namespace parley::library
