#include "app/backup_cli.h"

#include <sys/stat.h>

#include <iostream>

#include "ledger/checkpoint_check.h"
#include "ledger/log_key.h"
#include "storage/journal.h"
#include "storage/open.h"
#include "storage/sqlite/sqlite_backup.h"

namespace parley::app {

BackupCommand::BackupCommand(CLI::App& cli, const std::function<void(CLI::App*)>& add_common) {
  cmd_ = cli.add_subcommand("backup",
                            "copy the SQLite database while the server runs, then verify the copy "
                            "(PostgreSQL: use pg_dump or pg_basebackup)");
  add_common(cmd_);
  cmd_->add_option("--to", to_, "the file to write the copy to (mode 0600)")->required();
  cmd_->add_flag("--force", force_, "replace the file if it exists");
}

namespace {

}  // namespace

std::optional<int> BackupCommand::run(const Config& config) {
  if (!cmd_->parsed()) return std::nullopt;
  ::umask(077);   // the copy and its side files are Parley's user's only, like the database
  const auto& url = config.db_url;
  if (storage::is_postgresql_url(url)) {
    std::cerr << "parley backup copies SQLite databases only; back up PostgreSQL with its own tools: "
                 "pg_dump (a logical copy of the database) or pg_basebackup (a copy of the whole cluster, "
                 "for a standby or point-in-time recovery). See the README, \"Operating\".\n";
    return 2;
  }
  const auto source = storage::sqlite_path(url);
  if (!source) {
    std::cerr << "error: unknown database URL scheme in '" << url << "' (expected sqlite:PATH)\n";
    return 2;
  }
  try {
    storage::SqliteBackupOptions options;
    options.force = force_;
    const auto copied = storage::backup_sqlite(*source, to_, options);
    std::cout << "copied " << *source << " to " << to_ << ": " << copied.pages << " pages, " << copied.bytes
              << " bytes, in " << copied.steps << " steps"
              << (copied.restarts ? " (restarted " + std::to_string(copied.restarts) + " times by writes)" : "")
              << "\n";

    const auto integrity = storage::sqlite_integrity_check(to_);
    if (integrity != "ok") {
      std::cout << "copy BROKEN: integrity_check says:\n" << integrity << "\n";
      return 1;
    }
    std::cout << "integrity_check: ok\n";
    auto db = storage::open_database("sqlite:" + to_, 1);
    const auto report = db->read([](storage::Connection& c) { return storage::Journal::verify(c); });
    if (report.broken_at) {
      std::cout << "copy's journal BROKEN at entry " << *report.broken_at << ": " << report.reason << " ("
                << report.entries << " entries before it are intact)\n";
      return 1;
    }
    std::optional<tlog::Verifier> log_key;
    if (auto key = ledger::load_log_key(config.resolved_ledger_key())) log_key = key->verifier();
    const auto tree =
        db->read([&](storage::Connection& c) { return ledger::check_latest_checkpoint(c, report.entries, log_key); });
    if (!tree.ok) {
      std::cout << "copy's journal BROKEN: " << tree.sentence << "\n";
      return 1;
    }
    std::cout << "journal intact: " << report.entries << " entries, head " << report.head << "; " << tree.sentence
              << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace parley::app
