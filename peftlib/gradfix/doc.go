// Package gradfix registers, through GoMLX's exported graph.VJPRegistration table, the
// gradients that GoMLX v0.28.8 lacks for ops peftlab uses. Importing it (peftlib/models
// does) is enough; a gradient that GoMLX itself defines is never replaced, so newer GoMLX
// versions keep theirs.
//
// Registered: Rsqrt (d x^(-1/2)/dx = -½·x^(-3/2)).
//
// Checked against central finite differences in float64 (rsqrt_test.go, and the op
// coverage test in peftlib/models).
package gradfix
