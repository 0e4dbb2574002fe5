// TAXII's query parameters: what a client asks for is read, and whatever it gets wrong
// is one 400 naming the parameter — never another exception (a 500). The inputs that
// fuzz/taxii_filter.cc found are here too.
#include "exchange/taxii_filter.h"

#include <gtest/gtest.h>

namespace parley::exchange {
namespace {

const std::vector<std::string> kObjects = {"added_after", "limit", "next", "match[id]", "match[type]",
                                           "match[version]", "match[spec_version]"};

http::Request query(std::string_view qs) {
  http::Request r;
  r.method = "GET";
  r.query = http::parse_query(qs);
  return r;
}

// The fields of the 400 the query gets, or {"accepted"}.
std::vector<std::string> refused(std::string_view qs) {
  try {
    taxii_filter(query(qs), kObjects);
  } catch (const Problem& p) {
    EXPECT_EQ(p.status(), 400);
    std::vector<std::string> fields;
    for (const auto& e : p.errors()) fields.push_back(e.field);
    return fields;
  }
  return {"accepted"};
}

TEST(TaxiiFilter, ReadsWhatTheClientAsksFor) {
  const auto f = taxii_filter(
      query("added_after=2024-05-01T10:00:00.123456Z&limit=2&match[type]=indicator,malware&match[type]=sighting"
            "&match[version]=all&next=1714557600000000.17"),
      kObjects);
  EXPECT_EQ(f.added_after_us, 1714557600123456);
  EXPECT_EQ(f.limit, 2u);
  EXPECT_EQ(f.types, (std::vector<std::string>{"indicator", "malware", "sighting"}));
  EXPECT_EQ(f.versions, std::vector<std::string>{"all"});
  ASSERT_TRUE(f.after);
  EXPECT_EQ(f.after->added_us, 1714557600000000);
  EXPECT_EQ(f.after->pk, 17);
}

TEST(TaxiiFilter, NamesEveryParameterItRefuses) {
  EXPECT_EQ(refused("colour=red"), std::vector<std::string>{"colour"});
  EXPECT_EQ(refused("added_after=yesterday&match[version]=newest&next=abc"),
            (std::vector<std::string>{"added_after", "match[version]", "next"}));
  EXPECT_EQ(refused("limit=0"), std::vector<std::string>{"limit"});
}

// fuzz/regressions/taxii_filter/crash-next-out-of-range: std::stoll threw out_of_range
// from Cursor::parse, which the server answered with a 500.
TEST(TaxiiFilter, ANextBeyondSixtyFourBitsIsNotAValueThisServerGave) {
  EXPECT_EQ(refused("next=99999999999999999999.1"), std::vector<std::string>{"next"});
  EXPECT_EQ(refused("next=1.99999999999999999999"), std::vector<std::string>{"next"});
  EXPECT_EQ(refused("next=9223372036854775807.9223372036854775807"), std::vector<std::string>{"accepted"});
}

}  // namespace
}  // namespace parley::exchange
