#include "exchange/pattern.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

namespace parley::exchange {
namespace {

using nlohmann::json;

Observation obs(std::vector<json> objects) {
  Observation o;
  for (std::size_t i = 0; i < objects.size(); ++i) o.keys.push_back(std::to_string(i));
  o.objects = std::move(objects);
  return o;
}
bool match(const std::string& pattern, const Observation& o) { return Pattern::parse(pattern).matches(o); }
json ip(const std::string& v) { return {{"type", "ipv4-addr"}, {"value", v}}; }

// Every indicator pattern in the OASIS examples parses and is supported.
TEST(Pattern, ParsesEveryPatternOfTheOasisExamples) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(PARLEY_SOURCE_DIR) / "tests/interop/stix2-json-schemas/examples";
  std::set<std::string> patterns;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    const auto doc = json::parse(in);
    const auto objects = doc.contains("objects") ? doc["objects"] : json::array({doc});
    for (const auto& o : objects)
      if (o.value("type", "") == "indicator" && o.value("pattern_type", "stix") == "stix")
        patterns.insert(o["pattern"].get<std::string>());
  }
  EXPECT_GE(patterns.size(), 40u);
  for (const auto& p : patterns) EXPECT_NO_THROW(Pattern::parse(p)) << p;
}

TEST(Pattern, EqualityInequalityAndSets) {
  const auto o = obs({ip("198.51.100.3"), {{"type", "domain-name"}, {"value", "evil.example"}}});
  EXPECT_TRUE(match("[ipv4-addr:value = '198.51.100.3']", o));
  EXPECT_FALSE(match("[ipv4-addr:value = '198.51.100.4']", o));
  EXPECT_TRUE(match("[ipv4-addr:value != '198.51.100.4']", o));
  EXPECT_TRUE(match("[ipv4-addr:value IN ('203.0.113.1', '198.51.100.3')]", o));
  EXPECT_FALSE(match("[ipv4-addr:value NOT IN ('203.0.113.1', '198.51.100.3')]", o));
  EXPECT_TRUE(match("[domain-name:value = 'nope.example' OR ipv4-addr:value = '198.51.100.3']", o));
  EXPECT_FALSE(match("[url:value = 'http://x/']", o)) << "a type not observed matches nothing";
}

TEST(Pattern, CidrEqualitySubsetAndSuperset) {
  EXPECT_TRUE(match("[ipv4-addr:value = '112.64.0.0/15']", obs({ip("112.65.3.4")})));
  EXPECT_FALSE(match("[ipv4-addr:value = '112.64.0.0/15']", obs({ip("112.66.0.1")})));
  EXPECT_TRUE(match("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", obs({ip("198.51.100.77")})));
  EXPECT_FALSE(match("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", obs({ip("198.51.101.1")})));
  EXPECT_TRUE(match("[ipv4-addr:value ISSUPERSET '198.51.100.7']", obs({ip("198.51.0.0/16")})));
  EXPECT_TRUE(match("[ipv6-addr:value ISSUBSET '2001:db8::/32']",
                    obs({{{"type", "ipv6-addr"}, {"value", "2001:db8:1::5"}}})));
  EXPECT_FALSE(match("[ipv6-addr:value ISSUBSET '2001:db8::/32']",
                     obs({{{"type", "ipv6-addr"}, {"value", "2001:db9::5"}}})));
}

TEST(Pattern, LikeMatchesAndQuotedHashKeys) {
  const auto f = obs({{{"type", "file"},
                       {"name", "Final Report 2024.exe"},
                       {"hashes", {{"SHA-256", "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c"},
                                   {"MD5", "001dd76872d80801692ff942308c64e6"}}}}});
  EXPECT_TRUE(match("[file:hashes.'SHA-256' = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']", f));
  EXPECT_TRUE(match("[file:hashes.md5 = '001dd76872d80801692ff942308c64e6']", f)) << "hash names as the OASIS examples write them";
  EXPECT_TRUE(match("[file:name LIKE 'Final%.exe']", f));
  EXPECT_FALSE(match("[file:name LIKE 'Final_.exe']", f));
  EXPECT_TRUE(match("[file:name MATCHES '^Final Report.+\\\\.exe$']", f));
  EXPECT_FALSE(match("[file:name MATCHES '^Report']", f));
}

TEST(Pattern, ReferencesAreFollowed) {
  const auto mail = obs({{{"type", "email-message"},
                          {"is_multipart", true},
                          {"from_ref", "1"},
                          {"body_multipart", json::array({{{"body_raw_ref", "2"}}})}},
                         {{"type", "email-addr"}, {"value", "ceo@victim.example"}},
                         {{"type", "file"}, {"name", "Final Report Q3.exe"}}});
  EXPECT_TRUE(match("[email-message:from_ref.value = 'ceo@victim.example']", mail));
  EXPECT_TRUE(match("[email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']", mail));
  EXPECT_TRUE(match("[email-message:body_multipart[0].body_raw_ref.name = 'Final Report Q3.exe']", mail));
  const auto traffic = obs({{{"type", "network-traffic"}, {"dst_ref", "1"}, {"protocols", {"tcp"}}}, ip("203.0.113.5")});
  EXPECT_TRUE(match("[network-traffic:dst_ref.value ISSUBSET '203.0.113.0/24' AND network-traffic:protocols[*] = 'tcp']", traffic));
  EXPECT_FALSE(match("[network-traffic:dst_ref.value ISSUBSET '203.0.113.0/24' AND network-traffic:protocols[*] = 'udp']", traffic));
}

TEST(Pattern, AndWithinOneObservationBindsTheSameObject) {
  const auto two = obs({{{"type", "file"}, {"name", "a.exe"}, {"size", 10}}, {{"type", "file"}, {"name", "b.exe"}, {"size", 20}}});
  EXPECT_TRUE(match("[file:name = 'a.exe' AND file:size = 10]", two));
  EXPECT_FALSE(match("[file:name = 'a.exe' AND file:size = 20]", two)) << "name and size of different files";
  EXPECT_TRUE(match("[file:size > 15]", two));
  EXPECT_FALSE(match("[file:size >= 21]", two));
}

TEST(Pattern, AndOrAcrossObservations) {
  const std::vector<Observation> seen = {obs({ip("198.51.100.3")}), obs({{{"type", "domain-name"}, {"value", "c2.example"}}})};
  const auto p = Pattern::parse("[ipv4-addr:value = '198.51.100.3'] AND [domain-name:value = 'c2.example']");
  EXPECT_TRUE(p.matches(seen));
  EXPECT_FALSE(p.matches(seen[0])) << "one observation alone has only the address";
  EXPECT_TRUE(Pattern::parse("([ipv4-addr:value = '1.1.1.1'] OR [domain-name:value = 'c2.example'])").matches(seen));
}

TEST(Pattern, RefusesWhatItDoesNotSupportNamingTheConstruct) {
  const auto refused = [](const std::string& p, const std::string& construct) {
    try {
      Pattern::parse(p);
      ADD_FAILURE() << "accepted: " << p;
    } catch (const PatternError& e) {
      EXPECT_TRUE(e.unsupported()) << e.what();
      EXPECT_NE(std::string(e.what()).find(construct), std::string::npos) << e.what();
    }
  };
  refused("[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [domain-name:value = 'x.example']", "FOLLOWEDBY");
  refused("[ipv4-addr:value = '1.2.3.4'] WITHIN 300 SECONDS", "WITHIN");
  refused("[ipv4-addr:value = '1.2.3.4'] REPEATS 5 TIMES", "REPEATS");
  refused("[ipv4-addr:value = '1.2.3.4'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'", "START");
}

TEST(Pattern, SyntaxErrorsSayWhereAndWhat) {
  const auto error = [](const std::string& p) -> std::string {
    try {
      Pattern::parse(p);
    } catch (const PatternError& e) {
      EXPECT_FALSE(e.unsupported());
      return e.what();
    }
    return "accepted";
  };
  EXPECT_NE(error("[ipv4-addr:value = '1.2.3.4'").find("expected ']'"), std::string::npos);
  EXPECT_NE(error("[ipv4-addr:value = 'unterminated]").find("unterminated"), std::string::npos);
  EXPECT_NE(error("[ipv4-addr:value ~ '1']").find("unexpected character '~'"), std::string::npos);
  EXPECT_NE(error("[ipv4-addr:value LIKES '1']").find("comparison operator"), std::string::npos);
  EXPECT_NE(error("[ipv4-addr:value ISSUBSET 'not a network']").find("network"), std::string::npos);
  EXPECT_NE(error("ipv4-addr:value = '1'").find("character 1"), std::string::npos);
}

TEST(Pattern, EqualitiesForTheIndex) {
  auto e = Pattern::parse("[domain-name:value = 'a.example' OR ipv4-addr:value IN ('1.2.3.4', '5.6.7.8')]").equalities();
  ASSERT_TRUE(e);
  ASSERT_EQ(e->size(), 3u);
  EXPECT_EQ((*e)[0].path, "domain-name:value");
  EXPECT_EQ((*e)[2].value, "5.6.7.8");
  EXPECT_EQ(Pattern::parse("[file:hashes.'SHA-256' = 'ab']").equalities()->at(0).path, "file:hashes.'SHA-256'");
  EXPECT_FALSE(Pattern::parse("[file:name = 'a' AND file:size = 3]").equalities());
  EXPECT_FALSE(Pattern::parse("[a:b = 'x'] AND [c:d = 'y']").equalities());
}

TEST(Pattern, ParenthesesNestedPastTheLimitAreASyntaxError) {
  const std::string deep = std::string(10000, '(') + "[a:b = 'x']" + std::string(10000, ')');
  try {
    Pattern::parse(deep);
    FAIL();
  } catch (const PatternError& e) {
    EXPECT_FALSE(e.unsupported());
    EXPECT_NE(std::string(e.what()).find("nested more than"), std::string::npos);
  }
  const std::string inner = "[" + std::string(10000, '(') + "a:b = 'x'" + std::string(10000, ')') + "]";
  EXPECT_THROW(Pattern::parse(inner), PatternError);
  EXPECT_NO_THROW(Pattern::parse(std::string(kMaxPatternDepth, '(') + "[a:b = 'x']" + std::string(kMaxPatternDepth, ')')));
}

TEST(Pattern, ACatastrophicRegexGivesUpInsteadOfRunningForHours) {
  // Without PCRE2's match limit this backtracks 2^40 times (this test would not end).
  const auto p = Pattern::parse("[file:name MATCHES '^(a+)+$']");
  EXPECT_FALSE(p.matches(obs({{{"type", "file"}, {"name", std::string(40, 'a') + "!"}}})));
  EXPECT_TRUE(p.matches(obs({{{"type", "file"}, {"name", std::string(40, 'a')}}})));
}

TEST(Pattern, NumbersOutOfRangeAreSyntaxErrorsNotCrashes) {
  const std::string huge = "[file:size = 1" + std::string(400, '0') + ".5]";   // beyond a double
  for (const std::string& bad : std::vector<std::string>{"[file:name[99999999999999999999] = 'x']", huge, "[file:size = -.]"}) {
    try {
      Pattern::parse(bad);
      ADD_FAILURE() << bad;
    } catch (const PatternError& e) {
      EXPECT_FALSE(e.unsupported()) << bad;
    }
  }
  EXPECT_TRUE(match("[file:size = +5]", obs({{{"type", "file"}, {"size", 5}}})));
}

}  // namespace
}  // namespace parley::exchange
