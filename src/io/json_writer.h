// A streaming JSON writer with exactly the layout of nlohmann's dump(1, ' '): one value per line,
// one space of indent per level, "[]" and "{}" when empty. For plans of a million buffers, where
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

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

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

  void open(char bracket) {
    next_item();
    text_ += bracket;
    has_items_.push_back(false);
  }

  void close(char bracket) {
    const bool had_items = has_items_.back();
    has_items_.pop_back();
    if (had_items) newline();
    text_ += bracket;
    if (text_.size() >= kFlushAt) flush();
  }

  // Before a value: the separator and indent of an array item or object key (not after a key).
  void next_item() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (has_items_.empty()) return;
    if (has_items_.back()) text_ += ',';
    has_items_.back() = true;
    text_ += '\n';
    text_.append(has_items_.size(), ' ');
  }

  void newline() {
    text_ += '\n';
    text_.append(has_items_.size(), ' ');
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
  std::vector<bool> has_items_;  // per open container: has it an item yet
  bool after_key_ = false;
};

}  // namespace arenaplan::json_writer
