#include "storage/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <filesystem>
#include <string_view>
#include <unordered_map>

#include "common/fold.h"

namespace parley::storage {

namespace {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
  const std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (sqlite3_extended_errcode(db)) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      throw ConstraintViolation(ConstraintViolation::Kind::kUnique, msg);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      throw ConstraintViolation(ConstraintViolation::Kind::kForeignKey, msg);
    case SQLITE_CONSTRAINT_CHECK:
      throw ConstraintViolation(ConstraintViolation::Kind::kCheck, msg);
    default:
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        throw ConstraintViolation(ConstraintViolation::Kind::kOther, msg);
      throw std::runtime_error(msg);
  }
}

// fold_for_search(text) in SQL: the same folding as the stored search texts, for
// searches over columns that have none (names of shared objects).
void sql_fold_for_search(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const int bytes = sqlite3_value_bytes(argv[0]);
  if (!text) return sqlite3_result_null(ctx);
  try {
    const auto folded = fold_for_search(std::string_view(text, static_cast<std::size_t>(bytes)));
    sqlite3_result_text(ctx, folded.data(), static_cast<int>(folded.size()), SQLITE_TRANSIENT);
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(ctx);
  }
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = "cannot open " + path + ": " + sqlite3_errstr(rc);
      sqlite3_close(db_);
      throw std::runtime_error(msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 10000);
    sqlite3_create_function(db_, "fold_for_search", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                            sql_fold_for_search, nullptr, nullptr);
    // mmap_size: reads come from the kernel's page cache without a pread and a copy per
    // page (docs/architecture.md, "Storage backends").
    execute_script(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16384; PRAGMA mmap_size=268435456;");
  }

  ~SqliteConnection() override {
    for (auto& [_, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  Rows query(std::string_view sql, const Params& params) override {
    auto* stmt = prepare(sql, params);
    Rows rows;
    std::shared_ptr<std::vector<std::string>> columns;
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        sqlite3_reset(stmt);
        fail(db_, rc, "query");
      }
      const int n = sqlite3_column_count(stmt);
      if (!columns) {
        columns = std::make_shared<std::vector<std::string>>();
        for (int i = 0; i < n; ++i) columns->emplace_back(sqlite3_column_name(stmt, i));
      }
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) {
        switch (sqlite3_column_type(stmt, i)) {
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, i)));
            break;
          case SQLITE_FLOAT:
            values.emplace_back(sqlite3_column_double(stmt, i));
            break;
          case SQLITE_NULL:
            values.emplace_back(std::monostate{});
            break;
          default: {
            const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
            values.emplace_back(std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i))));
          }
        }
      }
      rows.emplace_back(columns, std::move(values));
    }
    sqlite3_reset(stmt);
    return rows;
  }

  std::int64_t execute(std::string_view sql, const Params& params) override {
    auto* stmt = prepare(sql, params);
    const int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) fail(db_, rc, "execute");
    return sqlite3_changes64(db_);
  }

  std::int64_t insert(std::string_view sql, const Params& params) override {
    execute(sql, params);
    return sqlite3_last_insert_rowid(db_);
  }

  // WAL with synchronous=NORMAL: a commit is atomic and survives a killed process, and
  // only a power cut can lose the last ones; checkpoints still sync. Back to FULL, the
  // next commit's fsync of the WAL makes every earlier frame in it durable too.
  void bulk_load(bool on) override {
    execute_script(on ? "PRAGMA cache_size=-262144; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=16384;"
                      : "PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=1000; PRAGMA cache_size=-16384;");
  }

  void execute_script(std::string_view sql) override {
    char* err = nullptr;
    const std::string s(sql);
    const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        throw ConstraintViolation(ConstraintViolation::Kind::kOther, msg);
      throw std::runtime_error("script: " + msg);
    }
  }

  // Through execute(): prepared once per connection, not re-parsed per transaction.
  void begin(bool write) override { execute(write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED", {}); }
  void commit() override { execute("COMMIT", {}); }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_)) execute("ROLLBACK", {});
  }

 private:
  sqlite3_stmt* prepare(std::string_view sql, const Params& params) {
    sqlite3_stmt* stmt = nullptr;
    const std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) {
      stmt = it->second;
      sqlite3_clear_bindings(stmt);
    } else {
      const int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                        SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK) fail(db_, rc, "prepare");
      if (cache_.size() > 256) {
        for (auto& [_, s] : cache_) sqlite3_finalize(s);
        cache_.clear();
      }
      cache_.emplace(key, stmt);
    }
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt))
      throw std::logic_error("parameter count mismatch for: " + key);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int idx = static_cast<int>(i) + 1;
      int rc = SQLITE_OK;
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) rc = sqlite3_bind_null(stmt, idx);
            else if constexpr (std::is_same_v<T, std::int64_t>) rc = sqlite3_bind_int64(stmt, idx, v);
            else if constexpr (std::is_same_v<T, double>) rc = sqlite3_bind_double(stmt, idx, v);
            else rc = sqlite3_bind_text(stmt, idx, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
          },
          params[i]);
      if (rc != SQLITE_OK) fail(db_, rc, "bind");
    }
    return stmt;
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, std::size_t max) : Database(max), path_(std::move(path)) {}
  std::string backend() const override { return "sqlite"; }
  std::string location() const override { return path_; }

 protected:
  std::unique_ptr<Connection> open_connection() override {
    return std::make_unique<SqliteConnection>(path_);
  }

 private:
  std::string path_;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, std::size_t max_connections) {
  if (path.empty() || path == ":memory:")
    throw std::invalid_argument("an SQLite database needs a file path");
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  // No allocation statistics: they take a global mutex on every malloc and free.
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
  auto db = std::make_unique<SqliteDatabase>(path, max_connections);
  db->acquire();  // fail now, not at the first request, if the file cannot be opened
  return db;
}

}  // namespace parley::storage
