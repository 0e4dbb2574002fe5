// The C2SP tlog-witness add-checkpoint decision (c2sp.org/tlog-witness), as a pure
// function of the request body and the witness's record for the log: parse the body
// (bounded: 64 KiB, at most 63 proof lines), check the log's signature, the old size
// against what this witness last cosigned, the consistency proof, and answer with the
// status and body the specification gives; on success, the cosignature line and the
// note to record (the checkpoint with the log's signatures and this cosignature).
// No I/O, no locking: the caller (witness_server.cc) looks the record up and stores the
// new one atomically. Functions; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tlog/checkpoint.h"
#include "tlog/merkle.h"
#include "tlog/note.h"

namespace parley::witness {

constexpr std::size_t kMaxBodyBytes = 64 * 1024;
constexpr std::size_t kMaxProofLines = 63;

// A malformed request (400), with what is wrong.
class MalformedRequest : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct AddCheckpointRequest {
  std::uint64_t old_size = 0;
  std::vector<tlog::Hash> proof;
  std::string checkpoint;   // the signed note, verbatim
};

// "old N\n" + proof lines + "\n" + checkpoint; throws MalformedRequest.
AddCheckpointRequest parse_add_checkpoint(std::string_view body);

// The logs a witness follows: origin -> the keys it trusts for it.
using LogKeys = std::map<std::string, std::vector<tlog::Verifier>, std::less<>>;

struct Outcome {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;                  // 200: the cosignature line; 409: "N\n"; else a reason
  std::string origin;                // when known (the note parsed)
  std::optional<std::string> record; // 200: the note to persist before answering
};

// The size and root of what this witness last cosigned for a log (a recorded note).
struct Recorded {
  std::uint64_t size = 0;
  tlog::Hash root{};
};
// Reads a recorded note (its checkpoint); throws on a corrupt record.
Recorded recorded_of(std::string_view note);

// Decides one add-checkpoint request. `lookup(origin)` gives the note recorded for the
// origin (nullopt: never cosigned); `now` is the cosignature's timestamp (seconds, > 0).
Outcome add_checkpoint(std::string_view body, const LogKeys& logs, const tlog::Signer& witness,
                       const std::function<std::optional<std::string>(const std::string& origin)>& lookup,
                       std::uint64_t now);

}  // namespace parley::witness
