#include "accounts/account_service.h"
#include "common/json_values.h"

#include <map>

#include "accounts/scope.h"
#include "auth/account_policy.h"
#include "auth/people.h"
#include "auth/user_store.h"
#include "common/problem.h"
#include "common/time.h"
#include "directory/contact_facts.h"
#include "directory/membership.h"
#include "storage/journal.h"

namespace parley::accounts {

using auth::Principal;
using auth::Role;
using auth::UserRecord;
using auth::UserStore;
using storage::Connection;
using storage::Journal;

namespace {

std::string user_ref(std::int64_t id) { return "user:" + std::to_string(id); }
Grant grant_of(const UserRecord& u) { return Grant{u.role, u.state, u.forum}; }

// What the account list shows beside a user record: the directory contact it speaks for
// (auth/people.h, then the contact's name from directory/contact_facts.h) and whether a
// second factor is required of it.
struct Extra {
  std::optional<std::int64_t> contact_id;
  std::string contact_name;
  bool second_factor_required = false;
};

std::map<std::int64_t, Extra> extras(Connection& c, const std::vector<UserRecord>& users) {
  std::vector<std::int64_t> ids;
  for (const auto& u : users) ids.push_back(u.id);
  std::map<std::int64_t, Extra> out;
  for (const auto& p : auth::people::by_ids(c, ids)) {
    Extra e;
    e.contact_id = p.contact_id;
    e.second_factor_required = p.second_factor_required;
    if (p.contact_id)
      if (const auto k = directory::contact_facts::contact(c, *p.contact_id)) e.contact_name = k->name;
    out[p.id] = std::move(e);
  }
  return out;
}

nlohmann::json account_json(const UserRecord& u, const Extra& e,
                            const std::map<std::string, std::string>& states,
                            const std::map<std::string, std::string>& forums) {
  auto j = u.to_json();
  const auto s = states.find(u.state);
  const auto f = forums.find(u.forum);
  j["state_name"] = s == states.end() ? nlohmann::json() : nlohmann::json(s->second);
  j["forum_name"] = f == forums.end() ? nlohmann::json() : nlohmann::json(f->second);
  j["contact_id"] = e.contact_id ? nlohmann::json(*e.contact_id) : nlohmann::json();
  j["contact_name"] = json_text_or_null(e.contact_name);
  j["second_factor_required"] = e.second_factor_required || auth::needs_second_factor(u.role);
  j["last_sign_in_at"] = json_text_or_null(u.last_sign_in_at);
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
    const auto states = directory::membership::state_names(c);
    const auto forums = directory::membership::forum_names(c);
    std::vector<UserRecord> seen;
    for (auto& u : UserStore::list(c))
      if (sees(c, who, grant_of(u))) seen.push_back(std::move(u));
    const auto e = extras(c, seen);
    auto items = nlohmann::json::array();
    for (const auto& u : seen) items.push_back(account_json(u, e.count(u.id) ? e.at(u.id) : Extra{}, states, forums));
    return items;
  });
}

nlohmann::json AccountService::get(const Principal& who, std::int64_t id) {
  auth::require_role(who, {Role::kAdmin, Role::kSecretariat, Role::kFocalPoint}, "read accounts");
  return db_.read([&](Connection& c) {
    auto u = UserStore::by_id(c, id);
    if (!u || !sees(c, who, grant_of(*u))) throw Problem::not_found("No such account in your scope.");
    const auto e = extras(c, {*u});
    return account_json(*u, e.count(id) ? e.at(id) : Extra{}, directory::membership::state_names(c),
                        directory::membership::forum_names(c));
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
      const auto account = auth::people::by_id(c, id);
      const auto k = account && account->contact_id ? directory::contact_facts::contact(c, *account->contact_id)
                                                    : std::nullopt;
      if (k && (!needs_state || k->state != next.state))
        throw Problem::invalid("state", "must stay " + k->state + ": the account is a directory contact of that state");
      auth::people::set_grant(c, id, std::string(auth::role_name(next.role)), next.state, next.forum,
                              auth::needs_second_factor(next.role));
      end_credentials(c, id);
      ended = true;
      Journal::append(c, who.actor(), "user.role", user_ref(id),
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
      Journal::append(c, who.actor(), *patch.disabled ? "user.disable" : "user.enable", user_ref(id),
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
    if (auth::needs_second_factor(u.role)) auth::people::require_second_factor(c, id);
    end_credentials(c, id);
    Journal::append(c, who.actor(), "user.totp.reset", user_ref(id), {{"sessions_ended", true}});
  });
  auth_.credentials_ended(id);
}

namespace {
void require_policy_rights(Connection& c, const Principal& who, const std::string& forum) {
  if (!directory::membership::forum_exists(c, forum))
    throw Problem::not_found("No forum " + forum + ".");
  if (!who.is(Role::kAdmin) && !(who.is(Role::kSecretariat) && who.forum == forum))
    throw Problem::forbidden("Only the admin or the forum's secretariat sets its account policy.");
}

nlohmann::json policy_json(Connection& c, const std::string& forum) {
  const auto p = auth::account_policy::of(c, forum);
  if (!p) return {{"forum", forum}, {"totp_for_everyone", false}, {"updated_by", nullptr}, {"updated_at", nullptr}};
  return {{"forum", forum},
          {"totp_for_everyone", p->totp_for_everyone},
          {"updated_by", p->updated_by},
          {"updated_at", p->updated_at}};
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
    auth::account_policy::set(c, forum, totp_for_everyone, who.username);
    Journal::append(c, who.actor(), "forum.account_policy", "forum:" + forum, {{"totp_for_everyone", totp_for_everyone}});
    return policy_json(c, forum);
  });
}

}  // namespace parley::accounts
