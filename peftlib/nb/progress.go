package nb

import (
	"fmt"
	"html"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
)

// Progress is a progress bar for long loops (training steps, episodes, data generation).
// In a notebook it is one HTML line updated in place; on a terminal a line redrawn with \r;
// in logs (stderr not a terminal) one line per 10%. It is safe for concurrent use.
type Progress struct {
	mu       sync.Mutex
	title    string
	total    int
	done     int
	status   string
	start    time.Time
	lastDraw time.Time
	lastTick int // last 10% step printed in log mode
	htmlID   string
	w        io.Writer
	terminal bool
	finished bool
}

// NewProgress starts a progress bar over total units of work.
func NewProgress(title string, total int) *Progress {
	p := &Progress{title: title, total: max(total, 1), start: time.Now(), w: os.Stderr, lastTick: -1}
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		p.terminal = true
	}
	if InNotebook() {
		p.htmlID = "peftlab-progress-" + gonbui.UniqueID()
		gonbui.UpdateHTML(p.htmlID, p.html())
	}
	return p
}

// Add records n more units done and the latest status (e.g. "loss=0.31"); "" keeps the last one.
func (p *Progress) Add(n int, status string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = min(p.done+n, p.total)
	if status != "" {
		p.status = status
	}
	p.draw(false)
}

// Set records the absolute amount of work done.
func (p *Progress) Set(done int, status string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = min(done, p.total)
	if status != "" {
		p.status = status
	}
	p.draw(false)
}

// Done draws the final state. Calling it twice is harmless.
func (p *Progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return
	}
	p.draw(true)
	p.finished = true
	if p.htmlID == "" && p.terminal {
		fmt.Fprintln(p.w)
	}
}

// Elapsed is the time since the bar started.
func (p *Progress) Elapsed() time.Duration { return time.Since(p.start) }

func (p *Progress) text() string {
	elapsed := time.Since(p.start)
	frac := float64(p.done) / float64(p.total)
	eta := ""
	if p.done > 0 && p.done < p.total {
		eta = " eta " + (time.Duration(float64(elapsed)/frac) - elapsed).Round(time.Second).String()
	}
	const width = 24
	filled := int(frac * width)
	bar := strings.Repeat("#", filled) + strings.Repeat(".", width-filled)
	return fmt.Sprintf("%s [%s] %3.0f%% %d/%d %s%s %s", p.title, bar, 100*frac, p.done, p.total,
		elapsed.Round(100*time.Millisecond), eta, p.status)
}

func (p *Progress) html() string {
	frac := float64(p.done) / float64(p.total)
	return fmt.Sprintf(`<div style="font-family:monospace"><progress value="%d" max="%d" style="width:30%%"></progress> %s</div>`,
		int(frac*1000), 1000, html.EscapeString(p.text()))
}

func (p *Progress) draw(final bool) {
	now := time.Now()
	switch {
	case p.htmlID != "":
		if final {
			display(func() { gonbui.UpdateHTML(p.htmlID, p.html()) })
		} else if now.Sub(p.lastDraw) > 500*time.Millisecond {
			gonbui.UpdateHTML(p.htmlID, p.html())
			p.lastDraw = now
		}
	case p.terminal:
		if final || now.Sub(p.lastDraw) > 200*time.Millisecond {
			fmt.Fprintf(p.w, "\r%s\033[K", p.text())
			p.lastDraw = now
		}
	default:
		tick := 10 * p.done / p.total
		if final || tick > p.lastTick {
			fmt.Fprintln(p.w, p.text())
			p.lastTick = tick
		}
	}
}
