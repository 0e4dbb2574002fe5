#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <vector>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

#include "storage/journal.h"

#include <filesystem>
#include <functional>
#include <set>

#include "storage/open.h"
#include "storage/sqlite/sqlite_backup.h"
#include "tlog/merkle.h"
#include "testing/temp_db.h"

namespace parley::storage {
namespace {

TEST(Storage, WriteRollsBackWhenTheBodyThrows) {
  testing::TempDb t;
  EXPECT_THROW(t.db().write([](Connection& c) {
    c.execute("INSERT INTO states(alpha3, name) VALUES ('AAA', 'Test')");
    Journal::append(c, "test", "state.create", "state:AAA", {{"x", 1}});
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  t.db().read([](Connection& c) {
    EXPECT_TRUE(c.query("SELECT * FROM states WHERE alpha3 = 'AAA'").empty());
    EXPECT_TRUE(c.query("SELECT * FROM journal").empty());
  });
}

// Group commit: concurrent writes share transactions; one that throws loses only its own
// changes (and its journal entry), the others commit, and the chain stays intact.
TEST(Storage, ConcurrentWritesCommitTogetherAndFailAlone) {
  testing::TempDb t;
  // The states table as scratch: without the ISO 3166-1 entries migration 110 loads.
  t.db().write([](Connection& c) { c.execute_script("DELETE FROM state_names; DELETE FROM states;"); });
  constexpr int kThreads = 8, kPerThread = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int th = 0; th < kThreads; ++th)
    threads.emplace_back([&, th] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string code = std::string(1, static_cast<char>('A' + th)) + std::string(1, static_cast<char>('A' + i / 26)) +
                                 std::string(1, static_cast<char>('A' + i % 26));
        try {
          const auto seq = t.db().write([&](Connection& c) {
            c.execute("INSERT INTO states(alpha3, name) VALUES (?, 'Test')", {code});
            const auto e = Journal::append(c, "test", "state.create", "state:" + code, {{"i", i}});
            if (i % 5 == 4) throw std::runtime_error("refused");
            return e.seq;
          });
          EXPECT_GT(seq, 0);
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "refused");
          ++failures;
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), kThreads * kPerThread / 5);
  t.db().read([&](Connection& c) {
    const auto states = c.query("SELECT count(*) AS n FROM states")[0].integer("n");
    EXPECT_EQ(states, kThreads * kPerThread * 4 / 5);
    EXPECT_EQ(c.query("SELECT count(*) AS n FROM journal")[0].integer("n"), states);
    EXPECT_FALSE(Journal::verify(c).broken_at);
  });
}

// Writes run on the database's writer thread, which keeps the priority of the thread
// that opened the database even when the write comes from a lower-priority thread.
TEST(Storage, WritesRunOnTheWriterThreadAtTheOpenersPriority) {
  testing::TempDb t;   // opened here, at this thread's priority
  errno = 0;
  const int opener = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  ASSERT_EQ(errno, 0);
  int caller_nice = 0, writer_nice = 0;
  pid_t caller_tid = 0, writer_tid = 0;
  std::thread handler([&] {
    caller_tid = gettid();
    ASSERT_EQ(setpriority(PRIO_PROCESS, static_cast<id_t>(caller_tid), opener + 3), 0);
    caller_nice = getpriority(PRIO_PROCESS, static_cast<id_t>(caller_tid));
    t.db().write([&](Connection& c) {
      writer_tid = gettid();
      writer_nice = getpriority(PRIO_PROCESS, static_cast<id_t>(writer_tid));
      c.execute("INSERT INTO states(alpha3, name) VALUES ('QPR', 'Test')");   // not an ISO 3166-1 code
    });
  });
  handler.join();
  EXPECT_EQ(caller_nice, opener + 3);
  EXPECT_NE(writer_tid, caller_tid);
  EXPECT_EQ(writer_nice, opener);
}

// Connection::execute_later: held statements (PostgreSQL's pipeline mode) run in order
// before the next statement that needs an answer, and their errors are never lost.
// Codes no state has (the reference data holds every ISO 3166 code).
std::string code_of(int i) { return std::string("#") + static_cast<char>('A' + i / 26) + static_cast<char>('A' + i % 26); }

TEST(Storage, HeldStatementsRunInOrderBeforeTheNextAnswer) {
  testing::TempDb t;
  t.db().write([](Connection& c) {
    for (int i = 0; i < 150; ++i)   // more than PostgreSQL's connection holds at once
      c.execute_later("INSERT INTO states(alpha3, name) VALUES (?, ?)", {code_of(i), "held"});
    c.execute_later("UPDATE states SET name = 'renamed' WHERE alpha3 = ?", {code_of(149)});
    EXPECT_EQ(c.query("SELECT count(*) AS n FROM states WHERE name = 'held'").at(0).integer("n"), 149);
    EXPECT_EQ(c.query("SELECT name FROM states WHERE alpha3 = ?", {code_of(149)}).at(0).text("name"), "renamed");
  });
  EXPECT_EQ(t.db().read([](Connection& c) {
    return c.query("SELECT count(*) AS n FROM states WHERE alpha3 LIKE '#%'").at(0).integer("n");
  }), 150);
}

TEST(Storage, AHeldStatementsErrorFailsItsWriteAlone) {
  testing::TempDb t;
  t.db().write([](Connection& c) { c.execute("INSERT INTO states(alpha3, name) VALUES ('#AA', 'first')"); });
  // Concurrent writes share batches (Database::write); the one whose held statement
  // fails gets that error, and the others commit. A first write holds the writer while
  // the eight queue, so that they make one batch.
  std::promise<void> go;
  std::thread blocker([&, ready = go.get_future().share()] {
    t.db().write([&](Connection&) { ready.wait(); });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));   // the blocker is on the writer
  std::vector<std::thread> threads;
  std::atomic<int> failed{0}, unique_errors{0};
  for (int i = 1; i <= 8; ++i) {
    threads.emplace_back([&, i] {
      try {
        t.db().write([&](Connection& c) {
          c.execute_later("INSERT INTO states(alpha3, name) VALUES (?, 'ok')", {code_of(i)});
          if (i == 4) c.execute_later("INSERT INTO states(alpha3, name) VALUES ('#AA', 'again')");
        });
      } catch (const ConstraintViolation& e) {
        ++failed;
        if (e.kind() == ConstraintViolation::Kind::kUnique) ++unique_errors;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));   // the eight are queued
  go.set_value();
  blocker.join();
  for (auto& th : threads) th.join();
  EXPECT_EQ(failed.load(), 1);
  EXPECT_EQ(unique_errors.load(), 1);
  t.db().read([](Connection& c) {
    EXPECT_EQ(c.query("SELECT count(*) AS n FROM states WHERE name = 'ok'").at(0).integer("n"), 7);
    EXPECT_TRUE(c.query("SELECT 1 AS x FROM states WHERE alpha3 = ?", {code_of(4)}).empty());   // its own row undone
    EXPECT_EQ(c.query("SELECT name FROM states WHERE alpha3 = '#AA'").at(0).text("name"), "first");
  });
}

TEST(Storage, AHeldStatementsErrorPreventsTheCommit) {
  testing::TempDb t;
  auto c = t.db().acquire();
  c->execute("INSERT INTO states(alpha3, name) VALUES ('#AA', 'first')");
  {
    Transaction tx(*c, true);
    c->execute_later("INSERT INTO states(alpha3, name) VALUES ('#AB', 'x')");
    EXPECT_THROW(
        {
          c->execute_later("INSERT INTO states(alpha3, name) VALUES ('#AA', 'again')");
          tx.commit();
        },
        ConstraintViolation);
  }
  EXPECT_TRUE(c->query("SELECT 1 AS x FROM states WHERE alpha3 = '#AB'").empty());
  // A rollback discards what is held, errors included; the connection goes on.
  c->begin(true);
  c->execute_later("INSERT INTO states(alpha3, name) VALUES ('#AC', 'x')");
  c->rollback();
  c->begin(true);
  try {
    c->execute_later("INSERT INTO states(alpha3, name) VALUES ('#AA', 'again')");
  } catch (const ConstraintViolation&) {
    // SQLite runs it at once
  }
  EXPECT_NO_THROW(c->rollback());
  EXPECT_TRUE(c->query("SELECT 1 AS x FROM states WHERE alpha3 = '#AC'").empty());
  EXPECT_EQ(c->query("SELECT count(*) AS n FROM states WHERE alpha3 LIKE '#%'").at(0).integer("n"), 1);
}

TEST(Storage, InsertReturnsTheNewRowsId) {
  testing::TempDb t;
  const auto [first, second] = t.db().write([](Connection& c) {
    c.execute_script("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");   // DDL: execute_script
    const auto a = c.insert("INSERT INTO things (name) VALUES (?)", {std::string("a")});
    const auto b = c.insert("INSERT INTO things (name) VALUES (?)", {std::string("b")});
    return std::make_pair(a, b);
  });
  EXPECT_EQ(second, first + 1);
  t.db().read([&](Connection& c) {
    EXPECT_EQ(c.query("SELECT name FROM things WHERE id = ?", {second})[0].text("name"), "b");
  });
}

TEST(Storage, ConstraintViolationsAreTyped) {
  testing::TempDb t;
  t.db().write([](Connection& c) { c.execute("INSERT INTO states(alpha3, name) VALUES ('AAA', 'Test')"); });
  try {
    t.db().write([](Connection& c) { c.execute("INSERT INTO states(alpha3, name) VALUES ('AAA', 'Again')"); });
    FAIL();
  } catch (const ConstraintViolation& e) {
    EXPECT_EQ(e.kind(), ConstraintViolation::Kind::kUnique);
  }
  try {
    t.db().write([](Connection& c) { c.execute("INSERT INTO participation(forum, state, kind) VALUES ('OSCE', 'AAA', 'member')"); });
    FAIL();
  } catch (const ConstraintViolation& e) {
    EXPECT_EQ(e.kind(), ConstraintViolation::Kind::kForeignKey);
  }
}

TEST(Storage, MigrationsAreRecordedAndIdempotent) {
  testing::TempDb t;
  const int v = schema_version(t.db());
  EXPECT_GE(v, 200);
  EXPECT_EQ(migrate(t.db(), app::all_migrations()), 0);   // nothing left to apply
  EXPECT_THROW(migrate(t.db(), {Migration{1, "journal", ""}}), std::runtime_error);   // db newer than code
}

TEST(Storage, GenerationMovesWithLocalWritesAndOtherProcessesWrites) {
  testing::TempDb t;
  t.db().set_change_probe([](Connection& c) { return Journal::head(c); });
  const auto g0 = t.db().generation();
  EXPECT_EQ(t.db().generation(), g0);   // nothing happened
  t.db().write([](Connection& c) { Journal::append(c, "test", "x", "y", {{"n", 1}}); });
  const auto g1 = t.db().generation();
  EXPECT_NE(g1, g0);
  // Another process (here: another Database on the same file) writes.
  auto other = open_database(t.url(), 1);
  other->write([](Connection& c) { Journal::append(c, "other", "x", "y", {{"n", 2}}); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));   // past the probe interval
  EXPECT_NE(t.db().generation(), g1);
}

TEST(Journal, ChainVerifiesAndDetectsTampering) {
  testing::TempDb t;
  t.db().write([](Connection& c) {
    for (int i = 0; i < 5; ++i) Journal::append(c, "user:test", "thing.create", "thing:" + std::to_string(i), {{"i", i}});
  });
  auto ok = t.db().read([](Connection& c) { return Journal::verify(c); });
  EXPECT_EQ(ok.entries, 5);
  EXPECT_FALSE(ok.broken_at.has_value());

  // The table refuses edits...
  EXPECT_THROW(t.db().write([](Connection& c) { c.execute("UPDATE journal SET actor = 'x' WHERE seq = 3"); }),
               std::exception);
  // ...so an operator who rewrites history must drop the trigger; verify still notices.
  t.db().write([](Connection& c) {
    c.execute_script("DROP TRIGGER journal_no_update");
    c.execute("UPDATE journal SET change = '{\"i\":99}' WHERE seq = 3");
  });
  auto broken = t.db().read([](Connection& c) { return Journal::verify(c); });
  ASSERT_TRUE(broken.broken_at.has_value());
  EXPECT_EQ(*broken.broken_at, 3);
  EXPECT_EQ(broken.entries, 2);
}

// Every entry is a leaf of the ledger's tree, over its leaf data (which carries a nonce),
// and the stored nodes give the RFC 9162 root and proofs.
TEST(Journal, EntriesAreLeavesOfTheLedgersTree) {
  testing::TempDb t;
  const auto before = t.db().read([](Connection& c) { return Journal::head(c); });
  t.db().write([](Connection& c) {
    for (int i = 0; i < 36; ++i) Journal::append(c, "user:test", "thing.create", "thing:" + std::to_string(i), {{"i", i}});
    // Escapes, non-ASCII text, nesting and numbers: the leaf data stays canonical JSON.
    Journal::append(c, "user:\u0442\u0435\u0441\u0442", "thing.update", "thing:\"q\"",
                    {{"text", "\u041f\u0440\u0438\u0432\u0435\u0442 \"q\"\n\t\\ \x01"}, {"n", 1.5}, {"list", {3, nullptr, true}},
                     {"z", {{"b", 1}, {"a", 2}}}});
  });
  t.db().read([&](Connection& c) {
    const auto size = Journal::head(c);
    ASSERT_EQ(size, before + 37);
    std::vector<tlog::Hash> leaves;
    std::set<std::string> nonces;
    for (std::int64_t i = 0; i < size; ++i) {
      const auto e = Journal::at_index(c, i);
      ASSERT_TRUE(e);
      const auto data = Journal::leaf_data(*e);
      const auto parsed = nlohmann::json::parse(data);
      EXPECT_EQ(Journal::canonical(parsed), data);   // the leaf data is canonical JSON
      EXPECT_EQ(parsed["seq"], e->seq);
      EXPECT_EQ(parsed["nonce"].get<std::string>().size(), 32u);
      nonces.insert(parsed["nonce"].get<std::string>());
      leaves.push_back(tlog::leaf_hash(data));
    }
    EXPECT_EQ(nonces.size(), static_cast<std::size_t>(size));   // fresh randomness per entry
    // The root recomputed from the leaves alone (the RFC's definition) is the stored tree's.
    std::function<tlog::Hash(std::size_t, std::size_t)> mth = [&](std::size_t b, std::size_t e) {
      if (e - b == 1) return leaves[b];
      std::size_t k = 1;
      while (k * 2 < e - b) k *= 2;
      return tlog::node_hash(mth(b, b + k), mth(b + k, e));
    };
    const auto root = Journal::root(c, size);
    EXPECT_EQ(root, mth(0, leaves.size()));
    for (std::int64_t i = 0; i < size; ++i)
      EXPECT_TRUE(tlog::verify_inclusion(leaves[static_cast<std::size_t>(i)], static_cast<std::uint64_t>(i),
                                         static_cast<std::uint64_t>(size),
                                         tlog::inclusion_proof(Journal::nodes(c), static_cast<std::uint64_t>(i),
                                                               static_cast<std::uint64_t>(size)),
                                         root));
  });
  const auto report = t.db().read([](Connection& c) { return Journal::verify(c); });
  EXPECT_FALSE(report.broken_at);
  EXPECT_EQ(report.root.size(), 64u);
}

// An operator who edits a leaf hash in the tree (the entries untouched) is caught by
// `journal verify`; and the tree refuses edits unless its trigger is dropped.
TEST(Journal, VerifyCatchesAnAlteredTree) {
  testing::TempDb t;
  t.db().write([](Connection& c) {
    for (int i = 0; i < 8; ++i) Journal::append(c, "user:test", "thing.create", "thing:" + std::to_string(i), {{"i", i}});
  });
  EXPECT_THROW(t.db().write([](Connection& c) { c.execute("UPDATE ledger_nodes SET hash = 'x' WHERE node = 0"); }),
               std::exception);
  EXPECT_THROW(t.db().write([](Connection& c) { c.execute("DELETE FROM ledger_nodes WHERE node = 0"); }), std::exception);
  const auto last = t.db().read([](Connection& c) { return Journal::head(c); });
  t.db().write([&](Connection& c) {
    c.execute_script("DROP TRIGGER ledger_nodes_no_update");
    c.execute("UPDATE ledger_nodes SET hash = ? WHERE node = ?", {std::string(64, 'a'), last - 3});
  });
  const auto report = t.db().read([](Connection& c) { return Journal::verify(c); });
  ASSERT_TRUE(report.broken_at);
  EXPECT_EQ(*report.broken_at, last - 2);
  EXPECT_NE(report.reason.find("leaf hash"), std::string::npos) << report.reason;
}

// A journal written before the ledger existed gets nonces and leaves when migration 2
// runs, and verifies intact afterwards.
TEST(Journal, LedgerMigrationBackfillsAnOlderJournal) {
  testing::TempDb scratch(testing::TempDb::kEmpty);   // on either database
  {
    auto db = open_database(scratch.url(), 2);
    migrate(*db, {Journal::migration()});
    db->write([](Connection& c) {
      // Entries as version 1 wrote them: chain only.
      std::string prev(64, '0');
      for (int i = 1; i <= 20; ++i) {
        JournalEntry e{i, "2026-01-01T00:00:00.000Z", "cli", "thing.create", "thing:" + std::to_string(i),
                       "{\"i\":" + std::to_string(i) + "}", prev, "", ""};
        e.hash = Journal::entry_hash(prev, e);
        c.execute("INSERT INTO journal(seq, at, actor, action, object, change, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)",
                  {e.seq, e.at, e.actor, e.action, e.object, e.change, e.prev_hash, e.hash});
        prev = e.hash;
      }
    });
  }
  auto& db = scratch.db();
  migrate(db, app::all_migrations());
  db.read([](Connection& c) {
    const auto report = Journal::verify(c);
    EXPECT_FALSE(report.broken_at) << report.reason;
    EXPECT_EQ(report.entries, 20);
    EXPECT_EQ(c.query("SELECT 1 AS x FROM journal WHERE nonce IS NULL").size(), 0u);
    EXPECT_EQ(c.query("SELECT 1 AS x FROM ledger_nodes WHERE node < ?", {std::int64_t{1} << 48}).size(), 20u);
  });
  // The journal is append-only again.
  EXPECT_THROW(db.write([](Connection& c) { c.execute("UPDATE journal SET actor = 'x' WHERE seq = 3"); }), std::exception);
}

TEST(Journal, HashIsOverPreviousHashAndCanonicalEntry) {
  JournalEntry e{1, "2026-01-01T00:00:00.000Z", "a", "b", "c", R"({"z":1,"a":2})", std::string(64, '0'), "", ""};
  const auto h1 = Journal::entry_hash(e.prev_hash, e);
  e.change = R"({"a":2,"z":1})";   // same object, other key order: same canonical form
  EXPECT_EQ(Journal::entry_hash(e.prev_hash, e), h1);
  EXPECT_NE(Journal::entry_hash(std::string(64, '1'), e), h1);
}

TEST(Storage, TakeTextMovesTheValueOut) {
  testing::TempDb t;
  auto rows = t.db().read([](Connection& c) { return c.query("SELECT 'a long enough text to be on the heap' AS v, NULL AS n"); });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].text("v"), "a long enough text to be on the heap");
  EXPECT_EQ(rows[0].take_text("v"), "a long enough text to be on the heap");
  EXPECT_EQ(rows[0].take_text("n"), "");
  EXPECT_THROW(rows[0].take_text("missing"), std::logic_error);
}

TEST(Storage, BackupCopiesACommittedStateWhileWritesGoOn) {
  // SQLite's online backup, on an SQLite file in the test's folder on either run (on
  // PostgreSQL, backups are pg_dump's).
  testing::TempDb t(testing::TempDb::kEmpty);
  const auto path = t.dir() + "/backup-source.db";
  auto db = open_database("sqlite:" + path, 4);
  db->write([](Connection& c) { c.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"); });
  for (int i = 0; i < 200; ++i)
    db->write([&](Connection& c) { c.execute("INSERT INTO t(v) VALUES (?)", {std::string(3000, 'a' + i % 26)}); });
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    while (!stop) {
      db->write([&](Connection& c) { c.execute("INSERT INTO t(v) VALUES (?)", {std::string(3000, 'w')}); });
      ++written;
    }
  });
  const auto target = path + ".copy";
  SqliteBackupOptions options;
  options.pages_per_step = 16;   // many steps, so that writes land between them
  const auto result = backup_sqlite(path, target, options);
  stop = true;
  writer.join();
  EXPECT_GT(result.steps, 1);
  EXPECT_GT(result.pages, 0);
  EXPECT_EQ(sqlite_integrity_check(target), "ok");
  EXPECT_EQ(std::filesystem::status(target).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto copy = open_database("sqlite:" + target, 1);
  const auto n = copy->read([](Connection& c) { return c.query("SELECT count(*) AS n FROM t").front().integer("n"); });
  EXPECT_GE(n, 200);   // everything committed before the backup began
  EXPECT_LE(n, 200 + written.load());
  // Ids are dense: a consistent snapshot, not pages from different moments.
  const auto max = copy->read([](Connection& c) { return c.query("SELECT max(id) AS m FROM t").front().integer("m"); });
  EXPECT_EQ(max, n);
  copy.reset();

  // An existing target is refused (and kept) unless forced.
  EXPECT_THROW(backup_sqlite(path, target), std::runtime_error);
  EXPECT_EQ(sqlite_integrity_check(target), "ok");
  options.force = true;
  EXPECT_NO_THROW(backup_sqlite(path, target, options));
  // A missing directory, a missing source: refused, nothing created.
  EXPECT_THROW(backup_sqlite(path, path + ".d/none/copy"), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(path + ".d"));
  EXPECT_THROW(backup_sqlite(path + ".absent", path + ".copy2"), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(path + ".absent"));
  EXPECT_FALSE(std::filesystem::exists(path + ".copy2"));
  std::filesystem::remove(target);
}

}  // namespace
}  // namespace parley::storage
