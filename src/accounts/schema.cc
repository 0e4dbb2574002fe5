#include "accounts/schema.h"

namespace parley::accounts {

std::vector<storage::Migration> migrations() {
  // An invitation holds the SHA-256 of its single-use secret, never the secret (it is in
  // the link the invitee received). Times are INTEGER milliseconds of the server's clock.
  // invited_by is NULL when the operator invited from the CLI; inviter names the inviter
  // as the invitee is shown it.
  return {{210, "accounts: invitations", R"sql(
CREATE TABLE invitations (
  id INTEGER PRIMARY KEY,
  secret_hash TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin','secretariat','focal_point','poc','observer')),
  state TEXT REFERENCES states(alpha3),
  forum TEXT REFERENCES forums(code),
  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  invited_by INTEGER REFERENCES users(id),
  inviter TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  sent_count INTEGER NOT NULL DEFAULT 1,
  accepted_at INTEGER,
  revoked_at INTEGER,
  user_id INTEGER REFERENCES users(id)
);
CREATE INDEX invitations_contact ON invitations(contact_id);
CREATE INDEX invitations_open ON invitations(accepted_at, revoked_at);
)sql"}};
}

}  // namespace parley::accounts
