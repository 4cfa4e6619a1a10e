// Ctrl-C (SIGINT) and SIGTERM during a training run. fit() is synchronous, and Node runs a
// JavaScript signal handler only when its event loop turns, which a training loop never lets it
// do: so this handler only records the signal, and the CLI asks once per batch whether one came
// (src/cli/stop-signals.ts). A second signal before the first was handled goes to the handler that
// was there before (Node's: it resets the terminal's modes and ends the process), so a hung step
// can still be interrupted; the cursor the progress bar hid is shown first.
#include <node_api.h>
#include <csignal>
#if !defined(_WIN32)
#include <unistd.h>
#endif

#include "kernels.h"

namespace minima {

static volatile sig_atomic_t pendingSignal = 0;

#if !defined(_WIN32)
static const int kStopSignals[] = {SIGINT, SIGTERM};
static struct sigaction previousActions[2];
static bool installed = false;

static void restorePrevious(int sig) {
  for (int i = 0; i < 2; i++) {
    if (kStopSignals[i] == sig) sigaction(sig, &previousActions[i], nullptr);
  }
}

static void onStopSignal(int sig) {
  if (pendingSignal != 0) {
    // The progress bar hid the cursor and turned line wrapping off; show and turn them on again
    // (write and isatty are async-signal-safe; the escapes are harmless where nothing was hidden).
    static const char kRestoreTerminal[] = "\x1b[?25h\x1b[?7h";
    if (isatty(2)) (void)!write(2, kRestoreTerminal, sizeof(kRestoreTerminal) - 1);
    restorePrevious(sig);
    raise(sig);  // blocked until this handler returns, then delivered to the previous handler
    return;
  }
  pendingSignal = sig;
}
#endif

// installStopSignals(): true when SIGINT and SIGTERM now only set the pending signal (false on Windows).
napi_value InstallStopSignals(napi_env env, napi_callback_info) {
  bool ok = false;
#if !defined(_WIN32)
  if (!installed) {
    pendingSignal = 0;
    for (int i = 0; i < 2; i++) {
      struct sigaction action = {};
      action.sa_handler = onStopSignal;
      sigemptyset(&action.sa_mask);
      action.sa_flags = SA_RESTART;  // a write or read in progress continues instead of failing with EINTR
      sigaction(kStopSignals[i], &action, &previousActions[i]);
    }
    installed = true;
  }
  ok = true;
#endif
  napi_value result;
  napi_get_boolean(env, ok, &result);
  return result;
}

// removeStopSignals(): puts back the handlers that were there before installStopSignals.
napi_value RemoveStopSignals(napi_env env, napi_callback_info) {
#if !defined(_WIN32)
  if (installed) {
    for (int i = 0; i < 2; i++) sigaction(kStopSignals[i], &previousActions[i], nullptr);
    installed = false;
  }
#endif
  napi_value result;
  napi_get_undefined(env, &result);
  return result;
}

// pendingStopSignal(): the number of the signal received since installStopSignals, or 0.
napi_value PendingStopSignal(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_int32(env, pendingSignal, &result);
  return result;
}

}  // namespace minima
