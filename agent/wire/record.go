package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/vigilmon/vigil/probe"
)

// recordVersion is the first byte of every record; a decoder refuses
// others, so that the format can change without being misread.
const recordVersion = 1

// Flags of a record (its second byte).
const (
	flagOK     = 1 << 0
	flagPhases = 1 << 1
	flagSteps  = 1 << 2
)

// Limits on what a record carries. MaxMessageBytes cuts a result's (and a
// step's) message when it is encoded: messages are for people, and a
// spool of long ones would hold fewer results.
const (
	MaxMessageBytes = 512
	maxNameBytes    = 256
	maxSteps        = 256
)

// ErrRecord is wrapped by every error of DecodeResult.
var ErrRecord = errors.New("invalid result record")

// AppendResult appends the record of r to dst and returns the extended
// slice. Start is kept to the millisecond (as the results database keeps
// it) and read back in UTC; Screenshot is not carried: the PNG stays where
// the browser ran.
//
// Layout: version, flags, check, location, start (ms since the epoch,
// varint), duration and interval (ns, uvarint), reason, message, HTTP
// status (uvarint), then the five phases in probe.PhaseNames order (ns,
// uvarint) when flagPhases is set and the steps when flagSteps is set:
// their count, then per step name, duration, ok/measured bits, status,
// message. A string is a uvarint length and its bytes.
func AppendResult(dst []byte, r *probe.Result) []byte {
	var flags byte
	if r.OK {
		flags |= flagOK
	}
	if r.Phases != nil {
		flags |= flagPhases
	}
	if len(r.Steps) > 0 {
		flags |= flagSteps
	}
	dst = append(dst, recordVersion, flags)
	dst = appendString(dst, r.Check)
	dst = appendString(dst, r.Location)
	dst = binary.AppendVarint(dst, r.Start.UnixMilli())
	dst = appendDuration(dst, r.Duration)
	dst = appendDuration(dst, r.Interval)
	dst = appendString(dst, string(r.Reason))
	dst = appendString(dst, cut(r.Message, MaxMessageBytes))
	dst = binary.AppendUvarint(dst, uint64(max(r.Status, 0)))
	if p := r.Phases; p != nil {
		for _, d := range []time.Duration{p.DNS, p.Connect, p.TLS, p.TTFB, p.Transfer} {
			dst = appendDuration(dst, d)
		}
	}
	if len(r.Steps) > 0 {
		steps := r.Steps[:min(len(r.Steps), maxSteps)]
		dst = binary.AppendUvarint(dst, uint64(len(steps)))
		for i := range steps {
			s := &steps[i]
			var bits byte
			if s.OK {
				bits |= 1
			}
			if s.Measured {
				bits |= 2
			}
			dst = appendString(dst, s.Name)
			dst = appendDuration(dst, s.Duration)
			dst = append(dst, bits)
			dst = binary.AppendUvarint(dst, uint64(max(s.Status, 0)))
			dst = appendString(dst, cut(s.Message, MaxMessageBytes))
		}
	}
	return dst
}

// DecodeResult reads one record made by AppendResult. Every error wraps
// ErrRecord.
func DecodeResult(rec []byte) (probe.Result, error) {
	d := decoder{b: rec}
	var r probe.Result
	if v := d.byte(); v != recordVersion && d.err == nil {
		return r, fmt.Errorf("%w: version %d, this vigil reads %d: run the same vigil version on agents and server", ErrRecord, v, recordVersion)
	}
	flags := d.byte()
	r.Check = d.string(maxNameBytes)
	r.Location = d.string(maxNameBytes)
	r.Start = time.UnixMilli(d.varint()).UTC()
	r.Duration = d.duration()
	r.Interval = d.duration()
	r.Reason = probe.Reason(d.string(maxNameBytes))
	r.Message = d.string(MaxMessageBytes)
	r.Status = d.int()
	r.OK = flags&flagOK != 0
	if flags&flagPhases != 0 {
		r.Phases = &probe.Phases{DNS: d.duration(), Connect: d.duration(), TLS: d.duration(), TTFB: d.duration(), Transfer: d.duration()}
	}
	if flags&flagSteps != 0 {
		n := d.uvarint()
		if n > maxSteps {
			d.fail("%d steps, at most %d", n, maxSteps)
		}
		for i := uint64(0); i < n && d.err == nil; i++ {
			var s probe.Step
			s.Name = d.string(maxNameBytes)
			s.Duration = d.duration()
			bits := d.byte()
			s.OK, s.Measured = bits&1 != 0, bits&2 != 0
			s.Status = d.int()
			s.Message = d.string(MaxMessageBytes)
			r.Steps = append(r.Steps, s)
		}
	}
	if d.err == nil && len(d.b) > 0 {
		d.fail("%d bytes after the result", len(d.b))
	}
	if d.err != nil {
		return probe.Result{}, d.err
	}
	return r, nil
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// appendDuration writes a duration in nanoseconds; a negative one (which
// no probe measures) as 0.
func appendDuration(dst []byte, d time.Duration) []byte {
	return binary.AppendUvarint(dst, uint64(max(d, 0)))
}

// cut shortens s to at most n bytes without splitting a character.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// decoder reads a record; the first error sticks and later reads return
// zero values.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", ErrRecord, fmt.Sprintf(format, args...))
	}
}

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if len(d.b) == 0 {
		d.fail("cut short")
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("bad number")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("bad number")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) duration() time.Duration {
	v := d.uvarint()
	if v > 1<<62 {
		d.fail("duration out of range")
		return 0
	}
	return time.Duration(v)
}

func (d *decoder) int() int {
	v := d.uvarint()
	if v > 1<<31 {
		d.fail("number out of range")
		return 0
	}
	return int(v)
}

func (d *decoder) string(limit int) string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(limit) || n > uint64(len(d.b)) {
		d.fail("string of %d bytes (at most %d, %d left)", n, limit, len(d.b))
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}
