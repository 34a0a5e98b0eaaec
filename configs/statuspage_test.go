package configs

import "testing"

var _ = addInvalidCases([]invalidCase{
	{"invalid-status-page-listen.yml", `invalid-status-page-listen.yml:3: listen address "status.example.com" is not host:port; write host:port, e.g. 127.0.0.1:8081`},
	{"invalid-status-page-listen-same.yml", `invalid-status-page-listen-same.yml:5: status_page listen "127.0.0.1:8080" is server.listen already; leave status_page.listen out to serve the page beside the API, or give it a port of its own such as 127.0.0.1:8081`},
	{"invalid-status-page-public-url.yml", `invalid-status-page-public-url.yml:4: status_page public_url must start with http:// or https://; write a full URL such as https://status.example.com`},
	{"invalid-status-page-public-url-path.yml", `invalid-status-page-public-url-path.yml:3: status_page public_url "https://example.com/status" has more than scheme and host; the page is served at the root of its own address: write only the origin, such as https://status.example.com`},
	{"invalid-status-page-timezone.yml", `invalid-status-page-timezone.yml:4: timezone "Europe/Amsterdan" is not a known time zone; write an IANA zone such as Europe/Amsterdam`},
	{"invalid-status-page-color.yml", `invalid-status-page-color.yml:5: colour "red" is not #rgb or #rrggbb; write a hex colour such as "#2fcc66", or leave the key out for the built-in one`},
	{"invalid-status-page-logo.yml", `invalid-status-page-logo.yml:3: logo "logo.svg" is neither a /path nor an http(s) URL; write a path on the page's own address such as /logo.svg, or a full URL such as https://cdn.example.com/logo.svg`},
}...)

func TestStatusPageDefaults(t *testing.T) {
	cfg, err := Parse("empty.yml", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.StatusPage
	if s.Title != "Status" || s.TimeZone != "UTC" || s.Listen != "" || s.PublicURL != "" || s.Colors != (StatusColors{}) {
		t.Errorf("defaults = %+v, want title Status, zone UTC, no listen, no public_url, built-in colours", s)
	}
}

func TestStatusPageValid(t *testing.T) {
	for _, c := range []struct{ name, yml string }{
		{"everything", `status_page:
  listen: 127.0.0.1:8081
  public_url: https://status.example.com/
  title: Acme status
  logo: https://cdn.example.com/acme.svg
  timezone: Europe/Amsterdam
  colors: {operational: "#2fcc66", degraded: "#F1C40F", partial_outage: "#e67e22", major_outage: "#e74c3c", maintenance: "#39f", accent: "#123456"}
`},
		{"logo path, http url", `status_page:
  public_url: http://127.0.0.1:8080
  logo: /static/logo.png
`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Parse(c.name+".yml", []byte(c.yml)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestIsHexColor(t *testing.T) {
	for s, want := range map[string]bool{
		"#abc": true, "#AABBCC": true, "#09f": true, "#0a0b0c": true,
		"abc": false, "#abcd": false, "#ggg": false, "#12345": false, "": false, "#": false, "#aabbccdd": false,
	} {
		if got := isHexColor(s); got != want {
			t.Errorf("isHexColor(%q) = %v, want %v", s, got, want)
		}
	}
}

var _ = addInvalidCases([]invalidCase{
	{"invalid-status-page-trusted-proxy.yml", `invalid-status-page-trusted-proxy.yml:4: trusted proxy "cdn.example.com" is not an IP address or CIDR range; write e.g. 203.0.113.0/24 or 2001:db8::/32`},
}...)

func TestParseProxy(t *testing.T) {
	for in, want := range map[string]string{"203.0.113.7/24": "203.0.113.0/24", "192.0.2.1": "192.0.2.1/32", "2001:db8::/32": "2001:db8::/32"} {
		got, err := ParseProxy(in)
		if err != nil || got.String() != want {
			t.Errorf("ParseProxy(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
}
