// Debian's headless Chromium driven over the Chrome DevTools protocol on a pipe
// (--remote-debugging-pipe: commands on the child's fd 3, answers and events on its fd 4, each
// a JSON text ended by NUL). One browser for a whole test: starting Chromium costs seconds on a
// busy machine, a navigation costs milliseconds.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

namespace riskoff::test {

class Browser {
 public:
  // Starts `chromium` headless with a fresh profile in `profile_folder` and opens one tab.
  // Throws std::runtime_error when it does not start or answer within 60 s.
  Browser(const std::string& chromium, const std::string& profile_folder);
  ~Browser();
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  // Opens `url` in the tab and waits until the page says it is done (`<body data-state>` is
  // "ready" or "error"); returns that state.
  std::string open(const std::string& url);
  // Runs `expression` in the page; its value (awaited when it is a promise).
  nlohmann::json evaluate(const std::string& expression);
  // Clicks what `selector` finds (a real click event, as a user's) and waits as open() does.
  std::string click(const std::string& selector);
  // Presses `key` ("Enter", "ArrowRight", "ArrowLeft", "Home", "End") on what has the focus, as a
  // keyboard does (trusted key events, so Enter on a link follows it).
  void press(const std::string& key);
  // Presses Enter and waits as open() does, for a key that opens another view.
  std::string press_enter();
  // The page as it is now: document.documentElement.outerHTML.
  std::string dom();
  // A PNG of the viewport, written to `path`.
  void screenshot(const std::string& path);

 private:
  nlohmann::json call(const std::string& method, const nlohmann::json& params, bool in_tab = true);
  std::string wait_until_settled();

  pid_t pid_ = -1;
  int to_browser_ = -1;
  int from_browser_ = -1;
  int next_id_ = 1;
  std::string session_;
  std::string buffer_;  // bytes read after the last whole message
  std::chrono::seconds timeout_{30};
};

}  // namespace riskoff::test
