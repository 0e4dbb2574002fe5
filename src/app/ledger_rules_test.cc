// The ledger's read rules as registered (app/ledger_rules.h) on a LedgerService over the
// demo: accounts, forums, negotiation documents and the record keys they are found by;
// kinds without a rule stay the admin's. Hotline and exchange rules have their own tests
// beside them.
#include "app/ledger_rules.h"

#include <gtest/gtest.h>

#include "app/demo_data.h"
#include "auth/auth_service.h"
#include "common/time.h"
#include "ledger/ledger_service.h"
#include "negotiation/negotiation_service.h"
#include "storage/journal.h"
#include "testing/problems.h"
#include "testing/temp_db.h"

namespace parley::app {
namespace {

using auth::Principal;
using nlohmann::json;

class NullSink final : public EventSink {
 public:
  void publish(const Event&) override {}
};

class LedgerRulesTest : public ::testing::Test {
 protected:
  testing::TempDb t;
  NullSink sink;
  ManualTimeSource clock;
  auth::AuthService auth{t.db(), auth::AuthConfig{}};
  ledger::LedgerService ledger{t.db()};

  void SetUp() override {
    ASSERT_TRUE(load_demo_data(t.db(), auth));
    register_ledger_rules(ledger.policy());
  }

  Principal user(const std::string& username) {
    return t.db().read([&](storage::Connection& c) {
      auto r = c.query("SELECT id, role, state, forum FROM users WHERE username = ?", {username});
      Principal who;
      who.user_id = r.at(0).integer("id");
      who.username = username;
      who.role = *auth::parse_role(r.at(0).text("role"));
      who.state = r.at(0).text("state");
      who.forum = r.at(0).text("forum");
      return who;
    });
  }
  std::int64_t append(const std::string& actor, const std::string& action, const std::string& object) {
    return t.db().write([&](storage::Connection& c) {
      return storage::Journal::append(c, actor, action, object, json::object()).index();
    });
  }
  bool reads(const std::string& name, std::int64_t index) {
    return testing::status_of([&] { ledger.entry(user(name), index); }) == 0;
  }
  std::vector<std::int64_t> found(const std::string& name, const std::string& key) {
    std::vector<std::int64_t> out;
    const auto answer = ledger.records(user(name), key);
    for (const auto& r : answer["records"]) out.push_back(r["index"].get<std::int64_t>());
    return out;
  }
};

TEST_F(LedgerRulesTest, AnAccountsEntriesAreItsOwnAndTheAdmins) {
  const auto tha = user("poc.tha");
  const auto i = append("user:poc.tha", "session.create", "user:" + std::to_string(tha.user_id));
  EXPECT_TRUE(reads("poc.tha", i));
  EXPECT_TRUE(reads("admin", i));
  EXPECT_FALSE(reads("poc.kaz", i));
  EXPECT_FALSE(reads("secretariat.cica", i));
  const auto token = auth.create_token_for("cli", "poc.tha", "script", std::nullopt)["id"].get<std::int64_t>();
  const auto j = found("poc.tha", "token:" + std::to_string(token));
  ASSERT_EQ(j.size(), 1u);
  EXPECT_TRUE(reads("admin", j[0]));
  EXPECT_FALSE(reads("poc.kaz", j[0]));
  EXPECT_TRUE(found("poc.kaz", "token:" + std::to_string(token)).empty());
}

TEST_F(LedgerRulesTest, AForumsEntriesAreItsSecretariatsAndTheAdmins) {
  const auto i = append("user:admin", "forum.participation.set", "forum:CICA/state:KAZ");
  const auto j = append("user:admin", "hotline.policy.set", "forum:CICA");
  for (const auto index : {i, j}) {
    EXPECT_TRUE(reads("secretariat.cica", index));
    EXPECT_TRUE(reads("admin", index));
    EXPECT_FALSE(reads("secretariat.arf", index));
    EXPECT_FALSE(reads("focal.kaz", index));
  }
  EXPECT_FALSE(reads("secretariat.cica", append("user:admin", "forum.update", "forum:CICAX")));
}

TEST_F(LedgerRulesTest, KindsWithoutARuleAreTheAdminsAlone) {
  for (const auto* object : {"contact:1", "agency:1", "state:KAZ", "invitation:1", "reconfirmation:1", "directory",
                             "witness:1", "novel:1"}) {
    const auto i = append("cli", "x.y", object);
    EXPECT_TRUE(reads("admin", i)) << object;
    EXPECT_FALSE(reads("secretariat.cica", i)) << object;
    EXPECT_FALSE(reads("focal.kaz", i)) << object;
  }
}

TEST_F(LedgerRulesTest, ANegotiationsEntriesAreFoundByProposalAndRevisionAndReadAsTheDocument) {
  negotiation::NegotiationService neg{t.db(), sink, clock, nullptr};
  negotiation::DocumentInput in;
  in.forum = "CICA";
  in.symbol = "CICA/T/1";
  in.title = "T";
  in.text = "# T\n\n1. We decide to exchange points of contact.\n";
  const auto doc = neg.create(user("secretariat.cica"), in)["id"].get<std::int64_t>();
  negotiation::ProposalInput p;
  p.kind = "delete";
  p.paragraph = "p1";
  p.text = "exchange";
  const auto pid = neg.propose(user("poc.kaz"), doc, p)["proposal"].get<std::string>();
  neg.position(user("poc.uzb"), doc, pid, std::nullopt, "support");
  neg.circulate(user("secretariat.cica"), doc);
  const auto key = "proposal:" + std::to_string(doc) + ":" + pid;
  const auto made = found("poc.tha", key);
  ASSERT_EQ(made.size(), 2u);   // made, supported
  const auto circulated = found("poc.tha", "revision:" + std::to_string(doc) + ":0");
  ASSERT_EQ(circulated.size(), 1u);
  EXPECT_EQ(json::parse(ledger.entry(user("poc.tha"), circulated[0]))["action"], "negotiation.revision.circulated");
  const auto whole = found("poc.tha", "negotiation:document:" + std::to_string(doc));
  for (const auto i : made) EXPECT_NE(std::find(whole.begin(), whole.end(), i), whole.end());
  // A restricted document: not for an observer state's people or another forum's secretariat.
  for (const auto* name : {"poc.jpn", "secretariat.arf"}) {
    EXPECT_TRUE(found(name, key).empty()) << name;
    EXPECT_FALSE(reads(name, made[0])) << name;
  }
  EXPECT_TRUE(reads("admin", made[0]));
}

TEST_F(LedgerRulesTest, RecordsOfABusyKeyComeInPagesThatMissNothing) {
  std::vector<std::int64_t> written;
  t.db().write([&](storage::Connection& c) {
    for (int i = 0; i < 1205; ++i) {
      written.push_back(storage::Journal::append(c, "user:admin", "forum.update", "forum:TESTF", json::object()).index());
      storage::Journal::append(c, "user:admin", "forum.update", "forum:CICA", json::object());   // interleaved, elsewhere
    }
  });
  std::vector<std::int64_t> seen;
  std::int64_t after = -1;
  int pages = 0;
  for (;; ++pages) {
    const auto page = ledger.records(user("admin"), "forum:TESTF", after);
    for (const auto& r : page["records"]) seen.push_back(r["index"].get<std::int64_t>());
    if (page["next"].is_null()) break;
    after = page["next"].get<std::int64_t>();
    ASSERT_LT(pages, 5);
  }
  EXPECT_EQ(pages, 1);   // 1,205 entries: two pages
  EXPECT_EQ(seen, written);
  EXPECT_TRUE(ledger.records(user("secretariat.cica"), "forum:TESTF")["records"].empty());
}

}  // namespace
}  // namespace parley::app
