package datasets

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
)

// SklearnDataDir is where Debian's python3-sklearn package keeps scikit-learn's bundled data.
var SklearnDataDir = "/usr/lib/python3/dist-packages/sklearn/datasets/data"

// Table is a small labelled table: N rows of F features.
type Table struct {
	Name       string
	X          []float32 // N×F, row-major
	Labels     []int32
	Features   int
	ClassNames []string
}

// Len is the number of rows.
func (t *Table) Len() int { return len(t.Labels) }

// Row returns the features of row i (a view).
func (t *Table) Row(i int) []float32 { return t.X[i*t.Features : (i+1)*t.Features] }

// Sklearn reads one of scikit-learn's bundled classification tables: "iris" (150×4, 3
// classes), "wine" (178×13, 3), "breast_cancer" (569×30, 2) or "digits" (1797×64, 10; also
// as 8×8 images with Digits). Counts are checked against the files' headers.
func Sklearn(name string) (*Table, error) {
	switch name {
	case "iris", "wine", "breast_cancer":
		file := map[string]string{"iris": "iris.csv", "wine": "wine_data.csv", "breast_cancer": "breast_cancer.csv"}[name]
		return readHeaderedCSV(name, filepath.Join(SklearnDataDir, file))
	case "digits":
		return readDigits()
	}
	return nil, fmt.Errorf("datasets: unknown scikit-learn table %q (iris, wine, breast_cancer, digits)", name)
}

// readHeaderedCSV reads scikit-learn's "n,features,class names..." CSV layout.
func readHeaderedCSV(name, path string) (*Table, error) {
	f, err := openPackaged(path, "python3-sklearn")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil || len(header) < 3 {
		return nil, fmt.Errorf("datasets: %s: bad header %v (%v)", path, header, err)
	}
	n, err1 := strconv.Atoi(header[0])
	feats, err2 := strconv.Atoi(header[1])
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("datasets: %s: bad header %v", path, header)
	}
	t := &Table{Name: name, Features: feats, ClassNames: header[2:]}
	if err := t.readRecords(r, path, 2); err != nil {
		return nil, err
	}
	if t.Len() != n {
		return nil, fmt.Errorf("datasets: %s has %d rows, its header says %d", path, t.Len(), n)
	}
	return t, nil
}

func (t *Table) appendRecord(rec []string) error {
	if len(rec) != t.Features+1 {
		return fmt.Errorf("%d fields, want %d", len(rec), t.Features+1)
	}
	for _, s := range rec[:t.Features] {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 32)
		if err != nil {
			return err
		}
		t.X = append(t.X, float32(v))
	}
	l, err := strconv.Atoi(strings.TrimSpace(rec[t.Features]))
	if err != nil {
		return err
	}
	t.Labels = append(t.Labels, int32(l))
	return nil
}

func readDigits() (*Table, error) {
	path := filepath.Join(SklearnDataDir, "digits.csv.gz")
	f, err := openPackaged(path, "python3-sklearn")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("datasets: %s: %w", path, err)
	}
	t := &Table{Name: "digits", Features: 64, ClassNames: []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}}
	if err := t.readRecords(csv.NewReader(zr), path, 1); err != nil {
		return nil, err
	}
	if t.Len() != 1797 {
		return nil, fmt.Errorf("datasets: %s has %d digits, want 1797", path, t.Len())
	}
	return t, nil
}

// Digits returns scikit-learn's 8×8 digits as images scaled to [0, 1] (pixels are 0–16).
func Digits() (*Images, error) {
	t, err := Sklearn("digits")
	if err != nil {
		return nil, err
	}
	x := make([]float32, len(t.X))
	for i, v := range t.X {
		x[i] = v / 16
	}
	return &Images{Name: "digits", X: x, Labels: t.Labels, H: 8, W: 8, C: 1, ClassNames: t.ClassNames}, nil
}

// readRecords appends every remaining CSV record of path to t; errors name the file's row,
// counting from firstRow (1 for a file without a header line).
func (t *Table) readRecords(r *csv.Reader, path string, firstRow int) error {
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("datasets: %s: %w", path, err)
		}
		if err := t.appendRecord(rec); err != nil {
			return fmt.Errorf("datasets: %s row %d: %w", path, t.Len()+firstRow, err)
		}
	}
}
