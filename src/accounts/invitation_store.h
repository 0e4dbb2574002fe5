// InvitationStore: the SQL for invitations. Stateless; every function runs on the
// caller's Connection, inside the caller's transaction. Secrets never reach this layer:
// only their SHA-256.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/database.h"

namespace parley::accounts {

struct InvitationRow {
  std::int64_t id = 0;
  std::string email, role, state, forum, inviter;
  std::optional<std::int64_t> contact_id, invited_by, accepted_at, revoked_at, user_id;
  std::int64_t created_at = 0, expires_at = 0, sent_count = 0;
  // Joined for display: names of the state, forum, contact; the account's username.
  std::string state_name, forum_name, contact_name, username, inviter_name;

  // pending | expired | revoked | accepted, at `now_ms`.
  std::string status(std::int64_t now_ms) const;
  // What those who manage invitations see (never the secret or its hash).
  nlohmann::json to_json(std::int64_t now_ms) const;
};

class InvitationStore {
 public:
  static std::int64_t insert(storage::Connection& c, const std::string& secret_hash, const InvitationRow& r);
  static std::optional<InvitationRow> by_id(storage::Connection& c, std::int64_t id);
  static std::optional<InvitationRow> by_secret_hash(storage::Connection& c, const std::string& secret_hash);
  // Newest first; `open_only`: neither accepted nor revoked (expired ones included).
  static std::vector<InvitationRow> list(storage::Connection& c, bool open_only, int limit);
  // An invitation of the contact that is neither accepted, revoked nor expired.
  static bool open_for_contact(storage::Connection& c, std::int64_t contact_id, std::int64_t now_ms);
  // Single use: true only for the one call that marks it.
  static bool mark_accepted(storage::Connection& c, std::int64_t id, std::int64_t user_id, std::int64_t now_ms);
  static bool mark_revoked(storage::Connection& c, std::int64_t id, std::int64_t now_ms);
  static void renew(storage::Connection& c, std::int64_t id, const std::string& secret_hash, std::int64_t expires_at);
};

}  // namespace parley::accounts
