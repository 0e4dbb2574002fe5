// The journal: an append-only, hash-linked record of every state-changing action.
//
// Each entry is (seq, at, actor, action, object, change) where `change` is canonical
// JSON (UTF-8, object keys sorted, no insignificant whitespace). Its hash is
//   hash = SHA-256( prev_hash || "\n" || canonical JSON of
//                   {"action","actor","at","change","object","seq"} )
// with prev_hash of the first entry being 64 '0's. Database triggers refuse UPDATE and
// DELETE on the table. append() must run inside the caller's write transaction, so that
// the change and its entry commit or roll back together (writers are serialised by the
// write transaction, so reading the previous hash is race-free).
//
// The ledger (docs/ledger.md): every entry is also leaf seq - 1 of an RFC 9162 Merkle
// tree. Its leaf data is the canonical JSON of
//   {"action","actor","at","change","nonce","object","seq"}
// where `nonce` is 128 random bits (hex), so that a leaf hash reveals nothing of a
// guessable entry. append() stores the leaf hash and every interior node the leaf
// completes in `ledger_nodes` (key level * 2^48 + index, hash in hex), in the same
// transaction; proofs then read O(log n) stored nodes (tlog/merkle.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "storage/database.h"
#include "storage/migrations.h"
#include "tlog/merkle.h"

namespace parley::storage {

struct JournalEntry {
  std::int64_t seq = 0;
  std::string at;
  std::string actor;    // "user:admin", "system", "cli"
  std::string action;   // "contact.create", "session.create", ...
  std::string object;   // "contact:42"
  std::string change;   // canonical JSON
  std::string prev_hash;
  std::string hash;
  std::string nonce;    // 32 hex digits
  std::int64_t index() const { return seq - 1; }   // its leaf in the ledger's tree
};

struct VerifyReport {
  std::int64_t entries = 0;                 // entries checked
  std::optional<std::int64_t> broken_at;    // seq of the first broken link
  std::string reason;                       // why it is broken
  std::string head;                         // hash of the last entry when intact
  std::string root;                         // the tree's root (hex) when intact
};

class Journal {
 public:
  static Migration migration();          // version 1
  static Migration ledger_migration();   // version 2: nonces and the Merkle tree
  static std::string canonical(const nlohmann::json& j);
  static std::string entry_hash(const std::string& prev_hash, const JournalEntry& e);   // parses e.change

  static JournalEntry append(Connection& c, const std::string& actor, const std::string& action,
                             const std::string& object, const nlohmann::json& change);
  static VerifyReport verify(Connection& c);

  // Sequence number of the last entry (0 when empty). Every state change appends an
  // entry, so the head is a version number of the whole database, across processes.
  static std::int64_t head(Connection& c);

  // The leaf data of an entry: what the ledger serves and what its leaf hash is over.
  static std::string leaf_data(const JournalEntry& e);
  // The entry at leaf `index`, if any.
  static std::optional<JournalEntry> at_index(Connection& c, std::int64_t index);
  // The stored nodes of the tree, read through `c` (which must outlive the reader).
  static tlog::NodeReader nodes(Connection& c);
  // The tree of the first `size` entries' root.
  static tlog::Hash root(Connection& c, std::int64_t size);

 private:
  static std::string hash_of(const std::string& prev_hash, const JournalEntry& e, const nlohmann::json& change);
};

}  // namespace parley::storage
