// UserStore: the SQL for users, sessions and API tokens. Stateless; every function
// runs on the caller's Connection, inside the caller's transaction. Secrets never
// reach this layer in clear: sessions and tokens are stored as SHA-256 digests of
// high-entropy random values, passwords as argon2id hashes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "storage/database.h"

namespace parley::auth {

struct UserRecord {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string email;
  Role role = Role::kObserver;
  std::string state;
  std::string forum;
  std::string password_hash;
  std::string totp_secret;   // sealed (crypto::SecretBox), never the seed in clear
  bool totp_enabled = false;
  std::int64_t totp_last_step = 0;
  bool disabled = false;
  std::string created_at;
  std::string language;   // the console's language (BCP 47); "" when the browser's decides
  // Read with a session (user_for_session): when it last proved the password.
  std::int64_t verified_at = 0;
  // No second factor yet, and one is required (users.second_factor_required, or the
  // account policy of a forum of the user's, account_policies.totp_for_everyone).
  bool must_enrol_totp = false;
  std::string last_sign_in_at;

  Principal principal(bool via_token) const;
  nlohmann::json to_json() const;   // public view: no hashes, no secrets
};

struct NewUser {
  std::string username;
  std::string display_name;
  std::string email;
  Role role = Role::kObserver;
  std::string state;
  std::string forum;
};

class UserStore {
 public:
  static std::optional<UserRecord> by_username(storage::Connection& c, const std::string& username);
  static std::optional<UserRecord> by_id(storage::Connection& c, std::int64_t id);
  static std::vector<UserRecord> list(storage::Connection& c);
  static std::int64_t insert(storage::Connection& c, const NewUser& u, const std::string& password_hash);
  static void set_password(storage::Connection& c, std::int64_t id, const std::string& hash);
  static void set_disabled(storage::Connection& c, std::int64_t id, bool disabled);
  static void set_totp(storage::Connection& c, std::int64_t id, const std::string& secret, bool enabled);
  static void set_totp_step(storage::Connection& c, std::int64_t id, std::int64_t step);
  // Records `step` as used unless it (or a later one) already was: false means a replay.
  static bool use_totp_step(storage::Connection& c, std::int64_t id, std::int64_t step);
  static void set_signed_in(storage::Connection& c, std::int64_t id);
  static void set_profile(storage::Connection& c, std::int64_t id, const std::string& display_name,
                          const std::string& email);
  static void set_language(storage::Connection& c, std::int64_t id, const std::string& language);   // "": NULL

  // A new session has just proved the password: its verified_at is now.
  static void insert_session(storage::Connection& c, const std::string& id_hash, std::int64_t user_id,
                             std::int64_t expires_at, const std::string& remote);
  static bool set_session_verified(storage::Connection& c, const std::string& id_hash, std::int64_t at);
  // Every session of the user but `keep` (a digest; "" keeps none).
  static void delete_sessions_except(storage::Connection& c, std::int64_t user_id, const std::string& keep);
  // Revokes every active API token of the user; returns how many.
  static std::int64_t revoke_tokens_of(storage::Connection& c, std::int64_t user_id);
  // Users whose TOTP seed is still stored in clear (databases from before sealing).
  static std::vector<std::pair<std::int64_t, std::string>> clear_totp_secrets(storage::Connection& c);
  static void replace_totp_secret(storage::Connection& c, std::int64_t id, const std::string& secret);
  static std::optional<UserRecord> user_for_session(storage::Connection& c, const std::string& id_hash,
                                                    std::int64_t now);
  static void delete_session(storage::Connection& c, const std::string& id_hash);
  static void delete_sessions_of(storage::Connection& c, std::int64_t user_id);

  static std::int64_t insert_token(storage::Connection& c, std::int64_t user_id, const std::string& name,
                                   const std::string& token_hash, const std::string& prefix,
                                   std::optional<std::int64_t> expires_at);
  static std::optional<UserRecord> user_for_token(storage::Connection& c, const std::string& token_hash,
                                                  std::int64_t now);
  static nlohmann::json tokens_of(storage::Connection& c, std::int64_t user_id);
  static bool revoke_token(storage::Connection& c, std::int64_t user_id, std::int64_t token_id);
};

}  // namespace parley::auth
