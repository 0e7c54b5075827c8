package fit

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Predictor runs a one-input, one-output model function over host data in fixed-size
// batches (the last one padded), so the graph is compiled once and reused.
type Predictor struct {
	exec        *model.ExecOneOutput
	exampleDims []int
	batchSize   int
}

// NewPredictor compiles fn lazily on first use. exampleDims is the shape of one example,
// e.g. {28, 28, 1}.
func NewPredictor(b compute.Backend, store *model.Store, fn func(*model.Scope, *Node) *Node,
	exampleDims []int, batchSize int) (*Predictor, error) {
	exec, err := model.NewExec1(b, store, fn)
	if err != nil {
		return nil, fmt.Errorf("fit: %w", err)
	}
	return &Predictor{exec: exec, exampleDims: exampleDims, batchSize: batchSize}, nil
}

// Predict returns the model's outputs for every example in x (row-major float32, examples
// of size prod(exampleDims)) and the width of one output row.
func (p *Predictor) Predict(x []float32) (out []float32, width int, err error) {
	size := 1
	for _, d := range p.exampleDims {
		size *= d
	}
	if len(x)%size != 0 {
		return nil, 0, fmt.Errorf("fit: %d values are not a whole number of examples of %v", len(x), p.exampleDims)
	}
	n := len(x) / size
	batch := make([]float32, p.batchSize*size)
	for start := 0; start < n; start += p.batchSize {
		count := min(p.batchSize, n-start)
		clear(batch)
		copy(batch, x[start*size:(start+count)*size])
		dims := append([]int{p.batchSize}, p.exampleDims...)
		t, err := p.exec.Call(tensors.FromFlatDataAndDimensions(batch, dims...))
		if err != nil {
			return nil, 0, fmt.Errorf("fit: predicting examples %d..%d: %w", start, start+count, err)
		}
		flat := tensors.MustCopyFlatData[float32](t)
		t.FinalizeAll()
		width = len(flat) / p.batchSize
		out = append(out, flat[:count*width]...)
	}
	return out, width, nil
}

// Accuracy returns the fraction of rows of logits (width numClasses) whose arg-max equals
// the label.
func Accuracy(logits []float32, numClasses int, labels []int32) float64 {
	if len(labels) == 0 {
		return 0
	}
	correct := 0
	for i, l := range labels {
		row := logits[i*numClasses : (i+1)*numClasses]
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		if int32(best) == l {
			correct++
		}
	}
	return float64(correct) / float64(len(labels))
}
