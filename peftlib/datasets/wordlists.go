package datasets

import (
	"bufio"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/encoding/charmap"
)

// DictDir is where Debian's word-list packages install their lists.
var DictDir = "/usr/share/dict"

var wordCache sync.Map

// WordList returns the plain lowercase words (letters only, 3–10 characters, no
// apostrophes) of a language's Debian word list, decoding ISO-8859-1 lists.
func WordList(l Language) ([]string, error) {
	if w, ok := wordCache.Load(l.WordList); ok {
		return w.([]string), nil
	}
	path := filepath.Join(DictDir, l.WordList)
	f, err := openPackaged(path, l.Package)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r = bufio.NewReader(f)
	scanner := bufio.NewScanner(r)
	if l.Latin1 {
		scanner = bufio.NewScanner(charmap.ISO8859_1.NewDecoder().Reader(r))
	}
	var words []string
	for scanner.Scan() {
		w := strings.TrimSpace(scanner.Text())
		n := len([]rune(w))
		if n < 3 || n > 10 || !isLowerWord(w) {
			continue
		}
		words = append(words, w)
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("datasets: %s: %w", path, err)
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("datasets: %s has no usable words", path)
	}
	wordCache.Store(l.WordList, words)
	return words, nil
}

func isLowerWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) || !unicode.IsLower(r) {
			return false
		}
	}
	return true
}
