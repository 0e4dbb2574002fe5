#include "library/schema.h"

#include "library/library_store.h"

namespace parley::library {

namespace {

// The engines' own search structures over library_pages (docs/architecture.md, "The
// library"). Their names start with search_: engine-specific objects that the schema
// parity test and `parley db copy` leave aside (copying library_pages rebuilds them).
void create_search_structures(storage::Connection& c) {
  if (c.dialect() == storage::Dialect::kSqlite) {
    // Words: FTS5's unicode61 told that letters, marks, digits and private-use
    // characters are word characters, so that it cuts the words column exactly at the
    // single spaces library/search_text.h put there (its own folding finds nothing left
    // to fold). Spans: the trigram tokenizer, case-sensitive since the text is folded
    // already: a pure substring index.
    c.execute_script(R"sql(
CREATE VIRTUAL TABLE search_library_words USING fts5(words, content='library_pages', content_rowid='id',
  tokenize="unicode61 remove_diacritics 0 categories 'L* M* N* Co'");
CREATE VIRTUAL TABLE search_library_spans USING fts5(spans, content='library_pages', content_rowid='id',
  tokenize="trigram case_sensitive 1");
CREATE TRIGGER search_library_pages_insert AFTER INSERT ON library_pages BEGIN
  INSERT INTO search_library_words(rowid, words) VALUES (new.id, new.words);
  INSERT INTO search_library_spans(rowid, spans) VALUES (new.id, new.spans);
END;
CREATE TRIGGER search_library_pages_delete AFTER DELETE ON library_pages BEGIN
  INSERT INTO search_library_words(search_library_words, rowid, words) VALUES ('delete', old.id, old.words);
  INSERT INTO search_library_spans(search_library_spans, rowid, spans) VALUES ('delete', old.id, old.spans);
END;
CREATE TRIGGER search_library_pages_update BEFORE UPDATE ON library_pages BEGIN
  SELECT RAISE(ABORT, 'library pages are replaced, not updated');
END;
)sql");
    return;
  }
  // PostgreSQL: the words as a tsvector built from the same words, positions included,
  // by splitting at the spaces (PostgreSQL's own parser never runs), in a GIN index on
  // that expression; the spans in a trigram index (pg_trgm, a trusted extension that the
  // database's owner may create).
  c.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm");
  c.execute(
      "CREATE OR REPLACE FUNCTION library_words_tsvector(words text) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT "
      "PARALLEL SAFE AS $$ SELECT coalesce(string_agg(quote_literal(w) || ':' || least(n, 16383), ' '), '')::tsvector "
      "FROM unnest(string_to_array(words, ' ')) WITH ORDINALITY AS t(w, n) WHERE w <> '' $$");
  c.execute("CREATE INDEX search_library_words ON library_pages USING gin (library_words_tsvector(words))");
  c.execute("CREATE INDEX search_library_spans ON library_pages USING gin (spans gin_trgm_ops)");
}

// Migration 802: every page indexed again (LibraryStore::reindex_all), for three changes.
// Page ids become contribution id × 2^20 + n (library/library_store.cc), so that the
// search indexes list a word's pages in the contributions' order and a search stops after
// the answers it needs. The words column ends with the spans' pairs of characters
// (library/search_text.h), so that a span of two characters is found from an index. On
// PostgreSQL, each page's words tsvector is stored (search_library_words_tsv, kept by a
// trigger as FTS5's tables are on SQLite) instead of being rebuilt from the words by
// library_words_tsvector() at every read of the index's expression: at each recheck of a
// bitmap scan and at every page a plan filters, ~0.2 ms a page.
void index_pages_again(storage::Connection& c) {
  const bool pg = c.dialect() == storage::Dialect::kPostgreSQL;
  if (pg) {
    c.execute("DROP INDEX IF EXISTS search_library_words");
    c.execute("CREATE TABLE search_library_words_tsv (id BIGINT PRIMARY KEY, words tsvector NOT NULL)");
    c.execute(
        "CREATE FUNCTION search_library_words_tsv_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'DELETE' THEN DELETE FROM search_library_words_tsv WHERE id = OLD.id; RETURN OLD; END IF; "
        "INSERT INTO search_library_words_tsv (id, words) VALUES (NEW.id, library_words_tsvector(NEW.words)); RETURN NEW; "
        "END $$");
    c.execute(
        "CREATE TRIGGER search_library_words_tsv_sync AFTER INSERT OR DELETE ON library_pages FOR EACH ROW "
        "EXECUTE FUNCTION search_library_words_tsv_sync()");
    c.execute(
        "CREATE FUNCTION search_library_pages_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION 'library pages are replaced, not updated'; END $$");
    c.execute(
        "CREATE TRIGGER search_library_pages_update BEFORE UPDATE ON library_pages FOR EACH ROW "
        "EXECUTE FUNCTION search_library_pages_refuse_update()");
  }
  LibraryStore::reindex_all(c);
  if (pg) c.execute("CREATE INDEX search_library_words_tsv_words ON search_library_words_tsv USING gin (words)");
}

// Migration 803, SQLite: every word of the words index, one row each, kept by a trigger
// as FTS5's tables are (and so filled by `parley db copy` too), so that a prefix is asked
// of FTS5 as the words it begins (library/library_store.cc, fts5_words_match). The words
// column holds letters, marks, digits and private-use characters between single spaces
// (library/search_text.h): as a JSON array, after escaping what JSON escapes, json_each
// cuts it in one pass. A word stays when its last page goes: a prefix that expands to it
// asks FTS5 for a word that matches nothing (`parley db copy` leaves the words in use).
// PostgreSQL reads a prefix from its GIN index itself.
void keep_vocabulary(storage::Connection& c) {
  if (c.dialect() != storage::Dialect::kSqlite) return;
  // The words of a words column as a JSON array: '["w1","w2",...]'.
  const auto array_of = [](const std::string& column) {
    return R"sql(('["' || replace(replace(replace()sql" + column + R"sql(, '\', '\\'), '"', '\"'), ' ', '","') || '"]'))sql";
  };
  c.execute("CREATE TABLE search_library_vocab (word TEXT PRIMARY KEY) WITHOUT ROWID");
  c.execute("CREATE TRIGGER search_library_vocab_insert AFTER INSERT ON library_pages BEGIN "
            "INSERT OR IGNORE INTO search_library_vocab (word) SELECT value FROM json_each(" + array_of("new.words") +
            ") WHERE value <> ''; END");
  c.execute("INSERT OR IGNORE INTO search_library_vocab (word) SELECT j.value FROM library_pages l, json_each(" +
            array_of("l.words") + ") j WHERE j.value <> ''");
}

// Migration 804, PostgreSQL: each contribution's words, all its pages together, in one
// row (search_library_contribution_words), so that a search asks a contribution once
// where it asked each of its pages (a stored tsvector read and matched, ~7 µs a page,
// 21 a contribution at 100,000 x 20). A row holds:
//  - the distinct words of the contribution's pages (their words columns, the spans'
//    pairs of characters included), without positions: a word or prefix matches the
//    contribution exactly when it matches one of its pages; a phrase needs its words
//    and a span its pairs there before a page is asked (library/library_store.cc);
//  - its blocks: `#64.n` and `#4096.m` (n = id / 64, m = id / 4096), words that no query
//    can ask ('#' is not a word character, library/search_text.h), so that a query asks
//    the GIN index for a term's contributions among a range of ids (`t & (#64.n | ...)`):
//    GIN reads the blocks' short lists and skips along the term's, where reading the
//    term whole reads every contribution it is in;
//  - NULL words when they are more than a tsvector holds (1 MiB of words): that
//    contribution's pages are asked instead.
// A deferred trigger computes the row at commit, once per contribution and transaction
// (refreshed_in), from the final pages: a contribution's pages are replaced row by row,
// and `parley db copy` fills library_pages row by row too.
// Each page's tsvector (search_library_words_tsv, migration 802) goes: what it answered,
// the rows answer, and a page is asked with LIKE over its words column (a tsvector keeps
// at most 256 positions of a word, which lost phrases after a page's 256th "the").
void index_contributions_words(storage::Connection& c) {
  if (c.dialect() != storage::Dialect::kPostgreSQL) return;
  c.execute_script(R"sql(
DROP TRIGGER search_library_words_tsv_sync ON library_pages;
DROP FUNCTION search_library_words_tsv_sync();
DROP TABLE search_library_words_tsv;
DROP FUNCTION library_words_tsvector(text);
CREATE TABLE search_library_contribution_words (
  id BIGINT PRIMARY KEY,
  words tsvector,
  refreshed_in xid8 NOT NULL
);
CREATE INDEX search_library_contribution_words_unbounded ON search_library_contribution_words (id) WHERE words IS NULL;
CREATE FUNCTION search_library_contribution_words_refresh(cid bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  lexemes text[];
  bytes bigint;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM library_pages WHERE id BETWEEN cid * 1048576 AND cid * 1048576 + 1048575) THEN
    DELETE FROM search_library_contribution_words WHERE id = cid;
    RETURN;
  END IF;
  SELECT array_agg(w), sum(octet_length(w)) INTO lexemes, bytes FROM (
    SELECT DISTINCT w FROM library_pages p, unnest(string_to_array(p.words, ' ')) AS w
    WHERE p.id BETWEEN cid * 1048576 AND cid * 1048576 + 1048575 AND w <> ''
    UNION SELECT '#64.' || (cid / 64) UNION SELECT '#4096.' || (cid / 4096)) d;
  -- A tsvector's words take at most 1 MiB; array_to_tsvector does not check it.
  INSERT INTO search_library_contribution_words (id, words, refreshed_in)
  VALUES (cid, CASE WHEN bytes < 1048576 THEN array_to_tsvector(lexemes) END, pg_current_xact_id())
  ON CONFLICT (id) DO UPDATE SET words = EXCLUDED.words, refreshed_in = EXCLUDED.refreshed_in;
END $$;
CREATE FUNCTION search_library_contribution_words_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cid bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.contribution_id ELSE NEW.contribution_id END;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM search_library_contribution_words WHERE id = cid AND refreshed_in = pg_current_xact_id()) THEN
    PERFORM search_library_contribution_words_refresh(cid);
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER search_library_contribution_words_sync AFTER INSERT OR DELETE ON library_pages
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION search_library_contribution_words_sync();
SELECT search_library_contribution_words_refresh(contribution_id) FROM (SELECT DISTINCT contribution_id FROM library_pages) p;
CREATE INDEX search_library_contribution_words_words ON search_library_contribution_words USING gin (words);
)sql");
}

}  // namespace

std::vector<storage::Migration> migrations() {
  storage::Migration m{800, "library: contributions, language versions, files, extracted pages", R"sql(
CREATE TABLE library_files (
  sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  size INTEGER NOT NULL,
  format TEXT NOT NULL DEFAULT '' CHECK (format IN ('','pdf','docx','odt','html','text')),
  content TEXT NOT NULL,
  extraction TEXT NOT NULL DEFAULT 'pending' CHECK (extraction IN ('pending','done')),
  flag TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  pages INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  claimed_by TEXT,
  claimed_until INTEGER,
  uploaded_by INTEGER NOT NULL,
  uploaded_at INTEGER NOT NULL,
  extracted_at INTEGER
);
CREATE INDEX library_files_pending ON library_files(uploaded_at) WHERE extraction = 'pending';
CREATE TABLE library_file_text (
  sha256 TEXT NOT NULL REFERENCES library_files(sha256),
  page INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (sha256, page)
);
CREATE TABLE library_contributions (
  id INTEGER PRIMARY KEY,
  state TEXT NOT NULL REFERENCES states(alpha3),
  kind TEXT NOT NULL CHECK (kind IN ('law','regulation','strategy','policy','views','best_practice',
                                     'national_report','survey_answer')),
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  issuing_body TEXT NOT NULL DEFAULT '',
  adopted_on TEXT,
  in_force_on TEXT,
  submitted_on TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft','in_force','superseded')),
  superseded_by INTEGER REFERENCES library_contributions(id),
  visibility TEXT NOT NULL CHECK (visibility IN ('public','forum','states')),
  forum TEXT NOT NULL REFERENCES forums(code),
  tlp INTEGER NOT NULL CHECK (tlp BETWEEN 0 AND 3),
  workflow TEXT NOT NULL CHECK (workflow IN ('submitted','published','returned')),
  return_note TEXT,
  created_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX library_contributions_state ON library_contributions(state, id);
CREATE INDEX library_contributions_forum ON library_contributions(forum, id);
CREATE TABLE library_contribution_states (
  contribution_id INTEGER NOT NULL REFERENCES library_contributions(id),
  state TEXT NOT NULL REFERENCES states(alpha3),
  PRIMARY KEY (contribution_id, state)
);
CREATE INDEX library_contribution_states_state ON library_contribution_states(state);
CREATE TABLE library_tags (
  contribution_id INTEGER NOT NULL REFERENCES library_contributions(id),
  tag TEXT NOT NULL,
  PRIMARY KEY (contribution_id, tag)
);
CREATE INDEX library_tags_tag ON library_tags(tag);
CREATE TABLE library_versions (
  id INTEGER PRIMARY KEY,
  contribution_id INTEGER NOT NULL REFERENCES library_contributions(id),
  lang TEXT NOT NULL,
  translation TEXT NOT NULL CHECK (translation IN ('original','official','unofficial')),
  sha256 TEXT NOT NULL REFERENCES library_files(sha256),
  filename TEXT NOT NULL,
  added_by INTEGER NOT NULL,
  added_at INTEGER NOT NULL,
  UNIQUE (contribution_id, lang)
);
CREATE INDEX library_versions_file ON library_versions(sha256);
CREATE TABLE library_pages (
  id INTEGER PRIMARY KEY,
  contribution_id INTEGER NOT NULL REFERENCES library_contributions(id),
  version_id INTEGER REFERENCES library_versions(id),
  page INTEGER NOT NULL,
  words TEXT NOT NULL,
  spans TEXT NOT NULL
);
CREATE INDEX library_pages_contribution ON library_pages(contribution_id, version_id, page);
)sql"};
  // A contribution's own words (title, summary, issuing body) are its page 0, with no
  // language version; each version's extracted pages follow from 1.
  m.apply = create_search_structures;
  // Revisions: what a contribution was before each edit or replaced file (its files stay
  // stored by their SHA-256). Versions are indexed each in their own time (LibraryStore::
  // index_waiting_versions); those there before are indexed already.
  storage::Migration revisions{801, "library: revisions, supersession, versions indexed one by one, the weekly digest", R"sql(
ALTER TABLE library_versions ADD COLUMN indexed INTEGER NOT NULL DEFAULT 1;
CREATE TABLE library_revisions (
  contribution_id INTEGER NOT NULL REFERENCES library_contributions(id),
  revision INTEGER NOT NULL,
  snapshot TEXT NOT NULL,
  replaced_by INTEGER NOT NULL,
  replaced_at INTEGER NOT NULL,
  PRIMARY KEY (contribution_id, revision)
);
CREATE INDEX library_contributions_superseded ON library_contributions(superseded_by);
ALTER TABLE library_contributions ADD COLUMN published_at INTEGER;
UPDATE library_contributions SET published_at = updated_at WHERE workflow = 'published';
CREATE INDEX library_contributions_published ON library_contributions(published_at);
CREATE TABLE library_digests (
  user_id INTEGER PRIMARY KEY REFERENCES users(id),
  weekly INTEGER NOT NULL DEFAULT 1,
  sent_until INTEGER
);
)sql"};
  storage::Migration ordered{802, "library: pages indexed again, in their contributions' order, with the spans' pairs; "
                                  "PostgreSQL stores each page's tsvector", ""};
  ordered.apply = index_pages_again;
  storage::Migration vocabulary{803, "library: on SQLite, the words of the words index, for prefixes", ""};
  vocabulary.apply = keep_vocabulary;
  storage::Migration contributions{804, "library: on PostgreSQL, each contribution's words in one row, for the search", ""};
  contributions.apply = index_contributions_words;
  return {m, revisions, ordered, vocabulary, contributions};
}

}  // namespace parley::library
