// Parses XML with libxml2 and finds elements: the SVG tests check the document is well formed
// and read back every rectangle.
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace arenaplan::test {

struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;  // concatenated text content
};

// Every element of a well-formed document, in document order; empty optional-like flag when the
// document is not well formed.
struct XmlDocument {
  bool well_formed = false;
  std::string error;
  std::vector<XmlElement> elements;
};

inline XmlDocument parse_xml(const std::string& text) {
  XmlDocument out;
  xmlDocPtr doc = xmlReadMemory(text.data(), static_cast<int>(text.size()), "map.svg", "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE);
  if (doc == nullptr) {
    const xmlError* e = xmlGetLastError();
    out.error = e != nullptr && e->message != nullptr ? e->message : "not well formed";
    return out;
  }
  out.well_formed = true;
  std::function<void(xmlNodePtr)> walk = [&](xmlNodePtr node) {
    for (xmlNodePtr n = node; n != nullptr; n = n->next) {
      if (n->type != XML_ELEMENT_NODE) continue;
      XmlElement e;
      e.name = reinterpret_cast<const char*>(n->name);
      for (xmlAttrPtr a = n->properties; a != nullptr; a = a->next) {
        xmlChar* value = xmlNodeListGetString(doc, a->children, 1);
        e.attributes[reinterpret_cast<const char*>(a->name)] =
            value != nullptr ? reinterpret_cast<const char*>(value) : "";
        xmlFree(value);
      }
      xmlChar* content = xmlNodeGetContent(n);
      if (content != nullptr) e.text = reinterpret_cast<const char*>(content);
      xmlFree(content);
      out.elements.push_back(std::move(e));
      walk(n->children);
    }
  };
  walk(xmlDocGetRootElement(doc));
  xmlFreeDoc(doc);
  return out;
}

}  // namespace arenaplan::test
