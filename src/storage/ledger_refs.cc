#include "storage/ledger_refs.h"

#include <nlohmann/json.hpp>

namespace parley::storage::ledger_refs {

namespace {
// The keys the capabilities give their entries today (negotiation_service.cc,
// hotline_service.cc), for the entries journaled before this table existed. Older STIX
// entries named only a batch's first and last ids: they get no stix: key.
void backfill(Connection& c) {
  for (std::int64_t after = 0;;) {
    auto rows = c.query(
        "SELECT seq, action, object, change FROM journal WHERE seq > ? AND (action LIKE 'negotiation.%' OR "
        "action = 'communication.answer') ORDER BY seq LIMIT 1000",
        {after});
    if (rows.empty()) return;
    for (const auto& r : rows) {
      after = r.integer("seq");
      const auto action = r.text("action");
      const auto object = r.text("object");
      nlohmann::json change;
      try {
        change = nlohmann::json::parse(r.text("change"));
      } catch (const std::exception&) {
        continue;
      }
      if (!change.is_object()) continue;
      if (action == "communication.answer") {
        if (change.contains("reply") && change["reply"].is_number_integer())
          add(c, "communication:" + change["reply"].dump(), after);
        continue;
      }
      constexpr std::string_view kDoc = "negotiation:document:";
      if (object.compare(0, kDoc.size(), kDoc) != 0) continue;
      const auto doc = object.substr(kDoc.size());
      if (const auto p = change.find("proposal"); p != change.end() && !p->is_null())
        add(c, "proposal:" + doc + ":" + (p->is_string() ? p->get<std::string>() : p->dump()), after);
      if (action == "negotiation.revision.circulated" && change.contains("revision"))
        add(c, "revision:" + doc + ":" + change["revision"].dump(), after);
    }
  }
}
}  // namespace

Migration migration() {
  Migration m{620, "ledger record keys",
          R"sql(
CREATE TABLE ledger_refs (
  ref TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (ref, seq)
) WITHOUT ROWID;
CREATE TRIGGER ledger_refs_no_update BEFORE UPDATE ON ledger_refs
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_refs_no_delete BEFORE DELETE ON ledger_refs
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
)sql"};
  m.apply = backfill;
  return m;
}

void add(Connection& c, const std::string& ref, std::int64_t seq) {
  if (ref.empty() || ref.size() > kMaxRef) return;
  c.execute("INSERT INTO ledger_refs (ref, seq) VALUES (?, ?) ON CONFLICT DO NOTHING", {ref, seq});
}

void add_many(Connection& c, const std::vector<std::string>& refs, std::int64_t seq) {
  constexpr std::size_t kChunk = 400;   // 800 parameters a statement, well under SQLite's limit
  for (std::size_t at = 0; at < refs.size();) {
    std::string sql = "INSERT INTO ledger_refs (ref, seq) VALUES ";
    Params params;
    std::size_t n = 0;
    for (; at < refs.size() && n < kChunk; ++at) {
      if (refs[at].empty() || refs[at].size() > kMaxRef) continue;
      sql += n++ ? ",(?,?)" : "(?,?)";
      params.emplace_back(refs[at]);
      params.emplace_back(seq);
    }
    if (n == 0) continue;
    sql += " ON CONFLICT DO NOTHING";
    c.execute(sql, params);
  }
}

std::vector<std::int64_t> entries(Connection& c, const std::string& ref, std::int64_t limit, std::int64_t after_seq) {
  std::vector<std::int64_t> out;
  for (const auto& r : c.query("SELECT seq FROM journal WHERE object = ? AND seq > ? UNION "
                               "SELECT seq FROM ledger_refs WHERE ref = ? AND seq > ? ORDER BY seq LIMIT ?",
                               {ref, after_seq, ref, after_seq, limit}))
    out.push_back(r.integer("seq"));
  return out;
}

}  // namespace parley::storage::ledger_refs
