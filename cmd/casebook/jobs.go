package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/casebook-project/casebook/crawler"
	"github.com/casebook-project/casebook/crawler/recrawl"
	"github.com/casebook-project/casebook/indexer"
)

// defaultAdminTokenEnv is read when the file does not set
// server.admin_token_env.
const defaultAdminTokenEnv = "CASEBOOK_ADMIN_TOKEN"

// newJobRunner builds the crawl job runner of `casebook serve` from the
// configuration file (sources, crawler settings, schedules) and reads the
// admin token from the environment variable the file names. An empty
// token leaves the admin API disabled; schedules run either way.
func newJobRunner(ctx context.Context, cfg *fileConfig, ix *indexer.Index, log *slog.Logger) (*recrawl.Runner, string, error) {
	srcs, err := cfg.crawlSources(nil)
	if err != nil {
		return nil, "", err
	}
	ccfg := cfg.crawlerSettings()
	ccfg.Logger = log
	perSource := map[string]string{}
	for _, s := range cfg.Sources {
		if s.Schedule.Spec != "" {
			perSource[s.Name] = s.Schedule.Spec
		}
	}
	jobs, err := recrawl.NewRunner(ctx, recrawl.RunnerConfig{
		Index:           ix,
		Crawler:         crawler.New(ccfg),
		Sources:         srcs,
		Schedule:        cfg.Crawler.Schedule.Spec,
		SourceSchedules: perSource,
		Logger:          log,
	})
	if err != nil {
		return nil, "", fmt.Errorf("crawl jobs: %w", err)
	}
	env := cfg.Server.AdminTokenEnv
	if env == "" {
		env = defaultAdminTokenEnv
	}
	token := os.Getenv(env)
	if token == "" {
		log.Info("admin API disabled: no token", "env", env)
	}
	return jobs, token, nil
}
