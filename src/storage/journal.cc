#include "storage/journal.h"

#include <map>

#include "storage/journal_tree_switch.h"

#include "common/ledger_capture.h"
#include "common/time.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace parley::storage {

namespace {
const std::string kGenesis(64, '0');
constexpr std::int64_t kLevelStride = std::int64_t{1} << 48;
// False only in the benchmark executable that measures the journal without the ledger
// (storage/journal_tree_switch.h).
bool g_ledger_tree = true;

std::int64_t node_key(int level, std::uint64_t index) {
  return level * kLevelStride + static_cast<std::int64_t>(index);
}

tlog::Hash read_node(Connection& c, int level, std::uint64_t index) {
  auto rows = c.query("SELECT hash FROM ledger_nodes WHERE node = ?", {node_key(level, index)});
  if (rows.empty())
    throw std::runtime_error("the ledger has no node at level " + std::to_string(level) + ", index " +
                             std::to_string(index));
  auto h = tlog::hash_from_hex(rows[0].text("hash"));
  if (!h) throw std::runtime_error("the ledger's node at level " + std::to_string(level) + " is not a hash");
  return *h;
}

void append_leaf(Connection& c, const JournalEntry& e) {
  const auto leaf = tlog::leaf_hash(Journal::leaf_data(e));
  const auto index = static_cast<std::uint64_t>(e.index());
  for (const auto& [level, hash] : tlog::append_leaf(Journal::nodes(c), index, leaf))
    c.execute_later("INSERT INTO ledger_nodes(node, hash) VALUES (?, ?)",
                    {node_key(level, index >> level), tlog::to_hex(hash)});
}

std::string new_nonce() { return crypto::to_hex(crypto::random_bytes(16)); }

JournalEntry entry_from(const Row& r) {
  JournalEntry e{r.integer("seq"), r.text("at"),     r.text("actor"),     r.text("action"),
                 r.text("object"), r.text("change"), r.text("prev_hash"), r.text("hash"), r.text("nonce")};
  return e;
}
}  // namespace

void bench_only::journal_without_ledger_tree() { g_ledger_tree = false; }

Migration Journal::ledger_migration() {
  Migration m{2, "ledger",
              R"sql(
ALTER TABLE journal ADD COLUMN nonce TEXT;
CREATE INDEX journal_object ON journal(object);
CREATE TABLE ledger_nodes (
  node INTEGER PRIMARY KEY,
  hash TEXT NOT NULL
);
CREATE TRIGGER ledger_nodes_no_update BEFORE UPDATE ON ledger_nodes
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_nodes_no_delete BEFORE DELETE ON ledger_nodes
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
)sql"};
  // Entries written before the ledger existed get their nonce and their leaves now, in
  // journal order: the one time the journal's rows are updated (its trigger is set
  // aside for this transaction only).
  m.apply = [](Connection& c) {
    if (c.query("SELECT 1 AS x FROM journal LIMIT 1").empty()) return;
    c.execute_script("DROP TRIGGER journal_no_update");
    for (std::int64_t after = 0;;) {
      auto rows = c.query(
          "SELECT seq, at, actor, action, object, change, prev_hash, hash, nonce FROM journal"
          " WHERE seq > ? ORDER BY seq LIMIT 1000",
          {after});
      if (rows.empty()) break;
      for (const auto& r : rows) {
        auto e = entry_from(r);
        e.nonce = new_nonce();
        c.execute("UPDATE journal SET nonce = ? WHERE seq = ?", {e.nonce, e.seq});
        append_leaf(c, e);
        after = e.seq;
      }
    }
    c.execute_script(
        "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal"
        "  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;");
  };
  return m;
}

std::string Journal::leaf_data(const JournalEntry& e) {
  // The canonical JSON of the body, written around the stored change, which is already
  // canonical (append() stored canonical(change)): no parse and re-serialisation of what
  // may be a large change (a STIX batch). Keys in canonical (sorted) order. A change
  // altered in the file into something else gives other bytes, hence another leaf hash:
  // verify() notices either way.
  auto quoted = [](const std::string& s) { return canonical(nlohmann::json(s)); };
  std::string out;
  out.reserve(e.change.size() + e.action.size() + e.actor.size() + e.object.size() + 160);
  out.append("{\"action\":").append(quoted(e.action));
  out.append(",\"actor\":").append(quoted(e.actor));
  out.append(",\"at\":").append(quoted(e.at));
  out.append(",\"change\":").append(e.change);
  out.append(",\"nonce\":").append(quoted(e.nonce));
  out.append(",\"object\":").append(quoted(e.object));
  out.append(",\"seq\":").append(std::to_string(e.seq));
  out.append("}");
  return out;
}

std::optional<JournalEntry> Journal::at_index(Connection& c, std::int64_t index) {
  auto rows = c.query(
      "SELECT seq, at, actor, action, object, change, prev_hash, hash, nonce FROM journal WHERE seq = ?",
      {index + 1});
  if (rows.empty()) return std::nullopt;
  return entry_from(rows[0]);
}

tlog::NodeReader Journal::nodes(Connection& c) {
  return [&c](int level, std::uint64_t index) { return read_node(c, level, index); };
}

tlog::Hash Journal::root(Connection& c, std::int64_t size) {
  return tlog::root(nodes(c), static_cast<std::uint64_t>(size));
}

Migration Journal::migration() {
  return {1, "journal",
          R"sql(
CREATE TABLE journal (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  change TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
);
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
)sql"};
}

std::string Journal::canonical(const nlohmann::json& j) {
  // nlohmann::json objects are std::map-backed: keys come out sorted. dump() with no
  // indent emits no insignificant whitespace; ensure_ascii=false keeps UTF-8 as is.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

std::string Journal::hash_of(const std::string& prev_hash, const JournalEntry& e, const nlohmann::json& change) {
  nlohmann::json body = nlohmann::json::object();
  body["seq"] = e.seq;
  body["at"] = e.at;
  body["actor"] = e.actor;
  body["action"] = e.action;
  body["object"] = e.object;
  body["change"] = change;
  return crypto::sha256_hex(prev_hash + "\n" + canonical(body));
}

std::string Journal::entry_hash(const std::string& prev_hash, const JournalEntry& e) {
  return hash_of(prev_hash, e, nlohmann::json::parse(e.change));
}

JournalEntry Journal::append(Connection& c, const std::string& actor, const std::string& action,
                             const std::string& object, const nlohmann::json& change) {
  // One total order across every instance on the database: the sequence number, the
  // previous hash and the tree's left siblings are read and then written, so no other
  // transaction may append between our read and our commit (PostgreSQL: an advisory lock
  // held to commit; SQLite: the write transaction already excludes other writers). The
  // primary key on seq would refuse a duplicate anyway; the lock makes it wait instead.
  c.lock("journal");
  JournalEntry e;
  auto last = c.query("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1");
  e.seq = last.empty() ? 1 : last[0].integer("seq") + 1;
  e.prev_hash = last.empty() ? kGenesis : last[0].text("hash");
  e.at = to_rfc3339_ms(Clock::now());
  e.actor = actor;
  e.action = action;
  e.object = object;
  e.change = canonical(change);
  e.hash = hash_of(e.prev_hash, e, change);   // the object itself: no re-parse of e.change
  if (g_ledger_tree) e.nonce = new_nonce();
  c.execute_later(   // held (Connection::execute_later): the write's next statement carries it
      "INSERT INTO journal(seq, at, actor, action, object, change, prev_hash, hash, nonce)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {e.seq, e.at, e.actor, e.action, e.object, e.change, e.prev_hash, e.hash, text_or_null(e.nonce)});
  if (g_ledger_tree) append_leaf(c, e);
  ledger_capture::note(e.index());
  return e;
}

std::int64_t Journal::head(Connection& c) {
  auto rows = c.query("SELECT seq FROM journal ORDER BY seq DESC LIMIT 1");
  return rows.empty() ? 0 : rows[0].integer("seq");
}

VerifyReport Journal::verify(Connection& c) {
  VerifyReport report;
  // The right edge of the tree recomputed so far: the last complete subtree per level.
  std::map<int, tlog::Hash> frontier;
  const tlog::NodeReader frontier_reader = [&frontier](int level, std::uint64_t) { return frontier.at(level); };
  std::string prev = kGenesis;
  std::int64_t expected_seq = 1;
  const std::int64_t page = 1000;
  for (std::int64_t after = 0;;) {
    auto rows = c.query(
        "SELECT seq, at, actor, action, object, change, prev_hash, hash, nonce FROM journal"
        " WHERE seq > ? ORDER BY seq LIMIT ?",
        {after, page});
    if (rows.empty()) break;
    for (const auto& r : rows) {
      auto e = entry_from(r);
      auto broken = [&](std::string why) {
        report.broken_at = e.seq;
        report.reason = std::move(why);
      };
      if (e.seq != expected_seq) {
        broken("expected entry " + std::to_string(expected_seq) + " but found " + std::to_string(e.seq) +
               " (an entry is missing)");
      } else if (e.prev_hash != prev) {
        broken("prev_hash does not match the hash of entry " + std::to_string(e.seq - 1));
      } else {
        std::string computed;
        try {
          computed = entry_hash(prev, e);
        } catch (const std::exception&) {
          broken("the change is not valid JSON");
        }
        if (!report.broken_at && computed != e.hash)
          broken("the stored hash does not match the entry's content (content was altered)");
      }
      if (!report.broken_at) {
        // The tree: recompute what appending this leaf stores and compare it with what
        // is stored (a tree rebuilt over altered entries differs here, or at its root
        // from the checkpoints that were signed; ledger/ checks those).
        try {
          const auto leaf = tlog::leaf_hash(leaf_data(e));
          for (const auto& [level, hash] : tlog::append_leaf(frontier_reader, static_cast<std::uint64_t>(e.index()), leaf)) {
            frontier[level] = hash;
            if (read_node(c, level, static_cast<std::uint64_t>(e.index()) >> level) != hash) {
              broken("the ledger's tree does not match entry " + std::to_string(e.seq) +
                     (level == 0 ? " (its leaf hash differs)" : " (an interior node differs)"));
              break;
            }
          }
        } catch (const std::exception& ex) {
          broken(std::string("the ledger's tree is incomplete at entry ") + std::to_string(e.seq) + ": " + ex.what());
        }
      }
      if (report.broken_at) return report;
      prev = e.hash;
      ++expected_seq;
      ++report.entries;
      after = e.seq;
    }
  }
  report.head = prev;
  report.root = tlog::to_hex(root(c, report.entries));
  return report;
}

}  // namespace parley::storage
