// Package nb holds the small helpers every peftlab notebook uses: the run scale
// (PEFTLAB_SCALE), result tables, figures saved under figures/<slug>/, and progress bars.
//
// Each helper renders as HTML inside a GoNB notebook and as plain text elsewhere (tests,
// terminals, CI logs), so library code can call them unconditionally.
package nb
