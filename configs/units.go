package configs

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Duration is a time.Duration written as "30s", "1h30m", "400d" or "2w".
type Duration time.Duration

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// ParseDuration accepts Go durations plus the units d (24h) and w (7d),
// which Go lacks and retention and notice periods need.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("invalid duration %q: write a number with a unit, e.g. 30s, 5m, 2h or 400d", s)
	if s == "" {
		return 0, fmt.Errorf("empty duration: write a number with a unit, e.g. 30s, 5m, 2h or 400d")
	}
	var total time.Duration
	rest := s
	for {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i >= len(rest) || (rest[i] != 'd' && rest[i] != 'w') {
			break
		}
		unit := 24 * time.Hour
		if rest[i] == 'w' {
			unit = 7 * 24 * time.Hour
		}
		n, err := strconv.ParseInt(rest[:i], 10, 64)
		if err != nil || n > int64((math.MaxInt64-total)/unit) {
			return 0, fmt.Errorf("invalid duration %q: too long", s)
		}
		total += time.Duration(n) * unit
		rest = rest[i+1:]
	}
	if rest == "" {
		return total, nil
	}
	if total > 0 && (rest[0] == '-' || rest[0] == '+') {
		return 0, bad // "1d-5h": one sign for the whole duration
	}
	d, err := time.ParseDuration(rest)
	if err != nil || (total > 0 && d > math.MaxInt64-total) {
		return 0, bad
	}
	return total + d, nil
}

// UnmarshalYAML implements yaml.Unmarshaler.
// Errors carry the node's line as a *yaml.TypeError, so that decoding
// goes on and every bad value in a file is reported.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return nodeError(n, "a duration is one value such as 30s, 5m or 400d, not a list or mapping")
	}
	v, err := ParseDuration(n.Value)
	if err != nil {
		return nodeError(n, err.Error())
	}
	if v < 0 {
		return nodeError(n, fmt.Sprintf("duration %q is negative; write a positive duration such as 30s", n.Value))
	}
	*d = Duration(v)
	return nil
}

// nodeError reports a bad value at its line in the form yaml.v3 uses for
// the errors it collects ("line N: message").
func nodeError(n *yaml.Node, msg string) error {
	return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %s", n.Line, msg)}}
}

// MarshalYAML implements yaml.Marshaler.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// String formats the way a config file would say it, and ParseDuration
// reads back: whole days as "d", no zero units ("400d", "1d12h", "1h30m",
// "90s" as "1m30s", "500ms").
func (d Duration) String() string {
	v := time.Duration(d)
	if v <= 0 {
		return v.String()
	}
	const day = 24 * time.Hour
	s := ""
	if days := v / day; days > 0 {
		s = strconv.FormatInt(int64(days), 10) + "d"
		v -= days * day
		if v == 0 {
			return s
		}
	}
	rest := v.String()
	rest = trimZeroUnit(rest, "m0s")
	rest = trimZeroUnit(rest, "h0m")
	return s + rest
}

// trimZeroUnit drops a trailing zero unit: "12h0m0s" → "12h0m" → "12h".
func trimZeroUnit(s, suffix string) string {
	if strings.HasSuffix(s, suffix) {
		return s[:len(s)-2]
	}
	return s
}

// ByteSize is a size written as 1048576, "512KiB", "10MiB" or "1GiB".
type ByteSize int64

// UnmarshalYAML implements yaml.Unmarshaler.
// Errors carry the node's line (see Duration.UnmarshalYAML).
func (b *ByteSize) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseByteSize(n.Value)
	if err != nil || n.Kind != yaml.ScalarNode {
		return nodeError(n, fmt.Sprintf("invalid size %q: write bytes or a unit, e.g. 65536, 512KiB or 10MiB", n.Value))
	}
	*b = v
	return nil
}

// ParseByteSize reads a size written as bytes ("65536") or with a binary
// unit: "512KiB", "10MiB", "1GiB".
func ParseByteSize(str string) (ByteSize, error) {
	s := strings.TrimSpace(str)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 || !allDigits(s) || v > math.MaxInt64/mult {
		return 0, fmt.Errorf("invalid size %q: write bytes or a unit, e.g. 65536, 512KiB or 10MiB", str)
	}
	return ByteSize(v * mult), nil
}

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Percent is a percentage kept exactly as parts per million: "99.9%" is 999000.
type Percent int64

// ParsePercent reads "99.9%" (up to four decimals) into parts per million.
func ParsePercent(s string) (Percent, error) {
	t := strings.TrimSpace(s)
	if !strings.HasSuffix(t, "%") {
		return 0, fmt.Errorf("invalid percentage %q: write it with a %% sign, e.g. 99.9%%", s)
	}
	t = strings.TrimSuffix(t, "%")
	whole, frac, _ := strings.Cut(t, ".")
	if len(frac) > 4 && allDigits(frac) {
		return 0, fmt.Errorf("invalid percentage %q: at most four decimals (99.9999%%)", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || !allDigits(whole) || (frac != "" && !allDigits(frac)) || strings.HasSuffix(t, ".") {
		return 0, fmt.Errorf("invalid percentage %q: write e.g. 99.9%%", s)
	}
	var f int64
	if frac != "" {
		f, err = strconv.ParseInt(frac+strings.Repeat("0", 4-len(frac)), 10, 64)
		if err != nil || f < 0 {
			return 0, fmt.Errorf("invalid percentage %q: write e.g. 99.9%%", s)
		}
	}
	if w > 100 || w*10_000+f > 1_000_000 {
		return 0, fmt.Errorf("invalid percentage %q: at most 100%%", s)
	}
	return Percent(w*10_000 + f), nil
}

// UnmarshalYAML implements yaml.Unmarshaler.
// Errors carry the node's line (see Duration.UnmarshalYAML).
func (p *Percent) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParsePercent(n.Value)
	if err != nil {
		return nodeError(n, err.Error())
	}
	*p = v
	return nil
}

// String formats the value as a percentage without trailing zeros.
func (p Percent) String() string {
	s := strconv.FormatInt(int64(p)/10_000, 10)
	if f := int64(p) % 10_000; f != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%04d", f), "0")
	}
	return s + "%"
}
