#include "hotline/model.h"

#include "hotline/addressing.h"

#include "exchange/stix_validate.h"

#include <algorithm>

#include "common/text.h"
#include "common/time.h"

namespace parley::hotline {

namespace {

bool one_of(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::optional<std::int64_t> timestamp(JsonInput& in, const char* key) {
  auto t = in.text(key, false, 40);
  if (!t) return std::nullopt;
  auto ms = parse_rfc3339_ms(*t);
  if (!ms) in.error(key, "must be an RFC 3339 date-time, e.g. 2026-11-22T05:40:00Z");
  return ms;
}

bool is_sha256_hex(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

CommunicationInput CommunicationInput::parse(JsonInput& in, bool reply, std::int64_t now_ms) {
  CommunicationInput c;
  if (reply) {
    c.type = "reply";
  } else {
    c.type = in.text("type", true, 40).value_or("");
    if (!c.type.empty() && !one_of(kTypes, c.type))
      in.error("type", "must be one of notification, request_for_information, request_for_assistance, "
                       "request_for_consultation, reply, check, note_verbale");
    if (auto r = in.text_list("recipients", true, kMaxRecipients, 20)) {
      if (r->empty()) in.error("recipients", "must name at least one state or forum");
      for (std::size_t i = 0; i < r->size(); ++i) {
        auto code = to_upper(trim((*r)[i]));
        if (code.empty() || code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != std::string::npos)
          in.error("recipients." + std::to_string(i), "must be a state's alpha-3 code or a forum code");
        else if (std::find(c.recipients.begin(), c.recipients.end(), code) == c.recipients.end())
          c.recipients.push_back(code);
      }
    }
    if (auto f = in.text("forum", false, 20)) c.forum = to_upper(trim(*f));
    if (in.has("in_reply_to")) c.in_reply_to = in.integer("in_reply_to", false, 1, INT64_MAX / 2);
    if (c.type == "reply" && !c.in_reply_to)
      in.error("in_reply_to", "is required for a reply: the id of the communication answered "
                              "(or use POST /api/v1/communications/{id}/reply)");
  }
  if (auto k = in.text("contact_kind", false, 20)) {
    if (reply) in.error("contact_kind", "is the thread's: a reply goes to the same kind of contact");
    else if (!one_of(kContactKinds, *k)) in.error("contact_kind", "must be one of all, policy, technical, law_enforcement");
    else c.contact_kind = *k;
  }
  if (const auto* rc = in.raw("recipient_contacts")) {
    if (!rc->is_array() || rc->size() > kMaxRecipients) {
      in.error("recipient_contacts", "must be a list of at most " + std::to_string(kMaxRecipients) +
                                         " directory contact ids (or account usernames)");
    } else {
      for (std::size_t i = 0; i < rc->size(); ++i) {
        const auto& v = (*rc)[i];
        const auto field = "recipient_contacts." + std::to_string(i);
        if (v.is_number_integer() && v.get<std::int64_t>() > 0) c.recipient_contact_ids.push_back(v.get<std::int64_t>());
        else if (v.is_string() && !v.get<std::string>().empty() && v.get<std::string>().size() <= 64 &&
                 is_valid_utf8(v.get<std::string>()))
          c.recipient_contacts.push_back(v.get<std::string>());
        else in.error(field, "must be a directory contact's id or an account's username");
      }
    }
  }
  c.subject = trim(in.text("subject", !reply, 300, reply ? 0 : 1).value_or(""));
  c.description = in.text("description", true, 20000, 1).value_or("");
  if (reply) {
    if (auto s = in.integer("severity", false, 0, 5)) c.severity = static_cast<int>(*s);
    else c.severity = -1;   // the original's
  } else if (c.type == "note_verbale") {
    // A note verbale is not an incident: it has no severity.
    if (in.raw("severity")) in.error("severity", "a note verbale has no severity");
    c.severity = 0;
  } else {
    c.severity = static_cast<int>(in.integer("severity", true, 0, 5).value_or(0));
  }
  if (auto t = in.text("tlp", !reply, 20)) {
    c.tlp = to_upper(trim(*t));
    if (c.tlp == "TLP:WHITE" || c.tlp == "WHITE")
      in.error("tlp", "TLP:WHITE is TLP 1.0; TLP 2.0 calls it TLP:CLEAR");
    else if (!one_of(kTlpLabels, c.tlp))
      in.error("tlp", "must be a TLP 2.0 label: TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED");
  }
  if (auto s = in.text("sector", false, 60)) {
    if (!one_of(kSectors, *s)) in.error("sector", "is not a known critical-infrastructure sector");
    c.sector = *s;
  }
  c.incident_started_at = timestamp(in, "incident_started_at");
  c.incident_detected_at = timestamp(in, "incident_detected_at");
  if (c.incident_started_at && *c.incident_started_at > now_ms + 60'000)
    in.error("incident_started_at", "is in the future");
  if (c.incident_detected_at && *c.incident_detected_at > now_ms + 60'000)
    in.error("incident_detected_at", "is in the future");
  if (c.incident_started_at && c.incident_detected_at && *c.incident_detected_at < *c.incident_started_at)
    in.error("incident_detected_at", "is before incident_started_at");
  c.requested_action = in.text("requested_action", false, 2000);
  c.respond_by = timestamp(in, "respond_by");
  if (c.respond_by && *c.respond_by <= now_ms) in.error("respond_by", "is in the past: a deadline must be in the future");
  if (auto l = in.text("language", false, 35)) {
    if (!is_language_tag(*l)) in.error("language", "must be a BCP 47 language tag");
    c.language = *l;
  }
  if (auto list = in.object_list("attachments", false, kMaxAttachments)) {
    for (auto& a : *list) {
      AttachmentRef ref;
      ref.sha256 = to_lower(a.text("sha256", true, 64).value_or(""));
      if (!ref.sha256.empty() && !is_sha256_hex(ref.sha256))
        a.error("sha256", "must be 64 hexadecimal digits (the SHA-256 of an uploaded attachment)");
      ref.filename = a.text("filename", true, 200, 1).value_or("");
      if (ref.filename.find_first_of("/\\") != std::string::npos || has_control_chars(ref.filename))
        a.error("filename", "must be a plain file name");
      in.absorb(a);
      c.attachments.push_back(std::move(ref));
    }
  }
  if (auto refs = in.text_list("stix_refs", false, 50, 300)) {
    for (std::size_t i = 0; i < refs->size(); ++i)
      if (!exchange::is_stix_identifier((*refs)[i]))
        in.error("stix_refs." + std::to_string(i), "must be a STIX identifier such as incident--<UUID>");
    c.stix_refs = std::move(*refs);
  }
  in.finish();
  return c;
}

Policy Policy::defaults() {
  Policy p;
  p.ack_minutes = {
      {"notification", {1440, 480, 240, 60, 30, 15}},
      {"request_for_information", {2880, 1440, 480, 240, 60, 30}},
      {"request_for_assistance", {1440, 480, 240, 60, 30, 15}},
      {"request_for_consultation", {2880, 1440, 480, 240, 120, 60}},
      {"reply", {2880, 1440, 480, 240, 60, 30}},
      {"check", {1440, 1440, 1440, 1440, 1440, 1440}},
      {"note_verbale", {2880, 2880, 2880, 2880, 2880, 2880}},
  };
  return p;
}

int Policy::ack_deadline_minutes(const std::string& type, int severity) const {
  auto it = ack_minutes.find(type);
  if (it == ack_minutes.end()) return 1440;
  return it->second[static_cast<std::size_t>(std::clamp(severity, 0, 5))];
}

nlohmann::json Policy::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  nlohmann::json ack = nlohmann::json::object();
  for (const auto& [type, mins] : ack_minutes) ack[type] = mins;
  j["ack_deadline_minutes"] = ack;
  j["escalation_step_minutes"] = escalation_step_minutes;
  j["escalate_checks"] = escalate_checks;
  return j;
}

Policy Policy::parse(JsonInput& in) {
  Policy p = defaults();
  if (const auto* ack = in.raw("ack_deadline_minutes")) {
    if (!ack->is_object()) {
      in.error("ack_deadline_minutes", "must be an object mapping a communication type to six minute values");
    } else {
      for (const auto& [type, v] : ack->items()) {
        const std::string field = "ack_deadline_minutes." + type;
        if (!one_of(kTypes, type)) {
          in.error(field, "is not a communication type");
          continue;
        }
        if (!v.is_array() || v.size() != 6) {
          in.error(field, "must be six numbers of minutes, for severities 0 to 5");
          continue;
        }
        std::array<int, 6> mins{};
        bool ok = true;
        for (std::size_t i = 0; i < 6; ++i) {
          if (!v[i].is_number_integer() || v[i].get<std::int64_t>() < 1 || v[i].get<std::int64_t>() > 525600) {
            in.error(field + "." + std::to_string(i), "must be a whole number of minutes from 1 to 525600");
            ok = false;
          } else {
            mins[i] = v[i].get<int>();
          }
        }
        if (ok) p.ack_minutes[type] = mins;
      }
    }
  }
  if (auto s = in.integer("escalation_step_minutes", false, 0, 525600)) p.escalation_step_minutes = static_cast<int>(*s);
  if (auto b = in.boolean("escalate_checks", false)) p.escalate_checks = *b;
  in.finish();
  return p;
}

}  // namespace parley::hotline
