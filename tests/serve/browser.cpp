#include "tests/serve/browser.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

extern char** environ;

namespace riskoff::test {
namespace {

std::string decode_base64(const std::string& text) {
  std::string out;
  unsigned int bits = 0;
  int count = 0;
  for (const char c : text) {
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    else if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    else if (c >= '0' && c <= '9') value = c - '0' + 52;
    else if (c == '+') value = 62;
    else if (c == '/') value = 63;
    if (value < 0) continue;  // '=' padding
    bits = (bits << 6U) | static_cast<unsigned int>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> static_cast<unsigned int>(count)) & 0xFFU));
    }
  }
  return out;
}

}  // namespace

Browser::Browser(const std::string& chromium, const std::string& profile_folder) {
  int commands[2];   // we write [1], the browser reads [0] as its fd 3
  int answers[2];    // the browser writes [1] as its fd 4, we read [0]
  if (pipe(commands) != 0 || pipe(answers) != 0) throw std::runtime_error("cannot make the pipes for chromium");
  std::vector<std::string> argv_text{chromium, "--headless", "--remote-debugging-pipe", "--disable-gpu",
                                     "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                     "--hide-scrollbars", "--window-size=1200,1400", "--user-data-dir=" + profile_folder};
  // Chromium refuses to run as root with its sandbox on; tests in containers run as root. The
  // sandbox protects a user from hostile web pages, and this browser opens only our own page.
  if (geteuid() == 0) argv_text.emplace_back("--no-sandbox");
  argv_text.emplace_back("about:blank");
  std::vector<char*> argv;
  for (auto& argument : argv_text) argv.push_back(argument.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  // Chromium's stderr is noise here (D-Bus is absent in a container).
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, (profile_folder + ".log").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, commands[0], 3);
  posix_spawn_file_actions_adddup2(&actions, answers[1], 4);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setpgroup(&attributes, 0);  // its own group: the destructor ends all its processes
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  const int spawned = posix_spawn(&pid_, argv[0], &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(commands[0]);
  close(answers[1]);
  to_browser_ = commands[1];
  from_browser_ = answers[0];
  fcntl(to_browser_, F_SETFD, FD_CLOEXEC);
  fcntl(from_browser_, F_SETFD, FD_CLOEXEC);
  if (spawned != 0) throw std::runtime_error("cannot start " + chromium);
  timeout_ = std::chrono::seconds(60);  // the first answer waits for the start
  const auto target = call("Target.createTarget", {{"url", "about:blank"}}, false);
  timeout_ = std::chrono::seconds(30);
  const auto attached = call("Target.attachToTarget", {{"targetId", target.at("targetId")}, {"flatten", true}}, false);
  session_ = attached.at("sessionId").get<std::string>();
  call("Emulation.setDeviceMetricsOverride", {{"width", 1200}, {"height", 1400}, {"deviceScaleFactor", 1}, {"mobile", false}});
}

Browser::~Browser() {
  if (to_browser_ >= 0) close(to_browser_);  // a closed pipe asks Chromium to quit
  if (from_browser_ >= 0) close(from_browser_);
  if (pid_ <= 0) return;
  for (int wait = 0; wait < 40; ++wait) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      kill(-pid_, SIGKILL);  // helpers it left behind
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(-pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

nlohmann::json Browser::call(const std::string& method, const nlohmann::json& params, bool in_tab) {
  const int id = next_id_++;
  nlohmann::json message{{"id", id}, {"method", method}, {"params", params}};
  if (in_tab) message["sessionId"] = session_;
  const std::string text = message.dump() + '\0';
  for (std::size_t sent = 0; sent < text.size();) {
    const ssize_t wrote = write(to_browser_, text.data() + sent, text.size() - sent);
    if (wrote <= 0) throw std::runtime_error("chromium closed its pipe (" + method + ")");
    sent += static_cast<std::size_t>(wrote);
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (;;) {
    for (auto end = buffer_.find('\0'); end != std::string::npos; end = buffer_.find('\0')) {
      const auto answer = nlohmann::json::parse(buffer_.substr(0, end), nullptr, false);
      buffer_.erase(0, end + 1);
      if (!answer.is_object() || answer.value("id", 0) != id) continue;  // an event, or an older answer
      if (answer.contains("error")) throw std::runtime_error(method + ": " + answer["error"].dump());
      return answer.value("result", nlohmann::json::object());
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw std::runtime_error("chromium did not answer " + method + " in time");
    pollfd readable{from_browser_, POLLIN, 0};
    if (poll(&readable, 1, static_cast<int>(left.count())) <= 0) continue;
    char chunk[65536];
    const ssize_t got = read(from_browser_, chunk, sizeof chunk);
    if (got <= 0) throw std::runtime_error("chromium exited (waiting for " + method + ")");
    buffer_.append(chunk, static_cast<std::size_t>(got));
  }
}

nlohmann::json Browser::evaluate(const std::string& expression) {
  const auto result = call("Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}});
  if (result.contains("exceptionDetails")) throw std::runtime_error("page: " + result["exceptionDetails"].dump());
  return result.at("result").value("value", nlohmann::json());
}

std::string Browser::wait_until_settled() {
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  while (std::chrono::steady_clock::now() < deadline) {
    nlohmann::json state;
    try {
      state = evaluate("document.readyState === 'complete' && document.body ? document.body.dataset.state : ''");
    } catch (const std::runtime_error& error) {
      // While a click's navigation replaces the page, Chromium answers an evaluation with "Inspected
      // target navigated or closed" or "Cannot find context": the new page is not there yet.
      if (std::string_view(error.what()).find("\"code\":-32000") == std::string_view::npos) throw;
    }
    if (state.is_string() && (state == "ready" || state == "error")) return state.get<std::string>();
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  throw std::runtime_error("the page did not finish rendering in time:\n" + dom());
}

std::string Browser::open(const std::string& url) {
  call("Page.navigate", {{"url", url}});
  return wait_until_settled();
}

std::string Browser::click(const std::string& selector) {
  // The old page's state must not pass for the new one's: mark it first. The click runs after this
  // evaluation has answered, so a link that navigates cannot take the answer with the old page.
  evaluate("document.body.dataset.state = 'left'");
  const auto clicked = evaluate("(() => { const node = document.querySelector(" + nlohmann::json(selector).dump() +
                                "); if (!node) return false; setTimeout(() => node.click(), 0); return true; })()");
  if (clicked != true) throw std::runtime_error("nothing to click at `" + selector + "`:\n" + dom());
  return wait_until_settled();
}

void Browser::press(const std::string& key) {
  static const std::map<std::string, int> kKeyCodes = {{"Enter", 13}, {"End", 35}, {"Home", 36}, {"ArrowLeft", 37},
                                                       {"ArrowUp", 38}, {"ArrowRight", 39}, {"ArrowDown", 40}};
  nlohmann::json event{{"key", key}, {"code", key}, {"windowsVirtualKeyCode", kKeyCodes.at(key)}};
  event["type"] = "keyDown";
  if (key == "Enter") event["text"] = "\r";
  call("Input.dispatchKeyEvent", event);
  event.erase("text");
  event["type"] = "keyUp";
  call("Input.dispatchKeyEvent", event);
}

std::string Browser::press_enter() {
  evaluate("document.body.dataset.state = 'left'");
  press("Enter");
  return wait_until_settled();
}

std::string Browser::dom() { return evaluate("document.documentElement.outerHTML").get<std::string>(); }

void Browser::screenshot(const std::string& path) {
  const auto shot = call("Page.captureScreenshot", {{"format", "png"}});
  std::ofstream out(path, std::ios::binary);
  out << decode_base64(shot.at("data").get<std::string>());
}

}  // namespace riskoff::test
