#include "directory/schema.h"

#include "directory/directory_store.h"

namespace parley::directory {

std::vector<storage::Migration> migrations() {
  return {{100, "directory: forums, states, agencies, contacts", R"sql(
CREATE TABLE forums (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  secretariat TEXT,
  languages TEXT NOT NULL DEFAULT '[]',
  website TEXT
);
CREATE TABLE states (
  alpha3 TEXT PRIMARY KEY CHECK (length(alpha3) = 3),
  name TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'state' CHECK (kind IN ('state','organization'))
);
CREATE TABLE forum_members (
  forum TEXT NOT NULL REFERENCES forums(code),
  state TEXT NOT NULL REFERENCES states(alpha3),
  PRIMARY KEY (forum, state)
);
CREATE INDEX forum_members_state ON forum_members(state);
CREATE TABLE agencies (
  id INTEGER PRIMARY KEY,
  state TEXT NOT NULL REFERENCES states(alpha3),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('foreign_ministry','cert','regulator','law_enforcement','defence','other')),
  website TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (state, name)
);
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  state TEXT NOT NULL REFERENCES states(alpha3),
  agency_id INTEGER REFERENCES agencies(id),
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('policy','technical')),
  position TEXT,
  languages TEXT NOT NULL DEFAULT '[]',
  timezone TEXT,
  availability TEXT NOT NULL CHECK (availability IN ('24/7','office_hours')),
  office_hours TEXT,
  channels TEXT NOT NULL DEFAULT '[]',
  key_fingerprint TEXT,
  nomination_ref TEXT,
  valid_from TEXT,
  valid_until TEXT,
  status TEXT NOT NULL CHECK (status IN ('active','pending','rejected')),
  status_note TEXT,
  nominated_by TEXT,
  decided_by TEXT,
  decided_at TEXT,
  search_text TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contacts_state ON contacts(state, status);
CREATE INDEX contacts_status ON contacts(status, name);
)sql"},
          // SQLite gives a new row the largest id + 1: after the newest contact was
          // deleted, the next one got its id, and journal entries naming
          // "contact:N" became ambiguous. AUTOINCREMENT never hands an id out twice.
          // (Tables are rebuilt: referenced ones first, so that no foreign key ever
          // points at a dropped table; RENAME rewrites the references.)
          {101, "directory: contact and agency ids are never reused", R"sql(
CREATE TABLE agencies_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  state TEXT NOT NULL REFERENCES states(alpha3),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('foreign_ministry','cert','regulator','law_enforcement','defence','other')),
  website TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (state, name)
);
INSERT INTO agencies_new SELECT * FROM agencies;
CREATE TABLE contacts_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  state TEXT NOT NULL REFERENCES states(alpha3),
  agency_id INTEGER REFERENCES agencies_new(id),
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('policy','technical')),
  position TEXT,
  languages TEXT NOT NULL DEFAULT '[]',
  timezone TEXT,
  availability TEXT NOT NULL CHECK (availability IN ('24/7','office_hours')),
  office_hours TEXT,
  channels TEXT NOT NULL DEFAULT '[]',
  key_fingerprint TEXT,
  nomination_ref TEXT,
  valid_from TEXT,
  valid_until TEXT,
  status TEXT NOT NULL CHECK (status IN ('active','pending','rejected')),
  status_note TEXT,
  nominated_by TEXT,
  decided_by TEXT,
  decided_at TEXT,
  search_text TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
INSERT INTO contacts_new SELECT * FROM contacts;
DROP TABLE contacts;
DROP TABLE agencies;
ALTER TABLE agencies_new RENAME TO agencies;
ALTER TABLE contacts_new RENAME TO contacts;
CREATE INDEX contacts_state ON contacts(state, status);
CREATE INDEX contacts_status ON contacts(status, name);
)sql"},
          // Law-enforcement contacts: 24/7 networks of the Budapest Convention's Article 35
          // kind. (SQLite cannot alter a CHECK: the table is rebuilt as in 101.)
          {102, "directory: law-enforcement points of contact", R"sql(
CREATE TABLE contacts_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  state TEXT NOT NULL REFERENCES states(alpha3),
  agency_id INTEGER REFERENCES agencies(id),
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('policy','technical','law_enforcement')),
  position TEXT,
  languages TEXT NOT NULL DEFAULT '[]',
  timezone TEXT,
  availability TEXT NOT NULL CHECK (availability IN ('24/7','office_hours')),
  office_hours TEXT,
  channels TEXT NOT NULL DEFAULT '[]',
  key_fingerprint TEXT,
  nomination_ref TEXT,
  valid_from TEXT,
  valid_until TEXT,
  status TEXT NOT NULL CHECK (status IN ('active','pending','rejected')),
  status_note TEXT,
  nominated_by TEXT,
  decided_by TEXT,
  decided_at TEXT,
  search_text TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
INSERT INTO contacts_new SELECT * FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts_new RENAME TO contacts;
CREATE INDEX contacts_state ON contacts(state, status);
CREATE INDEX contacts_status ON contacts(status, name);
)sql"},
          // Search folds case and diacritics in every script (common/fold.h), not only
          // ASCII case: the stored haystacks are folded anew.
          {140, "directory: search texts folded for every script", "",
           [](storage::Connection& c) { DirectoryStore::recompute_search_texts(c); }}};
}

}  // namespace parley::directory
