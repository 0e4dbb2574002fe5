#include "app/config.h"

#include <toml++/toml.h>

#include <filesystem>
#include <stdexcept>

#include "storage/open.h"

namespace parley::app {

namespace {
template <class T>
void take(const toml::table& t, std::string_view path, T& out) {
  auto node = t.at_path(path);
  if (!node) return;
  if (auto v = node.value<T>()) {
    out = *v;
  } else {
    throw std::runtime_error("config: " + std::string(path) + " has the wrong type");
  }
}
}  // namespace

void Config::load_toml(const std::string& path) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw std::runtime_error("config " + path + ": " + std::string(e.description()) + " at line " +
                             std::to_string(e.source().begin.line));
  }
  static const std::vector<std::string> kSections = {"server", "database", "auth", "mail", "hotline", "directory", "ledger"};
  for (const auto& [k, _] : t)
    if (std::find(kSections.begin(), kSections.end(), std::string(k.str())) == kSections.end())
      throw std::runtime_error("config " + path + ": unknown section [" + std::string(k.str()) + "]");
  take(t, "server.listen", listen);
  take(t, "server.threads", server.threads);
  take(t, "server.workers", server.workers);
  take(t, "server.web_root", server.web_root);
  std::int64_t v = 0;
  v = static_cast<std::int64_t>(server.limits.body_bytes);
  take(t, "server.limits.body_bytes", v);
  server.limits.body_bytes = static_cast<std::size_t>(v);
  v = static_cast<std::int64_t>(server.limits.upload_bytes);
  take(t, "server.limits.upload_bytes", v);
  server.limits.upload_bytes = static_cast<std::size_t>(v);
  take(t, "server.limits.upload_seconds", server.limits.upload_seconds);
  v = static_cast<std::int64_t>(server.limits.header_bytes);
  take(t, "server.limits.header_bytes", v);
  server.limits.header_bytes = static_cast<std::size_t>(v);
  take(t, "server.limits.idle_seconds", server.limits.idle_seconds);
  take(t, "server.limits.request_seconds", server.limits.request_seconds);
  take(t, "database.url", db_url);
  take(t, "database.data_dir", data_dir);
  take(t, "server.limits.uploads_per_user", server.limits.uploads_per_user);
  take(t, "server.limits.uploads_total", server.limits.uploads_total);
  if (auto proxies = t.at_path("server.trusted_proxies")) {
    const auto* list = proxies.as_array();
    if (!list) throw std::runtime_error("config " + path + ": server.trusted_proxies must be a list of addresses");
    server.trusted_proxies.clear();
    for (const auto& p : *list) {
      auto v = p.value<std::string>();
      if (!v) throw std::runtime_error("config " + path + ": server.trusted_proxies must be a list of addresses");
      server.trusted_proxies.push_back(*v);
    }
  }
  take(t, "auth.recent_sign_in_seconds", auth.recent_sign_in_seconds);
  take(t, "auth.key_file", auth.key_file);
  take(t, "auth.session_hours", auth.session_hours);
  take(t, "auth.cookie_secure", auth.cookie_secure);
  take(t, "directory.iso_codes", iso_codes);
  take(t, "ledger.key_file", ledger_key_file);
  take(t, "auth.invitation_hours", auth.invitation_hours);
  if (auth.invitation_hours < 1 || auth.invitation_hours > 24 * 90)
    throw std::runtime_error("config " + path + ": auth.invitation_hours must be 1..2160");
  take(t, "mail.smtp_url", mail.smtp_url);
  take(t, "mail.username", mail.username);
  take(t, "mail.password", mail.password);
  take(t, "mail.from", mail.from);
  take(t, "mail.public_url", mail.public_url);
  v = static_cast<std::int64_t>(hotline.max_attachment_bytes);
  take(t, "hotline.max_attachment_bytes", v);
  if (v < 1 || v > 64 * 1024 * 1024) throw std::runtime_error("config " + path + ": hotline.max_attachment_bytes must be 1..67108864");
  hotline.max_attachment_bytes = static_cast<std::size_t>(v);
}

void Config::resolve_listen() {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("--listen must be HOST:PORT, got '" + listen + "'");
  server.host = listen.substr(0, colon);
  if (server.host.size() > 2 && server.host.front() == '[') server.host = server.host.substr(1, server.host.size() - 2);
  const auto port = listen.substr(colon + 1);
  if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535)
    throw std::invalid_argument("--listen has a bad port: '" + port + "'");
  server.port = static_cast<std::uint16_t>(std::stoul(port));
  if (server.threads < 1 || server.threads > 256) throw std::invalid_argument("threads must be 1..256");
  if (server.workers < 1 || server.workers > 256) throw std::invalid_argument("workers must be 1..256");
}

std::string Config::resolved_data_dir() const {
  if (!data_dir.empty()) return data_dir;
  const std::string path = storage::sqlite_path(db_url).value_or("");
  if (path.empty() || path == ":memory:")
    throw std::invalid_argument("set [database] data_dir: Parley keeps its key file and upload spool there");
  const auto dir = std::filesystem::absolute(path).parent_path();
  return dir.string();
}

std::string Config::resolved_ledger_key() const {
  return ledger_key_file.empty() ? resolved_data_dir() + "/ledger.key" : ledger_key_file;
}

std::string default_web_root() {
  if (std::filesystem::exists("web/dist/index.html")) return "web/dist";
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (auto dir = exe.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
      if (std::filesystem::exists(dir / "web/dist/index.html")) return (dir / "web/dist").string();
    }
  }
  return "web/dist";
}

}  // namespace parley::app
