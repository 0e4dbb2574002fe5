#include "directory/forum_admin.h"

#include <gtest/gtest.h>

#include "common/accept_language.h"
#include "common/time.h"
#include "directory/directory_service.h"
#include "directory/directory_store.h"
#include "directory/iso3166.h"
#include "storage/journal.h"
#include "testing/problems.h"
#include "testing/temp_db.h"

namespace parley::directory {
namespace {

using auth::Principal;
using auth::Role;
using testing::status_of;

class NullSink final : public EventSink {
 public:
  void publish(const Event& e) override { events.push_back(e.type); }
  std::vector<std::string> events;
};

class ForumAdminTest : public ::testing::Test {
 protected:
  testing::TempDb t;
  NullSink sink;
  ForumAdmin admin_svc{t.db(), sink};
  DirectoryService dir{t.db(), sink};
  Principal admin{1, "admin", "Admin", Role::kAdmin, "", "", false, "", 0};
  Principal sec_osce{2, "sec.osce", "S", Role::kSecretariat, "", "OSCE", false, "", 0};
  Principal sec_other{3, "sec.arf", "S", Role::kSecretariat, "", "ARF", false, "", 0};

  ForumInput osce() {
    auto in = JsonInput::parse(R"({"code": "osce", "names": {"en": {"name": "Organization for Security and Co-operation in Europe", "abbreviation": "OSCE"}, "ru": {"name": "Организация по безопасности и сотрудничеству в Европе", "abbreviation": "ОБСЕ"}}, "languages": ["en", "ru"], "timezone": "Europe/Vienna"})");
    return ForumInput::parse(in, false);
  }
  static ParticipationInput kind(const std::string& k, const std::string& joined = "", const std::string& left = "") {
    ParticipationInput p;
    p.kind = k;
    if (!joined.empty()) p.joined_on = joined;
    if (!left.empty()) p.left_on = left;
    return p;
  }
  bool member(const std::string& forum, const std::string& a3) {
    return t.db().read([&](storage::Connection& c) { return DirectoryStore::is_member(c, forum, a3); });
  }
};

TEST_F(ForumAdminTest, TheMigrationLoadedIso3166WithNamesPerLanguage) {
  t.db().read([](storage::Connection& c) {
    EXPECT_EQ(c.query("SELECT COUNT(*) AS n FROM states WHERE iso = 1")[0].integer("n"), 249);
    auto name = [&](const char* a3, const char* lang) {
      auto r = c.query("SELECT name FROM state_names WHERE alpha3 = ? AND language = ?", {a3, lang});
      return r.empty() ? std::string() : r[0].text("name");
    };
    EXPECT_EQ(name("KAZ", "ru"), "Казахстан");
    EXPECT_EQ(name("KAZ", "en"), "Kazakhstan");
    EXPECT_EQ(name("FRA", "fr"), "France");
    EXPECT_EQ(name("CHN", "zh-Hans"), "中国");
    EXPECT_EQ(name("CHN", "zh"), "中国");
    EXPECT_FALSE(name("DEU", "ar").empty());
    EXPECT_FALSE(name("DEU", "es").empty());
    EXPECT_FALSE(name("SRB", "sr-Latn").empty());
    EXPECT_FALSE(name("BRA", "pt-BR").empty());
    EXPECT_FALSE(name("TWN", "zh-Hant").empty());
    EXPECT_EQ(c.query("SELECT alpha2 FROM states WHERE alpha3 = 'AUT'")[0].text("alpha2"), "AT");
  });
}

TEST(Iso3166, LocaleFoldersBecomeBcp47Tags) {
  EXPECT_EQ(bcp47_from_locale("zh_CN"), "zh-Hans");
  EXPECT_EQ(bcp47_from_locale("zh_TW"), "zh-Hant");
  EXPECT_EQ(bcp47_from_locale("pt_BR"), "pt-BR");
  EXPECT_EQ(bcp47_from_locale("sr@latin"), "sr-Latn");
  EXPECT_EQ(bcp47_from_locale("uz@cyrillic"), "uz-Cyrl");
  EXPECT_EQ(bcp47_from_locale("ru"), "ru");
  EXPECT_EQ(bcp47_from_locale("en@quot"), "");
}

TEST(Iso3166, AMissingIsoCodesFolderIsRefusedWithAClearMessage) {
  testing::TempDb t;
  try {
    t.db().write([](storage::Connection& c) { load_iso3166(c, "/nonexistent"); });
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("iso-codes"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("/nonexistent/iso-codes/json/iso_3166-1.json"), std::string::npos);
  }
}

TEST_F(ForumAdminTest, AdminCreatesAForumAndOnlyCurrentMembersAreMembers) {
  EXPECT_EQ(status_of([&] { admin_svc.create_forum(sec_osce, osce()); }), 403);
  auto f = admin_svc.create_forum(admin, osce());
  EXPECT_EQ(f["code"], "OSCE");
  EXPECT_EQ(f["abbreviation"], "OSCE");
  EXPECT_EQ(status_of([&] { admin_svc.create_forum(admin, osce()); }), 409);

  admin_svc.set_participation(admin, "OSCE", "AUT", kind("member"));
  admin_svc.set_participation(admin, "OSCE", "JPN", kind("partner"));
  admin_svc.set_participation(admin, "OSCE", "MNG", kind("member", "2099-01-01"));
  EXPECT_TRUE(member("OSCE", "AUT"));
  EXPECT_FALSE(member("OSCE", "JPN")) << "a partner is no member";
  EXPECT_FALSE(member("OSCE", "MNG")) << "not before joining";
  EXPECT_EQ(status_of([&] { admin_svc.set_participation(sec_osce, "OSCE", "DEU", kind("member")); }), 403);

  admin_svc.end_participation(admin, "OSCE", "AUT");
  EXPECT_FALSE(member("OSCE", "AUT")) << "leaving ends membership today";
  EXPECT_EQ(status_of([&] { admin_svc.end_participation(admin, "OSCE", "AUT"); }), 404);
  const auto all = admin_svc.participants(admin, "OSCE", "en");
  bool kept = false;
  for (const auto& p : all)
    if (p["state"] == "AUT") kept = p["left_on"] == today_date() && p["current"] == false;
  EXPECT_TRUE(kept) << all.dump();
  // Joining again may not go back into the period that ended.
  EXPECT_EQ(status_of([&] { admin_svc.set_participation(admin, "OSCE", "AUT", kind("member", "2000-01-01")); }), 422);
  t.db().read([](storage::Connection& c) {
    EXPECT_EQ(c.query("SELECT COUNT(*) AS n FROM journal WHERE action LIKE 'forum.%'")[0].integer("n"), 5);
  });
}

TEST_F(ForumAdminTest, AnObserverBecomingAMemberKeepsItsHistory) {
  admin_svc.create_forum(admin, osce());
  admin_svc.set_participation(admin, "OSCE", "KAZ", kind("observer", "2020-01-01"));
  auto r = admin_svc.set_participation(admin, "OSCE", "KAZ", kind("member", "2021-06-01"));
  ASSERT_EQ(r["periods"].size(), 2u);
  EXPECT_EQ(r["periods"][0]["left_on"], "2021-06-01");
  EXPECT_EQ(r["periods"][1]["kind"], "member");
  EXPECT_TRUE(member("OSCE", "KAZ"));
}

TEST_F(ForumAdminTest, GroupsAreTheAdminsOrTheForumsSecretariats) {
  admin_svc.create_forum(admin, osce());
  admin_svc.set_participation(admin, "OSCE", "AUT", kind("member"));
  GroupInput g;
  g.names = {{"en", "Alpine States"}, {"ru", "Альпийские государства"}};
  g.members = {"AUT"};
  admin_svc.set_group(sec_osce, "OSCE", "ALPS", g);
  EXPECT_EQ(status_of([&] { admin_svc.set_group(sec_other, "OSCE", "ALPS", g); }), 403);
  g.members = {"AUT", "CHE"};
  EXPECT_EQ(status_of([&] { admin_svc.set_group(admin, "OSCE", "ALPS", g); }), 422) << "CHE does not participate";
  const auto groups = admin_svc.groups(admin, "OSCE", parse_accept_language("ru"), "ru");
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0]["name"], "Альпийские государства");
  EXPECT_EQ(groups[0]["members"][0]["name"], "Австрия");
  admin_svc.delete_group(sec_osce, "OSCE", "ALPS");
  EXPECT_EQ(status_of([&] { admin_svc.delete_group(admin, "OSCE", "ALPS"); }), 404);
}

TEST_F(ForumAdminTest, NonStateParticipantsHaveTheirOwnCodesAndNames) {
  auto in = JsonInput::parse(R"({"code": "EUU", "kind": "organization", "names": {"en": "European Union", "fr": "Union européenne", "ru": "Европейский союз"}})");
  const auto s = admin_svc.create_state(admin, StateInput::parse(in, false));
  EXPECT_EQ(s["names"]["fr"], "Union européenne");
  auto iso = JsonInput::parse(R"({"code": "AUT", "names": {"en": "Austria"}})");
  EXPECT_EQ(status_of([&] { admin_svc.create_state(admin, StateInput::parse(iso, false)); }), 409);
  EXPECT_EQ(dir.state(admin, "EUU", parse_accept_language("ru"))["name"], "Европейский союз");
  EXPECT_EQ(dir.state(admin, "EUU", parse_accept_language("de"))["name"], "European Union") << "English is the fallback";
  EXPECT_EQ(dir.state(admin, "KAZ", parse_accept_language("ru, en;q=0.5"))["name"], "Казахстан");
}

}  // namespace
}  // namespace parley::directory
