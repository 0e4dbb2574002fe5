#include "directory/directory_service.h"

#include <gtest/gtest.h>

#include "storage/journal.h"
#include "testing/problems.h"
#include "testing/temp_db.h"

namespace parley::directory {
namespace {

using auth::Principal;
using auth::Role;

class RecordingSink final : public EventSink {
 public:
  void publish(const Event& e) override { events.push_back(e); }
  std::vector<Event> events;
};

class DirectoryTest : public ::testing::Test {
 protected:
  testing::TempDb t;
  RecordingSink sink;
  DirectoryService dir{t.db(), sink};
  Principal admin{1, "admin", "Admin", Role::kAdmin, "", "", false, "", 0, false};
  Principal focal_kaz{2, "focal.kaz", "F", Role::kFocalPoint, "KAZ", "", false, "", 0, false};
  Principal focal_tha{3, "focal.tha", "F", Role::kFocalPoint, "THA", "", false, "", 0, false};
  Principal sec_cica{4, "secretariat.cica", "S", Role::kSecretariat, "", "CICA", false, "", 0, false};
  Principal sec_arf{5, "secretariat.arf", "S", Role::kSecretariat, "", "ARF", false, "", 0, false};
  Principal poc_kaz{6, "poc.kaz", "P", Role::kPointOfContact, "KAZ", "", false, "", 0, false};

  void SetUp() override {
    t.db().write([](storage::Connection& c) {
      DirectoryStore::upsert_state(c, "KAZ", "Kazakhstan", "state");
      DirectoryStore::upsert_state(c, "THA", "Thailand", "state");
      DirectoryStore::upsert_forum(c, "CICA", "CICA", "Secretariat", {"en", "ru"}, "");
      DirectoryStore::upsert_forum(c, "ARF", "ARF", "Unit", {"en"}, "");
      DirectoryStore::add_member(c, "CICA", "KAZ");
      DirectoryStore::add_member(c, "CICA", "THA");
      DirectoryStore::add_member(c, "ARF", "THA");
    });
  }

  static ContactInput input(const std::string& state, const std::string& name) {
    ContactInput in;
    in.state = state;
    in.name = name;
    in.type = "technical";
    in.availability = "24/7";
    in.languages = std::vector<std::string>{"ru", "en"};
    return in;
  }
};

using testing::status_of;

TEST_F(DirectoryTest, FocalPointAdditionIsANominationTheForumSecretariatDecides) {
  auto k = dir.create(focal_kaz, input("KAZ", "Aigerim Test"));
  EXPECT_EQ(k.status, "pending");
  // Not visible to a point of contact, nor to the secretariat of a forum KAZ is not in.
  EXPECT_EQ(status_of([&] { dir.contact(poc_kaz, k.id); }), 404);
  EXPECT_EQ(status_of([&] { dir.decide(sec_arf, k.id, true, ""); }), 404);
  EXPECT_EQ(status_of([&] { dir.decide(focal_kaz, k.id, true, ""); }), 403);
  // The nomination's event reaches only those who manage KAZ.
  ASSERT_FALSE(sink.events.empty());
  const auto& audience = sink.events.back().audience;
  ASSERT_TRUE(static_cast<bool>(audience));
  EXPECT_TRUE(audience(Subscriber{4, "secretariat.cica", "secretariat", "", "CICA", ""}));
  EXPECT_FALSE(audience(Subscriber{5, "secretariat.arf", "secretariat", "", "ARF", ""}));
  EXPECT_TRUE(audience(Subscriber{2, "focal.kaz", "focal_point", "KAZ", "", ""}));
  EXPECT_FALSE(audience(Subscriber{3, "focal.tha", "focal_point", "THA", "", ""}));
  EXPECT_FALSE(audience(Subscriber{6, "poc.kaz", "poc", "KAZ", "", ""}));
  auto approved = dir.decide(sec_cica, k.id, true, "welcome");
  EXPECT_EQ(approved.status, "active");
  EXPECT_EQ(approved.decided_by, "secretariat.cica");
  EXPECT_EQ(dir.contact(poc_kaz, k.id).name, "Aigerim Test");
  EXPECT_EQ(status_of([&] { dir.decide(sec_cica, k.id, false, "again"); }), 409);
}

TEST_F(DirectoryTest, ScopesAreEnforcedOnWrites) {
  EXPECT_EQ(status_of([&] { dir.create(focal_tha, input("KAZ", "Not Mine")); }), 403);
  EXPECT_EQ(status_of([&] { dir.create(poc_kaz, input("KAZ", "Poc Cannot")); }), 403);
  EXPECT_EQ(status_of([&] { dir.create(sec_arf, input("KAZ", "Not Member")); }), 403);
  auto k = dir.create(sec_cica, input("KAZ", "By Secretariat"));
  EXPECT_EQ(k.status, "active");
  ContactInput edit;
  edit.position = "Head";
  EXPECT_EQ(status_of([&] { dir.update(focal_tha, k.id, edit, std::nullopt); }), 403);
  EXPECT_EQ(dir.update(focal_kaz, k.id, edit, std::nullopt).position, "Head");
  EXPECT_EQ(status_of([&] { dir.remove(poc_kaz, k.id); }), 403);
}

TEST_F(DirectoryTest, DuplicatesUnknownStatesAndStaleVersionsAreRefused) {
  auto k = dir.create(admin, input("KAZ", "Same Name"));
  EXPECT_EQ(status_of([&] { dir.create(admin, input("KAZ", "same name")); }), 409);
  EXPECT_EQ(status_of([&] { dir.create(admin, input("XQZ", "Nobody")); }), 422);
  ContactInput edit;
  edit.position = "X";
  EXPECT_EQ(status_of([&] { dir.update(admin, k.id, edit, k.version + 1); }), 412);
  EXPECT_EQ(dir.update(admin, k.id, edit, k.version).version, k.version + 1);
}

TEST_F(DirectoryTest, SearchFiltersAndJournalsEveryChange) {
  dir.create(admin, input("KAZ", "Daniyar Search"));
  auto other = input("THA", "Somchai Search");
  other.type = "policy";
  other.languages = std::vector<std::string>{"th", "en"};
  dir.create(admin, other);
  ContactQuery q;
  q.q = "search";
  EXPECT_EQ(dir.search(poc_kaz, q).total, 2);
  q.forum = "ARF";
  EXPECT_EQ(dir.search(poc_kaz, q).total, 1);
  q.forum.reset();
  q.language = "ru";
  EXPECT_EQ(dir.search(poc_kaz, q).items.at(0).state, "KAZ");
  q.language.reset();
  q.type = "policy";
  EXPECT_EQ(dir.search(poc_kaz, q).items.at(0).state, "THA");
  q.type.reset();
  q.status = "pending";
  EXPECT_EQ(status_of([&] { dir.search(poc_kaz, q); }), 403);

  auto report = t.db().read([](storage::Connection& c) { return storage::Journal::verify(c); });
  EXPECT_EQ(report.entries, 2);
  EXPECT_FALSE(report.broken_at.has_value());
  EXPECT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[0].type, "directory.contact.created");
}

TEST_F(DirectoryTest, AgencyMustBelongToTheContactsState) {
  auto a = dir.create_agency(admin, "THA", AgencyInput{"ThaiCERT demo", "cert", ""});
  auto in = input("KAZ", "Wrong Agency");
  in.agency_id = a.id;
  EXPECT_EQ(status_of([&] { dir.create(admin, in); }), 422);
  EXPECT_EQ(status_of([&] { dir.create_agency(focal_kaz, "THA", AgencyInput{"X", "cert", ""}); }), 403);
}

}  // namespace
}  // namespace parley::directory
