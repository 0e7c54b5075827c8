package nb

import (
	"math"
	"strings"
	"testing"
)

func TestTableString(t *testing.T) {
	tab := &Table{Title: "T", Columns: []string{"method", "acc"}}
	tab.AddRow("LoRA", 0.91234)
	tab.AddRow("prefix", math.NaN())
	got := tab.String()
	want := "T\nmethod     acc\n------  ------\nLoRA    0.9123\nprefix       –\n"
	if got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
	if !strings.Contains(tab.HTML(), "<td style=\"padding:2px 8px;text-align:right\">0.9123</td>") {
		t.Fatalf("HTML lacks the right-aligned number: %s", tab.HTML())
	}
}

func TestTableWrongRowPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a row with the wrong number of cells must panic")
		}
	}()
	(&Table{Columns: []string{"a", "b"}}).AddRow(1)
}

func ExampleTable() {
	tab := &Table{Columns: []string{"method", "params", "acc"}}
	tab.AddRow("LoRA r=4", 1024, 0.875)
	tab.AddRow("full", 100352, 0.9)
	tab.Show()
	// Output:
	// method    params    acc
	// --------  ------  -----
	// LoRA r=4    1024  0.875
	// full      100352    0.9
}
