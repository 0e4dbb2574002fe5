#include "witness/state_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tlog/merkle.h"

namespace parley::witness {

namespace {
void fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw std::runtime_error("cannot fsync " + path + ": " + std::strerror(errno));
}
}  // namespace

StateStore::StateStore(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) throw std::runtime_error("cannot create the witness state directory " + dir_ + ": " + ec.message());
  ::chmod(dir_.c_str(), 0700);
}

std::string StateStore::file_name(const std::string& origin) { return tlog::to_hex(tlog::sha256(origin)); }

std::optional<std::string> StateStore::load(const std::string& origin) const {
  const auto path = dir_ + "/" + file_name(origin);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT || !std::filesystem::exists(path)) return std::nullopt;
    throw std::runtime_error("cannot read " + path);
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void StateStore::save(const std::string& origin, const std::string& note) {
  const auto path = dir_ + "/" + file_name(origin);
  const auto tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + tmp + ": " + std::strerror(errno));
  const bool ok = ::write(fd, note.data(), note.size()) == static_cast<ssize_t>(note.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    throw std::runtime_error("cannot write " + tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw std::runtime_error("cannot rename " + tmp + ": " + std::strerror(errno));
  }
  fsync_path(dir_, O_RDONLY | O_DIRECTORY);
}

}  // namespace parley::witness
