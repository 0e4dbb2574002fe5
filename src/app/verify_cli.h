// `parley verify`: a state checks the log alone (verify/verifier.h).
//   parley verify --url URL --token TOKEN --log-key VKEY [--witness VKEY ...] [--quorum K]
//                 [--state DIR] [--receipt FILE ...] [--peer-checkpoint FILE ...]
//   parley verify --receipt FILE ... --log-key VKEY [--witness VKEY ...] [--quorum K]   (no server)
// The token may also come from the environment (PARLEY_TOKEN), out of `ps`. Exit 0 when
// every check passed, 1 with one plain sentence on stderr when one failed, 2 on a usage
// error. Runs before (and without) the database. Single-threaded, like the CLI.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

namespace parley::app {

class VerifyCommand {
 public:
  explicit VerifyCommand(CLI::App& cli);
  // The exit code when `parley verify` was given, else nullopt.
  std::optional<int> run();

 private:
  CLI::App* cmd_ = nullptr;
  std::string url_, token_, log_key_, state_;
  std::vector<std::string> witnesses_, receipts_, peers_;
  std::optional<std::size_t> quorum_;
};

}  // namespace parley::app
