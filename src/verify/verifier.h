// `parley verify`'s logic: what a state runs, alone, to check the log it is asked to trust.
// A Verifier checks (1) the latest checkpoint's log signature and a quorum of witness
// cosignatures, (2) that it is consistent with the checkpoint saved last time (a smaller
// size is truncation, the same size with another root a fork), (3) the inclusion of every
// entry the caller may read, or of given receipts (c2sp.org/tlog-proof), (4) that other
// states' saved checkpoints are consistent with it (else a split view). Receipts also
// verify with no server at all. Any failure throws VerifyFailure: one plain sentence
// naming the check and the index or size. The server is reached through a LogSource
// (HttpLogSource: the ledger API over libcurl, every answer bounded), so that the checks
// are unit-tested without one. Single-threaded: one Verifier per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tlog/checkpoint.h"
#include "tlog/merkle.h"
#include "tlog/note.h"

namespace parley::verify {

// A failed check. `check` is a short name of it ("signature", "quorum", "consistency",
// "truncation", "fork", "inclusion", "receipt", "split view", "server"); what() is the
// sentence to print.
class VerifyFailure : public std::runtime_error {
 public:
  VerifyFailure(std::string check, const std::string& sentence)
      : std::runtime_error(sentence), check_(std::move(check)) {}
  const std::string& check() const { return check_; }

 private:
  std::string check_;
};

// Whom the verifier trusts: the log's key, the witnesses' keys and how many of them must
// have cosigned.
struct TrustPolicy {
  tlog::Verifier log;
  std::vector<tlog::Verifier> witnesses;
  std::size_t quorum = 0;
};

// What the verifier asks a log; the HTTP one bounds every answer.
class LogSource {
 public:
  virtual ~LogSource() = default;
  virtual std::string checkpoint() = 0;  // the latest signed checkpoint, with cosignatures
  // nullopt when the log cannot prove it (it answered an error), with `why`.
  virtual std::optional<std::vector<tlog::Hash>> consistency(std::uint64_t from, std::uint64_t to,
                                                             std::string& why) = 0;
  virtual std::optional<std::vector<tlog::Hash>> inclusion(std::uint64_t index, std::uint64_t size,
                                                           std::string& why) = 0;
  // The indexes of the entries the caller may read, after `after` (-1: from the start):
  // fills `out`, returns where to continue, or nullopt at the end.
  virtual std::optional<std::int64_t> entries(std::int64_t after, std::vector<std::uint64_t>& out) = 0;
  virtual std::optional<std::string> entry(std::uint64_t index) = 0;  // the leaf data; nullopt if refused
};

// The ledger API of a Parley server, signed in with an API token.
std::unique_ptr<LogSource> http_log_source(const std::string& base_url, const std::string& token);

// A receipt's file and its content.
struct NamedText {
  std::string name;
  std::string text;
};

struct Options {
  TrustPolicy policy;
  std::string state_dir;            // "" for none
  std::vector<NamedText> receipts;  // verify these instead of every readable entry
  std::vector<NamedText> peers;     // other states' saved checkpoints
};

struct Summary {
  std::uint64_t size = 0;
  std::size_t cosignatures = 0;
  std::size_t entries_checked = 0;
  std::size_t entries_pending = 0;  // readable but after the checkpoint (not signed yet)
};

// The checkpoint `note` verified against `policy` (signature, origin, quorum); `what`
// names it in the sentence ("the latest checkpoint"). Returns it and its cosignature count.
tlog::SignedCheckpoint verify_checkpoint(const std::string& note, const TrustPolicy& policy, const std::string& what,
                                         std::size_t* cosignatures = nullptr, bool need_quorum = true);

// A receipt verified offline: its checkpoint under `policy`, its leaf data (the extra
// line) and the inclusion of that leaf. Returns the parsed receipt.
struct VerifiedReceipt {
  tlog::Receipt receipt;
  tlog::SignedCheckpoint checkpoint;
  std::size_t cosignatures = 0;
};
VerifiedReceipt verify_receipt(const NamedText& file, const TrustPolicy& policy);
// "entry 41, recorded at …: communication.send on communication:7 by user:kaz.poc".
std::string describe_entry(std::uint64_t index, const std::string& leaf_data);

// Everything `parley verify` does with a server; prints progress to `out`; throws
// VerifyFailure. Saves the latest checkpoint in state_dir only when every check passed.
Summary verify_log(LogSource& log, const Options& options, std::ostream& out);
// --receipt with no server.
void verify_receipts_offline(const Options& options, std::ostream& out);

// The file in `dir` where the last verified checkpoint is kept.
std::string state_file(const std::string& dir);

}  // namespace parley::verify
