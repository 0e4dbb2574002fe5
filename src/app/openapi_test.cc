#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/application.h"
#include "testing/temp_db.h"

namespace parley::app {
namespace {

// Fails when a route exists that the OpenAPI document does not describe, or when the
// document describes a route that does not exist.
TEST(OpenApi, DocumentsEveryRouteAndNothingElse) {
  testing::TempDb t;
  Config config;
  config.db_url = t.url();
  config.data_dir = t.dir();
  Application app(config);
  const auto doc = nlohmann::json::parse(openapi_document());
  EXPECT_EQ(doc["openapi"], "3.1.0");
  const auto& paths = doc["paths"];
  std::set<std::string> routes;
  for (const auto& r : app.router().routes()) {
    std::string method = r.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    routes.insert(method + " " + r.pattern);
    ASSERT_TRUE(paths.contains(r.pattern)) << "undocumented path: " << r.pattern;
    EXPECT_TRUE(paths[r.pattern].contains(method)) << "undocumented method: " << r.method << " " << r.pattern;
  }
  routes.insert("get /api/v1/stream");   // served by the WebSocket upgrade, not the router
  for (const auto& [path, ops] : paths.items())
    for (const auto& [method, _] : ops.items())
      EXPECT_TRUE(routes.contains(method + " " + path)) << "documented but not served: " << method << " " << path;
}

}  // namespace
}  // namespace parley::app
