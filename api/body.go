package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// MaxBodyBytes caps a JSON request body.
const MaxBodyBytes = 64 << 10

// decodeBody reads one JSON object into v: unknown fields, trailing data
// and bodies over MaxBodyBytes are errors that say what to fix. An empty
// body leaves v as it is when emptyOK is set.
func decodeBody(w http.ResponseWriter, r *http.Request, v any, emptyOK bool) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var maxErr *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var timeErr *time.ParseError
	switch {
	case err == nil:
	case errors.Is(err, io.EOF) && emptyOK:
		return nil
	case errors.Is(err, io.EOF):
		return errors.New("the request body is empty: send a JSON object")
	case errors.As(err, &maxErr):
		return fmt.Errorf("the request body is larger than %d bytes: send only the fields this call takes", MaxBodyBytes)
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return fmt.Errorf("field %q: expected %s: write times in RFC 3339 such as \"2026-10-06T22:00:00+02:00\"", typeErr.Field, typeErr.Type)
	case errors.As(err, &timeErr):
		return fmt.Errorf("time %s is not RFC 3339: write e.g. \"2026-10-06T22:00:00+02:00\"", timeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("the request body is not valid JSON (at byte %d): %w", syntaxErr.Offset, err)
	default:
		// Unknown fields, times that do not parse: the decoder names them.
		return fmt.Errorf("the request body does not fit: %w", err)
	}
	if err := dec.Decode(&json.RawMessage{}); !errors.Is(err, io.EOF) {
		return errors.New("the request body holds more than one JSON value: send exactly one object")
	}
	return nil
}
