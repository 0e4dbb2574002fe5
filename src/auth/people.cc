#include "auth/people.h"

namespace parley::auth::people {
namespace {

constexpr const char* kColumns = "SELECT id, username, display_name, email, role, state, forum, disabled, contact_id FROM users";

Person from(const storage::Row& r) {
  return {r.integer("id"),   r.text("username"), r.text("display_name"), r.text("email"),
          r.text("role"),    r.text("state"),    r.text("forum"),        r.boolean("disabled"),
          r.opt_integer("contact_id")};
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

std::vector<Person> by_ids(C& c, const std::vector<std::int64_t>& ids) {
  std::vector<Person> out;
  for (const auto id : ids)
    if (auto p = by_id(c, id)) out.push_back(std::move(*p));
  return out;
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

}  // namespace parley::auth::people
