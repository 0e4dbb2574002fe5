// The PostgreSQL backend against a real server (PARLEY_TEST_DB; ctest's unit_pg).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/cluster_events.h"
#include "storage/database.h"
#include "storage/open.h"
#include "storage/postgres/listener.h"
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

// Under the write batch's lock, which every batch of every instance takes first, another
// name is already exclusive and costs no round trip: here it does not even wait for a
// holder outside any batch (which Parley never is: every lock is taken in a write).
// Once the transaction ends, names are waited for again.
TEST(PostgresOnly, UnderTheBatchLockOtherNamesCostNothing) {
  ASSERT_FALSE(testing::test_cluster_url().empty()) << "PARLEY_TEST_DB must name a PostgreSQL cluster";
  testing::TempDb t;
  auto second = open_database(t.url(), 1);
  auto a = t.db().acquire();
  auto b = second->acquire();
  a->execute("SET lock_timeout = '50ms'");
  b->begin(true);
  b->lock("journal");
  a->begin(true);
  a->lock("parley.write_batch");
  EXPECT_NO_THROW(a->lock("journal"));
  a->commit();
  a->begin(true);
  EXPECT_THROW(a->lock("journal"), std::runtime_error);   // without the batch lock: waits, times out
  a->rollback();
  b->commit();
  a->execute("SET lock_timeout = 0");
}

// A write that catches a failed statement and returns did not commit anything: on
// PostgreSQL the error aborted its transaction, and COMMIT would answer with a silent
// rollback. The write must fail, not pass for committed (alone in its batch it runs
// without a savepoint of its own, so nothing else would tell).
TEST(PostgresOnly, AWriteThatSwallowedAnErrorFailsInsteadOfPassingForCommitted) {
  ASSERT_FALSE(testing::test_cluster_url().empty()) << "PARLEY_TEST_DB must name a PostgreSQL cluster";
  testing::TempDb t;
  EXPECT_THROW(t.db().write([](Connection& c) {
    c.execute("INSERT INTO states(alpha3, name) VALUES ('QQA', 'Test')");
    try {
      c.execute("SELECT no_such_column FROM states");
    } catch (const std::runtime_error&) {
      // swallowed
    }
  }),
               std::runtime_error);
  EXPECT_EQ(t.db().read([](Connection& c) { return c.query("SELECT 1 AS x FROM states WHERE alpha3 = 'QQA'").size(); }), 0u);
  // The writer goes on.
  t.db().write([](Connection& c) { c.execute("INSERT INTO states(alpha3, name) VALUES ('QQB', 'Test')"); });
  EXPECT_EQ(t.db().read([](Connection& c) { return c.query("SELECT 1 AS x FROM states WHERE alpha3 = 'QQB'").size(); }), 1u);
}

// Waits up to 5 s for `done()`; its last answer.
template <typename F>
bool until(F done) {
  for (int i = 0; i < 500 && !done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return done();
}

// An EventSink that keeps what it was given (thread-safe: the tail publishes from its
// own thread).
struct Kept final : EventSink {
  std::mutex mu;
  std::vector<std::string> types;
  void publish(const Event& e) override {
    std::lock_guard lock(mu);
    types.push_back(e.type);
  }
  std::size_t size() {
    std::lock_guard lock(mu);
    return types.size();
  }
};

// Pipeline mode: a held statement is not waited for; its error comes with the next
// statement that needs an answer, and statements the failure made the server skip —
// first uses of a statement text among them, whose PREPARE was skipped too — work
// afterwards as if never sent.
TEST(PostgresOnly, AHeldErrorComesWithTheNextAnswerAndSkippedStatementsWorkLater) {
  ASSERT_FALSE(testing::test_cluster_url().empty()) << "PARLEY_TEST_DB must name a PostgreSQL cluster";
  testing::TempDb t;
  auto c = t.db().acquire();
  c->execute("INSERT INTO states(alpha3, name) VALUES ('#AA', 'first')");
  c->begin(true);
  EXPECT_NO_THROW(c->execute_later("INSERT INTO states(alpha3, name) VALUES ('#AA', 'again')"));   // not waited for
  c->execute_later("INSERT INTO states(alpha3, name) VALUES ('#ZZ', 'never prepared before')");
  EXPECT_THROW(c->query("SELECT count(*) AS n FROM states"), ConstraintViolation);
  c->rollback();
  c->begin(true);
  c->execute_later("INSERT INTO states(alpha3, name) VALUES ('#ZZ', 'never prepared before')");
  EXPECT_EQ(c->query("SELECT name FROM states WHERE alpha3 = '#ZZ'").at(0).text("name"), "never prepared before");
  c->commit();
  // Statements that need answers, outside any pipeline, still work on this connection.
  EXPECT_EQ(c->execute("UPDATE states SET name = 'x' WHERE alpha3 IN ('#AA', '#ZZ')"), 2);
}

// A connection lost with statements held fails with Unavailable and is not lent again;
// a held statement that could not be sent (a mistake in it) leaves the connection usable.
TEST(PostgresOnly, APipelineOnALostConnectionIsUnavailableAndABadHeldStatementLeavesItUsable) {
  ASSERT_FALSE(testing::test_cluster_url().empty()) << "PARLEY_TEST_DB must name a PostgreSQL cluster";
  testing::TempDb t;
  {
    auto c = t.db().acquire();
    EXPECT_THROW(c->execute_later("INSERT INTO states(alpha3, name) VALUES (?, ?)", {"#AA"}), std::logic_error);
    EXPECT_EQ(c->query("SELECT count(*) AS n FROM states WHERE alpha3 = '#AA'").at(0).integer("n"), 0);
    const auto pid = c->query("SELECT pg_backend_pid() AS pid").at(0).integer("pid");
    c->begin(true);
    auto admin = testing::TempDb::admin();
    ASSERT_EQ(admin->acquire()->query("SELECT pg_terminate_backend(?::int) AS ok", {pid}).at(0).integer("ok"), 1);
    EXPECT_THROW(
        {
          c->execute_later("INSERT INTO states(alpha3, name) VALUES ('#AB', 'x')");
          c->query("SELECT 1 AS x");
        },
        Unavailable);
    EXPECT_TRUE(c->broken());
  }
  t.db().write([](Connection& c) { c.execute_later("INSERT INTO states(alpha3, name) VALUES ('#AC', 'x')"); });
  EXPECT_EQ(t.db().read([](Connection& c) { return c.query("SELECT alpha3 FROM states WHERE alpha3 LIKE '#%'").size(); }), 1u);
}

// An event crosses to the other instance because its insert NOTIFYs and the other's
// listener wakes its tail: the tails here poll once an hour, so nothing else could
// bring it within the test's few seconds.
TEST(PostgresOnly, ANotifyWakesTheOtherInstancesTailAtOnce) {
  ASSERT_FALSE(testing::test_cluster_url().empty()) << "PARLEY_TEST_DB must name a PostgreSQL cluster";
  testing::TempDb t;
  auto other = open_database(t.url(), 4);
  Kept local_a, local_b;
  ClusterEvents a(t.db(), local_a, "a");
  ClusterEvents b(*other, local_b, "b");
  a.start(std::chrono::hours(1));
  b.start(std::chrono::hours(1));
  std::atomic<int> wakes{0};
  PostgresListener listener(t.url(), ClusterEvents::kChannel, [&] {
    ++wakes;
    b.wake();
  });
  ASSERT_TRUE(until([&] { return listener.listening() && wakes.load() >= 1; }));   // one wake on connecting
  // The tails' first passes (at start) are over before the event exists: b has nothing.
  ASSERT_EQ(local_b.size(), 0u);
  const int before = wakes.load();
  Event e;
  e.type = "test.crossed";
  a.publish(e);
  a.flush();
  EXPECT_TRUE(until([&] { return local_b.size() == 1; })) << "the NOTIFY did not wake b's tail";
  EXPECT_GT(wakes.load(), before);
  EXPECT_EQ(local_b.types.at(0), "test.crossed");
  a.stop();
  b.stop();
}

// A listener whose session the server ended connects again and listens on.
TEST(PostgresOnly, AListenerReconnectsAfterItsSessionEnds) {
  ASSERT_FALSE(testing::test_cluster_url().empty()) << "PARLEY_TEST_DB must name a PostgreSQL cluster";
  testing::TempDb t;
  std::atomic<int> wakes{0};
  PostgresListener listener(t.url(), "parley_test_channel", [&] { ++wakes; });
  ASSERT_TRUE(until([&] { return listener.listening(); }));
  const auto listeners = [&] {
    return t.db().read([](Connection& c) {
      return c.query("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() "
                     "AND query LIKE 'LISTEN %'").at(0).integer("n");
    });
  };
  ASSERT_EQ(listeners(), 1);
  const int connected = wakes.load();   // one wake per connection
  t.db().read([](Connection& c) {
    c.query("SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity "
            "WHERE datname = current_database() AND query LIKE 'LISTEN %'");
  });
  ASSERT_TRUE(until([&] { return wakes.load() > connected && listener.listening(); })) << "no new session";
  EXPECT_TRUE(until([&] { return listeners() == 1; }));   // the old session is gone, the new one listens
  const int before = wakes.load();
  t.db().write([](Connection& c) { c.query("SELECT pg_notify('parley_test_channel', '') AS x"); });
  EXPECT_TRUE(until([&] { return wakes.load() > before; }));
}

}  // namespace
}  // namespace parley::storage
