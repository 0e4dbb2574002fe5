#include "accounts/account_service.h"

#include <map>

#include "accounts/scope.h"
#include "auth/user_store.h"
#include "common/problem.h"
#include "common/time.h"
#include "storage/journal.h"

namespace parley::accounts {

using auth::Principal;
using auth::Role;
using auth::UserRecord;
using auth::UserStore;
using storage::Connection;
using storage::Journal;

namespace {

std::string ref(std::int64_t id) { return "user:" + std::to_string(id); }
Grant grant_of(const UserRecord& u) { return Grant{u.role, u.state, u.forum}; }
bool second_factor_role(Role r) { return r == Role::kAdmin || r == Role::kSecretariat || r == Role::kFocalPoint; }
nlohmann::json text_or_null(const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); }

struct Extra {
  std::optional<std::int64_t> contact_id;
  std::string contact_name;
  bool second_factor_required = false;
};

std::map<std::int64_t, Extra> extras(Connection& c) {
  std::map<std::int64_t, Extra> out;
  for (const auto& r : c.query("SELECT u.id, u.contact_id, u.second_factor_required, k.name AS contact_name FROM users u"
                               " LEFT JOIN contacts k ON k.id = u.contact_id")) {
    Extra e;
    if (!r.is_null("contact_id")) e.contact_id = r.integer("contact_id");
    e.contact_name = r.text("contact_name");
    e.second_factor_required = r.boolean("second_factor_required");
    out[r.integer("id")] = e;
  }
  return out;
}

std::map<std::string, std::string> names(Connection& c, const char* sql) {
  std::map<std::string, std::string> out;
  for (const auto& r : c.query(sql)) out[r.text("k")] = r.text("name");
  return out;
}

nlohmann::json account_json(const UserRecord& u, const Extra& e, const std::map<std::string, std::string>& states,
                            const std::map<std::string, std::string>& forums) {
  auto j = u.to_json();
  const auto s = states.find(u.state);
  const auto f = forums.find(u.forum);
  j["state_name"] = s == states.end() ? nlohmann::json() : nlohmann::json(s->second);
  j["forum_name"] = f == forums.end() ? nlohmann::json() : nlohmann::json(f->second);
  j["contact_id"] = e.contact_id ? nlohmann::json(*e.contact_id) : nlohmann::json();
  j["contact_name"] = text_or_null(e.contact_name);
  j["second_factor_required"] = e.second_factor_required || second_factor_role(u.role);
  j["last_sign_in_at"] = text_or_null(u.last_sign_in_at);
  return j;
}

// The account `id` for a change by `who`: 404 unless the caller sees it, 403 unless it
// could have invited it, 403 for one's own account.
UserRecord to_manage(Connection& c, const Principal& who, std::int64_t id, std::string_view action) {
  auth::require_role(who, {Role::kAdmin, Role::kSecretariat, Role::kFocalPoint}, "manage accounts");
  auto u = UserStore::by_id(c, id);
  if (!u || !sees(c, who, grant_of(*u))) throw Problem::not_found("No such account in your scope.");
  if (u->id == who.user_id)
    throw Problem::forbidden("You may not " + std::string(action) + " your own account; your profile is for that.");
  require_may_grant(c, who, grant_of(*u), action);
  return *u;
}

void end_credentials(Connection& c, std::int64_t id) {
  UserStore::delete_sessions_of(c, id);
  UserStore::revoke_tokens_of(c, id);
}

}  // namespace

nlohmann::json AccountService::list(const Principal& who) {
  auth::require_role(who, {Role::kAdmin, Role::kSecretariat, Role::kFocalPoint}, "list accounts");
  return db_.read([&](Connection& c) {
    const auto e = extras(c);
    const auto states = names(c, "SELECT alpha3 AS k, name FROM states");
    const auto forums = names(c, "SELECT code AS k, name FROM forums");
    auto items = nlohmann::json::array();
    for (const auto& u : UserStore::list(c))
      if (sees(c, who, grant_of(u))) items.push_back(account_json(u, e.count(u.id) ? e.at(u.id) : Extra{}, states, forums));
    return items;
  });
}

nlohmann::json AccountService::get(const Principal& who, std::int64_t id) {
  auth::require_role(who, {Role::kAdmin, Role::kSecretariat, Role::kFocalPoint}, "read accounts");
  return db_.read([&](Connection& c) {
    auto u = UserStore::by_id(c, id);
    if (!u || !sees(c, who, grant_of(*u))) throw Problem::not_found("No such account in your scope.");
    const auto e = extras(c);
    return account_json(*u, e.count(id) ? e.at(id) : Extra{}, names(c, "SELECT alpha3 AS k, name FROM states"),
                        names(c, "SELECT code AS k, name FROM forums"));
  });
}

nlohmann::json AccountService::update(const Principal& who, std::int64_t id, const AccountPatch& patch) {
  bool ended = false;
  db_.write([&](Connection& c) {
    const auto u = to_manage(c, who, id, "change");
    Grant next = grant_of(u);
    if (patch.role) next.role = *patch.role;
    const bool needs_state = next.role == Role::kFocalPoint || next.role == Role::kPointOfContact;
    const bool needs_forum = next.role == Role::kSecretariat;
    next.state = patch.state ? *patch.state : (needs_state ? u.state : "");
    next.forum = patch.forum ? *patch.forum : (needs_forum ? u.forum : "");
    const bool changes_grant = next.role != u.role || next.state != u.state || next.forum != u.forum;
    if (changes_grant) {
      validate_grant(c, next);
      require_may_grant(c, who, next, "make someone");
      const auto rows = c.query("SELECT k.state FROM users u JOIN contacts k ON k.id = u.contact_id WHERE u.id = ?", {id});
      if (!rows.empty() && (!needs_state || rows[0].text("state") != next.state))
        throw Problem::invalid("state", "must stay " + rows[0].text("state") +
                                            ": the account is a directory contact of that state");
      c.execute(
          "UPDATE users SET role = ?, state = ?, forum = ?, second_factor_required = CASE WHEN ? = 1 THEN 1 ELSE second_factor_required END,"
          " updated_at = ? WHERE id = ?",
          {std::string(auth::role_name(next.role)), storage::text_or_null(next.state), storage::text_or_null(next.forum),
           std::int64_t{second_factor_role(next.role) ? 1 : 0}, now_rfc3339(), id});
      end_credentials(c, id);
      ended = true;
      Journal::append(c, who.actor(), "user.role", ref(id),
                      {{"from", {{"role", auth::role_name(u.role)}, {"state", u.state}, {"forum", u.forum}}},
                       {"to", {{"role", auth::role_name(next.role)}, {"state", next.state}, {"forum", next.forum}}},
                       {"sessions_ended", true}});
    }
    if (patch.disabled && *patch.disabled != u.disabled) {
      UserStore::set_disabled(c, id, *patch.disabled);
      if (*patch.disabled) {
        end_credentials(c, id);
        ended = true;
      }
      Journal::append(c, who.actor(), *patch.disabled ? "user.disable" : "user.enable", ref(id),
                      {{"sessions_ended", *patch.disabled}});
    }
  });
  if (ended) auth_.credentials_ended(id);
  return get(who, id);
}

void AccountService::reset_second_factor(const Principal& who, std::int64_t id) {
  auth_.require_recent_sign_in(who, "reset a second factor");
  db_.write([&](Connection& c) {
    const auto u = to_manage(c, who, id, "reset the second factor of");
    UserStore::set_totp(c, id, "", false);
    if (second_factor_role(u.role)) c.execute("UPDATE users SET second_factor_required = 1 WHERE id = ?", {id});
    end_credentials(c, id);
    Journal::append(c, who.actor(), "user.totp.reset", ref(id), {{"sessions_ended", true}});
  });
  auth_.credentials_ended(id);
}

namespace {
void require_policy_rights(Connection& c, const Principal& who, const std::string& forum) {
  if (c.query("SELECT 1 AS x FROM forums WHERE code = ?", {forum}).empty())
    throw Problem::not_found("No forum " + forum + ".");
  if (!who.is(Role::kAdmin) && !(who.is(Role::kSecretariat) && who.forum == forum))
    throw Problem::forbidden("Only the admin or the forum's secretariat sets its account policy.");
}

nlohmann::json policy_json(Connection& c, const std::string& forum) {
  const auto rows = c.query("SELECT totp_for_everyone, updated_by, updated_at FROM account_policies WHERE forum = ?", {forum});
  if (rows.empty()) return {{"forum", forum}, {"totp_for_everyone", false}, {"updated_by", nullptr}, {"updated_at", nullptr}};
  return {{"forum", forum},
          {"totp_for_everyone", rows[0].boolean("totp_for_everyone")},
          {"updated_by", rows[0].text("updated_by")},
          {"updated_at", rows[0].text("updated_at")}};
}
}  // namespace

nlohmann::json AccountService::policy(const Principal& who, const std::string& forum) {
  return db_.read([&](Connection& c) {
    require_policy_rights(c, who, forum);
    return policy_json(c, forum);
  });
}

nlohmann::json AccountService::set_policy(const Principal& who, const std::string& forum, bool totp_for_everyone) {
  return db_.write([&](Connection& c) {
    require_policy_rights(c, who, forum);
    c.execute(
        "INSERT INTO account_policies(forum, totp_for_everyone, updated_by, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(forum) DO UPDATE SET totp_for_everyone = excluded.totp_for_everyone,"
        " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        {forum, std::int64_t{totp_for_everyone ? 1 : 0}, who.username, now_rfc3339()});
    Journal::append(c, who.actor(), "forum.account_policy", "forum:" + forum, {{"totp_for_everyone", totp_for_everyone}});
    return policy_json(c, forum);
  });
}

}  // namespace parley::accounts
