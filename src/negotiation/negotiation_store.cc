#include "negotiation/negotiation_store.h"

#include "common/time.h"
#include "directory/membership.h"

namespace parley::negotiation::store {

using nlohmann::json;
using storage::Row;

namespace {

std::vector<std::string> string_list(const std::string& text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  for (const auto& v : json::parse(text)) out.push_back(v.get<std::string>());
  return out;
}

Document document_from(const Row& r) {
  Document d;
  d.id = r.integer("id");
  d.forum = r.text("forum");
  d.symbol = r.text("symbol");
  d.title = r.text("title");
  d.distribution = r.text("distribution");
  d.languages = string_list(r.text("languages"));
  d.status = r.text("status");
  d.next_id = r.integer("next_id");
  d.created_by = r.text("created_by");
  d.created_at = r.integer("created_at");
  d.updated_at = r.integer("updated_at");
  d.adopted_at = r.opt_integer("adopted_at");
  d.final_text = r.text("final_text");
  return d;
}

RevisionRow revision_from(const Row& r, bool with_body) {
  RevisionRow v;
  v.document_id = r.integer("document_id");
  v.number = r.integer("number");
  if (with_body) v.text = Text::from_json(json::parse(r.text("body")));
  v.updated_at = r.integer("updated_at");
  v.circulated_at = r.opt_integer("circulated_at");
  v.circulated_by = r.text("circulated_by");
  v.note_number = r.text("note_number");
  const auto notes = r.text("notes");
  v.notes = notes.empty() ? json::object() : json::parse(notes);
  v.communication_id = r.opt_integer("communication_id");
  return v;
}

constexpr const char* kRevisionColumns =
    "document_id, number, body, updated_at, circulated_at, circulated_by, note_number, notes, communication_id";

SilenceRow silence_from(const Row& r) {
  SilenceRow s;
  s.id = r.integer("id");
  s.revision = r.integer("revision");
  s.started_by = r.text("started_by");
  s.started_at = r.integer("started_at");
  s.deadline = r.integer("deadline");
  s.broken_state = r.text("broken_state");
  s.broken_by = r.text("broken_by");
  s.broken_at = r.opt_integer("broken_at");
  s.reason = r.text("reason");
  return s;
}

}  // namespace

std::optional<Document> document(storage::Connection& c, std::int64_t id) {
  auto rows = c.query("SELECT * FROM neg_documents WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return document_from(rows[0]);
}

std::vector<Document> documents(storage::Connection& c, const std::optional<std::string>& forum) {
  std::vector<Document> out;
  auto rows = forum ? c.query("SELECT * FROM neg_documents WHERE forum = ? ORDER BY updated_at DESC, id DESC", {*forum})
                    : c.query("SELECT * FROM neg_documents ORDER BY updated_at DESC, id DESC");
  for (const auto& r : rows) out.push_back(document_from(r));
  return out;
}

std::int64_t insert_document(storage::Connection& c, const Document& d) {
  return c.insert(
      "INSERT INTO neg_documents (forum, symbol, title, distribution, languages, status, next_id, created_by, "
      "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
      {d.forum, d.symbol, d.title, d.distribution, json(d.languages).dump(), d.status, d.next_id, d.created_by,
       d.created_at, d.updated_at});
}

void update_document(storage::Connection& c, const Document& d) {
  c.execute("UPDATE neg_documents SET status = ?, next_id = ?, updated_at = ?, adopted_at = ?, final_text = ? WHERE id = ?",
            {d.status, d.next_id, d.updated_at, storage::opt(d.adopted_at),
             d.final_text.empty() ? storage::Value(std::monostate{}) : storage::Value(d.final_text), d.id});
}

std::vector<RevisionRow> revisions(storage::Connection& c, std::int64_t document_id) {
  std::vector<RevisionRow> out;
  for (const auto& r : c.query(std::string("SELECT ") + kRevisionColumns +
                                   " FROM neg_revisions WHERE document_id = ? ORDER BY number",
                               {document_id}))
    out.push_back(revision_from(r, false));
  return out;
}

std::optional<RevisionRow> revision(storage::Connection& c, std::int64_t document_id, std::int64_t number) {
  auto rows = c.query(std::string("SELECT ") + kRevisionColumns + " FROM neg_revisions WHERE document_id = ? AND number = ?",
                      {document_id, number});
  if (rows.empty()) return std::nullopt;
  return revision_from(rows[0], true);
}

std::optional<RevisionRow> latest(storage::Connection& c, std::int64_t document_id) {
  auto rows = c.query(std::string("SELECT ") + kRevisionColumns +
                          " FROM neg_revisions WHERE document_id = ? ORDER BY number DESC LIMIT 1",
                      {document_id});
  if (rows.empty()) return std::nullopt;
  return revision_from(rows[0], true);
}

void insert_revision(storage::Connection& c, const RevisionRow& r) {
  c.execute("INSERT INTO neg_revisions (document_id, number, body, updated_at) VALUES (?,?,?,?)",
            {r.document_id, r.number, r.text.to_json().dump(), r.updated_at});
}

void update_body(storage::Connection& c, const RevisionRow& r) {
  c.execute("UPDATE neg_revisions SET body = ?, updated_at = ? WHERE document_id = ? AND number = ?",
            {r.text.to_json().dump(), r.updated_at, r.document_id, r.number});
}

void mark_circulated(storage::Connection& c, const RevisionRow& r) {
  c.execute(
      "UPDATE neg_revisions SET body = ?, updated_at = ?, circulated_at = ?, circulated_by = ?, note_number = ?, "
      "notes = ? WHERE document_id = ? AND number = ?",
      {r.text.to_json().dump(), r.updated_at, storage::opt(r.circulated_at), r.circulated_by, r.note_number,
       r.notes.dump(), r.document_id, r.number});
}

void set_communication(storage::Connection& c, std::int64_t document_id, std::int64_t number, std::int64_t comm) {
  c.execute("UPDATE neg_revisions SET communication_id = ? WHERE document_id = ? AND number = ?",
            {comm, document_id, number});
}

void add_comment(storage::Connection& c, std::int64_t document_id, const CommentRow& row) {
  c.execute("INSERT INTO neg_comments (document_id, proposal, state, author, body, created_at) VALUES (?,?,?,?,?,?)",
            {document_id, row.proposal, storage::text_or_null(row.state), row.author, row.body, row.created_at});
}

std::vector<CommentRow> comments(storage::Connection& c, std::int64_t document_id) {
  std::vector<CommentRow> out;
  for (const auto& r : c.query("SELECT * FROM neg_comments WHERE document_id = ? ORDER BY id", {document_id}))
    out.push_back({r.integer("id"), r.text("proposal"), r.text("state"), r.text("author"), r.text("body"),
                   r.integer("created_at")});
  return out;
}

std::optional<SilenceRow> last_silence(storage::Connection& c, std::int64_t document_id) {
  auto rows = c.query("SELECT * FROM neg_silence WHERE document_id = ? ORDER BY id DESC LIMIT 1", {document_id});
  if (rows.empty()) return std::nullopt;
  return silence_from(rows[0]);
}

std::int64_t insert_silence(storage::Connection& c, std::int64_t document_id, const SilenceRow& s) {
  return c.insert("INSERT INTO neg_silence (document_id, revision, started_by, started_at, deadline) VALUES (?,?,?,?,?)",
                  {document_id, s.revision, s.started_by, s.started_at, s.deadline});
}

void break_silence(storage::Connection& c, const SilenceRow& s) {
  c.execute("UPDATE neg_silence SET broken_state = ?, broken_by = ?, broken_at = ?, reason = ? WHERE id = ?",
            {s.broken_state, s.broken_by, storage::opt(s.broken_at), s.reason, s.id});
}

bool is_member(storage::Connection& c, const std::string& forum, const std::string& state) {
  return directory::membership::is_member(c, forum, state);
}

std::optional<std::pair<std::string, std::vector<std::string>>> forum(storage::Connection& c, const std::string& code) {
  const auto f = directory::membership::forum(c, code);
  if (!f) return std::nullopt;
  return std::make_pair(f->name, string_list(f->languages));
}

std::map<std::string, std::pair<std::string, std::string>> forum_names(storage::Connection& c, const std::string& code) {
  std::map<std::string, std::pair<std::string, std::string>> out;
  const auto f = directory::membership::forum(c, code);
  if (!f) return out;
  const auto names = nlohmann::json::parse(f->names, nullptr, false);
  if (!names.is_object()) return out;
  for (const auto& [lang, n] : names.items()) {
    if (n.is_string()) out[lang] = {n.get<std::string>(), ""};
    else if (n.is_object()) out[lang] = {n.value("name", ""), n.value("abbreviation", "")};
  }
  return out;
}

std::pair<std::string, std::int64_t> note_scheme(storage::Connection& c, const std::string& forum) {
  auto rows = c.query("SELECT pattern, next_number FROM neg_note_schemes WHERE forum = ?", {forum});
  if (rows.empty()) return {"{forum}/NV/{year}/{n}", 1};
  return {rows[0].text("pattern"), rows[0].integer("next_number")};
}

void set_note_scheme(storage::Connection& c, const std::string& forum, const std::string& pattern, std::int64_t next) {
  c.execute(
      "INSERT INTO neg_note_schemes (forum, pattern, next_number) VALUES (?,?,?) "
      "ON CONFLICT (forum) DO UPDATE SET pattern = excluded.pattern, next_number = excluded.next_number",
      {forum, pattern, next});
}

}  // namespace parley::negotiation::store
