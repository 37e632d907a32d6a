package processor

import (
	"testing"
	"time"

	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/model"
)

// TestCallReportCarriesDateOrigin: the zone and date basis the extractor
// found reach the report's source, which the merge reads them from.
func TestCallReportCarriesDateOrigin(t *testing.T) {
	st := &model.Statement{ID: "24.kg/1", URL: "https://24.kg/1", Publisher: "24.kg", Lang: "en",
		PublishedAt: time.Date(2021, 5, 1, 11, 41, 0, 0, time.UTC)}
	c := extract.Call{Status: model.StatusHeld, OccurredOn: "2021-05-01", Zone: "Asia/Bishkek", DateBasis: model.DateStated,
		Precision: model.PrecisionDay}
	r := callReport(st, c)
	if r.Source.Zone != "Asia/Bishkek" || r.Source.DateBasis != model.DateStated || r.OccurredOn != "2021-05-01" {
		t.Errorf("source zone %q, basis %q, day %q; want Asia/Bishkek, %q, 2021-05-01", r.Source.Zone, r.Source.DateBasis, r.OccurredOn, model.DateStated)
	}
}
