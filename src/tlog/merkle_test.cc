// The tree against RFC 9162's definitions, computed the slow way from the leaves:
// MTH, PATH and PROOF as the RFC writes them (recursion over slices), for every tree
// size up to 1,000, every index and every older size.
#include "tlog/merkle.h"

#include <gtest/gtest.h>

#include <unordered_map>

namespace parley::tlog {
namespace {

std::uint64_t split(std::uint64_t n) {   // largest power of two < n
  std::uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

struct Reference {
  std::vector<Hash> leaves;
  std::unordered_map<std::uint64_t, Hash> memo;   // key b * 4096 + e

  Hash mth(std::uint64_t b, std::uint64_t e) {
    if (e - b == 1) return leaves[b];
    auto it = memo.find(b * 4096 + e);
    if (it != memo.end()) return it->second;
    const auto k = split(e - b);
    return memo[b * 4096 + e] = node_hash(mth(b, b + k), mth(b + k, e));
  }
  std::vector<Hash> path(std::uint64_t m, std::uint64_t b, std::uint64_t e) {
    if (e - b == 1) return {};
    const auto k = split(e - b);
    std::vector<Hash> out;
    if (m < k) {
      out = path(m, b, b + k);
      out.push_back(mth(b + k, e));
    } else {
      out = path(m - k, b + k, e);
      out.push_back(mth(b, b + k));
    }
    return out;
  }
  std::vector<Hash> subproof(std::uint64_t m, std::uint64_t b, std::uint64_t e, bool whole) {
    const auto n = e - b;
    if (m == n) return whole ? std::vector<Hash>{} : std::vector<Hash>{mth(b, e)};
    const auto k = split(n);
    std::vector<Hash> out;
    if (m <= k) {
      out = subproof(m, b, b + k, whole);
      out.push_back(mth(b + k, e));
    } else {
      out = subproof(m - k, b + k, e, false);
      out.push_back(mth(b, b + k));
    }
    return out;
  }
};

// Stores nodes the way the ledger does: each appended leaf and the parents it closes.
struct Stored {
  std::vector<std::vector<Hash>> levels = std::vector<std::vector<Hash>>(12);
  NodeReader reader() {
    return [this](int level, std::uint64_t index) { return levels.at(static_cast<std::size_t>(level)).at(index); };
  }
  void append(std::uint64_t index, const Hash& leaf) {
    for (const auto& [level, h] : append_leaf(reader(), index, leaf)) {
      auto& row = levels.at(static_cast<std::size_t>(level));
      ASSERT_EQ(row.size(), index >> level);   // each node once, in order
      row.push_back(h);
    }
  }
};

TEST(Merkle, HashesFollowRfc9162) {
  EXPECT_EQ(to_hex(empty_root()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // SHA-256(0x00) and SHA-256(0x01 || 0x00*64): the leaf and node prefixes.
  EXPECT_EQ(to_hex(leaf_hash("")), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  Hash zero{};
  EXPECT_EQ(node_hash(zero, zero), sha256(std::string(1, '\x01') + std::string(64, '\0')));
}

TEST(Merkle, RootsAndInclusionProofsForEverySizeUpTo1000) {
  Reference ref;
  Stored stored;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    const auto leaf = leaf_hash("leaf " + std::to_string(i));
    ref.leaves.push_back(leaf);
    stored.append(i, leaf);
    const std::uint64_t size = i + 1;
    const auto r = root(stored.reader(), size);
    ASSERT_EQ(r, ref.mth(0, size)) << "size " << size;
    for (std::uint64_t m = 0; m < size; ++m) {
      const auto proof = inclusion_proof(stored.reader(), m, size);
      ASSERT_EQ(proof, ref.path(m, 0, size)) << "index " << m << " size " << size;
      ASSERT_TRUE(verify_inclusion(ref.leaves[m], m, size, proof, r)) << m << "/" << size;
      if (size > 1 && (m + size) % 11 == 0) {   // the refusals, on a sample
        ASSERT_FALSE(verify_inclusion(ref.leaves[m], (m + 1) % size, size, proof, r)) << m << "/" << size;
        auto bad = proof;
        bad[m % bad.size()][0] ^= 1;
        ASSERT_FALSE(verify_inclusion(ref.leaves[m], m, size, bad, r));
        bad = proof;
        bad.pop_back();
        ASSERT_FALSE(verify_inclusion(ref.leaves[m], m, size, bad, r));
      }
    }
  }
  EXPECT_FALSE(verify_inclusion(ref.leaves[0], 5, 5, {}, ref.leaves[0]));   // index beyond the tree
}

TEST(Merkle, ConsistencyProofsForEveryPairUpTo1000) {
  Reference ref;
  Stored stored;
  std::vector<Hash> roots = {empty_root()};
  for (std::uint64_t i = 0; i < 1000; ++i) {
    const auto leaf = leaf_hash("entry " + std::to_string(i));
    ref.leaves.push_back(leaf);
    stored.append(i, leaf);
    roots.push_back(ref.mth(0, i + 1));
  }
  for (std::uint64_t n = 1; n <= 1000; ++n) {
    for (std::uint64_t m = 0; m <= n; ++m) {
      const auto proof = consistency_proof(stored.reader(), m, n);
      if (m > 0 && m < n) ASSERT_EQ(proof, ref.subproof(m, 0, n, true)) << m << "->" << n;
      else ASSERT_TRUE(proof.empty());
      ASSERT_TRUE(verify_consistency(m, n, roots[m], roots[n], proof)) << m << "->" << n;
      if (m > 0 && m < n && (m + n) % 11 == 0) {   // the refusals, on a sample
        auto bad = proof;
        bad[n % bad.size()][7] ^= 0x80;
        ASSERT_FALSE(verify_consistency(m, n, roots[m], roots[n], bad)) << m << "->" << n;
        ASSERT_FALSE(verify_consistency(m, n, roots[m - 1], roots[n], proof)) << m << "->" << n;
        ASSERT_FALSE(verify_consistency(m, n, roots[m], roots[n - 1], proof)) << m << "->" << n;
      }
    }
  }
  // A rewritten history: same sizes, one leaf changed, is not consistent.
  Stored forged;
  for (std::uint64_t i = 0; i < 600; ++i) forged.append(i, i == 17 ? leaf_hash("forged") : ref.leaves[i]);
  const auto proof = consistency_proof(forged.reader(), 300, 600);
  EXPECT_FALSE(verify_consistency(300, 600, roots[300], root(forged.reader(), 600), proof));
  // The old root with a non-empty proof from 0, or different roots at one size, fail.
  EXPECT_FALSE(verify_consistency(0, 5, roots[0], roots[5], {roots[1]}));
  EXPECT_FALSE(verify_consistency(5, 5, roots[5], roots[4], {}));
  EXPECT_FALSE(verify_consistency(6, 5, roots[6], roots[5], {}));
}

TEST(Merkle, EncodingsRoundTripAndRefuseMalformed) {
  const auto h = leaf_hash("x");
  EXPECT_EQ(hash_from_base64(to_base64(h)), h);
  EXPECT_EQ(hash_from_hex(to_hex(h)), h);
  EXPECT_FALSE(hash_from_base64("AAAA"));
  EXPECT_FALSE(hash_from_base64(std::string(44, '!')));
  EXPECT_FALSE(hash_from_hex(std::string(64, 'g')));
}

}  // namespace
}  // namespace parley::tlog
