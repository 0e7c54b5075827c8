// Package peft is the core shared by every PEFT method in peftlab: choosing the weights to
// adapt (targets), attaching named adapters to a GoMLX model, freezing and parameter
// accounting, merging, and adapter files in Hugging Face PEFT's layout.
//
// GoMLX layers are functions that read variables by scope path, not module objects, so
// methods are injected in two complementary ways while the graph is built:
//
//   - at the weight level, for any GoMLX layer: the target variable's graph value W is
//     replaced by W' (e.g. W + ΔW for LoRA) for the duration of the model function and
//     restored afterwards, so the stored base weights never change;
//   - at the activation level, for peft-aware layers (Dense, Sublayer, ... in this package,
//     used by peftlib/models): the layer asks the injection for hooks, e.g. LoRA's
//     y += s·dropout(x)·A·B, or a bottleneck adapter after a sub-layer. When a peft-aware
//     layer consumes a weight, the weight-level value is unused and GoMLX drops it.
//
// Methods (packages under peftlib/tuners) and their trainable parameters on the reference
// ViT of the quickstart (d=64, 2 layers, 105,098 parameters; checked by TestMethodTableCounts):
//
//	lora        W + (α/r)·A·B on dense/embedding weights     4,096 (q,v; r=8)  19,336 (all-linear)  merges
//	lora.AddWeighted  Σ wᵢ·ΔWᵢ of several LoRAs as one LoRA                                          merges
//	bottleneck  series y+s·up(act(down(y))) / parallel (x)   1,160 (MLP)  2,320 (Houlsby)
//	prefix      L keys/values prepended in every attention   2,560 (L=10)
//	prompt      P input tokens (Deep: at every layer)        640 / 1,280 (P=10)
//	ia3         rescales keys, values, MLP hidden            768                                 merges
//	selective   BitFit 1,546 · LinearProbe 650 · Full 105,098 (zero-initialised deltas)          merges
//
// A typical session:
//
//	pm := peft.New(backend, store)                      // store holds the (pre)trained base
//	err := pm.AddAdapter("default", lora.Config{R: 8, Targets: peft.Modules("query", "value")})
//	pm.PrintTrainableParameters()
//	trainer := train.NewTrainer(backend, store, peft.Wrap(pm, baseModel), lossFn, opt, nil, nil)
//	... train ...
//	err = pm.SaveAdapter(dir, "default")                // adapter_config.json + adapter_model.safetensors
package peft
