// `parley ledger ...`: the log's signing key and the record from the command line.
//   parley ledger init [--origin NAME] [--key FILE] [--if-missing]   create the key
//   parley ledger key                                                 print the verifier key
// The key file is DATA_DIR/ledger.key unless --key or [ledger] key_file names another.
// LedgerCommands registers the subcommands before parsing and runs the one given after,
// before the database is opened (none of these needs it). Single-threaded, like the CLI.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "app/config.h"

namespace parley::app {

class LedgerCommands {
 public:
  LedgerCommands(CLI::App& cli, const std::function<void(CLI::App*)>& add_common);
  // The exit code of the command given, or nullopt when it was none of these.
  std::optional<int> run(Config& config);

 private:
  CLI::App* init_ = nullptr;
  CLI::App* key_ = nullptr;
  std::string origin_, key_file_;
  bool if_missing_ = false;
};

}  // namespace parley::app
