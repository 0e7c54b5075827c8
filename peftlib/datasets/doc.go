// Package datasets gives every notebook its data in one line, offline: real data read from
// Debian packages (Fashion-MNIST, scikit-learn's bundled tables) and data generated in Go.
//
// A missing Debian package is reported with the `apt-get install` line that fixes it.
// Splits are deterministic functions of a seed.
package datasets
