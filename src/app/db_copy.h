// `parley db copy --from URL --to URL`: moves an installation from one database to
// another (SQLite to PostgreSQL, PostgreSQL to SQLite, or between two of either kind).
// The source must be at this build's schema version (it is only read: `parley migrate`
// it first); the target must hold no tables at all (a new SQLite file, or a database
// made with createdb), and is refused otherwise: there is no --force, since the journal
// and the ledger's tables refuse deletion by design, and a copy merged into an existing
// installation would not be that installation. The target is migrated, every row copied
// (storage/copy.h), then checked: the row counts of every table equal on both sides, and
// the target's journal verified as `parley journal verify` does (hash chain, the latest
// checkpoint against the ledger's key when at hand, and the same head as the source's).
// The key files (parley.key, ledger.key) are not in the database: the operator moves
// them with the data folder, and the command says so.
// DbCopyCommand registers the subcommand before parsing and runs it after, before the
// Application is built. Single-threaded, like the CLI.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "app/config.h"

namespace parley::app {

class DbCopyCommand {
 public:
  DbCopyCommand(CLI::App& cli, const std::function<void(CLI::App*)>& add_common);
  // The exit code (0 copied and verified; 1 copied but a check failed, the table or the
  // journal named; 2 refused or failed), or nullopt when the command given was another.
  std::optional<int> run(const Config& config);

 private:
  CLI::App* cmd_ = nullptr;
  std::string from_;
  std::string to_;
};

}  // namespace parley::app
