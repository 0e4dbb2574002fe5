#include "app/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace parley::app {
namespace {

std::string write_temp(const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("parley-config-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << text;
  return path.string();
}

TEST(Config, ReadsTomlAndSplitsListen) {
  Config c;
  c.load_toml(write_temp(
      "[server]\nlisten = \"0.0.0.0:9000\"\nthreads = 4\n[server.limits]\nbody_bytes = 2048\n"
      "[database]\nurl = \"sqlite:/tmp/x.db\"\n[auth]\ncookie_secure = true\n"));
  c.resolve_listen();
  EXPECT_EQ(c.server.host, "0.0.0.0");
  EXPECT_EQ(c.server.port, 9000);
  EXPECT_EQ(c.server.threads, 4);
  EXPECT_EQ(c.server.limits.body_bytes, 2048u);
  EXPECT_EQ(c.db_url, "sqlite:/tmp/x.db");
  EXPECT_TRUE(c.auth.cookie_secure);
}

TEST(Config, TheExampleFileIsValid) {
  Config c;
  c.load_toml(std::string(PARLEY_SOURCE_DIR) + "/parley.example.toml");
  c.resolve_listen();
  EXPECT_EQ(c.server.port, 8080);
}

TEST(Config, RefusesUnknownSectionsWrongTypesAndBadListen) {
  Config c;
  EXPECT_THROW(c.load_toml(write_temp("[servr]\nlisten = \"x\"\n")), std::runtime_error);
  EXPECT_THROW(c.load_toml(write_temp("[server]\nthreads = \"many\"\n")), std::runtime_error);
  EXPECT_THROW(c.load_toml(write_temp("[server\n")), std::runtime_error);
  c.listen = "localhost";
  EXPECT_THROW(c.resolve_listen(), std::invalid_argument);
  c.listen = "127.0.0.1:99999";
  EXPECT_THROW(c.resolve_listen(), std::invalid_argument);
}

}  // namespace
}  // namespace parley::app
