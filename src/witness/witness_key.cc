#include "witness/witness_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace parley::witness {

tlog::Signer load_witness_key(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw std::runtime_error(std::string("the witness key ").append(path).append(" cannot be read: ")
                                 .append(std::strerror(errno)).append(" (create it with `parley witness init`)"));
  if (st.st_mode & (S_IRWXG | S_IRWXO))
    throw std::runtime_error(std::string("the witness key ").append(path).append(" is readable by others: chmod 600 it"));
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) throw std::runtime_error(std::string("the witness key ").append(path).append(" cannot be read"));
  try {
    auto key = tlog::Signer::parse(text.str());
    if (key.type() != tlog::kCosignatureV1)
      throw std::runtime_error(std::string("the key ").append(path).append(" is not a witness's (cosignature/v1) key"));
    return key;
  } catch (const tlog::NoteError& e) {
    throw std::runtime_error(std::string("the witness key ").append(path).append(" is malformed: ").append(e.what()));
  }
}

tlog::Signer create_witness_key(const std::string& path, const std::string& name) {
  if (!tlog::valid_key_name(name))
    throw std::runtime_error("the witness name must be a signed-note key name (no spaces, no '+')");
  auto key = tlog::Signer::generate(name, tlog::kCosignatureV1);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    if (errno == EEXIST) throw std::runtime_error(path + " already exists: a witness key is never overwritten");
    throw std::runtime_error(std::string("cannot create ").append(path).append(": ").append(std::strerror(errno)));
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

}  // namespace parley::witness
