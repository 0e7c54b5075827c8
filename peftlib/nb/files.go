package nb

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/peftlab/peftlab/peftlib/cache"
)

// WorkDir returns a folder for a notebook's intermediate files (trained adapters, results
// shared between cells): <peftlab cache>/notebooks/<slug>[-smoke], created if needed.
func WorkDir(slug string) string {
	dir, err := cache.Dir()
	if err != nil {
		panic(err)
	}
	name := slug
	if IsSmoke() {
		name += "-smoke"
	}
	dir = filepath.Join(dir, "notebooks", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		panic(fmt.Sprintf("nb: %v", err))
	}
	return dir
}

// DiskSize is the size in bytes of a file, or of every file under a folder.
func DiskSize(path string) int64 {
	var n int64
	_ = filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// Bytes formats a byte count for people: "12.3 KiB".
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// SaveJSON writes v as <WorkDir(slug)>/<name>.json (atomically), to hand results from one
// notebook cell (process) to the next.
func SaveJSON(slug, name string, v any) error {
	data, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return fmt.Errorf("nb: encoding %s: %w", name, err)
	}
	return WriteFileAtomic(filepath.Join(WorkDir(slug), name+".json"), data)
}

// LoadJSON reads what SaveJSON wrote into v.
func LoadJSON(slug, name string, v any) error {
	path := filepath.Join(WorkDir(slug), name+".json")
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("nb: %w (run the cell that computes %s first)", err, name)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("nb: %s: %w", path, err)
	}
	return nil
}

// FileName makes a figure or image name safe as a file name on every system: characters
// other than letters, digits, '.', '-' and '_' become '_' ("sound events" → "sound_events").
func FileName(name string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_') {
			return r
		}
		return '_'
	}, name)
}
