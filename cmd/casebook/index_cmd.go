package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/casebook-project/casebook/indexer"
)

const indexUsage = "index (check | rebuild) (--config FILE | --index DIR)\n  casebook " + snapshotUsage

// runIndex is `casebook index check` and `casebook index rebuild`.
func runIndex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("give check or rebuild, or snapshot DEST")
	}
	sub := args[0]
	if sub == "snapshot" {
		return runSnapshot(ctx, args[1:], stdout)
	}
	if sub != "check" && sub != "rebuild" {
		return usagef("unknown index command %q (want check, rebuild or snapshot)", sub)
	}
	fs := newFlags("index " + sub)
	var config, index string
	addTargetFlags(fs, &config, &index)
	if err := parseOnlyFlags(fs, args[1:]); err != nil {
		return err
	}
	t, err := resolveTarget(config, index, false)
	if err != nil {
		return err
	}
	if sub == "check" {
		return indexCheck(ctx, t.index, stdout)
	}
	return indexRebuild(ctx, t.index, stdout)
}

// inUse turns ErrLocked into advice.
func inUse(dir string, err error) error {
	if errors.Is(err, indexer.ErrLocked) {
		return fmt.Errorf("index %s is in use by another process; stop it (casebook serve or crawl) first", dir)
	}
	return err
}

func indexCheck(ctx context.Context, dir string, w io.Writer) error {
	r, err := indexer.Check(ctx, dir)
	if err != nil {
		return inUse(dir, err)
	}
	fmt.Fprintf(w, "index %s\n", dir)
	fmt.Fprintf(w, "  documents counted: %d\n  practices read:    %d\n", r.Docs, r.Read)
	if r.Bad > 0 {
		fmt.Fprintf(w, "  unreadable:        %d\n", r.Bad)
	}
	for _, id := range r.BadIDs {
		fmt.Fprintf(w, "    %s\n", id)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	if r.OK() {
		fmt.Fprintln(w, "  ok")
		return nil
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "  PROBLEM: %s\n", p)
	}
	if r.Missing {
		return fmt.Errorf("no index at %s", dir)
	}
	return fmt.Errorf("index %s is damaged: %s; recover it with: casebook index rebuild --index %s", dir, r.Problems[0], dir)
}

func indexRebuild(ctx context.Context, dir string, w io.Writer) error {
	r, err := indexer.Recover(ctx, dir)
	if errors.Is(err, indexer.ErrCorrupt) {
		return fmt.Errorf("%v; nothing was changed. Move it away (mv %s %s.broken) and fill a new index "+
			"from the sources with `casebook crawl --full --config FILE`, or with `casebook import`", err, dir, dir)
	}
	if err != nil {
		return inUse(dir, err)
	}
	fmt.Fprintf(w, "index %s rebuilt (read through %s)\n", dir, r.Method)
	fmt.Fprintf(w, "  found:     %d\n  recovered: %d\n  lost:      %d\n", r.Found, r.Recovered, r.Lost)
	for _, id := range r.LostIDs {
		fmt.Fprintf(w, "    %s\n", id)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	if r.Kept != "" {
		fmt.Fprintf(w, "  the damaged index was kept in %s (remove it when no longer needed)\n", r.Kept)
	}
	if r.Lost > 0 || r.Method != "bleve" {
		fmt.Fprintln(w, "  practices lost or changed since the last good state come back with: casebook crawl --config FILE")
	}
	return nil
}

// damagedHint is the advice openIndex gives for a damaged index.
func damagedHint(dir string) string {
	return fmt.Sprintf("see what is wrong with `casebook index check --index %s` and recover it with `casebook index rebuild --index %s`", dir, dir)
}
