#include "directory/membership.h"

#include <algorithm>

namespace parley::directory::membership {

bool forum_exists(C& c, const std::string& forum) {
  return !c.query("SELECT 1 AS x FROM forums WHERE code = ?", {forum}).empty();
}

bool state_exists(C& c, const std::string& alpha3) {
  return !c.query("SELECT 1 AS x FROM states WHERE alpha3 = ?", {alpha3}).empty();
}

bool is_member(C& c, const std::string& forum, const std::string& alpha3) {
  return !c.query("SELECT 1 AS x FROM forum_members WHERE forum = ? AND state = ?", {forum, alpha3}).empty();
}

std::vector<std::string> member_states(C& c, const std::string& forum) {
  std::vector<std::string> out;
  for (const auto& r : c.query("SELECT state FROM forum_members WHERE forum = ? ORDER BY state", {forum}))
    out.push_back(r.text("state"));
  return out;
}

std::vector<std::string> forums_of(C& c, const std::string& alpha3) {
  std::vector<std::string> out;
  for (const auto& r : c.query("SELECT forum FROM forum_members WHERE state = ? ORDER BY forum", {alpha3}))
    out.push_back(r.text("forum"));
  return out;
}

std::optional<Forum> forum(C& c, const std::string& code) {
  auto rows = c.query("SELECT code, name, languages, names, timezone FROM forums WHERE code = ?", {code});
  if (rows.empty()) return std::nullopt;
  return Forum{rows[0].text("code"), rows[0].text("name"), rows[0].text("languages"), rows[0].text("names"),
               rows[0].text("timezone")};
}

std::map<std::string, std::vector<std::string>> groups(C& c, const std::string& forum) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& r : c.query("SELECT code FROM forum_groups WHERE forum = ?", {forum})) out[r.text("code")];
  for (const auto& r : c.query("SELECT grp, state FROM forum_group_members WHERE forum = ? ORDER BY grp, state", {forum}))
    out[r.text("grp")].push_back(r.text("state"));
  return out;
}

std::vector<Reconfirmation> reconfirmations(C& c, const std::string& forum, std::int64_t since_ms) {
  std::vector<Reconfirmation> out;
  for (const auto& r : c.query("SELECT id, due_date, due_at, started_at FROM reconfirmations WHERE forum = ? AND due_at >= ?"
                               " ORDER BY due_at",
                               {forum, since_ms}))
    out.push_back({r.integer("id"), r.text("due_date"), r.integer("due_at"), r.integer("started_at")});
  return out;
}

std::map<std::string, std::string> state_names(C& c) {
  std::map<std::string, std::string> out;
  for (const auto& r : c.query("SELECT alpha3, name FROM states")) out[r.text("alpha3")] = r.text("name");
  return out;
}

std::map<std::string, std::string> forum_names(C& c) {
  std::map<std::string, std::string> out;
  for (const auto& r : c.query("SELECT code, name FROM forums")) out[r.text("code")] = r.text("name");
  return out;
}

std::optional<std::string> state_name(C& c, const std::string& alpha3) {
  auto rows = c.query("SELECT name FROM states WHERE alpha3 = ?", {alpha3});
  if (rows.empty()) return std::nullopt;
  return rows[0].text("name");
}

std::map<std::string, std::string> state_names(C& c, const std::vector<std::string>& alpha3s) {
  constexpr std::size_t kChunk = 64;   // bounded statements: PostgreSQL prepares each shape once
  std::map<std::string, std::string> out;
  for (std::size_t i = 0; i < alpha3s.size(); i += kChunk) {
    const auto n = std::min(kChunk, alpha3s.size() - i);
    std::string sql = "SELECT alpha3, name FROM states WHERE alpha3 IN (";
    storage::Params params;
    for (std::size_t k = 0; k < n; ++k) {
      sql += k ? ", ?" : "?";
      params.emplace_back(alpha3s[i + k]);
    }
    for (const auto& r : c.query(sql.append(")"), params)) out[r.text("alpha3")] = r.text("name");
  }
  return out;
}

std::map<std::string, std::string> state_names_of(C& c, const std::string& alpha3) {
  std::map<std::string, std::string> out;
  for (const auto& r : c.query("SELECT language, name FROM state_names WHERE alpha3 = ?", {alpha3}))
    out[r.text("language")] = r.text("name");
  return out;
}

}  // namespace parley::directory::membership
