package ninjs

import (
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/outputs"
)

// Format is ninjs as a Readout output: one schema-valid document per event
// version on a compacted topic. It is registered in pkg/outputs/all.
var Format outputs.Format = format{}

type format struct{}

func (format) Spec() outputs.Spec {
	return outputs.Spec{Key: "ninjs", Name: "IPTC ninjs 3.1", Topic: Topic, Schema: "ninjs/3.1", Compact: true}
}

func (format) Encode(ev *model.LeaderCall) ([]byte, error) { return FromLeaderCall(ev) }
