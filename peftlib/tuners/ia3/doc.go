// Package ia3 implements (IA)³, "infused adapter by inhibiting and amplifying inner
// activations" (Liu et al. 2022, arXiv 2205.05638): learned vectors that rescale the keys,
// the values and the MLP's hidden activations.
//
// For a dense layer y = x·W + b it learns l, initialised to ones (an exact identity):
//
//	attention targets (key, value):  y' = (x·W + b) ⊙ l       ⇔  W' = W·diag(l), b' = b ⊙ l
//	feed-forward targets (down):     y' = (x ⊙ l)·W + b       ⇔  W' = diag(l)·W
//
// so (IA)³ is a weight transform: it works on any GoMLX dense layer and merges exactly
// (unmerging divides by l). Files follow Hugging Face PEFT: base_model.model.<module>.ia3_l
// of shape [out, 1] (attention targets) or [1, in] (feed-forward targets).
package ia3
