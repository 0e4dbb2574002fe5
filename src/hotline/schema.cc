#include "hotline/schema.h"

namespace parley::hotline {

// Times are INTEGER milliseconds since the Unix epoch (deadlines are compared and
// response times computed in SQL and C++ without parsing).
std::vector<storage::Migration> migrations() {
  return {{300, "hotline: communications, recipients, lifecycle, attachments, policies, checks", R"sql(
CREATE TABLE hotline_policies (
  forum TEXT PRIMARY KEY REFERENCES forums(code),
  policy TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE TABLE attachment_blobs (
  sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  size INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  content TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE attachment_uploads (
  sha256 TEXT NOT NULL REFERENCES attachment_blobs(sha256),
  user_id INTEGER NOT NULL REFERENCES users(id),
  uploaded_at INTEGER NOT NULL,
  PRIMARY KEY (sha256, user_id)
);
CREATE TABLE communications (
  id INTEGER PRIMARY KEY,
  thread_id INTEGER NOT NULL,
  in_reply_to INTEGER REFERENCES communications(id),
  forum TEXT NOT NULL REFERENCES forums(code),
  type TEXT NOT NULL CHECK (type IN ('notification','request_for_information','request_for_assistance',
                                     'request_for_consultation','reply','check')),
  sender_user INTEGER REFERENCES users(id),
  sender_username TEXT NOT NULL,
  sender_name TEXT NOT NULL,
  sender_state TEXT REFERENCES states(alpha3),
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  severity INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 5),
  tlp TEXT NOT NULL CHECK (tlp IN ('TLP:CLEAR','TLP:GREEN','TLP:AMBER','TLP:AMBER+STRICT','TLP:RED')),
  sector TEXT,
  incident_started_at INTEGER,
  incident_detected_at INTEGER,
  requested_action TEXT,
  respond_by INTEGER,
  language TEXT NOT NULL,
  check_id INTEGER,
  created_at INTEGER NOT NULL,
  ack_deadline_at INTEGER,
  announced_at INTEGER,
  closed_at INTEGER,
  closed_by TEXT
);
CREATE INDEX communications_thread ON communications(thread_id, id);
CREATE INDEX communications_sender_state ON communications(sender_state, id);
CREATE INDEX communications_forum ON communications(forum, id);
CREATE INDEX communications_unannounced ON communications(id) WHERE announced_at IS NULL;
CREATE TABLE comm_recipients (
  comm_id INTEGER NOT NULL REFERENCES communications(id),
  state TEXT NOT NULL REFERENCES states(alpha3),
  delivered_at INTEGER,
  acked_at INTEGER,
  acked_by TEXT,
  answered_at INTEGER,
  escalation_level INTEGER NOT NULL DEFAULT 0,
  next_escalation_at INTEGER,
  PRIMARY KEY (comm_id, state)
);
CREATE INDEX comm_recipients_state ON comm_recipients(state, comm_id);
CREATE INDEX comm_recipients_due ON comm_recipients(next_escalation_at) WHERE next_escalation_at IS NOT NULL;
CREATE TABLE comm_contacts (
  comm_id INTEGER NOT NULL REFERENCES communications(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  state TEXT,
  reason TEXT NOT NULL CHECK (reason IN ('recipient','named','escalation','other')),
  escalation_level INTEGER NOT NULL DEFAULT 0,
  notified_at INTEGER NOT NULL,
  delivered_at INTEGER,
  delivered_via TEXT,
  emailed_at INTEGER,
  acked_at INTEGER,
  PRIMARY KEY (comm_id, user_id)
);
CREATE INDEX comm_contacts_user ON comm_contacts(user_id, comm_id);
CREATE TABLE comm_reads (
  comm_id INTEGER NOT NULL REFERENCES communications(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  read_at INTEGER NOT NULL,
  PRIMARY KEY (comm_id, user_id)
);
CREATE TABLE comm_attachments (
  comm_id INTEGER NOT NULL REFERENCES communications(id),
  sha256 TEXT NOT NULL REFERENCES attachment_blobs(sha256),
  filename TEXT NOT NULL,
  PRIMARY KEY (comm_id, sha256)
);
CREATE TABLE comm_events (
  id INTEGER PRIMARY KEY,
  comm_id INTEGER NOT NULL REFERENCES communications(id),
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  state TEXT,
  actor TEXT,
  detail TEXT
);
CREATE INDEX comm_events_comm ON comm_events(comm_id, id);
CREATE TABLE checks (
  id INTEGER PRIMARY KEY,
  forum TEXT NOT NULL REFERENCES forums(code),
  comm_id INTEGER REFERENCES communications(id),
  schedule_id INTEGER,
  scope TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  started_by TEXT NOT NULL
);
CREATE INDEX checks_forum ON checks(forum, id);
CREATE TABLE check_schedules (
  id INTEGER PRIMARY KEY,
  forum TEXT NOT NULL REFERENCES forums(code),
  every_days INTEGER NOT NULL CHECK (every_days BETWEEN 1 AND 3660),
  next_at INTEGER NOT NULL,
  scope TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1
);
)sql"},
          {301, "hotline: people of a state by role", R"sql(
CREATE INDEX users_state_role ON users(state, role);
)sql"},
          {302, "hotline: communications refer to threat-exchange objects", R"sql(
CREATE TABLE comm_stix_refs (
  comm_id INTEGER NOT NULL REFERENCES communications(id),
  stix_id TEXT NOT NULL,
  PRIMARY KEY (comm_id, stix_id)
);
)sql"},
          // The directory is the hotline's address book: a communication is addressed to a
          // kind of contact (policy, technical, law_enforcement or all), and a note verbale
          // is a type of its own. SQLite cannot alter a CHECK, so the table is rebuilt (as
          // directory migration 101 does). Other tables reference it, and foreign keys are
          // on inside the migration's transaction: they are deferred, the rows are kept
          // aside, and putting them back into the new table satisfies the references the
          // drop left open (SQLite counts deferred violations and uncounts them on insert).
          // Each recipient state gets its own deadline (from when its first contact is
          // available) and a note when it has no valid contact of the kind addressed.
          {303, "hotline: communications addressed to a kind of contact; notes verbales; deadlines per state",
           R"sql(
PRAGMA defer_foreign_keys = ON;
CREATE TABLE communications_kept AS SELECT * FROM communications;
DROP TABLE communications;
CREATE TABLE communications (
  id INTEGER PRIMARY KEY,
  thread_id INTEGER NOT NULL,
  in_reply_to INTEGER REFERENCES communications(id),
  forum TEXT NOT NULL REFERENCES forums(code),
  type TEXT NOT NULL CHECK (type IN ('notification','request_for_information','request_for_assistance',
                                     'request_for_consultation','reply','check','note_verbale')),
  contact_kind TEXT NOT NULL DEFAULT 'all' CHECK (contact_kind IN ('all','policy','technical','law_enforcement')),
  sender_user INTEGER REFERENCES users(id),
  sender_username TEXT NOT NULL,
  sender_name TEXT NOT NULL,
  sender_state TEXT REFERENCES states(alpha3),
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  severity INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 5),
  tlp TEXT NOT NULL CHECK (tlp IN ('TLP:CLEAR','TLP:GREEN','TLP:AMBER','TLP:AMBER+STRICT','TLP:RED')),
  sector TEXT,
  incident_started_at INTEGER,
  incident_detected_at INTEGER,
  requested_action TEXT,
  respond_by INTEGER,
  language TEXT NOT NULL,
  check_id INTEGER,
  created_at INTEGER NOT NULL,
  ack_deadline_at INTEGER,
  announced_at INTEGER,
  closed_at INTEGER,
  closed_by TEXT
);
INSERT INTO communications (id, thread_id, in_reply_to, forum, type, contact_kind, sender_user, sender_username,
  sender_name, sender_state, subject, description, severity, tlp, sector, incident_started_at, incident_detected_at,
  requested_action, respond_by, language, check_id, created_at, ack_deadline_at, announced_at, closed_at, closed_by)
SELECT id, thread_id, in_reply_to, forum, type, 'all', sender_user, sender_username, sender_name, sender_state, subject,
  description, severity, tlp, sector, incident_started_at, incident_detected_at, requested_action, respond_by, language,
  check_id, created_at, ack_deadline_at, announced_at, closed_at, closed_by FROM communications_kept ORDER BY id;
DROP TABLE communications_kept;
CREATE INDEX communications_thread ON communications(thread_id, id);
CREATE INDEX communications_sender_state ON communications(sender_state, id);
CREATE INDEX communications_forum ON communications(forum, id);
CREATE INDEX communications_unannounced ON communications(id) WHERE announced_at IS NULL;
ALTER TABLE comm_recipients ADD COLUMN ack_deadline_at INTEGER;
ALTER TABLE comm_recipients ADD COLUMN no_valid_contact INTEGER NOT NULL DEFAULT 0;
UPDATE comm_recipients SET ack_deadline_at = (SELECT c.ack_deadline_at FROM communications c WHERE c.id = comm_id);
)sql"}};
}

}  // namespace parley::hotline
