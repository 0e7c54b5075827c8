// Package backend chooses the GoMLX compute backend for peftlab, in one place.
//
// The rule (see New): $GOMLX_BACKEND wins when set; otherwise XLA is used when peftlab was built
// with the "xla" build tag and a PJRT plugin is installed locally; otherwise GoMLX's pure-Go
// backend runs in the executor mode that never hung in our measurements ("go:ops_sequential").
// Nothing here downloads anything: installing the XLA plugin is the explicit `make setup-xla`.
//
// Tests use ForTests, which always returns the deterministic Go backend, because GoMLX's own
// test helpers try to install XLA over the network.
package backend
