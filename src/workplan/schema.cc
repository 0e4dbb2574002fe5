#include "workplan/schema.h"

namespace parley::workplan {

std::vector<storage::Migration> migrations() {
  // A report is never changed: a state's implementation over time is the sequence of its
  // reports, each dated by the day it speaks for (`as_of`) and the moment it was made.
  // Evidence points to rows of other capabilities by kind and id; the service checks
  // that the reader may see each before showing it.
  return {storage::Migration{1000, "workplan: measures, coordinators, implementation reports", R"sql(
CREATE TABLE workplan_measures (
  id INTEGER PRIMARY KEY,
  forum TEXT NOT NULL REFERENCES forums(code),
  code TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  period_from TEXT NOT NULL DEFAULT '',
  period_to TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL,
  created_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (forum, code)
);
CREATE TABLE workplan_measure_coordinators (
  measure_id INTEGER NOT NULL REFERENCES workplan_measures(id),
  state TEXT NOT NULL REFERENCES states(alpha3),
  role TEXT NOT NULL CHECK (role IN ('coordinator', 'co-coordinator')),
  PRIMARY KEY (measure_id, state)
);
CREATE TABLE workplan_reports (
  id INTEGER PRIMARY KEY,
  measure_id INTEGER NOT NULL REFERENCES workplan_measures(id),
  state TEXT NOT NULL REFERENCES states(alpha3),
  status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'implemented', 'not_applicable')),
  note TEXT NOT NULL DEFAULT '',
  as_of TEXT NOT NULL,
  reported_by INTEGER NOT NULL,
  reported_at INTEGER NOT NULL
);
CREATE INDEX workplan_reports_measure_state ON workplan_reports(measure_id, state, as_of, id);
CREATE TABLE workplan_report_evidence (
  report_id INTEGER NOT NULL REFERENCES workplan_reports(id),
  kind TEXT NOT NULL,
  ref INTEGER NOT NULL,
  PRIMARY KEY (report_id, kind, ref)
);
)sql"},
          // A forum's bodies and their meetings. A meeting's forum is its body's; its dates
          // are the host's calendar days, its time (if any) in its own time zone. Agenda
          // items, documents and decisions cite other capabilities' rows by kind and id.
          storage::Migration{1001, "workplan: bodies, meetings, agendas, delegations, documents, decisions", R"sql(
CREATE TABLE workplan_bodies (
  id INTEGER PRIMARY KEY,
  forum TEXT NOT NULL REFERENCES forums(code),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (forum, code)
);
CREATE TABLE workplan_body_chairs (
  body_id INTEGER NOT NULL REFERENCES workplan_bodies(id),
  state TEXT NOT NULL REFERENCES states(alpha3),
  PRIMARY KEY (body_id, state)
);
CREATE TABLE workplan_meetings (
  id INTEGER PRIMARY KEY,
  body_id INTEGER NOT NULL REFERENCES workplan_bodies(id),
  title TEXT NOT NULL,
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,
  start_time TEXT NOT NULL DEFAULT '',
  time_zone TEXT NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  online_url TEXT NOT NULL DEFAULT '',
  registration_deadline TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('planned', 'convened', 'held', 'cancelled')),
  note_number TEXT NOT NULL DEFAULT '',
  communication_id INTEGER,
  convened_at INTEGER,
  created_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX workplan_meetings_body ON workplan_meetings(body_id, starts_on);
CREATE TABLE workplan_agenda_items (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES workplan_meetings(id),
  position INTEGER NOT NULL,
  title TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT '',
  ref INTEGER
);
CREATE INDEX workplan_agenda_items_meeting ON workplan_agenda_items(meeting_id, position);
CREATE TABLE workplan_delegates (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES workplan_meetings(id),
  state TEXT NOT NULL REFERENCES states(alpha3),
  name TEXT NOT NULL,
  function TEXT NOT NULL DEFAULT '',
  head INTEGER NOT NULL DEFAULT 0,
  attended INTEGER,
  registered_by INTEGER NOT NULL,
  registered_at INTEGER NOT NULL
);
CREATE INDEX workplan_delegates_meeting ON workplan_delegates(meeting_id, state);
CREATE TABLE workplan_meeting_documents (
  meeting_id INTEGER NOT NULL REFERENCES workplan_meetings(id),
  contribution_id INTEGER NOT NULL REFERENCES library_contributions(id),
  label TEXT NOT NULL DEFAULT '',
  added_at INTEGER NOT NULL,
  PRIMARY KEY (meeting_id, contribution_id)
);
CREATE TABLE workplan_decisions (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES workplan_meetings(id),
  agenda_item_id INTEGER REFERENCES workplan_agenda_items(id),
  wording TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT '',
  ref INTEGER,
  outcome TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'approved', 'returned', 'not_approved', 'taken_note')),
  recorded_by INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX workplan_decisions_meeting ON workplan_decisions(meeting_id, id);
)sql"}};
}

}  // namespace parley::workplan
