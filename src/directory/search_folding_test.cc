// The directory's search folds case and diacritics in every script (common/fold.h),
// for new entries and, through migration 140, for entries stored before.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include "app/application.h"
#include "common/fold.h"
#include "directory/directory_service.h"
#include "storage/migrations.h"
#include "storage/open.h"
#include "testing/temp_db.h"

namespace parley::directory {
namespace {

using auth::Principal;
using auth::Role;

class NoSink final : public EventSink {
 public:
  void publish(const Event&) override {}
};

TEST(DirectorySearchFolding, FindsCyrillicAndAccentedEntriesWhateverTheCase) {
  testing::TempDb t;
  NoSink sink;
  DirectoryService dir{t.db(), sink};
  const Principal admin{1, "admin", "Admin", Role::kAdmin, "", "", false, "", 0};
  const Principal poc{6, "poc.kaz", "P", Role::kPointOfContact, "KAZ", "", false, "", 0};
  t.db().write([](storage::Connection& c) {
    DirectoryStore::upsert_state(c, "KAZ", "Kazakhstan", "state");
    DirectoryStore::upsert_forum(c, "CICA", "CICA", "Secretariat", {"en", "ru"}, "");
    DirectoryStore::add_member(c, "CICA", "KAZ");
  });
  ContactInput in;
  in.state = "KAZ";
  in.name = "Алия Сапарова";
  in.position = "ГЛАВНЫЙ СПЕЦИАЛИСТ, КАЗАХСТАН";
  in.type = "technical";
  in.availability = "24/7";
  in.languages = std::vector<std::string>{"ru"};
  dir.create(admin, in);
  in.name = "Jérôme Müller";
  in.position = "Fédération";
  dir.create(admin, in);

  auto found = [&](const std::string& words) {
    ContactQuery q;
    q.q = words;
    std::vector<std::string> names;
    for (const auto& k : dir.search(poc, q).items) names.push_back(k.name);
    return names;
  };
  EXPECT_EQ(found("Казахстан"), std::vector<std::string>{"Алия Сапарова"});
  EXPECT_EQ(found("казахстан специалист"), std::vector<std::string>{"Алия Сапарова"});
  EXPECT_EQ(found("САПАРОВА"), std::vector<std::string>{"Алия Сапарова"});
  EXPECT_EQ(found("алия"), std::vector<std::string>{"Алия Сапарова"});
  EXPECT_EQ(found("jerome muller"), std::vector<std::string>{"Jérôme Müller"});
  EXPECT_EQ(found("FÉDÉRATION"), std::vector<std::string>{"Jérôme Müller"});
  EXPECT_TRUE(found("Казахстан Müller").empty());
  EXPECT_TRUE(found("100%").empty());   // LIKE's wildcards are still escaped after folding
}

TEST(DirectorySearchFolding, Migration140RecomputesStoredSearchTexts) {
  testing::TempDb scratch(testing::TempDb::kEmpty);   // on either database
  {
    auto db = storage::open_database(scratch.url(), 2);
    auto before = app::all_migrations();
    before.erase(std::remove_if(before.begin(), before.end(), [](const auto& m) { return m.version >= 140; }), before.end());
    storage::migrate(*db, before);
    db->write([](storage::Connection& c) {
      c.execute("INSERT INTO states(alpha3, name, kind) VALUES ('KAZ', 'Kazakhstan', 'state') ON CONFLICT DO NOTHING");
      // As the ASCII-only folding stored it: Cyrillic upper case left as it was.
      c.execute("INSERT INTO contacts(state, name, type, position, availability, channels, status, search_text, created_at,"
                " updated_at) VALUES ('KAZ', 'ЕРЛАН ЁЛКИН', 'policy', 'МИД', '24/7',"
                " '[{\"kind\":\"email\",\"value\":\"Duty@MFA.kz\",\"use\":\"\"}]', 'active',"
                " 'ЕРЛАН ЁЛКИН | МИД |  | kaz | kazakhstan', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
    });
    const auto all = app::all_migrations();
    EXPECT_EQ(storage::migrate(*db, all),
              static_cast<int>(std::count_if(all.begin(), all.end(), [](const auto& m) { return m.version >= 140; })));
    const auto stored = db->read([](storage::Connection& c) {
      return c.query("SELECT search_text FROM contacts").at(0).text("search_text");
    });
    EXPECT_EQ(stored, "ерлан елкин | мид |  | kaz | kazakhstan | duty@mfa.kz");
    EXPECT_EQ(stored, fold_for_search("ЕРЛАН ЁЛКИН | МИД |  | KAZ | Kazakhstan | Duty@MFA.kz"));
  }
}

}  // namespace
}  // namespace parley::directory
