// Package all lists the output formats Readout writes. Adding a format is
// one line here: its topic, its processor encoder, its public feed and
// replay's --KEY flag follow from it.
package all

import (
	"github.com/readout/readout/pkg/ninjs"
	"github.com/readout/readout/pkg/outputs"
	"github.com/readout/readout/pkg/plover"
)

// Formats are the output formats, in the order the processor writes them.
var Formats = []outputs.Format{
	ninjs.Format,
	plover.Format,
}
