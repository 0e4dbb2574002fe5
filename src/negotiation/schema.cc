#include "negotiation/schema.h"

namespace parley::negotiation {

std::vector<storage::Migration> migrations() {
  return {{500, "negotiation: documents, revisions (immutable once circulated), comments, silence procedures, note schemes",
           R"sql(
CREATE TABLE neg_documents (
  id INTEGER PRIMARY KEY,
  forum TEXT NOT NULL REFERENCES forums(code),
  symbol TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  distribution TEXT NOT NULL CHECK (distribution IN ('member_states','general')),
  languages TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('zero_draft','draft','revised_draft','adopted','withdrawn')),
  next_id INTEGER NOT NULL DEFAULT 1,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  adopted_at INTEGER,
  final_text TEXT
);
CREATE INDEX neg_documents_forum ON neg_documents(forum);
CREATE TABLE neg_revisions (
  document_id INTEGER NOT NULL REFERENCES neg_documents(id),
  number INTEGER NOT NULL,
  body TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  circulated_at INTEGER,
  circulated_by TEXT,
  note_number TEXT,
  notes TEXT,
  communication_id INTEGER,
  PRIMARY KEY (document_id, number)
);
CREATE TRIGGER neg_revisions_frozen BEFORE UPDATE ON neg_revisions WHEN OLD.circulated_at IS NOT NULL AND
  (NEW.body IS NOT OLD.body OR NEW.number IS NOT OLD.number OR NEW.circulated_at IS NOT OLD.circulated_at OR
   NEW.note_number IS NOT OLD.note_number OR NEW.notes IS NOT OLD.notes)
BEGIN SELECT RAISE(ABORT, 'a circulated revision is immutable'); END;
CREATE TRIGGER neg_revisions_kept BEFORE DELETE ON neg_revisions WHEN OLD.circulated_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a circulated revision is immutable'); END;
CREATE TABLE neg_comments (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES neg_documents(id),
  proposal TEXT NOT NULL,
  state TEXT,
  author TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX neg_comments_document ON neg_comments(document_id, proposal);
CREATE TABLE neg_silence (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES neg_documents(id),
  revision INTEGER NOT NULL,
  started_by TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  deadline INTEGER NOT NULL,
  broken_state TEXT,
  broken_by TEXT,
  broken_at INTEGER,
  reason TEXT
);
CREATE INDEX neg_silence_document ON neg_silence(document_id, id);
CREATE TABLE neg_note_schemes (
  forum TEXT PRIMARY KEY REFERENCES forums(code),
  pattern TEXT NOT NULL,
  next_number INTEGER NOT NULL
);
)sql"}};
}

}  // namespace parley::negotiation
