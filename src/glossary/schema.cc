#include "glossary/schema.h"

namespace parley::glossary {

std::vector<storage::Migration> migrations() {
  // `folded` columns hold common/fold.h's form of a term, for search and so that
  // "Critical Infrastructure" and "critical infrastructure" are one term of a forum.
  return {storage::Migration{900, "glossary: terms, equivalents, attributed definitions", R"sql(
CREATE TABLE glossary_terms (
  id INTEGER PRIMARY KEY,
  forum TEXT NOT NULL REFERENCES forums(code),
  term TEXT NOT NULL,
  lang TEXT NOT NULL,
  folded TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (forum, lang, folded)
);
CREATE TABLE glossary_equivalents (
  term_id INTEGER NOT NULL REFERENCES glossary_terms(id),
  lang TEXT NOT NULL,
  text TEXT NOT NULL,
  folded TEXT NOT NULL,
  PRIMARY KEY (term_id, lang, text)
);
CREATE INDEX glossary_equivalents_folded ON glossary_equivalents(folded);
CREATE TABLE glossary_definitions (
  id INTEGER PRIMARY KEY,
  term_id INTEGER NOT NULL REFERENCES glossary_terms(id),
  source TEXT NOT NULL CHECK (source IN ('state','organisation','forum')),
  state TEXT REFERENCES states(alpha3),
  organisation TEXT NOT NULL DEFAULT '',
  contribution_id INTEGER REFERENCES library_contributions(id),
  agreed_on TEXT NOT NULL DEFAULT '',
  agreed_in TEXT NOT NULL DEFAULT '',
  lang TEXT NOT NULL,
  text TEXT NOT NULL,
  reference TEXT NOT NULL DEFAULT '',
  created_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  CHECK ((source = 'state') = (state IS NOT NULL))
);
CREATE INDEX glossary_definitions_term ON glossary_definitions(term_id, id);
)sql"}};
}

}  // namespace parley::glossary
