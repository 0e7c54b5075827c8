// Package fit runs GoMLX training loops the way peftlab's notebooks need them: a progress
// bar, the loss history for plotting, a clear error on NaN, and a watchdog that reports a
// step stuck for minutes (the Go backend's parallel executor can deadlock) instead of hanging
// silently.
package fit
