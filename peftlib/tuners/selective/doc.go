// Package selective holds the baselines that train a subset of the base model's own
// parameters, under the same API as the other methods so every comparison table is built
// the same way:
//
//   - BitFit: only the biases (Ben Zaken, Ravfogel & Goldberg 2022, arXiv 2106.10199);
//   - LinearProbe: only the output head;
//   - Full: every parameter (full fine-tuning).
//
// Each trains a delta Δv (zero at the start) added to the selected variables v while the
// graph is built. With Adam and SGD this is the same training as updating v itself
// (their updates do not depend on the parameter's value, weight decay aside), but the base
// stays intact: several such adapters share one backbone, can be switched off, saved alone
// (base_model.model.<variable path>.delta) and merged (v + Δv).
package selective
