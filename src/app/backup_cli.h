// `parley backup --db sqlite:PATH --to FILE [--force]`: a consistent online copy of the
// SQLite database while the server runs and writes (storage/sqlite/sqlite_backup.h),
// then the copy checked: PRAGMA integrity_check, the journal's hash chain and the ledger's
// latest checkpoint (as `parley journal verify` does). A PostgreSQL URL is refused: that
// database is backed up with pg_dump or pg_basebackup (README, "Operating").
// BackupCommand registers the subcommand before parsing and runs it after, before the
// Application is built (the source is only read). Single-threaded, like the CLI.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "app/config.h"

namespace parley::app {

class BackupCommand {
 public:
  BackupCommand(CLI::App& cli, const std::function<void(CLI::App*)>& add_common);
  // The exit code (0 copied and verified, 1 the copy failed its checks, 2 refused or
  // failed), or nullopt when the command given was another.
  std::optional<int> run(const Config& config);

 private:
  CLI::App* cmd_ = nullptr;
  std::string to_;
  bool force_ = false;
};

}  // namespace parley::app
