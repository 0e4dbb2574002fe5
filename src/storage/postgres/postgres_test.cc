// The PostgreSQL backend against a real server (PARLEY_TEST_DB; ctest's unit_pg).
#include <gtest/gtest.h>

#include "storage/database.h"
#include "storage/open.h"
#include "testing/temp_db.h"

namespace parley::storage {
namespace {

// A connection whose server session ended (a restart, an administrator) fails once with
// Unavailable; the pool then drops it and its idle siblings, and the next read works on a
// new connection, without reopening the Database.
TEST(PostgresOnly, ALostConnectionIsDiscardedAndTheNextOneWorks) {
  ASSERT_FALSE(testing::test_cluster_url().empty()) << "PARLEY_TEST_DB must name a PostgreSQL cluster";
  testing::TempDb t;
  std::int64_t pid = 0;
  t.db().read([&](Connection& c) { pid = c.query("SELECT pg_backend_pid() AS pid").at(0).integer("pid"); });
  {
    auto other = testing::TempDb::admin();
    auto killed = other->acquire()->query("SELECT pg_terminate_backend(?::int) AS ok", {pid});
    ASSERT_EQ(killed.at(0).integer("ok"), 1);
  }
  EXPECT_THROW(t.db().read([](Connection& c) { c.query("SELECT 1 AS x"); }), Unavailable);
  std::int64_t again = 0;
  t.db().read([&](Connection& c) { again = c.query("SELECT pg_backend_pid() AS pid").at(0).integer("pid"); });
  EXPECT_NE(again, pid);
  // Writes go on too (the writer thread's connection was another one, still alive).
  t.db().write([](Connection& c) { c.execute("INSERT INTO states(alpha3, name) VALUES ('QQQ', 'Test')"); });
  EXPECT_EQ(t.db().read([](Connection& c) { return c.query("SELECT name FROM states WHERE alpha3 = 'QQQ'").size(); }), 1u);
}

// lock(name) serialises transactions across connections: while one transaction holds a
// name, another cannot take it (here it gives up at once instead of waiting), and can
// once the first has ended; another name is free all along.
TEST(PostgresOnly, LockHoldsANameUntilTheTransactionEnds) {
  ASSERT_FALSE(testing::test_cluster_url().empty()) << "PARLEY_TEST_DB must name a PostgreSQL cluster";
  testing::TempDb t;
  // Two connections held at once by this thread: from two pools (database.h, "One
  // connection at a time").
  auto second = open_database(t.url(), 1);
  auto a = t.db().acquire();
  auto b = second->acquire();
  b->execute("SET lock_timeout = '50ms'");
  a->begin(true);
  a->lock("journal");
  b->begin(true);
  EXPECT_THROW(b->lock("journal"), std::runtime_error);
  b->rollback();
  b->begin(true);
  EXPECT_NO_THROW(b->lock("outbox"));
  b->rollback();
  a->commit();
  b->begin(true);
  EXPECT_NO_THROW(b->lock("journal"));
  b->commit();
  b->execute("SET lock_timeout = 0");
}

}  // namespace
}  // namespace parley::storage
