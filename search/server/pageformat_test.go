package server

import "testing"

func TestFormatIntAndDate(t *testing.T) {
	tests := []struct {
		ui       string
		n        int64
		date     string
		wantN    string
		wantDate string
	}{
		{"en", 12000, "2023-04-12", "12,000", "12 April 2023"},
		{"fr", 12000, "2023-08-01", "12\u00a0000", "1 août 2023"},
		{"de", 12000, "2023-03-05", "12.000", "5. März 2023"},
		{"en", 7, "2023", "7", "2023"},
	}
	for _, tt := range tests {
		if got := formatInt(tt.ui, tt.n); got != tt.wantN {
			t.Errorf("formatInt(%q, %d) = %q, want %q", tt.ui, tt.n, got, tt.wantN)
		}
		if got := formatDate(tt.ui, tt.date); got != tt.wantDate {
			t.Errorf("formatDate(%q, %q) = %q, want %q", tt.ui, tt.date, got, tt.wantDate)
		}
	}
}
