#include "auth/auth_service.h"

#include <spdlog/spdlog.h>

#include "auth/languages.h"
#include "common/log_line.h"
#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "crypto/hash.h"
#include "crypto/password.h"
#include "crypto/random.h"
#include "crypto/totp.h"
#include "directory/membership.h"
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

namespace {
constexpr std::string_view kTotpPurpose = "users.totp_secret";

std::string key_or_random(const AuthConfig& config) {
  return config.secret_key.empty() ? crypto::random_bytes(crypto::SecretBox::kKeyBytes) : config.secret_key;
}
}  // namespace

AuthService::AuthService(storage::Database& db, AuthConfig config)
    : db_(db), config_(config), box_(key_or_random(config)) {
  config_.secret_key.clear();   // kept in box_ only
  // Counted in the database: guesses spread over several instances count as one stream.
  by_user_.share(db_, "sign-in.user");
  by_remote_.share(db_, "sign-in.address");
  // Seeds stored in clear by an earlier version are sealed now.
  db_.write([&](Connection& c) {
    for (const auto& [id, secret] : UserStore::clear_totp_secrets(c))
      UserStore::replace_totp_secret(c, id, box_.seal(secret, kTotpPurpose));
  });
}

void AuthService::check_password_policy(const std::string& password, const std::string& field) {
  const auto n = utf8_length(password);
  if (n < 10) throw Problem::invalid(field, "must be at least 10 characters");
  if (n > 256) throw Problem::invalid(field, "must be at most 256 characters");
}

std::string AuthService::csrf_for(const std::string& session_token) {
  // Derived, not stored: only the holder of the session token can compute it.
  return crypto::sha256_hex("parley-csrf\n" + session_token);
}

std::optional<std::int64_t> AuthService::totp_step(const UserRecord& u, const std::string& code) const {
  const auto seed = box_.open(u.totp_secret, kTotpPurpose);
  if (!seed) return std::nullopt;   // sealed under another key: refused, never guessed around
  return crypto::totp_verify(crypto::base32_decode(*seed).value_or(""), code, now_s());
}

// One sign-in attempt's places in the throttles: reserved before the password is
// checked, ended exactly once — as a failure (a wrong password or code), a success
// (the attempt got through, second factor included), or neither (it stopped for
// another reason, e.g. the code is still to be entered).
class AuthService::Attempt {
 public:
  Attempt(AuthService& auth, const std::string& username, const std::string& remote)
      : auth_(auth), user_key_("user:" + to_lower(username) + "@" + remote), remote_key_("remote:" + remote) {
    if (const int s = auth_.by_remote_.begin(remote_key_); s > 0) throw locked(s);
    if (const int s = auth_.by_user_.begin(user_key_); s > 0) {
      auth_.by_remote_.end(remote_key_);
      throw locked(s);
    }
  }
  ~Attempt() {
    if (done_) return;
    try {   // the counters are in the database: a failure here must not escape a destructor
      auth_.by_user_.end(user_key_);
      auth_.by_remote_.end(remote_key_);
    } catch (const std::exception&) {
      // The reservation is forgotten a minute after it was made (auth/throttle.h).
    }
  }
  Attempt(const Attempt&) = delete;
  Attempt& operator=(const Attempt&) = delete;
  void failed() {
    done_ = true;
    auth_.by_user_.failure(user_key_);
    auth_.by_remote_.failure(remote_key_);
  }
  void succeeded() {
    done_ = true;
    auth_.by_user_.success(user_key_);
    auth_.by_remote_.end(remote_key_);
  }

 private:
  static Problem locked(int s) {
    return Problem::too_many_requests("Too many failed sign-ins; try again in " + std::to_string(s) + " s.", s);
  }
  AuthService& auth_;
  std::string user_key_, remote_key_;
  bool done_ = false;
};

UserRecord AuthService::check_password(Attempt& attempt, const std::string& username, const std::string& password,
                                       const std::string& remote) {
  const auto user = db_.read([&](Connection& c) { return UserStore::by_username(c, username); });
  // Spend the same time whether or not the user exists.
  const bool password_ok = crypto::verify_password(user ? user->password_hash : crypto::dummy_password_hash(), password);
  if (!user || !password_ok || user->disabled) {
    attempt.failed();
    spdlog::warn("{}", log_line({{"event", "sign_in_failed"}, {"username", username.substr(0, 64)}, {"remote", remote}}));
    throw bad_credentials();
  }
  return *user;
}

SignIn AuthService::sign_in(const std::string& username, const std::string& password,
                            const std::optional<std::string>& totp, const std::string& remote) {
  // Reserved before the (slow) password check, so concurrent guesses are counted as
  // they arrive, not as they finish; a wrong code counts like a wrong password.
  Attempt attempt(*this, username, remote);
  const auto user = check_password(attempt, username, password, remote);
  const auto code_refused = [&] {
    attempt.failed();
    return Problem(401, "totp-invalid", "Second factor refused", "The code is wrong, expired or already used.",
                   {{"totp", "is not valid"}});
  };
  std::optional<std::int64_t> step;
  if (user.totp_enabled) {
    if (!totp || totp->empty()) {
      throw Problem(401, "totp-required", "Second factor required",
                    "Enter the 6-digit code from your authenticator app.", {{"totp", "is required"}});
    }
    step = totp_step(user, *totp);
    if (!step) throw code_refused();
  }

  SignIn out;
  out.session_token = crypto::random_token(32);
  out.csrf_token = csrf_for(out.session_token);
  out.expires_at = now_s() + static_cast<std::int64_t>(config_.session_hours) * 3600;
  out.user = user;
  const bool replayed = db_.write([&](Connection& c) {
    if (step) {
      // The used step is checked and recorded by one conditional update in the write
      // transaction that creates the session, so two sign-ins racing with one code
      // cannot both pass, on one instance or several.
      if (!UserStore::use_totp_step(c, user.id, *step)) return true;
    }
    UserStore::insert_session(c, crypto::sha256_hex(out.session_token), user.id, out.expires_at, remote);
    UserStore::set_signed_in(c, user.id);
    Journal::append(c, "user:" + user.username, "session.create", "user:" + std::to_string(user.id),
                    {{"remote", remote}, {"second_factor", user.totp_enabled}});
    return false;
  });
  if (replayed) throw code_refused();
  attempt.succeeded();
  return out;
}

std::int64_t AuthService::reauthenticate(const Principal& who, const std::string& password,
                                         const std::optional<std::string>& totp, const std::string& remote) {
  if (who.via_token || !who.credential.starts_with("s:"))
    throw Problem::forbidden("Re-authentication is for a signed-in session, not an API token.");
  // Throttled like sign_in, wrong codes included: a stolen session must not be a way to
  // guess the second factor. A wrong password or code is a 422 on its field, not a 401
  // that would end the session in the console.
  Attempt attempt(*this, who.username, remote);
  std::optional<UserRecord> checked;
  try {
    checked = check_password(attempt, who.username, password, remote);
  } catch (const Problem& p) {
    if (p.status() == 401) throw Problem::invalid("password", "is not correct");
    throw;
  }
  const auto& user = *checked;
  const auto code_refused = [&] {
    attempt.failed();
    return Problem::invalid("totp", "is wrong, expired or already used");
  };
  std::optional<std::int64_t> step;
  if (user.totp_enabled) {
    if (!totp || totp->empty()) throw Problem::invalid("totp", "is required");
    step = totp_step(user, *totp);
    if (!step) throw code_refused();
  }
  const auto now = now_s();
  const bool ok = db_.write([&](Connection& c) {
    if (step) {
      if (!UserStore::use_totp_step(c, user.id, *step)) return false;   // a replay (see sign_in)
    }
    if (!UserStore::set_session_verified(c, who.credential.substr(2), now))
      throw Problem::unauthenticated("Your session has ended; sign in again.");
    Journal::append(c, who.actor(), "session.reauthenticate", "user:" + std::to_string(user.id),
                    {{"remote", remote}, {"second_factor", user.totp_enabled}});
    return true;
  });
  if (!ok) throw code_refused();
  attempt.succeeded();
  return now;
}

void AuthService::confirm_password(const Principal& who, const std::string& password, const std::string& field,
                                   const std::string& remote) {
  // Throttled like sign-in: a stolen session is no way to guess the password either.
  Attempt attempt(*this, who.username, remote);
  if (!crypto::verify_password(user(who.user_id).password_hash, password)) {
    attempt.failed();
    throw Problem::invalid(field, "is not correct");
  }
  attempt.succeeded();
}

void AuthService::require_recent_sign_in(const Principal& who, std::string_view action) const {
  if (who.via_token)
    throw Problem(403, "interactive-sign-in-required", "Interactive sign-in required",
                  "An API token cannot " + std::string(action) + "; sign in with your password.");
  if (now_s() - who.verified_at > config_.recent_sign_in_seconds)
    throw Problem(403, "recent-sign-in-required", "Confirm your password",
                  "To " + std::string(action) +
                      ", confirm your password first (POST /api/v1/session/reauthenticate).",
                  {{"password", "must be confirmed"}});
}

void AuthService::sign_out(const std::string& session_token) {
  const auto ended = db_.write([&](Connection& c) -> std::int64_t {
    const auto hash = crypto::sha256_hex(session_token);
    auto user = UserStore::user_for_session(c, hash, now_s());
    UserStore::delete_session(c, hash);
    if (!user) return 0;
    Journal::append(c, "user:" + user->username, "session.delete", "user:" + std::to_string(user->id),
                    nlohmann::json::object());
    return user->id;
  });
  if (ended) credentials_ended(ended);
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
  auto p = user->principal(via_token);
  p.credential = kind + digest;
  return p;
}

bool AuthService::credential_valid(const std::string& credential) {
  if (credential.size() < 3) return false;
  const auto kind = credential.substr(0, 2);
  if (kind != "s:" && kind != "t:") return false;
  return resolve(kind, credential.substr(2), kind == "t:").has_value();
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
  // The e-mail address receives hotline notices and, soon, invitations and resets: a
  // stolen token or an old session must not redirect it.
  if (email != user(who.user_id).email) require_recent_sign_in(who, "change the e-mail address");
  return db_.write([&](Connection& c) {
    UserStore::set_profile(c, who.user_id, display_name, email);
    Journal::append(c, who.actor(), "user.profile", "user:" + std::to_string(who.user_id),
                    {{"display_name", display_name}, {"email", email}});
    return *UserStore::by_id(c, who.user_id);
  });
}

UserRecord AuthService::set_language(const Principal& who, const std::string& language) {
  if (!language.empty() && !is_console_language(language)) {
    std::string supported;
    for (auto l : kConsoleLanguages) supported += (supported.empty() ? "" : ", ") + std::string(l);
    throw Problem::invalid("language", "is not a language of the console (" + supported + ")");
  }
  return db_.write([&](Connection& c) {
    UserStore::set_language(c, who.user_id, language);
    Journal::append(c, who.actor(), "user.language", "user:" + std::to_string(who.user_id),
                    {{"language", language.empty() ? nlohmann::json() : nlohmann::json(language)}});
    return *UserStore::by_id(c, who.user_id);
  });
}

void AuthService::change_password(const Principal& who, const std::string& current, const std::string& next,
                                  const std::string& remote) {
  require_recent_sign_in(who, "change the password");
  check_password_policy(next, "new_password");
  confirm_password(who, current, "current_password", remote);
  const auto hash = crypto::hash_password(next);
  db_.write([&](Connection& c) {
    UserStore::set_password(c, who.user_id, hash);
    // Whoever else held a session or a token of this account (perhaps the reason for
    // the change) holds nothing now; the session that changed it stays.
    UserStore::delete_sessions_except(c, who.user_id, who.credential.starts_with("s:") ? who.credential.substr(2) : "");
    const auto revoked = UserStore::revoke_tokens_of(c, who.user_id);
    Journal::append(c, who.actor(), "user.password", "user:" + std::to_string(who.user_id),
                    {{"other_sessions_ended", true}, {"tokens_revoked", revoked}});
  });
  credentials_ended(who.user_id);
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
  require_recent_sign_in(who, "create an API token");
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
  credentials_ended(who.user_id);
}

nlohmann::json AuthService::totp_begin(const Principal& who) {
  require_recent_sign_in(who, "enrol a second factor");
  auto u = user(who.user_id);
  if (u.totp_enabled) throw Problem::conflict("The second factor is already enabled; disable it first.");
  const auto secret = crypto::new_totp_secret();
  db_.write([&](Connection& c) { UserStore::set_totp(c, who.user_id, box_.seal(secret, kTotpPurpose), false); });
  return {{"secret", secret}, {"otpauth_uri", crypto::otpauth_uri("Parley", u.username, secret)}};
}

void AuthService::totp_confirm(const Principal& who, const std::string& code) {
  require_recent_sign_in(who, "enrol a second factor");
  auto u = user(who.user_id);
  if (u.totp_enabled) throw Problem::conflict("The second factor is already enabled.");
  if (u.totp_secret.empty()) throw Problem::conflict("Start the enrolment first (POST /api/v1/me/totp).");
  const auto step = totp_step(u, code);
  if (!step) throw Problem::invalid("code", "is not the current code of the authenticator");
  db_.write([&](Connection& c) {
    UserStore::set_totp(c, who.user_id, u.totp_secret, true);
    UserStore::set_totp_step(c, who.user_id, *step);
    Journal::append(c, who.actor(), "user.totp.enable", "user:" + std::to_string(who.user_id), nlohmann::json::object());
  });
}

void AuthService::totp_disable(const Principal& who, const std::string& password, const std::string& remote) {
  require_recent_sign_in(who, "remove the second factor");
  confirm_password(who, password, "password", remote);
  db_.write([&](Connection& c) {
    UserStore::set_totp(c, who.user_id, "", false);
    Journal::append(c, who.actor(), "user.totp.disable", "user:" + std::to_string(who.user_id), nlohmann::json::object());
  });
}

UserRecord AuthService::add_user_with_hash(Connection& c, const std::string& actor, const NewUser& u,
                                           const std::string& password_hash) {
  if (UserStore::by_username(c, u.username)) throw Problem::conflict("The username is taken.", {{"username", "already exists"}});
  if (!u.state.empty() && !directory::membership::state_exists(c, u.state))
    throw Problem::invalid("state", "'" + u.state + "' is not a state or participant known to this directory");
  if (!u.forum.empty() && !directory::membership::forum_exists(c, u.forum))
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
  const auto id = db_.write([&](Connection& c) {
    auto u = UserStore::by_username(c, username);
    if (!u) throw Problem::not_found("No user " + username + ".");
    UserStore::set_password(c, u->id, hash);
    UserStore::delete_sessions_of(c, u->id);
    const auto revoked = UserStore::revoke_tokens_of(c, u->id);
    Journal::append(c, actor, "user.password", "user:" + std::to_string(u->id),
                    {{"sessions_ended", true}, {"tokens_revoked", revoked}});
    return u->id;
  });
  credentials_ended(id);
}

void AuthService::set_disabled(const std::string& actor, const std::string& username, bool disabled) {
  const auto id = db_.write([&](Connection& c) {
    auto u = UserStore::by_username(c, username);
    if (!u) throw Problem::not_found("No user " + username + ".");
    UserStore::set_disabled(c, u->id, disabled);
    if (disabled) UserStore::delete_sessions_of(c, u->id);
    Journal::append(c, actor, disabled ? "user.disable" : "user.enable", "user:" + std::to_string(u->id),
                    nlohmann::json::object());
    return u->id;
  });
  if (disabled) credentials_ended(id);
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
