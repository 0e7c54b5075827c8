package datasets

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"

	"github.com/peftlab/peftlab/peftlib/cache"
	"github.com/peftlab/peftlab/peftlib/internal/atomicfile"
)

// GeneratorVersion is part of every generated dataset's cache key: bump it when a generator
// changes, so cached data is rebuilt, never silently reused.
const GeneratorVersion = 1

// Cached returns the datasets cached under name for key (a JSON-encodable description of
// the generator's parameters and seed), building and caching them when absent. A cache file
// that is truncated or corrupt (checked with a CRC) is rebuilt. Files are written atomically,
// so notebooks generating the same data at once never see each other's partial files.
func Cached(name string, key any, build func() ([]*Images, error)) ([]*Images, error) {
	path, err := cache.Path("datasets", name, map[string]any{"key": key, "generator_version": GeneratorVersion})
	if err != nil {
		return nil, err
	}
	path += ".gob"
	if sets, err := readCache(path); err == nil {
		return sets, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(os.Stderr, "datasets: cache %s is unreadable (%v); rebuilding it\n", path, err)
	}
	sets, err := build()
	if err != nil {
		return nil, err
	}
	var payload bytes.Buffer
	if err := gob.NewEncoder(&payload).Encode(sets); err != nil {
		return nil, fmt.Errorf("datasets: encoding %s: %w", name, err)
	}
	var file bytes.Buffer
	file.WriteString("PEFTLABDS")
	_ = binary.Write(&file, binary.LittleEndian, crc32.ChecksumIEEE(payload.Bytes()))
	_ = binary.Write(&file, binary.LittleEndian, uint64(payload.Len()))
	file.Write(payload.Bytes())
	if err := atomicfile.Write(path, file.Bytes()); err != nil {
		return nil, fmt.Errorf("datasets: %w", err)
	}
	return sets, nil
}

func readCache(path string) ([]*Images, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) < 21 || string(data[:9]) != "PEFTLABDS" {
		return nil, errors.New("not a peftlab dataset cache file")
	}
	sum := binary.LittleEndian.Uint32(data[9:13])
	n := binary.LittleEndian.Uint64(data[13:21])
	payload := data[21:]
	if uint64(len(payload)) != n || crc32.ChecksumIEEE(payload) != sum {
		return nil, errors.New("truncated or corrupt (checksum mismatch)")
	}
	var sets []*Images
	if err := gob.NewDecoder(bytes.NewReader(payload)).Decode(&sets); err != nil {
		return nil, err
	}
	return sets, nil
}
