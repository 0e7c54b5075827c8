// Package lora implements LoRA, low-rank adaptation (Hu et al. 2021, arXiv 2106.09685),
// with rsLoRA scaling (Kalajdzievski 2023, arXiv 2312.03732):
//
//	W' = W + s·A·B,  A: [in, r], B: [r, out],  s = alpha/r (rsLoRA: alpha/√r)
//
// A starts Kaiming-uniform (Gaussian 1/r as an option) and B at zero, so a new adapter
// leaves the model unchanged. On plain GoMLX layers LoRA is injected at the weight level; on
// peft-aware layers (peft.Dense) it runs as y + s·dropout(x)·A·B, the only form in which
// input dropout applies. Embedding tables get the same update on their [vocab, dim] table.
//
// Files follow Hugging Face PEFT: tensors base_model.model.<module>.lora_A.weight [r, in]
// and .lora_B.weight [out, r] (the transposes of GoMLX's A and B); embeddings use
// lora_embedding_A [r, vocab] and lora_embedding_B [dim, r].
package lora
