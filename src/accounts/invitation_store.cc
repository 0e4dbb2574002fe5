#include "accounts/invitation_store.h"
#include "common/json_values.h"

#include "auth/people.h"
#include "common/time.h"
#include "directory/contact_facts.h"
#include "directory/membership.h"

namespace parley::accounts {

namespace {
// The names shown beside an invitation are the directory's and auth's: filled in by
// from_row() through their interfaces (directory/membership.h, directory/contact_facts.h,
// auth/people.h).
constexpr const char* kSelect =
    "SELECT i.id, i.email, i.role, i.state, i.forum, i.contact_id, i.invited_by, i.inviter, i.created_at,"
    " i.expires_at, i.sent_count, i.accepted_at, i.revoked_at, i.user_id FROM invitations i";

std::optional<std::int64_t> opt_int(const storage::Row& r, const char* col) {
  if (r.is_null(col)) return std::nullopt;
  return r.integer(col);
}

InvitationRow from_row(storage::Connection& c, const storage::Row& r) {
  InvitationRow i;
  i.id = r.integer("id");
  i.email = r.text("email");
  i.role = r.text("role");
  i.state = r.text("state");
  i.forum = r.text("forum");
  i.contact_id = opt_int(r, "contact_id");
  i.invited_by = opt_int(r, "invited_by");
  i.inviter = r.text("inviter");
  i.created_at = r.integer("created_at");
  i.expires_at = r.integer("expires_at");
  i.sent_count = r.integer("sent_count");
  i.accepted_at = opt_int(r, "accepted_at");
  i.revoked_at = opt_int(r, "revoked_at");
  i.user_id = opt_int(r, "user_id");
  if (!i.state.empty()) i.state_name = directory::membership::state_name(c, i.state).value_or("");
  if (!i.forum.empty())
    if (const auto f = directory::membership::forum(c, i.forum)) i.forum_name = f->name;
  if (i.contact_id)
    if (const auto k = directory::contact_facts::contact(c, *i.contact_id)) i.contact_name = k->name;
  if (i.user_id)
    if (const auto u = auth::people::by_id(c, *i.user_id)) i.username = u->username;
  if (i.invited_by)
    if (const auto u = auth::people::by_id(c, *i.invited_by)) i.inviter_name = u->display_name;
  if (i.inviter_name.empty()) i.inviter_name = i.inviter;
  return i;
}

}  // namespace

std::string InvitationRow::status(std::int64_t now_ms) const {
  if (accepted_at) return "accepted";
  if (revoked_at) return "revoked";
  if (expires_at <= now_ms) return "expired";
  return "pending";
}

nlohmann::json InvitationRow::to_json(std::int64_t now_ms) const {
  return {{"id", id},
          {"email", email},
          {"role", role},
          {"state", json_text_or_null(state)},
          {"state_name", json_text_or_null(state_name)},
          {"forum", json_text_or_null(forum)},
          {"forum_name", json_text_or_null(forum_name)},
          {"contact_id", contact_id ? nlohmann::json(*contact_id) : nlohmann::json()},
          {"contact_name", json_text_or_null(contact_name)},
          {"invited_by", inviter_name},
          {"status", status(now_ms)},
          {"created_at", rfc3339_from_ms(created_at)},
          {"expires_at", rfc3339_from_ms(expires_at)},
          {"sent_count", sent_count},
          {"accepted_at", json_time(accepted_at)},
          {"revoked_at", json_time(revoked_at)},
          {"username", json_text_or_null(username)}};
}

std::int64_t InvitationStore::insert(storage::Connection& c, const std::string& secret_hash, const InvitationRow& r) {
  return c.insert(
      "INSERT INTO invitations(secret_hash, email, role, state, forum, contact_id, invited_by, inviter, created_at,"
      " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {secret_hash, r.email, r.role, storage::text_or_null(r.state), storage::text_or_null(r.forum),
       storage::opt(r.contact_id), storage::opt(r.invited_by), r.inviter, r.created_at, r.expires_at});
}

std::optional<InvitationRow> InvitationStore::by_id(storage::Connection& c, std::int64_t id) {
  auto rows = c.query(std::string(kSelect) + " WHERE i.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return from_row(c, rows[0]);
}

std::optional<InvitationRow> InvitationStore::by_secret_hash(storage::Connection& c, const std::string& secret_hash) {
  auto rows = c.query(std::string(kSelect) + " WHERE i.secret_hash = ?", {secret_hash});
  if (rows.empty()) return std::nullopt;
  return from_row(c, rows[0]);
}

std::vector<InvitationRow> InvitationStore::list(storage::Connection& c, bool open_only, int limit) {
  std::vector<InvitationRow> out;
  for (const auto& r : c.query(std::string(kSelect) +
                                   (open_only ? " WHERE i.accepted_at IS NULL AND i.revoked_at IS NULL" : "") +
                                   " ORDER BY i.id DESC LIMIT ?",
                               {std::int64_t{limit}}))
    out.push_back(from_row(c, r));
  return out;
}

bool InvitationStore::open_for_contact(storage::Connection& c, std::int64_t contact_id, std::int64_t now_ms) {
  return !c.query("SELECT 1 AS x FROM invitations WHERE contact_id = ? AND accepted_at IS NULL AND revoked_at IS NULL"
                  " AND expires_at > ?",
                  {contact_id, now_ms})
              .empty();
}

bool InvitationStore::mark_accepted(storage::Connection& c, std::int64_t id, std::int64_t user_id, std::int64_t now_ms) {
  return c.execute("UPDATE invitations SET accepted_at = ?, user_id = ? WHERE id = ? AND accepted_at IS NULL"
                   " AND revoked_at IS NULL AND expires_at > ?",
                   {now_ms, user_id, id, now_ms}) > 0;
}

bool InvitationStore::mark_revoked(storage::Connection& c, std::int64_t id, std::int64_t now_ms) {
  return c.execute("UPDATE invitations SET revoked_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL",
                   {now_ms, id}) > 0;
}

void InvitationStore::renew(storage::Connection& c, std::int64_t id, const std::string& secret_hash,
                            std::int64_t expires_at) {
  c.execute("UPDATE invitations SET secret_hash = ?, expires_at = ?, sent_count = sent_count + 1 WHERE id = ?",
            {secret_hash, expires_at, id});
}

}  // namespace parley::accounts
