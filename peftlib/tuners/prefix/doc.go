// Package prefix implements prefix tuning (Li & Liang 2021, arXiv 2101.00190): L learned key
// and value vectors per attention layer, prepended to the projected keys and values, so
// every query can attend to them:
//
//	head = softmax(q·[P_k; K]ᵀ/√d_h)·[P_v; V]
//
// Optionally the prefixes are reparameterised through an MLP (embedding [L, d] → Linear →
// tanh → Linear to layers·2·d), which the paper found stabilises training.
//
// Files follow Hugging Face PEFT: prompt_embeddings [L, layers·2·d], column
// (layer·2 + k/v)·d + j. With the projection, the MLP's weights are saved instead, under
// prompt_encoder.embedding.weight and prompt_encoder.transform.{0,2}.{weight,bias}.
package prefix
