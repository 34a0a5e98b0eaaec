package spool

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// rec is the i-th test record: its content names it, its length varies.
func rec(i int) []byte {
	return []byte(fmt.Sprintf("record-%d-%s", i, strings.Repeat("x", i%37)))
}

func recs(from, to int) [][]byte {
	var out [][]byte
	for i := from; i < to; i++ {
		out = append(out, rec(i))
	}
	return out
}

func open(t *testing.T, dir string, opts Options) *Spool {
	t.Helper()
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func appendAll(t *testing.T, s *Spool, rs [][]byte) uint64 {
	t.Helper()
	last, err := s.Append(rs)
	if err != nil {
		t.Fatal(err)
	}
	return last
}

// readAll reads and acknowledges every waiting record, n at a time, and
// checks that record i (from 1) has sequence number i.
func readAll(t *testing.T, s *Spool, n int) [][]byte {
	t.Helper()
	var out [][]byte
	for {
		first, got, err := s.Read(n, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			return out
		}
		for i, r := range got {
			want := rec(int(first) + i - 1)
			if !bytes.Equal(r, want) {
				t.Fatalf("record %d is %q, want %q", first+uint64(i), r, want)
			}
			out = append(out, bytes.Clone(r))
		}
		if err := s.Ack(first + uint64(len(got)) - 1); err != nil {
			t.Fatal(err)
		}
	}
}

func segments(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.seg"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestAppendReadAckInOrder(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{})
	if len(s.ID()) != 32 {
		t.Fatalf("id %q", s.ID())
	}
	if last := appendAll(t, s, recs(0, 10)); last != 10 {
		t.Fatalf("last = %d, want 10", last)
	}
	select {
	case <-s.Appended():
	default:
		t.Fatal("Append did not signal")
	}
	first, got, err := s.Read(4, 1<<20)
	if err != nil || first != 1 || len(got) != 4 {
		t.Fatalf("Read = %d, %d records, %v", first, len(got), err)
	}
	// Without an Ack, the same records come again (a retry).
	if first2, again, _ := s.Read(4, 1<<20); first2 != 1 || !bytes.Equal(again[3], got[3]) {
		t.Fatalf("second Read from %d", first2)
	}
	if err := s.Ack(4); err != nil {
		t.Fatal(err)
	}
	appendAll(t, s, recs(10, 12))
	if rest := readAll(t, s, 3); len(rest) != 8 {
		t.Fatalf("%d records after the ack, want 8", len(rest))
	}
	if st := s.Stats(); st.Pending != 0 || st.Acked != 12 || st.Next != 13 {
		t.Fatalf("stats %+v", st)
	}
	if err := s.Ack(99); err == nil {
		t.Fatal("acknowledging a record never written was accepted")
	}
}

func TestReadRespectsByteBudgetButReturnsOneRecord(t *testing.T) {
	s := open(t, t.TempDir(), Options{})
	big := bytes.Repeat([]byte("b"), 5000)
	if _, err := s.Append([][]byte{big, []byte("small")}); err != nil {
		t.Fatal(err)
	}
	_, got, err := s.Read(10, 100)
	if err != nil || len(got) != 1 || !bytes.Equal(got[0], big) {
		t.Fatalf("Read over budget: %d records, %v", len(got), err)
	}
	if err := s.Ack(1); err != nil {
		t.Fatal(err)
	}
	if first, got, _ := s.Read(10, 100); first != 2 || string(got[0]) != "small" {
		t.Fatalf("then %d %q", first, got)
	}
}

func TestSegmentsRotateAndGoOnceAcknowledged(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{SegmentBytes: 200})
	for i := 0; i < 40; i += 4 {
		appendAll(t, s, recs(i, i+4))
	}
	if n := len(segments(t, dir)); n < 5 {
		t.Fatalf("%d segments after 40 records of 200-byte segments, want several", n)
	}
	var total int64
	for _, p := range segments(t, dir) {
		fi, _ := os.Stat(p)
		total += fi.Size()
	}
	if st := s.Stats(); st.Bytes != total || st.Segments != len(segments(t, dir)) {
		t.Fatalf("stats %+v, files hold %d bytes in %d segments", st, total, len(segments(t, dir)))
	}
	if got := readAll(t, s, 7); len(got) != 40 {
		t.Fatalf("read %d records, want 40", len(got))
	}
	if n := len(segments(t, dir)); n != 1 {
		t.Fatalf("%d segments left after everything was acknowledged, want only the active one", n)
	}
}

func TestReopenKeepsPendingAndNumbers(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{SegmentBytes: 300})
	appendAll(t, s, recs(0, 20))
	first, got, _ := s.Read(5, 1<<20)
	if err := s.Ack(first + uint64(len(got)) - 1); err != nil {
		t.Fatal(err)
	}
	id := s.ID()
	s.Close()

	s = open(t, dir, Options{SegmentBytes: 300})
	if s.ID() != id {
		t.Fatalf("id changed from %s to %s", id, s.ID())
	}
	if st := s.Stats(); st.Acked != 5 || st.Next != 21 || st.Pending != 15 {
		t.Fatalf("reopened stats %+v", st)
	}
	if last := appendAll(t, s, recs(20, 22)); last != 22 {
		t.Fatalf("numbers go on at %d, want 22", last)
	}
	if got := readAll(t, s, 4); len(got) != 17 {
		t.Fatalf("read %d after reopening, want 17", len(got))
	}
	s.Close()

	// Everything acknowledged and every old segment gone: the cursor
	// alone carries the numbering.
	s = open(t, dir, Options{SegmentBytes: 300})
	if last := appendAll(t, s, recs(22, 23)); last != 23 || s.ID() != id {
		t.Fatalf("after a drained spool: last %d id %s", last, s.ID())
	}
}

func TestOpenRepairsATornTail(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{})
	appendAll(t, s, recs(0, 5))
	s.Close()
	seg := segments(t, dir)[0]
	f, err := os.OpenFile(seg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	// A frame whose write was cut by a crash: header and half a payload.
	f.Write(appendFrame(nil, []byte("never acknowledged by Append"))[:20])
	f.Close()

	s = open(t, dir, Options{})
	if st := s.Stats(); st.Next != 6 || st.Lost != 0 {
		t.Fatalf("stats after repair %+v, want next 6, nothing lost", st)
	}
	appendAll(t, s, recs(5, 7))
	if got := readAll(t, s, 100); len(got) != 7 {
		t.Fatalf("read %d records, want 7", len(got))
	}
}

func TestOpenCutsADamagedSegmentAndCountsTheGap(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{SegmentBytes: 80})
	for i := 0; i < 12; i += 3 {
		appendAll(t, s, recs(i, i+3))
	}
	s.Close()
	segs := segments(t, dir)
	if len(segs) < 3 {
		t.Fatalf("want 3 or more segments, have %d", len(segs))
	}
	// Flip a byte in the second record of the first segment.
	b, _ := os.ReadFile(segs[0])
	off := int(headerLen) + frameHeader + len(rec(0)) + frameHeader + 2
	b[off] ^= 0xff
	os.WriteFile(segs[0], b, 0o640)

	s = open(t, dir, Options{SegmentBytes: 80})
	if st := s.Stats(); st.Lost != 2 {
		t.Fatalf("lost %d, want the 2 records after the damage", st.Lost)
	}
	first, got, _ := s.Read(1, 1<<20)
	if first != 1 || !bytes.Equal(got[0], rec(0)) {
		t.Fatalf("first record %d %q", first, got)
	}
	s.Ack(1)
	if first, _, _ := s.Read(1, 1<<20); first != 4 {
		t.Fatalf("after the damaged segment, reading goes on at %d, want 4", first)
	}
}

func TestLostCursorResendsOrStartsANewID(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{})
	appendAll(t, s, recs(0, 4))
	s.Ack(2)
	id := s.ID()
	s.Close()
	os.Remove(filepath.Join(dir, cursorFile))
	s = open(t, dir, Options{})
	// Acknowledged records come again (the server knows them); same id.
	if first, _, _ := s.Read(10, 1<<20); first != 1 || s.ID() != id {
		t.Fatalf("without a cursor: read from %d, id %s (was %s)", first, s.ID(), id)
	}
	readAll(t, s, 10)
	s.Close()

	os.Remove(filepath.Join(dir, cursorFile))
	for _, p := range segments(t, dir) {
		os.Remove(p)
	}
	s = open(t, dir, Options{})
	if s.ID() == id {
		t.Fatal("a spool with neither cursor nor segments kept its id: its new numbers would collide with the old ones")
	}
}

func TestMaxBytesDropsTheOldest(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{SegmentBytes: 200, MaxBytes: 600})
	for i := 0; i < 60; i += 3 {
		appendAll(t, s, recs(i, i+3))
	}
	st := s.Stats()
	if st.Bytes > 600+200 || st.Lost == 0 {
		t.Fatalf("stats %+v: want at most about MaxBytes on disk and some records lost", st)
	}
	first, got, err := s.Read(1000, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if first != st.Lost+1 || int(first)+len(got)-1 != 60 || !bytes.Equal(got[len(got)-1], rec(59)) {
		t.Fatalf("read %d records from %d; lost %d: want the newest ones, up to 60", len(got), first, st.Lost)
	}
}

func TestOneProcessPerSpool(t *testing.T) {
	dir := t.TempDir()
	open(t, dir, Options{})
	if _, err := Open(dir, Options{}); err == nil || !strings.Contains(err.Error(), "in use by another vigil agent") {
		t.Fatalf("second Open: %v", err)
	}
}

func TestConcurrentAppendAndRead(t *testing.T) {
	s := open(t, t.TempDir(), Options{SegmentBytes: 512})
	const n = 3000
	done := make(chan error, 1)
	go func() {
		for i := 0; i < n; i += 7 {
			if _, err := s.Append(recs(i, min(i+7, n))); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	next := 0
	for next < n {
		first, got, err := s.Read(50, 400)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			<-s.Appended()
			continue
		}
		for i, r := range got {
			if int(first)+i-1 != next || !bytes.Equal(r, rec(next)) {
				t.Fatalf("record %d: %q, want %q", first+uint64(i), r, rec(next))
			}
			next++
		}
		if err := s.Ack(first + uint64(len(got)) - 1); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Pending != 0 || st.Segments != 1 {
		t.Fatalf("stats %+v", st)
	}
}
