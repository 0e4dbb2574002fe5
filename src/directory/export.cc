#include "directory/export.h"

#include "common/csv.h"
#include "common/time.h"

namespace parley::directory {

namespace {

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::vector<std::string> channel_values(const Contact& k, const std::string& kind) {
  std::vector<std::string> out;
  for (const auto& c : k.channels)
    if (c.kind == kind) out.push_back(c.use.empty() ? c.value : c.value + " (" + c.use + ")");
  return out;
}

}  // namespace

std::string to_csv(const std::vector<Contact>& contacts, const std::string& today_in) {
  const auto today = today_in.empty() ? today_date() : today_in;
  std::string out =
      "id,state,state_name,name,type,agency,position,languages,timezone,availability,office_hours,emails,phones,"
      "key_fingerprint,nomination_ref,valid_from,valid_until,status,updated_at,expired,confirmed_at\r\n";
  for (const auto& k : contacts) {
    const std::vector<std::string> row = {std::to_string(k.id), k.state, k.state_name, k.name, k.type, k.agency_name,
                                          k.position, join(k.languages, " "), k.timezone, k.availability,
                                          k.office_hours, join(channel_values(k, "email"), "; "),
                                          join(channel_values(k, "phone"), "; "), k.key_fingerprint, k.nomination_ref,
                                          k.valid_from, k.valid_until, k.status, k.updated_at,
                                          k.expired(today) ? "yes" : "no", k.confirmed_at};
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      out += csv_field(row[i]);
    }
    out += "\r\n";
  }
  return out;
}

std::string vcard_escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ',': out += "\\,"; break;
      case ';': out += "\\;"; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string vcard_fold(const std::string& line) {
  // RFC 6350 3.2: lines SHOULD NOT exceed 75 octets; continue with CRLF + space and
  // never split a multi-octet UTF-8 character.
  std::string out;
  std::size_t width = 0;
  const std::size_t limit = 75;
  for (std::size_t i = 0; i < line.size();) {
    std::size_t len = 1;
    const auto c = static_cast<unsigned char>(line[i]);
    if (c >= 0xf0) len = 4;
    else if (c >= 0xe0) len = 3;
    else if (c >= 0xc0) len = 2;
    if (width + len > limit) {
      out += "\r\n ";
      width = 1;
    }
    out.append(line, i, len);
    width += len;
    i += len;
  }
  return out + "\r\n";
}

std::string to_vcard(const std::vector<Contact>& contacts, const std::string& today_in) {
  const auto today = today_in.empty() ? today_date() : today_in;
  std::string out;
  for (const auto& k : contacts) {
    std::vector<std::string> lines = {"BEGIN:VCARD", "VERSION:4.0", "KIND:individual",
                                      "UID:urn:parley:contact:" + std::to_string(k.id), "FN:" + vcard_escape(k.name)};
    if (!k.agency_name.empty()) lines.push_back("ORG:" + vcard_escape(k.agency_name));
    if (!k.position.empty()) lines.push_back("TITLE:" + vcard_escape(k.position));
    lines.push_back(std::string("ROLE:") + (k.type == "technical" ? "Technical point of contact" : "Policy point of contact"));
    lines.push_back("CATEGORIES:" + vcard_escape(k.type) + "," + vcard_escape(k.state));
    for (std::size_t i = 0; i < k.languages.size(); ++i)
      lines.push_back("LANG;PREF=" + std::to_string(i + 1) + ":" + k.languages[i]);
    if (!k.timezone.empty()) lines.push_back("TZ;VALUE=text:" + vcard_escape(k.timezone));
    int pref = 1;
    for (const auto& ch : k.channels) {
      if (ch.kind == "email") {
        lines.push_back("EMAIL;TYPE=work;PREF=" + std::to_string(pref++) + ":" + vcard_escape(ch.value));
      } else if (ch.kind == "phone" || ch.kind == "fax") {
        std::string tel;
        for (char c : ch.value)
          if (std::isdigit(static_cast<unsigned char>(c)) || c == '+') tel.push_back(c);
        lines.push_back(std::string("TEL;VALUE=uri;TYPE=\"") + (ch.kind == "fax" ? "fax" : "voice") + ",work\":tel:" + tel);
      }
    }
    lines.push_back("ADR;TYPE=work:;;;;;;" + vcard_escape(k.state_name));
    std::string note = "State: " + k.state + ". Availability: " + k.availability;
    if (!k.office_hours.empty()) note += " (" + k.office_hours + ")";
    note += ".";
    if (!k.key_fingerprint.empty()) note += " OpenPGP fingerprint: " + k.key_fingerprint + ".";
    if (!k.nomination_ref.empty()) note += " Nominated by: " + k.nomination_ref + ".";
    if (!k.valid_from.empty() || !k.valid_until.empty())
      note += " Valid " + (k.valid_from.empty() ? std::string("") : "from " + k.valid_from) +
              (k.valid_until.empty() ? std::string("") : " until " + k.valid_until) + ".";
    if (k.expired(today)) note += " EXPIRED: past its validity.";
    lines.push_back("NOTE:" + vcard_escape(note));
    if (!k.updated_at.empty()) {
      std::string rev;
      for (char c : k.updated_at)
        if (c != '-' && c != ':') rev.push_back(c);
      lines.push_back("REV:" + rev);
    }
    lines.push_back("END:VCARD");
    for (const auto& l : lines) out += vcard_fold(l);
  }
  return out;
}

}  // namespace parley::directory
