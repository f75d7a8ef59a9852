// A streaming JSON writer with the layout of nlohmann's dump(1, ' '): one value per line, one
// space of indent per level, "[]" and "{}" when empty; except that a container begun flat takes
// one line, items parted by ", " (a plan's entries: a plan of a million buffers was 250 MB with
// one value per line, 186 MB with one buffer per line). For plans of a million buffers, where
// building a DOM first costs more than the solve.
#pragma once

#include <concepts>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace arenaplan::json_writer {

class Writer {
 public:
  explicit Writer(std::ostream& out) : out_(out) { text_.reserve(kFlushAt + 4096); }
  ~Writer() { flush(); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void begin_object() { open('{', false); }
  void end_object() { close('}'); }
  void begin_array() { open('[', false); }
  void end_array() { close(']'); }
  // On one line, with everything inside it.
  void begin_flat_object() { open('{', true); }

  // The key of the next value in an object.
  void key(std::string_view name) {
    next_item();
    string_text(name);
    text_ += ": ";
    after_key_ = true;
  }

  // key(name) and value(v) in one.
  template <typename T>
  void field(std::string_view name, const T& v) {
    key(name);
    value(v);
  }

  void value(std::string_view s) {
    next_item();
    string_text(s);
  }
  void value(const char* s) { value(std::string_view(s)); }
  void value(const std::string& s) { value(std::string_view(s)); }
  template <std::integral T>
  requires(!std::same_as<T, bool>) void value(T v) {
    next_item();
    fmt::format_int digits(v);
    text_.append(digits.data(), digits.size());
  }
  void value(bool v) {
    next_item();
    text_ += v ? "true" : "false";
  }
  void value(double v) {
    next_item();
    text_ += nlohmann::json(v).dump();  // nlohmann's shortest round-trip form ("0.0", "1e-05")
  }
  void null() {
    next_item();
    text_ += "null";
  }

  void flush() {
    out_.write(text_.data(), static_cast<std::streamsize>(text_.size()));
    text_.clear();
  }

 private:
  static constexpr std::size_t kFlushAt = std::size_t{1} << 20;

  struct Level {
    bool has_items = false;
    bool flat = false;  // on one line
  };

  void open(char bracket, bool flat) {
    next_item();
    text_ += bracket;
    levels_.push_back({false, flat || (!levels_.empty() && levels_.back().flat)});
  }

  void close(char bracket) {
    const Level level = levels_.back();
    levels_.pop_back();
    if (level.has_items && !level.flat) newline();
    text_ += bracket;
    if (text_.size() >= kFlushAt) flush();
  }

  // Before a value: the separator and indent of an array item or object key (not after a key).
  void next_item() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (levels_.empty()) return;
    Level& level = levels_.back();
    if (level.flat) {
      if (level.has_items) text_ += ", ";
      level.has_items = true;
      return;
    }
    if (level.has_items) text_ += ',';
    level.has_items = true;
    newline();
  }

  void newline() {
    text_ += '\n';
    text_.append(levels_.size(), ' ');
  }

  // Plain printable ASCII is copied; anything else goes through nlohmann, which escapes it and
  // turns invalid UTF-8 into U+FFFD (names come from models and may be any bytes).
  void string_text(std::string_view s) {
    for (const char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') {
        text_ += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
      }
    }
    text_ += '"';
    text_ += s;
    text_ += '"';
  }

  std::ostream& out_;
  std::string text_;
  std::vector<Level> levels_;  // the open containers
  bool after_key_ = false;
};

}  // namespace arenaplan::json_writer
