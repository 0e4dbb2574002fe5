// AccountService: managing the accounts of others, and a forum's account policy.
//
//  * List: the admin sees every account; a secretariat its forum's and its member
//    states' accounts; a focal point its state's (accounts/scope.h `sees`).
//  * Change a role, disable or enable, reset a second factor: only on an account the
//    caller could have invited, to a role it may grant (scope.h `may_grant`); never on
//    one's own account (the profile is for that). Disabling, a role change and a reset
//    end the account's sessions, tokens and streams (AuthService::credentials_ended).
//  * Account policy: the admin or the forum's secretariat says whether every account of
//    the forum must use a second factor (auth's account_policies table, which the
//    Guard's check reads).
// Every change is journaled in its transaction. Thread-safe: no mutable state.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/auth_service.h"
#include "auth/principal.h"
#include "storage/database.h"

namespace parley::accounts {

struct AccountPatch {
  std::optional<auth::Role> role;
  std::optional<std::string> state, forum;   // "" clears
  std::optional<bool> disabled;
};

class AccountService {
 public:
  AccountService(storage::Database& db, auth::AuthService& auth) : db_(db), auth_(auth) {}

  nlohmann::json list(const auth::Principal& who);
  nlohmann::json get(const auth::Principal& who, std::int64_t id);
  nlohmann::json update(const auth::Principal& who, std::int64_t id, const AccountPatch& patch);
  void reset_second_factor(const auth::Principal& who, std::int64_t id);

  nlohmann::json policy(const auth::Principal& who, const std::string& forum);
  nlohmann::json set_policy(const auth::Principal& who, const std::string& forum, bool totp_for_everyone);

 private:
  storage::Database& db_;
  auth::AuthService& auth_;
};

}  // namespace parley::accounts
