package sla

import (
	"fmt"
	"strings"
	"time"
)

// Judge says whether the terms count window w as planned maintenance
// (section 3): announced at least Notice before its start and, where allowed
// hours are set, every minute of its scheduled span [Start, End) inside them
// on the wall clock of the terms' zone (UTC when Location is nil). When it is
// not planned, reason says why, e.g. "notice 72h < 120h" or
// "outside allowed hours: Tue 13:00", reasons joined by "; ".
//
// Judge looks only at the schedule and the announcement, never at ActualEnd
// or at the components: it is the rule the calculator applies to every
// window of its scope, exported so that a window can be judged before it
// is scheduled (and the engineer warned before it costs money).
func (t Terms) Judge(w Window) (planned bool, reason string) {
	var why []string
	if w.AnnouncedAt.After(w.Start.Add(-t.Notice)) {
		if notice := w.Start.Sub(w.AnnouncedAt); notice < 0 {
			why = append(why, fmt.Sprintf("announced %s after start, notice %s required", fmtHours(-notice), fmtHours(t.Notice)))
		} else {
			why = append(why, fmt.Sprintf("notice %s < %s", fmtHours(notice), fmtHours(t.Notice)))
		}
	}
	loc := t.Location
	if loc == nil {
		loc = time.UTC
	}
	if bad, ok := firstDisallowed(t.AllowedHours, w.Start, w.End, loc); ok {
		why = append(why, "outside allowed hours: "+bad.Format("Mon 15:04"))
	}
	return len(why) == 0, strings.Join(why, "; ")
}
