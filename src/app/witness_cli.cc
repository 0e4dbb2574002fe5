#include "app/witness_cli.h"

#include <sys/stat.h>

#include <charconv>
#include <filesystem>
#include <iostream>

#include "witness/witness_key.h"
#include "witness/witness_server.h"

namespace parley::app {

WitnessCommands::WitnessCommands(CLI::App& cli) {
  auto* witness = cli.add_subcommand("witness", "run a transparency-log witness (C2SP tlog-witness) for Parley logs");
  witness->require_subcommand(1);
  init_ = witness->add_subcommand("init", "create the witness's Ed25519 cosignature key and print its verifier key");
  init_->add_option("--key", key_file_, "where to write the key (mode 0600)")->required();
  init_->add_option("--name", name_, "the witness's name, e.g. cert.example.org/witness")->required();
  serve_ = witness->add_subcommand("serve", "serve POST /add-checkpoint and GET /<hash>/checkpoint");
  serve_->add_option("--key", key_file_, "the witness's key file")->required();
  serve_->add_option("--listen", listen_, "HOST:PORT to listen on (default 127.0.0.1:8090; port 0 picks one)");
  serve_->add_option("--log", logs_, "the verifier key of a log to witness (`parley ledger key`); repeatable")
      ->required();
  serve_->add_option("--state", state_dir_, "where the last cosigned checkpoint of each log is kept (default ./witness-state)");
}

std::optional<int> WitnessCommands::run() {
  if (!init_->parsed() && !serve_->parsed()) return std::nullopt;
  try {
    if (init_->parsed()) {
      const auto parent = std::filesystem::absolute(key_file_).parent_path();
      std::filesystem::create_directories(parent);
      const auto key = witness::create_witness_key(key_file_, name_);
      std::cout << key.verifier().vkey() << "\n";
      std::cerr << "created the witness key " << key_file_ << " (mode 0600) for the witness " << key.name()
                << "; give the verifier key above to the forums whose logs it witnesses.\n";
      return 0;
    }
    witness::WitnessOptions options{witness::load_witness_key(key_file_), {}, state_dir_, "127.0.0.1", 0};
    for (const auto& vkey : logs_) {
      tlog::Verifier v;
      try {
        v = tlog::Verifier::parse(vkey);
      } catch (const tlog::NoteError& e) {
        std::cerr << "error: --log " << vkey << " is not a verifier key: " << e.what() << "\n";
        return 2;
      }
      if (v.type != tlog::kEd25519) {
        std::cerr << "error: --log " << vkey << " is not a log's (Ed25519) verifier key\n";
        return 2;
      }
      options.logs[v.name].push_back(v);
    }
    const auto colon = listen_.rfind(':');
    unsigned port = 0;
    const auto port_text = colon == std::string::npos ? std::string() : listen_.substr(colon + 1);
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (colon == std::string::npos || colon == 0 || port_text.empty() || ec != std::errc() ||
        end != port_text.data() + port_text.size() || port > 65535) {
      std::cerr << "error: --listen must be HOST:PORT, e.g. 127.0.0.1:8090\n";
      return 2;
    }
    options.host = listen_.substr(0, colon);
    if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']')
      options.host = options.host.substr(1, options.host.size() - 2);
    options.port = static_cast<std::uint16_t>(port);
    ::umask(077);
    return witness::serve_witness(std::move(options));
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace parley::app
