#include "directory/forum_store.h"

namespace parley::directory {

using storage::text_or_null;

namespace {

nlohmann::json opt(const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); }

constexpr const char* kName =
    "COALESCE((SELECT n.name FROM state_names n WHERE n.alpha3 = s.alpha3 AND n.language = ?), s.name)";
// Dates are TEXT (YYYY-MM-DD); CURRENT_DATE is text on SQLite and a date on PostgreSQL,
// whose text form is the same (ISO DateStyle, UTC: storage/postgres/).
constexpr const char* kCurrent =
    "((p.joined_on IS NULL OR p.joined_on <= CAST(CURRENT_DATE AS TEXT)) AND (p.left_on IS NULL OR p.left_on > "
    "CAST(CURRENT_DATE AS TEXT)))";

}  // namespace

nlohmann::json Period::to_json() const {
  return {{"forum", forum}, {"state", state}, {"kind", kind}, {"joined_on", opt(joined_on)}, {"left_on", opt(left_on)}};
}

std::optional<nlohmann::json> ForumStore::state_row(C& c, const std::string& alpha3) {
  auto rows = c.query("SELECT alpha3, name, kind, iso FROM states WHERE alpha3 = ?", {alpha3});
  if (rows.empty()) return std::nullopt;
  return nlohmann::json{{"alpha3", rows[0].text("alpha3")}, {"name", rows[0].text("name")},
                        {"kind", rows[0].text("kind")}, {"iso", rows[0].boolean("iso")}};
}

void ForumStore::insert_state(C& c, const std::string& alpha3, const std::string& name, const std::string& kind) {
  c.execute("INSERT INTO states(alpha3, name, kind, iso) VALUES (?, ?, ?, 0)", {alpha3, name, kind});
}

void ForumStore::set_state_name(C& c, const std::string& alpha3, const std::string& language, const std::string& name) {
  c.execute("INSERT INTO state_names(alpha3, language, name) VALUES (?, ?, ?)"
            " ON CONFLICT(alpha3, language) DO UPDATE SET name = excluded.name",
            {alpha3, language, name});
  if (language == "en") c.execute("UPDATE states SET name = ? WHERE alpha3 = ?", {name, alpha3});
}

void ForumStore::remove_state_name(C& c, const std::string& alpha3, const std::string& language) {
  c.execute("DELETE FROM state_names WHERE alpha3 = ? AND language = ?", {alpha3, language});
}

bool ForumStore::forum_exists(C& c, const std::string& code) {
  return !c.query("SELECT 1 AS x FROM forums WHERE code = ?", {code}).empty();
}

void ForumStore::insert_forum(C& c, const std::string& code, const std::string& name, const std::string& abbreviation,
                              const nlohmann::json& names, const std::vector<std::string>& languages,
                              const std::string& timezone, const std::string& website, const std::string& secretariat) {
  c.execute("INSERT INTO forums(code, name, abbreviation, names, languages, timezone, website, secretariat)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            {code, name, text_or_null(abbreviation), names.dump(), nlohmann::json(languages).dump(),
             text_or_null(timezone), text_or_null(website), text_or_null(secretariat)});
}

void ForumStore::update_forum(C& c, const std::string& code, const std::string& name, const std::string& abbreviation,
                              const nlohmann::json& names, const std::vector<std::string>& languages,
                              const std::string& timezone, const std::string& website, const std::string& secretariat) {
  c.execute("UPDATE forums SET name = ?, abbreviation = ?, names = ?, languages = ?, timezone = ?, website = ?,"
            " secretariat = ? WHERE code = ?",
            {name, text_or_null(abbreviation), names.dump(), nlohmann::json(languages).dump(), text_or_null(timezone),
             text_or_null(website), text_or_null(secretariat), code});
}

std::vector<Period> ForumStore::periods(C& c, const std::string& forum, const std::string& alpha3) {
  std::vector<Period> out;
  const std::string sql = std::string("SELECT id, forum, state, kind, joined_on, left_on FROM participation WHERE forum = ?") +
                          (alpha3.empty() ? "" : " AND state = ?") + " ORDER BY state, COALESCE(joined_on, ''), id";
  storage::Params params{forum};
  if (!alpha3.empty()) params.emplace_back(alpha3);
  for (const auto& r : c.query(sql, params))
    out.push_back({r.integer("id"), r.text("forum"), r.text("state"), r.text("kind"), r.text("joined_on"), r.text("left_on")});
  return out;
}

std::int64_t ForumStore::insert_period(C& c, const Period& p) {
  return c.insert("INSERT INTO participation(forum, state, kind, joined_on, left_on) VALUES (?, ?, ?, ?, ?)",
                  {p.forum, p.state, p.kind, text_or_null(p.joined_on), text_or_null(p.left_on)});
}

void ForumStore::update_period(C& c, const Period& p) {
  c.execute("UPDATE participation SET kind = ?, joined_on = ?, left_on = ? WHERE id = ?",
            {p.kind, text_or_null(p.joined_on), text_or_null(p.left_on), p.id});
}

nlohmann::json ForumStore::participants(C& c, const std::string& forum, const std::string& language) {
  auto out = nlohmann::json::array();
  for (const auto& r : c.query(std::string("SELECT p.state, ") + kName + " AS name, s.kind AS state_kind, p.kind,"
                                   " p.joined_on, p.left_on, " + kCurrent + " AS current"
                                   " FROM participation p JOIN states s ON s.alpha3 = p.state WHERE p.forum = ?"
                                   " ORDER BY 2, COALESCE(p.joined_on, ''), p.id",
                               {language, forum}))
    out.push_back({{"state", r.text("state")}, {"name", r.text("name")}, {"state_kind", r.text("state_kind")},
                   {"kind", r.text("kind")}, {"joined_on", opt(r.text("joined_on"))},
                   {"left_on", opt(r.text("left_on"))}, {"current", r.boolean("current")}});
  return out;
}

nlohmann::json ForumStore::groups(C& c, const std::string& forum, const std::string& language) {
  auto out = nlohmann::json::array();
  for (const auto& g : c.query("SELECT code, names FROM forum_groups WHERE forum = ? ORDER BY code", {forum})) {
    auto members = nlohmann::json::array();
    for (const auto& m : c.query(std::string("SELECT s.alpha3, ") + kName + " AS name FROM forum_group_members g"
                                     " JOIN states s ON s.alpha3 = g.state WHERE g.forum = ? AND g.grp = ? ORDER BY 2",
                                 {language, forum, g.text("code")}))
      members.push_back({{"alpha3", m.text("alpha3")}, {"name", m.text("name")}});
    out.push_back({{"code", g.text("code")}, {"names", nlohmann::json::parse(g.text("names"))}, {"members", members}});
  }
  return out;
}

bool ForumStore::group_exists(C& c, const std::string& forum, const std::string& code) {
  return !c.query("SELECT 1 AS x FROM forum_groups WHERE forum = ? AND code = ?", {forum, code}).empty();
}

void ForumStore::put_group(C& c, const std::string& forum, const std::string& code, const nlohmann::json& names,
                           const std::vector<std::string>& members) {
  c.execute("INSERT INTO forum_groups(forum, code, names) VALUES (?, ?, ?)"
            " ON CONFLICT(forum, code) DO UPDATE SET names = excluded.names",
            {forum, code, names.dump()});
  c.execute("DELETE FROM forum_group_members WHERE forum = ? AND grp = ?", {forum, code});
  for (const auto& m : members)
    c.execute("INSERT INTO forum_group_members(forum, grp, state) VALUES (?, ?, ?)", {forum, code, m});
}

void ForumStore::delete_group(C& c, const std::string& forum, const std::string& code) {
  c.execute("DELETE FROM forum_group_members WHERE forum = ? AND grp = ?", {forum, code});
  c.execute("DELETE FROM forum_groups WHERE forum = ? AND code = ?", {forum, code});
}

}  // namespace parley::directory
