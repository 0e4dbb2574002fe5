#include "ledger/ledger_store.h"

namespace parley::ledger::ledger_store {

namespace {
CheckpointRow checkpoint_from(const storage::Row& r) {
  return {r.integer("size"), r.text("root"), r.text("note"), r.text("signed_at")};
}
WitnessRow witness_from(const storage::Row& r) {
  WitnessRow w;
  w.id = r.integer("id");
  w.forum = r.text("forum");
  w.name = r.text("name");
  w.url = r.text("url");
  w.vkey = r.text("vkey");
  w.added_at = r.text("added_at");
  w.added_by = r.text("added_by");
  w.cosigned_size = r.integer("cosigned_size");
  w.last_attempt_at = r.text("last_attempt_at");
  w.last_error = r.text("last_error");
  w.refused_at = r.text("refused_at");
  w.refusal = r.text("refusal");
  return w;
}
const char* kWitnessColumns =
    "id, forum, name, url, vkey, added_at, added_by, cosigned_size, last_attempt_at, last_error, refused_at, refusal";
}  // namespace

std::optional<CheckpointRow> latest_checkpoint(storage::Connection& c) {
  auto rows = c.query("SELECT size, root, note, signed_at FROM ledger_checkpoints ORDER BY size DESC LIMIT 1");
  if (rows.empty()) return std::nullopt;
  return checkpoint_from(rows[0]);
}

std::optional<CheckpointRow> checkpoint(storage::Connection& c, std::int64_t size) {
  auto rows = c.query("SELECT size, root, note, signed_at FROM ledger_checkpoints WHERE size = ?", {size});
  if (rows.empty()) return std::nullopt;
  return checkpoint_from(rows[0]);
}

void insert_checkpoint(storage::Connection& c, const CheckpointRow& row) {
  c.execute("INSERT INTO ledger_checkpoints(size, root, note, signed_at) VALUES (?, ?, ?, ?)",
            {row.size, row.root, row.note, row.signed_at});
}

std::vector<CosignatureRow> cosignatures(storage::Connection& c, std::int64_t size) {
  std::vector<CosignatureRow> out;
  for (const auto& r : c.query("SELECT witness_id, line, timestamp FROM ledger_cosignatures WHERE size = ?"
                               " ORDER BY witness_id",
                               {size}))
    out.push_back({r.integer("witness_id"), r.text("line"), r.integer("timestamp")});
  return out;
}

void insert_cosignature(storage::Connection& c, std::int64_t size, const CosignatureRow& row, const std::string& at) {
  c.execute(
      "INSERT INTO ledger_cosignatures(size, witness_id, line, timestamp, received_at) VALUES (?, ?, ?, ?, ?)"
      " ON CONFLICT(size, witness_id) DO NOTHING",
      {size, row.witness_id, row.line, row.timestamp, at});
}

std::vector<WitnessRow> witnesses(storage::Connection& c, const std::string& forum) {
  std::vector<WitnessRow> out;
  const std::string sql = std::string("SELECT ") + kWitnessColumns +
                          " FROM ledger_witnesses WHERE removed_at IS NULL" +
                          (forum.empty() ? "" : " AND forum = ?") + " ORDER BY id";
  storage::Params params;
  if (!forum.empty()) params.push_back(forum);
  for (const auto& r : c.query(sql, params)) out.push_back(witness_from(r));
  return out;
}

std::optional<WitnessRow> witness(storage::Connection& c, std::int64_t id) {
  auto rows = c.query(std::string("SELECT ") + kWitnessColumns + " FROM ledger_witnesses WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return witness_from(rows[0]);
}

}  // namespace parley::ledger::ledger_store
