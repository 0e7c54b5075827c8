package datasets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// MissingPackageError says which Debian package provides a missing data file.
type MissingPackageError struct {
	Path    string // the file that was not found
	Package string // the Debian package that installs it
}

func (e *MissingPackageError) Error() string {
	return fmt.Sprintf("datasets: %s not found; it comes with the Debian package %s: "+
		"run `sudo apt-get install -y --no-install-recommends %s` (or `make setup`)", e.Path, e.Package, e.Package)
}

// openPackaged opens a file shipped by a Debian package, turning "not found" into a
// MissingPackageError.
func openPackaged(path, pkg string) (*os.File, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &MissingPackageError{Path: path, Package: pkg}
	}
	if err != nil {
		return nil, fmt.Errorf("datasets: %w", err)
	}
	return f, nil
}
