// The exchange's ledger read rule (exchange/ledger_rule.h) and the entries it decides on:
// one per TLP label of a batch, committing to each object, indexed under stix:<id>.
#include "exchange/ledger_rule.h"

#include <gtest/gtest.h>

#include <map>

#include "app/demo_data.h"
#include "auth/auth_service.h"
#include "crypto/hash.h"
#include "exchange/exchange_service.h"
#include "storage/journal.h"
#include "storage/ledger_refs.h"
#include "testing/temp_db.h"

namespace parley::exchange {
namespace {

using auth::Principal;
using nlohmann::json;

class NullSink final : public EventSink {
 public:
  void publish(const Event&) override {}
};

json indicator(int n, Tlp tlp) {
  return {{"type", "indicator"},
          {"spec_version", "2.1"},
          {"id", "indicator--00000000-0000-4000-8000-00000000000" + std::to_string(n)},
          {"created", "2024-05-01T10:00:00.000Z"},
          {"modified", "2024-05-02T10:00:00.000Z"},
          {"name", "ind"},
          {"pattern", "[ipv4-addr:value = '198.51.100." + std::to_string(n) + "']"},
          {"pattern_type", "stix"},
          {"valid_from", "2024-05-01T10:00:00Z"},
          {"object_marking_refs", {std::string(marking_of(tlp).marking_id)}}};
}

class ExchangeLedgerRuleTest : public ::testing::Test {
 protected:
  testing::TempDb t;
  NullSink sink;
  auth::AuthService auth{t.db(), auth::AuthConfig{}};
  ExchangeService ex{t.db(), sink};

  void SetUp() override { ASSERT_TRUE(app::load_demo_data(t.db(), auth)); }

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

  // The entries recording stix:<id>.
  std::vector<storage::JournalEntry> recording(const std::string& stix_id) {
    return t.db().read([&](storage::Connection& c) {
      std::vector<storage::JournalEntry> out;
      for (const auto seq : storage::ledger_refs::entries(c, "stix:" + stix_id, 100))
        out.push_back(*storage::Journal::at_index(c, seq - 1));
      return out;
    });
  }
  bool rule(const Principal& who, const storage::JournalEntry& e) {
    return t.db().read([&](storage::Connection& c) { return may_read_collection_entry(c, who, e); });
  }
};

TEST_F(ExchangeLedgerRuleTest, EachLabelIsRecordedApartAndReadByWhoSeesIt) {
  CollectionInput in;
  in.title = "KAZ-UZB";
  in.kind = "bilateral";
  in.states = {"KAZ", "UZB"};
  in.people = {"poc.uzb"};
  const auto kaz = user("poc.kaz");
  const auto col = ex.create_collection(user("focal.kaz"), "CICA", in);
  const auto green = indicator(1, Tlp::kGreen), strict = indicator(2, Tlp::kAmberStrict), red = indicator(3, Tlp::kRed);
  const auto text = json{{"type", "bundle"}, {"id", "bundle--00000000-0000-4000-8000-000000000009"},
                         {"objects", {green, strict, red}}}.dump();
  auto reader = BundleReader::of(text);
  ASSERT_EQ(ex.ingest(kaz, ex.collection(kaz, "CICA", col.collection.id), reader, false).stored, 3u);

  std::map<std::string, storage::JournalEntry> by_label;
  for (const auto* o : {&green, &strict, &red}) {
    const auto list = recording((*o)["id"].get<std::string>());
    ASSERT_EQ(list.size(), 1u);
    const auto change = json::parse(list[0].change);
    ASSERT_EQ(change["stix"].size(), 1u);
    const auto& item = change["stix"][0];   // [id, modified, sha256]
    EXPECT_EQ(item, json::array({(*o)["id"], "2024-05-02T10:00:00.000Z", crypto::sha256_hex(o->dump())}));
    EXPECT_EQ(change["producer_state"], "KAZ");
    by_label[change["tlp"].get<std::string>()] = list[0];
  }
  ASSERT_EQ(by_label.size(), 3u);
  const auto& g = by_label.at("TLP:GREEN");
  const auto& s = by_label.at("TLP:AMBER+STRICT");
  const auto& r = by_label.at("TLP:RED");
  // Its producer and the named person see all; the other state's focal point all but RED.
  for (const auto* e : {&g, &s, &r}) {
    EXPECT_TRUE(rule(kaz, *e));
    EXPECT_TRUE(rule(user("poc.uzb"), *e));
  }
  EXPECT_TRUE(rule(user("focal.uzb"), g));
  EXPECT_TRUE(rule(user("focal.uzb"), s));
  EXPECT_FALSE(rule(user("focal.uzb"), r));
  // The producing state's people (not RED), the secretariat (not STRICT, not RED).
  EXPECT_TRUE(rule(user("focal.kaz"), s));
  EXPECT_FALSE(rule(user("focal.kaz"), r));
  EXPECT_TRUE(rule(user("secretariat.cica"), g));
  EXPECT_FALSE(rule(user("secretariat.cica"), s));
  EXPECT_FALSE(rule(user("secretariat.cica"), r));
  // Outside the scope: nothing; the admin has no reading right of its own.
  for (const auto& name : {"poc.tha", "secretariat.arf", "admin", "poc.jpn"}) {
    EXPECT_FALSE(rule(user(name), g)) << name;
    EXPECT_FALSE(rule(user(name), r)) << name;
  }
  // An entry naming objects without labels (the format before them) needs every label.
  auto old = g;
  old.change = R"({"first":"indicator--a","last":"indicator--b","objects":2,"sha256":"00"})";
  EXPECT_FALSE(rule(user("focal.uzb"), old));
  EXPECT_TRUE(rule(user("poc.uzb"), old));   // in scope and named: sees every label
  auto forged = g;
  forged.change = R"({"stix":[["x","","00"]],"tlp":"TLP:PURPLE"})";
  EXPECT_FALSE(rule(user("focal.uzb"), forged));
  forged.change = R"({"stix":[["x","","00"]],"tlp":["TLP:GREEN"]})";
  EXPECT_FALSE(rule(user("focal.uzb"), forged));
}

}  // namespace
}  // namespace parley::exchange
