package textmatch

import (
	"strings"
	"testing"
)

// Real statement texts (testdata/eval/statements-dev.jsonl of the module:
// call-0058 and call-0217), repeated to about 2 KB.
var benchTexts = map[string]string{
	"en": strings.Repeat("Vladimir Putin had a telephone conversation with Prime Minister of Israel Naftali Bennett at the Israeli side's initiative.\n"+
		"The leaders continued the exchange of views on the special operation to defend the republics in Donbass. In this context, Vladimir Putin pointed out the latest barbarous action of the Ukrainian military – today's missile attack at Donetsk central part. ", 5),
	"ru": strings.Repeat("Состоялся телефонный разговор Владимира Путина с Президентом Республики Сербии Александром Вучичем.\n"+
		"Подчёркнут обоюдный настрой на дальнейшее укрепление российско-сербского стратегического партнёрства, в основе которого духовные, культурные и исторические связи народов двух стран. ", 4),
}

func BenchmarkTokenize(b *testing.B) {
	for _, lang := range []string{"en", "ru"} {
		s := benchTexts[lang]
		b.Run(lang, func(b *testing.B) {
			var z Tokenizer
			var toks []Token
			b.SetBytes(int64(len(s)))
			b.ReportAllocs()
			for b.Loop() {
				toks, _ = z.Tokenize(s, 0, 0, toks[:0])
			}
		})
	}
}
