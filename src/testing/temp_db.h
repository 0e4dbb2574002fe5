// Test helper: a fresh database migrated to the current schema, removed when the helper
// goes out of scope. Test-only.
//
// SQLite (the default): a file in a temporary directory. PostgreSQL: when the
// environment's PARLEY_TEST_DB names a cluster (postgresql://user@/postgres?host=DIR,
// any database of it that the user may connect to; scripts/pg-cluster.sh prints one),
// a database of its own, created as a copy of a migrated template (made once per
// schema, by the first test that needs it) and dropped afterwards.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>

#include "app/application.h"
#include "crypto/hash.h"
#include "storage/migrations.h"
#include "storage/open.h"
#include "storage/postgres/postgres_database.h"

namespace parley::testing {

// The PostgreSQL cluster the tests run against, or "" (SQLite).
inline std::string test_cluster_url() {
  const char* url = std::getenv("PARLEY_TEST_DB");
  return url ? url : "";
}

class TempDb {
 public:
  enum Kind { kMigrated, kEmpty };   // kEmpty: no migration applied (tests of migrations)
  explicit TempDb(Kind kind = kMigrated) {
    std::random_device rd;
    const std::string tag = std::to_string(rd()) + std::to_string(rd());
    cluster_ = test_cluster_url();
    dir_ = std::filesystem::temp_directory_path() / ("parley-test-" + tag);
    std::filesystem::create_directories(dir_);
    if (!cluster_.empty()) {
      name_ = "parley_test_" + tag;
      if (kind == kEmpty) storage::open_database(cluster_, 1)->acquire()->execute_script("CREATE DATABASE " + name_);
      else create_from_template();
      url_ = storage::postgresql_url_with_database(cluster_, name_);
      db_ = storage::open_database(url_, 4);
      return;
    }
    url_ = "sqlite:" + (dir_ / "test.db").string();
    db_ = storage::open_database(url_, 4);
    if (kind == kMigrated) storage::migrate(*db_, app::all_migrations());
  }
  ~TempDb() {
    db_.reset();
    if (!cluster_.empty()) {
      try {
        auto admin = storage::open_database(cluster_, 1);
        admin->acquire()->execute_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      } catch (...) {
        // The cluster is gone already (stopped after a failure): nothing left to drop.
      }
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  storage::Database& db() { return *db_; }
  // The database's URL (sqlite:PATH or postgresql://...), for a second Database on it.
  std::string url() const { return url_; }
  bool postgresql() const { return !cluster_.empty(); }
  // The cluster's maintenance database (PostgreSQL only), for what a test does from
  // outside Parley's database.
  static std::unique_ptr<storage::Database> admin() { return storage::open_database(test_cluster_url(), 1); }
  // A temporary folder of the test's own (Parley's data_dir: key files, uploads).
  std::string dir() const { return dir_.string(); }
  // The SQLite file (tests of SQLite files only).
  std::string path() const {
    if (!cluster_.empty()) throw std::logic_error("TempDb::path() names an SQLite file; this test runs on PostgreSQL");
    return (dir_ / "test.db").string();
  }

 private:
  // The template is named after the migrations' texts, so that a changed schema gets a
  // template of its own; the first test to need it builds it under an advisory lock
  // (tests run in parallel processes) and publishes it by renaming it.
  void create_from_template() {
    std::string all;
    for (const auto& m : app::all_migrations()) all.append(std::to_string(m.version)).append(m.name).append(m.sql);
    const std::string tpl = "parley_template_" + crypto::sha256_hex(all).substr(0, 16);
    auto admin = storage::open_database(cluster_, 1);
    auto c = admin->acquire();
    const bool exists = !c->query("SELECT 1 AS x FROM pg_database WHERE datname = ?", {tpl}).empty();
    if (!exists) {
      c->query("SELECT pg_advisory_lock(7428571) AS x");
      try {
        if (c->query("SELECT 1 AS x FROM pg_database WHERE datname = ?", {tpl}).empty()) {
          const std::string building = tpl + "_building";
          c->execute_script("DROP DATABASE IF EXISTS " + building + " WITH (FORCE)");
          c->execute_script("CREATE DATABASE " + building);
          {
            auto fresh = storage::open_database(storage::postgresql_url_with_database(cluster_, building), 2);
            storage::migrate(*fresh, app::all_migrations());
          }
          c->execute_script("ALTER DATABASE " + building + " RENAME TO " + tpl);
        }
      } catch (...) {
        c->query("SELECT pg_advisory_unlock(7428571) AS x");
        throw;
      }
      c->query("SELECT pg_advisory_unlock(7428571) AS x");
    }
    c->execute_script("CREATE DATABASE " + name_ + " TEMPLATE " + tpl);
  }

  std::string cluster_, name_, url_;
  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> db_;
};

}  // namespace parley::testing
