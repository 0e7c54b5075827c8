// Package fastops holds training-speed formulations of a few GoMLX ops, each with exactly the
// same forward value as GoMLX's and a gradient written to cost less on GoMLX v0.28.8's Go
// backend. Each was chosen from a profile of the transformer benchmark (bench/README.md):
//
//   - DotGeneral / MatMul: GoMLX's DotGeneral gradient always ends in a Transpose, even an
//     identity one, and the Go backend copies every element of it through a generic iterator
//     (about 20% of a transformer step). Ours orders each gradient's operands so that it
//     comes out in the input's layout and transposes only when no order does.
//   - Gelu: GoMLX's exact GELU runs its fused op forward and, for the gradient, the whole
//     decomposed formula again (a second pass of erf). Ours keeps the fused forward and
//     differentiates it analytically: GELU'(x) = Φ(x) + x·φ(x), with Φ(x) = GELU(x)/x.
//   - Softmax, LogSoftmax: GoMLX's softmax gradient recomputes the decomposed formula, exp
//     included; the Go backend's Exp is math.Exp, which runs about 100× slower after any SIMD
//     kernel on some x86 CPUs (60% of a ViT+Houlsby step). Ours differentiates the fused output analytically,
//     dx = y ⊙ (v − Σ v ⊙ y), so attention, GELU and the LM loss compute no math.Exp (GELU's
//     φ uses Expm1, whose missing gradient this package registers).
//
// The gradients are registered through GoMLX's exported graph.VJPRegistration table, only for
// nodes built by this package (others keep GoMLX's gradient), and they are themselves built
// from differentiable ops, so second-order gradients work. All are checked against central
// finite differences in float64 (fastops_test.go, softmax_test.go, expm1_test.go).
package fastops
