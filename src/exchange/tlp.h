// TLP 2.0 (FIRST) as STIX 2.1 marks it: the five standard marking-definition objects
// (their ids and verbatim JSON, as published with the TLP 2.0 extension) and the
// labels Parley stores. TLP 1.0's TLP:WHITE marking is recognised only to be refused
// with a pointer to TLP:CLEAR. Constants and pure functions: thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace parley::exchange {

enum class Tlp { kClear = 0, kGreen = 1, kAmber = 2, kAmberStrict = 3, kRed = 4 };

struct TlpMarking {
  Tlp tlp;
  std::string_view label;        // "TLP:AMBER+STRICT"
  std::string_view marking_id;   // "marking-definition--939a9414-…"
  std::string_view json;         // the standard marking-definition object, minified
};

// The five TLP 2.0 markings, least restrictive first.
extern const TlpMarking kTlpMarkings[5];

const TlpMarking& marking_of(Tlp t);
std::optional<Tlp> tlp_from_marking_id(std::string_view marking_id);
std::optional<Tlp> tlp_from_label(std::string_view label);   // "TLP:AMBER" (case-insensitive)
// The TLP 1.0 marking-definition ids (white, green, amber, red), refused with a hint.
bool is_tlp1_marking_id(std::string_view marking_id);

}  // namespace parley::exchange
