// A forum's witnesses over a real database: the alarms. A refusal is journaled once,
// mailed to that forum's secretariat and every admin (no one else), pushed to them
// only, and raised again only after the witness has cosigned in between; an
// inconsistent log alarms once until a checkpoint is signed again.
#include "ledger/witnesses.h"

#include <gtest/gtest.h>

#include "common/time_source.h"
#include "storage/journal.h"
#include "testing/temp_db.h"
#include "tlog/note.h"

namespace parley::ledger {
namespace {

using storage::Connection;

class RecordingSink final : public EventSink {
 public:
  void publish(const Event& e) override { events.push_back(e); }
  std::vector<Event> events;
};

struct WitnessAlarms : ::testing::Test {
  testing::TempDb t;
  RecordingSink sink;
  SystemTimeSource clock;
  mail::MailConfig mail{"smtp://127.0.0.1:1", "", "", "parley@test", "https://parley.test"};
  WitnessService service{t.db(), sink, clock, mail};
  auth::Principal sec{4, "secretariat.cica", "S", auth::Role::kSecretariat, "", "CICA", false, "", 0, false};
  int mailed = 0;
  std::int64_t id = 0;

  void SetUp() override {
    service.on_mail([this] { ++mailed; });
    t.db().write([](Connection& c) {
      c.execute("INSERT INTO forums(code, name) VALUES ('CICA', 'CICA'), ('ARF', 'ARF')");
      const char* users[][4] = {{"admin", "admin", "", "admin@test"},
                                {"secretariat.cica", "secretariat", "CICA", "sec.cica@test"},
                                {"secretariat.arf", "secretariat", "ARF", "sec.arf@test"},
                                {"off.admin", "admin", "", "off@test"}};
      for (const auto& u : users)
        c.execute("INSERT INTO users(username, display_name, email, role, forum, password_hash, disabled, created_at,"
                  " updated_at) VALUES (?, ?, ?, ?, NULLIF(?, ''), 'x', ?, 'now', 'now')",
                  {std::string(u[0]), std::string(u[0]), std::string(u[3]), std::string(u[1]), std::string(u[2]),
                   std::int64_t{std::string(u[0]) == "off.admin" ? 1 : 0}});
    });
    JsonInput in(nlohmann::json{{"url", "http://127.0.0.1:9/w"},
                                {"vkey", tlog::Signer::generate("cert.kaz/w", tlog::kCosignatureV1).verifier().vkey()}},
                 "");
    id = service.add(sec, "CICA", in)["id"].get<std::int64_t>();
  }
  std::vector<std::string> mails_to() {
    return t.db().read([](Connection& c) {
      std::vector<std::string> out;
      for (const auto& r : c.query("SELECT to_addr FROM mail_outbox ORDER BY id")) out.push_back(r.text("to_addr"));
      return out;
    });
  }
  int journaled(const std::string& action) {
    return t.db().read([&](Connection& c) {
      return static_cast<int>(c.query("SELECT seq FROM journal WHERE action = ?", {action}).size());
    });
  }
};

TEST_F(WitnessAlarms, ARefusalAlarmsTheForumsSecretariatAndAdminsOnce) {
  service.record_refusal({id}, "the witness found the checkpoint inconsistent (422)");
  EXPECT_EQ(journaled("ledger.witness.refused"), 1);
  EXPECT_EQ(mails_to(), (std::vector<std::string>{"admin@test", "sec.cica@test"}));   // not ARF's, not disabled
  EXPECT_EQ(mailed, 1);
  ASSERT_EQ(sink.events.back().type, "ledger.witness.refused");
  const auto& audience = sink.events.back().audience;
  EXPECT_TRUE(audience(Subscriber{1, "admin", "admin", "", "", ""}));
  EXPECT_TRUE(audience(Subscriber{4, "secretariat.cica", "secretariat", "", "CICA", ""}));
  EXPECT_FALSE(audience(Subscriber{5, "secretariat.arf", "secretariat", "", "ARF", ""}));
  EXPECT_FALSE(audience(Subscriber{6, "poc.kaz", "poc", "KAZ", "", ""}));
  const auto listed = service.list(sec, "CICA")["witnesses"][0];
  EXPECT_TRUE(listed["refused_at"].is_string());
  EXPECT_EQ(listed["refusal"], "the witness found the checkpoint inconsistent (422)");

  // Refusing again raises nothing new; cosigning clears it; a new refusal alarms again.
  service.record_refusal({id}, "again");
  EXPECT_EQ(journaled("ledger.witness.refused"), 1);
  EXPECT_EQ(mails_to().size(), 2u);
  service.record_cosigned({id}, 7);
  auto w = service.list(sec, "CICA")["witnesses"][0];
  EXPECT_TRUE(w["refused_at"].is_null());
  EXPECT_EQ(w["cosigned_size"], 7);
  EXPECT_TRUE(w["last_cosigned_at"].is_string());
  service.record_refusal({id}, "once more");
  EXPECT_EQ(journaled("ledger.witness.refused"), 2);
  // Being down is no alarm.
  service.record_error({id}, "cannot reach the witness");
  EXPECT_EQ(mails_to().size(), 4u);
  EXPECT_EQ(service.list(sec, "CICA")["witnesses"][0]["last_error"], "cannot reach the witness");
}

TEST_F(WitnessAlarms, AnInconsistentLogAlarmsOnceUntilACheckpointIsSigned) {
  service.alarm_inconsistent("entries before it were altered");
  service.alarm_inconsistent("entries before it were altered");
  EXPECT_EQ(journaled("ledger.inconsistent"), 1);
  // Every admin and every forum's secretariat.
  EXPECT_EQ(mails_to(), (std::vector<std::string>{"admin@test", "sec.cica@test", "sec.arf@test"}));
  EXPECT_EQ(sink.events.back().type, "ledger.inconsistent");
  service.checkpoint_signed();
  service.alarm_inconsistent("entries were removed");
  EXPECT_EQ(journaled("ledger.inconsistent"), 2);
}

TEST_F(WitnessAlarms, OnlyTheForumsSecretariatOrAnAdminChangesTheList) {
  auth::Principal arf{5, "secretariat.arf", "S", auth::Role::kSecretariat, "", "ARF", false, "", 0, false};
  auth::Principal poc{6, "poc.kaz", "P", auth::Role::kPointOfContact, "KAZ", "", false, "", 0, false};
  JsonInput in(nlohmann::json{{"url", "http://x.test"}, {"vkey", "x"}}, "");
  EXPECT_THROW(service.add(arf, "CICA", in), Problem);
  EXPECT_THROW(service.remove(poc, "CICA", id), Problem);
  EXPECT_THROW(service.remove(arf, "ARF", id), Problem);   // another forum's witness: 404
  EXPECT_THROW(service.list(arf, "CICA"), Problem);
  service.remove(sec, "CICA", id);
  EXPECT_TRUE(service.list(sec, "CICA")["witnesses"].empty());
  EXPECT_EQ(journaled("ledger.witness.remove"), 1);
}

}  // namespace
}  // namespace parley::ledger
