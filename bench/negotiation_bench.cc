// Negotiation benchmark: parse and render a 300-paragraph draft carrying 2,000 proposals
// (nested brackets, several attributions, replacements, bis, alternatives and paragraph
// deletions), against a reference measured in the same run: one pass over the same
// bytes counting brackets (what any reader of the text must at least do).
// Run by bench/negotiation.mjs, which writes the figures to docs/performance.md.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "negotiation/notation.h"
#include "negotiation/states.h"

using namespace parley::negotiation;

namespace {

const std::vector<std::string> kStates = {"AFG", "AZE", "BHR", "BGD", "KHM", "CHN", "EGY", "IND", "IRN", "IRQ",
                                          "ISR", "JOR", "KAZ", "KWT", "KGZ", "MNG", "PAK", "PSE", "QAT", "KOR",
                                          "RUS", "LKA", "TJK", "THA", "TUR", "ARE", "UZB", "VNM"};
const std::vector<std::string> kWords = {"cooperation", "security", "of", "and", "in", "the", "use", "ICTs", "States",
                                         "confidence", "building", "measures", "international", "law", "we", "reaffirm",
                                         "importance", "exchange", "views", "points", "contact", "incidents", "capacity"};

struct Gen {
  unsigned seed = 12345;
  unsigned next() { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff; }
  std::string words(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += (i ? " " : "") + kWords[next() % kWords.size()];
    return s;
  }
  std::vector<Attribution> attrs(int n) {
    std::vector<Attribution> as;
    for (int i = 0; i < n; ++i) as.push_back({next() % 2 ? '+' : '-', kStates[(next() + static_cast<unsigned>(i) * 7) % kStates.size()]});
    return as;
  }
};

Node bracket(std::vector<Node> children, std::vector<Attribution> as) {
  Node n;
  n.bracket = true;
  n.children = std::move(children);
  n.attributions = std::move(as);
  return n;
}

// 20 preambular and 280 operative paragraphs; proposals spread over them until 2,000.
Text draft() {
  Gen g;
  Text t;
  t.symbol = "BENCH/2026/DRAFT/1/Rev.4";
  t.distribution = "Member States only";
  t.date = "23 November 2026";
  t.title = "Benchmark statement";
  t.chapeau = "DECLARE THE FOLLOWING:";
  int proposals = 0;
  for (int i = 0; i < 300; ++i) {
    Paragraph p;
    p.id = "p" + std::to_string(i + 1);
    p.part = i < 20 ? Part::kPreamble : Part::kOperative;
    if (p.part == Part::kOperative && i % 25 == 3) {   // a whole paragraph proposed (bis), an alternative, a deletion
      p.bracketed = true;
      p.attributions = g.attrs(1 + static_cast<int>(g.next() % 3));
      p.attributions[0].sign = '+';
      ++proposals;
    } else if (p.part == Part::kOperative && i % 25 == 11) {
      p.bracketed = true;
      p.alternative = true;
      p.attributions = g.attrs(2);
      p.attributions[0].sign = '+';
      ++proposals;
    }
    p.content.push_back(Node::run(g.words(12) + " "));
    t.paragraphs.push_back(std::move(p));
  }
  // Spans: deletions and insertions with 1-4 attributions, nested pairs, replacements.
  for (std::size_t k = 0; proposals < 2000; ++k) {
    auto& p = t.paragraphs[k % t.paragraphs.size()];
    const unsigned kind = g.next() % 4;
    if (kind == 0) {
      p.content.push_back(bracket({Node::run(g.words(6))}, g.attrs(1 + static_cast<int>(g.next() % 4))));
      proposals += 1;
    } else if (kind == 1 && proposals <= 1998) {
      p.content.push_back(bracket({Node::run(g.words(4) + " "), bracket({Node::run(g.words(3))}, g.attrs(1)), Node::run(" " + g.words(2))},
                                  g.attrs(2)));
      proposals += 2;
    } else if (kind == 2) {
      auto who = g.attrs(1)[0];
      p.content.push_back(bracket({Node::run(g.words(3))}, {{'-', who.state}}));
      p.content.push_back(Node::run(" "));
      p.content.push_back(bracket({Node::run(g.words(3))}, {{'+', who.state}}));
      proposals += 1;
    } else {
      auto as = g.attrs(1 + static_cast<int>(g.next() % 2));
      as[0].sign = '+';
      p.content.push_back(bracket({Node::run(g.words(5))}, as));
      proposals += 1;
    }
    p.content.push_back(Node::run(" " + g.words(8) + (k % 3 ? " " : ", ")));
  }
  for (auto& p : t.paragraphs) {
    auto& last = p.content.back();
    if (!last.bracket) {
      while (!last.text.empty() && (last.text.back() == ' ' || last.text.back() == ',')) last.text.pop_back();
      last.text += p.part == Part::kPreamble ? "," : ".";
    }
  }
  return t;
}

const Text& the_draft() {
  static const Text t = draft();
  return t;
}
const std::string& the_text() {
  static const std::string s = render_compilation(the_draft());
  return s;
}
const StateCheck kKnown = [](std::string_view c) { return is_iso3166_alpha3(c); };

void BM_Parse(benchmark::State& state) {
  for (auto _ : state) {
    auto r = parse_compilation(the_text(), kKnown);
    benchmark::DoNotOptimize(r.text.paragraphs.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * the_text().size()));
}

void BM_Render(benchmark::State& state) {
  for (auto _ : state) {
    auto s = render_compilation(the_draft());
    benchmark::DoNotOptimize(s.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * the_text().size()));
}

void BM_RenderClean(benchmark::State& state) {
  for (auto _ : state) {
    auto s = render_clean(the_draft());
    benchmark::DoNotOptimize(s.data());
  }
}

// The reference: one pass over the same bytes, counting the brackets.
void BM_ScanReference(benchmark::State& state) {
  for (auto _ : state) {
    const auto& s = the_text();
    auto n = std::count(s.begin(), s.end(), '[');
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * the_text().size()));
}

BENCHMARK(BM_Parse)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_Render)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_RenderClean)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_ScanReference)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);

}  // namespace

int main(int argc, char** argv) {
  // The draft is what it claims to be, and survives the round trip, or nothing is measured.
  const auto ps = proposals(the_draft());
  const auto r = parse_compilation(the_text(), kKnown);
  if (ps.size() != 2000 || the_draft().paragraphs.size() != 300 || !r.ok() || !r.text.same_as(the_draft()) ||
      render_compilation(r.text) != the_text()) {
    std::fprintf(stderr, "benchmark draft is wrong: %zu proposals, %zu paragraphs, parse ok %d, round trip %d\n",
                 ps.size(), the_draft().paragraphs.size(), r.ok() ? 1 : 0, r.text.same_as(the_draft()) ? 1 : 0);
    if (!r.ok()) std::fprintf(stderr, "%d:%d %s\n", r.errors[0].line, r.errors[0].column, r.errors[0].message.c_str());
    return 1;
  }
  std::fprintf(stderr, "draft: %zu paragraphs, %zu proposals, %zu bytes, %d brackets\n", the_draft().paragraphs.size(),
               ps.size(), the_text().size(), count_brackets(the_draft()).total);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
