// PolicyStore: the SQL of each forum's hotline policy (hotline_policies; the policy
// itself is hotline/model.h's Policy, stored as JSON text), over a Connection the caller
// holds inside its transaction. Static functions: thread-safe as the Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.h"

namespace parley::hotline {

class PolicyStore {
 public:
  using C = storage::Connection;

  static std::optional<std::string> get(C& c, const std::string& forum);   // nullopt: never set
  static void set(C& c, const std::string& forum, const std::string& policy, std::int64_t at, const std::string& by);
};

}  // namespace parley::hotline
