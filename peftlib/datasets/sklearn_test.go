package datasets

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSklearnTables(t *testing.T) {
	want := map[string][3]int{"iris": {150, 4, 3}, "wine": {178, 13, 3}, "breast_cancer": {569, 30, 2}, "digits": {1797, 64, 10}}
	for name, w := range want {
		tab, err := Sklearn(name)
		if err != nil {
			t.Fatal(err)
		}
		if tab.Len() != w[0] || tab.Features != w[1] || len(tab.ClassNames) != w[2] {
			t.Fatalf("%s: %d×%d, %d classes", name, tab.Len(), tab.Features, len(tab.ClassNames))
		}
		for _, l := range tab.Labels {
			if int(l) >= w[2] || l < 0 {
				t.Fatalf("%s: label %d", name, l)
			}
		}
	}
	d, err := Digits()
	if err != nil || d.H != 8 || d.Len() != 1797 {
		t.Fatalf("digits images: %v", err)
	}
	if _, err := Sklearn("boston"); err == nil {
		t.Fatal("an unknown table must be an error")
	}
	saved := SklearnDataDir
	SklearnDataDir = t.TempDir()
	defer func() { SklearnDataDir = saved }()
	var missing *MissingPackageError
	if _, err := Sklearn("iris"); !errors.As(err, &missing) || missing.Package != "python3-sklearn" {
		t.Fatalf("want a MissingPackageError naming python3-sklearn, got %v", err)
	}
}

func TestHeaderedCSVErrorsNameTheRow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.csv")
	// Header, one good row, then a row with a non-numeric feature: the file's line 3.
	if err := os.WriteFile(path, []byte("2,2,a,b\n1.0,2.0,0\n1.0,x,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := readHeaderedCSV("bad", path)
	if err == nil || !strings.Contains(err.Error(), "row 3") {
		t.Fatalf("want an error naming row 3, got %v", err)
	}
}
