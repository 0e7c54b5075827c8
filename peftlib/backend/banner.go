package backend

import (
	"io"
	"os"
	"strings"
)

// goBanner is the line GoMLX's Go backend prints to stdout when given a parallelism. Describe
// reports the configuration already, and GoNB runs every cell as a new process, so in a notebook
// the line would repeat in every cell that trains.
const goBanner = "Go backend: parallelism set to "

// withoutGoBanner runs f with os.Stdout going to a pipe, then writes what f printed to the real
// stdout, less GoMLX's banner. Nothing else is dropped, even when f panics.
func withoutGoBanner(f func()) {
	r, w, err := os.Pipe()
	if err != nil {
		f()
		return
	}
	stdout := os.Stdout
	os.Stdout = w
	printed := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		r.Close()
		printed <- string(b)
	}()
	defer func() {
		os.Stdout = stdout
		w.Close()
		for _, line := range strings.SplitAfter(<-printed, "\n") {
			if line != "" && !strings.HasPrefix(line, goBanner) {
				stdout.WriteString(line)
			}
		}
	}()
	f()
}
