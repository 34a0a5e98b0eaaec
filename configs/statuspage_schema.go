package configs

// StatusPage is the public status page: its look, its address, and the
// SMS subscription form.
type StatusPage struct {
	// Listen serves the page on an address of its own, apart from the
	// admin API; empty serves it on server.listen.
	Listen string `yaml:"listen"`
	// PublicURL is the page's address as customers reach it (behind a
	// CDN, say); feeds, SMS and e-mail links start with it.
	PublicURL string `yaml:"public_url"`
	Title     string `yaml:"title"`
	// Logo is the URL (or /path on the page's own origin) of a logo image.
	Logo string `yaml:"logo"`
	// TrustedProxies are the addresses (CIDR, or single IPs) of the CDN
	// or proxies in front of the page: only their X-Forwarded-For is
	// believed, so that the subscription limits per client see the
	// customer's address rather than the CDN's.
	TrustedProxies []string `yaml:"trusted_proxies"`
	// TimeZone shows times and cuts the daily bars in this IANA zone.
	TimeZone  string       `yaml:"timezone"`
	Colors    StatusColors `yaml:"colors"`
	Subscribe SMSSubscribe `yaml:"subscribe"`
}

// StatusColors are CSS colours (#rgb or #rrggbb) of the statuses.
type StatusColors struct {
	Operational string `yaml:"operational"`
	Degraded    string `yaml:"degraded"`
	Partial     string `yaml:"partial_outage"`
	Major       string `yaml:"major_outage"`
	Maintenance string `yaml:"maintenance"`
	Accent      string `yaml:"accent"`
}

// SMSSubscribe is the self-service SMS subscription and its protection
// against SMS pumping.
type SMSSubscribe struct {
	Enabled bool `yaml:"enabled"`
	// DefaultRegion parses national numbers (ISO 3166 code such as NL).
	DefaultRegion string `yaml:"default_region"`
	// AllowedCountries lists the ISO codes numbers may come from.
	AllowedCountries []string `yaml:"allowed_countries"`
	// MaxVerificationsPerHour caps verification SMS for the whole page.
	MaxVerificationsPerHour int `yaml:"max_verifications_per_hour"`
	// PerIP, PerNumber and PerPrefix cap verification requests per hour
	// from one client address, to one number, and to one number prefix.
	PerIP     int `yaml:"per_ip_per_hour"`
	PerNumber int `yaml:"per_number_per_hour"`
	PerPrefix int `yaml:"per_prefix_per_hour"`
}
