// Runs headless Chromium on a local page: the DOM after the page's scripts ran, or a screenshot.
// Tests skip (with a message) when Chromium is not installed.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "map_test_util.h"

namespace arenaplan::test {

inline std::string chromium_binary() {
  for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"})
    if (std::filesystem::exists(candidate)) return candidate;
  return {};
}

// Runs chromium with a fresh profile in `dir`, extra arguments, on file://`page`; stdout goes to
// `out`. Returns the exit status.
inline int run_chromium(const TempDir& dir, const std::string& page, const std::string& args, const std::string& out) {
  const std::string command =
      "timeout 120 " + chromium_binary() +
      " --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
      " --disable-component-update --disable-sync --disable-quic --disable-dev-shm-usage --hide-scrollbars"
      " --user-data-dir=" +
      dir.file("profile") + " " + args + " file://" + page + " >" + out + " 2>" + dir.file("chromium.log");
  const int raw = std::system(command.c_str());
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : 128;
}

inline std::string chromium_dom(const TempDir& dir, const std::string& page) {
  const std::string out = dir.file("dom.html");
  if (run_chromium(dir, page, "--virtual-time-budget=10000 --dump-dom", out) != 0) return {};
  return slurp(out);
}

inline bool chromium_screenshot(const TempDir& dir, const std::string& page, const std::string& png, int width,
                                int height) {
  return run_chromium(dir, page,
                      "--window-size=" + std::to_string(width) + "," + std::to_string(height) + " --screenshot=" + png,
                      dir.file("screenshot.log")) == 0 &&
         std::filesystem::exists(png);
}

}  // namespace arenaplan::test
