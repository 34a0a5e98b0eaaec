package configs

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		in   string
		want time.Duration
		err  string
	}{
		{in: "30s", want: 30 * time.Second},
		{in: "1h30m", want: 90 * time.Minute},
		{in: "500ms", want: 500 * time.Millisecond},
		{in: "400d", want: 400 * day},
		{in: "2w", want: 14 * day},
		{in: "1w2d3h", want: 9*day + 3*time.Hour},
		{in: "1d12h30m", want: day + 12*time.Hour + 30*time.Minute},
		{in: " 5m ", want: 5 * time.Minute},
		{in: "0s", want: 0},
		{in: "", err: "empty duration: write a number with a unit, e.g. 30s, 5m, 2h or 400d"},
		{in: "60", err: `invalid duration "60": write a number with a unit, e.g. 30s, 5m, 2h or 400d`},
		{in: "5 minutes", err: `invalid duration "5 minutes": write a number with a unit, e.g. 30s, 5m, 2h or 400d`},
		{in: "1.5d", err: `invalid duration "1.5d": write a number with a unit, e.g. 30s, 5m, 2h or 400d`},
		{in: "1d-5h", err: `invalid duration "1d-5h": write a number with a unit, e.g. 30s, 5m, 2h or 400d`},
		{in: "99999999999999d", err: `invalid duration "99999999999999d": too long`},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		switch {
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("ParseDuration(%q) error = %v, want %q", tt.in, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("ParseDuration(%q): %v", tt.in, err)
		case tt.err == "" && got != tt.want:
			t.Errorf("ParseDuration(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDurationString(t *testing.T) {
	day := 24 * time.Hour
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{400 * day, "400d"},
		{day + 12*time.Hour, "1d12h"},
		{12 * time.Hour, "12h"},
		{90 * time.Minute, "1h30m"},
		{90 * time.Second, "1m30s"},
		{10 * time.Minute, "10m"},
		{500 * time.Millisecond, "500ms"},
		{0, "0s"},
	} {
		got := Duration(tt.d).String()
		if got != tt.want {
			t.Errorf("Duration(%v).String() = %q, want %q", tt.d, got, tt.want)
		}
		back, err := ParseDuration(got)
		if err != nil || back != tt.d {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", got, back, err, tt.d)
		}
	}
}

func TestParsePercent(t *testing.T) {
	tests := []struct {
		in   string
		want Percent
		err  string
	}{
		{in: "99.9%", want: 999000},
		{in: "99.95%", want: 999500},
		{in: "99.9999%", want: 999999},
		{in: "100%", want: 1_000_000},
		{in: "0%", want: 0},
		{in: "95%", want: 950000},
		{in: " 99.5% ", want: 995000},
		{in: "99.89995%", err: `invalid percentage "99.89995%": at most four decimals (99.9999%)`},
		{in: "99.9", err: `invalid percentage "99.9": write it with a % sign, e.g. 99.9%`},
		{in: "100.01%", err: `invalid percentage "100.01%": at most 100%`},
		{in: "101%", err: `invalid percentage "101%": at most 100%`},
		{in: "-1%", err: `invalid percentage "-1%": write e.g. 99.9%`},
		{in: "+99%", err: `invalid percentage "+99%": write e.g. 99.9%`},
		{in: "99.+5%", err: `invalid percentage "99.+5%": write e.g. 99.9%`},
		{in: "99.%", err: `invalid percentage "99.%": write e.g. 99.9%`},
		{in: ".5%", err: `invalid percentage ".5%": write e.g. 99.9%`},
		{in: "%", err: `invalid percentage "%": write e.g. 99.9%`},
	}
	for _, tt := range tests {
		got, err := ParsePercent(tt.in)
		switch {
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("ParsePercent(%q) error = %v, want %q", tt.in, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("ParsePercent(%q): %v", tt.in, err)
		case tt.err == "" && got != tt.want:
			t.Errorf("ParsePercent(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestPercentString(t *testing.T) {
	for p, want := range map[Percent]string{999000: "99.9%", 999500: "99.95%", 1_000_000: "100%", 950000: "95%", 999999: "99.9999%"} {
		if got := p.String(); got != want {
			t.Errorf("Percent(%d).String() = %q, want %q", p, got, want)
		}
	}
}

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want ByteSize
		ok   bool
	}{
		{"65536", 65536, true},
		{"512KiB", 512 << 10, true},
		{"10MiB", 10 << 20, true},
		{"1 GiB", 1 << 30, true},
		{"100B", 100, true},
		{"10MB", 0, false},
		{"1.5MiB", 0, false},
		{"-1", 0, false},
		{"+5", 0, false},
		{"", 0, false},
		{"99999999999GiB", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseByteSize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// sloDoc stands in for a schema section with percentages (SLA targets):
// decode reports bad ones at their line, all of them.
type sloDoc struct {
	Target Percent `yaml:"target"`
	Floor  Percent `yaml:"floor"`
}

func TestPercentErrorsAtTheirLine(t *testing.T) {
	var doc sloDoc
	data := []byte("# Percent values (SLA targets) are checked as they are decoded.\ntarget: 99.9\nfloor: 99.12345%\n")
	c := decode("invalid-percent.yml", data, &doc, func(string) (string, bool) { return "", false })
	want := `invalid-percent.yml:2: invalid percentage "99.9": write it with a % sign, e.g. 99.9%` + "\n" +
		`invalid-percent.yml:3: invalid percentage "99.12345%": at most four decimals (99.9999%)`
	if got := c.result(); got == nil || got.Error() != want {
		t.Errorf("error:\n got: %v\nwant: %s", got, want)
	}

	c = decode("ok.yml", []byte("target: 99.95%\nfloor: 95%\n"), &doc, func(string) (string, bool) { return "", false })
	if c.result() != nil || doc.Target != 999500 || doc.Floor != 950000 {
		t.Errorf("decode = %+v, %v", doc, c.result())
	}
}
