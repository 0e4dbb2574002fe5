#include "hotline/model.h"

#include <gtest/gtest.h>

#include "common/time.h"
#include "hotline/checks.h"

namespace parley::hotline {
namespace {

constexpr std::int64_t kNow = 1'795'000'000'000;   // 2026-11-18

std::vector<FieldError> errors_of(const std::string& body, bool reply = false) {
  try {
    auto in = JsonInput::parse(body);
    CommunicationInput::parse(in, reply, kNow);
  } catch (const Problem& p) {
    return p.errors();
  }
  return {};
}

bool names(const std::vector<FieldError>& errors, const std::string& field) {
  for (const auto& e : errors)
    if (e.field == field) return true;
  return false;
}

TEST(CommunicationInput, AcceptsTheMinimalTemplate) {
  auto in = JsonInput::parse(R"({"type":"notification","recipients":["uzb","CICA"],"subject":"Outage",
    "description":"DDoS on the exchange","severity":3,"tlp":"tlp:amber"})");
  const auto c = CommunicationInput::parse(in, false, kNow);
  EXPECT_EQ(c.type, "notification");
  EXPECT_EQ(c.recipients, (std::vector<std::string>{"UZB", "CICA"}));
  EXPECT_EQ(c.tlp, "TLP:AMBER");
  EXPECT_EQ(c.severity, 3);
  EXPECT_EQ(c.language, "en");
}

TEST(CommunicationInput, RefusesTlpOneAndUnknownLabels) {
  const auto e1 = errors_of(R"({"type":"notification","recipients":["UZB"],"subject":"s","description":"d",
    "severity":1,"tlp":"TLP:WHITE"})");
  ASSERT_TRUE(names(e1, "tlp"));
  EXPECT_NE(e1[0].reason.find("TLP:CLEAR"), std::string::npos);
  EXPECT_TRUE(names(errors_of(R"({"type":"notification","recipients":["UZB"],"subject":"s","description":"d",
    "severity":1,"tlp":"AMBER"})"), "tlp"));
}

TEST(CommunicationInput, NamesEveryBadField) {
  const auto e = errors_of(R"({"type":"gossip","recipients":[],"subject":"","description":"d","severity":6,
    "tlp":"TLP:RED","respond_by":"2020-01-01T00:00:00Z","sector":"bakeries","colour":"blue",
    "attachments":[{"sha256":"xyz","filename":"../etc/passwd"}]})");
  for (const auto* f : {"type", "recipients", "subject", "severity", "respond_by", "sector", "colour",
                        "attachments.0.sha256", "attachments.0.filename"})
    EXPECT_TRUE(names(e, f)) << f;
}

TEST(CommunicationInput, IncidentTimesMustBeOrderedAndPast) {
  const auto e = errors_of(R"({"type":"notification","recipients":["UZB"],"subject":"s","description":"d",
    "severity":1,"tlp":"TLP:GREEN","incident_started_at":"2026-11-18T10:00:00Z",
    "incident_detected_at":"2026-11-18T09:00:00Z"})");
  EXPECT_TRUE(names(e, "incident_detected_at"));
  EXPECT_TRUE(names(errors_of(R"({"type":"notification","recipients":["UZB"],"subject":"s","description":"d",
    "severity":1,"tlp":"TLP:GREEN","incident_started_at":"2030-01-01T00:00:00Z"})"), "incident_started_at"));
}

TEST(CommunicationInput, AddressesAKindOfContactAndNamedContacts) {
  auto in = JsonInput::parse(R"({"type":"notification","recipients":["KAZ"],"subject":"s","description":"d",
    "severity":1,"tlp":"TLP:RED","contact_kind":"technical","recipient_contacts":[12,"poc.kaz"]})");
  const auto c = CommunicationInput::parse(in, false, kNow);
  EXPECT_EQ(c.contact_kind, "technical");
  EXPECT_EQ(c.recipient_contact_ids, (std::vector<std::int64_t>{12}));
  EXPECT_EQ(c.recipient_contacts, (std::vector<std::string>{"poc.kaz"}));
  auto dflt = JsonInput::parse(R"({"type":"notification","recipients":["KAZ"],"subject":"s","description":"d",
    "severity":1,"tlp":"TLP:GREEN"})");
  EXPECT_EQ(CommunicationInput::parse(dflt, false, kNow).contact_kind, "all");
  const auto e = errors_of(R"({"type":"notification","recipients":["KAZ"],"subject":"s","description":"d",
    "severity":1,"tlp":"TLP:GREEN","contact_kind":"diplomats","recipient_contacts":[0, true, ""]})");
  for (const auto* f : {"contact_kind", "recipient_contacts.0", "recipient_contacts.1", "recipient_contacts.2"})
    EXPECT_TRUE(names(e, f)) << f;
  EXPECT_TRUE(names(errors_of(R"({"description":"d","contact_kind":"policy"})", true), "contact_kind"));
}

TEST(CommunicationInput, ANoteVerbaleHasNoSeverity) {
  auto in = JsonInput::parse(R"({"type":"note_verbale","recipients":["CICA"],"subject":"Note verbale 7",
    "description":"The Secretariat presents its compliments","tlp":"TLP:GREEN"})");
  const auto c = CommunicationInput::parse(in, false, kNow);
  EXPECT_EQ(c.type, "note_verbale");
  EXPECT_EQ(c.severity, 0);
  EXPECT_TRUE(names(errors_of(R"({"type":"note_verbale","recipients":["CICA"],"subject":"s","description":"d",
    "severity":0,"tlp":"TLP:GREEN"})"), "severity"));
  EXPECT_TRUE(names(errors_of(R"({"type":"notification","recipients":["CICA"],"subject":"s","description":"d",
    "tlp":"TLP:GREEN"})"), "severity"));   // every other type has one
}

TEST(CommunicationInput, ReplyNeedsOnlyADescription) {
  auto in = JsonInput::parse(R"({"description":"Received; investigating."})");
  const auto c = CommunicationInput::parse(in, true, kNow);
  EXPECT_EQ(c.type, "reply");
  EXPECT_EQ(c.severity, -1);   // the original's
  EXPECT_TRUE(c.tlp.empty());
  EXPECT_TRUE(names(errors_of(R"({"type":"reply","recipients":["UZB"],"subject":"s","description":"d",
    "severity":1,"tlp":"TLP:GREEN"})"), "in_reply_to"));
}

TEST(Policy, DefaultsScaleWithSeverityAndParseOverrides) {
  const auto d = Policy::defaults();
  EXPECT_GT(d.ack_deadline_minutes("notification", 0), d.ack_deadline_minutes("notification", 5));
  auto in = JsonInput::parse(R"({"ack_deadline_minutes":{"notification":[600,300,120,60,20,10]},
    "escalation_step_minutes":5})");
  const auto p = Policy::parse(in);
  EXPECT_EQ(p.ack_deadline_minutes("notification", 5), 10);
  EXPECT_EQ(p.ack_deadline_minutes("request_for_assistance", 5), d.ack_deadline_minutes("request_for_assistance", 5));
  EXPECT_EQ(p.escalation_step_minutes, 5);
  auto bad = JsonInput::parse(R"({"ack_deadline_minutes":{"notification":[1,2,3],"gossip":[1,1,1,1,1,1]}})");
  try {
    Policy::parse(bad);
    FAIL() << "accepted a bad policy";
  } catch (const Problem& p) {
    EXPECT_TRUE(names(p.errors(), "ack_deadline_minutes.notification"));
    EXPECT_TRUE(names(p.errors(), "ack_deadline_minutes.gossip"));
  }
}

TEST(CheckFigures, MedianAndNearestRankPercentile) {
  // Ten people, eight acknowledged after 10, 20, ... 80 s.
  std::vector<std::optional<double>> s;
  for (int i = 1; i <= 8; ++i) s.push_back(10.0 * i);
  s.push_back(std::nullopt);
  s.push_back(std::nullopt);
  const auto f = CheckFigures::compute(s);
  EXPECT_EQ(f.people, 10);
  EXPECT_EQ(f.acknowledged, 8);
  EXPECT_DOUBLE_EQ(f.response_rate, 0.8);
  EXPECT_DOUBLE_EQ(*f.median_seconds, 45.0);   // (40 + 50) / 2
  EXPECT_DOUBLE_EQ(*f.p90_seconds, 80.0);      // rank ceil(7.2) = 8
  const auto none = CheckFigures::compute({std::nullopt});
  EXPECT_FALSE(none.median_seconds);
  EXPECT_DOUBLE_EQ(none.response_rate, 0.0);
}

TEST(Rfc3339, ParsesZonesAndFractionsAndRefusesNonsense) {
  EXPECT_EQ(parse_rfc3339_ms("1970-01-01T00:00:01Z"), 1000);
  EXPECT_EQ(parse_rfc3339_ms("1970-01-01T00:00:01.5Z"), 1500);
  EXPECT_EQ(parse_rfc3339_ms("1970-01-01T05:00:00+05:00"), 0);
  EXPECT_EQ(rfc3339_from_ms(*parse_rfc3339_ms("2026-11-22T08:07:39.123Z")), "2026-11-22T08:07:39.123Z");
  EXPECT_FALSE(parse_rfc3339_ms("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_rfc3339_ms("2026-11-22 08:07:39"));
  EXPECT_FALSE(parse_rfc3339_ms("2026-11-22T08:07:39Zjunk"));
}

}  // namespace
}  // namespace parley::hotline
