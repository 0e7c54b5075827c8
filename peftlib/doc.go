// Package peftlib is peftlab's parameter-efficient fine-tuning library on GoMLX.
//
// The library is split by concept, as Hugging Face PEFT keeps tuners/<method>/:
//
//   - peft: the core (targets, named adapters, injection, freezing, merge, adapter files).
//   - tuners/<method>: one package per PEFT method (lora, ...).
//   - models: reference backbones built from peft-aware layers.
//   - backend: which GoMLX backend runs (pure Go by default, XLA when installed).
//   - fastops, gradfix: products and GELU with cheaper gradients; gradients GoMLX lacks.
//   - datasets: offline data from Debian packages and Go generators.
//   - fit: training loops with progress, NaN checks and a watchdog; method comparisons.
//   - nb: notebook helpers (scale, tables, figures, progress bars).
//   - backbones: pretrained reference backbones shared by notebooks.
//   - results: the experiment-results database.
//   - rl/dqn: a DQN agent.
//
// See the README for the notebooks that reproduce the papers with it.
package peftlib
