package statuspage

import (
	"bytes"
	"time"
)

// snapshot is one rendering of everything the page serves, by request key.
type snapshot struct {
	at     time.Time
	assets map[string]*asset
}

// render turns c into a snapshot. at is the time of the change (the
// API's updated_at, Last-Modified). A resource whose bytes did not change
// keeps the asset of the previous snapshot, and so its Last-Modified and
// its compressed form.
func (p *Page) render(c *content, at, now time.Time) (*snapshot, error) {
	type doc struct {
		body               []byte
		contentType, cache string
	}
	docs := map[string]doc{}
	bars, err := p.bars.render(c)
	if err != nil {
		return nil, err
	}
	pages, err := renderHTML(p.site, p.tmpl, c, bars, at, now)
	if err != nil {
		return nil, err
	}
	for key, b := range pages {
		docs[key] = doc{b, typeHTML, cacheState}
	}
	yield()
	api, err := newV2Docs(p.site, c, at, p.created).render()
	if err != nil {
		return nil, err
	}
	for key, b := range api {
		docs[key] = doc{b, typeJSON, cacheState}
	}
	atom, err := renderAtom(p.site, c, at)
	if err != nil {
		return nil, err
	}
	docs["/history.atom"] = doc{atom, typeAtom, cacheFeed}
	docs["/maintenance.ics"] = doc{renderICal(p.site, c, at), typeICal, cacheFeed}

	prev := p.snap.Load()
	s := &snapshot{at: at, assets: make(map[string]*asset, len(docs)+1)}
	for key, d := range docs {
		yield()
		if prev != nil {
			if old, ok := prev.assets[key]; ok && bytes.Equal(old.body, d.body) {
				s.assets[key] = old
				continue
			}
		}
		s.assets[key] = newAsset(d.body, d.contentType, d.cache, at)
	}
	// The address every SMS links to (public_url/status) is the home page.
	s.assets["/status"] = s.assets["/"]
	return s, nil
}
