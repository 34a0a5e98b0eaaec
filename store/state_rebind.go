package store

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// rebindCacheLimit bounds the cache of rebound statements. The state's
// statements are constants apart from a few IN lists whose length
// varies, so the cache normally holds a few dozen entries; the bound only
// guards against a caller that makes up lists of every length.
const rebindCacheLimit = 1024

// dollarRebinder rewrites ? placeholders into PostgreSQL's $1, $2 …,
// remembering each statement's rewrite so that it is worked out once.
type dollarRebinder struct {
	cache sync.Map // statement → rewritten statement
	size  atomic.Int64
}

// rebind returns query with its placeholders numbered.
func (r *dollarRebinder) rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	if q, ok := r.cache.Load(query); ok {
		return q.(string)
	}
	q := numberPlaceholders(query)
	if r.size.Load() < rebindCacheLimit {
		if _, loaded := r.cache.LoadOrStore(query, q); !loaded {
			r.size.Add(1)
		}
	}
	return q
}

// numberPlaceholders replaces every ? outside string literals, quoted
// identifiers and comments with $1, $2 … in order.
func numberPlaceholders(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		case c == '\'' || c == '"':
			// A literal or identifier runs to the next unpaired quote; a
			// doubled quote inside it is part of it.
			end := i + 1
			for end < len(query) && query[end] != c {
				end++
			}
			b.WriteString(query[i:min(end+1, len(query))])
			i = end
			continue
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			end := strings.IndexByte(query[i:], '\n')
			if end < 0 {
				end = len(query) - i
			}
			b.WriteString(query[i : i+end])
			i += end - 1
			continue
		case c == '/' && i+1 < len(query) && query[i+1] == '*':
			end := strings.Index(query[i+2:], "*/")
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+2+end+2])
			i += 2 + end + 1
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
