package ingest

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// LedgerFile is the ledger's file name under the data directory.
const LedgerFile = "ingest-ledger.json"

// ledgerForget is how long a spool unheard of stays in the ledger. An
// agent whose spool was wiped gets a new spool id, so old ids only pile
// up; a retry this late is stored again, which the results database
// absorbs.
const ledgerForget = 180 * 24 * time.Hour

// Ledger remembers, per location and agent spool, the sequence number of
// the last record stored. It is safe for concurrent use.
type Ledger struct {
	path string
	now  func() time.Time

	mu     sync.Mutex
	spools map[ledgerKey]ledgerEntry
}

type ledgerKey struct{ location, spool string }

type ledgerEntry struct {
	last uint64
	seen time.Time
}

// ledgerJSON is the file's layout.
type ledgerJSON struct {
	Version int               `json:"version"`
	Spools  []ledgerSpoolJSON `json:"spools"`
}

type ledgerSpoolJSON struct {
	Location string    `json:"location"`
	Spool    string    `json:"spool"`
	Last     uint64    `json:"last"`
	Seen     time.Time `json:"seen"`
}

// OpenLedger reads the ledger under dir (an empty one when there is no
// file yet). now is the clock of the seen times (time.Now when nil).
func OpenLedger(dir string, now func() time.Time) (*Ledger, error) {
	if now == nil {
		now = time.Now
	}
	l := &Ledger{path: filepath.Join(dir, LedgerFile), now: now, spools: map[ledgerKey]ledgerEntry{}}
	b, err := os.ReadFile(l.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return l, nil
	case err != nil:
		return nil, fmt.Errorf("read ingest ledger: %w", err)
	}
	var f ledgerJSON
	if err := json.Unmarshal(b, &f); err != nil || f.Version != 1 {
		return nil, fmt.Errorf("read ingest ledger %s: not a ledger this vigil writes (%v): move it aside; "+
			"agents then send again what they have not yet deleted, and it is stored once more, harmlessly", l.path, err)
	}
	for _, s := range f.Spools {
		l.spools[ledgerKey{s.Location, s.Spool}] = ledgerEntry{last: s.Last, seen: s.Seen}
	}
	return l, nil
}

// Last returns the sequence number of the last record stored from the
// spool at location, 0 for a spool never seen.
func (l *Ledger) Last(location, spool string) uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.spools[ledgerKey{location, spool}].last
}

// Record notes durably that the records of the spool up to last are
// stored. Numbers never go back.
func (l *Ledger) Record(location, spool string, last uint64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := ledgerKey{location, spool}
	old, had := l.spools[k]
	if last <= old.last {
		return nil
	}
	now := l.now().UTC()
	l.spools[k] = ledgerEntry{last: last, seen: now}
	if err := l.save(now); err != nil {
		if had {
			l.spools[k] = old
		} else {
			delete(l.spools, k)
		}
		return err
	}
	return nil
}

// save replaces the file with the ledger, leaving out the spools unheard
// of for ledgerForget. l.mu is held.
func (l *Ledger) save(now time.Time) error {
	f := ledgerJSON{Version: 1, Spools: make([]ledgerSpoolJSON, 0, len(l.spools))}
	for k, e := range l.spools {
		if now.Sub(e.seen) > ledgerForget {
			delete(l.spools, k)
			continue
		}
		f.Spools = append(f.Spools, ledgerSpoolJSON{Location: k.location, Spool: k.spool, Last: e.last, Seen: e.seen})
	}
	slices.SortFunc(f.Spools, func(a, b ledgerSpoolJSON) int {
		return cmp.Or(cmp.Compare(a.Location, b.Location), cmp.Compare(a.Spool, b.Spool))
	})
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("write ingest ledger: %w", err)
	}
	if err := replaceFile(l.path, b); err != nil {
		return fmt.Errorf("write ingest ledger: %w", err)
	}
	return nil
}

// replaceFile writes data to path durably: a temporary file, fsynced,
// renamed over path, and the directory fsynced.
func replaceFile(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
