#include "ledger/ledger_service.h"

#include "common/problem.h"
#include "common/time.h"
#include "storage/journal.h"
#include "storage/ledger_refs.h"

namespace parley::ledger {

using storage::Connection;
using storage::Journal;

LedgerService::LedgerService(storage::Database& db) : db_(db) {}

void LedgerService::set_key(tlog::Signer key) {
  const auto last = latest_checkpoint_row();
  if (last) {
    const auto signed_cp = tlog::SignedCheckpoint::parse(last->note);
    if (signed_cp.checkpoint.origin != key.name())
      throw std::runtime_error("the ledger key is for the log '" + key.name() + "' but this database's log is '" +
                               signed_cp.checkpoint.origin + "': configure the key that signed its checkpoints");
  }
  key_.emplace(std::move(key));
}

std::string LedgerService::origin() const { return key_ ? key_->name() : ""; }
std::string LedgerService::vkey() const { return key_ ? key_->verifier().vkey() : ""; }

std::int64_t LedgerService::tree_size() {
  return db_.read([](Connection& c) { return Journal::head(c); });
}

std::int64_t LedgerService::checkpoint_now() {
  if (!key_) throw std::runtime_error("the ledger has no signing key");
  std::lock_guard lock(sign_mu_);
  struct Plan {
    std::int64_t size = 0;
    std::optional<CheckpointRow> last;
    tlog::Hash root{};
  };
  const auto plan = db_.read([](Connection& c) {
    Plan p;
    p.size = Journal::head(c);
    p.last = ledger_store::latest_checkpoint(c);
    if (p.last && p.last->size > p.size)
      throw InconsistentLog("the log holds " + std::to_string(p.size) + " entries but it signed a checkpoint of " +
                            std::to_string(p.last->size) + ": entries were removed");
    if (p.last && p.last->size == p.size) return p;
    p.root = Journal::root(c, p.size);
    if (p.last) {
      // Never sign what does not extend the last checkpoint: the stored tree must prove it.
      const auto last_root = tlog::hash_from_base64(p.last->root);
      const auto proof = tlog::consistency_proof(Journal::nodes(c), static_cast<std::uint64_t>(p.last->size),
                                                 static_cast<std::uint64_t>(p.size));
      if (!last_root || !tlog::verify_consistency(static_cast<std::uint64_t>(p.last->size),
                                                  static_cast<std::uint64_t>(p.size), *last_root, p.root, proof))
        throw InconsistentLog("the tree of " + std::to_string(p.size) +
                              " entries is not consistent with the checkpoint signed at " +
                              std::to_string(p.last->size) + ": entries before it were altered");
    }
    return p;
  });
  if (plan.last && plan.last->size == plan.size) return plan.size;
  tlog::Checkpoint cp{key_->name(), static_cast<std::uint64_t>(plan.size), plan.root, {}};
  const auto text = cp.text();
  tlog::Note note{text, {key_->sign(text)}};
  CheckpointRow row{plan.size, tlog::to_base64(plan.root), note.format(), now_rfc3339()};
  db_.write([&row](Connection& c) {
    if (!ledger_store::checkpoint(c, row.size)) ledger_store::insert_checkpoint(c, row);
  });
  if (on_checkpoint_) on_checkpoint_(row.size);
  return row.size;
}

std::optional<CheckpointRow> LedgerService::latest_checkpoint_row() {
  return db_.read([](Connection& c) { return ledger_store::latest_checkpoint(c); });
}

std::optional<std::string> LedgerService::latest_checkpoint() {
  return db_.read([](Connection& c) -> std::optional<std::string> {
    auto row = ledger_store::latest_checkpoint(c);
    if (!row) return std::nullopt;
    std::string out = row->note;
    for (const auto& cs : ledger_store::cosignatures(c, row->size)) out += cs.line;
    return out;
  });
}

nlohmann::json LedgerService::inclusion_proof(std::int64_t index, std::int64_t size) {
  return db_.read([&](Connection& c) {
    const auto tree = Journal::head(c);
    if (size < 1 || size > tree)
      throw Problem::bad_request("size must be between 1 and the tree's size (" + std::to_string(tree) + ")",
                                 {{"size", "outside the tree"}});
    if (index < 0 || index >= size)
      throw Problem::bad_request("index must be below size", {{"index", "not in a tree of this size"}});
    const auto leaf = Journal::nodes(c)(0, static_cast<std::uint64_t>(index));
    nlohmann::json hashes = nlohmann::json::array();
    for (const auto& h :
         tlog::inclusion_proof(Journal::nodes(c), static_cast<std::uint64_t>(index), static_cast<std::uint64_t>(size)))
      hashes.push_back(tlog::to_base64(h));
    return nlohmann::json{{"index", index}, {"size", size}, {"leaf_hash", tlog::to_base64(leaf)}, {"hashes", hashes}};
  });
}

std::vector<tlog::Hash> LedgerService::consistency_hashes(std::int64_t from, std::int64_t to) {
  return db_.read([&](Connection& c) {
    const auto tree = Journal::head(c);
    if (to < 0 || to > tree)
      throw Problem::bad_request("to must be at most the tree's size (" + std::to_string(tree) + ")",
                                 {{"to", "outside the tree"}});
    if (from < 0 || from > to) throw Problem::bad_request("from must be between 0 and to", {{"from", "not below to"}});
    return tlog::consistency_proof(Journal::nodes(c), static_cast<std::uint64_t>(from), static_cast<std::uint64_t>(to));
  });
}

nlohmann::json LedgerService::consistency_proof(std::int64_t from, std::int64_t to) {
  nlohmann::json hashes = nlohmann::json::array();
  for (const auto& h : consistency_hashes(from, to)) hashes.push_back(tlog::to_base64(h));
  return {{"from", from}, {"to", to}, {"hashes", hashes}};
}

std::optional<std::string> LedgerService::tile(int level, std::uint64_t index, int width) {
  if (level < 0 || level > 5 || width < 1 || width > 256) return std::nullopt;
  return db_.read([&](Connection& c) -> std::optional<std::string> {
    const auto size = static_cast<std::uint64_t>(Journal::head(c));
    // Hash i of the tile is the complete subtree of 256^level leaves number index*256 + i.
    const std::uint64_t span = std::uint64_t{1} << (8 * level);
    const std::uint64_t first = index * 256;
    // (first + width) * span <= size, without the product overflowing (span is up to 2^40).
    if (index > (std::uint64_t{1} << 40) || first + static_cast<std::uint64_t>(width) > size / span) return std::nullopt;
    std::string out;
    out.reserve(static_cast<std::size_t>(width) * 32);
    const auto nodes = Journal::nodes(c);
    for (int i = 0; i < width; ++i) {
      const auto h = nodes(8 * level, first + static_cast<std::uint64_t>(i));
      out.append(reinterpret_cast<const char*>(h.data()), h.size());
    }
    return out;
  });
}

std::string LedgerService::entry(const auth::Principal& who, std::int64_t index) {
  return db_.read([&](Connection& c) {
    const auto e = index >= 0 ? Journal::at_index(c, index) : std::nullopt;
    if (!e || !policy_.may_read(c, who, *e)) throw Problem::not_found("No ledger entry " + std::to_string(index) + ".");
    return Journal::leaf_data(*e);
  });
}

nlohmann::json LedgerService::list(const auth::Principal& who, std::int64_t after, std::int64_t limit) {
  return db_.read([&](Connection& c) {
    nlohmann::json entries = nlohmann::json::array();
    // Reads pages of the journal until `limit` readable entries are found or 20 pages
    // were scanned (a reader who may see little gets `next` to continue from).
    std::int64_t cursor = after;
    bool more = true;
    for (int page = 0; page < 20 && more && static_cast<std::int64_t>(entries.size()) < limit; ++page) {
      auto rows = c.query("SELECT seq FROM journal WHERE seq > ? ORDER BY seq LIMIT 500", {cursor + 1});
      more = rows.size() == 500;
      for (const auto& r : rows) {
        const auto e = Journal::at_index(c, r.integer("seq") - 1);
        cursor = e->index();
        if (!policy_.may_read(c, who, *e)) continue;
        entries.push_back({{"index", e->index()}, {"at", e->at}, {"action", e->action}, {"object", e->object}});
        if (static_cast<std::int64_t>(entries.size()) == limit) {
          more = Journal::head(c) > cursor + 1;
          break;
        }
      }
    }
    return nlohmann::json{{"entries", entries}, {"next", more ? nlohmann::json(cursor) : nlohmann::json()}};
  });
}

nlohmann::json LedgerService::records(const auth::Principal& who, const std::string& object, std::int64_t after) {
  constexpr std::int64_t kPage = 1000;
  return db_.read([&](Connection& c) {
    nlohmann::json out = nlohmann::json::array();
    // The entry's own object or a finer key a capability indexed it under (storage/ledger_refs.h).
    const auto seqs = storage::ledger_refs::entries(c, object, kPage, after + 1);
    for (const auto seq : seqs) {
      const auto e = Journal::at_index(c, seq - 1);
      if (!e || !policy_.may_read(c, who, *e)) continue;
      out.push_back({{"index", e->index()}, {"at", e->at}, {"action", e->action}});
    }
    const bool more = static_cast<std::int64_t>(seqs.size()) == kPage;
    return nlohmann::json{{"object", object},
                          {"records", out},
                          {"next", more ? nlohmann::json(seqs.back() - 1) : nlohmann::json()}};
  });
}

std::string LedgerService::receipt(const auth::Principal& who, std::int64_t index) {
  const auto leaf = entry(who, index);
  auto latest = latest_checkpoint_row();
  if (!latest || latest->size <= index) {
    try {
      checkpoint_now();
    } catch (const std::exception&) {
      // No key or a tree that no longer extends what was signed: no receipt (the signer's
      // loop raises the alarm).
      throw Problem(503, "ledger-unavailable", "The ledger cannot sign a checkpoint",
                    "No checkpoint covers entry " + std::to_string(index) + " and none can be signed now.");
    }
    latest = latest_checkpoint_row();
  }
  if (!latest || latest->size <= index) throw Problem::not_found("No checkpoint covers entry " + std::to_string(index) + " yet.");
  return db_.read([&](Connection& c) {
    tlog::Receipt r;
    r.extra = leaf;
    r.index = static_cast<std::uint64_t>(index);
    r.proof = tlog::inclusion_proof(Journal::nodes(c), r.index, static_cast<std::uint64_t>(latest->size));
    r.checkpoint = latest->note;
    for (const auto& cs : ledger_store::cosignatures(c, latest->size)) r.checkpoint += cs.line;
    return r.format();
  });
}

void LedgerService::add_cosignature(std::int64_t size, const CosignatureRow& row) {
  db_.write([&](Connection& c) { ledger_store::insert_cosignature(c, size, row, now_rfc3339()); });
}

}  // namespace parley::ledger
