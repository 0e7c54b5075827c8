// Package peftlib is peftlab's parameter-efficient fine-tuning library on GoMLX.
//
// The library is split by concept, as Hugging Face PEFT keeps tuners/<method>/:
//
//   - backend: which GoMLX backend runs (pure Go by default, XLA when installed).
//   - datasets: offline data from Debian packages and Go generators.
//   - fit: training loops with progress, NaN checks and a watchdog.
//   - nb: notebook helpers (scale, tables, figures, progress bars).
//
// See the README for the notebooks that reproduce the papers with it.
package peftlib
