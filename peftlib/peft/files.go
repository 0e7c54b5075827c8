package peft

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/internal/atomicfile"
	"github.com/peftlab/peftlab/peftlib/safetensors"
)

// File names of an adapter directory, as in Hugging Face PEFT.
const (
	ConfigFile  = "adapter_config.json"
	WeightsFile = "adapter_model.safetensors"
)

// Version is written as peft_version in adapter_config.json.
const Version = "peftlab-0.1"

// ConfigParser turns the JSON of adapter_config.json into a method's Config.
type ConfigParser func(raw []byte) (Config, error)

var (
	registryMu sync.Mutex
	registry   = map[string]ConfigParser{}
)

// Register makes a method loadable: LoadAdapter dispatches on peft_type. Tuner packages
// call it from init.
func Register(peftType string, parse ConfigParser) {
	registryMu.Lock()
	defer registryMu.Unlock()
	registry[peftType] = parse
}

// AdapterDir is where an adapter lives under dir: dir itself for "default", else dir/<name>,
// as Hugging Face PEFT's save_pretrained does.
func AdapterDir(dir, name string) string {
	if name == "default" {
		return dir
	}
	return filepath.Join(dir, name)
}

// SaveAdapter writes the named adapter (default: every adapter) under dir in Hugging Face
// PEFT's layout: adapter_config.json and adapter_model.safetensors. Each file is written to
// a temporary name and renamed into place, tensors first, so a crash never leaves a
// half-written file, and LoadAdapter checks that the pair belongs together.
func (m *Model) SaveAdapter(dir string, names ...string) error {
	if len(names) == 0 {
		names = m.Adapters()
	}
	if err := m.store.InitializeVariables(m.backend, nil); err != nil {
		return fmt.Errorf("peft: initialising variables before saving: %w", err)
	}
	for _, name := range names {
		e := m.entry(name)
		if e == nil {
			return fmt.Errorf("peft: no adapter %q to save (have %q)", name, m.Adapters())
		}
		if err := m.saveOne(AdapterDir(dir, name), e); err != nil {
			return err
		}
	}
	return nil
}

func (m *Model) saveOne(dir string, e *entry) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("peft: %w", err)
	}
	file := &safetensors.File{Tensors: map[string]safetensors.Tensor{}, Metadata: map[string]string{"format": "pt"}}
	for _, ft := range e.adapter.FileTensors() {
		t, err := ft.Var.Value()
		if err != nil {
			return fmt.Errorf("peft: reading %s: %w", ft.Var.Path(), err)
		}
		st, err := toSafetensor(t, ft.Transpose)
		if err != nil {
			return fmt.Errorf("peft: %s: %w", ft.Var.Path(), err)
		}
		if ft.Shape != nil {
			st.Shape = ft.Shape
		}
		file.Tensors[ft.Key] = st
	}
	for _, v := range m.modulesToSaveVars() {
		t, err := v.Value()
		if err != nil {
			return fmt.Errorf("peft: reading %s: %w", v.Path(), err)
		}
		st, err := toSafetensor(t, false)
		if err != nil {
			return fmt.Errorf("peft: %s: %w", v.Path(), err)
		}
		file.Tensors[modulesToSaveKey(v)] = st
	}
	var buf bytes.Buffer
	if err := safetensors.Write(&buf, file); err != nil {
		return fmt.Errorf("peft: %w", err)
	}
	cfg := map[string]any{
		"peft_type": e.config.PeftType(), "task_type": nil, "inference_mode": true,
		"base_model_name_or_path": nil, "revision": nil, "peft_version": Version,
		"modules_to_save": nil,
	}
	if len(m.ModulesToSave) > 0 {
		var mods []string
		for _, p := range m.ModulesToSave {
			mods = append(mods, ModulePath(p))
		}
		cfg["modules_to_save"] = mods
	}
	for k, v := range e.adapter.ConfigJSON() {
		cfg[k] = v
	}
	cj, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return fmt.Errorf("peft: encoding %s: %w", ConfigFile, err)
	}
	if err := writeAtomic(filepath.Join(dir, WeightsFile), buf.Bytes()); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, ConfigFile), append(cj, '\n'))
}

func (m *Model) modulesToSaveVars() []*model.Variable {
	var out []*model.Variable
	for _, v := range sortedVariables(m.store) {
		for _, p := range m.ModulesToSave {
			if hasScopePrefix(v.Path(), p) && !IsBookkeeping(v.Path()) {
				out = append(out, v)
				break
			}
		}
	}
	return out
}

// modulesToSaveKey names a modules_to_save tensor as PEFT does: base_model.model.<path>.<param>.
func modulesToSaveKey(v *model.Variable) string {
	return "base_model.model." + ModulePath(v.Path())
}

// LoadAdapter reads an adapter saved by SaveAdapter (or by Hugging Face PEFT, for the layouts
// peftlab implements) from dir (or dir/<name> for names other than "default") and adds it
// under name. Every tensor is checked against the model: a missing, unexpected or
// wrongly shaped tensor is an error naming it, and nothing is added.
func (m *Model) LoadAdapter(dir, name string) error {
	adir := AdapterDir(dir, name)
	raw, err := os.ReadFile(filepath.Join(adir, ConfigFile))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("peft: no %s in %s: not an adapter directory", ConfigFile, adir)
	}
	if err != nil {
		return fmt.Errorf("peft: %w", err)
	}
	var head struct {
		PeftType      string   `json:"peft_type"`
		ModulesToSave []string `json:"modules_to_save"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return fmt.Errorf("peft: %s: malformed JSON: %w", filepath.Join(adir, ConfigFile), err)
	}
	registryMu.Lock()
	parse := registry[head.PeftType]
	registryMu.Unlock()
	if parse == nil {
		return fmt.Errorf("peft: %s: peft_type %q is not registered: import its tuner package "+
			"(e.g. _ \"github.com/peftlab/peftlab/peftlib/tuners/lora\")", adir, head.PeftType)
	}
	cfg, err := parse(raw)
	if err != nil {
		return fmt.Errorf("peft: %s: %w", filepath.Join(adir, ConfigFile), err)
	}
	file, err := safetensors.ReadFile(filepath.Join(adir, WeightsFile))
	if err != nil {
		return fmt.Errorf("peft: loading adapter %q: %w", name, err)
	}
	if err := m.AddAdapter(name, cfg); err != nil {
		return err
	}
	fail := func(err error) error {
		_ = m.DeleteAdapter(name)
		return fmt.Errorf("peft: loading adapter %q from %s: %w", name, adir, err)
	}
	expected := map[string]bool{}
	type assignment struct {
		v *model.Variable
		t *tensors.Tensor
	}
	var assign []assignment
	for _, ft := range m.entry(name).adapter.FileTensors() {
		expected[ft.Key] = true
		st, ok := file.Tensors[ft.Key]
		if !ok {
			return fail(fmt.Errorf("tensor %q is missing from %s: the adapter does not match this model", ft.Key, WeightsFile))
		}
		if ft.Shape != nil {
			if !equalInts(st.Shape, ft.Shape) {
				return fail(fmt.Errorf("tensor %q: shape %v in the file, the model needs %v", ft.Key, st.Shape, ft.Shape))
			}
			st.Shape = ft.Var.Shape().Dimensions
		}
		t, err := fromSafetensor(st, ft.Var.DType(), ft.Var.Shape().Dimensions, ft.Transpose)
		if err != nil {
			return fail(fmt.Errorf("tensor %q: %w", ft.Key, err))
		}
		assign = append(assign, assignment{ft.Var, t})
	}
	mtsPrefixes := make([]string, len(head.ModulesToSave))
	for i, p := range head.ModulesToSave {
		mtsPrefixes[i] = "/" + strings.ReplaceAll(p, ".", "/")
	}
	for _, v := range sortedVariables(m.store) {
		for _, p := range mtsPrefixes {
			if hasScopePrefix(v.Path(), p) && !IsBookkeeping(v.Path()) {
				key := modulesToSaveKey(v)
				expected[key] = true
				st, ok := file.Tensors[key]
				if !ok {
					return fail(fmt.Errorf("modules_to_save tensor %q is missing", key))
				}
				t, err := fromSafetensor(st, v.DType(), v.Shape().Dimensions, false)
				if err != nil {
					return fail(fmt.Errorf("tensor %q: %w", key, err))
				}
				assign = append(assign, assignment{v, t})
			}
		}
	}
	var unexpected []string
	for k := range file.Tensors {
		if !expected[k] {
			unexpected = append(unexpected, k)
		}
	}
	if len(unexpected) > 0 {
		sort.Strings(unexpected)
		return fail(fmt.Errorf("%s holds tensors this model has no place for: %q", WeightsFile, unexpected))
	}
	for _, a := range assign {
		if err := a.v.SetValue(a.t); err != nil {
			return fail(err)
		}
	}
	for _, p := range mtsPrefixes {
		if !containsString(m.ModulesToSave, p) {
			m.ModulesToSave = append(m.ModulesToSave, p)
		}
	}
	return nil
}

func containsString(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

var stDTypes = map[dtypes.DType]string{dtypes.Float32: "F32", dtypes.Float64: "F64", dtypes.Int32: "I32", dtypes.Int64: "I64"}

func toSafetensor(t *tensors.Tensor, transpose bool) (safetensors.Tensor, error) {
	name, ok := stDTypes[t.DType()]
	if !ok {
		return safetensors.Tensor{}, fmt.Errorf("dtype %s cannot be saved", t.DType())
	}
	dims := append([]int(nil), t.Shape().Dimensions...)
	var data []byte
	err := t.ConstBytes(func(b []byte) { data = append([]byte(nil), b...) })
	if err != nil {
		return safetensors.Tensor{}, err
	}
	if transpose {
		if len(dims) != 2 {
			return safetensors.Tensor{}, fmt.Errorf("only 2-D tensors can be transposed, got %v", dims)
		}
		data = transposeBytes(data, dims[0], dims[1], t.DType().Size())
		dims[0], dims[1] = dims[1], dims[0]
	}
	return safetensors.Tensor{DType: name, Shape: dims, Data: data}, nil
}

func fromSafetensor(st safetensors.Tensor, dtype dtypes.DType, dims []int, transpose bool) (*tensors.Tensor, error) {
	want := stDTypes[dtype]
	if st.DType != want {
		return nil, fmt.Errorf("dtype %s in the file, the model needs %s", st.DType, want)
	}
	fileDims := append([]int(nil), dims...)
	if transpose {
		fileDims[0], fileDims[1] = fileDims[1], fileDims[0]
	}
	if !equalInts(st.Shape, fileDims) {
		return nil, fmt.Errorf("shape %v in the file, the model needs %v", st.Shape, fileDims)
	}
	data := st.Data
	if transpose {
		data = transposeBytes(data, fileDims[0], fileDims[1], dtype.Size())
	}
	t := tensors.FromShape(shapeOf(dtype, dims))
	err := t.MutableBytes(func(b []byte) { copy(b, data) })
	return t, err
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func transposeBytes(data []byte, rows, cols, size int) []byte {
	out := make([]byte, len(data))
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			copy(out[(j*rows+i)*size:(j*rows+i+1)*size], data[(i*cols+j)*size:(i*cols+j+1)*size])
		}
	}
	return out
}

// writeAtomic writes a file so that a crash never leaves it half-written.
func writeAtomic(path string, data []byte) error {
	if err := atomicfile.Write(path, data); err != nil {
		return fmt.Errorf("peft: %w", err)
	}
	return nil
}

func shapeOf(dtype dtypes.DType, dims []int) shapes.Shape { return shapes.Make(dtype, dims...) }
