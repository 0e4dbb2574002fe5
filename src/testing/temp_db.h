// Test helper: a fresh SQLite database file in a temporary directory, migrated to the
// current schema, removed when the helper goes out of scope. Test-only.
#pragma once

#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "app/application.h"
#include "storage/migrations.h"
#include "storage/open.h"

namespace parley::testing {

class TempDb {
 public:
  TempDb() {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("parley-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    db_ = storage::open_database("sqlite:" + (dir_ / "test.db").string(), 4);
    storage::migrate(*db_, app::all_migrations());
  }
  ~TempDb() {
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  storage::Database& db() { return *db_; }
  std::string path() const { return (dir_ / "test.db").string(); }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> db_;
};

}  // namespace parley::testing
