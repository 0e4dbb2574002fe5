// InvitationService: people are invited, not created on the server. An invitation is a
// single-use secret (only its SHA-256 is stored) sent by e-mail as a link to the console,
// valid for AuthConfig::invitation_hours (72 h); on it the invitee chooses a username,
// display name and password, and the account gets the invitation's role, scope and
// directory contact. Who may invite whom: accounts/scope.h. An invitation for a point of
// contact is tied to a directory contact of its state; a focal point's new contact is a
// nomination whose invitation is sent when a secretariat approves it
// (nomination_approved, called by the directory's approval hook).
//
// The unauthenticated lookup and acceptance are throttled per address (unknown secrets
// count as failures) and reveal only the invitation itself. Every change is journaled in
// its transaction; mails go through the outbox in the same transaction.
// Thread-safe: the throttle is internally locked; no other mutable state after setup.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/accept_language.h"

#include "auth/auth_service.h"
#include "auth/principal.h"
#include "auth/throttle.h"
#include "common/time_source.h"
#include "directory/directory_service.h"
#include "mail/outbox.h"
#include "storage/database.h"

namespace parley::accounts {

struct InvitationInput {
  std::string email;
  auth::Role role = auth::Role::kObserver;
  std::string state, forum;
  std::optional<std::int64_t> contact_id;              // an existing directory contact
  std::optional<directory::ContactInput> new_contact;  // or the details of a new one
};

struct Invited {
  nlohmann::json invitation;   // null when a nomination awaits approval first
  nlohmann::json nomination;   // the pending contact, when one was made
  std::string link;            // the single-use link; "" unless asked for or not mailed
  bool mailed = false;
};

struct Accepted {
  std::string username;
  std::string password;   // to open the first session through AuthService::sign_in
};

class InvitationService {
 public:
  InvitationService(storage::Database& db, auth::AuthService& auth, directory::DirectoryService& directory,
                    TimeSource& time, mail::MailConfig mail, int lifetime_hours);

  void set_public_url(const std::string& url) { mail_.public_url = url; }
  // Called after mail is enqueued (MailWorker::wake); optional.
  void on_mail(std::function<void()> f) { on_mail_ = std::move(f); }

  // `who` with user_id 0 is the operator at the CLI (admin rights; journaled as "cli").
  // `want_link`: return the link even when it was mailed (the CLI prints it).
  Invited invite(const auth::Principal& who, const InvitationInput& in, bool want_link);
  nlohmann::json list(const auth::Principal& who, bool open_only);
  void revoke(const auth::Principal& who, std::int64_t id);
  // A new secret (the old link stops working), a new expiry, mailed again.
  Invited resend(const auth::Principal& who, std::int64_t id);

  // Unauthenticated: what the link is for. Throws 404 invitation-unknown, 410
  // invitation-expired / -revoked / -used, 429 when the address guessed too often.
  // Names of the state and forum in the best of `languages` (the invitee's browser's).
  nlohmann::json lookup(const std::string& secret, const std::string& remote,
                        const std::vector<LanguageRange>& languages = {});
  // Creates the account; the caller then signs it in. Same problems as lookup, and 422
  // naming fields (username taken, password rules).
  Accepted accept(const std::string& secret, const std::string& username, const std::string& display_name,
                  const std::string& password, const std::string& remote);

  // The directory's approval hook, inside its transaction: a point of contact with an
  // e-mail address and no account (nor open invitation) is invited.
  void nomination_approved(storage::Connection& c, const auth::Principal& approver, const directory::Contact& k);

 private:
  struct Made {
    std::int64_t id = 0;
    std::string secret;
    bool mailed = false;
  };
  Made create(storage::Connection& c, const auth::Principal& who, const InvitationInput& in,
              const std::string& because);
  bool send(storage::Connection& c, std::int64_t id, const std::string& secret);
  std::string link(const std::string& secret) const;
  std::string actor(const auth::Principal& who) const { return who.user_id == 0 ? "cli" : who.actor(); }
  void mailed();

  storage::Database& db_;
  auth::AuthService& auth_;
  directory::DirectoryService& directory_;
  TimeSource& time_;
  mail::MailConfig mail_;
  std::int64_t lifetime_ms_;
  std::function<void()> on_mail_;
  // Guessing secrets is limited per address: 20 unknown secrets lock it (30 s, doubling).
  auth::Throttle guesses_{20, std::chrono::seconds(30), std::chrono::minutes(15)};
};

}  // namespace parley::accounts
