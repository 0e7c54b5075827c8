package fit

import (
	"errors"
	"testing"
)

// fakeRecorder remembers how each method's record ended.
type fakeRecorder struct{ ended map[string]string }

type fakeRecord struct {
	rec  *fakeRecorder
	name string
}

func (f *fakeRecorder) StartMethod(method string, _ any) (MethodRecord, error) {
	f.ended[method] = "running"
	return fakeRecord{f, method}, nil
}
func (r fakeRecord) LogCurve(string, []int, []float64) error { return nil }
func (r fakeRecord) LogFinal(string, float64) error          { return nil }
func (r fakeRecord) Finish() error                           { r.rec.ended[r.name] = "finished"; return nil }
func (r fakeRecord) Fail(cause error) error {
	r.rec.ended[r.name] = "failed: " + cause.Error()
	return nil
}

func TestStartMethodEndsTheRecord(t *testing.T) {
	rec := &fakeRecorder{ended: map[string]string{}}
	run := func(name string, fail error) (err error) {
		_, done, err := startMethod(rec, MethodRun{Name: name}, 1e-3)
		if err != nil {
			return err
		}
		defer done(&err)
		return fail
	}
	if err := run("ok", nil); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := run("bad", boom); !errors.Is(err, boom) {
		t.Fatalf("the body's error was lost: %v", err)
	}
	if rec.ended["ok"] != "finished" || rec.ended["bad"] != "failed: boom" {
		t.Fatalf("records ended as %v", rec.ended)
	}
}
