#include "directory/currency_schema.h"

namespace parley::directory {

std::vector<storage::Migration> currency_migrations() {
  // A forum's secretariat asks each member state's focal point to confirm or update its
  // entries by a date (as the OSCE and the UN directory ask of states every year).
  //  * reconfirmation_states: the member states asked (a snapshot of the forum's members
  //    at the start) and each one's answer.
  //  * reconfirmation_mails: each request and reminder sent to a state, at most once per
  //    kind (the primary key), written in the transaction that enqueues its e-mail: a
  //    restart never sends one twice nor loses one.
  //  * contacts.confirmed_at: when the state last confirmed the entry.
  return {{120, "directory: annual reconfirmation of each state's entries", R"sql(
ALTER TABLE contacts ADD COLUMN confirmed_at TEXT;
CREATE TABLE reconfirmations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  forum TEXT NOT NULL REFERENCES forums(code),
  message TEXT NOT NULL,
  due_date TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  remind_at INTEGER,
  started_by TEXT NOT NULL,
  started_at INTEGER NOT NULL
);
CREATE INDEX reconfirmations_forum ON reconfirmations(forum, due_at);
CREATE TABLE reconfirmation_states (
  reconfirmation_id INTEGER NOT NULL REFERENCES reconfirmations(id),
  state TEXT NOT NULL REFERENCES states(alpha3),
  confirmed_at INTEGER,
  confirmed_by TEXT,
  note TEXT,
  PRIMARY KEY (reconfirmation_id, state)
);
CREATE INDEX reconfirmation_states_open ON reconfirmation_states(state, confirmed_at);
CREATE TABLE reconfirmation_mails (
  reconfirmation_id INTEGER NOT NULL REFERENCES reconfirmations(id),
  state TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('request','reminder','overdue')),
  sent_at INTEGER NOT NULL,
  recipients INTEGER NOT NULL,
  PRIMARY KEY (reconfirmation_id, state, kind)
);
)sql"}};
}

}  // namespace parley::directory
