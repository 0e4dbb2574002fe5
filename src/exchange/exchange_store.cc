#include "exchange/exchange_store.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "auth/people.h"
#include "common/fnv.h"
#include "common/fold.h"
#include "common/text.h"
#include "directory/membership.h"

namespace parley::exchange::store {

using storage::Connection;
using storage::Params;
using storage::placeholders;
using storage::Row;

namespace {

// FNV-1a, 64 bits, as a signed SQL integer.
std::int64_t id_hash(std::string_view id) { return fnv1a64(id); }

std::vector<std::string> string_list(const std::string& json_text) {
  std::vector<std::string> out;
  for (const auto& v : nlohmann::json::parse(json_text)) out.push_back(v.get<std::string>());
  return out;
}

Collection collection_from(Connection& c, const Row& r) {
  Collection col;
  col.pk = r.integer("id");
  col.id = r.text("uuid");
  col.forum = r.text("forum");
  col.kind = r.text("kind");
  col.title = r.text("title");
  col.description = r.text("description");
  col.states = string_list(r.text("states"));
  for (const auto& v : nlohmann::json::parse(r.text("people"))) col.people.push_back(v.get<std::int64_t>());
  for (auto id : col.people) {
    const auto u = auth::people::by_id(c, id);
    col.people_names.push_back(u ? u->username : std::to_string(id));
  }
  col.created_by = r.text("created_by");
  col.created_at = r.integer("created_at");
  return col;
}

constexpr const char* kCollectionColumns =
    "SELECT id, uuid, forum, kind, title, description, states, people, created_by, created_at FROM exchange_collections ";

// A row read once: its texts are moved out of it, not copied.
StoredObject object_from(Row& r) {
  StoredObject o;
  o.pk = r.integer("id");
  o.collection_pk = r.integer("collection_id");
  o.stix_id = r.take_text("stix_id");
  o.type = r.take_text("type");
  o.version = r.take_text("version");
  o.spec_version = r.take_text("spec_version");
  o.tlp = static_cast<Tlp>(r.integer("tlp"));
  o.name = r.take_text("name");
  o.added_us = r.integer("added_at");
  o.producer_user = r.integer("producer_user");
  o.producer_state = r.take_text("producer_state");
  o.body = r.take_text("body");
  return o;
}

constexpr const char* kObjectColumns =
    "o.id, o.collection_id, o.stix_id, o.type, o.version, o.spec_version, o.tlp, o.name, o.added_at, "
    "o.producer_user, o.producer_state, o.body";

// What a TAXII envelope needs of an object (ObjectFilter::envelope_only).
constexpr const char* kEnvelopeColumns = "o.id, o.added_at, o.body";

StoredObject envelope_object_from(Row& r) {
  StoredObject o;
  o.pk = r.integer("id");
  o.added_us = r.integer("added_at");
  o.body = r.take_text("body");
  return o;
}

// The visibility predicate for alias `a` (exchange/access.h).
std::string visible(const std::string& a, const Reader& who, Params& p) {
  std::string sql = "(";
  if (!who.rights.tlps.empty()) {
    sql += a + ".tlp IN (" + placeholders(who.rights.tlps.size()) + ") OR ";
    for (int t : who.rights.tlps) p.emplace_back(static_cast<std::int64_t>(t));
  }
  sql += a + ".producer_user = ?";
  p.emplace_back(who.user_id);
  if (!who.state.empty()) {
    sql += " OR (" + a + ".producer_state = ? AND " + a + ".tlp < 4)";
    p.emplace_back(who.state);
  }
  return sql + ")";
}

// WHERE conditions shared by objects, versions and delete (alias o).
std::string conditions(const Reader& who, const ObjectFilter& f, Params& p, bool versions_apply) {
  std::string sql = visible("o", who, p);
  if (f.added_after_us) {
    sql += " AND o.added_at > ?";
    p.emplace_back(*f.added_after_us);
  }
  if (!f.ids.empty()) {
    sql += " AND o.id_hash IN (" + placeholders(f.ids.size()) + ") AND o.stix_id IN (" + placeholders(f.ids.size()) + ")";
    for (const auto& id : f.ids) p.emplace_back(id_hash(id));
    for (const auto& id : f.ids) p.emplace_back(id);
  }
  if (!f.types.empty()) {
    sql += " AND o.type IN (" + placeholders(f.types.size()) + ")";
    for (const auto& t : f.types) p.emplace_back(t);
  }
  if (!f.spec_versions.empty() &&
      std::find(f.spec_versions.begin(), f.spec_versions.end(), "2.1") == f.spec_versions.end())
    sql += " AND 1 = 0";
  if (f.tlp) {
    sql += " AND o.tlp = ?";
    p.emplace_back(static_cast<std::int64_t>(*f.tlp));
  }
  if (!f.text.empty()) {
    // Names fold case and diacritics in every script (common/fold.h); ids and bodies
    // are matched as written but for case (ASCII case on SQLite, whose lower() and LIKE
    // know no other; PostgreSQL's LIKE is case-sensitive, hence lower() on both sides).
    const std::string like = "%" + like_escape(f.text) + "%";
    sql += " AND (fold_for_search(o.name) LIKE ? ESCAPE '\\' OR lower(o.stix_id) LIKE lower(?) ESCAPE '\\'"
           " OR lower(o.body) LIKE lower(?) ESCAPE '\\')";
    p.emplace_back("%" + like_escape(fold_for_search(f.text)) + "%");
    p.emplace_back(like);
    p.emplace_back(like);
  }
  if (versions_apply) {
    const std::vector<std::string> versions = f.versions.empty() ? std::vector<std::string>{"last"} : f.versions;
    if (std::find(versions.begin(), versions.end(), "all") == versions.end()) {
      std::string any;
      for (const auto& v : versions) {
        if (!any.empty()) any += " OR ";
        if (v == "last" || v == "first") {
          // Most objects have one version: only_version spares them the probe.
          any += "o.only_version = 1 OR NOT EXISTS (SELECT 1 FROM stix_objects n WHERE n.collection_id = o.collection_id AND n.id_hash = o.id_hash"
                 " AND n.stix_id = o.stix_id"
                 " AND n.version_key " + std::string(v == "last" ? ">" : "<") + " o.version_key AND " +
                 visible("n", who, p) + ")";
        } else {
          any += "o.version_key = ?";
          p.emplace_back(timestamp_key(v).value_or(v));
        }
      }
      sql += " AND (" + any + ")";
    }
  }
  return sql;
}

// Up to `limit` objects of the collection that `who` may see, matching `f`, in the order
// they were added, within `range` (SQL on alias o, with its parameters).
std::vector<StoredObject> objects_in(Connection& c, std::int64_t collection_pk, const Reader& who,
                                     const ObjectFilter& f, const std::string& range, Params range_params,
                                     std::size_t limit) {
  Params p{collection_pk};
  for (auto& v : range_params) p.push_back(std::move(v));
  std::string sql = std::string("SELECT ") + (f.envelope_only ? kEnvelopeColumns : kObjectColumns) +
                    " FROM stix_objects o WHERE o.collection_id = ?" + range;
  sql += " AND " + conditions(who, f, p, true) + " ORDER BY o.added_at, o.id LIMIT ?";
  p.emplace_back(static_cast<std::int64_t>(limit));
  std::vector<StoredObject> out;
  auto rows = c.query(sql, p);
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(f.envelope_only ? envelope_object_from(r) : object_from(r));
  return out;
}

}  // namespace

std::vector<Collection> collections(Connection& c, const std::string& forum) {
  std::vector<Collection> out;
  for (const auto& r : c.query(std::string(kCollectionColumns) + "WHERE forum = ? ORDER BY kind <> 'forum', id", {forum}))
    out.push_back(collection_from(c, r));
  return out;
}

std::optional<Collection> collection(Connection& c, const std::string& uuid) {
  auto rows = c.query(std::string(kCollectionColumns) + "WHERE uuid = ?", {uuid});
  if (rows.empty()) return std::nullopt;
  return collection_from(c, rows.front());
}

std::optional<Collection> forum_collection(Connection& c, const std::string& forum) {
  auto rows = c.query(std::string(kCollectionColumns) + "WHERE forum = ? AND kind = 'forum'", {forum});
  if (rows.empty()) return std::nullopt;
  return collection_from(c, rows.front());
}

void insert_collection(Connection& c, Collection& col) {
  nlohmann::json people = nlohmann::json::array();
  for (auto id : col.people) people.push_back(id);
  col.pk = c.insert(
      "INSERT INTO exchange_collections(uuid, forum, kind, title, description, states, people, created_by, created_at)"
      " VALUES (?,?,?,?,?,?,?,?,?)",
      {col.id, col.forum, col.kind, col.title, col.description, nlohmann::json(col.states).dump(), people.dump(),
       col.created_by, col.created_at});
}

bool forum_exists(Connection& c, const std::string& forum) {
  return directory::membership::forum_exists(c, forum);
}

bool is_member(Connection& c, const std::string& forum, const std::string& state) {
  return directory::membership::is_member(c, forum, state);
}

bool in_scope(Connection& c, const Collection& col, const std::string& state) {
  if (state.empty()) return false;
  if (col.kind == "forum") return is_member(c, col.forum, state);
  return std::find(col.states.begin(), col.states.end(), state) != col.states.end();
}

namespace {

// ANALYZE stix_objects (PostgreSQL) when `stored` rows are a tenth or more of what the
// planner believes the table holds (never analysed: -1), as autovacuum's own threshold
// would have it, without its delay. It runs inside the write batch, which every
// instance's writes wait for: it never waits for the table's lock (a VACUUM or an index
// build holding it), it gives up at once and leaves the statistics to autovacuum.
void analyze_if_grown(Connection& c, std::size_t stored) {
  const auto believed =
      c.query("SELECT reltuples::bigint AS n FROM pg_class WHERE oid = 'stix_objects'::regclass").at(0).integer("n");
  if (static_cast<std::int64_t>(stored) * 10 < believed) return;
  c.execute("SAVEPOINT analyze_stix");
  try {
    c.execute("SET LOCAL lock_timeout = '100ms'");
    c.execute("ANALYZE stix_objects");
    c.execute("SET LOCAL lock_timeout TO DEFAULT");
    c.execute("RELEASE analyze_stix");
  } catch (const std::exception&) {
    c.execute("ROLLBACK TO analyze_stix");   // also undoes the SET LOCAL
    c.execute("RELEASE analyze_stix");
  }
}

}  // namespace

std::vector<bool> insert_objects(Connection& c, std::int64_t collection_pk, const std::vector<NewObject>& objects,
                                 std::int64_t added_us, std::int64_t producer_user, const std::string& producer_state) {
  constexpr std::size_t kChunk = 64;
  constexpr std::size_t kAnalyzeAfter = 500;   // objects stored by one call
  std::size_t stored = 0;
  std::vector<bool> fresh(objects.size(), false);
  std::set<std::pair<std::string_view, std::string_view>> seen;   // (id, version_key) stored or found
  const auto producer = producer_user ? storage::Value(producer_user) : storage::null();
  const auto producer_st = storage::text_or_null(producer_state);
  for (std::size_t from = 0; from < objects.size(); from += kChunk) {
    const std::size_t n = std::min(kChunk, objects.size() - from);
    Params look{collection_pk};
    for (std::size_t i = from; i < from + n; ++i) look.emplace_back(id_hash(objects[i].info->id));
    std::set<std::pair<std::string, std::string>> there;
    std::map<std::string_view, std::size_t> stored_versions, fresh_versions;   // by stix_id
    for (const auto& r : c.query("SELECT stix_id, version_key FROM stix_objects WHERE collection_id = ? AND id_hash IN (" +
                                     placeholders(n) + ")",
                                 look))
      ++stored_versions[there.emplace(r.text("stix_id"), r.text("version_key")).first->first];
    std::vector<std::size_t> chunk_fresh;
    for (std::size_t i = from; i < from + n; ++i) {
      const auto& info = *objects[i].info;
      if (there.count({info.id, info.version_key}) || !seen.emplace(info.id, info.version_key).second) continue;
      chunk_fresh.push_back(i);
      ++fresh_versions[info.id];
    }
    const auto count = [](const auto& m, std::string_view id) {
      const auto it = m.find(id);
      return it == m.end() ? std::size_t{0} : it->second;
    };
    // An object given a version while one is stored, or two in this chunk, has no only
    // version any more (schema.cc): the stored ones are marked, in one statement whose
    // answer nothing waits for, and the fresh ones are stored so.
    Params mark{collection_pk};
    std::vector<std::string_view> marked;
    for (const auto& [id, _] : fresh_versions)
      if (count(stored_versions, id) > 0) marked.push_back(id);
    if (!marked.empty()) {
      for (auto id : marked) mark.emplace_back(id_hash(id));
      for (auto id : marked) mark.emplace_back(std::string(id));
      c.execute_later("UPDATE stix_objects SET only_version = 0 WHERE collection_id = ? AND only_version = 1"
                      " AND id_hash IN (" + placeholders(marked.size()) + ") AND stix_id IN (" +
                          placeholders(marked.size()) + ")",
                      mark);
    }
    Params values;
    std::size_t rows = 0;
    for (std::size_t i : chunk_fresh) {
      const auto& info = *objects[i].info;
      fresh[i] = true;
      ++rows;
      for (auto&& v : {storage::Value(collection_pk), storage::Value(id_hash(info.id)), storage::Value(info.id),
                       storage::Value(info.type), storage::Value(info.version), storage::Value(info.version_key),
                       storage::Value(info.spec_version),
                       storage::Value(static_cast<std::int64_t>(info.tlp.value_or(Tlp::kRed))),
                       storage::Value(info.name.substr(0, 500)), storage::Value(added_us), producer, producer_st,
                       storage::Value(std::string(objects[i].body)),
                       storage::Value(static_cast<std::int64_t>(
                           count(stored_versions, info.id) + count(fresh_versions, info.id) == 1))})
        values.push_back(std::move(v));
    }
    if (rows == 0) continue;
    std::string sql =
        "INSERT INTO stix_objects(collection_id, id_hash, stix_id, type, version, version_key, spec_version, tlp,"
        " name, added_at, producer_user, producer_state, body, only_version) VALUES ";
    for (std::size_t k = 0; k < rows; ++k) sql += k ? ",(?,?,?,?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    c.execute(sql, values);
    stored += rows;
  }
  // PostgreSQL plans each page query with the table's statistics, which its autovacuum
  // refreshes only a minute or more after a bulk insert. Until then a collection that
  // just grew by thousands looks nearly empty, and the latest-version check (NOT EXISTS
  // in conditions()) was planned as a nested loop over the whole collection for every
  // object: quadratic, minutes for a page of a 20,000-object collection (seen in CI).
  // Refreshed here, in the inserting transaction (ANALYZE counts its own rows), the
  // first page after the insert is planned with the right sizes. (SQLite's planner
  // does not depend on gathered statistics this way; its ANALYZE would change plans.)
  if (stored >= kAnalyzeAfter && c.dialect() == storage::Dialect::kPostgreSQL) analyze_if_grown(c, stored);
  return fresh;
}

ObjectPage objects(Connection& c, std::int64_t collection_pk, const Reader& who, const ObjectFilter& f) {
  // A page resumes after its cursor's (added_at, id), asked as two index ranges: the rest
  // of the cursor's instant by id, then the later instants. As one row-value range,
  // (added_at, id) > (?, ?), SQLite's planner bounds the index on added_at alone when id
  // is the rowid, and every page read again all that was added at the cursor's instant
  // before it: a bulk import adds thousands at one instant, and paging through it was
  // quadratic.
  const std::size_t want = f.limit + 1;   // one more than the page: is there a next?
  ObjectPage page;
  if (f.after) {
    page.objects = objects_in(c, collection_pk, who, f, " AND o.added_at = ? AND o.id > ?",
                              {f.after->added_us, f.after->pk}, want);
    if (page.objects.size() < want) {
      auto later = objects_in(c, collection_pk, who, f, " AND o.added_at > ?", {f.after->added_us},
                              want - page.objects.size());
      std::move(later.begin(), later.end(), std::back_inserter(page.objects));
    }
  } else {
    page.objects = objects_in(c, collection_pk, who, f, "", {}, want);
  }
  if (page.objects.size() > f.limit) {
    page.objects.pop_back();
    page.more = true;
    page.next = Cursor{page.objects.back().added_us, page.objects.back().pk};
  }
  return page;
}

ObjectPage versions(Connection& c, std::int64_t collection_pk, const Reader& who, const std::string& stix_id,
                    const ObjectFilter& f) {
  // Versions oldest first; an object has few, so the cursor is an offset (its pk).
  Params p{collection_pk, id_hash(stix_id), stix_id};
  std::string sql = std::string("SELECT ") + kObjectColumns +
                    " FROM stix_objects o WHERE o.collection_id = ? AND o.id_hash = ? AND o.stix_id = ?";
  ObjectFilter g = f;
  g.versions = {"all"};
  sql += " AND " + conditions(who, g, p, false) + " ORDER BY o.version_key, o.id LIMIT ? OFFSET ?";
  const std::int64_t offset = f.after ? f.after->pk : 0;
  p.emplace_back(static_cast<std::int64_t>(f.limit + 1));
  p.emplace_back(offset);
  ObjectPage page;
  for (auto& r : c.query(sql, p)) page.objects.push_back(object_from(r));
  if (page.objects.size() > f.limit) {
    page.objects.pop_back();
    page.more = true;
    page.next = Cursor{0, offset + static_cast<std::int64_t>(f.limit)};
  }
  return page;
}

std::vector<StoredObject> remove(Connection& c, std::int64_t collection_pk, const Reader& who,
                                 const std::string& stix_id, const ObjectFilter& f) {
  Params p{collection_pk, id_hash(stix_id), stix_id};
  const std::string sql = std::string("SELECT ") + kObjectColumns +
                          " FROM stix_objects o WHERE o.collection_id = ? AND o.id_hash = ? AND o.stix_id = ? AND " +
                          conditions(who, f, p, true);
  std::vector<StoredObject> gone;
  for (auto& r : c.query(sql, p)) gone.push_back(object_from(r));
  for (const auto& o : gone) c.execute("DELETE FROM stix_objects WHERE id = ?", {o.pk});
  if (!gone.empty())   // the one version left, if one is, is the only one again
    c.execute("UPDATE stix_objects SET only_version = 1 WHERE collection_id = ? AND id_hash = ? AND stix_id = ?"
              " AND (SELECT count(*) FROM stix_objects n WHERE n.collection_id = ? AND n.id_hash = ? AND n.stix_id = ?) = 1",
              {collection_pk, id_hash(stix_id), stix_id, collection_pk, id_hash(stix_id), stix_id});
  return gone;
}

void insert_status(Connection& c, const std::string& uuid, std::int64_t collection_pk, std::int64_t user_id,
                   const std::string& request_timestamp, const IngestOutcome& o) {
  nlohmann::json successes = nlohmann::json::array(), failures = nlohmann::json::array();
  for (const auto& s : o.successes) successes.push_back({{"id", s.id}, {"version", s.version}});
  // One entry per refused object (its errors joined), so that the lists' lengths equal
  // the counts, which TAXII clients check (taxii2-client refuses a status otherwise).
  for (std::size_t i = 0; i < o.failures.size();) {
    const auto& f = o.failures[i];
    std::string message;
    std::size_t j = i;
    for (; j < o.failures.size() && o.failures[j].index == f.index; ++j)
      message += (message.empty() ? "" : "; ") + (o.failures[j].property.empty() ? "" : o.failures[j].property + ": ") +
                 o.failures[j].rule;
    failures.push_back({{"id", f.id}, {"message", message}});
    i = j;
  }
  c.execute(
      "INSERT INTO exchange_status(uuid, collection_id, user_id, request_timestamp, total, success, failure, details)"
      " VALUES (?,?,?,?,?,?,?,?)",
      {uuid, collection_pk, user_id, request_timestamp, static_cast<std::int64_t>(o.total),
       static_cast<std::int64_t>(o.stored + o.duplicates), static_cast<std::int64_t>(o.rejected),
       nlohmann::json{{"successes", successes}, {"failures", failures}}.dump()});
}

std::optional<StatusRow> status(Connection& c, const std::string& uuid) {
  auto rows = c.query(
      "SELECT uuid, collection_id, user_id, request_timestamp, total, success, failure, details FROM exchange_status"
      " WHERE uuid = ?",
      {uuid});
  if (rows.empty()) return std::nullopt;
  const auto& r = rows.front();
  return StatusRow{r.text("uuid"),  r.integer("collection_id"), r.integer("user_id"), r.text("request_timestamp"),
                   r.integer("total"), r.integer("success"),    r.integer("failure"), nlohmann::json::parse(r.text("details"))};
}

}  // namespace parley::exchange::store
