package configs

// The IANA time zone database, embedded (about 450 KB) so that the SLA
// time zones validation accepts also load on machines without
// /usr/share/zoneinfo, such as a distroless container. time.LoadLocation
// uses it only when the system has no zone database of its own.
import _ "time/tzdata"
