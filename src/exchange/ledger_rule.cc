#include "exchange/ledger_rule.h"

#include <nlohmann/json.hpp>

#include "exchange/access.h"
#include "exchange/exchange_store.h"
#include "exchange/tlp.h"

namespace parley::exchange {

bool may_read_collection_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  constexpr std::string_view kPrefix = "collection:";
  if (e.object.compare(0, kPrefix.size(), kPrefix) != 0) return false;
  const auto col = store::collection(c, e.object.substr(kPrefix.size()));
  if (!col) return false;
  const auto rights = rights_in(who, *col, store::in_scope(c, *col, who.state));
  if (e.action == "exchange.collection.create" || e.action == "exchange.import") return rights.read || rights.write;
  if (e.action != "exchange.objects.add" && e.action != "exchange.objects.delete") return false;
  if (!rights.read && !(who.user_id != 0 && e.actor == who.actor())) return false;
  nlohmann::json change;
  try {
    change = nlohmann::json::parse(e.change);
  } catch (const std::exception&) {
    return false;
  }
  const bool producer = who.user_id != 0 && e.actor == who.actor();
  const bool producer_state = !who.state.empty() && change.value("producer_state", nlohmann::json()).is_string() &&
                              change["producer_state"].get<std::string>() == who.state;
  const auto sees_label = [&](const nlohmann::json& label) {
    if (!label.is_string()) return false;
    const auto t = tlp_from_label(label.get<std::string>());
    if (!t) return false;
    return producer || rights.sees(*t) || (producer_state && *t != Tlp::kRed);
  };
  std::vector<nlohmann::json> labels;
  if (e.action == "exchange.objects.add" && change.contains("tlp")) {
    labels.push_back(change["tlp"]);   // one label per entry
  } else if (e.action == "exchange.objects.delete" && change.contains("tlps") && change["tlps"].is_array()) {
    for (const auto& t : change["tlps"]) labels.push_back(t);
  } else {
    for (const auto& m : kTlpMarkings) labels.emplace_back(std::string(m.label));   // older entries: every label
  }
  for (const auto& l : labels)
    if (!sees_label(l)) return false;
  return true;
}

}  // namespace parley::exchange
