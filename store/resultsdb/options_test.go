package resultsdb

import (
	"testing"
	"time"
)

func TestRetentionOptions(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		opts                     Options
		retention, ooo, maxBlock time.Duration
	}{
		{Options{}, 400 * day, time.Hour, 31 * day},
		{Options{Retention: 30 * day, OutOfOrder: 10 * time.Minute}, 30 * day, 10 * time.Minute, 3 * day},
		{Options{Retention: 2 * day}, 2 * day, time.Hour, 2 * day / 10},
		{Options{Retention: 12 * time.Hour}, 12 * time.Hour, time.Hour, 2 * time.Hour}, // never below the 2h head block
	}
	for _, tt := range tests {
		o := tt.opts.withDefaults().tsdbOptions()
		if got := time.Duration(o.RetentionDuration) * time.Millisecond; got != tt.retention {
			t.Errorf("%+v: retention %v, want %v", tt.opts, got, tt.retention)
		}
		if got := time.Duration(o.OutOfOrderTimeWindow) * time.Millisecond; got != tt.ooo {
			t.Errorf("%+v: out-of-order window %v, want %v", tt.opts, got, tt.ooo)
		}
		if got := time.Duration(o.MaxBlockDuration) * time.Millisecond; got != tt.maxBlock {
			t.Errorf("%+v: max block %v, want %v", tt.opts, got, tt.maxBlock)
		}
	}
	// The options reach the open db.
	r := openTest(t, t.TempDir(), Options{Retention: 30 * day})
	if r.opts.Retention != 30*day || r.opts.CommitInterval != DefaultCommitInterval {
		t.Errorf("opened with %+v", r.opts)
	}
}
