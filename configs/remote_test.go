package configs

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var _ = addInvalidCases([]invalidCase{
	{"invalid-remote-write-url.yml", `invalid-remote-write-url.yml:3: remote_write url must start with http:// or https://; write a full URL such as http://victoria:8428/api/v1/write`},
	{"invalid-remote-write-url-credentials.yml", `invalid-remote-write-url-credentials.yml:3: remote_write url holds credentials; move them to basic_auth with password: ${REMOTE_PASSWORD}, where they are never printed`},
	{"invalid-remote-write-name-duplicate.yml", `invalid-remote-write-name-duplicate.yml:4: remote_write name "victoria:8428" is already used at line 3; give each endpoint a name of its own (name: defaults to the URL's host)`},
	{"invalid-remote-write-auth-both.yml", `invalid-remote-write-auth-both.yml:5: both basic_auth and bearer_token are set; keep the one the backend expects`},
	{"invalid-remote-write-basic-auth-username.yml", `invalid-remote-write-basic-auth-username.yml:4: basic_auth has no username; write the user name the backend expects`},
	{"invalid-remote-write-basic-auth-password.yml", `invalid-remote-write-basic-auth-password.yml:4: basic_auth has no password; write password: ${REMOTE_PASSWORD} and export the variable`},
	{"invalid-remote-write-bearer-space.yml", `invalid-remote-write-bearer-space.yml:4: bearer_token holds white space; remove it (a token read from a file often ends in a line break)`},
	{"invalid-remote-write-header-name.yml", `invalid-remote-write-header-name.yml:5: header name "X Scope OrgID" is not a valid HTTP header name; use letters, digits and - such as X-Scope-OrgID`},
	{"invalid-remote-write-header-authorization.yml", `invalid-remote-write-header-authorization.yml:5: header Authorization is set by vigil; write basic_auth or bearer_token: ${REMOTE_TOKEN} instead`},
	{"invalid-remote-write-header-reserved.yml", `invalid-remote-write-header-reserved.yml:6: header Content-Encoding is set by vigil for the protocol; remove it`},
	{"invalid-remote-write-timeout.yml", `invalid-remote-write-timeout.yml:4: timeout must be longer than 0; write e.g. 30s`},
	{"invalid-remote-write-queue-max-samples.yml", `invalid-remote-write-queue-max-samples.yml:5: max_samples_per_send 0 is less than 1; write how many samples one request carries at most, e.g. 2000`},
	{"invalid-remote-write-queue-capacity.yml", `invalid-remote-write-queue-capacity.yml:5: queue capacity 1000 is less than max_samples_per_send 2000; a full request must fit in the queue: raise capacity, e.g. to 100000`},
	{"invalid-remote-write-queue-backoff.yml", `invalid-remote-write-queue-backoff.yml:6: max_backoff 10s is shorter than min_backoff 1m; the wait between retries grows from min_backoff to max_backoff: raise max_backoff, e.g. to 30s`},
	{"invalid-remote-read-url.yml", `invalid-remote-read-url.yml:2: remote_read url is empty; write a full URL such as http://victoria:8428`},
	{"invalid-remote-read-chunk.yml", `invalid-remote-read-chunk.yml:4: chunk 30s is too short; read at least 1m per query: write e.g. 24h (shorter only when the backend's sample limit demands it)`},
}...)

func TestRemoteDefaults(t *testing.T) {
	cfg, err := Parse("remote.yml", []byte(`remote_write:
  - url: http://victoria:8428/api/v1/write
  - url: https://mimir.example.com/api/v1/push
    name: mimir
    queue: {capacity: 5000, max_samples_per_send: 500, retry_for: 0s}
remote_read:
  url: http://victoria:8428
`))
	if err != nil {
		t.Fatal(err)
	}
	vm, mimir := cfg.RemoteWrite[0], cfg.RemoteWrite[1]
	wantQueue := RemoteQueue{
		Capacity: DefaultRemoteQueueCapacity, MaxSamplesPerSend: DefaultRemoteMaxSamples,
		BatchSendDeadline: DefaultRemoteBatchDeadline, MinBackoff: DefaultRemoteMinBackoff,
		MaxBackoff: DefaultRemoteMaxBackoff, RetryFor: DefaultRemoteRetryFor,
	}
	if vm.Name != "victoria:8428" || vm.Timeout != DefaultRemoteWriteTimeout || vm.Queue != wantQueue {
		t.Errorf("defaults of the first endpoint: %+v", vm)
	}
	if mimir.Name != "mimir" || mimir.Queue.Capacity != 5000 || mimir.Queue.MaxSamplesPerSend != 500 || mimir.Queue.RetryFor != 0 ||
		mimir.Queue.MinBackoff != DefaultRemoteMinBackoff {
		t.Errorf("the second endpoint keeps what it sets and defaults the rest: %+v", mimir.Queue)
	}
	if r := cfg.RemoteRead; r.Timeout.D() != 2*time.Minute || r.Chunk.D() != 24*time.Hour {
		t.Errorf("remote_read defaults: %+v", r)
	}
	empty, err := Parse("empty.yml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(empty.RemoteWrite) != 0 || empty.RemoteRead.URL != "" {
		t.Errorf("without the sections nothing is remote: %+v %+v", empty.RemoteWrite, empty.RemoteRead)
	}
}

// No password, token or header value reaches an error message, whatever
// else is wrong next to it.
func TestRemoteSecretsNeverPrinted(t *testing.T) {
	t.Setenv("VIGIL_TEST_RW_PASSWORD", "hunter2-password-value")
	t.Setenv("VIGIL_TEST_RW_TOKEN", "tok tok-secret-value")
	t.Setenv("VIGIL_TEST_RW_TENANT", "tenant-secret-value")
	_, err := Parse("secrets.yml", []byte(`remote_write:
  - url: ftp://user:url-secret-value@mimir.example.com/push?key=query-secret-value
    basic_auth: {username: vigil, password: "${VIGIL_TEST_RW_PASSWORD}"}
    bearer_token: "${VIGIL_TEST_RW_TOKEN}"
    headers: {Authorization: "${VIGIL_TEST_RW_TENANT}", "bad header": "${VIGIL_TEST_RW_TENANT}"}
remote_read:
  url: "http://victoria:8428/?token=${VIGIL_TEST_RW_TOKEN}"
  bearer_token: "${VIGIL_TEST_RW_TOKEN}"
`))
	var probs Problems
	if !errors.As(err, &probs) || len(probs) < 6 {
		t.Fatalf("want every problem reported, got %v", err)
	}
	for _, secret := range []string{"hunter2", "tok-secret", "tenant-secret", "url-secret", "query-secret"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("a secret (%s) is in the error:\n%v", secret, err)
		}
	}
}

func TestRemoteValid(t *testing.T) {
	t.Setenv("VIGIL_TEST_RW_PASSWORD", "pass")
	_, err := Parse("valid.yml", []byte(`remote_write:
  - url: https://mimir.example.com/api/v1/push
    name: mimir-tenant-1
    headers: {X-Scope-OrgID: tenant-1}
    basic_auth: {username: vigil, password: "${VIGIL_TEST_RW_PASSWORD}"}
    timeout: 10s
    queue: {capacity: 20000, max_samples_per_send: 1000, batch_send_deadline: 1s, min_backoff: 50ms, max_backoff: 5s, retry_for: 1h}
  - url: http://127.0.0.1:8428/api/v1/write
remote_read:
  url: http://vmselect:8481/select/0/prometheus
  bearer_token: "${VIGIL_TEST_RW_PASSWORD}"
  chunk: 6h
  timeout: 30s
`))
	if err != nil {
		t.Fatal(err)
	}
}
