package spool

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// frameHeader is the length and CRC that precede each record.
const frameHeader = 8

// MaxRecordBytes caps one record. A length beyond it is damage, not data.
const MaxRecordBytes = 1 << 20

// ErrCorrupt is returned by Read for a record that fails its CRC after the
// spool was opened (the disk changed under it). Reopening the spool
// repairs the segment.
var ErrCorrupt = errors.New("spool record damaged")

// segment is one segment file: the sequence number of its first record,
// how many records it holds and its size, both up to the last complete
// record written (fsynced).
type segment struct {
	first uint64
	count uint64
	size  int64
	path  string
}

// end is the sequence number after the segment's last record.
func (s *segment) end() uint64 { return s.first + s.count }

// appendFrame appends the framing of one record to dst.
func appendFrame(dst, rec []byte) []byte {
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(rec)))
	dst = binary.LittleEndian.AppendUint32(dst, crc32.Checksum(rec, castagnoli))
	return append(dst, rec...)
}

// nextFrame reads the frame at the start of b. n is the frame's whole
// length; ok is false when b holds no complete, intact frame (cut short,
// a length beyond MaxRecordBytes, a CRC mismatch), short is true when b
// merely ends inside a frame that may be whole on disk.
func nextFrame(b []byte) (rec []byte, n int, ok, short bool) {
	if len(b) < frameHeader {
		return nil, 0, false, true
	}
	size := binary.LittleEndian.Uint32(b)
	if size > MaxRecordBytes {
		return nil, 0, false, false
	}
	n = frameHeader + int(size)
	if len(b) < n {
		return nil, 0, false, true
	}
	rec = b[frameHeader:n]
	if crc32.Checksum(rec, castagnoli) != binary.LittleEndian.Uint32(b[4:]) {
		return nil, 0, false, false
	}
	return rec, n, true, false
}

// loadSegments finds the segments of dir in order and checks each record.
// A segment is cut after its last intact record (what follows is a write
// a crash interrupted, or damage); a segment whose header is damaged is
// removed. It returns how many sequence numbers are missing between the
// segments kept (records lost to damage).
func loadSegments(dir string) (segs []*segment, lost uint64, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, 0, fmt.Errorf("read spool: %w", err)
	}
	for _, e := range entries {
		first, ok := parseSegmentName(e.Name())
		if !ok || !e.Type().IsRegular() {
			continue
		}
		seg := &segment{first: first, path: filepath.Join(dir, e.Name())}
		keep, err := seg.load()
		if err != nil {
			return nil, 0, err
		}
		if keep {
			segs = append(segs, seg)
		}
	}
	slices.SortFunc(segs, func(a, b *segment) int { return cmp.Compare(a.first, b.first) })
	// A segment that runs into the next one is damaged beyond telling
	// which copy of a number is right: keep the later one.
	kept := segs[:0]
	for i, s := range segs {
		if i+1 < len(segs) && s.end() > segs[i+1].first {
			lost += s.count
			if err := os.Remove(s.path); err != nil {
				return nil, 0, fmt.Errorf("remove damaged spool segment: %w", err)
			}
			continue
		}
		kept = append(kept, s)
	}
	segs = kept
	for i := 1; i < len(segs); i++ {
		lost += segs[i].first - segs[i-1].end()
	}
	return segs, lost, nil
}

// load scans the segment file, cutting it after its last intact record.
// keep is false when the file is not a segment (bad header) and was
// removed; a file that a crash left without its whole header is made an
// empty segment again.
func (s *segment) load() (keep bool, err error) {
	b, err := os.ReadFile(s.path)
	if err != nil {
		return false, fmt.Errorf("read spool segment: %w", err)
	}
	if int64(len(b)) < headerLen && string(b) == segmentMagic[:len(b)] {
		b = []byte(segmentMagic)
		if err := os.WriteFile(s.path, b, 0o640); err != nil {
			return false, fmt.Errorf("repair spool segment: %w", err)
		}
	}
	if int64(len(b)) < headerLen || string(b[:headerLen]) != segmentMagic {
		if err := os.Remove(s.path); err != nil {
			return false, fmt.Errorf("remove damaged spool segment: %w", err)
		}
		return false, nil
	}
	off := headerLen
	for {
		_, n, ok, _ := nextFrame(b[off:])
		if !ok {
			break
		}
		off += int64(n)
		s.count++
	}
	s.size = off
	if off < int64(len(b)) {
		if err := os.Truncate(s.path, off); err != nil {
			return false, fmt.Errorf("repair spool segment: %w", err)
		}
	}
	return true, nil
}

// createSegment writes a new, empty segment for records from first on and
// returns it with its file open for appending.
func createSegment(dir string, first uint64) (*segment, *os.File, error) {
	seg := &segment{first: first, size: headerLen, path: filepath.Join(dir, segmentName(first))}
	f, err := os.OpenFile(seg.path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, nil, fmt.Errorf("create spool segment: %w", err)
	}
	_, err = f.Write([]byte(segmentMagic))
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("create spool segment: %w", err)
	}
	return seg, f, nil
}

// readAt reads up to n bytes of the segment from off.
func (s *segment) readAt(off int64, n int64) ([]byte, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return nil, fmt.Errorf("read spool segment: %w", err)
	}
	defer f.Close()
	b := make([]byte, n)
	k, err := f.ReadAt(b, off)
	if err != nil && !(errors.Is(err, io.EOF) && int64(k) == n) {
		return nil, fmt.Errorf("read spool segment: %w", err)
	}
	return b, nil
}
