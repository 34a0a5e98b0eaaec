package spool

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
)

// Defaults of Options, used for every zero field.
const (
	DefaultSegmentBytes = 8 << 20
	DefaultMaxBytes     = 1 << 30
)

// ErrClosed is returned once Close has been called.
var ErrClosed = errors.New("spool closed")

// Options tune a spool. The zero value is usable.
type Options struct {
	// SegmentBytes is the size at which the next segment starts
	// (DefaultSegmentBytes, 8 MiB).
	SegmentBytes int64
	// MaxBytes bounds the segments on disk; beyond it the oldest are
	// dropped (DefaultMaxBytes, 1 GiB).
	MaxBytes int64
}

// Stats describe a spool for logs and tests.
type Stats struct {
	// Next is the sequence number the next record gets; Acked the last
	// one the server acknowledged. Pending = Next - 1 - Acked records wait.
	Next, Acked, Pending uint64
	// Bytes and Segments are what the segments take on disk.
	Bytes    int64
	Segments int
	// Lost counts records that will never be sent: damaged on disk, or
	// dropped with the oldest segments when MaxBytes was reached.
	Lost uint64
}

// Spool is a durable queue of records. Append may be called from one
// goroutine while another calls Read and Ack; each of the two sides must
// not be called concurrently with itself.
type Spool struct {
	dir  string
	opts Options
	id   string
	lock *os.File

	appendMu sync.Mutex // held by Append: one writer of the active segment
	active   *os.File   // the last segment, open for writing
	buf      []byte     // Append's frame buffer

	mu       sync.Mutex // guards what follows
	segs     []*segment // oldest first; the last one is active
	next     uint64
	acked    uint64
	bytes    int64
	lost     uint64
	read     position // the record after acked
	lastRead position // the record after those the last Read returned
	closed   bool
	notify   chan struct{}
}

// position is the place of one record: its segment, offset and sequence
// number. A position at a segment's end stands for the next segment's
// first record.
type position struct {
	seg *segment
	off int64
	seq uint64
}

// Open opens (or creates) the spool in dir, repairs what a crash left
// (see the package doc) and locks it against a second process.
func Open(dir string, opts Options) (*Spool, error) {
	if opts.SegmentBytes <= 0 {
		opts.SegmentBytes = DefaultSegmentBytes
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("open spool: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	s := &Spool{dir: dir, opts: opts, lock: lock, notify: make(chan struct{}, 1)}
	if err := s.load(); err != nil {
		lock.Close()
		return nil, err
	}
	return s, nil
}

// lockDir takes the spool's lock file, so that two agents never write one
// spool.
func lockDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_CREATE|os.O_RDWR, 0o640)
	if err != nil {
		return nil, fmt.Errorf("open spool: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("open spool: %s is in use by another vigil agent: stop it, or give this agent a -spool directory of its own", dir)
		}
		return nil, fmt.Errorf("open spool: lock %s: %w", dir, err)
	}
	return f, nil
}

// load reads the spool's state from dir.
func (s *Spool) load() error {
	cursor, cursorOK, err := readCursor(s.dir)
	if err != nil {
		return err
	}
	segs, lost, err := loadSegments(s.dir)
	if err != nil {
		return err
	}
	id, err := readID(s.dir)
	if err != nil {
		return err
	}
	if id == "" || (!cursorOK && len(segs) == 0) {
		// Without an id, or with no record of where the numbers stood, the
		// numbers start again under a new id: the server must never take
		// a new record for one it already has.
		if err := writeCursor(s.dir, 0); err != nil {
			return err
		}
		cursor, cursorOK = 0, true
		if id, err = newID(s.dir); err != nil {
			return err
		}
		if len(segs) > 0 {
			cursor = segs[0].first - 1
		}
	}
	s.id, s.lost = id, lost
	s.acked = cursor
	if len(segs) > 0 {
		s.acked = max(s.acked, segs[0].first-1)
	}
	s.next = s.acked + 1
	if len(segs) > 0 {
		s.next = max(s.next, segs[len(segs)-1].end())
	}
	// Segments wholly acknowledged are left over from a crash between the
	// cursor and their removal.
	kept := segs[:0]
	for i, seg := range segs {
		if i < len(segs)-1 && seg.end() <= s.acked+1 {
			if err := os.Remove(seg.path); err != nil {
				return fmt.Errorf("remove acknowledged spool segment: %w", err)
			}
			continue
		}
		kept = append(kept, seg)
	}
	s.segs = kept
	if len(s.segs) == 0 || s.segs[len(s.segs)-1].end() < s.next {
		seg, f, err := createSegment(s.dir, s.next)
		if err != nil {
			return err
		}
		s.segs, s.active = append(s.segs, seg), f
	} else {
		last := s.segs[len(s.segs)-1]
		if s.active, err = os.OpenFile(last.path, os.O_WRONLY, 0); err != nil {
			return fmt.Errorf("open spool segment: %w", err)
		}
	}
	for _, seg := range s.segs {
		s.bytes += seg.size
	}
	s.read = position{seg: s.segs[0], off: headerLen, seq: s.segs[0].first}
	if err := s.skipTo(s.acked + 1); err != nil {
		return err
	}
	s.lastRead = s.read
	return nil
}

// ID returns the spool's id, which names its batches to the server.
func (s *Spool) ID() string { return s.id }

// Dir returns the spool's directory.
func (s *Spool) Dir() string { return s.dir }

// Stats returns the spool's counters.
func (s *Spool) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{Next: s.next, Acked: s.acked, Pending: s.next - 1 - s.acked,
		Bytes: s.bytes, Segments: len(s.segs), Lost: s.lost}
}

// Appended returns a channel that receives a value after Append added
// records; a reader that found nothing to read waits on it.
func (s *Spool) Appended() <-chan struct{} { return s.notify }

// Append writes records at the end of the spool, each with the next
// sequence number, and fsyncs them before it returns the number of the
// last one. On error nothing is appended.
func (s *Spool) Append(records [][]byte) (last uint64, err error) {
	s.appendMu.Lock()
	defer s.appendMu.Unlock()
	s.mu.Lock()
	closed, seg, first := s.closed, s.segs[len(s.segs)-1], s.next
	s.mu.Unlock()
	if closed {
		return 0, ErrClosed
	}
	if len(records) == 0 {
		return first - 1, nil
	}
	s.buf = s.buf[:0]
	for _, rec := range records {
		if len(rec) > MaxRecordBytes {
			return 0, fmt.Errorf("spool record of %d bytes: at most %d", len(rec), MaxRecordBytes)
		}
		s.buf = appendFrame(s.buf, rec)
	}
	if seg.count > 0 && seg.size+int64(len(s.buf)) > s.opts.SegmentBytes {
		if seg, err = s.rotate(first); err != nil {
			return 0, err
		}
	}
	if err := s.write(seg); err != nil {
		return 0, err
	}
	s.mu.Lock()
	seg.count += uint64(len(records))
	seg.size += int64(len(s.buf))
	s.bytes += int64(len(s.buf))
	s.next += uint64(len(records))
	last = s.next - 1
	err = s.evict()
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
	return last, err
}

// write writes s.buf at the end of seg and fsyncs it; on failure it cuts
// the segment back to where it was.
func (s *Spool) write(seg *segment) error {
	_, err := s.active.WriteAt(s.buf, seg.size)
	if err == nil {
		err = s.active.Sync()
	}
	if err != nil {
		_ = s.active.Truncate(seg.size)
		return fmt.Errorf("append to spool: %w", err)
	}
	return nil
}

// rotate starts a new active segment for records from first on.
func (s *Spool) rotate(first uint64) (*segment, error) {
	seg, f, err := createSegment(s.dir, first)
	if err != nil {
		return nil, err
	}
	old := s.active
	s.active = f
	s.mu.Lock()
	s.segs = append(s.segs, seg)
	s.bytes += seg.size
	s.mu.Unlock()
	if err := old.Close(); err != nil {
		return nil, fmt.Errorf("close spool segment: %w", err)
	}
	return seg, nil
}

// evict drops the oldest segments while the spool is over MaxBytes; the
// active segment stays. s.mu is held.
func (s *Spool) evict() error {
	var errs []error
	for s.bytes > s.opts.MaxBytes && len(s.segs) > 1 {
		old := s.segs[0]
		if old.end() > s.acked+1 {
			s.lost += old.end() - max(s.acked+1, old.first)
			s.acked = old.end() - 1
		}
		if err := os.Remove(old.path); err != nil {
			errs = append(errs, fmt.Errorf("drop spool segment: %w", err))
		}
		s.segs = s.segs[1:]
		s.bytes -= old.size
		if s.read.seg == old {
			s.read = position{seg: s.segs[0], off: headerLen, seq: s.segs[0].first}
		}
		if s.lastRead.seg == old {
			s.lastRead = s.read
		}
	}
	return errors.Join(errs...)
}

// readChunk is the most Read takes from a segment file at once.
const readChunk = 256 << 10

// Read returns the oldest records not yet acknowledged, in order: at most
// maxRecords of them and, beyond the first, at most maxBytes in all. first
// is the sequence number of the first one; none waiting returns no records.
// Reading again without Ack returns the same records (a retry).
func (s *Spool) Read(maxRecords, maxBytes int) (first uint64, records [][]byte, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, nil, ErrClosed
	}
	pos := s.read
	first = pos.seq
	total := 0
	for len(records) < maxRecords && pos.seq < s.next {
		if pos.off >= pos.seg.size {
			n := s.following(pos)
			if n == pos {
				break
			}
			pos = n
			continue
		}
		want := min(pos.seg.size-pos.off, int64(max(maxBytes-total, 0))+frameHeader, readChunk)
		chunk, err := pos.seg.readAt(pos.off, max(want, frameHeader))
		if err != nil {
			return 0, nil, err
		}
		progressed := false
		for len(records) < maxRecords {
			rec, n, ok, short := nextFrame(chunk)
			if short && !progressed {
				// One record larger than the budget: read it whole.
				if chunk, err = pos.seg.readAt(pos.off, min(pos.seg.size-pos.off, int64(frameHeader+MaxRecordBytes))); err != nil {
					return 0, nil, err
				}
				if rec, n, ok, short = nextFrame(chunk); short {
					return 0, nil, fmt.Errorf("%w: segment %s ends inside record %d", ErrCorrupt, pos.seg.path, pos.seq)
				}
			}
			if short {
				break
			}
			if !ok {
				return 0, nil, fmt.Errorf("%w: record %d in %s: restart the agent to repair the spool", ErrCorrupt, pos.seq, pos.seg.path)
			}
			if len(records) > 0 && total+len(rec) > maxBytes {
				s.lastRead = pos
				return first, records, nil
			}
			records = append(records, rec)
			total += len(rec)
			chunk = chunk[n:]
			pos.off += int64(n)
			pos.seq++
			progressed = true
		}
	}
	s.lastRead = pos
	return first, records, nil
}

// following returns the position of the first record of the segment
// after pos's.
func (s *Spool) following(pos position) position {
	for i, seg := range s.segs {
		if seg == pos.seg && i+1 < len(s.segs) {
			n := s.segs[i+1]
			return position{seg: n, off: headerLen, seq: n.first}
		}
	}
	return pos
}

// skipTo moves the read position forward to the record numbered seq (or
// to the end). s.mu is held.
func (s *Spool) skipTo(seq uint64) error {
	pos := s.read
	for pos.seq < seq && pos.seq < s.next {
		if pos.off >= pos.seg.size {
			n := s.following(pos)
			if n == pos {
				break
			}
			pos = n
			continue
		}
		if pos.seg.end() <= seq {
			pos = position{seg: pos.seg, off: pos.seg.size, seq: pos.seg.end()}
			continue
		}
		hdr, err := pos.seg.readAt(pos.off, frameHeader)
		if err != nil {
			return err
		}
		pos.off += frameHeader + int64(binary.LittleEndian.Uint32(hdr))
		pos.seq++
	}
	s.read = pos
	return nil
}

// Ack records that the server holds every record up to seq: the cursor is
// written (fsynced), then the segments holding only acknowledged records
// are deleted.
func (s *Spool) Ack(seq uint64) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	if seq >= s.next {
		s.mu.Unlock()
		return fmt.Errorf("acknowledge spool record %d: only %d written", seq, s.next-1)
	}
	stale := seq <= s.acked
	s.mu.Unlock()
	if stale {
		return nil
	}
	if err := writeCursor(s.dir, seq); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if seq <= s.acked { // the oldest segments were dropped meanwhile
		return nil
	}
	if s.lastRead.seq == seq+1 {
		s.read = s.lastRead
	} else if err := s.skipTo(seq + 1); err != nil {
		return err
	}
	s.acked = seq
	// Step over a segment's end first: that segment may go now.
	if s.read.off >= s.read.seg.size {
		s.read = s.following(s.read)
	}
	var errs []error
	for len(s.segs) > 1 && s.segs[0].end() <= seq+1 {
		old := s.segs[0]
		if err := os.Remove(old.path); err != nil {
			errs = append(errs, fmt.Errorf("remove acknowledged spool segment: %w", err))
		}
		s.segs = s.segs[1:]
		s.bytes -= old.size
	}
	return errors.Join(errs...)
}

// Close closes the spool's files and releases its lock. Records appended
// are on disk already.
func (s *Spool) Close() error {
	s.appendMu.Lock()
	defer s.appendMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return errors.Join(s.active.Close(), s.lock.Close())
}
