package nb

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/peftlab/peftlab/peftlib/backend"
)

// Start prints the first output of every notebook (backend, device, build settings and run
// scale) and returns the backend to use. It panics with a clear message if no backend can
// be created.
func Start(slug string) compute.Backend {
	b := backend.MustNew()
	fmt.Printf("peftlab notebook %q · scale %s (%s=smoke for a seconds-long check)\n", slug, CurrentScale(), ScaleEnv)
	fmt.Println(backend.Describe(b))
	return b
}

// Backend returns the backend Start chose, without printing: for the later cells of a
// notebook (each GoNB cell runs as a new process).
func Backend() compute.Backend { return backend.MustNew() }
