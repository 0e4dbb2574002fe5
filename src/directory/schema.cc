#include "directory/schema.h"

#include "directory/iso3166.h"
#include "directory/directory_store.h"

namespace parley::directory {

std::vector<storage::Migration> migrations(const std::string& iso_codes_root) {
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
          // States from the standard: every ISO 3166-1 entry with its names in every
          // language iso-codes translates it into (directory/iso3166.h). `iso` marks
          // the standard's entries; other participants (the European Union, an
          // international organisation) are added by an admin with codes of their own.
          {110, "directory: ISO 3166-1 states with their names per language",
           R"sql(
ALTER TABLE states ADD COLUMN alpha2 TEXT;
ALTER TABLE states ADD COLUMN numeric_code TEXT;
ALTER TABLE states ADD COLUMN official_name TEXT;
ALTER TABLE states ADD COLUMN iso INTEGER NOT NULL DEFAULT 0;
CREATE TABLE state_names (
  alpha3 TEXT NOT NULL REFERENCES states(alpha3),
  language TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (alpha3, language)
);
CREATE INDEX state_names_language ON state_names(language);
)sql",
           [iso_codes_root](storage::Connection& c) { load_iso3166(c, iso_codes_root); }},
          // Forums administered: names and abbreviations per language (JSON:
          // {"ru": {"name": "...", "abbreviation": "СВМДА"}}), a time zone; participation
          // as periods (member, observer or partner, joined and left, history kept); named
          // groups of members. `forum_members` becomes a VIEW of the CURRENT MEMBERS, so
          // that every query that reads it (hotline, exchange, negotiation, directory)
          // keeps meaning "current member with access", and leaving ends access that day.
          {111, "directory: forums administered, participation with dates, groups",
           R"sql(
ALTER TABLE forums ADD COLUMN abbreviation TEXT;
ALTER TABLE forums ADD COLUMN names TEXT NOT NULL DEFAULT '{}';
ALTER TABLE forums ADD COLUMN timezone TEXT;
CREATE TABLE participation (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  forum TEXT NOT NULL REFERENCES forums(code),
  state TEXT NOT NULL REFERENCES states(alpha3),
  kind TEXT NOT NULL CHECK (kind IN ('member','observer','partner')),
  joined_on TEXT,
  left_on TEXT,
  CHECK (left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on)
);
CREATE INDEX participation_forum ON participation(forum, state);
CREATE INDEX participation_state ON participation(state);
INSERT INTO participation(forum, state, kind) SELECT forum, state, 'member' FROM forum_members;
DROP TABLE forum_members;
CREATE VIEW forum_members AS
  SELECT forum, state FROM participation
  WHERE kind = 'member' AND (joined_on IS NULL OR joined_on <= CURRENT_DATE)
    AND (left_on IS NULL OR left_on > CURRENT_DATE);
CREATE TABLE forum_groups (
  forum TEXT NOT NULL REFERENCES forums(code),
  code TEXT NOT NULL,
  names TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (forum, code)
);
CREATE TABLE forum_group_members (
  forum TEXT NOT NULL,
  grp TEXT NOT NULL,
  state TEXT NOT NULL REFERENCES states(alpha3),
  PRIMARY KEY (forum, grp, state),
  FOREIGN KEY (forum, grp) REFERENCES forum_groups(forum, code) ON DELETE CASCADE
);
)sql"},
          // Search folds case and diacritics in every script (common/fold.h), not only
          // ASCII case: the stored haystacks are folded anew.
          {140, "directory: search texts folded for every script", "",
           [](storage::Connection& c) { DirectoryStore::recompute_search_texts(c); }}};
}

}  // namespace parley::directory
