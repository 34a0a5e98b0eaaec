package spool

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The files of a spool directory (see the package doc).
const (
	idFile     = "id"
	lockFile   = "lock"
	cursorFile = "acked"
	segSuffix  = ".seg"
	// segmentMagic starts every segment.
	segmentMagic = "VGSPOOL1"
	headerLen    = int64(len(segmentMagic))
	// cursorMagic starts the cursor file, followed by the sequence number
	// (8 bytes, little endian) and the CRC-32C of both.
	cursorMagic = "VGCURSR1"
	cursorLen   = len(cursorMagic) + 8 + 4
)

// castagnoli is the CRC-32C table: the polynomial with hardware support.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// segmentName is the file name of the segment whose first record has
// sequence number first: zero-padded, so that names sort in order.
func segmentName(first uint64) string {
	return fmt.Sprintf("%020d%s", first, segSuffix)
}

// parseSegmentName returns the first sequence number a segment file name
// holds; false for other files.
func parseSegmentName(name string) (uint64, bool) {
	digits, ok := strings.CutSuffix(name, segSuffix)
	if !ok || len(digits) != 20 {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	return n, err == nil && n > 0
}

// writeFileDurably replaces dir/name with data: a temporary file, fsynced,
// renamed over the old one, and the directory fsynced, so that after a
// crash the file holds either the old or the new content.
func writeFileDurably(dir, name string, data []byte) error {
	tmp := filepath.Join(dir, name+".tmp")
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
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// syncDir fsyncs a directory, making the creation, renaming and removal
// of its entries durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeCursor records durably that the server holds every record up to
// seq.
func writeCursor(dir string, seq uint64) error {
	b := make([]byte, 0, cursorLen)
	b = append(b, cursorMagic...)
	b = binary.LittleEndian.AppendUint64(b, seq)
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
	if err := writeFileDurably(dir, cursorFile, b); err != nil {
		return fmt.Errorf("write spool cursor: %w", err)
	}
	return nil
}

// readCursor returns the acknowledged sequence number; ok is false when
// the cursor is missing or damaged.
func readCursor(dir string) (seq uint64, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, cursorFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return 0, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("read spool cursor: %w", err)
	}
	if len(b) != cursorLen || string(b[:len(cursorMagic)]) != cursorMagic ||
		crc32.Checksum(b[:cursorLen-4], castagnoli) != binary.LittleEndian.Uint32(b[cursorLen-4:]) {
		return 0, false, nil
	}
	return binary.LittleEndian.Uint64(b[len(cursorMagic):]), true, nil
}

// readID returns the spool's id, "" when there is none (yet).
func readID(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, idFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("read spool id: %w", err)
	}
	id := strings.TrimSpace(string(b))
	if _, err := hex.DecodeString(id); err != nil || len(id) != 32 {
		return "", nil
	}
	return id, nil
}

// newID gives the spool a new random id.
func newID(dir string) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("spool id: %w", err)
	}
	id := hex.EncodeToString(b[:])
	if err := writeFileDurably(dir, idFile, []byte(id+"\n")); err != nil {
		return "", fmt.Errorf("write spool id: %w", err)
	}
	return id, nil
}
