package extract_test

import (
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/readout/readout/internal/eval"
	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
)

// benchCall is a typical call readout: call-0058 of testdata/eval/statements-dev.jsonl.
var benchCall = &model.Statement{
	ID: "call-0058", Publisher: "en.kremlin.ru", PublishedAt: time.Date(2022, 3, 14, 17, 25, 0, 0, time.UTC),
	Title: "Telephone conversation with Prime Minister of Israel Naftali Bennett",
	Text: "Vladimir Putin had a telephone conversation with Prime Minister of Israel Naftali Bennett at the Israeli side's initiative.\n" +
		"The leaders continued the exchange of views on the special operation to defend the republics in Donbass. In this context, Vladimir Putin pointed out the latest barbarous action of the Ukrainian military – today's missile attack at Donetsk central part. The missile had a cluster munition, which resulted in numerous civilian casualties. Naftali Bennett told the President of Russia about his recent contacts on Ukrainian issues with the leaders of a number of states. In turn, Vladimir Putin told Naftali Bennett about his assessments of the negotiations between Russian and Ukrainian representatives, which are being held these days via videoconference. The leaders agreed to maintain contact.",
}

// benchCallRU is a typical Russian call readout: call-0217 of testdata/eval/statements-dev.jsonl.
var benchCallRU = &model.Statement{
	ID: "call-0217", Publisher: "kremlin.ru", PublishedAt: time.Date(2025, 3, 7, 13, 20, 0, 0, time.UTC),
	Title: "Телефонный разговор с Президентом Сербии Александром Вучичем",
	Text: "Состоялся телефонный разговор Владимира Путина с Президентом Республики Сербии Александром Вучичем.\n" +
		"Подчёркнут обоюдный настрой на дальнейшее укрепление российско-сербского стратегического партнёрства, в основе которого духовные, культурные и исторические связи народов двух стран. Александр Вучич Вучич Александр Президент Республики Сербия подтвердил, что приедет в Москву на празднование 80-летия Победы в Великой Отечественной войне, а также направит подразделение вооружённых сил Сербии для участия в параде 9 мая 2025 года. Предметно рассмотрен ряд практических вопросов дальнейшего взаимодействия в различных областях, прежде всего в сфере энергетики. Владимир Путин отметил недопустимость внешнего вмешательства во внутриполитичес­кую ситуацию в Сербии, высказался в поддержку действий законно избранных властей. С российской стороны была также выражена солидарность с Президентом Республики Сербской Милорадом Додиком. Пользуясь случаем, Владимир Путин тепло поздравил Президента Сербии с недавно отмечавшимся его 55-летием. Условлено о продолжении дальнейших контактов на различных уровнях.",
}

// benchNonCall is a typical item of the live feed that is not a call: its
// title passes the genre filter, so the body is read. From
// /work/shared/fixtures/kremlin/en-events-all-feed-2018-01-07.atom.xml, tags removed.
var benchNonCall = &model.Statement{
	ID: "tartus", Publisher: "en.kremlin.ru", PublishedAt: time.Date(2017, 12, 29, 11, 10, 0, 0, time.UTC),
	Title: "Federal Law on ratifying agreement between Russia and Syria on extending Russian Navy’s inventory and logistics support centre area in port of Tartus",
	Text: "The President has signed the Federal Law On Ratifying the Agreement between the Russian Federation and the Syrian Arab Republic on Extending the Area of the Russian Navy’s Inventory and Logistics Support Centre in the Port of Tartus and the Entering by Russian Federation Military Ship into the Territorial Sea, Inland Waters and Ports of the Syrian Arab Republic.\n" +
		"The agreement was signed in Damascus on January 18, 2017.\n" +
		"The agreement establishes the international legal foundation for regulating terms that provide for the inventory and logistics support centre of the Russian Navy to be located in the Syrian Arab Republic.\n" +
		"For the deployment and functioning of the inventory and logistics support centre, the Syrian side will transfer to the Russian side land plots and water areas to use free of charge in the port of Tartus, as well as real estate.\n" +
		"The provisions of the Agreement shall regulate issues pertaining to the status of the staff of the inventory and logistics centre and their family members, crew members of military ships of the Russian Federation, jurisdiction of the inventory and logistics centre, and shall define how property relations connected with the use and maintenance of moveable and immoveable property and the use of land plots and water areas shall be regulated.\n" +
		"The agreement, in particular, defines how Russian ships enter and exit the ports of the Syrian Arab, regulate issues dealing with information protection, the use of communication and electronic warfare devices relating to the inventory and logistics support centre, protection of its location and use of weapons, and access for authorized representatives of the Syrian Side to the area of the inventory and logistics support center.\n" +
		"The agreement shall apply from the date of its signing and shall be valid for 49 years, with the option of its automatic extension for successive 25-year periods.",
}

func TestBenchItems(t *testing.T) {
	ex := newExtractor(t)
	calls := ex.Extract(benchCall)
	if len(calls) != 1 || !strings.Contains(ids(calls[0]), "Q7747") || calls[0].OccurredOn != "2022-03-14" {
		t.Fatalf("call item: %+v", calls)
	}
	if len(calls[0].Topics) == 0 || calls[0].Topics[0].ID != "ukraine" {
		t.Errorf("call item topics: %+v", calls[0].Topics)
	}
	calls = ex.Extract(benchCallRU)
	if len(calls) != 1 || ids(calls[0]) != "Q222031,Q7747" || calls[0].OccurredOn != "2025-03-07" {
		t.Errorf("Russian call item: %+v", calls)
	}
	if calls := ex.Extract(benchNonCall); calls != nil {
		t.Errorf("non-call item: %+v", calls)
	}
}

func BenchmarkExtract(b *testing.B) {
	ex := newExtractor(b)
	for _, bc := range []struct {
		name string
		st   *model.Statement
	}{{"call", benchCall}, {"call-ru", benchCallRU}, {"noncall", benchNonCall}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.st.Title) + len(bc.st.Text)))
			for b.Loop() {
				ex.Extract(bc.st)
			}
		})
	}
}

func devStatements(tb testing.TB) []*model.Statement {
	tb.Helper()
	sts, err := eval.ReadStatements(filepath.Join(repoRoot(tb), "testdata", "eval", "statements-dev.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	var ms []*model.Statement
	for _, s := range sts {
		m, err := s.ToModel()
		if err != nil {
			tb.Fatal(err)
		}
		ms = append(ms, m)
	}
	return ms
}

// BenchmarkExtractDevSet runs every dev-set statement once per iteration
// (half of them are calls, more than in a live feed) and reports items/s on
// one goroutine and, in parallel, on all of GOMAXPROCS.
func BenchmarkExtractDevSet(b *testing.B) {
	ex := newExtractor(b)
	ms := devStatements(b)
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, m := range ms {
				ex.Extract(m)
			}
		}
		b.ReportMetric(float64(b.N*len(ms))/b.Elapsed().Seconds(), "items/s")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ms)), "ns/item")
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				ex.Extract(ms[i%len(ms)])
				i++
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
	})
}

// TestExtractConcurrent checks that concurrent Extract calls, which share
// pooled scratch memory, give the results of sequential ones (run it with
// -race).
func TestExtractConcurrent(t *testing.T) {
	ex := newExtractor(t)
	ms := devStatements(t)
	want := make([][]extract.Call, len(ms))
	for i, m := range ms {
		want[i] = ex.Extract(m)
	}
	const workers = 4
	var wg sync.WaitGroup
	errs := make(chan string, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for k := range ms {
				i := (k*7 + w*31) % len(ms) // each worker in its own order
				if got := ex.Extract(ms[i]); !reflect.DeepEqual(got, want[i]) {
					errs <- ms[i].ID
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for id := range errs {
		t.Errorf("%s: concurrent result differs from the sequential one", id)
	}
}

// BenchmarkNew builds the extractor over the embedded gazetteer: the
// processor's start-up cost beside gazetteer.Default.
func BenchmarkNew(b *testing.B) {
	g, err := gazetteer.Default()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		extract.New(g)
	}
}
