package results

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startPostgres starts a throw-away PostgreSQL server (Debian's postgresql package) on a
// free loopback port and returns its DSN, or skips the test saying why it cannot.
func startPostgres(t *testing.T) string {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		t.Skip("PostgreSQL is not installed (sudo apt-get install postgresql); the SQLite tests cover the same code")
	}
	bin := filepath.Dir(bins[len(bins)-1])
	// Not t.TempDir: its parent is private to root, and the server may run as postgres.
	dir, err := os.MkdirTemp("", "peftlab-pg-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	data := filepath.Join(dir, "data")
	// initdb refuses to run as root: run the server as the postgres user then.
	var runAs []string
	if u, err := user.Current(); err == nil && u.Uid == "0" {
		if _, err := user.Lookup("postgres"); err != nil {
			t.Skip("running as root without a postgres user: PostgreSQL cannot start")
		}
		if err := os.Chmod(dir, 0o777); err != nil {
			t.Fatal(err)
		}
		runAs = []string{"runuser", "-u", "postgres", "--"}
	}
	command := func(args ...string) *exec.Cmd {
		all := append(append([]string{}, runAs...), args...)
		return exec.Command(all[0], all[1:]...)
	}
	if out, err := command(filepath.Join(bin, "initdb"), "-D", data, "-U", "peftlab", "--auth=trust", "-E", "UTF8").CombinedOutput(); err != nil {
		t.Skipf("initdb failed, PostgreSQL cannot start here: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	logFile := filepath.Join(dir, "postgres.log")
	start := command(filepath.Join(bin, "pg_ctl"), "-D", data, "-l", logFile, "-w", "-t", "30",
		"-o", fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", port, dir), "start")
	if out, err := start.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(logFile)
		t.Skipf("PostgreSQL did not start: %v\n%s\n%s", err, out, log)
	}
	t.Cleanup(func() {
		_ = command(filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop").Run()
	})
	dsn := fmt.Sprintf("postgres://peftlab@127.0.0.1:%d/postgres?sslmode=disable", port)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return dsn
}

func TestAcceptanceOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	dsn := startPostgres(t)
	db, err := Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if !db.Postgres() || strings.Contains(db.Location, "password") {
		t.Fatalf("location %q", db.Location)
	}
	exercise(t, db)
	// Migrating again is a no-op.
	again, err := Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
}
