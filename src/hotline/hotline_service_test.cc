#include "hotline/hotline_service.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "app/demo_data.h"
#include "auth/auth_service.h"
#include "common/time.h"
#include "hotline/checks.h"
#include "storage/journal.h"
#include "testing/problems.h"
#include "testing/temp_db.h"

namespace parley::hotline {
namespace {

using auth::Principal;
using auth::Role;
using nlohmann::json;

class RecordingSink final : public EventSink {
 public:
  void publish(const Event& e) override { events.push_back(e); }
  std::vector<Event> events;
};

class HotlineTest : public ::testing::Test {
 protected:
  testing::TempDb t;
  RecordingSink sink;
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
      who.display_name = p->display_name;
      who.role = *auth::parse_role(p->role);
      who.state = p->state;
      who.forum = p->forum;
      return who;
    });
  }

  CommunicationInput note(std::vector<std::string> to, int severity = 3, std::string tlp = "TLP:AMBER") {
    CommunicationInput in;
    in.type = "notification";
    in.recipients = std::move(to);
    in.subject = "Scanning of energy SCADA";
    in.description = "Coordinated scanning from a botnet.";
    in.severity = severity;
    in.tlp = std::move(tlp);
    return in;
  }

  static CommQuery inbox() {
    CommQuery q;
    q.box = "inbox";
    return q;
  }

  std::vector<std::string> lifecycle(const json& c) {
    std::vector<std::string> kinds;
    for (const auto& e : c["lifecycle"]) kinds.push_back(e["kind"].get<std::string>());
    return kinds;
  }
};

TEST_F(HotlineTest, RequestAcknowledgementReplyAndClose) {
  const auto kaz = user("poc.kaz"), uzb = user("poc.uzb");
  auto sent = hotline.send(kaz, note({"UZB"}));
  const auto id = sent["id"].get<std::int64_t>();
  EXPECT_EQ(sent["forum"], "CICA");
  EXPECT_EQ(sent["status"], "sent");
  EXPECT_EQ(hotline.list(uzb, inbox())["unacknowledged"], 1);

  auto read = hotline.get(uzb, id);   // the recipient's first read delivers it
  EXPECT_EQ(read["recipients"][0]["delivered_at"].is_string(), true);
  EXPECT_EQ(read["status"], "delivered");

  auto acked = hotline.acknowledge(uzb, id);
  EXPECT_EQ(acked["status"], "acknowledged");
  EXPECT_EQ(acked["recipients"][0]["acknowledged_by"], "poc.uzb");
  EXPECT_EQ(testing::status_of([&] { hotline.acknowledge(user("focal.uzb"), id); }), 409);
  EXPECT_EQ(hotline.list(uzb, inbox())["unacknowledged"], 0);

  CommunicationInput r;
  r.type = "reply";
  r.description = "Seen here too; blocking the ranges.";
  r.severity = -1;
  auto reply = hotline.reply(uzb, id, r);
  EXPECT_EQ(reply["thread_id"], id);
  EXPECT_EQ(reply["tlp"], "TLP:AMBER");
  EXPECT_EQ(reply["recipients"][0]["state"], "KAZ");
  EXPECT_EQ(hotline.get(kaz, id)["status"], "answered");

  hotline.close(kaz, id, "resolved");
  EXPECT_EQ(hotline.get(kaz, reply["id"].get<std::int64_t>())["status"], "closed");   // the whole thread
  EXPECT_EQ(testing::status_of([&] { hotline.reply(uzb, id, r); }), 409);
  EXPECT_EQ(lifecycle(hotline.get(kaz, id)),
            (std::vector<std::string>{"sent", "delivered", "acknowledged", "answered", "closed"}));
  // Every step is in the journal, and the chain still verifies.
  auto report = t.db().read([](storage::Connection& c) { return storage::Journal::verify(c); });
  EXPECT_FALSE(report.broken_at);
}

TEST_F(HotlineTest, OnlyPartiesAndTheirSecretariatSeeIt) {
  const auto id = hotline.send(user("poc.kaz"), note({"UZB"}))["id"].get<std::int64_t>();
  EXPECT_EQ(testing::status_of([&] { hotline.get(user("poc.tha"), id); }), 404);
  EXPECT_EQ(testing::status_of([&] { hotline.get(user("secretariat.arf"), id); }), 404);
  EXPECT_EQ(testing::status_of([&] { hotline.get(user("admin"), id); }), 404);
  EXPECT_EQ(hotline.get(user("secretariat.cica"), id)["id"], id);
  EXPECT_EQ(hotline.list(user("poc.tha"), {})["total"], 0);
  // The stream audience says the same.
  ASSERT_FALSE(sink.events.empty());
  const auto& e = sink.events.front();
  EXPECT_TRUE(e.audience(Subscriber{user("poc.uzb").user_id, "poc.uzb", "poc", "UZB", "", ""}));
  EXPECT_FALSE(e.audience(Subscriber{user("poc.tha").user_id, "poc.tha", "poc", "THA", "", ""}));
}

// What a send checks against the forum's membership: the sender's state and each
// recipient state must be members; naming the forum addresses every other member.
TEST_F(HotlineTest, ASendIsCheckedAgainstTheForumsMembers) {
  const auto errors_of = [&](const Principal& who, const CommunicationInput& in) {
    try {
      hotline.send(who, in);
    } catch (const Problem& p) {
      EXPECT_EQ(p.status(), 422);
      std::vector<std::string> out;
      for (const auto& e : p.errors()) out.push_back(e.field + ": " + e.reason);
      return out;
    }
    ADD_FAILURE() << "the send was accepted";
    return std::vector<std::string>{};
  };
  auto to_arf = note({"THA"});
  to_arf.forum = "ARF";   // KAZ is in the CICA, not the ARF
  EXPECT_EQ(errors_of(user("poc.kaz"), to_arf), (std::vector<std::string>{"forum: KAZ is not a member of ARF"}));
  auto mixed = note({"USA", "KAZ"});
  mixed.forum = "ARF";
  EXPECT_EQ(errors_of(user("poc.tha"), mixed), (std::vector<std::string>{"recipients: KAZ is not a member of ARF"}));

  const auto forum_wide = hotline.send(user("poc.tha"), note({"ARF"}));
  EXPECT_EQ(forum_wide["forum"], "ARF");
  std::vector<std::string> states;
  for (const auto& r : forum_wide["recipients"]) states.push_back(r["state"].get<std::string>());
  std::sort(states.begin(), states.end());
  EXPECT_EQ(states.size(), 26u);   // the ARF's 27 members but the sender
  EXPECT_TRUE(std::find(states.begin(), states.end(), "USA") != states.end());
  EXPECT_TRUE(std::find(states.begin(), states.end(), "THA") == states.end());
  EXPECT_TRUE(std::find(states.begin(), states.end(), "KAZ") == states.end());
}

TEST_F(HotlineTest, RedIsForNamedPeopleOnly) {
  auto in = note({"UZB"}, 4, "TLP:RED");
  EXPECT_EQ(testing::status_of([&] { hotline.send(user("poc.kaz"), in); }), 422);
  in.recipient_contacts = {"poc.uzb"};
  const auto id = hotline.send(user("poc.kaz"), in)["id"].get<std::int64_t>();
  EXPECT_EQ(hotline.get(user("poc.uzb"), id)["tlp"], "TLP:RED");
  EXPECT_EQ(testing::status_of([&] { hotline.get(user("focal.uzb"), id); }), 404);
  EXPECT_EQ(testing::status_of([&] { hotline.get(user("secretariat.cica"), id); }), 404);
  EXPECT_EQ(testing::status_of([&] { hotline.get(user("focal.kaz"), id); }), 404);
}

TEST_F(HotlineTest, EscalatesStepByStepWhenTheDeadlinePasses) {
  const auto id = hotline.send(user("poc.kaz"), note({"UZB"}, 5))["id"].get<std::int64_t>();   // 15 minutes
  EXPECT_EQ(hotline.run_escalations(), 0);
  clock.advance(14 * 60'000);
  EXPECT_EQ(hotline.run_escalations(), 0);
  clock.advance(61'000);
  EXPECT_EQ(hotline.run_escalations(), 1);
  auto c = hotline.get(user("poc.kaz"), id);
  // UZB has one point of contact: level 1 has nobody, so the focal point is told.
  EXPECT_EQ(c["recipients"][0]["escalation_level"], 2);
  std::vector<std::string> details;
  for (const auto& e : c["lifecycle"])
    if (e["kind"] == "escalated") details.push_back(e["detail"].get<std::string>());
  ASSERT_EQ(details.size(), 2u);
  EXPECT_NE(details[0].find("nobody"), std::string::npos);
  EXPECT_NE(details[1].find("focal.uzb"), std::string::npos);
  clock.advance(15 * 60'000);
  EXPECT_EQ(hotline.run_escalations(), 1);
  c = hotline.get(user("poc.kaz"), id);
  EXPECT_EQ(c["recipients"][0]["escalation_level"], 3);
  EXPECT_TRUE(c["recipients"][0]["next_escalation_at"].is_null());
  clock.advance(60 * 60'000);
  EXPECT_EQ(hotline.run_escalations(), 0);   // the last level was reached
}

TEST_F(HotlineTest, AcknowledgementStopsEscalation) {
  const auto id = hotline.send(user("poc.kaz"), note({"UZB"}, 5))["id"].get<std::int64_t>();
  hotline.acknowledge(user("poc.uzb"), id);
  clock.advance(3600'000);
  EXPECT_EQ(hotline.run_escalations(), 0);
}

TEST_F(HotlineTest, ChecksReportPerPersonAndForumWide) {
  CheckService checks(hotline);
  // The technical contacts (Kazakhstan's policy contact also has an account).
  auto r = checks.start(user("secretariat.cica"), "CICA", CheckScope{{"KAZ", "UZB", "THA"}, {}, "technical"}, std::nullopt);
  const auto id = r["id"].get<std::int64_t>();
  const auto comm = r["communication_id"].get<std::int64_t>();
  EXPECT_EQ(r["summary"]["people"], 3);
  clock.advance(10'000);
  hotline.acknowledge(user("poc.kaz"), comm);
  clock.advance(20'000);
  hotline.acknowledge(user("poc.uzb"), comm);
  EXPECT_EQ(testing::status_of([&] { hotline.acknowledge(user("poc.uzb"), comm); }), 409);
  r = checks.report(nullptr, id);
  EXPECT_EQ(r["summary"]["acknowledged"], 2);
  EXPECT_EQ(r["summary"]["median_seconds"].get<double>(), 20.0);   // (10 + 30) / 2
  EXPECT_EQ(r["summary"]["p90_seconds"].get<double>(), 30.0);
  const auto poc_kaz = user("poc.kaz");
  EXPECT_EQ(testing::status_of([&] { checks.report(&poc_kaz, id); }), 404);
  EXPECT_EQ(testing::status_of([&] { checks.start(user("secretariat.arf"), "CICA", {}, std::nullopt); }), 403);
  const auto csv = checks.report_csv(nullptr, id);
  EXPECT_NE(csv.find("poc.kaz"), std::string::npos);
  EXPECT_NE(csv.find(",10.000\r\n"), std::string::npos) << csv;
}

// The directory is the address book: a communication to a state's technical contacts
// reaches the account of its technical contact, not its policy contact's.
TEST_F(HotlineTest, AddressedToAKindOfContact) {
  auto in = note({"KAZ"});
  in.contact_kind = "technical";
  const auto id = hotline.send(user("poc.uzb"), in)["id"].get<std::int64_t>();
  EXPECT_EQ(hotline.get(user("poc.kaz"), id)["contact_kind"], "technical");
  EXPECT_EQ(testing::status_of([&] { hotline.get(user("policy.kaz"), id); }), 404);
  EXPECT_EQ(hotline.list(user("policy.kaz"), inbox())["total"], 0);
  EXPECT_EQ(hotline.get(user("focal.kaz"), id)["id"], id);   // the focal point oversees its state's traffic
  in.contact_kind = "policy";
  const auto policy = hotline.send(user("poc.uzb"), in)["id"].get<std::int64_t>();
  EXPECT_EQ(testing::status_of([&] { hotline.get(user("poc.kaz"), policy); }), 404);
  EXPECT_EQ(hotline.get(user("policy.kaz"), policy)["you"]["can_acknowledge"], true);
  in.contact_kind = "all";
  const auto all = hotline.send(user("poc.uzb"), in);
  EXPECT_EQ(all["recipients"][0]["people"], 2);
  // Nobody of the kind: said clearly.
  in.contact_kind = "law_enforcement";
  const auto none = hotline.send(user("poc.uzb"), in);
  EXPECT_EQ(none["recipients"][0]["no_valid_contact"], true);
  EXPECT_EQ(none["recipients"][0]["people"], 0);
  bool told = false;
  for (const auto& e : none["lifecycle"]) told |= e["kind"] == "no_valid_contact" && e["state"] == "KAZ";
  EXPECT_TRUE(told);
}

TEST_F(HotlineTest, AnExpiredContactReceivesNothing) {
  t.db().write([](storage::Connection& c) {
    c.execute("UPDATE contacts SET valid_until = '2020-12-31' WHERE id = (SELECT contact_id FROM users WHERE username = 'poc.kaz')");
  });
  auto in = note({"KAZ"});
  in.contact_kind = "technical";
  const auto sent = hotline.send(user("poc.uzb"), in);
  const auto id = sent["id"].get<std::int64_t>();
  EXPECT_EQ(sent["recipients"][0]["no_valid_contact"], true);
  EXPECT_EQ(testing::status_of([&] { hotline.get(user("poc.kaz"), id); }), 404);
  std::string detail;
  for (const auto& e : sent["lifecycle"])
    if (e["kind"] == "contact_expired") detail = e["detail"].get<std::string>();
  EXPECT_NE(detail.find("poc.kaz"), std::string::npos) << detail;
  EXPECT_NE(detail.find("2020-12-31"), std::string::npos) << detail;
  // And cannot be named.
  in.recipient_contacts = {"poc.kaz"};
  EXPECT_EQ(testing::status_of([&] { hotline.send(user("poc.uzb"), in); }), 422);
}

TEST_F(HotlineTest, TheDeadlineCountsFromTheFirstOpening) {
  // Kazakhstan's policy contact works on Wednesdays two days from now, 09:00-17:00 UTC.
  const std::int64_t day = 86'400'000;
  const auto now = clock.now_ms();
  const auto in_two_days = (now / day + 2) * day;
  const char* names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  const auto weekday = names[(in_two_days / day + 3) % 7];   // 1970-01-01 was a Thursday
  t.db().write([&](storage::Connection& c) {
    c.execute("UPDATE contacts SET availability = 'office_hours', office_hours = ?, timezone = 'UTC' "
              "WHERE id = (SELECT contact_id FROM users WHERE username = 'policy.kaz')",
              {std::string(weekday) + " 09:00-17:00"});
  });
  auto in = note({"KAZ"}, 5);   // 15 minutes
  in.contact_kind = "policy";
  const auto sent = hotline.send(user("poc.uzb"), in);
  const auto id = sent["id"].get<std::int64_t>();
  const auto opens = in_two_days + 9 * 3'600'000;
  EXPECT_EQ(sent["recipients"][0]["ack_deadline_at"], rfc3339_from_ms(opens + 15 * 60'000));
  clock.advance(16 * 60'000);
  EXPECT_EQ(hotline.run_escalations(), 0);   // not at send + 15 minutes
  clock.advance(opens + 15 * 60'000 + 1000 - clock.now_ms());
  EXPECT_EQ(hotline.run_escalations(), 1);
  const auto c = hotline.get(user("poc.uzb"), id);
  EXPECT_GE(c["recipients"][0]["escalation_level"].get<int>(), 1);
}

TEST_F(HotlineTest, ANoteVerbaleHasNoSeverity) {
  auto in = note({"KAZ"}, 0, "TLP:GREEN");
  in.type = "note_verbale";
  const auto sent = hotline.send(user("poc.uzb"), in);
  EXPECT_EQ(sent["type"], "note_verbale");
  EXPECT_TRUE(sent["severity"].is_null());
}

}  // namespace
}  // namespace parley::hotline
