#include "exchange/matcher.h"

#include <gtest/gtest.h>

#include <set>

namespace parley::exchange {
namespace {

std::set<std::string> hit_ids(const Matcher& m, std::string_view line) {
  std::vector<Matcher::Hit> hits;
  m.match_line(line, hits);
  std::set<std::string> ids;
  for (const auto& h : hits) EXPECT_TRUE(ids.insert(m.indicators()[h.indicator].id).second) << "an indicator twice";
  return ids;
}

class MatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m.add("ip", "C2 address", "[ipv4-addr:value = '198.51.100.3']");
    m.add("net", "hosting range", "[ipv4-addr:value = '203.0.113.0/24']");
    m.add("dom", "C2 domain", "[domain-name:value = 'C2.Example.net' OR ipv4-addr:value = '192.0.2.1']");
    m.add("url", "payload", "[url:value = 'https://cdn.example.org/a/payload.bin']");
    m.add("mail", "phisher", "[email-addr:value = 'ceo@victim.example']");
    m.add("sha", "dropper", "[file:hashes.'SHA-256' = 'EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C']");
    m.add("md5", "old sample", "[file:hashes.md5 = '001dd76872d80801692ff942308c64e6']");
    m.add("v6", "v6 host", "[ipv6-addr:value = '2001:db8::5']");
    m.add("like", "any exe from the CDN", "[url:value LIKE 'https://cdn.example.org/%.exe']");
    m.add("both", "address and domain together", "[ipv4-addr:value = '198.51.100.9' AND domain-name:value = 'x.example']");
  }
  Matcher m;
};

TEST_F(MatcherTest, EqualityPatternsGoToTheIndexOthersAreEvaluated) {
  EXPECT_EQ(m.evaluated_patterns(), 2u);   // LIKE, and AND of two types
  EXPECT_EQ(m.exact_values(), 8u);         // the network is kept apart
}

TEST_F(MatcherTest, FindsValuesInLogLines) {
  EXPECT_EQ(hit_ids(m, "Nov 23 10:00:01 fw1 DROP src=198.51.100.3:443 dst=10.0.0.1"), std::set<std::string>{"ip"});
  EXPECT_EQ(hit_ids(m, "GET https://cdn.example.org/a/payload.bin HTTP/1.1 from 203.0.113.77"),
            (std::set<std::string>{"url", "net"}));
  EXPECT_EQ(hit_ids(m, "resolved c2.example.NET. via 8.8.8.8"), std::set<std::string>{"dom"});
  EXPECT_EQ(hit_ids(m, "From: \"CEO\" <ceo@victim.example>"), std::set<std::string>{"mail"});
  EXPECT_EQ(hit_ids(m, "av: ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c quarantined"),
            std::set<std::string>{"sha"});
  EXPECT_EQ(hit_ids(m, "conn [2001:db8::5]:443 reset"), std::set<std::string>{"v6"});
  EXPECT_EQ(hit_ids(m, "fetch https://cdn.example.org/x/tool.exe"), std::set<std::string>{"like"});
  EXPECT_EQ(hit_ids(m, "198.51.100.9 asked for x.example"), std::set<std::string>{"both"});
  EXPECT_TRUE(hit_ids(m, "198.51.100.30 and 198.51.100.39 and c2.example.com are fine").empty());
  EXPECT_TRUE(hit_ids(m, "198.51.100.9 alone").empty());
}

TEST_F(MatcherTest, ReadsCsvAndJsonEvents) {
  EXPECT_EQ(hit_ids(m, "2024-05-01T10:00:00Z,192.0.2.1,allowed"), std::set<std::string>{"dom"});
  EXPECT_EQ(hit_ids(m, R"({"event":"dns","answer":{"name":"c2.example.net","ttl":60}})"), std::set<std::string>{"dom"});
  EXPECT_EQ(hit_ids(m, R"({"type":"observed-data","objects":{"0":{"type":"file","hashes":{"MD5":"001DD76872D80801692FF942308C64E6"}}}})"),
            std::set<std::string>{"md5"});
  EXPECT_EQ(hit_ids(m, R"({"type":"ipv4-addr","value":"198.51.100.3"})"), std::set<std::string>{"ip"});
}

TEST(Matcher, RefusesPatternsItCannotHonour) {
  Matcher m;
  EXPECT_THROW(m.add("x", "", "[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [ipv4-addr:value = '5.6.7.8']"), PatternError);
  EXPECT_TRUE(m.indicators().empty());
}

}  // namespace
}  // namespace parley::exchange

namespace parley::exchange {
namespace {

// The index's Bloom filter grows (and is rebuilt) as values are added: every value
// added before or after a growth is still found, and values never added are not.
TEST(Matcher, FindsEveryIndexedValueAcrossTheFilterGrowing) {
  Matcher m;
  const int n = 20000;   // several growths of the filter (it starts at 4,096 keys)
  for (int i = 0; i < n; ++i) {
    const auto ip = std::to_string(10 + i / 65536) + "." + std::to_string((i / 256) % 256) + "." + std::to_string(i % 256) + ".7";
    m.add("indicator--" + std::to_string(i), ip, "[ipv4-addr:value = '" + ip + "']");
  }
  int found = 0;
  for (int i = 0; i < n; ++i) {
    const auto ip = std::to_string(10 + i / 65536) + "." + std::to_string((i / 256) % 256) + "." + std::to_string(i % 256) + ".7";
    const auto ids = hit_ids(m, "dst=" + ip + ":443");
    found += ids.count("indicator--" + std::to_string(i)) == 1 && ids.size() == 1;
  }
  EXPECT_EQ(found, n);
  EXPECT_TRUE(hit_ids(m, "dst=10.0.0.8:443 src=192.0.2.1").empty());
}

// A log line is whatever a local tool wrote; none of these may end 'parley match'.
TEST_F(MatcherTest, HostileJsonLinesAreScannedNotThrownOrRecursedInto) {
  EXPECT_TRUE(hit_ids(m, R"({"type":19,"value":"198.51.100.3"})").count("ip"));
  EXPECT_NO_THROW(hit_ids(m, R"({"type":"observed-data","objects":{"0":7,"1":{"type":[]}}})"));
  const std::string deep = R"({"a":)" + std::string(100000, '[') + std::string(100000, ']') + R"(,"b":"198.51.100.3"})";
  EXPECT_TRUE(hit_ids(m, deep).count("ip"));
}

}  // namespace
}  // namespace parley::exchange
