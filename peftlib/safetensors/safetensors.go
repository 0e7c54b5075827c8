package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
)

// Tensor is one named array: its dtype ("F32", "F64", "I32", "I64", "U8", "BF16", ...),
// its shape and its raw little-endian bytes.
type Tensor struct {
	DType string
	Shape []int
	Data  []byte
}

// File is the content of a safetensors file.
type File struct {
	Tensors  map[string]Tensor
	Metadata map[string]string // the optional "__metadata__" string map
}

// dtypeSizes are the byte sizes of the dtypes the format defines.
var dtypeSizes = map[string]int{
	"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1,
	"I16": 2, "U16": 2, "F16": 2, "BF16": 2,
	"I32": 4, "U32": 4, "F32": 4,
	"I64": 8, "U64": 8, "F64": 8,
}

// DTypeSize returns the byte size of one element of dtype, or 0 if it is unknown.
func DTypeSize(dtype string) int { return dtypeSizes[dtype] }

// maxHeader bounds the JSON header (the reference implementation uses 100 MB).
const maxHeader = 100 << 20

type headerEntry struct {
	DType       string   `json:"dtype"`
	Shape       []int    `json:"shape"`
	DataOffsets [2]int64 `json:"data_offsets"`
}

// Parse decodes a whole safetensors file held in memory.
func Parse(data []byte) (*File, error) {
	if len(data) < 8 {
		return nil, fmt.Errorf("safetensors: file too short (%d bytes) for the 8-byte header length", len(data))
	}
	n := binary.LittleEndian.Uint64(data[:8])
	if n > maxHeader || n > uint64(len(data)-8) {
		return nil, fmt.Errorf("safetensors: header length %d exceeds the file (%d bytes): truncated or not a safetensors file",
			n, len(data))
	}
	header := data[8 : 8+n]
	body := data[8+n:]
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(header))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("safetensors: malformed JSON header: %w", err)
	}
	f := &File{Tensors: make(map[string]Tensor, len(raw))}
	type span struct {
		name       string
		begin, end int64
	}
	var spans []span
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &f.Metadata); err != nil {
				return nil, fmt.Errorf("safetensors: __metadata__ must map strings to strings: %w", err)
			}
			continue
		}
		var e headerEntry
		if err := json.Unmarshal(msg, &e); err != nil {
			return nil, fmt.Errorf("safetensors: tensor %q: malformed header entry: %w", name, err)
		}
		size := DTypeSize(e.DType)
		if size == 0 {
			return nil, fmt.Errorf("safetensors: tensor %q: unknown dtype %q", name, e.DType)
		}
		count := int64(1)
		for _, d := range e.Shape {
			if d < 0 || (d > 0 && count > math.MaxInt64/int64(d)/int64(size)) {
				return nil, fmt.Errorf("safetensors: tensor %q: invalid shape %v", name, e.Shape)
			}
			count *= int64(d)
		}
		begin, end := e.DataOffsets[0], e.DataOffsets[1]
		if begin < 0 || end < begin || end > int64(len(body)) {
			return nil, fmt.Errorf("safetensors: tensor %q: data offsets [%d, %d) outside the %d data bytes (truncated file?)",
				name, begin, end, len(body))
		}
		if end-begin != count*int64(size) {
			return nil, fmt.Errorf("safetensors: tensor %q: %s%v needs %d bytes, offsets give %d",
				name, e.DType, e.Shape, count*int64(size), end-begin)
		}
		shape := e.Shape
		if shape == nil {
			shape = []int{}
		}
		f.Tensors[name] = Tensor{DType: e.DType, Shape: shape, Data: body[begin:end:end]}
		spans = append(spans, span{name, begin, end})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].begin < spans[j].begin })
	for i := 1; i < len(spans); i++ {
		if spans[i].begin < spans[i-1].end {
			return nil, fmt.Errorf("safetensors: tensors %q and %q overlap", spans[i-1].name, spans[i].name)
		}
	}
	return f, nil
}

// ReadFile reads and parses a safetensors file.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	f, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return f, nil
}

// Write encodes f: tensors are laid out by name, the header is padded with spaces to a
// multiple of 8 bytes, as the reference implementation does.
func Write(w io.Writer, f *File) error {
	names := make([]string, 0, len(f.Tensors))
	for name := range f.Tensors {
		if name == "__metadata__" {
			return fmt.Errorf("safetensors: %q is reserved and cannot name a tensor", name)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	header := make(map[string]any, len(names)+1)
	if len(f.Metadata) > 0 {
		header["__metadata__"] = f.Metadata
	}
	var offset int64
	for _, name := range names {
		t := f.Tensors[name]
		size := DTypeSize(t.DType)
		if size == 0 {
			return fmt.Errorf("safetensors: tensor %q: unknown dtype %q", name, t.DType)
		}
		count := 1
		for _, d := range t.Shape {
			count *= d
		}
		if count*size != len(t.Data) {
			return fmt.Errorf("safetensors: tensor %q: %s%v needs %d bytes, has %d", name, t.DType, t.Shape, count*size, len(t.Data))
		}
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		header[name] = headerEntry{DType: t.DType, Shape: shape, DataOffsets: [2]int64{offset, offset + int64(len(t.Data))}}
		offset += int64(len(t.Data))
	}
	hj, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("safetensors: encoding header: %w", err)
	}
	if pad := (8 - len(hj)%8) % 8; pad > 0 {
		hj = append(hj, bytes.Repeat([]byte(" "), pad)...)
	}
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(len(hj)))
	if _, err := w.Write(lenBuf[:]); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	if _, err := w.Write(hj); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	for _, name := range names {
		if _, err := w.Write(f.Tensors[name].Data); err != nil {
			return fmt.Errorf("safetensors: %w", err)
		}
	}
	return nil
}

// Float32s returns the elements of an F32 tensor.
func (t Tensor) Float32s() ([]float32, error) {
	if t.DType != "F32" {
		return nil, fmt.Errorf("safetensors: tensor is %s, not F32", t.DType)
	}
	out := make([]float32, len(t.Data)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.Data[4*i:]))
	}
	return out, nil
}

// FromFloat32s builds an F32 tensor.
func FromFloat32s(values []float32, shape ...int) Tensor {
	data := make([]byte, 4*len(values))
	for i, v := range values {
		binary.LittleEndian.PutUint32(data[4*i:], math.Float32bits(v))
	}
	return Tensor{DType: "F32", Shape: shape, Data: data}
}
