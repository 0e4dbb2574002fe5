// The SQL of the ledger's own tables (ledger/schema.cc): checkpoints, witnesses and the
// cosignatures they returned. A namespace of free functions over a Connection; the
// caller holds the transaction. The tree's nodes are read through storage::Journal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace parley::ledger {

struct CheckpointRow {
  std::int64_t size = 0;
  std::string root;   // base64
  std::string note;   // signed by the log only
  std::string signed_at;
};

struct WitnessRow {
  std::int64_t id = 0;
  std::string forum;
  std::string name;
  std::string url;
  std::string vkey;
  std::string added_at;
  std::string added_by;
  std::int64_t cosigned_size = 0;
  std::string last_attempt_at;
  std::string last_error;
  std::string refused_at;
  std::string refusal;
};

struct CosignatureRow {
  std::int64_t witness_id = 0;
  std::string line;
  std::int64_t timestamp = 0;
};

namespace ledger_store {

std::optional<CheckpointRow> latest_checkpoint(storage::Connection& c);
std::optional<CheckpointRow> checkpoint(storage::Connection& c, std::int64_t size);
void insert_checkpoint(storage::Connection& c, const CheckpointRow& row);
std::vector<CosignatureRow> cosignatures(storage::Connection& c, std::int64_t size);
void insert_cosignature(storage::Connection& c, std::int64_t size, const CosignatureRow& row, const std::string& at);

// Current witnesses (not removed), of one forum or of all when `forum` is empty.
std::vector<WitnessRow> witnesses(storage::Connection& c, const std::string& forum = "");
std::optional<WitnessRow> witness(storage::Connection& c, std::int64_t id);

}  // namespace ledger_store
}  // namespace parley::ledger
