package main

// slaConfig is a config with two customers: acme wants five days' notice
// and weeknight hours, globex wants nothing and never warns. No check is
// ever run: the URLs point nowhere.
const slaConfig = `location: test
components: [{id: app, name: App}, {id: other, name: Other}]
checks:
  - name: home
    component: app
    interval: 1m
    http: {url: "http://127.0.0.1:1/"}
  - name: screen
    component: app
    interval: 1m
    http: {url: "http://127.0.0.1:1/screen"}
  - name: other-home
    component: other
    interval: 1m
    http: {url: "http://127.0.0.1:1/other"}
slas:
  - customer: acme
    timezone: Europe/Amsterdam
    components: [app]
    availability_target: 99.9%
    maintenance: {notice: 120h, allowed_hours: {weekdays: "21:00-07:00", weekends: all}, monthly_budget: 4h}
    latency: [{check: screen, threshold: 2s, target: 95%, exclude: [backup-window]}]
    credits: [{below: 99.9%, credit: 10%}, {below: 99.0%, credit: 25%}, {below: 95.0%, credit: 100%}]
  - customer: globex
    timezone: UTC
    components: [other]
    availability_target: 99.5%
windows:
  backup-window: {daily: "00:00-02:00", timezone: Europe/Amsterdam}
`
