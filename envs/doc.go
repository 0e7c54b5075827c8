// Package envs holds peftlab's simulation environments; each lives in its own package
// (threebody: the gravitational three-body problem with selectable integrators).
package envs
