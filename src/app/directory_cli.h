// `parley directory ...`: keeping the directory current from the command line.
//   parley directory reconfirm start --forum CICA --due 2027-01-31 --message TEXT
//   parley directory reconfirm status --forum CICA [ID]
//   parley directory import FILE --map "Country=state" --map "E-mail=email" [--dry-run]
// The operator acts with the administrator's scope (journaled as "cli").
// DirectoryCommands registers the subcommands on the CLI before parsing, and runs the one
// given after. Single-threaded, like the CLI.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/application.h"

namespace parley::app {

class DirectoryCommands {
 public:
  DirectoryCommands(CLI::App& cli, const std::function<void(CLI::App*)>& add_common);
  // The exit code of the command given, or nullopt when it was none of these.
  std::optional<int> run(Application& app);

 private:
  CLI::App* reconfirm_start_ = nullptr;
  CLI::App* reconfirm_status_ = nullptr;
  CLI::App* import_ = nullptr;
  std::string forum_, due_, message_, file_, separator_ = "auto", format_ = "text";
  std::int64_t remind_days_ = 7;
  std::int64_t id_ = 0;
  std::vector<std::string> map_, defaults_;
  bool dry_run_ = false;
};

}  // namespace parley::app
