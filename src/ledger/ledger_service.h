// LedgerService: the verifiable record (docs/ledger.md). Every journal entry is a leaf
// of one Merkle tree (storage/journal.h appends it); this service signs C2SP
// checkpoints of that tree with the log's key, never one inconsistent with the last it
// signed, and answers what verifiers ask: the key, the latest checkpoint with its
// cosignatures, inclusion and consistency proofs, tiles, entries (to those who may read
// them, ReadPolicy) and receipts (c2sp.org/tlog-proof). Errors are Problems (404 for
// what the reader may not see, 400 for bad sizes). Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "ledger/ledger_store.h"
#include "ledger/read_policy.h"
#include "storage/database.h"
#include "tlog/checkpoint.h"
#include "tlog/note.h"

namespace parley::ledger {

// The tree no longer extends what the log signed: an alarm, never a checkpoint.
class InconsistentLog : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class LedgerService {
 public:
  explicit LedgerService(storage::Database& db);

  // The log's key (ledger/log_key.h). Without one, nothing is signed and
  // checkpoint_now() throws. Throws std::runtime_error when the key's origin is not
  // the origin of the checkpoints already signed in this database.
  void set_key(tlog::Signer key);
  bool has_key() const { return key_.has_value(); }
  std::string origin() const;
  std::string vkey() const;

  ReadPolicy& policy() { return policy_; }

  // Signs a checkpoint of the tree as it is if it grew since the last one; returns the
  // latest checkpoint's size. Throws InconsistentLog (signing nothing) when the tree
  // does not extend the last signed checkpoint.
  std::int64_t checkpoint_now();
  // Called with each new checkpoint's size once it is stored (the witness client).
  void on_checkpoint(std::function<void(std::int64_t size)> f) { on_checkpoint_ = std::move(f); }

  std::int64_t tree_size();
  // The latest checkpoint as a signed note with every cosignature collected for it;
  // nullopt before the first.
  std::optional<std::string> latest_checkpoint();
  std::optional<CheckpointRow> latest_checkpoint_row();
  // `size` must be within the tree: 400 otherwise.
  nlohmann::json inclusion_proof(std::int64_t index, std::int64_t size);
  nlohmann::json consistency_proof(std::int64_t from, std::int64_t to);
  std::vector<tlog::Hash> consistency_hashes(std::int64_t from, std::int64_t to);
  // A tlog-tiles hash tile: `width` hashes (256 for a full tile) at tile level `level`;
  // nullopt when the tree does not hold them all.
  std::optional<std::string> tile(int level, std::uint64_t index, int width);
  // The leaf data of entry `index` if `who` may read what it records; 404 otherwise.
  std::string entry(const auth::Principal& who, std::int64_t index);
  // The entries `who` may read, after leaf `after` (-1: from the start), at most `limit`:
  // {"entries": [{"index", "at", "action", "object"}], "next": index to continue after or null}.
  nlohmann::json list(const auth::Principal& who, std::int64_t after, std::int64_t limit);
  // The entries recording `object` ("communication:17", or a record key of
  // storage/ledger_refs.h) that `who` may read, after leaf `after` (-1: from the start):
  // {"object", "records": [{"index", "at", "action"}], "next": index to continue after or
  // null}, in journal order, 1,000 entries looked at a page.
  nlohmann::json records(const auth::Principal& who, const std::string& object, std::int64_t after = -1);
  // A c2sp.org/tlog-proof for entry `index` against the latest checkpoint (signing one
  // first if none covers it yet), the entry's leaf data as its extra line; 404 as entry().
  std::string receipt(const auth::Principal& who, std::int64_t index);

  // Cosignatures the witness client collected.
  void add_cosignature(std::int64_t size, const CosignatureRow& row);

 private:
  storage::Database& db_;
  std::optional<tlog::Signer> key_;
  ReadPolicy policy_;
  std::mutex sign_mu_;   // one signer at a time
  std::function<void(std::int64_t)> on_checkpoint_;
};

}  // namespace parley::ledger
