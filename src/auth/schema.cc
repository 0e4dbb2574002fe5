#include "auth/schema.h"

namespace parley::auth {

std::vector<storage::Migration> migrations() {
  return {{200, "auth: users, sessions, api tokens", R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  email TEXT,
  role TEXT NOT NULL CHECK (role IN ('admin','secretariat','focal_point','poc','observer')),
  state TEXT REFERENCES states(alpha3),
  forum TEXT REFERENCES forums(code),
  password_hash TEXT NOT NULL,
  totp_secret TEXT,
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  totp_last_step INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  remote TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at INTEGER,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
)sql"},
          {201, "auth: when a session last proved the password (credential changes need a recent one)", R"sql(
ALTER TABLE sessions ADD COLUMN verified_at INTEGER NOT NULL DEFAULT 0;
)sql"},
          // The directory is the hotline's address book: an account that receives hotline
          // traffic for a state is the account of one of its directory contacts (one
          // record seen from two sides). A contact has at most one account.
          {202, "auth: an account is a directory contact's", R"sql(
ALTER TABLE users ADD COLUMN contact_id INTEGER REFERENCES contacts(id);
CREATE UNIQUE INDEX users_contact ON users(contact_id) WHERE contact_id IS NOT NULL;
)sql"},
          // The console's language, kept per user (a BCP 47 tag; NULL: the browser's).
          {203, "auth: each user's language", R"sql(
ALTER TABLE users ADD COLUMN language TEXT;
)sql"},
          // A forum may ask every account of its secretariat and member states to use a
          // second factor (admins, secretariats and invited focal points always must).
          {211, "auth: a forum's account policy", R"sql(
CREATE TABLE account_policies (
  forum TEXT PRIMARY KEY REFERENCES forums(code),
  totp_for_everyone INTEGER NOT NULL DEFAULT 0,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
)sql"},
          // second_factor_required: the account may do nothing but enrol TOTP until it has
          // (set for invited admins, secretariats and focal points, and on promotion to
          // those roles). last_sign_in_at: shown to those who manage accounts.
          {212, "auth: second factor required; last sign-in", R"sql(
ALTER TABLE users ADD COLUMN second_factor_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN last_sign_in_at TEXT;
)sql"},
          // Throttling counters shared by every instance on the database (auth/throttle.h):
          // guesses spread over several instances count as if sent to one.
          {204, "auth: shared throttling counters", R"sql(
CREATE TABLE auth_throttle (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  in_flight INTEGER NOT NULL,
  locked_until INTEGER NOT NULL,
  last_at INTEGER NOT NULL
);
)sql"}};
}

}  // namespace parley::auth
