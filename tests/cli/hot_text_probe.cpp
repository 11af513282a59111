// Two functions for cli.hot_text: `cold_first` comes first in this file, so the linker puts it
// first unless the list it is given (hot_text_probe.ld) names `hot_second`, as
// riskoff_link_hot_first (cmake/HotText.cmake) links riskoff's start-up code.
extern "C" __attribute__((noinline)) int cold_first(int value) { return value * 3 + 1; }
extern "C" __attribute__((noinline)) int hot_second(int value) { return value * 5 + 2; }

int main(int argc, char**) { return cold_first(argc) + hot_second(argc) == 13 ? 0 : 1; }
