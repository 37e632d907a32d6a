package normalize

import "testing"

func TestStripWhiteHouseChrome(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Briefings & StatementsPresidential Message on the Birthday of the United States Coast GuardThe White HouseAugust 4, 2026\n\n" +
			"Briefings & StatementsPresidential Message on the Birthday of the United States Coast GuardThe White HouseAugust 4, 2026\n\n" +
			"Briefings & Statements\n\nThe White HouseAugust 4, 2026\n\nToday, our Nation celebrates the 236th birthday.",
			"Today, our Nation celebrates the 236th birthday."},
		{"oFFICE OF THE fIRSt lADYFirst Lady Melania Trump Facilitates Her Fifth Ukraine-Russia Family ReunificationThe White HouseJuly 30, 2026\n\noFFICE OF THE fIRSt lADY\n\nThe White HouseJuly 30, 2026\n\nFirst Lady Melania Trump announced today.",
			"First Lady Melania Trump announced today."},
		// Real text is left alone, also when it mentions the White House.
		{"President Biden spoke with President Putin.\n\nThe White House", "President Biden spoke with President Putin.\n\nThe White House"},
		{"Releases are planned. The White House said so on July 4, 2026.", "Releases are planned. The White House said so on July 4, 2026."},
		{"Briefings & Statements", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := stripWhiteHouseChrome(tt.in); got != tt.want {
			t.Errorf("stripWhiteHouseChrome(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}
