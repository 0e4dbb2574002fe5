#include "auth/people.h"

#include <algorithm>

#include "common/time.h"

namespace parley::auth::people {
namespace {

constexpr const char* kColumns =
    "SELECT id, username, display_name, email, role, state, forum, disabled, second_factor_required, contact_id FROM users";

Person from(const storage::Row& r) {
  return {r.integer("id"),   r.text("username"), r.text("display_name"), r.text("email"),
          r.text("role"),    r.text("state"),    r.text("forum"),        r.boolean("disabled"),
          r.boolean("second_factor_required"),   r.opt_integer("contact_id")};
}

std::optional<Person> one(const std::vector<storage::Row>& rows) {
  if (rows.empty()) return std::nullopt;
  return from(rows[0]);
}

std::vector<Person> all(const std::vector<storage::Row>& rows) {
  std::vector<Person> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(from(r));
  return out;
}

}  // namespace

std::optional<Person> by_id(C& c, std::int64_t id) {
  return one(c.query(std::string(kColumns).append(" WHERE id = ?"), {id}));
}

std::optional<Person> by_username(C& c, const std::string& username) {
  return one(c.query(std::string(kColumns).append(" WHERE username = ?"), {username}));
}

std::optional<Person> by_contact(C& c, std::int64_t contact_id) {
  return one(c.query(std::string(kColumns).append(" WHERE contact_id = ?"), {contact_id}));
}

namespace {

// `where` followed by "column IN (?, ...)" over `keys`, a chunk at a time (bounded
// statements, so that PostgreSQL's prepared-statement cache stays small), in id order.
std::vector<Person> in_chunks(C& c, const std::string& where, const std::vector<std::int64_t>& keys) {
  constexpr std::size_t kChunk = 64;
  std::vector<Person> out;
  for (std::size_t i = 0; i < keys.size(); i += kChunk) {
    const auto n = std::min(kChunk, keys.size() - i);
    std::string sql = std::string(kColumns).append(where).append(" IN (");
    storage::Params params;
    for (std::size_t k = 0; k < n; ++k) {
      sql += k ? ", ?" : "?";
      params.emplace_back(keys[i + k]);
    }
    for (auto& p : all(c.query(sql.append(")"), params))) out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(), [](const Person& a, const Person& b) { return a.id < b.id; });
  return out;
}

}  // namespace

std::vector<Person> by_ids(C& c, const std::vector<std::int64_t>& ids) { return in_chunks(c, " WHERE id", ids); }

std::vector<Person> active_by_contacts(C& c, const std::vector<std::int64_t>& contact_ids) {
  return in_chunks(c, " WHERE disabled = 0 AND contact_id", contact_ids);
}

std::vector<Person> active_in_state(C& c, const std::string& state, const std::string& role) {
  return all(c.query(std::string(kColumns).append(" WHERE state = ? AND role = ? AND disabled = 0 ORDER BY username"),
                     {state, role}));
}

std::vector<Person> active_in_forum(C& c, const std::string& forum, const std::string& role) {
  return all(c.query(std::string(kColumns).append(" WHERE forum = ? AND role = ? AND disabled = 0 ORDER BY username"),
                     {forum, role}));
}

std::vector<Person> active_with_role(C& c, const std::string& role) {
  return all(c.query(std::string(kColumns).append(" WHERE role = ? AND disabled = 0 ORDER BY username"), {role}));
}

void link_contact(C& c, std::int64_t user_id, std::int64_t contact_id) {
  c.execute("UPDATE users SET contact_id = ? WHERE id = ?", {contact_id, user_id});
}

std::int64_t unlink_contact(C& c, std::int64_t contact_id) {
  return c.execute("UPDATE users SET contact_id = NULL WHERE contact_id = ?", {contact_id});
}

void set_grant(C& c, std::int64_t id, const std::string& role, const std::string& state, const std::string& forum,
               bool require_second_factor) {
  c.execute(
      "UPDATE users SET role = ?, state = ?, forum = ?, second_factor_required = CASE WHEN ? = 1 THEN 1 ELSE "
      "second_factor_required END, updated_at = ? WHERE id = ?",
      {role, storage::text_or_null(state), storage::text_or_null(forum), std::int64_t{require_second_factor ? 1 : 0},
       now_rfc3339(), id});
}

void require_second_factor(C& c, std::int64_t id) {
  c.execute("UPDATE users SET second_factor_required = 1 WHERE id = ?", {id});
}

}  // namespace parley::auth::people
