#include "storage/sqlite/sqlite_backup.h"

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace parley::storage {

namespace {

namespace fs = std::filesystem;

struct Handle {
  sqlite3* db = nullptr;
  Handle() = default;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (db) sqlite3_close(db);
  }
};

// Opens an existing database file (never creates one): a missing file is an error here.
void open_existing(Handle& h, const std::string& path, const char* what) {
  const int rc = sqlite3_open_v2(path.c_str(), &h.db, SQLITE_OPEN_READWRITE, nullptr);
  if (rc != SQLITE_OK)
    throw std::runtime_error(std::string("cannot open ") + what + " " + path + ": " +
                             (h.db ? sqlite3_errmsg(h.db) : sqlite3_errstr(rc)));
  sqlite3_extended_result_codes(h.db, 1);
  sqlite3_busy_timeout(h.db, 10000);
}

void sync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "cannot open " + path + " to sync it");
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) throw std::system_error(err, std::generic_category(), "cannot sync " + path);
}

// Removes the temporary file (and anything SQLite left beside it) unless released.
struct TempFile {
  std::string path;
  bool keep = false;
  ~TempFile() {
    if (keep || path.empty()) return;
    std::error_code ec;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(path + suffix, ec);
  }
};

}  // namespace

SqliteBackupResult backup_sqlite(const std::string& source, const std::string& target,
                                 const SqliteBackupOptions& options) {
  if (target.empty()) throw std::runtime_error("no target file given");
  const fs::path target_path = fs::absolute(target);
  const fs::path dir = target_path.parent_path();
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw std::runtime_error("the target's directory " + dir.string() + " does not exist");
  const auto existing = fs::symlink_status(target_path, ec);
  if (fs::exists(existing)) {
    if (fs::is_directory(existing)) throw std::runtime_error("the target " + target_path.string() + " is a directory");
    if (!options.force)
      throw std::runtime_error("the target " + target_path.string() + " exists (use --force to replace it)");
  }
  if (fs::exists(fs::path(source), ec) && fs::equivalent(fs::path(source), target_path, ec))
    throw std::runtime_error("the target is the database itself");

  Handle src;
  open_existing(src, source, "the database");
  // Fails with "file is not a database" on anything else, before a copy is started.
  if (const int rc = sqlite3_exec(src.db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
      rc != SQLITE_OK)
    throw std::runtime_error("cannot read the database " + source + ": " + sqlite3_errmsg(src.db));

  TempFile tmp{target_path.string() + ".tmp-" + std::to_string(::getpid())};
  {
    const int fd = ::open(tmp.path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) {
      const int err = errno;
      tmp.keep = true;   // not ours
      throw std::system_error(err, std::generic_category(), "cannot create " + tmp.path);
    }
    ::close(fd);
  }

  SqliteBackupResult result;
  {
    Handle dst;
    open_existing(dst, tmp.path, "the copy");
    sqlite3_backup* b = sqlite3_backup_init(dst.db, "main", src.db, "main");
    if (!b) throw std::runtime_error(std::string("cannot start the backup: ") + sqlite3_errmsg(dst.db));
    int pages = options.pages_per_step > 0 ? options.pages_per_step : 512;
    int copied_before = 0;
    int rc = SQLITE_OK;
    for (;;) {
      rc = sqlite3_backup_step(b, pages);
      ++result.steps;
      const int remaining = sqlite3_backup_remaining(b);
      const int total = sqlite3_backup_pagecount(b);
      if (options.progress) options.progress(remaining, total);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
      // The source changed between two steps: SQLite started again from the first page.
      const int copied = total - remaining;
      if (rc == SQLITE_OK && copied < copied_before && ++result.restarts >= options.max_restarts) pages = -1;
      copied_before = copied;
      sqlite3_sleep(options.pause_ms);
    }
    const int finished = sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE || finished != SQLITE_OK)
      throw std::runtime_error(std::string("the backup failed: ") + sqlite3_errmsg(dst.db));
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(dst.db, "PRAGMA page_count", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
      result.pages = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sync_path(tmp.path, O_RDONLY);
  ::chmod(tmp.path.c_str(), 0600);

  if (options.force) {
    if (::rename(tmp.path.c_str(), target_path.c_str()) != 0)
      throw std::system_error(errno, std::generic_category(), "cannot move the copy to " + target_path.string());
  } else {
    // link() never replaces: a target that appeared meanwhile is refused, not overwritten.
    if (::link(tmp.path.c_str(), target_path.c_str()) != 0) {
      const int err = errno;
      if (err == EEXIST)
        throw std::runtime_error("the target " + target_path.string() + " exists (use --force to replace it)");
      throw std::system_error(err, std::generic_category(), "cannot move the copy to " + target_path.string());
    }
    ::unlink(tmp.path.c_str());
  }
  tmp.keep = true;
  sync_path(dir.string(), O_RDONLY | O_DIRECTORY);
  result.bytes = static_cast<std::int64_t>(fs::file_size(target_path));
  return result;
}

std::string sqlite_integrity_check(const std::string& path) {
  Handle h;
  open_existing(h, path, "the copy");
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(h.db, "PRAGMA integrity_check", -1, &st, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string("cannot check ") + path + ": " + sqlite3_errmsg(h.db));
  std::string out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    if (!out.empty()) out += '\n';
    out += text ? text : "";
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) throw std::runtime_error(std::string("cannot check ") + path + ": " + sqlite3_errmsg(h.db));
  return out;
}

}  // namespace parley::storage
