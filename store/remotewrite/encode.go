package remotewrite

import (
	"math"
	"slices"

	"github.com/golang/snappy"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/vigilmon/vigil/probe"
)

// The remote write 1.0 messages (prometheus/prompb, remote.proto and
// types.proto), of which vigil needs four fields' worth:
//
//	WriteRequest { repeated TimeSeries timeseries = 1; }
//	TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
//	Label        { string name = 1; string value = 2; }
//	Sample       { double value = 1; int64 timestamp = 2; }
//
// They are written straight to the wire with protowire: prompb's generated
// code needs gogo/protobuf, which vigil's module does not carry, and
// writing four messages directly saves building them first.
const (
	fieldTimeSeries  protowire.Number = 1
	fieldLabels      protowire.Number = 1
	fieldSamples     protowire.Number = 2
	fieldLabelName   protowire.Number = 1
	fieldLabelValue  protowire.Number = 2
	fieldSampleValue protowire.Number = 1
	fieldSampleTime  protowire.Number = 2
)

// sample is one value of a series at a time in milliseconds.
type sample struct {
	t int64
	v float64
}

// series is one series the encoder has seen: its Label fields, encoded
// once, and its samples in the request being built.
type series struct {
	labels  []byte
	samples []sample
	gen     uint64 // the request whose samples it holds
}

// maxKnownSeries bounds the encoder's memory of series: past it (checks
// renamed many times over) it starts afresh. A daemon has checks ×
// locations × about ten series.
const maxKnownSeries = 200_000

// encoder builds the compressed WriteRequest of a batch of results. It
// keeps every series' encoded labels and reuses its buffers from one
// request to the next; it is not safe for concurrent use.
type encoder struct {
	known map[seriesKey]*series
	used  []*series // the series of the request being built, in first-use order
	gen   uint64
	raw   []byte
	out   []byte
}

func newEncoder() *encoder {
	return &encoder{known: make(map[seriesKey]*series)}
}

// encode returns the snappy-compressed WriteRequest of results, every
// series once with its samples in time order. The slice is valid until
// the next call.
func (e *encoder) encode(results []probe.Result) []byte {
	if len(e.known) > maxKnownSeries {
		clear(e.known)
	}
	e.gen++
	clear(e.used)
	e.used = e.used[:0]
	for i := range results {
		eachSample(&results[i], e.add)
	}
	e.raw = e.marshal(e.raw[:0])
	e.out = snappy.Encode(e.out[:cap(e.out)], e.raw)
	return e.out
}

// add appends one sample to its series.
func (e *encoder) add(key seriesKey, t int64, v float64) {
	s := e.known[key]
	if s == nil {
		s = &series{labels: appendLabels(nil, &key)}
		e.known[key] = s
	}
	if s.gen != e.gen {
		s.gen, s.samples = e.gen, s.samples[:0]
		e.used = append(e.used, s)
	}
	s.samples = append(s.samples, sample{t, v})
}

// marshal appends the WriteRequest of the series in use to b.
func (e *encoder) marshal(b []byte) []byte {
	for _, s := range e.used {
		if !slices.IsSortedFunc(s.samples, bySampleTime) {
			// Late results: a series' samples go in time order.
			slices.SortStableFunc(s.samples, bySampleTime)
		}
		size := len(s.labels)
		for _, smp := range s.samples {
			size += protowire.SizeTag(fieldSamples) + protowire.SizeBytes(sampleSize(smp))
		}
		b = protowire.AppendTag(b, fieldTimeSeries, protowire.BytesType)
		b = protowire.AppendVarint(b, uint64(size))
		b = append(b, s.labels...)
		for _, smp := range s.samples {
			b = protowire.AppendTag(b, fieldSamples, protowire.BytesType)
			b = protowire.AppendVarint(b, uint64(sampleSize(smp)))
			b = protowire.AppendTag(b, fieldSampleValue, protowire.Fixed64Type)
			b = protowire.AppendFixed64(b, math.Float64bits(smp.v))
			b = protowire.AppendTag(b, fieldSampleTime, protowire.VarintType)
			b = protowire.AppendVarint(b, uint64(smp.t))
		}
	}
	return b
}

func bySampleTime(a, b sample) int {
	switch {
	case a.t < b.t:
		return -1
	case a.t > b.t:
		return 1
	}
	return 0
}

// labelPairs calls fn with the labels of key in sorted order.
func labelPairs(key *seriesKey, fn func(name, value string)) {
	fn(LabelName, key.metric)
	fn(LabelCheck, key.check)
	fn(LabelLocation, key.location)
	if key.extraName != "" {
		fn(key.extraName, key.extraValue)
	}
}

// appendLabels appends the Label fields of key to b.
func appendLabels(b []byte, key *seriesKey) []byte {
	labelPairs(key, func(name, value string) {
		b = protowire.AppendTag(b, fieldLabels, protowire.BytesType)
		b = protowire.AppendVarint(b, uint64(labelSize(name, value)))
		b = protowire.AppendTag(b, fieldLabelName, protowire.BytesType)
		b = protowire.AppendString(b, name)
		b = protowire.AppendTag(b, fieldLabelValue, protowire.BytesType)
		b = protowire.AppendString(b, value)
	})
	return b
}

func labelSize(name, value string) int {
	return protowire.SizeTag(fieldLabelName) + protowire.SizeBytes(len(name)) +
		protowire.SizeTag(fieldLabelValue) + protowire.SizeBytes(len(value))
}

func sampleSize(s sample) int {
	return protowire.SizeTag(fieldSampleValue) + protowire.SizeFixed64() +
		protowire.SizeTag(fieldSampleTime) + protowire.SizeVarint(uint64(s.t))
}
