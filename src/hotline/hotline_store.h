// HotlineStore: the hotline's SQL, over a Connection the caller holds inside its
// transaction. No rules here (they are HotlineService's); rows in, rows out.
// Static functions: thread-safe as the Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hotline/access.h"
#include "storage/database.h"

namespace parley::hotline {

struct Person {
  std::int64_t user_id = 0;
  std::string username, display_name, email, role, state, forum;
};

struct CommRow {
  std::int64_t id = 0, thread_id = 0;
  std::optional<std::int64_t> in_reply_to;
  std::string forum, type;
  std::string contact_kind = "all";   // the kind of directory contact addressed
  std::int64_t sender_user = 0;   // 0: not a user (the CLI)
  std::string sender_username, sender_name, sender_state;
  std::string subject, description;
  int severity = 0;
  std::string tlp, sector;
  std::optional<std::int64_t> incident_started_at, incident_detected_at;
  std::string requested_action;
  std::optional<std::int64_t> respond_by;
  std::string language = "en";
  std::optional<std::int64_t> check_id;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> ack_deadline_at, announced_at, closed_at;
  std::string closed_by;
  std::vector<std::string> stix_refs;   // threat-exchange objects it refers to (comm_stix_refs)
};

struct RecipientRow {
  std::string state, state_name;
  std::optional<std::int64_t> delivered_at, acked_at, answered_at, next_escalation_at, ack_deadline_at;
  std::string acked_by;
  int escalation_level = 0;
  bool no_valid_contact = false;   // no valid directory contact of the kind addressed
  std::int64_t people = 0;         // recipient people (addressed or named) of the state
};

// A recipient state as written: its deadline, and whether it escalates at it.
struct NewRecipient {
  std::string state;
  std::optional<std::int64_t> ack_deadline_at, next_escalation_at;
  bool no_valid_contact = false;
};

struct ContactRow {
  std::int64_t user_id = 0;
  std::string username, display_name, email, state, reason, delivered_via;
  int escalation_level = 0;
  std::int64_t notified_at = 0;
  std::optional<std::int64_t> delivered_at, emailed_at, acked_at;
};

struct EventRow {
  std::int64_t at = 0;
  std::string kind, state, actor, detail;
};

struct AttachmentRow {
  std::string sha256, filename, media_type;
  std::int64_t size = 0;
};

class HotlineStore {
 public:
  using C = storage::Connection;
  static std::optional<CommRow> comm(C& c, std::int64_t id);
  static std::int64_t insert_comm(C& c, const CommRow& r);
  static std::vector<RecipientRow> recipients(C& c, std::int64_t id);
  static std::vector<ContactRow> contacts(C& c, std::int64_t id, std::int64_t limit = -1);   // -1: all
  static std::int64_t contact_count(C& c, std::int64_t id);
  static std::vector<EventRow> events(C& c, std::int64_t id);
  static std::vector<AttachmentRow> attachments(C& c, std::int64_t id);
  static Access access(C& c, const CommRow& r);
  static void add_event(C& c, std::int64_t id, std::int64_t at, const std::string& kind, const std::string& state,
                        const std::string& actor, const std::string& detail);
  // One statement per 400 people (a forum-wide communication reaches a thousand).
  static void add_contacts(C& c, std::int64_t id, const std::vector<Person>& people, const std::string& reason,
                           int level, std::int64_t at);
  static void add_recipients(C& c, std::int64_t id, const std::vector<NewRecipient>& states);

  // Active (not disabled) accounts of a state with a role (its focal points: "focal_point").
  // The state's recipient people are its directory contacts' accounts: see addressing.h.
  static std::vector<Person> people(C& c, const std::string& state, const std::string& role);
  static std::vector<Person> secretariat(C& c, const std::string& forum);
  static std::optional<Person> person(C& c, const std::string& username);
  static std::optional<Person> person(C& c, std::int64_t user_id);

  static std::optional<std::string> state_name(C& c, const std::string& alpha3);
  static bool forum_exists(C& c, const std::string& code);
  static std::vector<std::string> members(C& c, const std::string& forum);
  static bool is_member(C& c, const std::string& forum, const std::string& state);
};

}  // namespace parley::hotline
