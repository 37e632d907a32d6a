package extract_test

import (
	"slices"
	"testing"
	"time"

	"github.com/readout/readout/pkg/model"
)

// TestTopicRules checks each rule of topicrules.go on a call statement: the
// body sentence decides whether a topic is assigned.
func TestTopicRules(t *testing.T) {
	ex := newExtractor(t)
	tests := []struct {
		name, pub, title, body string
		topic                  string
		want                   bool
	}{
		{"plain trigger", "en.kremlin.ru", "Telephone conversation with President of France Emmanuel Macron",
			"The leaders discussed sanctions.", "sanctions", true},
		// "Сирил" (Cyril Ramaphosa's name) is no form of "Сирия".
		{"a name like a country", "kremlin.ru", "Телефонный разговор с Президентом ЮАР Сирилом Рамафосой",
			"Владимир Путин и Сирил Рамафоса обсудили вопросы сотрудничества.", "syria", false},
		{"the country's case forms", "kremlin.ru", "Телефонный разговор с Президентом ЮАР Сирилом Рамафосой",
			"Обсуждена ситуация в Сирии.", "syria", true},
		{"negated after", "kremlin.ru", "Телефонный разговор с Президентом США Дональдом Трампом",
			"Вопрос отмены санкций в ходе разговора не поднимался.", "sanctions", false},
		{"negated before", "whitehouse.gov", "Readout of President Biden's Call with President Emmanuel Macron of France",
			"The leaders did not discuss sanctions.", "sanctions", false},
		{"adjective with a cancelling head", "whitehouse.gov", "Readout of President Biden's Call with President Emmanuel Macron of France",
			"The leaders reviewed military, economic, and humanitarian assistance to the region.", "trade_economy", false},
		{"adjective with its own head", "whitehouse.gov", "Readout of President Biden's Call with President Emmanuel Macron of France",
			"The leaders reviewed economic cooperation.", "trade_economy", true},
		{"time phrase", "en.kremlin.ru", "Telephone conversation with President of France Emmanuel Macron",
			"They discussed financial policy during the pandemic.", "health_covid", false},
		{"NATO in the Afghan war", "whitehouse.gov", "Readout of President Biden's Call with President Emmanuel Macron of France",
			"The President thanked France for standing with NATO in Afghanistan.", "security_guarantees", false},
		{"relationship compound", "en.kremlin.ru", "Telephone conversation with President of France Emmanuel Macron",
			"The leaders discussed Russian-French relations.", "bilateral", true},
		{"relationship of third countries", "en.kremlin.ru", "Telephone conversation with President of France Emmanuel Macron",
			"The leaders discussed Turkish-Greek relations.", "bilateral", false},
		{"partnership between the parties", "kremlin.ru", "Телефонный разговор с Президентом Франции Эммануэлем Макроном",
			"Обсуждено партнёрство между Россией и Францией.", "bilateral", true},
		{"cooperation in one field", "en.kremlin.ru", "Telephone conversation with President of France Emmanuel Macron",
			"They discussed cooperation in trade.", "bilateral", false},
		{"future channel", "whitehouse.gov", "Readout of President Biden's Call with President Emmanuel Macron of France",
			"The leaders agreed to stay in contact on the bilateral agenda.", "bilateral", false},
		{"nuclear near Iran", "whitehouse.gov", "Readout of President Biden's Call with President Emmanuel Macron of France",
			"They discussed the nuclear dimension of the threat posed by Iran.", "iran_nuclear", true},
		{"Iran as an issue", "whitehouse.gov", "Readout of President Biden's Call with President Emmanuel Macron of France",
			"They discussed shared priorities, including China and Iran.", "iran_nuclear", true},
		{"Iran as a place", "whitehouse.gov", "Readout of President Biden's Call with President Emmanuel Macron of France",
			"They discussed the protests in Iran.", "iran_nuclear", false},
		{"an earlier call's paragraph", "kremlin.ru", "Телефонный разговор с Президентом США Дональдом Трампом",
			"Президенты обсудили Украину.\nДо этого звонка Путин и Трамп общались по телефону в ноябре. Тогда обсуждалось сирийское урегулирование.",
			"syria", false},
		{"Karabakh settlement links", "en.kremlin.ru", "Telephone conversation with Prime Minister of Armenia Nikol Pashinyan",
			"They discussed restoring economic and transport links under the trilateral statements of November 9, 2020.", "trade_economy", false},
		{"rhetoric", "kremlin.ru", "Телефонный разговор с Президентом Франции Эммануэлем Макроном",
			"Обращено внимание на преступления террористического характера.", "terrorism", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := ex.Extract(&model.Statement{ID: "s", Publisher: tt.pub, Title: tt.title, Text: tt.body,
				PublishedAt: time.Date(2021, 6, 1, 12, 0, 0, 0, time.UTC)})
			if len(calls) == 0 {
				t.Fatal("no call")
			}
			var got []string
			for _, tp := range calls[0].Topics {
				got = append(got, tp.ID)
			}
			if slices.Contains(got, tt.topic) != tt.want {
				t.Errorf("topics %v: %s present = %v, want %v", got, tt.topic, !tt.want, tt.want)
			}
		})
	}
}
