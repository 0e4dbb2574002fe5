// storage/copy.h on the test database's backend (SQLite, or PostgreSQL when
// PARLEY_TEST_DB is set): parents before children whatever their names, keys kept,
// paging over single and composite keys, a table without a key, text verbatim, and (on
// PostgreSQL) identity sequences moved past the copied keys. The command built on it,
// across backends, is tests/api/db_copy.test.mjs.
#include "storage/copy.h"

#include <gtest/gtest.h>

#include "testing/temp_db.h"

namespace parley::storage {
namespace {

// "achild" sorts before "zparent": a copy in name order would break its foreign key.
constexpr const char* kSchema = R"sql(
CREATE TABLE zparent (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE achild (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES zparent(id),
                     body TEXT, previous_id INTEGER REFERENCES achild(id));
CREATE TABLE pairs (a TEXT NOT NULL, b INTEGER NOT NULL, v TEXT, PRIMARY KEY (a, b));
CREATE TABLE nokey (x INTEGER, y TEXT);
)sql";

void fill(Database& db) {
  db.write([](Connection& c) {
    for (int p = 1; p <= 3; ++p) c.execute("INSERT INTO zparent(id, name) VALUES (?, ?)", {std::int64_t{p * 10}, std::string("p").append(std::to_string(p))});
    for (int i = 1; i <= 250; ++i)
      c.execute("INSERT INTO achild(id, parent_id, body, previous_id) VALUES (?, ?, ?, ?)",
                {std::int64_t{i * 2}, std::int64_t{(i % 3 + 1) * 10}, i == 7 ? Value(null()) : Value(std::string("ünï \"côdé\" 'q' ").append(std::to_string(i))),
                 i == 1 ? Value(null()) : Value(std::int64_t{(i - 1) * 2})});
    for (int i = 0; i < 130; ++i)
      c.execute("INSERT INTO pairs(a, b, v) VALUES (?, ?, ?)", {std::string(1, static_cast<char>('a' + i % 5)), std::int64_t{i}, "v"});
    for (int i = 0; i < 3; ++i) c.execute("INSERT INTO nokey(x, y) VALUES (?, ?)", {std::int64_t{i}, null()});
  });
}

TEST(CopyRows, CopiesEveryRowInForeignKeyOrderWithItsKeys) {
  testing::TempDb source(testing::TempDb::kEmpty);
  testing::TempDb target(testing::TempDb::kEmpty);
  source.db().acquire()->execute_script(kSchema);
  target.db().acquire()->execute_script(kSchema);
  fill(source.db());
  // What a migration would have put in the target: replaced by the source's rows.
  target.db().write([](Connection& c) { c.execute("INSERT INTO zparent(id, name) VALUES (10, 'reference')"); });

  const auto copied = copy_rows(source.db(), target.db(), nullptr, 40);   // pages of 40
  ASSERT_EQ(copied.size(), 4u);
  EXPECT_EQ(copied[0].table, "nokey");     // no foreign key: first by name
  EXPECT_EQ(copied[1].table, "pairs");
  EXPECT_EQ(copied[2].table, "zparent");   // before its child
  EXPECT_EQ(copied[3].table, "achild");
  for (const auto& t : copied) EXPECT_TRUE(t.matches()) << t.table;
  EXPECT_EQ(copied[3].target_rows, 250);
  EXPECT_EQ(copied[1].target_rows, 130);

  auto dump = [](Database& db) {
    return db.read([](Connection& c) {
      std::string out;
      for (const auto& r : c.query("SELECT id, parent_id, body, previous_id FROM achild ORDER BY id"))
        out += std::to_string(r.integer("id")) + "|" + std::to_string(r.integer("parent_id")) + "|" +
               (r.is_null("body") ? "NULL" : r.text("body")) + "|" + std::to_string(r.integer("previous_id")) + "\n";
      for (const auto& r : c.query("SELECT id, name FROM zparent ORDER BY id"))
        out += std::to_string(r.integer("id")) + "|" + r.text("name") + "\n";
      return out;
    });
  };
  EXPECT_EQ(dump(target.db()), dump(source.db()));
  EXPECT_NE(dump(target.db()).find("ünï \"côdé\" 'q' 5"), std::string::npos);

  // A row inserted after the copy gets a key past the copied ones (PostgreSQL: the
  // identity sequence was moved; SQLite: max + 1 by itself).
  const auto id = target.db().write([](Connection& c) {
    return c.insert("INSERT INTO achild(parent_id, body) VALUES (10, 'after')");
  });
  EXPECT_GT(id, 500);
}

TEST(CopyRows, RefusesTargetsWithOtherTables) {
  testing::TempDb source(testing::TempDb::kEmpty);
  testing::TempDb target(testing::TempDb::kEmpty);
  source.db().acquire()->execute_script(kSchema);
  target.db().acquire()->execute_script("CREATE TABLE zparent (id INTEGER PRIMARY KEY, name TEXT NOT NULL);");
  fill(source.db());
  try {
    copy_rows(source.db(), target.db());
    FAIL() << "copied into a different schema";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("achild (source only)"), std::string::npos) << e.what();
  }
}

TEST(CopyRows, UserTablesLeaveOutSchemaMigrationsAndViews) {
  testing::TempDb t(testing::TempDb::kEmpty);
  t.db().acquire()->execute_script(std::string(kSchema) +
                                   "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY);"
                                   "CREATE VIEW parents AS SELECT id FROM zparent;");
  const auto tables = t.db().read([](Connection& c) { return user_tables(c); });
  EXPECT_EQ(tables, (std::vector<std::string>{"achild", "nokey", "pairs", "zparent"}));
}

}  // namespace
}  // namespace parley::storage
