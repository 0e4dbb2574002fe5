// The hotline's model: the communication template (types, TLP 2.0 labels, sectors,
// severity), client input for a new communication and its validation, and a forum's
// acknowledgement-deadline policy. Values only; thread-safe to copy.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/json_input.h"

namespace parley::hotline {

inline const std::vector<std::string> kTypes = {"notification",             "request_for_information",
                                                "request_for_assistance",   "request_for_consultation",
                                                "reply",                    "check",
                                                "note_verbale"};
// TLP 2.0 (FIRST, 2022). TLP 1.0's WHITE is refused with a pointer to CLEAR.
inline const std::vector<std::string> kTlpLabels = {"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT",
                                                    "TLP:RED"};
// Critical-infrastructure sectors (after the EU NIS2 annexes and the US CISA list).
inline const std::vector<std::string> kSectors = {
    "energy",          "transport",        "banking",         "financial_market_infrastructure",
    "health",          "drinking_water",   "waste_water",     "digital_infrastructure",
    "telecommunications", "ict_service_management", "public_administration", "elections",
    "space",           "postal",           "waste_management", "chemicals",
    "food",            "manufacturing",    "digital_providers", "research",
    "defence",         "emergency_services", "other"};
// Severity 0-5 in the manner of the US National Cyber Incident Scoring System.
inline const std::array<const char*, 6> kSeverityNames = {"baseline", "low", "medium", "high", "severe", "emergency"};

inline constexpr std::size_t kMaxRecipients = 300;
inline constexpr std::size_t kMaxAttachments = 10;

struct AttachmentRef {
  std::string sha256;
  std::string filename;
};

// A new communication as a client sent it (POST /communications, /{id}/reply).
struct CommunicationInput {
  std::string type;
  std::vector<std::string> recipients;           // alpha-3 codes and/or one forum code
  // Named recipient people: directory contacts with accounts, by contact id (what the
  // console sends) or by the account's username (scripts).
  std::vector<std::int64_t> recipient_contact_ids;
  std::vector<std::string> recipient_contacts;
  // The kind of directory contact addressed in each recipient state (addressing.h).
  std::string contact_kind = "all";
  std::optional<std::string> forum;
  std::string subject;
  std::string description;
  int severity = 0;   // a note verbale has none (stored as 0, shown as null)
  std::string tlp;
  std::optional<std::string> sector;
  std::optional<std::int64_t> incident_started_at, incident_detected_at;   // unix ms
  std::optional<std::string> requested_action;
  std::optional<std::int64_t> respond_by;                                  // unix ms
  std::string language = "en";
  std::vector<AttachmentRef> attachments;
  // Threat-exchange objects the communication is about (an incident, its indicators):
  // STIX ids; readers follow them through the exchange, which applies its own access.
  std::vector<std::string> stix_refs;
  std::optional<std::int64_t> in_reply_to;

  // `reply`: the input of POST /{id}/reply, where type, recipients and forum come from
  // the thread and severity and TLP default to the original's. Validates shapes; rules
  // that need the database (known recipients, attachments) are the service's.
  static CommunicationInput parse(JsonInput& in, bool reply, std::int64_t now_ms);
};

// Time allowed for acknowledgement, per type and severity, and between escalation steps.
struct Policy {
  std::map<std::string, std::array<int, 6>> ack_minutes;   // type -> minutes by severity 0..5
  int escalation_step_minutes = 0;                         // 0: the same as the deadline
  bool escalate_checks = false;

  static Policy defaults();
  int ack_deadline_minutes(const std::string& type, int severity) const;
  nlohmann::json to_json() const;
  // Missing types keep their defaults; throws Problem 422 naming each bad field.
  static Policy parse(JsonInput& in);
};

// Lifecycle stages in order; a communication's status is the least advanced stage of
// its recipient states (or "closed").
inline const std::vector<std::string> kStages = {"sent", "delivered", "acknowledged", "answered", "closed"};

}  // namespace parley::hotline
