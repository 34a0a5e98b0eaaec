package log_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/vigilmon/vigil/alert/notify"
	vlog "github.com/vigilmon/vigil/alert/notify/log"
)

func TestLogPrintsTheSMS(t *testing.T) {
	var buf bytes.Buffer
	n := vlog.New(slog.New(slog.NewTextHandler(&buf, nil)))
	r, err := n.Notify(context.Background(), notify.Message{ID: 9, Recipient: "+31612345678", Event: "incident.opened",
		Text: "Checkout is down – since 12:01 https://status.example.com/i/1"})
	if err != nil || r.ProviderID != "log-9" {
		t.Fatalf("Notify = %+v, %v", r, err)
	}
	out := buf.String()
	for _, want := range []string{`to=+31612345678`, `text="Checkout is down - since 12:01 https://status.example.com/i/1"`, "segments=1"} {
		if !strings.Contains(out, want) {
			t.Errorf("log %q lacks %s", out, want)
		}
	}
}
