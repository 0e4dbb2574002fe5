// AuthService: signing in and out, resolving a session cookie or API token to a
// Principal, CSRF tokens, personal API tokens, TOTP second factor, and user
// administration (used by the CLI). Every change is journaled in the same transaction.
// Thread-safe: holds no per-request state; the Throttle is internally locked.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "auth/throttle.h"
#include "auth/user_store.h"
#include "common/versioned_cache.h"
#include "crypto/secret_box.h"
#include "storage/database.h"

namespace parley::auth {

struct AuthConfig {
  int session_hours = 12;
  bool cookie_secure = false;   // set when Parley is served over TLS
  // Credential changes (API tokens, TOTP, password) need a session that proved the
  // password this recently (sign-in or POST /api/v1/session/reauthenticate).
  int recent_sign_in_seconds = 900;
  // How long an invitation's link works (accounts::InvitationService).
  int invitation_hours = 72;
  // The key file that seals TOTP seeds (crypto::SecretBox); "" = beside the database.
  std::string key_file;
  // The key itself (32 bytes), read from key_file by the Application; empty = a random
  // key for this process only (unit tests).
  std::string secret_key;
};

struct SignIn {
  std::string session_token;   // goes into the HttpOnly cookie, never into JSON
  std::string csrf_token;
  std::int64_t expires_at = 0;
  UserRecord user;
};

class AuthService {
 public:
  AuthService(storage::Database& db, AuthConfig config);

  const AuthConfig& config() const { return config_; }

  // Throws Problem 401 (bad credentials, "totp-required"), 429 (throttled), 422 (bad input).
  SignIn sign_in(const std::string& username, const std::string& password,
                 const std::optional<std::string>& totp, const std::string& remote);
  void sign_out(const std::string& session_token);
  // Proves the password (and TOTP) again on the session `who` came with, so that it may
  // change credentials for recent_sign_in_seconds. Throttled like sign_in.
  std::int64_t reauthenticate(const Principal& who, const std::string& password, const std::optional<std::string>& totp,
                              const std::string& remote);
  // Throws 403 unless `who` came with a session that proved the password recently
  // ("recent-sign-in-required"); an API token never may ("interactive-sign-in-required").
  void require_recent_sign_in(const Principal& who, std::string_view action) const;
  // Whether a Principal::credential still names a live session or token of an enabled user.
  bool credential_valid(const std::string& credential);
  // Called (after the commit) with the user whose sessions or tokens were ended or
  // revoked, so that streams opened with them can be closed at once.
  void on_credentials_ended(std::function<void(std::int64_t user_id)> listener) { ended_ = std::move(listener); }
  // Tells the listener that a change made elsewhere (account management) ended the
  // user's sessions or tokens; call after the commit.
  void credentials_ended(std::int64_t user_id) {
    if (ended_) ended_(user_id);
  }

  std::optional<Principal> from_session(const std::string& session_token);
  std::optional<Principal> from_api_token(const std::string& token);
  // The principal of an enabled account, for the operator's CLI acting as that user.
  std::optional<Principal> principal_of(const std::string& username);
  static std::string csrf_for(const std::string& session_token);

  // Self-service.
  UserRecord user(std::int64_t id);
  UserRecord update_profile(const Principal& who, const std::string& display_name, const std::string& email);
  // The console's language for this user: one of kConsoleLanguages (auth/languages.h),
  // or "" to let the browser decide. Throws a 422 Problem for any other tag.
  UserRecord set_language(const Principal& who, const std::string& language);
  // Also ends every other session of the user and revokes every API token.
  void change_password(const Principal& who, const std::string& current, const std::string& next,
                       const std::string& remote);
  nlohmann::json create_token(const Principal& who, const std::string& name, std::optional<int> days);
  nlohmann::json list_tokens(const Principal& who);
  void revoke_token(const Principal& who, std::int64_t id);
  nlohmann::json totp_begin(const Principal& who);
  void totp_confirm(const Principal& who, const std::string& code);
  void totp_disable(const Principal& who, const std::string& password, const std::string& remote);

  // Administration (CLI, demo loader). `actor` is recorded in the journal.
  UserRecord add_user(const std::string& actor, const NewUser& u, const std::string& password);
  UserRecord add_user_with_hash(storage::Connection& c, const std::string& actor, const NewUser& u,
                                const std::string& password_hash);
  std::vector<UserRecord> list_users();
  void set_password(const std::string& actor, const std::string& username, const std::string& password);
  void set_disabled(const std::string& actor, const std::string& username, bool disabled);
  nlohmann::json create_token_for(const std::string& actor, const std::string& username, const std::string& name,
                                  std::optional<int> days);

  static void check_password_policy(const std::string& password, const std::string& field);

 private:
  // Checks a TOTP code against the user's sealed seed: the step, or nullopt.
  std::optional<std::int64_t> totp_step(const UserRecord& u, const std::string& code) const;
  // The argon2id check of sign_in and reauthenticate, within an Attempt (its places in
  // the throttles per (user, address) and per address). Throws 401 and counts the
  // failure; the returned user is enabled and matched.
  class Attempt;
  // The password of `who` (a signed-in user confirming a change), throttled likewise;
  // throws 422 naming `field` when wrong.
  void confirm_password(const Principal& who, const std::string& password, const std::string& field,
                        const std::string& remote);
  UserRecord check_password(Attempt& attempt, const std::string& username, const std::string& password,
                            const std::string& remote);
  nlohmann::json issue_token(storage::Connection& c, const std::string& actor, std::int64_t user_id,
                             const std::string& name, std::optional<int> days);

  // Resolves a credential digest to its user, reusing the answer while the database
  // generation is unchanged (revocations, disabling, password changes are all writes).
  std::optional<Principal> resolve(const std::string& kind, const std::string& digest, bool via_token);

  struct Resolved {
    std::optional<UserRecord> user;
  };
  storage::Database& db_;
  AuthConfig config_;
  VersionedCache<Resolved> credentials_{10000};
  crypto::SecretBox box_;
  std::function<void(std::int64_t)> ended_;
  // Guessing is limited per username at an address (5 failures lock that pair, not
  // the account: anyone could lock out a named user otherwise) and per address (100
  // failures, for many usernames; behind a proxy, the client's address as the proxy
  // says, when it is a trusted proxy: http::ServerOptions::trusted_proxies).
  Throttle by_user_{5, std::chrono::seconds(30), std::chrono::minutes(15)};
  Throttle by_remote_{100, std::chrono::seconds(30), std::chrono::minutes(15)};
};

}  // namespace parley::auth
