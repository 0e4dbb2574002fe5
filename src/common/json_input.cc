#include "common/json_input.h"

#include <optional>

#include "common/text.h"

namespace parley {

nlohmann::json parse_json_strictly(std::string_view body, std::size_t max_depth) {
  // RFC 7493 (I-JSON): an object's member names are unique. nlohmann keeps the last of
  // duplicated names, other parsers the first; a client that sends both could make two
  // readers disagree ("tlp":"TLP:RED","tlp":"TLP:CLEAR"), so duplicates are refused.
  std::vector<std::set<std::string, std::less<>>> names;   // one per open object
  std::optional<Problem> refused;
  const nlohmann::json::parser_callback_t check = [&](int depth, nlohmann::json::parse_event_t event,
                                                      nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if (refused) return false;
    if (static_cast<std::size_t>(depth) > max_depth) {
      refused = Problem::bad_request("The body nests objects and arrays more than " + std::to_string(max_depth) +
                                         " deep.",
                                     {{"body", "nested too deeply"}});
      throw *refused;
    }
    if (event == E::object_start) names.emplace_back();
    else if (event == E::object_end && !names.empty()) names.pop_back();
    else if (event == E::key && !names.empty()) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (!names.back().insert(key).second) {
        refused = Problem::bad_request("The body names a member twice in one object (RFC 7493).",
                                       {{key.substr(0, 100), "is a duplicate key"}});
        throw *refused;
      }
    }
    return true;
  };
  try {
    return nlohmann::json::parse(body.begin(), body.end(), check);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is the position; the message names what was expected there.
    throw Problem::bad_request("The body is not valid JSON (at byte " + std::to_string(e.byte) + ").",
                               {{"body", "malformed JSON"}});
  } catch (const nlohmann::json::exception&) {
    // out_of_range: a number beyond what a double holds (1e400). Not echoed back.
    throw Problem::bad_request("The body holds a number outside the range of a double.",
                               {{"body", "number out of range"}});
  }
}

JsonInput JsonInput::parse(std::string_view body) {
  auto j = parse_json_strictly(body, kMaxJsonDepth);
  if (!j.is_object()) {
    throw Problem::bad_request("The body must be a JSON object.", {{"body", "not an object"}});
  }
  return JsonInput(std::move(j), "");
}

JsonInput::JsonInput(nlohmann::json object, std::string prefix)
    : object_(std::move(object)), prefix_(std::move(prefix)) {}

std::string JsonInput::field_name(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

bool JsonInput::has(std::string_view key) const {
  return object_.contains(std::string(key));
}

bool JsonInput::is_null(std::string_view key) const {
  auto it = object_.find(std::string(key));
  return it != object_.end() && it->is_null();
}

void JsonInput::error(std::string_view key, std::string reason) {
  errors_.push_back({field_name(key), std::move(reason)});
}

const nlohmann::json* JsonInput::get(std::string_view key, bool required) {
  known_.emplace(key);
  auto it = object_.find(std::string(key));
  if (it == object_.end() || it->is_null()) {
    if (required) error(key, "is required");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> JsonInput::text(std::string_view key, bool required,
                                           std::size_t max_len, std::size_t min_len) {
  const auto* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    error(key, "must be a string");
    return std::nullopt;
  }
  std::string s = trim(v->get<std::string>());
  if (!is_valid_utf8(s)) {
    error(key, "must be valid UTF-8");
    return std::nullopt;
  }
  if (has_control_chars(s)) {
    error(key, "must not contain control characters");
    return std::nullopt;
  }
  const auto n = utf8_length(s);
  if (n > max_len) {
    error(key, "must be at most " + std::to_string(max_len) + " characters");
    return std::nullopt;
  }
  if (n < min_len || (required && s.empty())) {
    error(key, min_len > 1 ? "must be at least " + std::to_string(min_len) + " characters"
                           : "must not be empty");
    return std::nullopt;
  }
  return s;
}

std::optional<std::int64_t> JsonInput::integer(std::string_view key, bool required,
                                               std::int64_t min, std::int64_t max) {
  const auto* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) {
    error(key, "must be an integer");
    return std::nullopt;
  }
  // An unsigned value above INT64_MAX would wrap in get<int64_t>().
  const bool huge = v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX);
  const auto n = huge ? INT64_MAX : v->get<std::int64_t>();
  if (huge || n < min || n > max) {
    error(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> JsonInput::boolean(std::string_view key, bool required) {
  const auto* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    error(key, "must be true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::vector<std::string>> JsonInput::text_list(std::string_view key, bool required,
                                                             std::size_t max_items,
                                                             std::size_t max_len) {
  const auto* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    error(key, "must be an array of strings");
    return std::nullopt;
  }
  if (v->size() > max_items) {
    error(key, "must have at most " + std::to_string(max_items) + " items");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const auto& item = (*v)[i];
    const std::string name = std::string(key) + "." + std::to_string(i);
    if (!item.is_string()) {
      error(name, "must be a string");
      return std::nullopt;
    }
    auto s = trim(item.get<std::string>());
    if (s.empty() || utf8_length(s) > max_len || !is_valid_utf8(s) || has_control_chars(s)) {
      error(name, "must be a non-empty string of at most " + std::to_string(max_len) +
                      " characters");
      return std::nullopt;
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<std::vector<JsonInput>> JsonInput::object_list(std::string_view key, bool required,
                                                             std::size_t max_items) {
  const auto* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    error(key, "must be an array of objects");
    return std::nullopt;
  }
  if (v->size() > max_items) {
    error(key, "must have at most " + std::to_string(max_items) + " items");
    return std::nullopt;
  }
  std::vector<JsonInput> out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const std::string name = field_name(key) + "." + std::to_string(i);
    if (!(*v)[i].is_object()) {
      errors_.push_back({name, "must be an object"});
      return std::nullopt;
    }
    out.emplace_back((*v)[i], name);
  }
  return out;
}

void JsonInput::absorb(JsonInput& nested) {
  for (auto& e : nested.collect()) errors_.push_back(std::move(e));
}

std::vector<FieldError> JsonInput::collect() {
  for (const auto& [k, _] : object_.items()) {
    if (!known_.contains(k)) error(k, "is not a known field");
  }
  return errors_;
}

void JsonInput::finish() {
  auto errors = collect();
  if (!errors.empty()) throw Problem::invalid(std::move(errors));
}

}  // namespace parley
