// Package prompt implements prompt tuning (Lester et al. 2021, arXiv 2104.08691): P learned
// token embeddings inserted into the input sequence of a frozen transformer; and, with
// Deep, VPT-deep (Jia et al. 2022, arXiv 2203.12119): new prompts at the input of every
// layer, replacing the previous layer's prompt outputs.
//
// Prompts go into the peft-aware prompt slots of peftlib/models' transformer stacks, after
// the tokens the model keeps first (a ViT's CLS token), and are removed from its output.
// Files follow Hugging Face PEFT: prompt_embeddings [P, d] (deep: [layers·P, d], peftlab's
// extension, with "peftlab_deep": true in the config).
package prompt
