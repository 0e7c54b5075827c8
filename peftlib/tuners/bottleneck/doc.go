// Package bottleneck implements bottleneck adapters: a down-projection to a small size b, a
// non-linearity and an up-projection, added to a transformer sub-layer (attention or MLP
// block) of a peft-aware model (peftlib/models):
//
//	sequential (Houlsby et al. 2019, arXiv 1902.00751; Pfeiffer et al. 2020, arXiv 2005.00247):
//	    y' = y + s·up(act(down(LN?(y))))       (residual inside the adapter; off: y' = s·up(...))
//	parallel (He et al. 2021, arXiv 2110.04366):
//	    y' = y + s·up(act(down(LN?(x))))       (residual on: y' also adds the sub-layer input x)
//
// where x is the sub-layer's input and y its output. Houlsby places adapters after the
// attention and the MLP blocks, Pfeiffer after the MLP only. The default initialisation
// (down Kaiming-uniform, up zero) makes a new sequential or parallel adapter an exact
// identity; InitBERT draws both from N(0, 0.02) as LLM-Adapters' code does.
//
// Files: adapter_config.json with peft_type "BOTTLENECK" (LLM-Adapters' name) and
// adapter_model.safetensors with base_model.model.<sub-layer>.adapter_down.weight [b, d],
// .adapter_down.bias [b], .adapter_up.weight [d, b], .adapter_up.bias [d] (PyTorch layouts)
// and, with LayerNorm, .adapter_norm.weight / .bias [d].
package bottleneck
