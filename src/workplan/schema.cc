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
)sql"},
          // Activities and their approval: the forum's rules (its approval path as ordered
          // stages, each a body; its co-leadership rule), proposals with co-leads, each
          // stage's decision (against a meeting of the stage's body, or by a silence
          // procedure, whose fields are negotiation/silence.h's), the report once held;
          // and the capacity-building needs and offers that feed them.
          storage::Migration{1002, "workplan: forum rules, activities, approval stages, reports, capacity needs and offers", R"sql(
CREATE TABLE workplan_rules (
  forum TEXT PRIMARY KEY REFERENCES forums(code),
  min_co_leads INTEGER NOT NULL DEFAULT 1,
  co_lead_group TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL
);
CREATE TABLE workplan_approval_stages (
  forum TEXT NOT NULL REFERENCES forums(code),
  position INTEGER NOT NULL,
  body_id INTEGER NOT NULL REFERENCES workplan_bodies(id),
  PRIMARY KEY (forum, position)
);
CREATE TABLE workplan_activities (
  id INTEGER PRIMARY KEY,
  forum TEXT NOT NULL REFERENCES forums(code),
  kind TEXT NOT NULL CHECK (kind IN ('workshop', 'seminar', 'training', 'table_top_exercise', 'study')),
  title TEXT NOT NULL,
  objectives TEXT NOT NULL DEFAULT '',
  starts_on TEXT NOT NULL DEFAULT '',
  ends_on TEXT NOT NULL DEFAULT '',
  venue TEXT NOT NULL DEFAULT '',
  online INTEGER NOT NULL DEFAULT 0,
  expected_participants TEXT NOT NULL DEFAULT '',
  budget_note TEXT NOT NULL DEFAULT '',
  concept_paper INTEGER REFERENCES library_contributions(id),
  measure_id INTEGER REFERENCES workplan_measures(id),
  status TEXT NOT NULL CHECK (status IN ('draft', 'in_approval', 'returned', 'not_approved', 'approved', 'scheduled', 'held', 'reported', 'withdrawn')),
  stage INTEGER NOT NULL DEFAULT 0,
  proposed_by TEXT NOT NULL REFERENCES states(alpha3),
  report_summary TEXT NOT NULL DEFAULT '',
  report_outcomes TEXT NOT NULL DEFAULT '',
  reported_at INTEGER,
  created_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX workplan_activities_forum ON workplan_activities(forum, status);
CREATE TABLE workplan_activity_leads (
  activity_id INTEGER NOT NULL REFERENCES workplan_activities(id),
  state TEXT NOT NULL REFERENCES states(alpha3),
  PRIMARY KEY (activity_id, state)
);
CREATE TABLE workplan_activity_stages (
  id INTEGER PRIMARY KEY,
  activity_id INTEGER NOT NULL REFERENCES workplan_activities(id),
  position INTEGER NOT NULL,
  body_id INTEGER NOT NULL REFERENCES workplan_bodies(id),
  outcome TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'approved', 'returned', 'not_approved', 'taken_note')),
  comments TEXT NOT NULL DEFAULT '',
  meeting_id INTEGER REFERENCES workplan_meetings(id),
  decision_id INTEGER REFERENCES workplan_decisions(id),
  silence_started_by TEXT NOT NULL DEFAULT '',
  silence_started_at INTEGER,
  silence_deadline INTEGER,
  silence_broken_state TEXT NOT NULL DEFAULT '',
  silence_broken_by TEXT NOT NULL DEFAULT '',
  silence_broken_at INTEGER,
  silence_reason TEXT NOT NULL DEFAULT '',
  decided_at INTEGER,
  recorded_by INTEGER
);
CREATE INDEX workplan_activity_stages_activity ON workplan_activity_stages(activity_id, id);
CREATE TABLE workplan_activity_participants (
  activity_id INTEGER NOT NULL REFERENCES workplan_activities(id),
  state TEXT NOT NULL REFERENCES states(alpha3),
  participants INTEGER NOT NULL CHECK (participants >= 0),
  PRIMARY KEY (activity_id, state)
);
CREATE TABLE workplan_activity_documents (
  activity_id INTEGER NOT NULL REFERENCES workplan_activities(id),
  contribution_id INTEGER NOT NULL REFERENCES library_contributions(id),
  PRIMARY KEY (activity_id, contribution_id)
);
CREATE TABLE workplan_capacity (
  id INTEGER PRIMARY KEY,
  forum TEXT NOT NULL REFERENCES forums(code),
  state TEXT NOT NULL REFERENCES states(alpha3),
  kind TEXT NOT NULL CHECK (kind IN ('need', 'offer')),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('open', 'matched', 'withdrawn')),
  matched_with INTEGER REFERENCES workplan_capacity(id),
  activity_id INTEGER REFERENCES workplan_activities(id),
  created_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX workplan_capacity_forum ON workplan_capacity(forum, kind, status);
)sql"},
          // Calendar feeds: a secret URL per feed, of which only the SHA-256 is kept (the
          // URL is shown once); revoking keeps the row, so the feed answers 404 from then.
          storage::Migration{1003, "workplan: calendar feeds", R"sql(
CREATE TABLE workplan_calendar_feeds (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL,
  forum TEXT NOT NULL DEFAULT '',
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX workplan_calendar_feeds_user ON workplan_calendar_feeds(user_id);
)sql"},
          storage::Migration{1004, "workplan: the work plan's versions", R"sql(
CREATE TABLE workplan_plans (
  id INTEGER PRIMARY KEY AUTOINCREMENT,   -- a discarded draft's id is never handed out again: plan:<id> stays one plan
  forum TEXT NOT NULL REFERENCES forums(code),
  version INTEGER NOT NULL,
  title TEXT NOT NULL,
  period_from TEXT,
  period_to TEXT,
  introduction TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('draft','circulated')),
  content TEXT,
  content_sha256 TEXT,
  note_number TEXT,
  communication_id INTEGER,
  created_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  circulated_by INTEGER,
  circulated_at INTEGER,
  UNIQUE (forum, version)
);
)sql"}};
}

}  // namespace parley::workplan
