#include "directory/directory_store.h"

#include <fmt/format.h>

#include <map>

#include "auth/people.h"
#include "common/fold.h"
#include "common/text.h"
#include "common/time.h"

namespace parley::directory {

using storage::Params;
using storage::Row;
using storage::Value;

namespace {


constexpr const char* kContactSelect =
    "SELECT c.id, c.state, COALESCE(sn.name, s.name) AS state_name, c.agency_id, a.name AS agency_name, c.name, c.type,"
    " c.position, c.languages, c.timezone, c.availability, c.office_hours, c.channels, c.key_fingerprint,"
    " c.nomination_ref, c.valid_from, c.valid_until, c.status, c.status_note, c.nominated_by, c.decided_by,"
    " c.decided_at, c.created_at, c.updated_at, c.version, c.confirmed_at"
    " FROM contacts c JOIN states s ON s.alpha3 = c.state"
    " LEFT JOIN state_names sn ON sn.alpha3 = c.state AND sn.language = ?"   // the state's name in the caller's language
    " LEFT JOIN agencies a ON a.id = c.agency_id";

Contact contact_from(const Row& r) {
  Contact c;
  c.id = r.integer("id");
  c.state = r.text("state");
  c.state_name = r.text("state_name");
  c.agency_id = r.opt_integer("agency_id");
  c.agency_name = r.text("agency_name");
  c.name = r.text("name");
  c.type = r.text("type");
  c.position = r.text("position");
  c.languages = nlohmann::json::parse(r.text("languages")).get<std::vector<std::string>>();
  c.timezone = r.text("timezone");
  c.availability = r.text("availability");
  c.office_hours = r.text("office_hours");
  for (const auto& ch : nlohmann::json::parse(r.text("channels")))
    c.channels.push_back({ch.value("kind", ""), ch.value("value", ""), ch.value("use", "")});
  c.key_fingerprint = r.text("key_fingerprint");
  c.nomination_ref = r.text("nomination_ref");
  c.valid_from = r.text("valid_from");
  c.valid_until = r.text("valid_until");
  c.status = r.text("status");
  c.status_note = r.text("status_note");
  c.nominated_by = r.text("nominated_by");
  c.decided_by = r.text("decided_by");
  c.decided_at = r.text("decided_at");
  c.created_at = r.text("created_at");
  c.updated_at = r.text("updated_at");
  c.version = r.integer("version");
  c.confirmed_at = r.text("confirmed_at");
  return c;
}

std::string channels_json(const std::vector<Channel>& channels) {
  auto j = nlohmann::json::array();
  for (const auto& ch : channels) j.push_back({{"kind", ch.kind}, {"value", ch.value}, {"use", ch.use}});
  return j.dump();
}

Agency agency_from(const Row& r) {
  return {r.integer("id"), r.text("state"), r.text("name"), r.text("kind"), r.text("website")};
}

nlohmann::json forum_json(const Row& r) {
  return {{"code", r.text("code")},
          {"name", r.text("name")},
          {"abbreviation", r.is_null("abbreviation") ? nlohmann::json() : nlohmann::json(r.text("abbreviation"))},
          {"names", nlohmann::json::parse(r.text("names"))},
          {"secretariat", r.text("secretariat")},
          {"languages", nlohmann::json::parse(r.text("languages"))},
          {"timezone", r.is_null("timezone") ? nlohmann::json() : nlohmann::json(r.text("timezone"))},
          {"website", r.is_null("website") ? nlohmann::json() : nlohmann::json(r.text("website"))},
          {"members", r.integer("members")}};
}

constexpr const char* kForumSelect =
    "SELECT f.code, f.name, f.abbreviation, f.names, f.secretariat, f.languages, f.timezone, f.website,"
    " (SELECT COUNT(*) FROM forum_members m WHERE m.forum = f.code) AS members"
    " FROM forums f";

// The state's name in `language`, else its directory name (English).
constexpr const char* kStateName = "COALESCE((SELECT n.name FROM state_names n WHERE n.alpha3 = s.alpha3 AND n.language = ?), s.name)";

}  // namespace

nlohmann::json DirectoryStore::forums(C& c) {
  auto out = nlohmann::json::array();
  for (const auto& r : c.query(std::string(kForumSelect) + " ORDER BY f.code"))
    out.push_back(forum_json(r));
  return out;
}

std::optional<nlohmann::json> DirectoryStore::forum(C& c, const std::string& code) {
  auto rows = c.query(std::string(kForumSelect) + " WHERE f.code = ?", {code});
  if (rows.empty()) return std::nullopt;
  return forum_json(rows[0]);
}

nlohmann::json DirectoryStore::forum_states(C& c, const std::string& code, const std::string& language) {
  auto out = nlohmann::json::array();
  for (const auto& r : c.query(
           std::string("SELECT s.alpha3, ") + kStateName + " AS name, s.kind,"
           " (SELECT COUNT(*) FROM contacts k WHERE k.state = s.alpha3 AND k.status = 'active') AS contacts"
           " FROM forum_members m JOIN states s ON s.alpha3 = m.state WHERE m.forum = ? ORDER BY 2",
           {language, code}))
    out.push_back({{"alpha3", r.text("alpha3")}, {"name", r.text("name")}, {"kind", r.text("kind")},
                   {"contacts", r.integer("contacts")}});
  return out;
}

nlohmann::json DirectoryStore::states(C& c, const std::string& language) {
  std::map<std::string, std::vector<std::string>> forums;   // one query, not one per state
  for (const auto& r : c.query("SELECT state, forum FROM forum_members ORDER BY forum"))
    forums[r.text("state")].push_back(r.text("forum"));
  auto out = nlohmann::json::array();
  for (const auto& r : c.query(
           std::string("SELECT s.alpha3, s.alpha2, ") + kStateName + " AS name, s.kind, s.iso,"
           " (SELECT COUNT(*) FROM contacts k WHERE k.state = s.alpha3 AND k.status = 'active') AS contacts"
           " FROM states s ORDER BY 3",
           {language})) {
    const auto alpha3 = r.text("alpha3");
    out.push_back({{"alpha3", alpha3}, {"alpha2", r.is_null("alpha2") ? nlohmann::json() : nlohmann::json(r.text("alpha2"))},
                   {"name", r.text("name")}, {"kind", r.text("kind")}, {"iso", r.boolean("iso")},
                   {"contacts", r.integer("contacts")}, {"forums", forums[alpha3]}});
  }
  return out;
}

std::optional<nlohmann::json> DirectoryStore::state(C& c, const std::string& alpha3, const std::string& language) {
  auto rows = c.query(std::string("SELECT s.alpha3, s.alpha2, s.numeric_code, s.official_name, s.iso, ") + kStateName +
                          " AS name, s.kind FROM states s WHERE s.alpha3 = ?",
                      {language, alpha3});
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  auto names = nlohmann::json::object();
  for (const auto& n : c.query("SELECT language, name FROM state_names WHERE alpha3 = ? ORDER BY language", {alpha3}))
    names[n.text("language")] = n.text("name");
  auto opt = [&](const char* col) { return r.is_null(col) ? nlohmann::json() : nlohmann::json(r.text(col)); };
  return nlohmann::json{{"alpha3", r.text("alpha3")},
                        {"alpha2", opt("alpha2")},
                        {"numeric", opt("numeric_code")},
                        {"official_name", opt("official_name")},
                        {"iso", r.boolean("iso")},
                        {"name", r.text("name")},
                        {"names", names},
                        {"kind", r.text("kind")},
                        {"forums", forums_of(c, alpha3)}};
}

std::vector<std::string> DirectoryStore::forums_of(C& c, const std::string& alpha3) {
  std::vector<std::string> out;
  for (const auto& r : c.query("SELECT forum FROM forum_members WHERE state = ? ORDER BY forum", {alpha3}))
    out.push_back(r.text("forum"));
  return out;
}

bool DirectoryStore::is_member(C& c, const std::string& forum, const std::string& alpha3) {
  return !c.query("SELECT 1 AS x FROM forum_members WHERE forum = ? AND state = ?", {forum, alpha3}).empty();
}

bool DirectoryStore::state_exists(C& c, const std::string& alpha3) {
  return !c.query("SELECT 1 AS x FROM states WHERE alpha3 = ?", {alpha3}).empty();
}

std::vector<Agency> DirectoryStore::agencies_of(C& c, const std::string& alpha3) {
  std::vector<Agency> out;
  for (const auto& r : c.query("SELECT id, state, name, kind, website FROM agencies WHERE state = ? ORDER BY name", {alpha3}))
    out.push_back(agency_from(r));
  return out;
}

std::optional<Agency> DirectoryStore::agency(C& c, std::int64_t id) {
  auto rows = c.query("SELECT id, state, name, kind, website FROM agencies WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return agency_from(rows[0]);
}

std::int64_t DirectoryStore::insert_agency(C& c, const Agency& a) {
  const auto now = now_rfc3339();
  return c.insert("INSERT INTO agencies(state, name, kind, website, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                  {a.state, a.name, a.kind, storage::text_or_null(a.website), now, now});
}

void DirectoryStore::update_agency(C& c, const Agency& a) {
  c.execute("UPDATE agencies SET name = ?, kind = ?, website = ?, updated_at = ? WHERE id = ?",
            {a.name, a.kind, storage::text_or_null(a.website), now_rfc3339(), a.id});
}

void DirectoryStore::delete_agency(C& c, std::int64_t id) { c.execute("DELETE FROM agencies WHERE id = ?", {id}); }

std::int64_t DirectoryStore::contacts_of_agency(C& c, std::int64_t id) {
  return c.query("SELECT COUNT(*) AS n FROM contacts WHERE agency_id = ?", {id}).at(0).integer("n");
}

ContactPage DirectoryStore::search(C& c, const ContactQuery& q, const Visibility& v) {
  std::string where = " WHERE 1 = 1";
  Params params;
  if (q.status) {
    where += " AND c.status = ?";
    params.emplace_back(*q.status);
  } else if (!v.non_active) {
    where += " AND c.status = 'active'";
  }
  if (v.non_active && !v.all_states) {
    // Non-active entries only within the caller's scope; active ones everywhere.
    where += " AND (c.status = 'active' OR c.state = ? OR c.state IN (SELECT state FROM forum_members WHERE forum = ?))";
    params.emplace_back(v.state);
    params.emplace_back(v.forum);
  }
  if (q.state) {
    where += " AND c.state = ?";
    params.emplace_back(*q.state);
  }
  if (q.forum) {
    where += " AND c.state IN (SELECT state FROM forum_members WHERE forum = ?)";
    params.emplace_back(*q.forum);
  }
  if (q.type) {
    where += " AND c.type = ?";
    params.emplace_back(*q.type);
  }
  if (q.agency_id) {
    where += " AND c.agency_id = ?";
    params.emplace_back(*q.agency_id);
  }
  if (q.expired) {
    where += *q.expired ? " AND c.valid_until IS NOT NULL AND c.valid_until < ?"
                        : " AND (c.valid_until IS NULL OR c.valid_until >= ?)";
    params.emplace_back(today_date());
  }
  if (q.language) {
    // Matches the tag and its subtags: "zh" finds "zh" and "zh-Hans".
    where += " AND (c.languages LIKE ? ESCAPE '\\' OR c.languages LIKE ? ESCAPE '\\')";
    params.emplace_back("%\"" + like_escape(*q.language) + "\"%");
    params.emplace_back("%\"" + like_escape(*q.language) + "-%");
  }
  if (q.q) {
    for (const auto& word : split(fold_for_search(*q.q), ' ')) {
      if (word.empty()) continue;
      where += " AND c.search_text LIKE ? ESCAPE '\\'";
      params.emplace_back(fmt::format("%{}%", like_escape(word)));
    }
  }
  ContactPage page;
  page.limit = q.limit;
  page.offset = q.offset;
  page.total = c.query("SELECT COUNT(*) AS n FROM contacts c" + where, params).at(0).integer("n");
  storage::Params list_params{q.name_language};
  list_params.insert(list_params.end(), params.begin(), params.end());
  list_params.emplace_back(q.limit);
  list_params.emplace_back(q.offset);
  for (const auto& r : c.query(std::string(kContactSelect) + where + " ORDER BY s.name, c.name, c.id LIMIT ? OFFSET ?",
                               list_params))
    page.items.push_back(contact_from(r));
  return page;
}

std::optional<Contact> DirectoryStore::contact(C& c, std::int64_t id, const std::string& language) {
  auto rows = c.query(std::string(kContactSelect) + " WHERE c.id = ?", {language, id});
  if (rows.empty()) return std::nullopt;
  return contact_from(rows[0]);
}

void DirectoryStore::recompute_search_texts(C& c) {
  // Only the columns that search_text() reads, as they were when this was written (a
  // migration calls it, possibly before later migrations have run).
  for (const auto& r : c.query("SELECT c.id, c.name, c.position, c.state, s.name AS state_name, a.name AS agency_name,"
                               " c.channels FROM contacts c JOIN states s ON s.alpha3 = c.state"
                               " LEFT JOIN agencies a ON a.id = c.agency_id")) {
    Contact k;
    k.name = r.text("name");
    k.position = r.text("position");
    k.state = r.text("state");
    k.state_name = r.text("state_name");
    k.agency_name = r.text("agency_name");
    for (const auto& ch : nlohmann::json::parse(r.text("channels"))) k.channels.push_back({ch.value("kind", ""), ch.value("value", ""), ch.value("use", "")});
    c.execute("UPDATE contacts SET search_text = ? WHERE id = ?", {k.search_text(), r.integer("id")});
  }
}

bool DirectoryStore::name_taken(C& c, const std::string& state, const std::string& name, std::int64_t except_id) {
  // The same name whatever its case or diacritics, in any script ("ИВАНОВ" is "Иванов").
  return !c.query("SELECT 1 AS x FROM contacts WHERE state = ? AND fold_for_search(name) = ? AND id <> ? AND status <> 'rejected'",
                  {state, fold_for_search(name), except_id})
              .empty();
}

std::int64_t DirectoryStore::insert_contact(C& c, const Contact& k) {
  const auto now = now_rfc3339();
  return c.insert(
          "INSERT INTO contacts(state, agency_id, name, type, position, languages, timezone, availability,"
          " office_hours, channels, key_fingerprint, nomination_ref, valid_from, valid_until, status, status_note,"
          " nominated_by, decided_by, decided_at, search_text, created_at, updated_at, version)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
          {k.state, storage::opt(k.agency_id), k.name, k.type, storage::text_or_null(k.position),
           nlohmann::json(k.languages).dump(), storage::text_or_null(k.timezone), k.availability, storage::text_or_null(k.office_hours),
           channels_json(k.channels), storage::text_or_null(k.key_fingerprint), storage::text_or_null(k.nomination_ref), storage::text_or_null(k.valid_from),
           storage::text_or_null(k.valid_until), k.status, storage::text_or_null(k.status_note), storage::text_or_null(k.nominated_by), storage::text_or_null(k.decided_by),
           storage::text_or_null(k.decided_at), k.search_text(), now, now});
}

void DirectoryStore::update_contact(C& c, const Contact& k) {
  c.execute(
      "UPDATE contacts SET agency_id = ?, name = ?, type = ?, position = ?, languages = ?, timezone = ?,"
      " availability = ?, office_hours = ?, channels = ?, key_fingerprint = ?, nomination_ref = ?, valid_from = ?,"
      " valid_until = ?, status = ?, status_note = ?, decided_by = ?, decided_at = ?, search_text = ?,"
      " updated_at = ?, version = version + 1 WHERE id = ?",
      {storage::opt(k.agency_id), k.name, k.type, storage::text_or_null(k.position), nlohmann::json(k.languages).dump(),
       storage::text_or_null(k.timezone), k.availability, storage::text_or_null(k.office_hours), channels_json(k.channels),
       storage::text_or_null(k.key_fingerprint), storage::text_or_null(k.nomination_ref), storage::text_or_null(k.valid_from), storage::text_or_null(k.valid_until), k.status,
       storage::text_or_null(k.status_note), storage::text_or_null(k.decided_by), storage::text_or_null(k.decided_at), k.search_text(), now_rfc3339(), k.id});
}

void DirectoryStore::delete_contact(C& c, std::int64_t id) {
  // Its account, if any, stays, but no longer receives hotline traffic as this contact.
  auth::people::unlink_contact(c, id);
  c.execute("DELETE FROM contacts WHERE id = ?", {id});
}

void DirectoryStore::upsert_state(C& c, const std::string& alpha3, const std::string& name, const std::string& kind) {
  c.execute("INSERT INTO states(alpha3, name, kind) VALUES (?, ?, ?)"
            " ON CONFLICT(alpha3) DO UPDATE SET name = excluded.name, kind = excluded.kind",
            {alpha3, name, kind});
  c.execute("INSERT INTO state_names(alpha3, language, name) VALUES (?, 'en', ?)"
            " ON CONFLICT(alpha3, language) DO UPDATE SET name = excluded.name",
            {alpha3, name});
}

void DirectoryStore::upsert_forum(C& c, const std::string& code, const std::string& name, const std::string& secretariat,
                                  const std::vector<std::string>& languages, const std::string& website) {
  c.execute("INSERT INTO forums(code, name, secretariat, languages, website) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(code) DO UPDATE SET name = excluded.name, secretariat = excluded.secretariat,"
            " languages = excluded.languages, website = excluded.website",
            {code, name, secretariat, nlohmann::json(languages).dump(), storage::text_or_null(website)});
}

void DirectoryStore::add_member(C& c, const std::string& forum, const std::string& alpha3) {
  if (is_member(c, forum, alpha3)) return;
  c.execute("INSERT INTO participation(forum, state, kind) VALUES (?, ?, 'member')", {forum, alpha3});
}

}  // namespace parley::directory
