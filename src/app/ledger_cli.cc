#include "app/ledger_cli.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "ledger/log_key.h"

namespace parley::app {

LedgerCommands::LedgerCommands(CLI::App& cli, const std::function<void(CLI::App*)>& add_common) {
  auto* ledger = cli.add_subcommand("ledger", "the verifiable record: the log's signing key");
  ledger->require_subcommand(1);
  init_ = ledger->add_subcommand("init", "create the log's Ed25519 signing key (outside the database)");
  add_common(init_);
  init_->add_option("--origin", origin_, "the log's name, e.g. parley.example.org/ledger (default HOSTNAME/parley-ledger)");
  init_->add_option("--key", key_file_, "where to write the key (default [ledger] key_file, else DATA_DIR/ledger.key)");
  init_->add_flag("--if-missing", if_missing_, "do nothing when the key exists");
  key_ = ledger->add_subcommand("key", "print the log's verifier key, for witnesses and `parley verify`");
  add_common(key_);
  key_->add_option("--key", key_file_, "the key file (default [ledger] key_file, else DATA_DIR/ledger.key)");
}

namespace {
std::string default_origin() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "parley.localhost/ledger";
  return std::string(host) + "/parley-ledger";
}
}  // namespace

std::optional<int> LedgerCommands::run(Config& config) {
  if (!init_->parsed() && !key_->parsed()) return std::nullopt;
  const auto path = key_file_.empty() ? config.resolved_ledger_key() : key_file_;
  if (key_->parsed()) {
    const auto key = ledger::load_log_key(path);
    if (!key) {
      std::cerr << "no ledger key at " << path << " (create it with `parley ledger init`)\n";
      return 2;
    }
    std::cout << key->verifier().vkey() << "\n";
    return 0;
  }
  if (if_missing_ && std::filesystem::exists(path)) {
    const auto key = ledger::load_log_key(path);
    std::cout << "the ledger key exists: " << path << "\n" << key->verifier().vkey() << "\n";
    return 0;
  }
  const auto parent = std::filesystem::absolute(path).parent_path();
  std::filesystem::create_directories(parent);
  const auto key = ledger::create_log_key(path, origin_.empty() ? default_origin() : origin_);
  std::cout << "created the ledger key " << path << " (mode 0600) for the log " << key.name() << ".\n"
            << "Keep a copy offline: without it nobody can sign this log's checkpoints.\n"
            << "Its verifier key, for witnesses and `parley verify --log-key`:\n"
            << key.verifier().vkey() << "\n";
  return 0;
}

}  // namespace parley::app
