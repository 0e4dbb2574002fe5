// StixValidator: checks one STIX 2.1 object (its JSON text) against the rules of the
// specification that the OASIS JSON schemas encode — common properties, identifier
// and timestamp formats, each SDO/SRO/SCO type's required properties and value
// ranges, references — plus Parley's own rule that every object carries exactly one
// TLP 2.0 marking. Errors name the property and the rule; all are collected.
// Objects may reference objects not (yet) known: references are checked for form only.
//
// Thread-safety: a StixValidator holds a reusable parser; use one per thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/tlp.h"

namespace parley::exchange {

struct StixError {
  std::string property;   // "pattern", "object_marking_refs.0", "" for the object itself
  std::string rule;       // what was wrong, in words
};

// What storage and access need from a valid object.
struct StixObjectInfo {
  std::string type;
  std::string id;
  std::string spec_version;   // "2.1" (SCOs may omit it: "2.1" is assumed)
  std::string created;        // as sent, or ""
  std::string modified;       // as sent, or ""
  std::string version;        // TAXII version: modified, else created, else "" (date added)
  std::string version_key;    // `version` normalised for ordering (nanoseconds), or ""
  std::optional<Tlp> tlp;
  std::string name;           // name, value or pattern: for search and listing
};

struct StixCheck {
  StixObjectInfo info;
  std::vector<StixError> errors;
  bool ok() const { return errors.empty(); }
};

class StixValidator {
 public:
  StixValidator();
  ~StixValidator();
  StixValidator(const StixValidator&) = delete;
  StixValidator& operator=(const StixValidator&) = delete;

  // `json` is one object's text. Requires a TLP 2.0 marking unless the object is one of
  // the standard TLP marking definitions.
  StixCheck check(std::string_view json);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What matching needs of an indicator's JSON text; nullopt when it is not an
// indicator (or not JSON). Thread-safe (a parser per thread).
struct IndicatorFields {
  std::string id, name, pattern, pattern_type;
  bool revoked = false;
};
std::optional<IndicatorFields> indicator_fields(std::string_view json);

// A STIX timestamp ("2016-04-06T20:03:48.123Z") as a fixed-width key that orders
// correctly whatever the precision sent ("…48Z" < "…48.1Z"); nullopt if malformed.
std::optional<std::string> timestamp_key(std::string_view ts);
bool is_stix_identifier(std::string_view id);

}  // namespace parley::exchange
