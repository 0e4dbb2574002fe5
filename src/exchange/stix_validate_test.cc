#include "exchange/stix_validate.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace parley::exchange {
namespace {

const std::string kAmber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";

nlohmann::json indicator() {
  return {{"type", "indicator"},
          {"spec_version", "2.1"},
          {"id", "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"},
          {"created", "2024-05-01T10:00:00.000Z"},
          {"modified", "2024-05-02T10:00:00.000Z"},
          {"pattern", "[ipv4-addr:value = '198.51.100.3']"},
          {"pattern_type", "stix"},
          {"valid_from", "2024-05-01T10:00:00Z"},
          {"object_marking_refs", {kAmber}}};
}

bool has_error(const StixCheck& c, const std::string& property, const std::string& rule_part) {
  for (const auto& e : c.errors)
    if (e.property == property && e.rule.find(rule_part) != std::string::npos) return true;
  return false;
}

TEST(StixValidator, AcceptsAValidIndicatorAndReportsWhatStorageNeeds) {
  StixValidator v;
  auto c = v.check(indicator().dump());
  ASSERT_TRUE(c.ok()) << c.errors.front().property << ": " << c.errors.front().rule;
  EXPECT_EQ(c.info.type, "indicator");
  EXPECT_EQ(c.info.id, "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f");
  EXPECT_EQ(c.info.version, "2024-05-02T10:00:00.000Z");
  EXPECT_EQ(c.info.version_key, "2024-05-02T10:00:00.000000000Z");
  EXPECT_EQ(c.info.tlp, Tlp::kAmber);
  EXPECT_EQ(c.info.name, "[ipv4-addr:value = '198.51.100.3']");
}

TEST(StixValidator, NamesThePropertyAndTheRule) {
  StixValidator v;
  auto o = indicator();
  o.erase("pattern");
  o["created"] = "2024-05-01 10:00";
  o["confidence"] = 101;
  o["id"] = "malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
  o["external_references"] = {{{"url", "https://example.org"}}, "not an object"};
  o["granular_markings"] = {{{"selectors", json::array()}}};
  auto c = v.check(o.dump());
  EXPECT_TRUE(has_error(c, "external_references.0.source_name", "is required"));
  EXPECT_TRUE(has_error(c, "external_references.1", "must be an object"));
  EXPECT_TRUE(has_error(c, "granular_markings.0.selectors", "non-empty"));
  EXPECT_TRUE(has_error(c, "granular_markings.0", "exactly one of marking_ref or lang"));
  EXPECT_TRUE(has_error(c, "pattern", "is required"));
  EXPECT_TRUE(has_error(c, "created", "RFC 3339"));
  EXPECT_TRUE(has_error(c, "confidence", "between 0 and 100"));
  EXPECT_TRUE(has_error(c, "id", "must start with the object's type"));
}

TEST(StixValidator, RefusesAnObjectWithoutATlp2Marking) {
  StixValidator v;
  auto o = indicator();
  o.erase("object_marking_refs");
  EXPECT_TRUE(has_error(v.check(o.dump()), "object_marking_refs", "TLP 2.0"));
  o["object_marking_refs"] = {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"};   // TLP 1.0 WHITE
  auto c = v.check(o.dump());
  EXPECT_TRUE(has_error(c, "object_marking_refs.0", "TLP:CLEAR"));
}

TEST(StixValidator, TheMostRestrictiveMarkingWinsGranularOnesIncluded) {
  StixValidator v;
  auto o = indicator();
  o["granular_markings"] = {{{"selectors", {"description"}}, {"marking_ref", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"}}};
  EXPECT_EQ(v.check(o.dump()).info.tlp, Tlp::kRed);
}

TEST(StixValidator, ChecksTypeSpecificRules) {
  StixValidator v;
  const auto base = [](const std::string& type) {
    return nlohmann::json{{"type", type},
                          {"spec_version", "2.1"},
                          {"id", type + "--6b3c7b9a-1a8e-4d1f-9c4a-7a0f9e3b2c1d"},
                          {"created", "2024-05-01T10:00:00.000Z"},
                          {"modified", "2024-05-01T10:00:00.000Z"},
                          {"object_marking_refs", {kAmber}}};
  };
  EXPECT_TRUE(has_error(v.check(base("malware").dump()), "is_family", "is required"));
  auto m = base("malware");
  m["is_family"] = true;
  EXPECT_TRUE(has_error(v.check(m.dump()), "name", "is required"));
  auto r = base("relationship");
  r["relationship_type"] = "indicates";
  r["source_ref"] = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
  r["target_ref"] = "not-an-id";
  EXPECT_TRUE(has_error(v.check(r.dump()), "target_ref", "STIX identifier"));
  auto s = base("sighting");
  s["sighting_of_ref"] = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";   // dangling: fine
  s["count"] = -1;
  auto sc = v.check(s.dump());
  EXPECT_TRUE(has_error(sc, "count", "between 0"));
  EXPECT_EQ(sc.errors.size(), 1u);
  auto ip = nlohmann::json{{"type", "ipv4-addr"},
                           {"id", "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd"},
                           {"value", "198.51.100.3"},
                           {"object_marking_refs", {kAmber}}};
  auto ic = v.check(ip.dump());
  EXPECT_TRUE(ic.ok());
  EXPECT_EQ(ic.info.version, "");   // an SCO has no modified: TAXII uses its date added
  ip.erase("value");
  EXPECT_TRUE(has_error(v.check(ip.dump()), "value", "is required"));
}

TEST(StixValidator, TimestampKeysOrderWhateverThePrecision) {
  EXPECT_LT(*timestamp_key("2024-05-01T10:00:00Z"), *timestamp_key("2024-05-01T10:00:00.001Z"));
  EXPECT_EQ(*timestamp_key("2024-05-01T10:00:00.1Z"), *timestamp_key("2024-05-01T10:00:00.100Z"));
  EXPECT_FALSE(timestamp_key("2024-13-01T10:00:00Z"));
  EXPECT_FALSE(timestamp_key("2024-05-01T10:00:00+02:00"));
}

TEST(StixValidator, RefusesWhatIsNotAnObject) {
  StixValidator v;
  EXPECT_TRUE(has_error(v.check("[1,2]"), "", "JSON object"));
  EXPECT_TRUE(has_error(v.check("{\"type\":"), "", "not valid JSON"));
}

TEST(StixValidator, RefusesDuplicatePropertyNames) {
  StixValidator v;
  auto text = indicator().dump();
  // The same object with its marking named twice: one reader would see AMBER, another none.
  text.insert(text.size() - 1, R"(,"object_marking_refs":[])");
  auto c = v.check(text);
  EXPECT_TRUE(has_error(c, "object_marking_refs", "duplicate")) << (c.errors.empty() ? "" : c.errors[0].rule);
  auto nested = indicator();
  nested["extensions"] = nlohmann::json::object();
  auto t2 = nested.dump();
  const auto at = t2.find("\"extensions\":{") + 14;
  t2.insert(at, R"("x":{"a":1,"a":2})");
  EXPECT_TRUE(has_error(v.check(t2), "a", "duplicate"));
}

TEST(StixValidator, ParsesAStixPatternOnIngest) {
  StixValidator v;
  auto bad = indicator();
  bad["pattern"] = "[file:name = ";
  EXPECT_TRUE(has_error(v.check(bad.dump()), "pattern", "not a valid STIX pattern"));
  bad["pattern"] = std::string(10000, '(') + "[a:b = 'x']" + std::string(10000, ')');
  EXPECT_TRUE(has_error(v.check(bad.dump()), "pattern", "nested more than"));
  // Valid STIX that Parley cannot match is still stored; other pattern languages are not parsed.
  auto followed = indicator();
  followed["pattern"] = "[a:b = 'x'] FOLLOWEDBY [c:d = 'y']";
  EXPECT_TRUE(v.check(followed.dump()).ok());
  auto yara = indicator();
  yara["pattern_type"] = "yara";
  yara["pattern"] = "rule x { condition: true }";
  EXPECT_TRUE(v.check(yara.dump()).ok());
}

}  // namespace
}  // namespace parley::exchange
