package safetensors

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

func sample() *File {
	return &File{
		Tensors: map[string]Tensor{
			"base_model.model.enc.query.dense.lora_A.weight": FromFloat32s([]float32{1, 2, 3, 4, 5, 6}, 2, 3),
			"base_model.model.enc.query.dense.lora_B.weight": FromFloat32s([]float32{-1, 0.5}, 2, 1),
		},
		Metadata: map[string]string{"format": "pt"},
	}
}

func encode(t testing.TB, f *File) []byte {
	var b bytes.Buffer
	if err := Write(&b, f); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRoundTrip(t *testing.T) {
	data := encode(t, sample())
	if n := binary.LittleEndian.Uint64(data); n%8 != 0 {
		t.Fatalf("header length %d not padded to 8", n)
	}
	f, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	a := f.Tensors["base_model.model.enc.query.dense.lora_A.weight"]
	vals, err := a.Float32s()
	if err != nil || len(vals) != 6 || vals[5] != 6 || a.Shape[0] != 2 || a.Shape[1] != 3 {
		t.Fatalf("lora_A came back as %v %v (%v)", a.Shape, vals, err)
	}
	if f.Metadata["format"] != "pt" {
		t.Fatalf("metadata lost: %v", f.Metadata)
	}
	if !bytes.Equal(encode(t, f), data) {
		t.Fatal("re-encoding is not byte-identical")
	}
}

func TestCorruptFilesGiveClearErrors(t *testing.T) {
	good := encode(t, sample())
	cases := map[string]struct {
		data []byte
		want string
	}{
		"empty":            {nil, "too short"},
		"truncated data":   {good[:len(good)-3], "outside"},
		"truncated header": {good[:20], "exceeds the file"},
		"bad json":         {append([]byte{5, 0, 0, 0, 0, 0, 0, 0}, []byte("{nope")...), "malformed JSON"},
	}
	wrongShape := sample()
	tt := wrongShape.Tensors["base_model.model.enc.query.dense.lora_B.weight"]
	tt.Shape = []int{3, 1}
	wrongShape.Tensors["x"] = tt
	if err := Write(&bytes.Buffer{}, wrongShape); err == nil || !strings.Contains(err.Error(), "needs 12 bytes") {
		t.Fatalf("writing a tensor whose shape does not match its data: %v", err)
	}
	for name, c := range cases {
		_, err := Parse(c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", name, err, c.want)
		}
	}
}

func TestOverlapRejected(t *testing.T) {
	header := `{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}`
	data := make([]byte, 8)
	binary.LittleEndian.PutUint64(data, uint64(len(header)))
	data = append(append(data, header...), 1, 2, 3)
	if _, err := Parse(data); err == nil || !strings.Contains(err.Error(), "overlap") {
		t.Fatalf("want an overlap error, got %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(encode(f, sample()))
	f.Add([]byte{})
	f.Add([]byte{2, 0, 0, 0, 0, 0, 0, 0, '{', '}'})
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			return
		}
		// Whatever parses must re-encode and parse back to the same tensors.
		var b bytes.Buffer
		if err := Write(&b, file); err != nil {
			t.Fatalf("parsed file does not re-encode: %v", err)
		}
		again, err := Parse(b.Bytes())
		if err != nil {
			t.Fatalf("re-encoded file does not parse: %v", err)
		}
		for name, tensor := range file.Tensors {
			if !bytes.Equal(again.Tensors[name].Data, tensor.Data) {
				t.Fatalf("tensor %q changed in the round trip", name)
			}
		}
	})
}
