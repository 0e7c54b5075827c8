// Package cache locates peftlab's on-disk cache (pretrained backbones, generated datasets)
// and derives cache keys, so a changed configuration never reuses a stale entry.
package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// Env overrides the cache folder.
const Env = "PEFTLAB_CACHE"

// Dir returns the cache root: $PEFTLAB_CACHE, else <user cache dir>/peftlab (e.g.
// ~/.cache/peftlab), created if needed.
func Dir() (string, error) {
	dir := os.Getenv(Env)
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("cache: no user cache folder (%v): set %s", err, Env)
		}
		dir = filepath.Join(base, "peftlab")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cache: %w", err)
	}
	return dir, nil
}

// Key hashes any JSON-encodable description (config, data version, seed, code version)
// into 16 hex digits.
func Key(description any) string {
	data, err := json.Marshal(description)
	if err != nil {
		panic(fmt.Sprintf("cache: key description is not JSON-encodable: %v", err))
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

var safeName = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// Path returns <Dir>/<kind>/<name>-<Key(description)>, creating <Dir>/<kind>.
func Path(kind, name string, description any) (string, error) {
	if !safeName.MatchString(kind) || !safeName.MatchString(name) {
		return "", fmt.Errorf("cache: kind %q and name %q must be letters, digits, '_', '-' or '.'", kind, name)
	}
	dir, err := Dir()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Join(dir, kind), 0o755); err != nil {
		return "", fmt.Errorf("cache: %w", err)
	}
	return filepath.Join(dir, kind, name+"-"+Key(description)), nil
}
