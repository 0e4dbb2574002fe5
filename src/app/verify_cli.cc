#include "app/verify_cli.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "verify/verifier.h"

namespace parley::app {

namespace {
constexpr std::size_t kMaxFile = 4 << 20;  // a receipt or a saved checkpoint

verify::NamedText read_named(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw verify::VerifyFailure("usage", std::string("cannot read the ").append(what).append(" ").append(path));
  std::string text(kMaxFile + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxFile)
    throw verify::VerifyFailure("usage",
                                std::string("the ").append(what).append(" ").append(path).append(" is too large"));
  return {path, text};
}
}  // namespace

VerifyCommand::VerifyCommand(CLI::App& cli) {
  cmd_ =
      cli.add_subcommand("verify", "check the ledger alone: signatures, witnesses, consistency, inclusion, receipts");
  cmd_->add_option("--url", url_, "the Parley server, e.g. https://parley.example.org");
  cmd_->add_option("--token", token_, "an API token of the user whose readable entries to check (or PARLEY_TOKEN)");
  cmd_->add_option("--log-key", log_key_, "the log's verifier key (`parley ledger key`)")->required();
  cmd_->add_option("--witness", witnesses_, "a witness's verifier key (repeat for each)");
  cmd_->add_option("--quorum", quorum_, "how many of the witnesses must have cosigned (default: all given)");
  cmd_->add_option("--state", state_, "a directory keeping the last verified checkpoint, to prove the next consistent");
  cmd_->add_option("--receipt", receipts_,
                   "verify these receipts (c2sp.org/tlog-proof) instead of every readable entry");
  cmd_->add_option("--peer-checkpoint", peers_, "another state's saved checkpoint, to compare (split views)");
}

std::optional<int> VerifyCommand::run() {
  if (!cmd_->parsed()) return std::nullopt;
  try {
    verify::Options o;
    try {
      o.policy.log = tlog::Verifier::parse(log_key_);
    } catch (const std::exception& e) {
      std::cerr << "--log-key is not a verifier key: " << e.what() << "\n";
      return 2;
    }
    if (o.policy.log.type != tlog::kEd25519) {
      std::cerr << "--log-key is not a log's Ed25519 key\n";
      return 2;
    }
    for (const auto& w : witnesses_) {
      try {
        o.policy.witnesses.push_back(tlog::Verifier::parse(w));
      } catch (const std::exception& e) {
        std::cerr << "--witness " << w.substr(0, 80) << " is not a verifier key: " << e.what() << "\n";
        return 2;
      }
    }
    o.policy.quorum = quorum_.value_or(o.policy.witnesses.size());
    if (o.policy.quorum > o.policy.witnesses.size()) {
      std::cerr << "--quorum " << o.policy.quorum << " is more than the " << o.policy.witnesses.size()
                << " witness keys given\n";
      return 2;
    }
    for (const auto& r : receipts_) o.receipts.push_back(read_named(r, "receipt"));
    for (const auto& p : peers_) o.peers.push_back(read_named(p, "peer checkpoint"));
    o.state_dir = state_;
    if (url_.empty()) {
      if (o.receipts.empty() || !peers_.empty() || !state_.empty()) {
        std::cerr << "--url is required, except to verify receipts alone (--receipt FILE)\n";
        return 2;
      }
      verify::verify_receipts_offline(o, std::cout);
      std::cout << "verified: " << o.receipts.size() << (o.receipts.size() == 1 ? " receipt" : " receipts") << "\n";
      return 0;
    }
    if (token_.empty())
      if (const char* env = std::getenv("PARLEY_TOKEN")) token_ = env;
    if (token_.empty()) {
      std::cerr << "--token (or PARLEY_TOKEN) is required with --url\n";
      return 2;
    }
    const auto source = verify::http_log_source(url_, token_);
    const auto sum = verify::verify_log(*source, o, std::cout);
    std::cout << "verified: the log at size " << sum.size << " is signed, cosigned by " << sum.cosignatures << " of "
              << o.policy.witnesses.size() << " witnesses, and holds the " << sum.entries_checked
              << (o.receipts.empty() ? " readable entries checked" : " receipted entries") << "\n";
    return 0;
  } catch (const verify::VerifyFailure& f) {
    std::cerr << "verification FAILED (" << f.check() << "): " << f.what() << "\n";
    return f.check() == "usage" ? 2 : 1;
  } catch (const std::exception& e) {
    std::cerr << "verification FAILED: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace parley::app
