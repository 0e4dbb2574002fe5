#include "exchange/tlp.h"

#include "common/text.h"

namespace parley::exchange {

// From FIRST's TLP 2.0 STIX marking definitions (../shared/interop/tlp2).
const TlpMarking kTlpMarkings[5] = {
    {Tlp::kClear, "TLP:CLEAR", "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
     "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\",\"id\":\"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487\",\"created\":\"2022-10-01T00:00:00.000Z\",\"name\":\"TLP:CLEAR\",\"extensions\":{\"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d\":{\"extension_type\":\"property-extension\",\"tlp_2_0\":\"clear\"}}}"},
    {Tlp::kGreen, "TLP:GREEN", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
     "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\",\"id\":\"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb\",\"created\":\"2022-10-01T00:00:00.000Z\",\"name\":\"TLP:GREEN\",\"extensions\":{\"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d\":{\"extension_type\":\"property-extension\",\"tlp_2_0\":\"green\"}}}"},
    {Tlp::kAmber, "TLP:AMBER", "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
     "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\",\"id\":\"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421\",\"created\":\"2022-10-01T00:00:00.000Z\",\"name\":\"TLP:AMBER\",\"extensions\":{\"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d\":{\"extension_type\":\"property-extension\",\"tlp_2_0\":\"amber\"}}}"},
    {Tlp::kAmberStrict, "TLP:AMBER+STRICT", "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
     "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\",\"id\":\"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003\",\"created\":\"2022-10-01T00:00:00.000Z\",\"name\":\"TLP:AMBER+STRICT\",\"extensions\":{\"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d\":{\"extension_type\":\"property-extension\",\"tlp_2_0\":\"amber+strict\"}}}"},
    {Tlp::kRed, "TLP:RED", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
     "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\",\"id\":\"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1\",\"created\":\"2022-10-01T00:00:00.000Z\",\"name\":\"TLP:RED\",\"extensions\":{\"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d\":{\"extension_type\":\"property-extension\",\"tlp_2_0\":\"red\"}}}"},
};

const TlpMarking& marking_of(Tlp t) { return kTlpMarkings[static_cast<int>(t)]; }

std::optional<Tlp> tlp_from_marking_id(std::string_view id) {
  for (const auto& m : kTlpMarkings)
    if (m.marking_id == id) return m.tlp;
  return std::nullopt;
}

std::optional<Tlp> tlp_from_label(std::string_view label) {
  const auto upper = to_upper(std::string(label));
  for (const auto& m : kTlpMarkings)
    if (m.label == upper) return m.tlp;
  return std::nullopt;
}

bool is_tlp1_marking_id(std::string_view id) {
  return id == "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9" ||   // white
         id == "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da" ||   // green
         id == "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82" ||   // amber
         id == "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";     // red
}

}  // namespace parley::exchange
