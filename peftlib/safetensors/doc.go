// Package safetensors reads and writes the safetensors file format
// (https://github.com/huggingface/safetensors): an 8-byte little-endian header length, a JSON
// header naming each tensor's dtype, shape and byte range, then the raw little-endian data.
//
// It is the on-disk format of Hugging Face PEFT adapters (adapter_model.safetensors). The
// GoMLX ecosystem's reader (go-huggingface) cannot write, so this small, fuzzed
// implementation does both. Reading validates everything: a truncated file, a malformed
// header, overlapping or out-of-range data, or a shape that does not match its byte count
// is an error, never a panic.
package safetensors
