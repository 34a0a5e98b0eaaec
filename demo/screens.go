package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// screen is one key screen: where its record and its page are, the ids
// the pages use, and its latency distribution, a log-normal with the given
// median whose spread puts a few percent of openings above 2 s, as real
// screens behave.
type screen struct {
	api     string // the JSON record, api+"{id}"
	page    string // the page that renders it, page+"{id}"
	title   string
	link    string // id of the link to the screen on /app
	element string // id of the element the page renders once the record is in
	example string // the record /app links to
	median  time.Duration
	sigma   float64
	fields  func(id int) []property
}

var screens = []screen{
	{
		api: "/api/employees/", page: "/app/employees/", title: "Eigenschappen Medewerker",
		link: "open-employee", element: "employee-properties", example: "42",
		median: 400 * time.Millisecond, sigma: 0.85, fields: employeeFields,
	},
	{
		api: "/api/sales-relations/", page: "/app/sales-relations/", title: "Eigenschappen Verkooprelatie",
		link: "open-sales-relation", element: "sales-relation-properties", example: "7",
		median: 550 * time.Millisecond, sigma: 0.7, fields: salesFields,
	},
	{
		api: "/api/purchase-relations/", page: "/app/purchase-relations/", title: "Eigenschappen Inkooprelatie",
		link: "open-purchase-relation", element: "purchase-relation-properties", example: "9",
		median: 350 * time.Millisecond, sigma: 0.8, fields: purchaseFields,
	},
}

// slowExtra is what slow mode adds to every screen: above any 2 s objective.
const slowExtra = 3 * time.Second

// maxLatency caps a drawn latency: the far tail of a log-normal is
// unbounded, a real server's timeout is not.
const maxLatency = 30 * time.Second

// record is a screen's JSON answer.
type record struct {
	Screen     string     `json:"screen"`
	ID         string     `json:"id"`
	Properties []property `json:"properties"`
}

// property is one labelled value of a record, in display order.
type property struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// recordID parses a record id: a positive number of at most nine digits.
func recordID(s string) (int, bool) {
	if len(s) == 0 || len(s) > 9 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0 && strconv.Itoa(n) == s
}

func (a *App) screenAPI(s screen) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !a.apiAuthorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="profit"`)
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "log in first: POST /api/login, then send Authorization: Bearer <token>"})
			return
		}
		id, ok := recordID(r.PathValue("id"))
		if !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such record: ids are positive numbers"})
			return
		}
		a.sleep(r, a.latency(s))
		writeJSON(w, http.StatusOK, record{Screen: s.title, ID: strconv.Itoa(id), Properties: s.fields(id)})
	}
}

// latency draws one opening time for the screen.
func (a *App) latency(s screen) time.Duration {
	d := time.Duration(float64(s.median) * math.Exp(s.sigma*rand.NormFloat64()))
	if a.Mode() == ModeSlow {
		d += slowExtra
	}
	return min(d, maxLatency)
}

// The records' made-up content, the same for the same id.

var (
	firstNames = []string{"Anna", "Bram", "Chantal", "Daan", "Eva", "Femke", "Gert", "Hanna"}
	lastNames  = []string{"de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"}
	functions  = []string{"Salarisadministrateur", "Accountmanager", "Projectleider", "Consultant", "Controller"}
	companies  = []string{"Bakkerij Brood & Co", "Installatietechniek Noord", "De Groene Kas", "Transport Oost", "Studio Vlak"}
	places     = []string{"Amsterdam", "Leeuwarden", "Utrecht", "Zwolle", "Eindhoven", "Groningen"}
)

func pick(list []string, id, salt int) string { return list[(id*7+salt)%len(list)] }

func employeeFields(id int) []property {
	return []property{
		{"Medewerker", fmt.Sprintf("%06d", id)},
		{"Naam", pick(firstNames, id, 0) + " " + pick(lastNames, id, 3)},
		{"Functie", pick(functions, id, 1)},
		{"Vestiging", pick(places, id, 2)},
		{"In dienst", fmt.Sprintf("%d-%02d-01", 2010+id%15, 1+id%12)},
	}
}

func salesFields(id int) []property {
	return []property{
		{"Debiteur", fmt.Sprintf("%05d", 10000+id)},
		{"Organisatie", pick(companies, id, 0)},
		{"Plaats", pick(places, id, 1)},
		{"Betalingstermijn", fmt.Sprintf("%d dagen", 14+(id%3)*14)},
		{"Kredietlimiet", fmt.Sprintf("€ %d.000", 5+id%20)},
	}
}

func purchaseFields(id int) []property {
	return []property{
		{"Crediteur", fmt.Sprintf("%05d", 20000+id)},
		{"Organisatie", pick(companies, id, 2)},
		{"Plaats", pick(places, id, 4)},
		{"Betalingstermijn", fmt.Sprintf("%d dagen", 30+(id%2)*30)},
		{"IBAN", fmt.Sprintf("NL%02dBANK%010d", 10+id%89, id)},
	}
}
