// RFC 9162 section 2.1 Merkle trees: leaf and node hashes, tree heads, inclusion and
// consistency proofs, and their verification. The tree is read through a NodeReader that
// returns stored hashes of *complete* subtrees (2^level leaves starting at a multiple of
// 2^level), so that any root or proof costs O(log n) look-ups whatever the tree's size.
// Pure functions; thread-safe. Used by the ledger (storage/journal.cc writes the nodes,
// ledger/ serves proofs), the witness and `parley verify`.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::tlog {

using Hash = std::array<std::uint8_t, 32>;

Hash sha256(std::string_view data);
Hash leaf_hash(std::string_view data);                  // SHA-256(0x00 || data)
Hash node_hash(const Hash& left, const Hash& right);    // SHA-256(0x01 || left || right)
Hash empty_root();                                      // SHA-256("")
std::string to_base64(const Hash& h);
std::optional<Hash> hash_from_base64(std::string_view text);   // nullopt unless 32 bytes
std::string to_hex(const Hash& h);
std::optional<Hash> hash_from_hex(std::string_view text);

// The hash of the complete subtree of 2^level leaves starting at leaf index << level.
// Throws if it is not stored (the caller asked beyond the tree).
using NodeReader = std::function<Hash(int level, std::uint64_t index)>;

// MTH(D[begin:end]) for a range that the RFC's recursion produces (begin a multiple of
// the largest power of two below end - begin); end > begin.
Hash subtree_hash(const NodeReader& nodes, std::uint64_t begin, std::uint64_t end);
Hash root(const NodeReader& nodes, std::uint64_t size);   // empty_root() for size 0
// PATH(index, D[0:size]); index < size.
std::vector<Hash> inclusion_proof(const NodeReader& nodes, std::uint64_t index, std::uint64_t size);
// PROOF(from, D[0:to]); 0 <= from <= to. Empty when from is 0 or from == to.
std::vector<Hash> consistency_proof(const NodeReader& nodes, std::uint64_t from, std::uint64_t to);

// RFC 9162 2.1.3.2. False on any mismatch, index >= size, or a proof of the wrong length.
bool verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size, const std::vector<Hash>& proof,
                      const Hash& root);
// RFC 9162 2.1.4.2, extended as the witness protocol needs: from == 0 accepts only an
// empty proof; from == to needs equal roots and an empty proof.
bool verify_consistency(std::uint64_t from, std::uint64_t to, const Hash& from_root, const Hash& to_root,
                        const std::vector<Hash>& proof);

// The nodes that appending leaf `index` completes, after the leaf itself: for each level
// L >= 1 where the leaf closes a subtree, (L, index >> L). The caller stores
// node_hash(left, right) of the two children, which it reads through `nodes`.
// Returns the stored hashes in order (level 0 first).
std::vector<std::pair<int, Hash>> append_leaf(const NodeReader& nodes, std::uint64_t index, const Hash& leaf);

}  // namespace parley::tlog
