// ReceiptStore: the SQL of what happens to a communication after it is sent, person by
// person and state by state: read marks (comm_reads), deliveries and acknowledgements
// (comm_contacts, comm_recipients), and the STIX objects it refers to (comm_stix_refs).
// Over a Connection the caller holds inside its transaction; no rules here (they are
// HotlineService's). Static functions: thread-safe as the Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace parley::hotline {

struct StateAck {
  std::optional<std::int64_t> acked_at;
  std::string acked_by;
};

class ReceiptStore {
 public:
  using C = storage::Connection;

  static bool has_read(C& c, std::int64_t comm_id, std::int64_t user_id);
  static void mark_read(C& c, std::int64_t comm_id, std::int64_t user_id, std::int64_t at);

  // A person's row among the communication's contacts: nullopt when none; its
  // acknowledgement time (nullopt inside when not acknowledged).
  static std::optional<std::optional<std::int64_t>> person_ack(C& c, std::int64_t comm_id, std::int64_t user_id);
  // A recipient state's acknowledgement; nullopt when the state is not a recipient.
  static std::optional<StateAck> state_ack(C& c, std::int64_t comm_id, const std::string& state);

  // First delivery to a person through the API (no-op when already delivered).
  static void delivered_to_person(C& c, std::int64_t comm_id, std::int64_t user_id, std::int64_t at);
  // First delivery to a state: false when it was delivered already (or is no recipient).
  static bool delivered_to_state(C& c, std::int64_t comm_id, const std::string& state, std::int64_t at);
  // First delivery to these people on the stream (one statement per 500 people).
  static void delivered_on_stream(C& c, std::int64_t comm_id, const std::vector<std::int64_t>& user_ids,
                                  std::int64_t at);
  static void emailed(C& c, std::int64_t comm_id, std::int64_t user_id, std::int64_t at);
  // A recipient state's own acknowledgement deadline (nullopt: none, or not a recipient).
  static std::optional<std::int64_t> state_deadline(C& c, std::int64_t comm_id, const std::string& state);
  // A recipient state answers: answered, acknowledged and delivered (the first of each
  // stays), escalation stopped. False when the state is not a recipient.
  static bool answered(C& c, std::int64_t comm_id, const std::string& state, const std::string& username,
                       std::int64_t at);

  // A person acknowledges for its state: adds the person as an 'other' contact when it
  // was not one, marks it acknowledged and delivered, marks the state acknowledged (the
  // first acknowledgement stays) and stops its escalation, and marks the communication read.
  static void acknowledge(C& c, std::int64_t comm_id, std::int64_t user_id, const std::string& username,
                          const std::string& state, bool was_contact, std::int64_t at);

  static void add_stix_refs(C& c, std::int64_t comm_id, const std::vector<std::string>& stix_ids);
  static std::vector<std::string> stix_refs(C& c, std::int64_t comm_id);   // in id order
};

}  // namespace parley::hotline
