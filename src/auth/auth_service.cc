#include "auth/auth_service.h"

#include <spdlog/spdlog.h>

#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "crypto/hash.h"
#include "crypto/password.h"
#include "crypto/random.h"
#include "crypto/totp.h"
#include "storage/journal.h"

namespace parley::auth {

using storage::Connection;
using storage::Journal;

namespace {
constexpr std::string_view kTokenPrefix = "pk_";

std::int64_t now_s() { return unix_seconds(Clock::now()); }

Problem bad_credentials() {
  return Problem::unauthenticated("The username or password is not correct.");
}
}  // namespace

AuthService::AuthService(storage::Database& db, AuthConfig config) : db_(db), config_(config) {}

void AuthService::check_password_policy(const std::string& password, const std::string& field) {
  const auto n = utf8_length(password);
  if (n < 10) throw Problem::invalid(field, "must be at least 10 characters");
  if (n > 256) throw Problem::invalid(field, "must be at most 256 characters");
}

std::string AuthService::csrf_for(const std::string& session_token) {
  // Derived, not stored: only the holder of the session token can compute it.
  return crypto::sha256_hex("parley-csrf\n" + session_token);
}

SignIn AuthService::sign_in(const std::string& username, const std::string& password,
                            const std::optional<std::string>& totp, const std::string& remote) {
  const std::string user_key = "user:" + to_lower(username);
  const std::string remote_key = "remote:" + remote;
  if (int s = std::max(by_user_.locked_for(user_key), by_remote_.locked_for(remote_key)); s > 0)
    throw Problem::too_many_requests("Too many failed sign-ins; try again in " + std::to_string(s) + " s.", s);

  auto user = db_.read([&](Connection& c) { return UserStore::by_username(c, username); });
  // Spend the same time whether or not the user exists.
  const bool password_ok = crypto::verify_password(user ? user->password_hash : crypto::dummy_password_hash(), password);
  if (!user || !password_ok || user->disabled) {
    by_user_.failure(user_key);
    by_remote_.failure(remote_key);
    spdlog::warn(R"({{"event":"sign_in_failed","username":"{}","remote":"{}"}})", username.substr(0, 64), remote);
    throw bad_credentials();
  }
  std::optional<std::int64_t> step;
  if (user->totp_enabled) {
    if (!totp || totp->empty()) {
      throw Problem(401, "totp-required", "Second factor required",
                    "Enter the 6-digit code from your authenticator app.", {{"totp", "is required"}});
    }
    step = crypto::totp_verify(crypto::base32_decode(user->totp_secret).value_or(""), *totp, now_s());
  }
  const auto totp_refused = [&] {
    by_user_.failure(user_key);
    by_remote_.failure(remote_key);
    return Problem(401, "totp-invalid", "Second factor refused", "The code is wrong, expired or already used.",
                   {{"totp", "is not valid"}});
  };
  if (user->totp_enabled && !step) throw totp_refused();

  SignIn out;
  out.session_token = crypto::random_token(32);
  out.csrf_token = csrf_for(out.session_token);
  out.expires_at = now_s() + static_cast<std::int64_t>(config_.session_hours) * 3600;
  out.user = *user;
  const bool replayed = db_.write([&](Connection& c) {
    if (step) {
      // The used step is checked and recorded in the same write transaction that
      // creates the session, so two sign-ins racing with one code cannot both pass.
      const auto last = UserStore::by_id(c, user->id);
      if (!last || *step <= last->totp_last_step) return true;
      UserStore::set_totp_step(c, user->id, *step);
    }
    UserStore::insert_session(c, crypto::sha256_hex(out.session_token), user->id, out.expires_at, remote);
    Journal::append(c, "user:" + user->username, "session.create", "user:" + std::to_string(user->id),
                    {{"remote", remote}, {"second_factor", user->totp_enabled}});
    return false;
  });
  if (replayed) throw totp_refused();
  by_user_.success(user_key);
  return out;
}

void AuthService::sign_out(const std::string& session_token) {
  db_.write([&](Connection& c) {
    const auto hash = crypto::sha256_hex(session_token);
    auto user = UserStore::user_for_session(c, hash, now_s());
    UserStore::delete_session(c, hash);
    if (user)
      Journal::append(c, "user:" + user->username, "session.delete", "user:" + std::to_string(user->id),
                      nlohmann::json::object());
  });
}

std::optional<Principal> AuthService::resolve(const std::string& kind, const std::string& digest, bool via_token) {
  const auto now = now_s();
  const auto generation = db_.generation();
  // Expiry is a matter of time, not of writes: a cached answer is kept for at most
  // 10 s, so an expiring token or session lapses within 10 s of its time.
  const std::string key = kind + digest + "@" + std::to_string(now / 10);
  std::optional<UserRecord> user;
  if (auto hit = credentials_.get(key, generation)) {
    user = hit->user;
  } else {
    user = db_.read([&](Connection& c) {
      return via_token ? UserStore::user_for_token(c, digest, now) : UserStore::user_for_session(c, digest, now);
    });
    credentials_.put(key, generation, Resolved{user});
  }
  if (!user) return std::nullopt;
  return user->principal(via_token);
}

std::optional<Principal> AuthService::from_session(const std::string& session_token) {
  if (session_token.empty() || session_token.size() > 128) return std::nullopt;
  return resolve("s:", crypto::sha256_hex(session_token), false);
}

std::optional<Principal> AuthService::from_api_token(const std::string& token) {
  if (!token.starts_with(kTokenPrefix) || token.size() > 128) return std::nullopt;
  return resolve("t:", crypto::sha256_hex(token), true);
}

std::optional<Principal> AuthService::principal_of(const std::string& username) {
  auto u = db_.read([&](Connection& c) { return UserStore::by_username(c, username); });
  if (!u || u->disabled) return std::nullopt;
  return u->principal(false);
}

UserRecord AuthService::user(std::int64_t id) {
  auto u = db_.read([&](Connection& c) { return UserStore::by_id(c, id); });
  if (!u) throw Problem::not_found("No such user.");
  return *u;
}

UserRecord AuthService::update_profile(const Principal& who, const std::string& display_name,
                                       const std::string& email) {
  return db_.write([&](Connection& c) {
    UserStore::set_profile(c, who.user_id, display_name, email);
    Journal::append(c, who.actor(), "user.profile", "user:" + std::to_string(who.user_id),
                    {{"display_name", display_name}, {"email", email}});
    return *UserStore::by_id(c, who.user_id);
  });
}

void AuthService::change_password(const Principal& who, const std::string& current, const std::string& next) {
  check_password_policy(next, "new_password");
  auto u = user(who.user_id);
  if (!crypto::verify_password(u.password_hash, current))
    throw Problem::invalid("current_password", "is not correct");
  const auto hash = crypto::hash_password(next);
  db_.write([&](Connection& c) {
    UserStore::set_password(c, who.user_id, hash);
    Journal::append(c, who.actor(), "user.password", "user:" + std::to_string(who.user_id), nlohmann::json::object());
  });
}

nlohmann::json AuthService::issue_token(Connection& c, const std::string& actor, std::int64_t user_id,
                                        const std::string& name, std::optional<int> days) {
  const std::string token = std::string(kTokenPrefix) + crypto::random_token(32);
  const std::string prefix = token.substr(0, 10);
  std::optional<std::int64_t> expires;
  if (days) expires = now_s() + static_cast<std::int64_t>(*days) * 86400;
  const auto id = UserStore::insert_token(c, user_id, name, crypto::sha256_hex(token), prefix, expires);
  Journal::append(c, actor, "token.create", "token:" + std::to_string(id),
                  {{"user_id", user_id}, {"name", name}, {"prefix", prefix}});
  nlohmann::json out = {{"id", id}, {"name", name}, {"prefix", prefix}, {"token", token}};
  out["expires_at"] = expires ? nlohmann::json(to_rfc3339(Clock::from_time_t(*expires))) : nlohmann::json();
  return out;
}

nlohmann::json AuthService::create_token(const Principal& who, const std::string& name, std::optional<int> days) {
  return db_.write([&](Connection& c) { return issue_token(c, who.actor(), who.user_id, name, days); });
}

nlohmann::json AuthService::list_tokens(const Principal& who) {
  return db_.read([&](Connection& c) { return UserStore::tokens_of(c, who.user_id); });
}

void AuthService::revoke_token(const Principal& who, std::int64_t id) {
  db_.write([&](Connection& c) {
    if (!UserStore::revoke_token(c, who.user_id, id)) throw Problem::not_found("No such active token of yours.");
    Journal::append(c, who.actor(), "token.revoke", "token:" + std::to_string(id), nlohmann::json::object());
  });
}

nlohmann::json AuthService::totp_begin(const Principal& who) {
  auto u = user(who.user_id);
  if (u.totp_enabled) throw Problem::conflict("The second factor is already enabled; disable it first.");
  const auto secret = crypto::new_totp_secret();
  db_.write([&](Connection& c) { UserStore::set_totp(c, who.user_id, secret, false); });
  return {{"secret", secret}, {"otpauth_uri", crypto::otpauth_uri("Parley", u.username, secret)}};
}

void AuthService::totp_confirm(const Principal& who, const std::string& code) {
  auto u = user(who.user_id);
  if (u.totp_enabled) throw Problem::conflict("The second factor is already enabled.");
  if (u.totp_secret.empty()) throw Problem::conflict("Start the enrolment first (POST /api/v1/me/totp).");
  const auto secret = crypto::base32_decode(u.totp_secret).value_or("");
  const auto step = crypto::totp_verify(secret, code, now_s());
  if (!step) throw Problem::invalid("code", "is not the current code of the authenticator");
  db_.write([&](Connection& c) {
    UserStore::set_totp(c, who.user_id, u.totp_secret, true);
    UserStore::set_totp_step(c, who.user_id, *step);
    Journal::append(c, who.actor(), "user.totp.enable", "user:" + std::to_string(who.user_id), nlohmann::json::object());
  });
}

void AuthService::totp_disable(const Principal& who, const std::string& password) {
  auto u = user(who.user_id);
  if (!crypto::verify_password(u.password_hash, password)) throw Problem::invalid("password", "is not correct");
  db_.write([&](Connection& c) {
    UserStore::set_totp(c, who.user_id, "", false);
    Journal::append(c, who.actor(), "user.totp.disable", "user:" + std::to_string(who.user_id), nlohmann::json::object());
  });
}

UserRecord AuthService::add_user_with_hash(Connection& c, const std::string& actor, const NewUser& u,
                                           const std::string& password_hash) {
  if (UserStore::by_username(c, u.username)) throw Problem::conflict("The username is taken.", {{"username", "already exists"}});
  if (!u.state.empty() && c.query("SELECT 1 AS x FROM states WHERE alpha3 = ?", {u.state}).empty())
    throw Problem::invalid("state", "'" + u.state + "' is not a state or participant known to this directory");
  if (!u.forum.empty() && c.query("SELECT 1 AS x FROM forums WHERE code = ?", {u.forum}).empty())
    throw Problem::invalid("forum", "'" + u.forum + "' is not a forum known to this directory");
  const auto id = UserStore::insert(c, u, password_hash);
  Journal::append(c, actor, "user.create", "user:" + std::to_string(id),
                  {{"username", u.username}, {"role", role_name(u.role)}, {"state", u.state}, {"forum", u.forum}});
  return *UserStore::by_id(c, id);
}

UserRecord AuthService::add_user(const std::string& actor, const NewUser& u, const std::string& password) {
  std::vector<FieldError> errors;
  if (u.username.empty() || u.username.size() > 64 ||
      u.username.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") != std::string::npos)
    errors.push_back({"username", "must be 1-64 characters of a-z, 0-9, '.', '_' or '-'"});
  if ((u.role == Role::kFocalPoint || u.role == Role::kPointOfContact) && !is_alpha3(u.state))
    errors.push_back({"state", "is required for this role (ISO 3166-1 alpha-3)"});
  if (u.role == Role::kSecretariat && u.forum.empty()) errors.push_back({"forum", "is required for a secretariat"});
  if (!errors.empty()) throw Problem::invalid(std::move(errors));
  check_password_policy(password, "password");
  const auto hash = crypto::hash_password(password);
  return db_.write([&](Connection& c) { return add_user_with_hash(c, actor, u, hash); });
}

std::vector<UserRecord> AuthService::list_users() {
  return db_.read([&](Connection& c) { return UserStore::list(c); });
}

void AuthService::set_password(const std::string& actor, const std::string& username, const std::string& password) {
  check_password_policy(password, "password");
  const auto hash = crypto::hash_password(password);
  db_.write([&](Connection& c) {
    auto u = UserStore::by_username(c, username);
    if (!u) throw Problem::not_found("No user " + username + ".");
    UserStore::set_password(c, u->id, hash);
    UserStore::delete_sessions_of(c, u->id);
    Journal::append(c, actor, "user.password", "user:" + std::to_string(u->id), nlohmann::json::object());
  });
}

void AuthService::set_disabled(const std::string& actor, const std::string& username, bool disabled) {
  db_.write([&](Connection& c) {
    auto u = UserStore::by_username(c, username);
    if (!u) throw Problem::not_found("No user " + username + ".");
    UserStore::set_disabled(c, u->id, disabled);
    if (disabled) UserStore::delete_sessions_of(c, u->id);
    Journal::append(c, actor, disabled ? "user.disable" : "user.enable", "user:" + std::to_string(u->id),
                    nlohmann::json::object());
  });
}

nlohmann::json AuthService::create_token_for(const std::string& actor, const std::string& username,
                                             const std::string& name, std::optional<int> days) {
  return db_.write([&](Connection& c) {
    auto u = UserStore::by_username(c, username);
    if (!u) throw Problem::not_found("No user " + username + ".");
    return issue_token(c, actor, u->id, name, days);
  });
}

}  // namespace parley::auth
