#include "ledger/log_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace parley::ledger {

std::optional<tlog::Signer> load_log_key(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::nullopt;
    throw std::runtime_error("the ledger key " + path + " cannot be read: " + std::strerror(errno));
  }
  if (st.st_mode & (S_IRWXG | S_IRWXO))
    throw std::runtime_error("the ledger key " + path + " is readable by others: chmod 600 it");
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) throw std::runtime_error("the ledger key " + path + " cannot be read");
  try {
    auto key = tlog::Signer::parse(text.str());
    if (key.type() != tlog::kEd25519)
      throw std::runtime_error("the ledger key " + path + " is a witness's key, not a log's");
    return key;
  } catch (const tlog::NoteError& e) {
    throw std::runtime_error("the ledger key " + path + " is malformed: " + e.what());
  }
}

tlog::Signer create_log_key(const std::string& path, const std::string& origin) {
  auto key = tlog::Signer::generate(origin, tlog::kEd25519);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    if (errno == EEXIST) throw std::runtime_error(path + " already exists: Parley never overwrites a ledger key");
    throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
  }
  const auto text = key.private_key() + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    throw std::runtime_error("cannot write " + path);
  }
  return key;
}

}  // namespace parley::ledger
