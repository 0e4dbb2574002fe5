// HTML text: libxml2's HTML parser (recovering from broken markup, never loading
// anything), its tree walked without recursion. See library/extract.h.
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include <array>
#include <cctype>
#include <climits>
#include <cstring>
#include <memory>
#include <string>

#include "library/extract.h"
#include "library/text_sink.h"

namespace parley::library {

namespace {

bool named(const xmlNode* n, const char* name) {
  return n->name && std::strcmp(reinterpret_cast<const char*>(n->name), name) == 0;
}

// Elements whose content is not text a reader sees.
bool skipped(const xmlNode* n) {
  static constexpr std::array kSkipped{"script", "style", "noscript", "template", "head", "svg", "math", "iframe",
                                       "object", "embed", "canvas", "select"};
  for (const char* s : kSkipped)
    if (named(n, s)) return true;
  return false;
}

// Elements that start and end a line of their own.
bool block(const xmlNode* n) {
  static constexpr std::array kBlocks{"p",      "div",    "br",      "li",         "tr",      "td",     "th",
                                      "h1",     "h2",     "h3",      "h4",         "h5",      "h6",     "section",
                                      "article", "header", "footer", "blockquote", "pre",     "table",  "ul",
                                      "ol",     "dl",     "dt",      "dd",         "hr",      "title",  "nav",
                                      "aside",  "main",   "figure",  "figcaption", "address", "caption", "form"};
  for (const char* s : kBlocks)
    if (named(n, s)) return true;
  return false;
}

// Whether the page's head says its charset (<meta charset=...> or http-equiv).
bool declares_charset(std::string_view bytes) {
  const auto head = bytes.substr(0, 4096);
  for (std::size_t at = 0; at + 7 <= head.size(); ++at) {
    bool match = true;
    for (std::size_t k = 0; k < 7 && match; ++k)
      match = std::tolower(static_cast<unsigned char>(head[at + k])) == "charset"[k];
    if (match) return true;
  }
  return false;
}

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct CtxtFree {
  void operator()(htmlParserCtxt* c) const { htmlFreeParserCtxt(c); }
};

}  // namespace

Extracted extract_html(std::string_view bytes, const ExtractLimits& limits) {
  Extracted out;
  // The page is parsed into a tree (some 80 bytes of memory a byte of markup): bounded.
  if (bytes.size() > limits.max_markup || bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    out.flag = ExtractFlag::kTooLarge;
    out.detail = "the page is larger than " + std::to_string(limits.max_markup) + " bytes";
    return out;
  }
  if (crowded_tag(bytes, limits.max_attributes)) {
    out.flag = ExtractFlag::kTooLarge;
    out.detail = "the page has a tag with more than " + std::to_string(limits.max_attributes) + " attributes";
    return out;
  }
  // No encoding given: the page's own <meta charset> (or UTF-8) decides; what comes out
  // is UTF-8. (htmlReadMemory's steps, keeping the context to ask it how parsing ended.)
  std::unique_ptr<htmlParserCtxt, CtxtFree> ctxt(htmlCreateMemoryParserCtxt(bytes.data(), static_cast<int>(bytes.size())));
  if (!ctxt) {
    out.flag = ExtractFlag::kCorrupt;
    out.detail = "libxml2 could not read the page";
    return out;
  }
  htmlCtxtUseOptions(ctxt.get(), HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                     HTML_PARSE_NODEFDTD);
  // A page that names no charset is read as UTF-8 (libxml2 would guess Latin-1 at its
  // first non-ASCII byte); one that names its charset is read in it.
  if (!declares_charset(bytes)) xmlSwitchEncoding(ctxt.get(), XML_CHAR_ENCODING_UTF8);
  htmlParseDocument(ctxt.get());
  std::unique_ptr<xmlDoc, DocFree> doc(ctxt->myDoc);
  ctxt->myDoc = nullptr;
  // The parser stops where the page nests deeper than it reads (256 levels): what
  // follows is missing.
  const bool halted = ctxt->disableSAX != 0;
  xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (!root) {
    out.flag = ExtractFlag::kCorrupt;
    out.detail = "the page has no content libxml2 could read";
    return out;
  }
  TextSink sink(limits.max_text);
  int pre = 0;   // inside <pre>: white space kept as written
  // Depth-first, entering each node once and leaving it once, without recursion (a
  // hostile page nests deeply).
  xmlNode* n = root;
  while (n && !sink.full()) {
    bool descend = false;
    if (n->type == XML_ELEMENT_NODE) {
      if (!skipped(n)) {
        if (block(n)) sink.end_line();
        if (named(n, "pre")) ++pre;
        descend = n->children != nullptr;
      }
    } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
      const auto* text = reinterpret_cast<const char*>(n->content);
      if (pre) sink.append(text);
      else sink.append_collapsed(text);
    }
    if (descend) {
      n = n->children;
      continue;
    }
    // Leave this node (and every parent whose last child it was).
    for (;;) {
      if (n->type == XML_ELEMENT_NODE && !skipped(n)) {
        if (named(n, "pre")) --pre;
        if (block(n)) sink.end_line();
      }
      if (n == root) {
        n = nullptr;
        break;
      }
      if (n->next) {
        n = n->next;
        break;
      }
      n = n->parent;
    }
  }
  if (sink.truncated()) {
    out.flag = ExtractFlag::kTruncated;
    out.detail = "the text is longer than " + std::to_string(limits.max_text) + " bytes";
  } else if (halted) {
    out.flag = ExtractFlag::kTruncated;
    out.detail = "the page nests elements deeper than 256 levels; the text after that point is missing";
  }
  out.pages.push_back(sink.take());
  return out;
}

}  // namespace parley::library
