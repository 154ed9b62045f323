package main

import (
	"bufio"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// configKey is one key of the configuration file, named as the README's
// configuration reference names it: "server.rate_limit.per_second",
// "sources[].fields.title".
type configKey struct {
	Path   string
	Type   reflect.Type
	Parent bool // a mapping or a list of mappings, whose keys are listed too
}

var setterType = reflect.TypeFor[setter]()

// configKeys walks the yaml tags of fileConfig: every key, parents before
// their children, in declaration order.
func configKeys() []configKey { return walkKeys(reflect.TypeFor[fileConfig](), "") }

func walkKeys(t reflect.Type, prefix string) []configKey {
	var out []configKey
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		path := name
		if prefix != "" {
			path = prefix + "." + name
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case reflect.PointerTo(ft).Implements(setterType): // duration, regexp, cron, URL: one value
			out = append(out, configKey{Path: path, Type: ft})
		case ft.Kind() == reflect.Struct:
			out = append(out, configKey{Path: path, Type: ft, Parent: true})
			out = append(out, walkKeys(ft, path)...)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && !reflect.PointerTo(ft.Elem()).Implements(setterType):
			out = append(out, configKey{Path: path, Type: ft, Parent: true})
			out = append(out, walkKeys(ft.Elem(), path+"[]")...)
		default:
			out = append(out, configKey{Path: path, Type: ft})
		}
	}
	return out
}

// leafKeys returns the paths of the keys that hold values.
func leafKeys() []string {
	var out []string
	for _, k := range configKeys() {
		if !k.Parent {
			out = append(out, k.Path)
		}
	}
	return out
}

// keyCell matches the first cell of a reference table row: `sources[].fields.title`.
var keyCell = regexp.MustCompile("^\\|\\s*`([a-z_]+(?:\\[\\])?(?:\\.[a-z_]+(?:\\[\\])?)*)`\\s*\\|")

// readmeConfigKeys returns the keys listed in the first column of the
// tables of README.md's "## Configuration" section.
func readmeConfigKeys(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var keys []string
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = strings.TrimSpace(line) == "## Configuration"
			continue
		}
		if m := keyCell.FindStringSubmatch(line); in && m != nil {
			keys = append(keys, m[1])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return keys
}

// The README's configuration reference lists every key the loader knows,
// and no key it does not.
func TestREADMEConfigReference(t *testing.T) {
	documented := readmeConfigKeys(t)
	if len(documented) == 0 {
		t.Fatal(`README.md has no "## Configuration" section with a reference table (| ` + "`key`" + ` | type | default | meaning |)`)
	}
	all := configKeys()
	for _, k := range all {
		if !k.Parent && !slices.Contains(documented, k.Path) {
			t.Errorf("README.md configuration reference lacks `%s` (%s)", k.Path, k.Type)
		}
	}
	seen := map[string]bool{}
	for _, d := range documented {
		if seen[d] {
			t.Errorf("README.md configuration reference lists `%s` twice", d)
		}
		seen[d] = true
		if !slices.ContainsFunc(all, func(k configKey) bool { return k.Path == d }) {
			t.Errorf("README.md configuration reference lists `%s`, which the configuration file does not have", d)
		}
	}
}

func TestConfigKeysWalk(t *testing.T) {
	got := leafKeys()
	for _, want := range []string{"index", "server.addr", "server.rate_limit.per_second", "crawler.delay",
		"sources[].name", "sources[].start_urls", "sources[].include", "sources[].defaults.lang", "sources[].fields.published"} {
		if !slices.Contains(got, want) {
			t.Errorf("configKeys lacks %s; got %v", want, got)
		}
	}
	for _, parent := range []string{"server", "sources", "sources[].fields"} {
		if slices.Contains(got, parent) {
			t.Errorf("configKeys lists %s as a value key", parent)
		}
	}
}
