#include "directory/csv_import.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/csv.h"
#include "common/fold.h"
#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "crypto/hash.h"
#include "directory/directory_service.h"
#include "directory/directory_service.h"
#include "directory/directory_store.h"
#include "directory/model.h"
#include "storage/journal.h"

namespace parley::directory {

using auth::Principal;
using auth::Role;
using storage::Connection;

namespace {

constexpr std::size_t kMaxProblemErrors = 200;
const std::vector<std::string> kDefaultable = {"state", "type", "availability", "timezone", "languages"};
const std::set<std::string> kChannelFields = {"email", "phone", "fax"};

bool one_of(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// Letters and digits only, lower-cased (ASCII, Latin-1 letters such as É, and Cyrillic
// А-Я, Ё): "E-Mail address" -> "emailaddress", "Страна" -> "страна".
std::string squash(const std::string& s) {
  std::string out;
  const std::string lower = to_lower(s);
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const auto c = static_cast<unsigned char>(lower[i]);
    const auto next = i + 1 < lower.size() ? static_cast<unsigned char>(lower[i + 1]) : 0;
    if (c == 0xC3 && next >= 0x80 && next <= 0x9E && next != 0x97) {   // À-Þ (not ×)
      out += {static_cast<char>(0xC3), static_cast<char>(next + 0x20)};
      ++i;
    } else if (c == 0xD0 && next >= 0x90 && next <= 0x9F) {   // А-П
      out += {static_cast<char>(0xD0), static_cast<char>(next + 0x20)};
      ++i;
    } else if (c == 0xD0 && next >= 0xA0 && next <= 0xAF) {   // Р-Я
      out += {static_cast<char>(0xD1), static_cast<char>(next - 0x20)};
      ++i;
    } else if (c == 0xD0 && next == 0x81) {   // Ё
      out += {static_cast<char>(0xD1), static_cast<char>(0x91)};
      ++i;
    } else if (std::isalnum(c) || c >= 0x80) {
      out.push_back(lower[i]);
    }
  }
  return out;
}

std::string normal_type(const std::string& v) {
  static const std::map<std::string, std::string> kTypes = {
      {"policy", "policy"}, {"diplomatic", "policy"}, {"policydiplomatic", "policy"}, {"political", "policy"},
      {"technical", "technical"}, {"tech", "technical"}, {"cert", "technical"}, {"csirt", "technical"},
      {"lawenforcement", "law_enforcement"}, {"police", "law_enforcement"}, {"le", "law_enforcement"},
      {"политический", "policy"}, {"дипломатический", "policy"}, {"технический", "technical"},
      {"правоохранительный", "law_enforcement"},
      {"politique", "policy"}, {"technique", "technical"}, {"répressif", "law_enforcement"}};
  auto it = kTypes.find(squash(v));
  return it == kTypes.end() ? v : it->second;
}

std::string normal_availability(const std::string& v) {
  const auto s = squash(v);
  if (s == "247" || s == "24x7" || s == "24h" || s == "always") return "24/7";
  if (s == "officehours" || s == "businesshours" || s == "office" || s == "workinghours") return "office_hours";
  return v;
}

// ISO dates as they are; "31.12.2027" (European spreadsheets) and "2027-12-31 00:00:00".
std::string normal_date(const std::string& v) {
  if (v.size() == 10 && v[2] == '.' && v[5] == '.') return v.substr(6, 4) + "-" + v.substr(3, 2) + "-" + v.substr(0, 2);
  if (v.size() > 10 && is_date(v.substr(0, 10)) && (v[10] == ' ' || v[10] == 'T')) return v.substr(0, 10);
  return v;
}

std::vector<std::string> split_any(const std::string& v, const std::string& seps) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : v) {
    if (seps.find(c) != std::string::npos) {
      if (!trim(cur).empty()) out.push_back(trim(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!trim(cur).empty()) out.push_back(trim(cur));
  return out;
}

struct Cell {
  std::string value;
  std::string column;   // the spreadsheet header, or "(default)"
};

struct RowError {
  std::string column, field, reason;
};


nlohmann::json comparable(const Contact& k) {
  auto j = k.to_json();
  for (const char* volatile_key : {"updated_at", "version", "agency", "state_name"}) j.erase(volatile_key);
  return j;
}

}  // namespace

std::string suggest_field(const std::string& header) {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kSynonyms = {
      {"id", {"id", "contactid", "parleyid"}},
      {"state", {"state", "country", "statecode", "iso", "iso3", "alpha3", "participant", "memberstate", "страна",
                 "государство", "pays", "etat", "état"}},
      {"name", {"name", "fullname", "contact", "contactname", "person", "имя", "фио", "nom", "nomcomplet"}},
      {"type", {"type", "contacttype", "category", "kind", "тип", "catégorie"}},
      {"agency", {"agency", "organisation", "organization", "ministry", "institution", "ведомство", "организация",
                  "agence", "organisme"}},
      {"position", {"position", "title", "jobtitle", "function", "должность", "fonction", "poste"}},
      {"languages", {"languages", "language", "lang", "языки", "язык", "langues", "langue"}},
      {"timezone", {"timezone", "tz", "часовойпояс", "fuseauhoraire"}},
      {"availability", {"availability", "available", "доступность", "disponibilité", "disponibilite"}},
      {"office_hours", {"officehours", "hours", "workinghours", "часыработы", "heuresdebureau"}},
      {"email", {"email", "emailaddress", "mail", "электроннаяпочта", "почта", "courriel", "adresseemail"}},
      {"phone", {"phone", "telephone", "tel", "phonenumber", "mobile", "телефон", "téléphone"}},
      {"fax", {"fax", "факс", "télécopie"}},
      {"key_fingerprint", {"keyfingerprint", "fingerprint", "pgp", "pgpfingerprint", "openpgp"}},
      {"nomination_ref", {"nominationref", "reference", "nominationreference", "noteverbale", "ref"}},
      {"valid_from", {"validfrom", "from", "start", "действителенс"}},
      {"valid_until", {"validuntil", "validto", "until", "expires", "expiry", "end", "действителендо"}}};
  const auto s = squash(header);
  for (const auto& [field, words] : kSynonyms)
    for (const auto& w : words)
      if (s == w) return field;
  return "";
}

ImportRequest ImportRequest::parse(JsonInput& in) {
  ImportRequest r;
  // The file as it is: not JsonInput::text, which trims and refuses the CR of CRLF.
  if (const auto* csv = in.raw("csv"); !csv) {
    in.error("csv", "is required: the file's text");
  } else if (!csv->is_string()) {
    in.error("csv", "must be a string: the file's text");
  } else if (csv->get_ref<const std::string&>().size() > CsvLimits{}.max_bytes) {
    in.error("csv", "is larger than " + std::to_string(CsvLimits{}.max_bytes) + " bytes");
  } else {
    r.csv = csv->get<std::string>();
  }
  if (auto sep = in.text("separator", false, 12)) {
    const auto s = to_lower(*sep);
    if (s == "," || s == "comma") r.separator = ',';
    else if (s == ";" || s == "semicolon") r.separator = ';';
    else if (s == "\t" || s == "tab") r.separator = '\t';
    else if (s == "auto" || s.empty()) r.separator = 0;
    else in.error("separator", "must be comma, semicolon, tab or auto");
  }
  if (const auto* m = in.raw("mapping")) {
    if (!m->is_object()) in.error("mapping", "must be an object: spreadsheet header -> contact field");
    else if (m->size() > CsvLimits{}.max_fields) in.error("mapping", "maps too many columns");
    else {
      std::vector<std::pair<std::string, std::string>> mapping;
      for (const auto& [header, field] : m->items()) {
        if (header.size() > 200) {
          in.error("mapping", "a header is longer than 200 bytes");
          continue;
        }
        if (field.is_null()) continue;
        const auto f = field.is_string() ? field.get<std::string>() : std::string("\x01");
        if (f.empty() || f == "ignore") continue;
        if (!one_of(kImportFields, f)) {
          in.error("mapping." + header, "must be one of the contact fields: id, state, name, type, agency, position, "
                                        "languages, timezone, availability, office_hours, email, phone, fax, "
                                        "key_fingerprint, nomination_ref, valid_from, valid_until (or ignore)");
          continue;
        }
        mapping.emplace_back(header, f);
      }
      r.mapping = std::move(mapping);
    }
  }
  if (const auto* d = in.raw("defaults")) {
    if (!d->is_object()) in.error("defaults", "must be an object: contact field -> value");
    else
      for (const auto& [field, value] : d->items()) {
        if (!one_of(kDefaultable, field)) in.error("defaults." + field, "only state, type, availability, timezone and languages have defaults");
        else if (!value.is_string() || value.get<std::string>().size() > 200) in.error("defaults." + field, "must be a short text");
        else r.defaults.emplace_back(field, value.get<std::string>());
      }
  }
  in.finish();
  return r;
}

nlohmann::json ContactImporter::run(const Principal* who, const ImportRequest& req) {
  if (who && !who->is(Role::kAdmin) && !who->is(Role::kSecretariat) && !who->is(Role::kFocalPoint))
    throw Problem::forbidden("Only the administrator, a forum's secretariat or a state's focal point imports points of contact.");
  const auto table = parse_csv(req.csv, req.separator);
  if (table.records.empty()) throw Problem::invalid("csv", "is empty: the first row must name the columns");
  std::vector<std::string> headers;
  for (const auto& h : table.records[0]) headers.push_back(trim(h));
  const std::string sep = table.separator == '\t' ? "tab" : std::string(1, table.separator);

  auto columns = nlohmann::json::array();
  for (std::size_t i = 0; i < headers.size(); ++i) {
    std::string mapped;
    if (req.mapping)
      for (const auto& [h, f] : *req.mapping)
        if (h == headers[i]) mapped = f;
    const auto suggested = suggest_field(headers[i]);
    columns.push_back({{"index", i}, {"header", headers[i]},
                       {"field", mapped.empty() ? nlohmann::json() : nlohmann::json(mapped)},
                       {"suggested", suggested.empty() ? nlohmann::json() : nlohmann::json(suggested)}});
  }
  if (!req.mapping)
    return {{"dry_run", true}, {"applied", false}, {"separator", sep}, {"columns", columns},
            {"rows", table.records.size() - 1}, {"fields", kImportFields}};

  // The mapping against the file's headers.
  std::vector<FieldError> mapping_errors;
  std::vector<std::pair<std::size_t, std::string>> cols;   // column index -> field
  std::set<std::string> single;
  for (const auto& [h, f] : *req.mapping) {
    const auto matches = std::count(headers.begin(), headers.end(), h);
    if (matches == 0) {
      mapping_errors.push_back({"mapping." + h, "is not a column of the file"});
      continue;
    }
    if (matches > 1) {
      mapping_errors.push_back({"mapping." + h, "names several columns of the file: rename them"});
      continue;
    }
    if (!kChannelFields.count(f) && !single.insert(f).second) {
      mapping_errors.push_back({"mapping." + h, "maps to " + f + ", which another column already holds"});
      continue;
    }
    cols.emplace_back(static_cast<std::size_t>(std::find(headers.begin(), headers.end(), h) - headers.begin()), f);
  }
  std::map<std::string, std::string> defaults(req.defaults.begin(), req.defaults.end());
  if (!single.count("name")) mapping_errors.push_back({"mapping", "no column holds the name"});
  if (!single.count("state") && !single.count("id") && !defaults.count("state") && !(who && who->is(Role::kFocalPoint)))
    mapping_errors.push_back({"mapping", "no column holds the state (or give defaults.state)"});
  if (!mapping_errors.empty()) throw Problem::invalid(std::move(mapping_errors));

  const bool focal = who && who->is(Role::kFocalPoint);
  Principal operator_principal;
  operator_principal.username = "cli";
  operator_principal.role = Role::kAdmin;
  const Principal& actor = who ? *who : operator_principal;
  const std::string journal_actor = who ? who->actor() : "cli";

  struct Outcome {
    nlohmann::json rows = nlohmann::json::array();
    std::int64_t create = 0, update = 0, unchanged = 0, error = 0;
    std::vector<FieldError> problems;
    std::set<std::string> states;
  };

  const auto evaluate = [&](Connection& c, bool write) {
    Outcome out;
    // A state by any of its names, in any language iso-codes gives (a Russian
    // spreadsheet says "Австрия"), folded for case and diacritics.
    std::map<std::string, std::string> state_by_name;   // folded name -> alpha3
    for (const auto& r : c.query("SELECT alpha3, name FROM states UNION SELECT alpha3, name FROM state_names"))
      state_by_name.emplace(fold_for_search(r.text("name")), r.text("alpha3"));
    std::map<std::string, std::map<std::string, std::int64_t>> agencies;   // state -> lower name -> id
    std::map<std::string, std::size_t> seen;   // state|lower(name) and #id -> row
    std::map<std::string, bool> manages;
    const auto can = [&](const std::string& s) {
      auto it = manages.find(s);
      if (it != manages.end()) return it->second;
      return manages[s] = DirectoryService::can_manage(c, actor, s);
    };
    const auto now = now_rfc3339();

    for (std::size_t i = 1; i < table.records.size(); ++i) {
      const auto& rec = table.records[i];
      const auto rownum = table.row_numbers[i];
      std::vector<RowError> errors;
      std::map<std::string, Cell> cells;
      std::vector<std::pair<Channel, std::string>> row_channels;   // channel, column
      for (const auto& [idx, f] : cols) {
        std::string v;   // trimmed, line breaks as LF (a cell may hold several lines)
        if (idx < rec.size())
          for (std::size_t p = 0; p < rec[idx].size(); ++p) {
            if (rec[idx][p] != '\r') v.push_back(rec[idx][p]);
            else if (p + 1 >= rec[idx].size() || rec[idx][p + 1] != '\n') v.push_back('\n');
          }
        v = trim(v);
        if (v.empty()) continue;
        if (kChannelFields.count(f)) {
          for (const auto& one : split_any(v, f == "email" ? ";,\n\r " : ";\n\r"))
            row_channels.push_back({Channel{f, one, ""}, headers[idx]});
        } else {
          cells[f] = {v, headers[idx]};
        }
      }
      for (const auto& [f, v] : defaults)
        if (!cells.count(f) && !trim(v).empty()) cells[f] = {trim(v), "(default)"};
      const auto col = [&](const std::string& f) { return cells.count(f) ? cells[f].column : std::string(); };

      // The state, and the contact the row is about.
      std::string state;
      if (cells.count("state")) {
        const auto& v = cells["state"].value;
        const auto up = to_upper(v);
        if (is_alpha3(up) && DirectoryStore::state_exists(c, up)) state = up;
        else if (auto it = state_by_name.find(fold_for_search(v)); it != state_by_name.end()) state = it->second;
        else errors.push_back({col("state"), "state", "'" + v + "' is neither an ISO 3166-1 alpha-3 code nor the name of a state in the directory"});
      } else if (focal) {
        state = who->state;
      }
      std::optional<Contact> existing;
      if (cells.count("id")) {
        const auto& v = cells["id"].value;
        const bool digits = !v.empty() && v.size() <= 15 && v.find_first_not_of("0123456789") == std::string::npos;
        auto k = digits ? DirectoryStore::contact(c, std::stoll(v)) : std::nullopt;
        if (!k || (k->status != "active" && !can(k->state))) {
          errors.push_back({col("id"), "id", "no point of contact " + v});
        } else {
          if (!state.empty() && k->state != state)
            errors.push_back({col("state"), "state", "contact " + v + " belongs to " + k->state + ", not " + state});
          state = k->state;
          existing = k;
        }
      }
      if (!state.empty() && !can(state)) {
        errors.push_back({col("state").empty() ? col("id") : col("state"), "state",
                          "you may not manage the entries of " + state});
      }
      const std::string name = cells.count("name") ? cells["name"].value : std::string();
      if (!existing && errors.empty() && !state.empty() && !name.empty()) {
        auto found = c.query("SELECT id FROM contacts WHERE state = ? AND lower(name) = lower(?) AND status <> 'rejected'"
                             " ORDER BY id LIMIT 1",
                             {state, name});
        if (!found.empty()) existing = DirectoryStore::contact(c, found[0].integer("id"));
      }
      const std::string key = existing ? "#" + std::to_string(existing->id) : state + "|" + to_lower(name);
      if (errors.empty() && !state.empty() && !name.empty()) {
        if (auto it = seen.find(key); it != seen.end())
          errors.push_back({col("name"), "name", "the same point of contact as row " + std::to_string(it->second)});
        else
          seen[key] = rownum;
      }

      // The contact's fields as the API would receive them, validated by the same rules.
      nlohmann::json j = nlohmann::json::object();
      std::map<std::string, std::string> column_of;   // input field -> column
      const auto put = [&](const std::string& f, const std::string& input_field, nlohmann::json v) {
        j[input_field] = std::move(v);
        column_of[input_field] = col(f);
      };
      for (const char* f : {"name", "position", "timezone", "office_hours", "key_fingerprint", "nomination_ref"})
        if (cells.count(f)) put(f, f, cells[f].value);
      if (cells.count("type")) put("type", "type", normal_type(cells["type"].value));
      if (cells.count("availability")) put("availability", "availability", normal_availability(cells["availability"].value));
      if (cells.count("valid_from")) put("valid_from", "valid_from", normal_date(cells["valid_from"].value));
      if (cells.count("valid_until")) put("valid_until", "valid_until", normal_date(cells["valid_until"].value));
      if (cells.count("languages")) put("languages", "languages", split_any(cells["languages"].value, ",; /\n"));
      if (cells.count("agency") && !state.empty()) {
        if (!agencies.count(state))
          for (const auto& a : DirectoryStore::agencies_of(c, state)) agencies[state][to_lower(a.name)] = a.id;
        auto& of_state = agencies[state];
        auto it = of_state.find(to_lower(cells["agency"].value));
        if (it == of_state.end())
          errors.push_back({col("agency"), "agency", "no agency named '" + cells["agency"].value + "' for " + state + " (add it first)"});
        else
          put("agency", "agency_id", it->second);
      }
      std::vector<std::string> channel_columns;
      if (!row_channels.empty()) {
        // Channels of the kinds the row gives replace those of the contact, in place;
        // an existing channel with the same value keeps its note of use.
        std::set<std::string> kinds;
        for (const auto& [ch, _] : row_channels) kinds.insert(ch.kind);
        std::vector<std::pair<Channel, std::string>> merged;
        std::set<std::string> placed;
        const auto place = [&](const std::string& kind) {
          for (const auto& [ch, column] : row_channels) {
            if (ch.kind != kind) continue;
            Channel one = ch;
            if (existing)
              for (const auto& old : existing->channels)
                if (old.kind == kind && old.value == ch.value) one.use = old.use;
            merged.push_back({one, column});
          }
          placed.insert(kind);
        };
        if (existing)
          for (const auto& old : existing->channels) {
            if (!kinds.count(old.kind)) merged.push_back({old, ""});
            else if (!placed.count(old.kind)) place(old.kind);
          }
        for (const auto& [ch, _] : row_channels)
          if (!placed.count(ch.kind)) place(ch.kind);
        auto arr = nlohmann::json::array();
        for (const auto& [ch, column] : merged) {
          nlohmann::json one = {{"kind", ch.kind}, {"value", ch.value}};
          if (!ch.use.empty()) one["use"] = ch.use;
          arr.push_back(std::move(one));
          channel_columns.push_back(column);
        }
        j["channels"] = std::move(arr);
      }
      const bool creating = !existing;
      if (creating) j["state"] = state.empty() ? std::string("???") : state;
      std::optional<ContactInput> input;
      // A row naming a contact by an id that is not there updates nothing and creates nothing.
      const bool id_missing = cells.count("id") && !existing;
      if (!id_missing) try {
        JsonInput in(j, "");
        input = ContactInput::parse(in, !creating);
      } catch (const Problem& p) {
        for (const auto& e : p.errors()) {
          const auto dot = e.field.find('.');
          const auto base = e.field.substr(0, dot);
          std::string field = base == "agency_id" ? "agency" : base;
          // The cell's column; for a missing value, the column mapped to hold it.
          std::string column = column_of.count(base) ? column_of[base] : "";
          if (column.empty())
            for (const auto& [idx, f] : cols)
              if (f == field) column = headers[idx];
          if (base == "channels" && dot != std::string::npos) {
            const auto n = static_cast<std::size_t>(std::atoi(e.field.c_str() + dot + 1));
            if (n < channel_columns.size()) column = channel_columns[n];
            field = "channel";   // the kind its column holds (email, phone, fax)
            for (const auto& [ch, colname] : row_channels)
              if (!column.empty() && colname == column) field = ch.kind;
          }
          if (base == "state" && !state.empty()) continue;   // reported above
          if (base == "state") {
            if (errors.empty() || errors.back().field != "state") errors.push_back({"", "state", "no state is given"});
            continue;
          }
          const std::string reason = e.reason == "is required" ? "is required (no value in this row)" : e.reason;
          errors.push_back({column, field, reason});
        }
      }

      nlohmann::json result = {{"row", rownum}, {"state", state.empty() ? nlohmann::json() : nlohmann::json(state)},
                               {"name", name.empty() ? nlohmann::json() : nlohmann::json(name)}};
      if (input && errors.empty()) {
        if (creating) {
          Contact k;
          k.state = state;
          input->apply_to(k);
          k.status = focal ? "pending" : "active";
          k.nominated_by = actor.username;
          if (!focal) {
            k.decided_by = actor.username;
            k.decided_at = now;
          }
          result["action"] = "create";
          result["nomination"] = focal;
          ++out.create;
          out.states.insert(state);
          if (write) {
            k.id = DirectoryStore::insert_contact(c, k);
            auto stored = *DirectoryStore::contact(c, k.id);
            storage::Journal::append(c, journal_actor, focal ? "contact.nominate" : "contact.create",
                                     "contact:" + std::to_string(k.id), stored.to_json());
            result["contact_id"] = k.id;
          }
        } else {
          Contact after = *existing;
          input->apply_to(after);
          result["contact_id"] = existing->id;
          if (!after.valid_from.empty() && !after.valid_until.empty() && after.valid_until < after.valid_from) {
            errors.push_back({col("valid_until"), "valid_until", "must not be before valid_from (" + after.valid_from + ")"});
          } else if (after.name != existing->name && DirectoryStore::name_taken(c, after.state, after.name, after.id)) {
            errors.push_back({col("name"), "name", "another point of contact of " + after.state + " has this name"});
          } else {
            const auto before = comparable(*existing);
            const auto changed = comparable(after);
            auto changes = nlohmann::json::array();
            nlohmann::json diff = nlohmann::json::object();
            for (const auto& [k, v] : changed.items())
              if (before.value(k, nlohmann::json()) != v) {
                changes.push_back(k);
                diff[k] = {{"from", before.value(k, nlohmann::json())}, {"to", v}};
              }
            if (changes.empty()) {
              result["action"] = "unchanged";
              ++out.unchanged;
            } else {
              result["action"] = "update";
              result["changes"] = changes;
              ++out.update;
              out.states.insert(state);
              if (write) {
                DirectoryStore::update_contact(c, after);
                diff["version"] = existing->version + 1;
                storage::Journal::append(c, journal_actor, "contact.update", "contact:" + std::to_string(after.id), diff);
              }
            }
          }
        }
      }
      if (!errors.empty()) {
        result["action"] = "error";
        result.erase("changes");
        ++out.error;
        auto errs = nlohmann::json::array();
        for (const auto& e : errors) {
          errs.push_back({{"column", e.column.empty() ? nlohmann::json() : nlohmann::json(e.column)},
                          {"field", e.field}, {"reason", e.reason}});
          if (out.problems.size() < kMaxProblemErrors)
            out.problems.push_back({"rows." + std::to_string(rownum) + "." + (e.column.empty() ? e.field : e.column),
                                    e.reason});
        }
        result["errors"] = errs;
      } else {
        result["errors"] = nlohmann::json::array();
      }
      out.rows.push_back(std::move(result));
    }
    if (write && out.error)
      throw Problem::invalid(std::move(out.problems));   // rolls the whole import back
    if (write && (out.create || out.update))
      storage::Journal::append(c, journal_actor, "directory.import", "directory",
                               {{"sha256", crypto::sha256_hex(req.csv)}, {"rows", table.records.size() - 1},
                                {"created", out.create}, {"updated", out.update}, {"unchanged", out.unchanged},
                                {"states", out.states}});
    return out;
  };

  Outcome out = req.dry_run ? db_.read([&](Connection& c) { return evaluate(c, false); })
                            : db_.write([&](Connection& c) { return evaluate(c, true); });
  if (!req.dry_run && (out.create || out.update)) {
    Event e;
    e.type = "directory.contact.imported";
    e.data = {{"states", out.states}, {"created", out.create}, {"updated", out.update}};
    const std::set<std::string> states = out.states;
    const auto forums = db_.read([&](Connection& c) {
      std::set<std::string> f;
      for (const auto& s : states)
        for (const auto& x : DirectoryStore::forums_of(c, s)) f.insert(x);
      return f;
    });
    e.audience_kind = "directory.managers";
    e.audience_args = {{"states", states}, {"forums", forums}};
    e.audience = DirectoryService::managers_audience(e.audience_args);
    events_.publish(e);
  }
  return {{"dry_run", req.dry_run}, {"applied", !req.dry_run && out.error == 0},
          {"separator", sep}, {"columns", columns}, {"rows", out.rows},
          {"summary", {{"rows", table.records.size() - 1}, {"create", out.create}, {"update", out.update},
                       {"unchanged", out.unchanged}, {"error", out.error}}}};
}

}  // namespace parley::directory
