// `parley witness ...`: run a C2SP tlog-witness for other states' (or one's own) Parley
// logs (c2sp.org/tlog-witness; src/witness/).
//   parley witness init --key FILE --name NAME        create the witness's key, print its vkey
//   parley witness serve --key FILE --listen HOST:PORT --log VKEY... [--state DIR]
// WitnessCommands registers the subcommands before parsing and runs the one given
// after, before the database is opened (a witness has no database). Single-threaded,
// like the CLI.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace parley::app {

class WitnessCommands {
 public:
  explicit WitnessCommands(CLI::App& cli);
  // The exit code of the command given, or nullopt when it was none of these.
  std::optional<int> run();

 private:
  CLI::App* init_ = nullptr;
  CLI::App* serve_ = nullptr;
  std::string key_file_, name_, listen_ = "127.0.0.1:8090", state_dir_ = "witness-state";
  std::vector<std::string> logs_;
};

}  // namespace parley::app
