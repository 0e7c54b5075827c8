// Command setup-xla installs GoMLX's XLA PJRT CPU plugin (and CUDA's where a GPU is present)
// with go-xla's own installer, into ~/.local/lib/go-xla. It needs internet access; offline it
// fails within seconds and everything keeps running on the pure-Go backend.
//
//	make setup-xla   # then build or test with -tags xla
package main

import (
	"fmt"
	"net"
	"os"
	"time"

	"github.com/gomlx/go-xla/installer"
)

func main() {
	conn, err := net.DialTimeout("tcp", "api.github.com:443", 5*time.Second)
	if err != nil {
		fmt.Fprintf(os.Stderr, "setup-xla: cannot reach api.github.com (%v).\n"+
			"The XLA plugin is a download, so this machine cannot install it; peftlab runs on the pure-Go backend.\n", err)
		os.Exit(1)
	}
	conn.Close()
	if err := installer.AutoInstall("", true, installer.Normal); err != nil {
		fmt.Fprintf(os.Stderr, "setup-xla: %v\n", err)
		os.Exit(1)
	}
	fmt.Println("setup-xla: installed; build with `-tags xla` (e.g. GOFLAGS=-tags=xla) to use XLA. " +
		"Select it explicitly with GOMLX_BACKEND=xla:cpu.")
}
