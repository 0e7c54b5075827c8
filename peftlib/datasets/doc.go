// Package datasets gives every notebook its data in one line, offline: real data read from
// Debian packages and data generated in Go, all reproducible from a seed.
//
//   - Images: Fashion-MNIST, scikit-learn's digits (and its iris, wine and breast-cancer
//     tables); glyphs rendered from the installed fonts (Latin/Greek/Cyrillic, font-disjoint
//     splits) and an Omniglot-like set over Unicode scripts; procedural VTAB-like tasks.
//   - Audio (as 64-band log-mel spectrograms): espeak-ng keywords, spoken commands and
//     spoken languages with speaker-disjoint splits and sonic-pi background noise;
//     General-MIDI instrument notes rendered with fluidsynth.
//   - Text: math word problems in six families with chain-of-thought targets, a pretraining
//     corpus, a word-level tokenizer, and synthetic languages for cross-lingual transfer.
//
// A missing Debian package is reported with the `apt-get install` line that fixes it.
// Generated sets can be cached on disk with Cached (keyed by generator version, parameters
// and seed; corrupt or partial files are rebuilt).
package datasets
