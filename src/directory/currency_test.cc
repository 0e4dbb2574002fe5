// Keeping the directory current: the expired flag (API JSON and export), the CSV import
// (dry run, idempotent re-run, all-or-nothing, scope) and the reconfirmation (reminders
// sent once across restarts, confirmation recorded on each contact).
#include <gtest/gtest.h>

#include "common/time.h"
#include "common/time_source.h"
#include "directory/csv_import.h"
#include "directory/directory_service.h"
#include "directory/directory_store.h"
#include "directory/export.h"
#include "directory/reconfirmation.h"
#include "mail/outbox.h"
#include "storage/journal.h"
#include "testing/problems.h"
#include "testing/temp_db.h"

namespace parley::directory {
namespace {

using auth::Principal;
using auth::Role;
using testing::status_of;

class CurrencyTest : public ::testing::Test {
 protected:
  testing::TempDb t;
  NullEventSink sink;
  DirectoryService dir{t.db(), sink};
  ContactImporter importer{t.db(), sink};
  Principal admin{1, "admin", "Admin", Role::kAdmin, "", "", false, "", 0};
  Principal focal_kaz{2, "focal.kaz", "F", Role::kFocalPoint, "KAZ", "", false, "", 0};
  Principal focal_tha{3, "focal.tha", "F", Role::kFocalPoint, "THA", "", false, "", 0};
  Principal sec_cica{4, "secretariat.cica", "S", Role::kSecretariat, "", "CICA", false, "", 0};
  Principal sec_arf{5, "secretariat.arf", "S", Role::kSecretariat, "", "ARF", false, "", 0};
  Principal poc_kaz{6, "poc.kaz", "P", Role::kPointOfContact, "KAZ", "", false, "", 0};

  void SetUp() override {
    t.db().write([](storage::Connection& c) {
      DirectoryStore::upsert_state(c, "KAZ", "Kazakhstan", "state");
      DirectoryStore::upsert_state(c, "THA", "Thailand", "state");
      DirectoryStore::upsert_state(c, "USA", "United States of America", "state");
      DirectoryStore::upsert_forum(c, "CICA", "CICA", "Secretariat", {"en", "ru"}, "");
      DirectoryStore::upsert_forum(c, "ARF", "ARF", "Unit", {"en"}, "");
      DirectoryStore::add_member(c, "CICA", "KAZ");
      DirectoryStore::add_member(c, "CICA", "THA");
      DirectoryStore::add_member(c, "ARF", "THA");
      DirectoryStore::add_member(c, "ARF", "USA");
      for (const auto& [u, s] : std::vector<std::pair<std::string, std::string>>{{"focal.kaz", "KAZ"}, {"focal.tha", "THA"}})
        c.execute("INSERT INTO users(username, display_name, email, role, state, password_hash, created_at, updated_at)"
                  " VALUES (?, ?, ?, 'focal_point', ?, 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                  {u, u, u + "@example.org", s});
    });
  }

  std::int64_t journal() {
    return t.db().read([](storage::Connection& c) { return storage::Journal::head(c); });
  }
  std::int64_t outbox() {
    return t.db().read([](storage::Connection& c) { return mail::Outbox::pending(c); });
  }

  ImportRequest request(const std::string& csv, bool dry_run) {
    ImportRequest r;
    r.csv = csv;
    r.mapping = std::vector<std::pair<std::string, std::string>>{
        {"Country", "state"}, {"Full name", "name"}, {"Type", "type"}, {"E-mail", "email"}, {"Phone", "phone"}};
    r.defaults = {{"availability", "24/7"}};
    r.dry_run = dry_run;
    return r;
  }
};

const char* kSheet =
    "\xEF\xBB\xBF" "Country;Full name;Type;E-mail;Phone;Comment\r\n"
    "KAZ;Aigerim Alden;Technical;cert@example.kz;+7 717 270 00 00;\"first; with \"\"quotes\"\"\r\nand a line\"\r\n"
    "Thailand;Somchai Wren;policy;mfa@example.th;;\r\n";

TEST_F(CurrencyTest, ExpiredContactsAreFlaggedInJsonAndExport) {
  ContactInput in;
  in.state = "KAZ";
  in.name = "Old Contact";
  in.type = "policy";
  in.availability = "24/7";
  in.valid_until = "2020-01-31";
  auto k = dir.create(admin, in);
  EXPECT_TRUE(k.to_json()["expired"].get<bool>());
  EXPECT_TRUE(k.expired("2020-02-01"));
  EXPECT_FALSE(k.expired("2020-01-31"));   // valid through its last day
  const auto csv = to_csv({k}, "2020-02-01");
  EXPECT_NE(csv.find(",expired,confirmed_at\r\n"), std::string::npos);
  EXPECT_NE(csv.find(",yes,\r\n"), std::string::npos);
  EXPECT_NE(to_csv({k}, "2020-01-15").find(",no,\r\n"), std::string::npos);
  EXPECT_NE(to_vcard({k}, "2020-02-01").find("EXPIRED"), std::string::npos);
  EXPECT_EQ(to_vcard({k}, "2020-01-15").find("EXPIRED"), std::string::npos);
  ContactQuery q;
  q.expired = true;
  EXPECT_EQ(dir.search(admin, q).total, 1);
  q.expired = false;
  EXPECT_EQ(dir.search(admin, q).total, 0);
}

TEST_F(CurrencyTest, DryRunReportsEachRowAndWritesNothing) {
  const auto before = journal();
  const auto r = importer.run(&admin, request(kSheet, true));
  EXPECT_EQ(r["separator"], ";");
  ASSERT_EQ(r["rows"].size(), 2u);
  EXPECT_EQ(r["rows"][0]["row"], 2);
  EXPECT_EQ(r["rows"][0]["action"], "create");
  EXPECT_EQ(r["rows"][1]["row"], 3);   // the line break inside row 2 is not a row
  EXPECT_EQ(r["rows"][1]["state"], "THA");   // resolved from the state's name
  EXPECT_EQ(r["summary"]["create"], 2);
  EXPECT_EQ(journal(), before);
  EXPECT_EQ(dir.search(admin, {}).total, 0);
}

TEST_F(CurrencyTest, ImportCreatesThenAReRunChangesAndJournalsNothing) {
  auto first = importer.run(&admin, request(kSheet, false));
  EXPECT_TRUE(first["applied"].get<bool>());
  EXPECT_EQ(first["summary"]["create"], 2);
  ContactQuery q;
  q.q = "aigerim";
  auto page = dir.search(admin, q);
  ASSERT_EQ(page.total, 1);
  EXPECT_EQ(page.items[0].type, "technical");
  ASSERT_EQ(page.items[0].channels.size(), 2u);
  EXPECT_EQ(page.items[0].channels[0].kind, "email");
  EXPECT_EQ(page.items[0].channels[1].value, "+7 717 270 00 00");
  const auto head = journal();
  auto again = importer.run(&admin, request(kSheet, false));
  EXPECT_EQ(again["summary"]["unchanged"], 2);
  EXPECT_EQ(again["summary"]["create"], 0);
  EXPECT_EQ(journal(), head);
  // One changed cell: one update, of that field only.
  std::string changed = kSheet;
  changed.replace(changed.find("mfa@example.th"), 14, "mfa2@example.th");
  auto third = importer.run(&admin, request(changed, false));
  EXPECT_EQ(third["summary"]["update"], 1);
  EXPECT_EQ(third["rows"][1]["changes"], nlohmann::json::array({"channels"}));
  EXPECT_EQ(journal(), head + 2);   // the contact's update and the import's record
}

TEST_F(CurrencyTest, AnyErrorAndTheRealRunWritesNothing) {
  const std::string sheet = std::string(kSheet) + "KAZ;;technical;not-an-address;;\r\nXYZ;Someone;technical;a@b.c;;\r\n";
  const auto dry = importer.run(&admin, request(sheet, true));
  EXPECT_EQ(dry["summary"]["error"], 2);
  const auto& bad = dry["rows"][2];
  EXPECT_EQ(bad["row"], 4);
  EXPECT_EQ(bad["action"], "error");
  bool name_missing = false, email_bad = false;
  for (const auto& e : bad["errors"]) {
    if (e["field"] == "name") name_missing = true;
    if (e["field"] == "email" && e["column"] == "E-mail") email_bad = true;
  }
  EXPECT_TRUE(name_missing) << bad.dump();
  EXPECT_TRUE(email_bad) << bad.dump();
  EXPECT_EQ(dry["rows"][3]["errors"][0]["column"], "Country");
  const auto head = journal();
  EXPECT_EQ(status_of([&] { importer.run(&admin, request(sheet, false)); }), 422);
  EXPECT_EQ(journal(), head);
  EXPECT_EQ(dir.search(admin, {}).total, 0);
}

TEST_F(CurrencyTest, ScopeIsTheDirectorysAndAFocalPointNominates) {
  // The ARF's secretariat manages Thailand (a member) but not Kazakhstan.
  auto r = importer.run(&sec_arf, request(kSheet, true));
  EXPECT_EQ(r["rows"][0]["action"], "error");
  EXPECT_EQ(r["rows"][1]["action"], "create");
  EXPECT_EQ(status_of([&] { importer.run(&poc_kaz, request(kSheet, true)); }), 403);
  // A focal point: its own state only; new contacts are nominations.
  const std::string own = "Full name;Type;E-mail\nNew Person;technical;np@example.kz\n";
  ImportRequest req;
  req.csv = own;
  req.mapping = std::vector<std::pair<std::string, std::string>>{{"Full name", "name"}, {"Type", "type"}, {"E-mail", "email"}};
  req.defaults = {{"availability", "office hours"}};
  req.dry_run = false;
  auto done = importer.run(&focal_kaz, req);
  EXPECT_EQ(done["rows"][0]["nomination"], true);
  auto k = dir.contact(admin, done["rows"][0]["contact_id"].get<std::int64_t>());
  EXPECT_EQ(k.status, "pending");
  EXPECT_EQ(k.state, "KAZ");
  EXPECT_EQ(k.availability, "office_hours");
  auto other = importer.run(&focal_tha, request(kSheet, true));
  EXPECT_EQ(other["rows"][0]["action"], "error");   // KAZ is not Thailand's focal point's
}

TEST_F(CurrencyTest, RussianTypesCommaFilesAndDatesAsSpreadsheetsWriteThem) {
  ImportRequest req;
  req.csv = "Страна,ФИО,Тип,Доступность,Действителен до\nKazakhstan,Аскар Иванов,Технический,24x7,31.12.2027\n";
  req.mapping = std::vector<std::pair<std::string, std::string>>{
      {"Страна", "state"}, {"ФИО", "name"}, {"Тип", "type"}, {"Доступность", "availability"}, {"Действителен до", "valid_until"}};
  req.dry_run = false;
  auto r = importer.run(&admin, req);
  ASSERT_EQ(r["rows"][0]["action"], "create") << r.dump();
  auto k = dir.contact(admin, r["rows"][0]["contact_id"].get<std::int64_t>());
  EXPECT_EQ(k.state, "KAZ");
  EXPECT_EQ(k.type, "technical");
  EXPECT_EQ(k.availability, "24/7");
  EXPECT_EQ(k.valid_until, "2027-12-31");
  EXPECT_EQ(r["columns"][1]["suggested"], "name");
}

TEST_F(CurrencyTest, MappingErrorsNameTheColumn) {
  auto req = request(kSheet, true);
  req.mapping->push_back({"Nope", "position"});
  req.mapping->push_back({"Comment", "name"});
  try {
    importer.run(&admin, req);
    FAIL() << "accepted";
  } catch (const Problem& p) {
    EXPECT_EQ(p.status(), 422);
    ASSERT_EQ(p.errors().size(), 2u);
    EXPECT_EQ(p.errors()[0].field, "mapping.Nope");
    EXPECT_EQ(p.errors()[1].field, "mapping.Comment");
  }
  EXPECT_EQ(suggest_field("E-mail"), "email");
  EXPECT_EQ(suggest_field("Страна"), "state");
  EXPECT_EQ(suggest_field("ТЕЛЕФОН"), "phone");
  EXPECT_EQ(suggest_field("Électronique"), "");
  EXPECT_EQ(suggest_field("Téléphone"), "phone");
  EXPECT_EQ(suggest_field("Phone number"), "phone");
  EXPECT_EQ(suggest_field("Whatever"), "");
}

TEST_F(CurrencyTest, ReconfirmationRemindsOnceAcrossRestartsAndRecordsConfirmation) {
  ManualTimeSource clock;
  mail::MailConfig mail;
  mail.smtp_url = "smtp://127.0.0.1:1";
  ContactInput in;
  in.state = "KAZ";
  in.name = "Aigerim Alden";
  in.type = "technical";
  in.availability = "24/7";
  const auto k = dir.create(admin, in);
  const auto due = rfc3339_from_ms(clock.now_ms() + 10 * 86400000LL).substr(0, 10);
  ReconfirmationInput r{due, "Please confirm your entries.", 3};
  {
    ReconfirmationService rc(t.db(), sink, clock, mail);
    EXPECT_EQ(status_of([&] { rc.start(&sec_arf, "CICA", r); }), 403);
    EXPECT_EQ(status_of([&] { rc.start(&focal_kaz, "CICA", r); }), 403);
    auto started = rc.start(&sec_cica, "CICA", r);
    EXPECT_EQ(started["summary"]["states"], 2);
    EXPECT_EQ(outbox(), 2);   // focal.kaz and focal.tha asked
    EXPECT_EQ(status_of([&] { rc.start(&sec_cica, "CICA", r); }), 409);   // one at a time
    EXPECT_EQ(rc.run_due(), 0);
    clock.advance(8 * 86400000LL);   // within three days of the due date
    EXPECT_EQ(rc.run_due(), 2);
    EXPECT_EQ(rc.run_due(), 0);
    EXPECT_EQ(outbox(), 4);
    const auto id = started["id"].get<std::int64_t>();
    EXPECT_EQ(status_of([&] { rc.confirm(focal_tha, "CICA", id, "KAZ", ""); }), 403);
    EXPECT_EQ(status_of([&] { rc.confirm(sec_cica, "CICA", id, "KAZ", ""); }), 403);
    auto after = rc.confirm(focal_kaz, "CICA", id, "KAZ", "All current");
    EXPECT_EQ(status_of([&] { rc.confirm(focal_kaz, "CICA", id, "KAZ", ""); }), 409);
    EXPECT_FALSE(dir.contact(admin, k.id).confirmed_at.empty());
    // The focal point sees its own state only.
    auto own = rc.detail(&focal_kaz, "CICA", id);
    ASSERT_EQ(own["states"].size(), 1u);
    EXPECT_EQ(own["states"][0]["status"], "confirmed");
    EXPECT_EQ(status_of([&] { rc.detail(&sec_arf, "CICA", id); }), 403);
  }
  clock.advance(3 * 86400000LL);   // past due; a new process (a restart)
  ReconfirmationService restarted(t.db(), sink, clock, mail);
  EXPECT_EQ(restarted.run_due(), 1);   // Thailand only: Kazakhstan answered
  EXPECT_EQ(restarted.run_due(), 0);
  EXPECT_EQ(outbox(), 5);
  auto list = restarted.list(&sec_cica, "CICA");
  EXPECT_EQ(list["items"][0]["overdue"], 1);
  auto d = restarted.detail(&sec_cica, "CICA", list["items"][0]["id"].get<std::int64_t>());
  EXPECT_EQ(d["summary"]["confirmed"], 1);
  EXPECT_EQ(d["summary"]["overdue"], 1);
}

}  // namespace
}  // namespace parley::directory
