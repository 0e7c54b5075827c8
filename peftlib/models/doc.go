// Package models holds peftlab's reference backbones, small enough to train on 2 CPU cores
// and built from peft-aware layers (peft.Dense, peft.Sublayer, attention prefixes and
// prompt slots), so every PEFT method applies to them in its exact activation form:
//
//   - MLP;
//   - a pre-norm transformer encoder (GELU, 1/√d_head attention) with a patch front end for
//     images (ViT) and classification heads;
//   - a causal transformer decoder (character level) with greedy and sampled generation;
//   - a small CNN (im2col 3×3 convolutions, GroupNorm), an audio spectrogram transformer
//     (AST) and a conditional denoiser;
//   - BatchNorm with the textbook training gradient (GoMLX v0.28.8's norm.BatchNorm stops
//     it on the Go backend).
//
// Every op these use is checked forward and backward against finite differences in
// float64 (ops_grad_test.go); gradients GoMLX lacks are registered by peftlib/gradfix.
//
// Each has a config struct whose zero value is a sensible tiny model, a parameter count,
// and checkpoints (see Save, Load and Cached) so notebooks can cache pretrained backbones.
package models
