package datasets

import (
	"fmt"
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/tensors"
)

// Images is a labelled image set held in host memory.
type Images struct {
	Name       string
	X          []float32 // N×H×W×C pixels in [0, 1], row-major.
	Labels     []int32   // N class indices.
	H, W, C    int
	ClassNames []string
}

// Len is the number of images.
func (d *Images) Len() int { return len(d.Labels) }

// NumClasses is the number of class names.
func (d *Images) NumClasses() int { return len(d.ClassNames) }

// ImageSize is H·W·C.
func (d *Images) ImageSize() int { return d.H * d.W * d.C }

// Image returns the pixels of image i (a view, not a copy).
func (d *Images) Image(i int) []float32 {
	n := d.ImageSize()
	return d.X[i*n : (i+1)*n]
}

// Subset returns a copy holding the images at the given indices, in that order.
func (d *Images) Subset(name string, indices []int) *Images {
	n := d.ImageSize()
	out := &Images{Name: name, H: d.H, W: d.W, C: d.C, ClassNames: d.ClassNames,
		X: make([]float32, 0, len(indices)*n), Labels: make([]int32, 0, len(indices))}
	for _, i := range indices {
		out.X = append(out.X, d.Image(i)...)
		out.Labels = append(out.Labels, d.Labels[i])
	}
	return out
}

// Split divides the set into a first part holding fraction frac of every class and a
// second part with the rest, shuffled by seed (stratified, deterministic).
func (d *Images) Split(frac float64, seed uint64) (first, second *Images) {
	if frac < 0 || frac > 1 {
		panic(fmt.Sprintf("datasets: split fraction %g is not in [0, 1]", frac))
	}
	a, b := StratifiedSplit(d.Labels, frac, seed)
	return d.Subset(d.Name+"-a", a), d.Subset(d.Name+"-b", b)
}

// Take returns the first n images of a seeded shuffle, stratified by class where possible.
func (d *Images) Take(n int, seed uint64) *Images {
	if n >= d.Len() {
		return d
	}
	a, _ := StratifiedSplit(d.Labels, float64(n)/float64(d.Len()), seed)
	return d.Subset(d.Name, a)
}

// ClassCounts returns how many images each class has.
func (d *Images) ClassCounts() []int {
	counts := make([]int, max(d.NumClasses(), maxLabel(d.Labels)+1))
	for _, l := range d.Labels {
		counts[l]++
	}
	return counts
}

// Tensors returns the images as a [N, H, W, C] float32 tensor and the labels as [N, 1] int32.
func (d *Images) Tensors() (x, labels *tensors.Tensor) {
	return tensors.FromFlatDataAndDimensions(d.X, d.Len(), d.H, d.W, d.C),
		tensors.FromFlatDataAndDimensions(d.Labels, d.Len(), 1)
}

func maxLabel(labels []int32) int {
	m := -1
	for _, l := range labels {
		m = max(m, int(l))
	}
	return m
}

// StratifiedSplit returns two index lists: about frac of each class's indices in the
// first, the rest in the second, both in a seeded random order.
func StratifiedSplit(labels []int32, frac float64, seed uint64) (first, second []int) {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	byClass := map[int32][]int{}
	var classes []int32
	for i, l := range labels {
		if _, ok := byClass[l]; !ok {
			classes = append(classes, l)
		}
		byClass[l] = append(byClass[l], i)
	}
	for _, c := range classes {
		idx := byClass[c]
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		k := int(frac*float64(len(idx)) + 0.5)
		first = append(first, idx[:k]...)
		second = append(second, idx[k:]...)
	}
	rng.Shuffle(len(first), func(i, j int) { first[i], first[j] = first[j], first[i] })
	rng.Shuffle(len(second), func(i, j int) { second[i], second[j] = second[j], second[i] })
	return first, second
}

// Rotated90 returns a copy with every image rotated a quarter turn clockwise (H and W
// swap): a simple distribution shift for fine-tuning demonstrations.
func (d *Images) Rotated90() *Images {
	out := &Images{Name: d.Name + "-rot90", H: d.W, W: d.H, C: d.C, ClassNames: d.ClassNames,
		Labels: append([]int32(nil), d.Labels...), X: make([]float32, len(d.X))}
	n := d.ImageSize()
	for i := 0; i < d.Len(); i++ {
		src, dst := d.X[i*n:(i+1)*n], out.X[i*n:(i+1)*n]
		for y := 0; y < d.H; y++ {
			for x := 0; x < d.W; x++ {
				for c := 0; c < d.C; c++ {
					// (y, x) → (x, H-1-y)
					dst[(x*out.W+(d.H-1-y))*d.C+c] = src[(y*d.W+x)*d.C+c]
				}
			}
		}
	}
	return out
}
