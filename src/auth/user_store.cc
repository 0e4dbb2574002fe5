#include "auth/user_store.h"

#include "auth/account_policy.h"
#include "common/time.h"

namespace parley::auth {

namespace {
constexpr const char* kUserColumns =
    "u.id, u.username, u.display_name, u.email, u.role, u.state, u.forum, u.password_hash,"
    " u.totp_secret, u.totp_enabled, u.totp_last_step, u.disabled, u.created_at, u.language, u.last_sign_in_at,"
    " u.second_factor_required";

// A second factor is due: required of the account, or by the policy of a forum it
// belongs to (auth/account_policy.h).
bool must_enrol(storage::Connection& c, const UserRecord& u, bool required) {
  if (u.totp_enabled) return false;
  return required || account_policy::totp_required(c, u.forum, u.state);
}

UserRecord from_row(storage::Connection& c, const storage::Row& r) {
  UserRecord u;
  u.id = r.integer("id");
  u.username = r.text("username");
  u.display_name = r.text("display_name");
  u.email = r.text("email");
  u.role = parse_role(r.text("role")).value_or(Role::kObserver);
  u.state = r.text("state");
  u.forum = r.text("forum");
  u.password_hash = r.text("password_hash");
  u.totp_secret = r.text("totp_secret");
  u.totp_enabled = r.boolean("totp_enabled");
  u.totp_last_step = r.integer("totp_last_step");
  u.disabled = r.boolean("disabled");
  u.created_at = r.text("created_at");
  u.language = r.text("language");
  u.last_sign_in_at = r.text("last_sign_in_at");
  u.must_enrol_totp = must_enrol(c, u, r.boolean("second_factor_required"));
  return u;
}

std::optional<UserRecord> one(storage::Connection& c, storage::Rows rows) {
  if (rows.empty()) return std::nullopt;
  return from_row(c, rows[0]);
}

}  // namespace

Principal UserRecord::principal(bool via_token) const {
  Principal p{id, username, display_name, role, state, forum, via_token, "", 0, must_enrol_totp};
  p.verified_at = via_token ? 0 : verified_at;
  return p;
}

nlohmann::json UserRecord::to_json() const {
  return {{"id", id},
          {"username", username},
          {"display_name", display_name},
          {"email", email.empty() ? nlohmann::json() : nlohmann::json(email)},
          {"role", role_name(role)},
          {"state", state.empty() ? nlohmann::json() : nlohmann::json(state)},
          {"forum", forum.empty() ? nlohmann::json() : nlohmann::json(forum)},
          {"totp_enabled", totp_enabled},
          {"disabled", disabled},
          {"must_enrol_totp", must_enrol_totp},
          {"created_at", created_at},
          {"language", language.empty() ? nlohmann::json() : nlohmann::json(language)}};
}

std::optional<UserRecord> UserStore::by_username(storage::Connection& c, const std::string& username) {
  return one(c, c.query(std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.username = ?", {username}));
}

std::optional<UserRecord> UserStore::by_id(storage::Connection& c, std::int64_t id) {
  return one(c, c.query(std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.id = ?", {id}));
}

std::vector<UserRecord> UserStore::list(storage::Connection& c) {
  std::vector<UserRecord> out;
  for (const auto& r : c.query(std::string("SELECT ") + kUserColumns + " FROM users u ORDER BY u.username"))
    out.push_back(from_row(c, r));
  return out;
}

std::int64_t UserStore::insert(storage::Connection& c, const NewUser& u, const std::string& password_hash) {
  const auto now = now_rfc3339();
  return c.insert(
      "INSERT INTO users(username, display_name, email, role, state, forum, password_hash, created_at, updated_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {u.username, u.display_name, storage::text_or_null(u.email), std::string(role_name(u.role)), storage::text_or_null(u.state),
       storage::text_or_null(u.forum), password_hash, now, now});
}

void UserStore::set_password(storage::Connection& c, std::int64_t id, const std::string& hash) {
  c.execute("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", {hash, now_rfc3339(), id});
}

void UserStore::set_disabled(storage::Connection& c, std::int64_t id, bool disabled) {
  c.execute("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?",
            {std::int64_t{disabled ? 1 : 0}, now_rfc3339(), id});
}

void UserStore::set_totp(storage::Connection& c, std::int64_t id, const std::string& secret, bool enabled) {
  c.execute("UPDATE users SET totp_secret = ?, totp_enabled = ?, totp_last_step = 0, updated_at = ? WHERE id = ?",
            {storage::text_or_null(secret), std::int64_t{enabled ? 1 : 0}, now_rfc3339(), id});
}

void UserStore::set_totp_step(storage::Connection& c, std::int64_t id, std::int64_t step) {
  c.execute("UPDATE users SET totp_last_step = ? WHERE id = ?", {step, id});
}

bool UserStore::use_totp_step(storage::Connection& c, std::int64_t id, std::int64_t step) {
  // The check and the record in one conditional statement: of two sign-ins racing with
  // one code (on two instances), the second finds the step used (PostgreSQL re-checks
  // the WHERE against the row the first committed).
  return c.execute("UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", {step, id, step}) == 1;
}

void UserStore::set_signed_in(storage::Connection& c, std::int64_t id) {
  c.execute("UPDATE users SET last_sign_in_at = ? WHERE id = ?", {now_rfc3339(), id});
}

void UserStore::set_profile(storage::Connection& c, std::int64_t id, const std::string& display_name,
                            const std::string& email) {
  c.execute("UPDATE users SET display_name = ?, email = ?, updated_at = ? WHERE id = ?",
            {display_name, storage::text_or_null(email), now_rfc3339(), id});
}

void UserStore::set_language(storage::Connection& c, std::int64_t id, const std::string& language) {
  c.execute("UPDATE users SET language = ?, updated_at = ? WHERE id = ?",
            {storage::text_or_null(language), now_rfc3339(), id});
}

void UserStore::insert_session(storage::Connection& c, const std::string& id_hash, std::int64_t user_id,
                               std::int64_t expires_at, const std::string& remote) {
  c.execute("DELETE FROM sessions WHERE expires_at < ?", {unix_seconds(Clock::now())});
  c.execute("INSERT INTO sessions(id_hash, user_id, created_at, expires_at, remote, verified_at) VALUES (?, ?, ?, ?, ?, ?)",
            {id_hash, user_id, now_rfc3339(), expires_at, remote, unix_seconds(Clock::now())});
}

bool UserStore::set_session_verified(storage::Connection& c, const std::string& id_hash, std::int64_t at) {
  return c.execute("UPDATE sessions SET verified_at = ? WHERE id_hash = ?", {at, id_hash}) > 0;
}

void UserStore::delete_sessions_except(storage::Connection& c, std::int64_t user_id, const std::string& keep) {
  c.execute("DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?", {user_id, keep});
}

std::int64_t UserStore::revoke_tokens_of(storage::Connection& c, std::int64_t user_id) {
  return c.execute("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                   {now_rfc3339(), user_id});
}

std::vector<std::pair<std::int64_t, std::string>> UserStore::clear_totp_secrets(storage::Connection& c) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (const auto& r : c.query("SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL AND totp_secret <> ''"
                               " AND totp_secret NOT LIKE 'v1:%'"))
    out.emplace_back(r.integer("id"), r.text("totp_secret"));
  return out;
}

void UserStore::replace_totp_secret(storage::Connection& c, std::int64_t id, const std::string& secret) {
  c.execute("UPDATE users SET totp_secret = ? WHERE id = ?", {secret, id});
}

std::optional<UserRecord> UserStore::user_for_session(storage::Connection& c, const std::string& id_hash,
                                                      std::int64_t now) {
  const auto rows = c.query(std::string("SELECT ") + kUserColumns +
                                ", s.verified_at FROM sessions s JOIN users u ON u.id = s.user_id"
                                " WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled = 0",
                            {id_hash, now});
  if (rows.empty()) return std::nullopt;
  auto u = from_row(c, rows[0]);
  u.verified_at = rows[0].integer("verified_at");
  return u;
}

void UserStore::delete_session(storage::Connection& c, const std::string& id_hash) {
  c.execute("DELETE FROM sessions WHERE id_hash = ?", {id_hash});
}

void UserStore::delete_sessions_of(storage::Connection& c, std::int64_t user_id) {
  c.execute("DELETE FROM sessions WHERE user_id = ?", {user_id});
}

std::int64_t UserStore::insert_token(storage::Connection& c, std::int64_t user_id, const std::string& name,
                                     const std::string& token_hash, const std::string& prefix,
                                     std::optional<std::int64_t> expires_at) {
  return c.insert(
      "INSERT INTO api_tokens(user_id, name, token_hash, prefix, created_at, expires_at)"
      " VALUES (?, ?, ?, ?, ?, ?)",
      {user_id, name, token_hash, prefix, now_rfc3339(), storage::opt(expires_at)});
}

std::optional<UserRecord> UserStore::user_for_token(storage::Connection& c, const std::string& token_hash,
                                                    std::int64_t now) {
  return one(c, c.query(std::string("SELECT ") + kUserColumns +
                         " FROM api_tokens t JOIN users u ON u.id = t.user_id"
                         " WHERE t.token_hash = ? AND t.revoked_at IS NULL"
                         " AND (t.expires_at IS NULL OR t.expires_at > ?) AND u.disabled = 0",
                     {token_hash, now}));
}

nlohmann::json UserStore::tokens_of(storage::Connection& c, std::int64_t user_id) {
  auto out = nlohmann::json::array();
  for (const auto& r : c.query(
           "SELECT id, name, prefix, created_at, expires_at, revoked_at FROM api_tokens"
           " WHERE user_id = ? ORDER BY id",
           {user_id})) {
    nlohmann::json t = {{"id", r.integer("id")}, {"name", r.text("name")}, {"prefix", r.text("prefix")},
                        {"created_at", r.text("created_at")}};
    t["expires_at"] = r.is_null("expires_at") ? nlohmann::json() : nlohmann::json(to_rfc3339(Clock::from_time_t(r.integer("expires_at"))));
    t["revoked_at"] = r.is_null("revoked_at") ? nlohmann::json() : nlohmann::json(r.text("revoked_at"));
    out.push_back(std::move(t));
  }
  return out;
}

bool UserStore::revoke_token(storage::Connection& c, std::int64_t user_id, std::int64_t token_id) {
  return c.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                   {now_rfc3339(), token_id, user_id}) > 0;
}

}  // namespace parley::auth
