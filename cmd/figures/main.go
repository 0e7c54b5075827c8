// Command figures redraws figures/ from the results database alone: for every figure a
// notebook saved (the latest record of each), it rebuilds the plot from the recorded data
// and layout, or writes the recorded image.
//
//	go run ./cmd/figures                 # every figure, from the default database
//	go run ./cmd/figures -slug threebody_rl -db /path/to/results.sqlite -out /tmp/figures
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/peftlab/peftlab/peftlib/nb"
	"github.com/peftlab/peftlab/peftlib/results"
	"gonum.org/v1/plot/vg"
)

func main() {
	dbPath := flag.String("db", "", "results database (default: $PEFTLAB_RESULTS or ~/.local/share/peftlab/results.sqlite)")
	slug := flag.String("slug", "", "only this notebook's figures")
	out := flag.String("out", "", "folder to write into (default: figures/ of the checkout)")
	flag.Parse()
	nb.SaveHook = nil // redrawing must not record the figures again
	if *out != "" {
		os.Setenv("PEFTLAB_FIGURES_DIR", *out)
	}
	db, err := results.Open(*dbPath)
	if err != nil {
		fail(err)
	}
	defer db.Close()
	figs, err := db.LatestFigures(*slug)
	if err != nil {
		fail(err)
	}
	if len(figs) == 0 {
		fail(fmt.Errorf("no figures recorded in %s: run the notebooks first", db.Location))
	}
	for _, f := range figs {
		var path string
		if len(f.Image) > 0 {
			dir, err := nb.FigureDir(f.Slug)
			if err != nil {
				fail(err)
			}
			path = filepath.Join(dir, f.Name+".png")
			if err := nb.WriteFileAtomic(path, f.Image); err != nil {
				fail(err)
			}
		} else {
			var spec nb.FigureSpec
			if err := json.Unmarshal([]byte(f.Spec), &spec); err != nil {
				fail(fmt.Errorf("figure %s/%s: %w", f.Slug, f.Name, err))
			}
			rows, err := nb.Redraw(&spec)
			if err != nil {
				fail(err)
			}
			nb.PanelWidth, nb.PanelHeight = vg.Length(spec.PanelWidthPoints), vg.Length(spec.PanelHeightPoints)
			if path, err = nb.SaveGrid(f.Slug, f.Name, rows); err != nil {
				fail(err)
			}
		}
		fmt.Println("redrawn:", path)
	}
	reportUnrecorded(figs, *slug)
}

// reportUnrecorded names the checkout's figures that the database cannot redraw (a notebook
// saved them without the results package linked in), so that nobody mistakes them for redrawn.
func reportUnrecorded(figs []results.Figure, slug string) {
	root, err := nb.RepoRoot()
	if err != nil {
		return
	}
	recorded := map[string]bool{}
	for _, f := range figs {
		recorded[f.Slug+"/"+f.Name] = true
	}
	pattern := filepath.Join(root, "figures", "*", "*.png")
	if slug != "" {
		pattern = filepath.Join(root, "figures", slug, "*.png")
	}
	paths, _ := filepath.Glob(pattern)
	for _, p := range paths {
		key := filepath.Base(filepath.Dir(p)) + "/" + strings.TrimSuffix(filepath.Base(p), ".png")
		if !recorded[key] {
			fmt.Printf("not in the database, left as it is: figures/%s.png (rerun its notebook to record it)\n", key)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "figures:", err)
	os.Exit(1)
}
