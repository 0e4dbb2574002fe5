// The hotline's ledger read rule (hotline/ledger_rule.h) against the hotline's own reads.
#include "hotline/ledger_rule.h"

#include <gtest/gtest.h>

#include "app/demo_data.h"
#include "auth/auth_service.h"
#include "common/time.h"
#include "hotline/checks.h"
#include "hotline/hotline_service.h"
#include "storage/journal.h"
#include "testing/problems.h"
#include "testing/temp_db.h"

namespace parley::hotline {
namespace {

using auth::Principal;

class NullSink final : public EventSink {
 public:
  void publish(const Event&) override {}
};

class HotlineLedgerRuleTest : public ::testing::Test {
 protected:
  testing::TempDb t;
  NullSink sink;
  ManualTimeSource clock;
  auth::AuthService auth{t.db(), auth::AuthConfig{}};
  HotlineService hotline{t.db(), sink, clock, mail::MailConfig{}};

  void SetUp() override { ASSERT_TRUE(app::load_demo_data(t.db(), auth)); }

  Principal user(const std::string& username) {
    return t.db().read([&](storage::Connection& c) {
      auto p = HotlineStore::person(c, username);
      Principal who;
      who.user_id = p->user_id;
      who.username = p->username;
      who.role = *auth::parse_role(p->role);
      who.state = p->state;
      who.forum = p->forum;
      return who;
    });
  }

  std::vector<storage::JournalEntry> entries(const std::string& object) {
    return t.db().read([&](storage::Connection& c) {
      std::vector<storage::JournalEntry> out;
      for (const auto& r : c.query("SELECT seq FROM journal WHERE object = ? ORDER BY seq", {object}))
        out.push_back(*storage::Journal::at_index(c, r.integer("seq") - 1));
      return out;
    });
  }

  // The rule and the hotline's own read agree for `who`.
  bool rule(const Principal& who, const storage::JournalEntry& e) {
    return t.db().read([&](storage::Connection& c) {
      if (e.object.rfind("communication:", 0) == 0) return may_read_communication_entry(c, who, e);
      if (e.object.rfind("attachment:", 0) == 0) return may_read_attachment_entry(c, who, e);
      return may_read_check_entry(c, who, e);
    });
  }
  bool reads(const Principal& who, std::int64_t id) { return testing::status_of([&] { hotline.get(who, id); }) == 0; }

  CommunicationInput note(std::vector<std::string> to, std::string tlp = "TLP:AMBER") {
    CommunicationInput in;
    in.type = "notification";
    in.recipients = std::move(to);
    in.subject = "Scanning";
    in.description = "Coordinated scanning.";
    in.severity = 3;
    in.tlp = std::move(tlp);
    return in;
  }
};

TEST_F(HotlineLedgerRuleTest, ACommunicationsEntriesGoToWhoeverMaySeeIt) {
  const auto kaz = user("poc.kaz"), uzb = user("poc.uzb");
  const auto id = hotline.send(kaz, note({"UZB"}))["id"].get<std::int64_t>();
  hotline.acknowledge(uzb, id);
  const auto list = entries("communication:" + std::to_string(id));
  ASSERT_GE(list.size(), 2u);
  for (const auto& name : {"poc.kaz", "focal.kaz", "poc.uzb", "focal.uzb", "poc.tha", "secretariat.cica", "secretariat.arf",
                           "admin", "poc.jpn"}) {
    const auto who = user(name);
    const bool expected = reads(who, id);
    for (const auto& e : list) EXPECT_EQ(rule(who, e), expected) << name << " " << e.action;
  }
  EXPECT_TRUE(rule(uzb, list.back()));
  EXPECT_FALSE(rule(user("poc.tha"), list.back()));
  EXPECT_FALSE(rule(user("admin"), list.back()));   // no reading right of its own in the hotline
}

TEST_F(HotlineLedgerRuleTest, TlpRedAndStrictFollowTheHotline) {
  const auto kaz = user("poc.kaz");
  const auto strict = hotline.send(kaz, note({"UZB"}, "TLP:AMBER+STRICT"))["id"].get<std::int64_t>();
  const auto e = entries("communication:" + std::to_string(strict)).front();
  EXPECT_FALSE(rule(user("secretariat.cica"), e));
  EXPECT_TRUE(rule(user("focal.uzb"), e));
}

TEST_F(HotlineLedgerRuleTest, AnEscalationNamingOneStatesPeopleStaysWithThatStateAndTheSender) {
  const auto kaz = user("poc.kaz");
  const auto id = hotline.send(kaz, note({"UZB", "THA"}))["id"].get<std::int64_t>();
  auto e = entries("communication:" + std::to_string(id)).front();
  e.action = "communication.escalate";
  e.change = R"({"level":1,"notified":["focal.uzb"],"state":"UZB"})";
  EXPECT_TRUE(rule(user("poc.uzb"), e));
  EXPECT_TRUE(rule(user("focal.kaz"), e));
  EXPECT_TRUE(rule(user("secretariat.cica"), e));
  EXPECT_TRUE(reads(user("focal.tha"), id));
  EXPECT_FALSE(rule(user("focal.tha"), e));   // sees the communication, not who of UZB was called
}

TEST_F(HotlineLedgerRuleTest, ChecksAreTheSecretariatsAndMalformedObjectsNobodys) {
  CheckService checks(hotline);
  const auto r = checks.start(user("secretariat.cica"), "CICA", CheckScope{{"KAZ"}, {}, "all"}, std::nullopt);
  const auto e = entries("check:" + std::to_string(r["id"].get<std::int64_t>())).front();
  EXPECT_TRUE(rule(user("secretariat.cica"), e));
  EXPECT_TRUE(rule(user("admin"), e));
  EXPECT_FALSE(rule(user("secretariat.arf"), e));
  EXPECT_FALSE(rule(user("poc.kaz"), e));
  auto bad = e;
  for (const auto* object : {"communication:", "communication:x", "communication:-1", "communication:99999999999999999",
                             "communication:999999"}) {
    bad.object = object;
    EXPECT_FALSE(rule(user("poc.kaz"), bad)) << object;
  }
  EXPECT_EQ(id_after("check:17", "check:").value_or(-1), 17);
  EXPECT_FALSE(id_after("check:17a", "check:").has_value());
  EXPECT_FALSE(id_after("checks:17", "check:").has_value());
}

TEST_F(HotlineLedgerRuleTest, AnAttachmentIsItsUploadersAndItsCommunicationsReaders) {
  const auto kaz = user("poc.kaz");
  const auto up = hotline.upload(kaz, "a,b\n1,2\n", "text/csv");
  const auto sha = up["sha256"].get<std::string>();
  const auto e = entries("attachment:" + sha).front();
  EXPECT_TRUE(rule(kaz, e));
  EXPECT_FALSE(rule(user("poc.uzb"), e));
  auto in = note({"UZB"});
  in.attachments = {{sha, "figures.csv"}};
  hotline.send(kaz, in);
  EXPECT_TRUE(rule(user("poc.uzb"), e));
  EXPECT_FALSE(rule(user("poc.tha"), e));
}

}  // namespace
}  // namespace parley::hotline
