#include "accounts/invitation_service.h"

#include <spdlog/spdlog.h>

#include "accounts/invitation_store.h"
#include "accounts/scope.h"
#include "auth/account_policy.h"
#include "auth/people.h"
#include "common/log_line.h"
#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "crypto/hash.h"
#include "crypto/password.h"
#include "crypto/random.h"
#include "directory/contact_facts.h"
#include "directory/directory_store.h"
#include "directory/membership.h"
#include "directory/names.h"
#include "storage/journal.h"

namespace parley::accounts {

using auth::Principal;
using auth::Role;
using storage::Connection;
using storage::Journal;

namespace {

std::string invitation_ref(std::int64_t id) { return "invitation:" + std::to_string(id); }

// The problem for a link that no longer works, or never did.
void require_open(const InvitationRow& r, std::int64_t now) {
  const auto status = r.status(now);
  if (status == "accepted")
    throw Problem(410, "invitation-used", "Invitation already used",
                  "This invitation was accepted already; its link works once. Sign in with the account it made.");
  if (status == "revoked")
    throw Problem(410, "invitation-revoked", "Invitation withdrawn",
                  "This invitation was withdrawn (it came from " + r.inviter_name + "); ask for a new one if needed.");
  if (status == "expired")
    throw Problem(410, "invitation-expired", "Invitation expired",
                  "This invitation expired on " + rfc3339_from_ms(r.expires_at) +
                      ". Ask for it to be sent again (it came from " + r.inviter_name + ").");
}

Problem unknown_invitation() {
  return Problem(404, "invitation-unknown", "No such invitation",
                 "This link is not an invitation of this Parley. Check that it was copied whole.");
}

std::string role_phrase(const InvitationRow& r) {
  if (r.role == "admin") return "platform administrator";
  if (r.role == "secretariat") return "secretariat of " + (r.forum_name.empty() ? r.forum : r.forum_name);
  const auto state = r.state_name.empty() ? r.state : r.state_name;
  if (r.role == "focal_point") return "national focal point of " + state;
  if (r.role == "poc") return "point of contact of " + state;
  return "observer";
}

// Would the invitee have to enrol TOTP? (Their role, or a forum's policy.)
bool second_factor_due(Connection& c, const InvitationRow& r) {
  if (auth::needs_second_factor(auth::parse_role(r.role).value_or(Role::kObserver))) return true;
  return auth::account_policy::totp_required(c, r.forum, r.state);
}

std::string first_email(const directory::Contact& k) {
  for (const auto& ch : k.channels)
    if (ch.kind == "email" && !ch.value.empty()) return ch.value;
  return "";
}

}  // namespace

InvitationService::InvitationService(storage::Database& db, auth::AuthService& auth,
                                     directory::DirectoryService& directory, TimeSource& time, mail::MailConfig mail,
                                     int lifetime_hours)
    : db_(db), auth_(auth), directory_(directory), time_(time), mail_(std::move(mail)),
      lifetime_ms_(static_cast<std::int64_t>(lifetime_hours) * 3600 * 1000) {
  guesses_.share(db_, "invitation");   // shared by every instance (auth/throttle.h)
}

std::string InvitationService::link(const std::string& secret) const {
  auto base = mail_.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/#/invitation/" + secret;
}

void InvitationService::mailed() {
  if (on_mail_) on_mail_();
}

bool InvitationService::send(Connection& c, std::int64_t id, const std::string& secret) {
  if (!mail_.enabled()) return false;
  const auto r = *InvitationStore::by_id(c, id);
  mail::Mail m;
  m.to = r.email;
  m.subject = "[Parley] You are invited as " + role_phrase(r);
  std::string body = r.inviter_name + " invites you to Parley, the platform of confidence-building measures for ICT "
                                      "security, as " + role_phrase(r) + ".\n\n";
  if (!r.contact_name.empty()) body += "Your account will be the directory entry of " + r.contact_name + ".\n\n";
  body += "Accept the invitation, choose your username and password";
  body += second_factor_due(c, r) ? " and set up your authenticator app (a second factor is required)" : "";
  body += ":\n\n  " + link(secret) + "\n\nThe link works once and expires on " + rfc3339_from_ms(r.expires_at) +
          ". If you did not expect it, ignore this message.\n";
  m.body = std::move(body);
  mail::Outbox::enqueue(c, m, time_.now_ms());
  return true;
}

InvitationService::Made InvitationService::create(Connection& c, const Principal& who, const InvitationInput& in,
                                                  const std::string& because) {
  const Grant g{in.role, in.state, in.forum};
  validate_grant(c, g);
  require_may_grant(c, who, g, "invite");
  const auto now = time_.now_ms();
  if (in.role == Role::kPointOfContact && !in.contact_id)
    throw Problem::invalid("contact_id",
                           "is required: a point of contact's account is a directory contact's (give contact_id, or "
                           "contact with the details of a new one)");
  if (in.contact_id) {
    if (in.role != Role::kPointOfContact && in.role != Role::kFocalPoint)
      throw Problem::invalid("contact_id", "is only for focal points and points of contact");
    const auto k = directory::contact_facts::contact(c, *in.contact_id);
    if (!k || k->state != in.state || k->status != "active")
      throw Problem::invalid("contact_id", "is not an active contact of " + in.state);
    if (auth::people::by_contact(c, *in.contact_id))
      throw Problem::conflict("The contact has an account already.", {{"contact_id", "already has an account"}});
    if (InvitationStore::open_for_contact(c, *in.contact_id, now))
      throw Problem::conflict("The contact has an open invitation already; resend or revoke it.",
                              {{"contact_id", "already has an open invitation"}});
  }
  InvitationRow r;
  r.email = in.email;
  r.role = std::string(auth::role_name(in.role));
  r.state = in.state;
  r.forum = in.forum;
  r.contact_id = in.contact_id;
  if (who.user_id) r.invited_by = who.user_id;
  r.inviter = who.user_id ? who.display_name : "The platform operator";
  r.created_at = now;
  r.expires_at = now + lifetime_ms_;
  Made made;
  made.secret = crypto::random_token(32);
  made.id = InvitationStore::insert(c, crypto::sha256_hex(made.secret), r);
  nlohmann::json change = {{"email", r.email},   {"role", r.role},
                           {"state", in.state},  {"forum", in.forum},
                           {"expires_at", rfc3339_from_ms(r.expires_at)}};
  change["contact_id"] = in.contact_id ? nlohmann::json(*in.contact_id) : nlohmann::json();
  if (!because.empty()) change["because"] = because;
  made.mailed = send(c, made.id, made.secret);
  change["mailed"] = made.mailed;
  Journal::append(c, actor(who), "invitation.create", invitation_ref(made.id), change);
  return made;
}

Invited InvitationService::invite(const Principal& who, const InvitationInput& in_, bool want_link) {
  auth::require_role(who, {Role::kAdmin, Role::kSecretariat, Role::kFocalPoint}, "invite people");
  auto in = in_;
  Invited out;
  if (in.new_contact) {
    // Checked before the contact is made, so that a refused invitation leaves nothing.
    db_.read([&](Connection& c) {
      const Grant g{in.role, in.state, in.forum};
      validate_grant(c, g);
      require_may_grant(c, who, g, "invite");
    });
    if (in.role != Role::kPointOfContact && in.role != Role::kFocalPoint)
      throw Problem::invalid("contact", "is only for focal points and points of contact");
    auto k = *in.new_contact;
    k.state = in.state;
    std::vector<directory::Channel> channels = k.channels.value_or(std::vector<directory::Channel>{});
    bool has = false;
    for (const auto& ch : channels) has = has || (ch.kind == "email" && to_lower(ch.value) == to_lower(in.email));
    if (!has) channels.insert(channels.begin(), directory::Channel{"email", in.email, "primary"});
    k.channels = channels;
    const auto made = directory_.create(who, k);
    if (made.status == "pending") {
      // A focal point's new contact is a nomination: its invitation goes out when a
      // secretariat approves it (nomination_approved).
      out.nomination = made.to_json();
      return out;
    }
    in.contact_id = made.id;
  }
  const auto made = db_.write([&](Connection& c) {
    auto m = create(c, who, in, "");
    return std::make_pair(m, InvitationStore::by_id(c, m.id)->to_json(time_.now_ms()));
  });
  out.invitation = made.second;
  out.mailed = made.first.mailed;
  if (want_link || !out.mailed) out.link = link(made.first.secret);
  if (out.mailed) mailed();
  return out;
}

nlohmann::json InvitationService::list(const Principal& who, bool open_only) {
  auth::require_role(who, {Role::kAdmin, Role::kSecretariat, Role::kFocalPoint}, "list invitations");
  const auto now = time_.now_ms();
  return db_.read([&](Connection& c) {
    auto items = nlohmann::json::array();
    for (const auto& r : InvitationStore::list(c, open_only, 1000))
      if (may_grant(c, who, Grant{auth::parse_role(r.role).value_or(Role::kObserver), r.state, r.forum}))
        items.push_back(r.to_json(now));
    return items;
  });
}

namespace {
// The invitation `id` for a change by `who`: 404 when it does not exist or lies outside
// the caller's scope (its existence is not revealed).
InvitationRow to_manage(Connection& c, const Principal& who, std::int64_t id) {
  auto r = InvitationStore::by_id(c, id);
  if (!r || !may_grant(c, who, Grant{auth::parse_role(r->role).value_or(Role::kObserver), r->state, r->forum}))
    throw Problem::not_found("No such invitation of yours.");
  return *r;
}
}  // namespace

void InvitationService::revoke(const Principal& who, std::int64_t id) {
  auth::require_role(who, {Role::kAdmin, Role::kSecretariat, Role::kFocalPoint}, "revoke invitations");
  db_.write([&](Connection& c) {
    const auto r = to_manage(c, who, id);
    if (!InvitationStore::mark_revoked(c, id, time_.now_ms()))
      throw Problem::conflict("The invitation was " + r.status(time_.now_ms()) + " already.");
    Journal::append(c, actor(who), "invitation.revoke", invitation_ref(id), {{"email", r.email}});
  });
}

Invited InvitationService::resend(const Principal& who, std::int64_t id) {
  auth::require_role(who, {Role::kAdmin, Role::kSecretariat, Role::kFocalPoint}, "resend invitations");
  Invited out;
  const auto secret = crypto::random_token(32);
  db_.write([&](Connection& c) {
    const auto r = to_manage(c, who, id);
    const auto now = time_.now_ms();
    if (r.accepted_at || r.revoked_at)
      throw Problem::conflict("The invitation was " + r.status(now) + "; it cannot be sent again.");
    InvitationStore::renew(c, id, crypto::sha256_hex(secret), now + lifetime_ms_);
    out.mailed = send(c, id, secret);
    Journal::append(c, actor(who), "invitation.resend", invitation_ref(id),
                    {{"expires_at", rfc3339_from_ms(now + lifetime_ms_)}, {"mailed", out.mailed}});
    out.invitation = InvitationStore::by_id(c, id)->to_json(now);
  });
  if (!out.mailed) out.link = link(secret);
  else mailed();
  return out;
}

nlohmann::json InvitationService::lookup(const std::string& secret, const std::string& remote,
                                         const std::vector<LanguageRange>& languages) {
  const std::string key = "invitation@" + remote;
  if (const int s = guesses_.begin(key); s > 0)
    throw Problem::too_many_requests("Too many unknown invitation links; try again in " + std::to_string(s) + " s.", s);
  const auto now = time_.now_ms();
  // A known link, even one no longer open, ends the caller's run of guesses. The
  // throttle writes: after the read, never while holding its connection
  // (storage/database.h).
  bool known = false;
  const auto read = [&](Connection& c) -> std::optional<nlohmann::json> {
    auto r = InvitationStore::by_secret_hash(c, crypto::sha256_hex(secret));
    if (!r) return std::nullopt;
    known = true;
    require_open(*r, now);
    // The page is read before anyone signs in: names in the browser's language.
    std::string state_name = r->state_name, forum_name = r->forum_name;
    if (!r->state.empty()) {
      nlohmann::json names = nlohmann::json::object();
      for (const auto& [language, name] : directory::membership::state_names_of(c, r->state)) names[language] = name;
      if (const auto l = directory::pick_language(names, languages); !l.empty()) state_name = names[l].get<std::string>();
    }
    if (!r->forum.empty()) {
      if (auto f = directory::DirectoryStore::forum(c, r->forum)) {
        directory::localize_forum(*f, languages);
        if (f->contains("name") && (*f)["name"].is_string()) forum_name = (*f)["name"].get<std::string>();
      }
    }
    return nlohmann::json{{"email", r->email},
                          {"role", r->role},
                          {"state", r->state.empty() ? nlohmann::json() : nlohmann::json(r->state)},
                          {"state_name", state_name.empty() ? nlohmann::json() : nlohmann::json(state_name)},
                          {"forum", r->forum.empty() ? nlohmann::json() : nlohmann::json(r->forum)},
                          {"forum_name", forum_name.empty() ? nlohmann::json() : nlohmann::json(forum_name)},
                          {"contact_name", r->contact_name.empty() ? nlohmann::json() : nlohmann::json(r->contact_name)},
                          // null: the platform's operator, from the command line
                          {"invited_by", r->invited_by ? nlohmann::json(r->inviter_name) : nlohmann::json()},
                          {"expires_at", rfc3339_from_ms(r->expires_at)},
                          {"second_factor_required", second_factor_due(c, *r)}};
  };
  std::optional<nlohmann::json> found;
  try {
    found = db_.read(read);
  } catch (...) {
    if (known) guesses_.end(key);
    throw;
  }
  if (!found) {
    guesses_.failure(key);
    throw unknown_invitation();
  }
  guesses_.end(key);
  return *found;
}

Accepted InvitationService::accept(const std::string& secret, const std::string& username,
                                   const std::string& display_name, const std::string& password,
                                   const std::string& remote) {
  std::vector<FieldError> errors;
  if (username.empty() || username.size() > 64 ||
      username.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") != std::string::npos)
    errors.push_back({"username", "must be 1-64 characters of a-z, 0-9, '.', '_' or '-'"});
  if (trim(display_name).empty()) errors.push_back({"display_name", "is required"});
  try {
    auth::AuthService::check_password_policy(password, "password");
  } catch (const Problem& p) {
    for (const auto& e : p.errors()) errors.push_back(e);
  }
  // The link is checked (and counted) before the input: an unknown one says nothing else.
  lookup(secret, remote);
  if (!errors.empty()) throw Problem::invalid(std::move(errors));
  const auto hash = crypto::hash_password(password);
  db_.write([&](Connection& c) {
    const auto now = time_.now_ms();
    auto r = InvitationStore::by_secret_hash(c, crypto::sha256_hex(secret));
    if (!r) throw unknown_invitation();
    require_open(*r, now);
    const auto role = auth::parse_role(r->role).value_or(Role::kObserver);
    const auto u = auth_.add_user_with_hash(c, "user:" + username,
                                            auth::NewUser{username, trim(display_name), r->email, role, r->state, r->forum},
                                            hash);
    if (r->contact_id) {
      if (auth::people::by_contact(c, *r->contact_id))
        throw Problem::conflict("The directory contact of this invitation has an account already.");
      auth::people::link_contact(c, u.id, *r->contact_id);
    }
    if (auth::needs_second_factor(role)) auth::people::require_second_factor(c, u.id);
    if (!InvitationStore::mark_accepted(c, r->id, u.id, now)) require_open(*InvitationStore::by_id(c, r->id), now);
    Journal::append(c, "user:" + username, "invitation.accept", invitation_ref(r->id),
                    {{"user_id", u.id},
                     {"username", username},
                     {"contact_id", r->contact_id ? nlohmann::json(*r->contact_id) : nlohmann::json()}});
  });
  return Accepted{username, password};
}

void InvitationService::nomination_approved(Connection& c, const Principal& approver, const directory::Contact& k) {
  const auto email = first_email(k);
  if (email.empty()) return;
  if (auth::people::by_contact(c, k.id)) return;
  if (InvitationStore::open_for_contact(c, k.id, time_.now_ms())) return;
  InvitationInput in;
  in.email = email;
  in.role = Role::kPointOfContact;
  in.state = k.state;
  in.contact_id = k.id;
  try {
    const auto made = create(c, approver, in, "nomination.approved");
    if (made.mailed) mailed();
  } catch (const Problem& p) {
    // The approval stands; the invitation can be sent by hand.
    spdlog::warn("{}", log_line({{"event", "nomination_invitation_skipped"}, {"contact", k.id}, {"reason", p.detail()}}));
  }
}

}  // namespace parley::accounts
