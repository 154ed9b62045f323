package main

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/casebook-project/casebook/indexer"
)

// serve builds its crawl jobs from the file: every source, the schedules,
// and the token from the variable server.admin_token_env names.
func TestNewJobRunnerFromConfig(t *testing.T) {
	cfg, err := loadConfig("testdata/contract.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ix, err := indexer.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	cases := []struct {
		name, env, value, want string
	}{
		{"named variable", "CASEBOOK_TEST_ADMIN", "tok-1", "tok-1"},
		{"named variable unset", "CASEBOOK_TEST_ADMIN", "", ""},
		{"default variable", "", "tok-2", "tok-2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg.Server.AdminTokenEnv = tc.env
			name := tc.env
			if name == "" {
				name = defaultAdminTokenEnv
			}
			t.Setenv(name, tc.value)
			jobs, token, err := newJobRunner(t.Context(), cfg, ix, quiet)
			if err != nil {
				t.Fatal(err)
			}
			defer jobs.Close()
			if token != tc.want {
				t.Errorf("token = %q; want %q", token, tc.want)
			}
			src, err := jobs.Sources(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(src) != 1 || src[0].Name != "icc" || src[0].Schedule != "30 2 * * 1" {
				t.Errorf("sources = %+v; want icc with its own schedule", src)
			}
		})
	}
}
