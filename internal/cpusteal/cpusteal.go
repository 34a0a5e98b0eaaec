// Package cpusteal reads how much CPU time the hypervisor took from this
// machine (the steal column of /proc/stat). Benchmarks report it beside
// their latency tails: on a shared VM, steal rather than the code under
// test often decides them.
package cpusteal

import (
	"os"
	"strconv"
	"strings"
)

// Sample is a reading of the machine's CPU time counters.
type Sample struct{ steal, total uint64 }

// Now reads the counters; zero where /proc/stat cannot be read.
func Now() Sample {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return Sample{}
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(line)
	if len(fields) < 2 || fields[0] != "cpu" {
		return Sample{}
	}
	var s Sample
	for i, f := range fields[1:] {
		v, _ := strconv.ParseUint(f, 10, 64)
		s.total += v
		if i == 7 { // user nice system idle iowait irq softirq steal
			s.steal = v
		}
	}
	return s
}

// Since is the share of CPU time stolen between start and now, in percent;
// 0 when it cannot be told (no /proc/stat).
func Since(start Sample) float64 {
	end := Now()
	if end.total <= start.total {
		return 0
	}
	return 100 * float64(end.steal-start.steal) / float64(end.total-start.total)
}
