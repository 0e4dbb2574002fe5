#include "http/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

namespace parley::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("parley-static-" + std::to_string(std::random_device{}()));
  void SetUp() override {
    fs::create_directories(dir / "web" / "assets");
    write(dir / "web" / "index.html", "<!doctype html>console");
    write(dir / "web" / "assets" / "app.js", "console.log(1)");
    write(dir / "secret.db", "SQLite format 3");   // beside the root, as var/parley.db is
    fs::create_symlink(dir / "secret.db", dir / "web" / "link.db");
  }
  void TearDown() override { fs::remove_all(dir); }
  static void write(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }
};

TEST_F(StaticFilesTest, ServesTheIndexedFilesWithTypesAndCaching) {
  StaticFiles files((dir / "web").string());
  EXPECT_EQ(files.size(), 2u);   // the symbolic link is not followed
  auto js = files.serve("/assets/app.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  auto spa = files.serve("/hotline/42");   // the console's own route: index.html
  EXPECT_EQ(spa.body, "<!doctype html>console");
  EXPECT_EQ(files.serve("/missing.js").status, 404);
}

// Each of these once read a file outside the root: an absolute path replaced the root.
TEST_F(StaticFilesTest, NoRequestPathReachesAFileOutsideTheIndex) {
  StaticFiles files((dir / "web").string());
  const std::string secret = (dir / "secret.db").string();
  for (const std::string& path : std::vector<std::string>{"/" + secret, "//etc/passwd", "/../secret.db", "/assets/../../secret.db",
                                  "//proc/self/environ", "/link.db", "/" + secret + "-wal", "/./index.html",
                                  std::string("/assets/app.js\0x", 17)}) {
    const auto r = files.serve(path);
    EXPECT_TRUE(r.status == 404 || r.body == "<!doctype html>console") << path << " -> " << r.status;
    EXPECT_EQ(r.body.find("SQLite"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << path;
  }
}

TEST_F(StaticFilesTest, FilesAddedAfterStartAreNotServed) {
  StaticFiles files((dir / "web").string());
  write(dir / "web" / "later.txt", "new");
  EXPECT_EQ(files.serve("/later.txt").status, 404);
  EXPECT_EQ(files.size(), 2u);
}

TEST_F(StaticFilesTest, AMissingRootSaysTheConsoleIsNotBuilt) {
  StaticFiles files((dir / "nowhere").string());
  EXPECT_EQ(files.serve("/").status, 503);
}

}  // namespace
}  // namespace parley::http
