package nb

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
)

// InNotebook reports whether the code runs inside a GoNB kernel.
func InNotebook() bool { return gonbui.IsNotebook }

// display sends one display message to GoNB and waits until GoNB has received it. GoNB runs
// each cell as a program and stops reading its display pipe when the program exits, so without
// the wait a cell's last table or figure is sometimes lost (seen once in a full run:
// llm_adapters_analysis' last table). gonbui.Sync is GoNB's own way to flush.
func display(send func()) {
	send()
	gonbui.Sync()
}

// ModulePath is the Go module path whose checkout RepoRoot looks for.
const ModulePath = "github.com/peftlab/peftlab"

// RepoRoot returns the root of the peftlab checkout: $PEFTLAB_ROOT if set, else the first
// folder, walking up from GoNB's notebook folder ($GONB_DIR) or the working directory, whose
// go.mod declares ModulePath.
func RepoRoot() (string, error) {
	if root := os.Getenv("PEFTLAB_ROOT"); root != "" {
		return root, nil
	}
	starts := []string{os.Getenv("GONB_DIR")}
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	for _, dir := range starts {
		for dir != "" {
			if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
				strings.Contains(string(data), "module "+ModulePath+"\n") {
				return dir, nil
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return "", errors.New("nb: cannot find the peftlab checkout (a go.mod declaring " + ModulePath +
		") above the notebook or working directory; set PEFTLAB_ROOT to it")
}

// FigureDir returns figures/<slug> under the checkout, creating it. Smoke runs write to a
// temporary folder instead (or $PEFTLAB_FIGURES_DIR), so tests never touch committed figures.
func FigureDir(slug string) (string, error) {
	var dir string
	if d := os.Getenv("PEFTLAB_FIGURES_DIR"); d != "" {
		dir = filepath.Join(d, slug)
	} else if IsSmoke() {
		dir = filepath.Join(os.TempDir(), "peftlab-smoke-figures", slug)
	} else {
		root, err := RepoRoot()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(root, "figures", slug)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("nb: creating %s: %w", dir, err)
	}
	return dir, nil
}
