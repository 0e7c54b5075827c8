//go:build xla

package backend

import (
	"os"
	"path/filepath"

	_ "github.com/gomlx/go-xla/compute/xla" // registers "xla"; no autoinstall, so nothing is downloaded.
)

// pluginDirs are where go-xla's installer and PJRT_PLUGIN_LIBRARY_PATH put plugins.
func pluginDirs() []string {
	dirs := filepath.SplitList(os.Getenv("PJRT_PLUGIN_LIBRARY_PATH"))
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".local", "lib", "go-xla"))
	}
	return append(dirs, "/usr/local/lib/go-xla")
}

func init() {
	xlaAvailable = func() (string, bool) {
		for _, plugin := range []string{"cuda", "cpu"} {
			for _, dir := range pluginDirs() {
				if _, err := os.Stat(filepath.Join(dir, "pjrt_c_api_"+plugin+"_plugin.so")); err == nil {
					return plugin, true
				}
			}
		}
		return "", false
	}
}
