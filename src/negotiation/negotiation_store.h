// The negotiation capability's SQL: stateless functions over a storage::Connection,
// called inside the service's transactions. Thread-safe as the connection is.
#pragma once

#include <map>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "negotiation/model.h"
#include "negotiation/silence.h"
#include "negotiation/text.h"
#include "storage/database.h"

namespace parley::negotiation {

struct RevisionRow {
  std::int64_t document_id = 0;
  std::int64_t number = 0;
  Text text;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> circulated_at;
  std::string circulated_by;
  std::string note_number;
  nlohmann::json notes;   // {language: text}
  std::optional<std::int64_t> communication_id;
};

struct CommentRow {
  std::int64_t id = 0;
  std::string proposal, state, author, body;
  std::int64_t created_at = 0;
};

namespace store {
std::optional<Document> document(storage::Connection& c, std::int64_t id);
std::vector<Document> documents(storage::Connection& c, const std::optional<std::string>& forum);
std::int64_t insert_document(storage::Connection& c, const Document& d);
void update_document(storage::Connection& c, const Document& d);   // status, next_id, updated_at, adoption

std::vector<RevisionRow> revisions(storage::Connection& c, std::int64_t document_id);   // bodies not parsed
std::optional<RevisionRow> revision(storage::Connection& c, std::int64_t document_id, std::int64_t number);
std::optional<RevisionRow> latest(storage::Connection& c, std::int64_t document_id);
void insert_revision(storage::Connection& c, const RevisionRow& r);
void update_body(storage::Connection& c, const RevisionRow& r);
void mark_circulated(storage::Connection& c, const RevisionRow& r);
void set_communication(storage::Connection& c, std::int64_t document_id, std::int64_t number, std::int64_t comm);

void add_comment(storage::Connection& c, std::int64_t document_id, const CommentRow& row);
std::vector<CommentRow> comments(storage::Connection& c, std::int64_t document_id);

std::optional<SilenceRow> last_silence(storage::Connection& c, std::int64_t document_id);
std::int64_t insert_silence(storage::Connection& c, std::int64_t document_id, const SilenceRow& s);
void break_silence(storage::Connection& c, const SilenceRow& s);

bool is_member(storage::Connection& c, const std::string& forum, const std::string& state);
std::optional<std::pair<std::string, std::vector<std::string>>> forum(storage::Connection& c, const std::string& code);
// The forum's name and abbreviation per language (directory migration 111).
std::map<std::string, std::pair<std::string, std::string>> forum_names(storage::Connection& c, const std::string& code);
// The forum's note-verbale scheme; the default ("{forum}/NV/{year}/{n}", from 1) when none is set.
std::pair<std::string, std::int64_t> note_scheme(storage::Connection& c, const std::string& forum);
void set_note_scheme(storage::Connection& c, const std::string& forum, const std::string& pattern, std::int64_t next);
}  // namespace store

}  // namespace parley::negotiation
