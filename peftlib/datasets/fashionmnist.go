package datasets

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"path/filepath"
)

// FashionMNISTDir is where Debian's dataset-fashion-mnist package installs the files.
var FashionMNISTDir = "/usr/share/datasets/fashion-mnist"

// FashionMNISTClasses are the ten Fashion-MNIST class names, by label.
var FashionMNISTClasses = []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
	"Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}

// FashionMNIST reads the "train" (60,000 images) or "test" (10,000) split of Fashion-MNIST
// (Xiao, Rasul & Vollgraf 2017, arXiv 1708.07747) from the Debian package: 28×28×1 images
// scaled to [0, 1].
func FashionMNIST(split string) (*Images, error) {
	prefix := map[string]string{"train": "train", "test": "t10k"}[split]
	if prefix == "" {
		return nil, fmt.Errorf("datasets: Fashion-MNIST split %q: use \"train\" or \"test\"", split)
	}
	want := map[string]int{"train": 60000, "test": 10000}[split]
	pixels, n, h, w, err := readIDXImages(filepath.Join(FashionMNISTDir, prefix+"-images-idx3-ubyte.gz"))
	if err != nil {
		return nil, err
	}
	labels, err := readIDXLabels(filepath.Join(FashionMNISTDir, prefix+"-labels-idx1-ubyte.gz"))
	if err != nil {
		return nil, err
	}
	if n != want || len(labels) != want {
		return nil, fmt.Errorf("datasets: Fashion-MNIST %s has %d images and %d labels, want %d of each: "+
			"reinstall dataset-fashion-mnist", split, n, len(labels), want)
	}
	x := make([]float32, len(pixels))
	for i, p := range pixels {
		x[i] = float32(p) / 255
	}
	return &Images{Name: "fashion-mnist-" + split, X: x, Labels: labels, H: h, W: w, C: 1,
		ClassNames: FashionMNISTClasses}, nil
}

func openGzipIDX(path string, magic uint32, dims int) (io.Reader, []uint32, func(), error) {
	f, err := openPackaged(path, "dataset-fashion-mnist")
	if err != nil {
		return nil, nil, nil, err
	}
	zr, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		f.Close()
		return nil, nil, nil, fmt.Errorf("datasets: %s: %w", path, err)
	}
	header := make([]uint32, 1+dims)
	if err := binary.Read(zr, binary.BigEndian, header); err != nil {
		f.Close()
		return nil, nil, nil, fmt.Errorf("datasets: %s: reading IDX header: %w", path, err)
	}
	if header[0] != magic {
		f.Close()
		return nil, nil, nil, fmt.Errorf("datasets: %s: IDX magic %#x, want %#x", path, header[0], magic)
	}
	return zr, header[1:], func() { f.Close() }, nil
}

func readIDXImages(path string) (pixels []byte, n, h, w int, err error) {
	r, dims, closeFn, err := openGzipIDX(path, 0x803, 3)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	defer closeFn()
	n, h, w = int(dims[0]), int(dims[1]), int(dims[2])
	pixels = make([]byte, n*h*w)
	if _, err := io.ReadFull(r, pixels); err != nil {
		return nil, 0, 0, 0, fmt.Errorf("datasets: %s: truncated: %w", path, err)
	}
	return pixels, n, h, w, nil
}

func readIDXLabels(path string) ([]int32, error) {
	r, dims, closeFn, err := openGzipIDX(path, 0x801, 1)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	raw := make([]byte, dims[0])
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, fmt.Errorf("datasets: %s: truncated: %w", path, err)
	}
	labels := make([]int32, len(raw))
	for i, l := range raw {
		labels[i] = int32(l)
	}
	return labels, nil
}
