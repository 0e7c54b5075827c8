package models

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
	"github.com/peftlab/peftlab/peftlib/cache"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// Version is part of every backbone cache key: bump it when a model's code changes so
// cached weights are rebuilt rather than silently reused.
const Version = 1

// Save writes the store's model variables (not the optimizer, trainer, metric or RNG
// state, nor params) to dir as a GoMLX checkpoint. It writes into a temporary folder that
// then replaces dir, so a crash leaves the old checkpoint or the new one, never half of one.
func Save(store *model.Store, dir string) error {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("models: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return fmt.Errorf("models: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("models: %w", err)
	}
	var skip []*model.Variable
	for v := range store.IterVariables() {
		if peft.IsBookkeeping(v.Path()) {
			skip = append(skip, v)
		}
	}
	h, err := checkpoint.Build(store).Dir(tmp).ExcludeAllParams().ExcludeVars(skip...).Done()
	if err != nil {
		return fmt.Errorf("models: saving %s: %w", dir, err)
	}
	if err := h.Save(); err != nil {
		return fmt.Errorf("models: saving %s: %w", dir, err)
	}
	old := dir + ".old"
	_ = os.RemoveAll(old)
	if err := os.Rename(dir, old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("models: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("models: %w", err)
	}
	return os.RemoveAll(old)
}

// Load reads a checkpoint written by Save into a new store, every variable loaded at once.
func Load(dir string) (store *model.Store, err error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("models: no checkpoint at %s: %w", dir, err)
	}
	defer func() { // GoMLX panics on some corrupt files.
		if r := recover(); r != nil {
			store, err = nil, fmt.Errorf("models: loading %s: %v", dir, r)
		}
	}()
	store = model.NewStore()
	h, err := checkpoint.Build(store).Dir(dir).Immediate().Done()
	if err != nil {
		return nil, fmt.Errorf("models: loading %s: %w", dir, err)
	}
	if ok, err := h.HasCheckpoints(); err != nil || !ok {
		return nil, fmt.Errorf("models: %s holds no checkpoint", dir)
	}
	if store.NumVariables() == 0 {
		return nil, fmt.Errorf("models: %s holds no variables", dir)
	}
	return store, nil
}

// CacheInfo says where a cached backbone is and whether it was reused.
type CacheInfo struct {
	Dir       string
	FromCache bool
}

// Cached returns the backbone cached under name for key (a JSON-encodable description:
// config, data, seed, ...; Version is added). If there is none, or it cannot be read, build
// trains one in a fresh store, which is then cached. A corrupt cache entry is rebuilt.
func Cached(name string, key any, build func(store *model.Store) error) (*model.Store, CacheInfo, error) {
	dir, err := cache.Path("backbones", name, map[string]any{"key": key, "models_version": Version})
	if err != nil {
		return nil, CacheInfo{}, err
	}
	if _, statErr := os.Stat(dir); statErr == nil {
		store, err := Load(dir)
		if err == nil {
			return store, CacheInfo{Dir: dir, FromCache: true}, nil
		}
		fmt.Fprintf(os.Stderr, "models: cached backbone %s is unreadable (%v); rebuilding it\n", dir, err)
		_ = os.RemoveAll(dir)
	}
	store := model.NewStore()
	if err := build(store); err != nil {
		return nil, CacheInfo{Dir: dir}, err
	}
	if err := Save(store, dir); err != nil {
		return nil, CacheInfo{Dir: dir}, err
	}
	// Reload, so a fresh build and a cache hit give the same store (no optimizer state).
	store, err = Load(dir)
	return store, CacheInfo{Dir: dir}, err
}
