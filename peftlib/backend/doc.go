// Package backend chooses the GoMLX compute backend for peftlab, in one place.
//
// The rule (see New): $GOMLX_BACKEND wins when set; otherwise XLA is used when peftlab was built
// with the "xla" build tag and a PJRT plugin is installed locally; otherwise GoMLX's pure-Go
// backend runs its parallel executor on an unbounded pool ("go:parallelism=-1"). Every Go
// configuration, asked for or not, goes through SafeExecutor, which keeps GoMLX v0.28.8's
// executor out of the combination that deadlocks (parallel ops on a bounded pool).
// Nothing here downloads anything: installing the XLA plugin is the explicit `make setup-xla`.
//
// Tests use ForTests, which always returns the deterministic Go backend, because GoMLX's own
// test helpers try to install XLA over the network.
package backend
